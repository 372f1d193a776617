"""Where each translation stands, in bulk (docs/translation.md, "Translation status").

``statuses(objects, locales=None)`` gives a ``TranslationStatus`` for every translatable object
(a page or snippet, usually in its source locale) × target locale, with a fixed number of
queries whatever the number of objects: the locales, wagtail-localize's translations with
their string counts, its sources, the instances (one query for pages, one per snippet model)
and the sync states. The report, the page editor's side panel and the API read it.

States, the first that applies wins (the precedence, documented in docs/translation.md):

1. ``not_translated``: the object has no translation in the locale (or only an alias of the
   source, which shows the source's content).
2. ``sync_stopped``: a translation exists, but wagtail-localize does not sync it: its
   ``Translation.enabled`` is False (the translator chose to edit it by hand), or the page was
   translated without wagtail-localize (no ``Translation`` at all).
3. ``out_of_date``: the source changed after the last sync: it was published after its
   translation source was last read (``last_published_at`` > ``TranslationSource.last_updated_at``;
   pages only, snippets have no publish time), or the translation source was read again after
   the translation was last written (``last_updated_at`` > the last sync). Syncing comes first:
   strings to review appear only once a sync has brought the new source strings in.
4. ``needs_review``: strings whose source changed keep their previous translation, marked for
   review (``alma_cms.models.TranslationReview`` rows in the locale of strings the source
   holds now, each in its context).
5. ``in_progress``: some strings are not translated yet (``strings_translated`` <
   ``strings_total``), or a string was translated (a ``StringTranslation`` saved, as
   wagtail-localize's editor does on "Save") after the translated object was last published
   (``last_published_at``; for an object without drafts, its last write, ``TranslationLog``):
   the translation is not on the live page until it is published.
6. ``in_sync``: everything translated, synced and published.

The last sync (``synced_at``) is the later of alma-cms' record
(``TranslationSyncState.synced_at``, ``alma_cms.translation.state``) and wagtail-localize's
own (the latest ``TranslationLog`` of the translation: every time the translated object was
written from its source, by a sync or by a translator publishing in its editor).
"""

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from .state import states_for

NOT_TRANSLATED = "not_translated"
SYNC_STOPPED = "sync_stopped"
OUT_OF_DATE = "out_of_date"
NEEDS_REVIEW = "needs_review"
IN_PROGRESS = "in_progress"
IN_SYNC = "in_sync"

#: The states, in order of precedence (the first that applies is the state).
STATES = (NOT_TRANSLATED, SYNC_STOPPED, OUT_OF_DATE, NEEDS_REVIEW, IN_PROGRESS, IN_SYNC)

STATE_LABELS = {
    NOT_TRANSLATED: _("Not translated"),
    SYNC_STOPPED: _("Sync stopped"),
    OUT_OF_DATE: _("Out of date"),
    NEEDS_REVIEW: _("Needs review"),
    IN_PROGRESS: _("In progress"),
    IN_SYNC: _("In sync"),
}


@dataclass(frozen=True)
class TranslationStatus:
    """Where the translation of one object into one locale stands.

    ``state``: one of ``STATES``. ``strings_total``: the translatable strings of the source
    (wagtail-localize's ``StringSegment`` rows); ``strings_translated``: those with a
    translation without error in the locale; ``strings_needing_review``: carried-over
    translations of changed source strings. ``synced_at``: the last sync (aware datetime) or
    None. ``error``: why the last sync failed, else "". ``translation_id``: wagtail-localize's
    ``Translation`` pk, or None; ``target_pk``: the translated object's pk, or None;
    ``source_locale_id``: the locale of the translation's source, or None.
    """

    state: str
    strings_total: int = 0
    strings_translated: int = 0
    strings_needing_review: int = 0
    synced_at: datetime | None = None
    error: str = ""
    translation_id: int | None = None
    target_pk: int | None = None
    source_locale_id: int | None = None

    @property
    def label(self):
        return STATE_LABELS[self.state]

    @property
    def is_complete(self):
        """Every string translated (what "publish complete translations" publishes)."""
        return self.translation_id is not None and self.strings_translated >= self.strings_total

    def as_api(self):
        """``{state, strings_total, strings_translated, strings_needing_review, synced_at}``
        (``synced_at`` ISO 8601 or None): ``meta.translations[].translation_status``."""
        return {
            "state": self.state,
            "strings_total": self.strings_total,
            "strings_translated": self.strings_translated,
            "strings_needing_review": self.strings_needing_review,
            "synced_at": self.synced_at.isoformat() if self.synced_at else None,
        }


def localize_installed():
    return apps.is_installed("wagtail_localize")


def _model(app_label, name):
    return apps.get_model(app_label, name)


