"""Updating translations from their source (docs/translation.md, "How syncing keeps
translators' work").

``sync_translations`` is what the Celery tasks, the command, the report's bulk actions and the
tests call. It differs from wagtail-localize's "Sync translated pages"
(``TranslationSource.update_from_db`` + ``Translation.save_target``) in four ways:

- a draft sync saves a revision only: the live translated page is not touched (stock
  ``save_target(publish=False)`` saves the page row, so the draft is live at once);
- ``from_draft=True`` reads the source's latest revision, not its live content
  (wagtail-localize#823), and then only ever saves draft revisions: unpublished source content
  never goes live on a translated site;
- a changed source string keeps its previous translation, marked for review
  (``TRANSLATION_CHANGED_STRINGS`` = "keep", ``alma_cms.translation.review``);
- the source's segments are refreshed and read in bulk: the number of queries does not grow
  with the number of strings (stock runs about ten per segment, wagtail-localize#932).

A translation whose sync is stopped (``Translation.enabled`` False) is skipped; restart it with
``restart_sync``, which keeps the translator's manual edits unless told to overwrite them.
"""

import json
import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst, slugify
from modelcluster.models import ClusterableModel, get_serializable_data_for_fields
from wagtail.coreutils import find_available_slug
from wagtail.models import DraftStateMixin, Locale, Page, RevisionMixin
from wagtail_localize.fields import copy_synchronised_fields
from wagtail_localize.models import (
    OverridableSegment,
    RelatedObjectSegment,
    SegmentOverride,
    String,
    StringSegment,
    StringTranslation,
    Template,
    TemplateSegment,
    TranslatableObject,
    Translation,
    TranslationContext,
    TranslationLog,
    TranslationSource,
    get_schema_version,
)
from wagtail_localize.segments import (
    OverridableSegmentValue,
    RelatedObjectSegmentValue,
    StringSegmentValue,
    TemplateSegmentValue,
)
from wagtail_localize.segments.extract import extract_segments
from wagtail_localize.segments.ingest import ingest_segments
from wagtail_localize.strings import StringValue

from ..conf import alma_settings
from . import review, state

logger = logging.getLogger("alma_cms.translation")

MODES = ("publish-complete", "draft", "publish", "publish-if-complete")


class SyncError(Exception):
    """A sync that cannot succeed by retrying: the source was deleted, the locale no longer
    exists, a segment is broken. The message is one readable line (recorded on the status)."""


@dataclass(frozen=True)
class SyncOutcome:
    """What one sync did to one translation.

    ``action``: "published" (the live page has the new content), "draft" (a draft revision was
    saved; the live page is unchanged), "skipped" (sync stopped for this translation, or an
    object that has no drafts in mode "draft"), "error".
    """

    locale: str
    translation_id: int | None
    action: str
    error: str = ""


# --- The source -------------------------------------------------------------------------------


def _content_json(instance):
    if isinstance(instance, ClusterableModel):
        return instance.to_json()
    return json.dumps(get_serializable_data_for_fields(instance), cls=DjangoJSONEncoder)


def refresh_source(instance, *, changed_strings=None):
    """Create or update the ``TranslationSource`` of ``instance`` (a page, specific, or a
    translatable snippet; possibly built from a revision) and its segments, in a number of
    queries that does not depend on the number of segments. Returns ``(source, changed)``.

    ``changed_strings``: "keep" | "fallback" (None: ``TRANSLATION_CHANGED_STRINGS``). With
    "keep", a string whose source text changed keeps its previous translation in every locale,
    marked for review (``review.carry_over``)."""
    changed_strings = changed_strings or alma_settings.TRANSLATION_CHANGED_STRINGS
    obj, _ = TranslatableObject.objects.get_or_create_from_instance(instance)
    content_json = _content_json(instance)
    source = TranslationSource.objects.filter(
        object_id=obj.translation_key, locale_id=instance.locale_id
    ).first()
    if source is not None and json.loads(content_json) == json.loads(source.content_json):
        return source, False
    fields = {
        "content_json": content_json,
        "object_repr": str(instance)[:200],
        "schema_version": get_schema_version(instance._meta.app_label),
        "last_updated_at": timezone.now(),
    }
    if source is None:
        source = TranslationSource.objects.create(
            object=obj,
            locale_id=instance.locale_id,
            specific_content_type=ContentType.objects.get_for_model(instance.__class__),
            **fields,
        )
        previous = {}
    else:
        for name, value in fields.items():
            setattr(source, name, value)
        source.save(update_fields=list(fields))
        previous = review.strings_by_context(source) if changed_strings == "keep" else {}
    _refresh_segments(source, instance)
    if previous:
        review.carry_over(source, previous)
    return source, True


