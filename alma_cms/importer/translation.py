"""Importing the translation of a page that is already in the CMS (``--translation-of``), through
wagtail-localize, so that translators see it as translated strings of the source page, not as a
page of its own (docs/import.md, "Translations").

Three steps, the first two per kind of document, the last shared:

1. the kind builds the **translated instance**: an unsaved copy of the source page (its latest
   revision) with the document's texts put in by structure, keeping the source's block ids
   (direction by direction, guideline by guideline, quotation by quotation), after checking the
   structures match;
2. :func:`match_segments` extracts the segments of both with wagtail-localize and pairs them by
   content path (``directions.<block id>.guidelines.<item id>.title``) and position inside it:
   a mapping from source strings to translated text;
3. :func:`plan_translation` compares that mapping with the string translations already saved
   (what is new, changed, unchanged, or edited by a translator since the import and so kept),
   and :func:`write_translation` saves them and the translated page as a draft, in one
   transaction.

The source is read from its **latest revision**, not its live content: imported pages are drafts
(never published by an import), so a source page fresh from ``alma_import`` has no live content
yet, and its translation should follow the text editors are working on. That is
``sync_translations(from_draft=True)``'s rule: the translated page only ever gets a draft
revision; it goes live when someone publishes it."""

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from wagtail.models import Page
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
)
from wagtail_localize.segments import StringSegmentValue
from wagtail_localize.segments.extract import extract_segments

from ..models import ImportRecord
from ..translation.sync import SyncError, refresh_source, sync_translations
from .errors import DocumentError
from .plan import CREATE, UNCHANGED, UPDATE, content_hash, resolve_locale
from .writer import save_record

TOOL_NAME = "alma_import"  # StringTranslation.tool_name of the strings an import saved

_LINK_ID = re.compile(r'<a id="(a\d+)"')


@dataclass
class SegmentMatch:
    """One source string and its translation: ``path`` (the segment's content path, as
    wagtail-localize's ``TranslationContext.path``), ``label`` (where it is, for people),
    ``group`` (the part of the document it counts under: "direction III", "introduction"…),
    ``source`` and ``translation`` (``StringValue.data``: HTML-ish text with ``<a id>`` tags)."""

    path: str
    label: str
    group: str
    source: str
    translation: str


@dataclass
class SegmentMatching:
    """What :func:`match_segments` found: ``matches`` (``[SegmentMatch]``), ``untranslated``
    (labels of source segments the document has nothing for) and ``extra`` (labels of
    document texts with no source segment: not imported)."""

    matches: list = field(default_factory=list)
    untranslated: list = field(default_factory=list)
    extra: list = field(default_factory=list)


def _string_segments(instance):
    by_path = defaultdict(list)
    for segment in extract_segments(instance):
        if isinstance(segment, StringSegmentValue):
            by_path[segment.path].append(segment)
    for segments in by_path.values():
        segments.sort(key=lambda s: s.order)
    return by_path


def match_segments(source_instance, translated_instance, *, label=None):
    """Pair the string segments of ``source_instance`` with those of ``translated_instance``
    (an unsaved copy of the source holding the translated texts, with the source's block ids)
    by content path and, within a path (a rich text field's paragraphs), by position.

    ``label(path, index, count)`` → ``(label, group)`` names a segment for people (default: the
    path). A translated string whose links (``<a id="a1">``) the source segment lacks is taken
    as plain text (wagtail-localize could not render them). Reads nothing from the database
    beyond what extracting segments reads; writes nothing."""
    label = label or (lambda path, index, count: (path, path.split(".")[0]))
    source, translated = _string_segments(source_instance), _string_segments(translated_instance)
    result = SegmentMatching()
    for path, segments in source.items():
        others = translated.get(path, [])
        for index, segment in enumerate(segments):
            name, group = label(path, index, len(segments))
            if index >= len(others) or not others[index].string.data.strip():
                result.untranslated.append(name)
                continue
            text = others[index].string
            links = set(_LINK_ID.findall(text.data))
            if links - set(segment.attrs or {}):
                text = type(text).from_plaintext(text.render_text())
            result.matches.append(SegmentMatch(path, name, group, segment.string.data, text.data))
    for path, segments in translated.items():
        known = len(source.get(path, []))
        for index in range(known, len(segments)):
            result.extra.append(label(path, index, len(segments))[0])
    return result