def statuses(objects, locales=None):
    """``{(object, locale_code): TranslationStatus}`` for every object of ``objects`` (pages or
    translatable snippet instances) × every locale of ``locales`` (language codes or
    ``Locale`` instances; None: every locale of the site) except the object's own, and except
    the locale holding the object's translation *source* when the object is itself a
    translation. Empty without wagtail-localize. Queries: 5 for pages, one more per further
    snippet model, whatever the number of objects."""
    objects = list(objects)
    if not objects or not localize_installed():
        return {}
    locale_model = _model("wagtailcore", "Locale")
    if locales is None:
        targets = list(locale_model.objects.all())
    else:
        codes = [loc if isinstance(loc, str) else loc.language_code for loc in locales]
        targets = list(locale_model.objects.filter(language_code__in=codes))
    models_by_key = {obj.translation_key: _base_model(type(obj)) for obj in objects}
    table = statuses_by_key(models_by_key, [loc.pk for loc in targets])
    result = {}
    for obj in objects:
        for locale in targets:
            if locale.pk == obj.locale_id:
                continue
            status = table.get((obj.translation_key, locale.pk))
            if status is not None:
                result[(obj, locale.language_code)] = status
    return result


def _base_model(model):
    """Pages share one table of translation keys (``Page``); a snippet is its own model."""
    page_model = _model("wagtailcore", "Page")
    return page_model if issubclass(model, page_model) else model


def statuses_by_key(models_by_key, locale_ids):
    """``{(translation_key, locale_id): TranslationStatus or None}`` for every key of
    ``models_by_key`` (``{translation_key: model}``, the model holding the key's instances:
    ``Page`` for pages) × ``locale_ids``; None where the locale holds the key's translation
    source rather than a translation of it (a locale of its ``TranslationSource`` rows; for an
    object never submitted to wagtail-localize, the locale of its first instance, by pk).
    The bulk form of ``statuses`` (the API uses it). Queries: 4 for pages, one more per
    further snippet model."""
    if not models_by_key or not locale_ids or not localize_installed():
        return {}
    keys = list(models_by_key)
    locale_ids = list(locale_ids)
    translations = {}
    for row in _translation_rows(keys, locale_ids):
        translations[(row["source__object_id"], row["target_locale_id"])] = row  # latest wins
    source_locales = {}
    for key, locale_id in (
        _model("wagtail_localize", "TranslationSource")
        .objects.filter(object_id__in=keys)
        .values_list("object_id", "locale_id")
    ):
        source_locales.setdefault(key, set()).add(locale_id)
    instances = _instances(models_by_key)
    first = {}
    for (key, locale_id), row in instances.items():
        if key not in first or row["pk"] < first[key][0]:
            first[key] = (row["pk"], locale_id)
    for key, (_pk, locale_id) in first.items():
        # Never submitted to wagtail-localize: the source is the first instance made (Wagtail's
        # copy_for_translation copies it into new rows).
        source_locales.setdefault(key, {locale_id})
    states = states_for(keys, locale_ids)

    result = {}
    for key in keys:
        for locale_id in locale_ids:
            result[(key, locale_id)] = _status(
                key,
                locale_id,
                translations.get((key, locale_id)),
                instances,
                source_locales.get(key, set()),
                states.get((key, locale_id)),
            )
    return result