def _bulk_get_or_create(model, lookup_field, wanted, extra_filter):
    """``{key: row}`` for ``wanted`` = ``{key: unsaved row}``: one query to read, and when some
    are missing one insert (conflicts ignored: a concurrent sync may insert the same rows) and
    one read."""
    if not wanted:
        return {}
    query = {f"{lookup_field}__in": list(wanted), **extra_filter}
    found = {getattr(row, lookup_field): row for row in model.objects.filter(**query)}
    missing = [row for key, row in wanted.items() if key not in found]
    if missing:
        model.objects.bulk_create(missing, ignore_conflicts=True)
        query = {f"{lookup_field}__in": [getattr(r, lookup_field) for r in missing], **extra_filter}
        found.update({getattr(row, lookup_field): row for row in model.objects.filter(**query)})
    return found


def _field_path(context, instance):
    # get_field_path() saves the context it computes the path of; these are unsaved rows,
    # inserted in bulk afterwards.
    context.save = lambda *args, **kwargs: None
    try:
        return context.get_field_path(instance)
    finally:
        del context.save


@transaction.atomic
def _refresh_segments(source, instance):
    """What ``TranslationSource.refresh_segments`` does, in bulk: segments are keyed by their
    content, kept when unchanged, inserted and deleted in one query per kind."""
    values = list(extract_segments(instance))
    locale_id = source.locale_id

    strings = _bulk_get_or_create(
        String,
        "data_hash",
        {
            String._get_data_hash(v.string.data): String(
                locale_id=locale_id,
                data=v.string.data,
                data_hash=String._get_data_hash(v.string.data),
            )
            for v in values
            if isinstance(v, StringSegmentValue)
        },
        {"locale_id": locale_id},
    )
    wanted_contexts = {}
    for v in values:
        path_id = TranslationContext._get_path_id(v.path)
        if path_id not in wanted_contexts:
            context = TranslationContext(object_id=source.object_id, path=v.path, path_id=path_id)
            context.field_path = _field_path(context, instance)
            wanted_contexts[path_id] = context
    contexts = _bulk_get_or_create(
        TranslationContext, "path_id", wanted_contexts, {"object_id": source.object_id}
    )

    def template_uuid(v):
        namespace = uuid.uuid5(Template.BASE_UUID_NAMESPACE, v.format)
        return uuid.uuid5(namespace, v.template)

    templates = _bulk_get_or_create(
        Template,
        "uuid",
        {
            template_uuid(v): Template(
                uuid=template_uuid(v),
                template=v.template,
                template_format=v.format,
                string_count=v.string_count,
            )
            for v in values
            if isinstance(v, TemplateSegmentValue)
        },
        {},
    )
    objects = _bulk_get_or_create(
        TranslatableObject,
        "translation_key",
        {
            v.translation_key: TranslatableObject(
                translation_key=v.translation_key, content_type=v.content_type
            )
            for v in values
            if isinstance(v, RelatedObjectSegmentValue)
        },
        {},
    )

    wanted = defaultdict(dict)  # model -> {key: unsaved segment}
    for v in values:
        context = contexts[TranslationContext._get_path_id(v.path)]
        common = {"source": source, "context_id": context.pk, "order": v.order}
        if isinstance(v, TemplateSegmentValue):
            row = TemplateSegment(template_id=templates[template_uuid(v)].pk, **common)
            key = (context.pk, v.order, row.template_id)
        elif isinstance(v, RelatedObjectSegmentValue):
            row = RelatedObjectSegment(object_id=objects[v.translation_key].pk, **common)
            key = (context.pk, v.order, row.object_id)
        elif isinstance(v, OverridableSegmentValue):
            data_json = json.dumps(v.data, cls=DjangoJSONEncoder)
            row = OverridableSegment(data_json=data_json, **common)
            key = (context.pk, v.order, data_json)
        else:
            attrs = json.dumps(v.attrs, cls=DjangoJSONEncoder)
            string_id = strings[String._get_data_hash(v.string.data)].pk
            row = StringSegment(string_id=string_id, attrs=attrs, **common)
            key = (context.pk, v.order, string_id, attrs)
        wanted[type(row)][key] = row

    keys = {
        StringSegment: ("context_id", "order", "string_id", "attrs"),
        TemplateSegment: ("context_id", "order", "template_id"),
        RelatedObjectSegment: ("context_id", "order", "object_id"),
        OverridableSegment: ("context_id", "order", "data_json"),
    }
    for model, key_fields in keys.items():
        existing = {
            tuple(row[1:]): row[0]
            for row in model.objects.filter(source=source).values_list("id", *key_fields)
        }
        rows = wanted.get(model, {})
        stale = [pk for key, pk in existing.items() if key not in rows]
        if stale:
            model.objects.filter(id__in=stale).delete()
        new = [row for key, row in rows.items() if key not in existing]
        if new:
            model.objects.bulk_create(new)