@dataclass
class TranslationPlan:
    """The plan of a translation import: ``action`` (create, update, unchanged) of the
    ``locale`` translation of ``source_page``; ``writes`` (the ``SegmentMatch`` es whose string
    translation is new or changed), ``same`` (already saved as is), ``conflicts`` (lines: the
    strings a translator changed after the import, which are kept, not overwritten), and the
    ``matching``. ``refused`` is always False: a conflict keeps one string, not the import."""

    document: object
    source_name: str
    kind: str
    locale: object
    source_page: Page
    source_instance: Page
    matching: SegmentMatching
    action: str
    key: str
    content_hash: str
    record: ImportRecord | None = None
    target: Page | None = None
    writes: list = field(default_factory=list)
    same: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    refused = False

    @property
    def page(self):
        return self.target

    @cached_property
    def parent(self):
        """The page the translation is (or will be) under: the translation of the source's
        parent in the locale; None when it has none yet (wagtail-localize will copy it)."""
        if self.target is not None:
            return self.target.get_parent().specific
        found = self.source_page.get_parent().get_translation_or_none(self.locale)
        return found.specific if found is not None else None

    def describe(self):
        """The plan as lines of text."""
        source = self.source_page
        code = self.locale.language_code
        if self.action == CREATE:
            action = (
                f"create the {code} translation of page {source.pk} ({source.title!r}) "
                "through wagtail-localize, as a draft"
            )
        elif self.action == UPDATE:
            action = (
                f"update the {code} translation (page {self.target.pk}) of page {source.pk} "
                f"({source.title!r}) through wagtail-localize, as a draft revision"
            )
        else:
            action = f"nothing: page {self.target.pk} already holds this translation"
        matching = self.matching
        total = len(matching.matches) + len(matching.untranslated)
        lines = [
            f"{self.source_name}: {self.document.title}",
            f"  action: {action}",
            f"  segments: {len(matching.matches)} of {total} source segments translated; "
            f"{len(self.writes)} to save, {len(self.same)} unchanged, "
            f"{len(self.conflicts)} kept",
        ]
        groups = defaultdict(int)
        for match in matching.matches:
            groups[match.group] += 1
        for group, count in groups.items():
            lines.append(f"    {group}: {count}")
        for name in matching.untranslated:
            lines.append(f"  untranslated (the source text stays): {name}")
        for name in matching.extra:
            lines.append(f"  not imported (no source segment): {name}")
        for conflict in self.conflicts:
            lines.append(f"  kept: {conflict}")
        for note in self.notes:
            lines.append(f"  note: {note}")
        return lines


def resolve_source(value, locale, model):
    """The page ``--translation-of`` names (a page id, or a URL path in a locale other than
    ``locale``), specific; :class:`DocumentError` when there is none, when it is in ``locale``
    or when it is not a ``model``."""
    if str(value).isdigit():
        pages = list(Page.objects.filter(pk=int(value)))
    else:
        tail = "/" + "/".join(part for part in str(value).split("/") if part) + "/"
        pages = list(Page.objects.filter(url_path__endswith=tail)) if tail != "//" else []
        others = [page for page in pages if page.locale_id != locale.pk]
        pages = others or pages
        if len(pages) > 1:
            depth = min(page.depth for page in pages)
            pages = [page for page in pages if page.depth == depth]
    if not pages:
        raise DocumentError(f"--translation-of {value}: no page found.")
    if len(pages) > 1:
        raise DocumentError(
            f"--translation-of {value}: {len(pages)} pages found; name the page by its id."
        )
    page = pages[0].specific
    if page.locale_id == locale.pk:
        raise DocumentError(
            f"--translation-of {value}: page {page.pk} ({page.title!r}) is in locale "
            f"{locale.language_code}, the language of this document: name the page in the "
            "language it is translated from."
        )
    if not isinstance(page, model):
        raise DocumentError(
            f"--translation-of {value}: page {page.pk} ({page.title!r}) is a "
            f"{type(page)._meta.verbose_name}, not a {model._meta.verbose_name}."
        )
    return page