def _translation_rows(keys, locale_ids):
    """wagtail-localize's translations of ``keys`` into ``locale_ids``, oldest first, each with
    its string counts, reviews and last write, in one query."""
    translation_model = _model("wagtail_localize", "Translation")
    segment_model = _model("wagtail_localize", "StringSegment")
    string_translation_model = _model("wagtail_localize", "StringTranslation")
    log_model = _model("wagtail_localize", "TranslationLog")
    review_model = _model("alma_cms", "TranslationReview")

    def count(queryset, group_by):
        return Coalesce(
            Subquery(
                queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")[:1],
                output_field=IntegerField(),
            ),
            Value(0),
        )

    segments = segment_model.objects.filter(source_id=OuterRef("source_id"))
    translated = segments.filter(
        Exists(
            # The rule of wagtail-localize's Translation.get_progress(): a translation in the
            # segment's context, without error.
            string_translation_model.objects.filter(
                translation_of_id=OuterRef("string_id"),
                context_id=OuterRef("context_id"),
                locale_id=OuterRef(OuterRef("target_locale_id")),
                has_error=False,
            )
        )
    )
    reviews = review_model.objects.filter(
        Exists(
            # Only strings the source holds now: a review of a string edited again since, or
            # edited back, cannot be cleared by translating the page and does not count.
            segment_model.objects.filter(
                source_id=OuterRef(OuterRef("source_id")),
                string_id=OuterRef("string_translation__translation_of_id"),
                context_id=OuterRef("string_translation__context_id"),
            )
        ),
        string_translation__locale_id=OuterRef("target_locale_id"),
    )
    # The latest translation saved of the source's current strings (the editor's "Save").
    last_translated = (
        string_translation_model.objects.filter(
            Exists(
                segment_model.objects.filter(
                    source_id=OuterRef(OuterRef("source_id")),
                    string_id=OuterRef("translation_of_id"),
                    context_id=OuterRef("context_id"),
                )
            ),
            locale_id=OuterRef("target_locale_id"),
            context__object_id=OuterRef("source__object_id"),
            has_error=False,
        )
        .order_by("-updated_at")
        .values("updated_at")[:1]
    )
    last_log = (
        log_model.objects.filter(
            source_id=OuterRef("source_id"), locale_id=OuterRef("target_locale_id")
        )
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    return (
        translation_model.objects.filter(
            source__object_id__in=keys, target_locale_id__in=locale_ids
        )
        .annotate(
            strings_total=count(segments, "source_id"),
            strings_translated=count(translated, "source_id"),
            strings_needing_review=count(reviews, "string_translation__locale_id"),
            last_log_at=Subquery(last_log),
            last_translated_at=Subquery(last_translated),
        )
        .order_by("created_at", "pk")
        .values(
            "pk",
            "enabled",
            "created_at",
            "target_locale_id",
            "source__object_id",
            "source__locale_id",
            "source__last_updated_at",
            "strings_total",
            "strings_translated",
            "strings_needing_review",
            "last_log_at",
            "last_translated_at",
        )
    )


def _instances(models_by_key):
    """``{(translation_key, locale_id): {pk, alias_of_id, last_published_at}}``: one query for
    pages, one per snippet model."""
    by_model = {}
    for key, model in models_by_key.items():
        by_model.setdefault(model, []).append(key)
    found = {}
    for model, keys in by_model.items():
        field_names = {field.name for field in model._meta.get_fields()}
        names = ["pk", "translation_key", "locale_id"] + [
            name
            for name in ("alias_of_id", "last_published_at")
            if name.removesuffix("_id") in field_names
        ]
        for row in model._default_manager.filter(translation_key__in=keys).values(*names):
            found[(row["translation_key"], row["locale_id"])] = row
    return found


def _later(*times):
    present = [time for time in times if time is not None]
    return max(present) if present else None


def _status(key, locale_id, translation, instances, source_locale_ids, state):
    target = instances.get((key, locale_id))
    error = state.error if state is not None else ""
    state_synced_at = state.synced_at if state is not None else None
    target_pk = target["pk"] if target is not None else None
    is_alias = target is not None and target.get("alias_of_id") is not None

    if translation is None:
        if target is None or is_alias:
            return TranslationStatus(NOT_TRANSLATED, error=error)
        if locale_id in source_locale_ids:
            return None  # the source itself
        return TranslationStatus(
            SYNC_STOPPED, synced_at=state_synced_at, error=error, target_pk=target_pk
        )

    synced_at = _later(state_synced_at, translation["last_log_at"])
    common = {
        "strings_total": translation["strings_total"],
        "strings_translated": min(translation["strings_translated"], translation["strings_total"]),
        "strings_needing_review": translation["strings_needing_review"],
        "synced_at": synced_at,
        "error": error,
        "translation_id": translation["pk"],
        "target_pk": target_pk,
        "source_locale_id": translation["source__locale_id"],
    }
    if target is None or is_alias:
        state_name = NOT_TRANSLATED
    elif not translation["enabled"]:
        state_name = SYNC_STOPPED
    elif _out_of_date(
        translation, instances.get((key, translation["source__locale_id"])), synced_at
    ):
        state_name = OUT_OF_DATE
    elif common["strings_needing_review"]:
        state_name = NEEDS_REVIEW
    elif common["strings_translated"] < common["strings_total"] or _unpublished_translations(
        translation, target
    ):
        state_name = IN_PROGRESS
    else:
        state_name = IN_SYNC
    return TranslationStatus(state_name, **common)


def _unpublished_translations(translation, target):
    """A string was translated after the translated object was last published (its last
    write, for an object without a publish time): the live object does not show it yet."""
    translated_at = translation["last_translated_at"]
    if translated_at is None:
        return False
    if "last_published_at" in target:
        published_at = target["last_published_at"]
    else:
        published_at = translation["last_log_at"]
    return published_at is None or translated_at > published_at


def _out_of_date(translation, source, synced_at):
    """The source was published after its translation source was last read, or read again
    after the translation was last written."""
    read_at = translation["source__last_updated_at"]
    published_at = source.get("last_published_at") if source is not None else None
    if published_at is not None and read_at is not None and published_at > read_at:
        return True
    last = synced_at or translation["created_at"]
    return read_at is not None and read_at > last