# --- The targets ------------------------------------------------------------------------------


def segments_for_translation(source, locale_id):
    """``(segment values, complete)``: what wagtail-localize's
    ``_get_segments_for_translation(locale, fallback=True)`` returns, in a constant number of
    queries; ``complete`` is False when a string has no usable translation or a related object
    is not translated (the source text / the source's object is used for it)."""
    complete = True
    segments = []
    string_segments = (
        StringSegment.objects.filter(source=source)
        .annotate_translation(locale_id)
        .select_related("context", "string")
    )
    for segment in string_segments:
        if segment.translation:
            string = StringValue(segment.translation)
        else:
            complete = False
            string = StringValue(segment.string.data)
        segments.append(
            StringSegmentValue(
                segment.context.path, string, attrs=json.loads(segment.attrs)
            ).with_order(segment.order)
        )
    for segment in TemplateSegment.objects.filter(source=source).select_related(
        "template", "context"
    ):
        template = segment.template
        segments.append(
            TemplateSegmentValue(
                segment.context.path,
                template.template_format,
                template.template,
                template.string_count,
                order=segment.order,
            )
        )
    related = list(
        RelatedObjectSegment.objects.filter(source=source).select_related("object", "context")
    )
    translated_keys = set()
    by_type = defaultdict(set)
    for segment in related:
        by_type[segment.object.content_type_id].add(segment.object.translation_key)
    for content_type_id, translation_keys in by_type.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        translated_keys.update(
            model._default_manager.filter(
                translation_key__in=translation_keys, locale_id=locale_id
            ).values_list("translation_key", flat=True)
        )
    for segment in related:
        if segment.object.translation_key in translated_keys:
            segments.append(
                RelatedObjectSegmentValue(
                    segment.context.path,
                    segment.object.content_type,
                    segment.object.translation_key,
                    order=segment.order,
                )
            )
        else:
            complete = False  # the source's object stays, as with stock fallback
    for segment in (
        OverridableSegment.objects.filter(source=source)
        .annotate_override_json(locale_id)
        .filter(override_json__isnull=False)
        .select_related("context")
    ):
        segments.append(
            OverridableSegmentValue(
                segment.context.path, json.loads(segment.override_json), order=segment.order
            )
        )
    return segments, complete