def plan_translation(
    document, *, source_name, kind, locale, translation_of, model, build, labeller=None
):
    """The :class:`TranslationPlan` of ``document`` as the ``locale`` translation of the page
    ``translation_of`` names (a ``model``). ``build(document, source_instance)`` → the
    translated instance (an unsaved copy of the source holding the document's texts, block ids
    kept), or :class:`DocumentError` when the structures differ; ``labeller(source_instance)``
    → a ``label`` for :func:`match_segments`. Writes nothing."""
    if not locale:
        raise DocumentError("--translation-of needs --locale: the language of this document.")
    locale = resolve_locale(locale)
    source_page = resolve_source(translation_of, locale, model)
    source_instance = (
        source_page.get_latest_revision_as_object()
        if source_page.latest_revision_id
        else source_page
    )
    target = source_page.get_translation_or_none(locale)
    # wagtail-localize's translations of this object: (source locale id, target locale id).
    localized = set(
        Translation.objects.filter(source__object_id=source_page.translation_key).values_list(
            "source__locale_id", "target_locale_id"
        )
    )
    if target is not None and (locale.pk, source_page.locale_id) in localized:
        # The named page is itself the translation of a page in the document's language.
        raise DocumentError(
            f"--translation-of {translation_of}: page {source_page.pk} ({source_page.title!r}) "
            f"is the translation of page {target.pk} ({target.title!r}), which is in "
            f"{locale.language_code}, the language of this document."
        )
    if (
        target is not None
        and not target.alias_of_id
        and (source_page.locale_id, locale.pk) not in localized
    ):
        raise DocumentError(
            f"page {target.pk} ({target.title!r}) is already the {locale.language_code} version "
            f"of page {source_page.pk} but was not made with wagtail-localize (a copy): its text "
            "is not translated strings. Delete it and import again."
        )
    translated = build(document, source_instance)
    label = labeller(source_instance) if labeller else None
    matching = match_segments(source_instance, translated, label=label)
    key = str(source_page.translation_key)
    record = (
        ImportRecord.objects.filter(kind=kind, source_key=key, locale=locale, parent=source_page)
        .select_related("page")
        .first()
    )
    digest = hashlib.sha256(
        (content_hash(document) + ":" + str(source_page.latest_revision_id)).encode()
    ).hexdigest()
    plan = TranslationPlan(
        document=document,
        source_name=source_name,
        kind=kind,
        locale=locale,
        source_page=source_page,
        source_instance=source_instance,
        matching=matching,
        action=CREATE if target is None else UPDATE,
        key=key,
        content_hash=digest,
        record=record,
        target=target.specific if target is not None else None,
    )
    _compare(plan)
    if target is not None and not plan.writes and record and record.content_hash == digest:
        plan.action = UNCHANGED
    if target is None:
        missing = [
            ancestor.title
            for ancestor in source_page.get_ancestors().filter(depth__gt=1)
            if ancestor.get_translation_or_none(locale) is None
        ]
        if missing:
            plan.notes.append(
                f"pages above it have no {locale.language_code} version and will be copied "
                f"untranslated, as drafts: {', '.join(missing)}"
            )
    return plan