def _write_target(source, original, translation, mode, user):
    """Write one translation; returns the outcome's action. Runs inside the caller's atomic
    block."""
    locale = translation.target_locale
    segments, complete = segments_for_translation(source, locale.pk)
    try:
        target = source.get_translated_instance(locale)
    except ObjectDoesNotExist:
        # First write: wagtail-localize creates the object (a page is created as a draft when
        # publish is False, so nothing live changes).
        publish = (
            mode == "publish"
            or (mode == "publish-if-complete" and complete)
            or not isinstance(original, DraftStateMixin)
        )
        source.create_or_update_translation(
            locale, user=user, publish=publish, fallback=True, copy_parent_pages=True
        )
        return "published" if publish else "draft"

    draftable = isinstance(target, DraftStateMixin)
    live = getattr(target, "live", True)
    publish = (
        mode == "publish"
        or (mode == "publish-complete" and complete and live)
        or (mode == "publish-if-complete" and complete)
    )
    if not publish and not draftable:
        return "skipped"  # nothing to save a draft into; the live object stays as it is

    copy_synchronised_fields(original, target)
    ingest_segments(original, target, source.locale, locale, segments)
    revision = None
    if isinstance(target, Page):
        # As wagtail-localize does on save: a translated slug is made valid and unique.
        target.slug = find_available_slug(
            target.get_parent(), slugify(target.slug), ignore_page_id=target.id
        )
    if not publish:
        # A revision only: save_revision() writes the revision and the page row's
        # latest_revision / draft_title / has_unpublished_changes, never its content.
        revision = target.save_revision(user=user, log_action=True)
        action = "draft"
    elif isinstance(target, Page):
        if target.alias_of_id:
            # An alias becomes a page of its own (as wagtail-localize does).
            target.alias_of_id = None
            target.save(update_fields=["alias_of_id"], clean=False)
        # No target.save() first (stock does one): publish() writes the row from the revision.
        revision = target.save_revision(user=user)
        source.sync_view_restrictions(original, target)
        revision.publish(user=user)
        action = "published"
    elif draftable:
        target.live = True
        target.save()
        revision = target.save_revision(user=user)
        revision.publish(user=user)
        action = "published"
    elif isinstance(target, RevisionMixin):
        target.save()
        revision = target.save_revision(user=user)
        action = "published"
    else:
        target.full_clean()
        target.save()
        action = "published"
    TranslationLog.objects.create(source=source, locale=locale, revision=revision)
    return action


def _resolve_locales(locales):
    if locales is None:
        return None
    ids = set()
    for value in locales:
        if isinstance(value, Locale):
            value = value.pk
        if isinstance(value, int):
            found = Locale.objects.filter(pk=value).values_list("pk", flat=True).first()
        else:
            found = Locale.objects.filter(language_code=value).values_list("pk", flat=True).first()
        if found is None:
            raise SyncError(f"locale {value!r} does not exist")
        ids.add(found)
    return ids


def _source_instance(source, from_draft):
    if isinstance(source, Page):
        try:
            instance = Page.objects.get(pk=source.pk).specific
        except Page.DoesNotExist:
            instance = None
    else:
        instance = type(source)._default_manager.filter(pk=source.pk).first()
    if instance is None:
        return None
    if from_draft and isinstance(instance, RevisionMixin) and instance.latest_revision_id:
        instance = instance.get_latest_revision_as_object()
    return instance


def _record_deleted_source(source, locale_ids, message):
    """Record ``message`` on every translation of a deleted source that is still known: its
    translated objects, and the sync states already recorded (wagtail-localize deletes the
    ``Translation`` rows with the source)."""
    key = source.translation_key
    if not TranslatableObject.objects.filter(translation_key=key).exists():
        return
    model = Page if isinstance(source, Page) else type(source)
    found = set(
        model._default_manager.filter(translation_key=key)
        .exclude(locale_id=source.locale_id)
        .values_list("locale_id", flat=True)
    )
    found |= set(
        _sync_state_model()
        .objects.filter(translatable_object_id=key)
        .values_list("locale_id", flat=True)
    )
    for locale_id in found:
        if locale_ids is None or locale_id in locale_ids:
            state.record_error(key, locale_id, message)


def _sync_state_model():
    return apps.get_model("alma_cms", "TranslationSyncState")


def sync_translations(source, *, locales=None, mode=None, from_draft=False, user=None):
    """Update the translations of ``source`` (a page or translatable snippet instance in its
    source locale) whose sync is on, and return ``[SyncOutcome]``, one per target locale.

    ``locales``: language codes or ``Locale`` ids to limit to (None: every translation).
    ``mode``: "publish-complete" | "draft" | "publish" (None: ``TRANSLATION_SYNC_ON_PUBLISH``;
    when that is "off", "publish-complete": an explicit sync still syncs).
    - "publish-complete": a live translation whose every string is translated (and whose
      related objects are) is published with the new content; any other result is saved as a
      draft revision that does not touch the live page;
    - "draft": always a draft revision (the live page is unchanged);
    - "publish": always published, missing strings showing the source text (stock behaviour);
    - "publish-if-complete": published when every string is translated, live or not (what the
      report's "Publish complete translations" asks for); otherwise a draft revision.
    ``from_draft``: read the source's latest revision instead of its live content (#823). The
      mode is then "draft" whatever was asked: the source's unpublished content never goes
      live on a translated page (an object without drafts is left alone, outcome "skipped").
    ``user``: recorded on revisions and logs.

    Each translation is written in its own ``transaction.atomic`` block and its outcome recorded
    with ``alma_cms.translation.state`` (``record_synced`` / ``record_error``); a failure is
    logged once (logger "alma_cms.translation") and changes nothing else. Raises ``SyncError``
    when nothing can be synced: the source was deleted or cannot be read (recorded on each
    translation's status and logged first), or a locale in ``locales`` or ``mode`` is unknown
    (nothing is recorded: there is no translation to record it on; the caller logs it).
    """
    mode = mode or alma_settings.TRANSLATION_SYNC_ON_PUBLISH
    if mode == "off":
        mode = "publish-complete"
    if mode not in MODES:
        raise SyncError(f"unknown sync mode {mode!r}; expected one of {', '.join(MODES)}")
    if from_draft:
        # The source's draft is not published: neither may its translations be.
        mode = "draft"
    locale_ids = _resolve_locales(locales)
    label = f"{type(source).__name__} {source.pk}"

    instance = _source_instance(source, from_draft)
    if instance is None:
        message = f"the source of {label} was deleted"
        _record_deleted_source(source, locale_ids, message)
        logger.warning("translation sync failed: %s", message)
        raise SyncError(message)

    try:
        with transaction.atomic():
            source_row, _changed = refresh_source(instance)
    except Exception as error:  # a source that cannot be read: nothing to sync
        message = f"cannot read the source of {label}: {error}".splitlines()[0]
        logger.warning("translation sync failed: %s", message)
        raise SyncError(message) from error

    translations = Translation.objects.filter(source=source_row).select_related("target_locale")
    if locale_ids is not None:
        translations = translations.filter(target_locale_id__in=locale_ids)
    outcomes = []
    for translation in translations.order_by("target_locale__language_code"):
        code = translation.target_locale.language_code
        if not translation.enabled:
            outcomes.append(SyncOutcome(code, translation.pk, "skipped"))
            continue
        try:
            with transaction.atomic():
                action = _write_target(source_row, instance, translation, mode, user)
                if action != "skipped":
                    state.record_synced(source_row.object_id, translation.target_locale_id)
        except Exception as error:
            message = f"{label} into {code}: {type(error).__name__}: {error}".splitlines()[0]
            state.record_error(source_row.object_id, translation.target_locale_id, message)
            logger.warning("translation sync failed: %s", message)
            outcomes.append(SyncOutcome(code, translation.pk, "error", message))
            continue
        outcomes.append(SyncOutcome(code, translation.pk, action))
    return outcomes


# --- Restarting a stopped sync ----------------------------------------------------------------


@dataclass(frozen=True)
class SegmentChange:
    """One segment where the translated object's content differs from what a sync would
    write: ``path`` (wagtail-localize's segment path), ``current`` (the translated object's
    text or value), ``synced`` (what the sync would write)."""

    path: str
    current: str
    synced: str
    kind: str = "string"  # "string" | "override"