def _compare(plan):
    """Sort the matches into writes, same and conflicts (a string a translator or a machine
    translated after the import, or before any import, is kept). A translation the import saved
    and a sync carried over onto a changed source string (``translation.review``: same tool
    name, saved later, marked for review) is still the import's."""
    existing = {}
    reviews = apps.get_model("alma_cms", "TranslationReview").objects
    rows = (
        StringTranslation.objects.filter(
            locale=plan.locale,
            context__object_id=plan.source_page.translation_key,
            context__path__in={match.path for match in plan.matching.matches},
        )
        .annotate(carried_over=Exists(reviews.filter(string_translation_id=OuterRef("pk"))))
        .select_related("translation_of", "context", "last_translated_by")
    )
    for row in rows:
        existing[(row.context.path, row.translation_of.data)] = row
    imported_at = plan.record.imported_at if plan.record else None
    for match in plan.matching.matches:
        row = existing.get((match.path, match.source))
        if row is None:
            plan.writes.append(match)
        elif row.data == match.translation and not row.has_error:
            plan.same.append(match)
        elif (
            row.tool_name == TOOL_NAME
            and row.last_translated_by_id is None
            and imported_at is not None
            and (row.updated_at <= imported_at or row.carried_over)
        ):
            plan.writes.append(match)
        else:
            who = row.last_translated_by or row.tool_name or "someone"
            plan.conflicts.append(
                f"{match.label}: changed by {who} on {row.updated_at:%Y-%m-%d %H:%M}; "
                "their text is kept, not the document's"
            )


@dataclass
class TranslationResult:
    action: str
    page: Page
    revision: object = None
    notes: list = field(default_factory=list)


def write_translation(plan, progress=None):
    """Carry out a :class:`TranslationPlan`: refresh the source's ``TranslationSource`` from its
    latest revision, ensure the ``Translation``, save the string translations (``tool_name``
    "alma_import") and write the translated page as a draft (``sync_translations``,
    ``from_draft=True``), all in one transaction. Returns a :class:`TranslationResult`;
    :class:`DocumentError` when wagtail-localize cannot write the page (nothing is written)."""
    progress = progress or (lambda message: None)
    if plan.action == UNCHANGED:
        return TranslationResult(UNCHANGED, plan.target, notes=list(plan.conflicts))
    try:
        with transaction.atomic():
            return _write(plan, progress)
    except IntegrityError as exc:
        # Two imports of one new translation at once: the import record's unique key refuses
        # the second, whose transaction is rolled back whole.
        raise DocumentError("another import of this translation ran meanwhile: try again.") from exc


def _write(plan, progress):
    source_page, locale = plan.source_page, plan.locale
    if plan.record is not None:
        record = ImportRecord.objects.select_for_update().get(pk=plan.record.pk)
        if record.content_hash != plan.record.content_hash:
            raise DocumentError("another import of this translation ran meanwhile: try again.")
    source, changed = refresh_source(plan.source_instance)
    progress(f"translation source {source.pk} {'refreshed' if changed else 'up to date'}")
    Translation.objects.get_or_create(
        source=source, target_locale=locale, defaults={"enabled": True}
    )
    segments = {
        (segment.context.path, segment.string.data): segment
        for segment in StringSegment.objects.filter(source=source).select_related(
            "string", "context"
        )
    }
    for match in plan.writes:
        segment = segments.get((match.path, match.source))
        if segment is None:  # the source changed between the plan and now
            raise DocumentError(f"{match.label}: the source page changed meanwhile: try again.")
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={
                "data": match.translation,
                "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                "tool_name": TOOL_NAME,
                "last_translated_by": None,
                "has_error": False,
                "field_error": "",
            },
        )
    progress(f"saved {len(plan.writes)} string translations into {locale.language_code}")
    try:
        outcomes = sync_translations(source_page, locales=[locale.pk], from_draft=True)
    except SyncError as exc:
        raise DocumentError(f"the translation could not be written: {exc}") from exc
    notes = list(plan.conflicts)
    for outcome in outcomes:
        if outcome.action == "error":
            raise DocumentError(f"the translated page could not be written: {outcome.error}")
        if outcome.action == "skipped":
            notes.append(
                "the sync of this translation is stopped in wagtail-localize: the strings are "
                "saved, the translated page was not written (restart the sync to write it)"
            )
    target = source_page.get_translation(locale).specific
    revision = target.latest_revision
    progress(f"saved draft revision {revision.pk if revision else '-'} of page {target.pk}")
    save_record(plan, plan.kind, plan.key, source_page, target, revision)
    action = CREATE if plan.action == CREATE else UPDATE
    return TranslationResult(action, target, revision, notes)