@dataclass
class RestartReport:
    """What ``restart_sync`` / ``preserve_manual_edits`` found (``changes``) and did: ``kept``
    the manual edits saved as translations (StringTranslation / SegmentOverride) so that the
    sync writes them back; ``unkept`` those that cannot be kept (the translated text has a
    different structure at that path) and that the next sync will replace."""

    changes: list = field(default_factory=list)
    kept: list = field(default_factory=list)
    unkept: list = field(default_factory=list)
    restarted: bool = False


def changed_fields(model, changes):
    """``[(label, count)]``: the fields of ``model`` that ``changes`` (``SegmentChange``) are in,
    each once, in the order first met, with the number of changes in it. ``label`` is the
    field's ``verbose_name`` (capitalised); for a path naming no field of ``model``, the path's
    first part. A rich text of three paragraphs has three segments at one path: one field."""
    counts = {}
    for change in changes:
        name = change.path.split(".", 1)[0]
        counts[name] = counts.get(name, 0) + 1
    found = []
    for name, count in counts.items():
        try:
            label = capfirst(str(model._meta.get_field(name).verbose_name))
        except (FieldDoesNotExist, AttributeError):
            label = name
        found.append((label, count))
    return found


def _current_target(translation):
    target = translation.source.get_translated_instance(translation.target_locale)
    if isinstance(target, Page):
        target = target.specific
    # The translator's latest work: their draft when there is one.
    if isinstance(target, RevisionMixin) and target.latest_revision_id:
        target = target.get_latest_revision_as_object()
    return target


def manual_edits(translation):
    """``[(SegmentChange, StringSegment | OverridableSegment, matched)]``: the segments of
    ``translation``'s source where the translated object (its latest revision) differs from
    what a sync would write. ``matched`` is False when the translated value cannot be mapped
    back onto the segment (a different number of strings at that path)."""
    source = translation.source
    try:
        target = _current_target(translation)
    except ObjectDoesNotExist:
        return []  # nothing translated yet, nothing to lose
    current = defaultdict(list)
    current_overrides = {}
    for value in extract_segments(target):
        if isinstance(value, StringSegmentValue):
            current[value.path].append(value)
        elif isinstance(value, OverridableSegmentValue):
            current_overrides[value.path] = value.data
    found = []
    by_path = defaultdict(list)
    segments = (
        StringSegment.objects.filter(source=source)
        .annotate_translation(translation.target_locale_id)
        .select_related("context", "string")
        .order_by("order")
    )
    for segment in segments:
        by_path[segment.context.path].append(segment)
    for path, path_segments in by_path.items():
        values = current.get(path, [])
        matched = len(values) == len(path_segments)
        for index, segment in enumerate(path_segments):
            synced = StringValue(segment.translation or segment.string.data)
            value = values[index].string if matched else None
            if path == "slug":  # the sync writes the slug made valid (slugify)
                synced = StringValue(slugify(synced.data))
            if value is not None and value.data == synced.data:
                continue
            change = SegmentChange(
                path,
                value.render_text() if value is not None else "",
                synced.render_text(),
            )
            found.append((change, segment, value if matched else None))
    for segment in (
        OverridableSegment.objects.filter(source=source)
        .annotate_override_json(translation.target_locale_id)
        .select_related("context")
    ):
        synced = json.loads(segment.override_json) if segment.override_json else segment.data
        if segment.context.path in current_overrides:
            value = current_overrides[segment.context.path]
            if value != synced:
                change = SegmentChange(segment.context.path, str(value), str(synced), "override")
                found.append((change, segment, value))
    return found


def preserve_manual_edits(translation, *, user=None, dry_run=False):
    """Keep the manual edits of a stopped translation through the next sync: each segment
    whose translated content differs from what the sync would write is saved as that
    segment's translation (a manual ``StringTranslation`` by ``user``; a ``SegmentOverride``
    for an overridable value). Returns a ``RestartReport``; with ``dry_run`` nothing is saved.

    The rule (docs/translation.md, "How syncing keeps translators' work"): the translated
    object's latest revision is the translator's work; what differs from the translations
    wagtail-localize holds becomes the translation. Used by ``restart_sync`` and by the
    subtree translation (which re-enables stopped child translations)."""
    report = RestartReport()
    locale_id = translation.target_locale_id
    for change, segment, value in manual_edits(translation):
        report.changes.append(change)
        if value is None:
            report.unkept.append(change)
            continue
        report.kept.append(change)
        if dry_run:
            continue
        if change.kind == "override":
            SegmentOverride.objects.update_or_create(
                locale_id=locale_id,
                context_id=segment.context_id,
                defaults={"data_json": json.dumps(value, cls=DjangoJSONEncoder)},
            )
        else:
            StringTranslation.objects.update_or_create(
                translation_of_id=segment.string_id,
                locale_id=locale_id,
                context_id=segment.context_id,
                defaults={
                    "data": value.data,
                    "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                    "tool_name": "",
                    "last_translated_by": user,
                    "has_error": False,
                    "field_error": "",
                },
            )
    return report


def restart_sync(translation, *, user=None, dry_run=False, overwrite=False):
    """Restart the sync of a stopped ``translation`` (wagtail-localize's ``Translation`` with
    ``enabled`` False) safely, and return a ``RestartReport``.

    ``dry_run``: report what the next sync would replace (``changes``: the translator's manual
    edits) and change nothing. Otherwise, unless ``overwrite``, the manual edits are kept first
    (``preserve_manual_edits``), then ``enabled`` is set; the caller runs the sync
    (``sync_translations``). With ``overwrite``, the next sync replaces them (stock
    behaviour). The source is refreshed first, so the comparison is with what the sync would
    write now."""
    source_instance = translation.source.get_source_instance()
    with transaction.atomic():
        refresh_source(source_instance)
        if overwrite:
            report = RestartReport(changes=[change for change, _s, _v in manual_edits(translation)])
        else:
            report = preserve_manual_edits(translation, user=user, dry_run=dry_run)
        if dry_run:
            # The source refresh above was only for the comparison: undo it.
            transaction.set_rollback(True)
        else:
            Translation.objects.filter(pk=translation.pk).update(enabled=True)
            translation.enabled = True
            report.restarted = True
    return report


# --- "Translate this page" with subtree ---------------------------------------------------------


def keep_edits_before_subtree(page_id, locale_ids, *, user=None, dry_run=False):
    """Case (2) of issue 9: wagtail-localize's ``translate_page_subtree`` re-enables the sync of
    every translation below page ``page_id`` into ``locale_ids`` (``Locale`` ids) and saves
    it, overwriting the manual edits of stopped ones. Call this first (in the same
    transaction): each stopped translation below the page gets ``preserve_manual_edits``, so the
    subtree translation writes the edits back. Returns ``{Translation id: RestartReport}``;
    with ``dry_run``, what would be replaced without keeping anything (for telling the
    translator first). Queries: a few per stopped translation."""
    page = Page.objects.get(pk=page_id)
    keys = page.get_descendants().values("translation_key")
    stopped = Translation.objects.filter(
        enabled=False,
        target_locale_id__in=list(locale_ids),
        source__object_id__in=keys,
        source__locale_id=page.locale_id,
    ).select_related("source", "target_locale")
    return {
        translation.pk: preserve_manual_edits(translation, user=user, dry_run=dry_run)
        for translation in stopped
    }


@transaction.atomic
def translate_page_subtree(page_id, locales, components, user):
    """wagtail-localize's ``translate_page_subtree`` (same arguments: ``locales`` are
    ``Locale`` instances or ids) that keeps the manual edits of stopped child translations
    (``keep_edits_before_subtree``). The job backend calls this in place of the stock one."""
    # At call time: wagtail_localize.operations imports the admin's forms machinery.
    from wagtail_localize.operations import translate_page_subtree as stock

    locale_objects = [
        locale if isinstance(locale, Locale) else Locale.objects.get(pk=locale)
        for locale in locales
    ]
    if not getattr(stock, "alma_keeps_edits", False):  # alma_cms.translation.subtree.install
        keep_edits_before_subtree(page_id, [locale.pk for locale in locale_objects], user=user)
    return stock(page_id, locale_objects, components, user)
