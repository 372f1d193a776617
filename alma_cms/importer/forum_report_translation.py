"""``--translation-of`` for forum reports: a report in another language becomes, through
wagtail-localize, the translation of the ``ForumEditionPage`` an import made (title, theme,
venue, body paragraphs, panels), of each ``QuotationPage`` that import created, quotation by
quotation, and of the speakers it created or matched that have no translation in the locale
yet (docs/import.md, "Translations: forum reports").

Everything is matched **by structure**, never by name: paragraph by paragraph, panel by panel,
participant by participant, quotation by quotation in document order (translated given names,
Кристина/Christine, do not match by name: a speaker name that does not look like the source's is
a note, not an error). The first structural difference is one :class:`DocumentError` and nothing
is written. Each page is planned and written with :mod:`.translation`'s shared steps; the whole
import is one transaction: speakers first, then the edition, then the quotations, so that the
translated pages point at each other's translations (wagtail-localize's related objects)."""

import copy
from dataclasses import dataclass, field
from html import escape

from django.db import IntegrityError, transaction
from django.utils.text import slugify

from ..models import ImportRecord
from ..pages.models import ForumEditionPage, QuotationPage, SpeakerPage
from .errors import DocumentError
from .forum_report_plan import FORUM_REPORT, QUOTATION_RECORD
from .names import same_person
from .plan import CREATE, UNCHANGED, UPDATE, resolve_locale
from .translation import TranslationResult, plan_translation, resolve_source
from .translation import _write as write_one

FORUM_REPORT_TRANSLATION = "forum-report-translation"  # ImportRecord.kind of the edition
QUOTATION_TRANSLATION = "forum-report-quotation-translation"
SPEAKER_TRANSLATION = "forum-report-speaker-translation"

_STAT_LABELS = {
    "en": ("Participants", "Online viewers", "Hours"),
    "ru": ("Участники", "Зрители онлайн", "Часы"),
}
_KINDS = {
    "heading": "heading",
    "paragraph": "paragraph",
    "featured_quotation": "quotation",
    "discussion_panel": "panel",
}


@dataclass
class ForumTranslationPlan:
    """The plan of a forum report's translation: ``edition`` (a ``TranslationPlan`` of the
    ``ForumEditionPage``), ``quotations`` (one ``TranslationPlan`` per quotation, in document
    order), ``speakers`` (``TranslationPlan`` s of the speakers translated by this import) and
    ``left`` (lines: speakers that already have a translation in the locale, left as they are),
    ``notes`` (names that differ from the source's, figures that differ). ``refused`` is always
    False: a translator's later edit keeps that one string (listed as kept)."""

    document: object
    source_name: str
    kind: str
    locale: object
    edition: object
    quotations: list = field(default_factory=list)
    speakers: list = field(default_factory=list)
    left: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    refused = False

    def _all(self):
        return [*self.speakers, self.edition, *self.quotations]

    @property
    def action(self):
        if self.edition.action == CREATE:
            return CREATE
        if all(plan.action == UNCHANGED for plan in self._all()):
            return UNCHANGED
        return UPDATE

    @property
    def page(self):
        return self.edition.target

    @property
    def conflicts(self):
        return [line for plan in self._all() for line in plan.conflicts]

    def describe(self):
        """The plan as lines of text: the edition's in full, then one block per quotation and
        speaker (action, segments, what stays untranslated or is kept); notes once each."""
        lines = self.edition.describe()
        seen = set(lines)
        parts = [(f"quotation {n}", p) for n, p in enumerate(self.quotations, start=1)]
        parts += [(f"speaker {p.source_page.title}", p) for p in self.speakers]
        for name, plan in parts:
            head, *rest = plan.describe()[1:]
            lines.append(f"  {name}: {head.strip().removeprefix('action: ')}")
            for line in rest:
                if line.startswith("  segments:"):
                    lines.append("  " + line)
                elif not line.startswith("    ") and line not in seen:
                    seen.add(line)
                    lines.append("  " + line)
        for line in self.left:
            lines.append(f"  left: {line}")
        for note in self.notes:
            lines.append(f"  note: {note}")
        return lines


def _html(paragraphs):
    return "".join(f"<p>{escape(text)}</p>" for text in paragraphs)


def _source_blocks(source):
    """The source body's blocks that carry the report's structure (not the figures)."""
    return [child for child in source.body.raw_data if child["type"] in _KINDS]


def _check_structure(document, source):
    """:class:`DocumentError` naming the first difference between the body of ``document``
    and that of ``source`` (the edition's latest revision)."""
    blocks = _source_blocks(source)
    for kind, name in (("panel", "panels"), ("heading", "headings"), ("paragraph", "paragraphs")):
        theirs = sum(1 for child in blocks if _KINDS[child["type"]] == kind)
        ours = sum(1 for entry in document.body if entry[0] == kind)
        if theirs != ours:
            raise DocumentError(f"the source has {theirs} {name}, this document {ours}.")
    for number, (child, entry) in enumerate(zip(blocks, document.body, strict=True), start=1):
        if _KINDS[child["type"]] != entry[0]:
            raise DocumentError(
                f"body block {number}: the source has a {_KINDS[child['type']]} there, this "
                f"document a {entry[0]}."
            )
    for number, (child, entry) in enumerate(
        ((c, e) for c, e in zip(blocks, document.body, strict=True) if e[0] == "panel"), start=1
    ):
        panel = document.panels[entry[1]]
        theirs = len(child["value"].get("speakers") or [])
        if theirs != len(panel.speakers):
            raise DocumentError(
                f"panel {number} ({panel.ref}): the source has {theirs} speakers, this document "
                f"{len(panel.speakers)}."
            )


def _participant(value, person):
    value["role"] = person.role[:255]
    value["topic"] = person.topic[:500]
    if value.get("name"):  # a person with no speaker page: the name is text to translate
        value["name"] = person.name[:255]


def translated_edition(document, source):
    """An unsaved copy of ``source`` (a ``ForumEditionPage``, its latest revision) holding
    ``document``'s texts by structure, block ids kept; :class:`DocumentError` when the body,
    panels or panel speakers differ in number or order."""
    _check_structure(document, source)
    page = type(source).from_serializable_data(source.serializable_data())
    page.title = document.title[:255]
    page.slug = slugify(document.title, allow_unicode=True)[:200] or source.slug
    page.theme = document.theme[:500]
    page.venue = document.venue[:255]
    page.city = document.city[:100]
    body = copy.deepcopy(source.body.raw_data)
    labels = _STAT_LABELS.get(document.language)
    entries = iter(document.body)
    for child in body:
        value = child["value"]
        if child["type"] == "statistics":
            for item in value.get("items") or []:
                # The figures' labels are the ones the import writes, in its language.
                if labels and item["value"]["label"] in _STAT_LABELS["en"]:
                    item["value"]["label"] = labels[
                        _STAT_LABELS["en"].index(item["value"]["label"])
                    ]
            continue
        if child["type"] not in _KINDS:
            continue
        kind, entry = next(entries)
        if kind == "heading":
            value["text"] = entry[:255]
        elif kind == "paragraph":
            child["value"] = _html([entry])
        elif kind == "panel":
            panel = document.panels[entry]
            value["title"] = panel.title[:255]
            if panel.moderator is not None and value.get("moderator"):
                _participant(value["moderator"], panel.moderator)
            for item, person in zip(value.get("speakers") or [], panel.speakers, strict=True):
                _participant(item["value"], person)
            value["summary"] = _html(panel.summary)
    page.body = body
    return page


def edition_labeller(source):
    """``label(path, index, count)`` → ``(label, group)``: "paragraph 3", "panel 2 speakers
    speaker 1 topic", "heading 1"; grouped by kind (paragraphs, panels, headings)."""
    names, counts = {}, {}
    for child in source.body.raw_data:
        kind = _KINDS.get(child["type"], child["type"])
        counts[kind] = counts.get(kind, 0) + 1
        names[child["id"]] = f"{kind} {counts[kind]}"
        value = child["value"] if isinstance(child["value"], dict) else {}
        for number, item in enumerate(value.get("speakers") or [], start=1):
            if item.get("id"):
                names[item["id"]] = f"speaker {number}"

    def label(path, index, count):
        parts = path.split(".")
        paragraph = f" (paragraph {index + 1})" if count > 1 else ""
        if parts[0] == "body" and len(parts) > 1 and parts[1] in names:
            group = names[parts[1]]
            rest = [names.get(part, part) for part in parts[2:]]
            return f"{' '.join([group, *rest])}{paragraph}", group.rsplit(" ", 1)[0]
        return f"{path}{paragraph}", "page"

    return label


def translated_quotation(quotation, speaker_name):
    """``build`` for one quotation: an unsaved copy of the source ``QuotationPage`` with the
    document's ``quotation`` text, role and a title in the import's pattern."""

    def build(document, source):
        page = type(source).from_serializable_data(source.serializable_data())
        words = quotation.text.split()
        excerpt = " ".join(words[:8]) + ("…" if len(words) > 8 else "")
        page.title = f"{speaker_name}: “{excerpt}”"[:255]
        page.slug = slugify(page.title, allow_unicode=True)[:200] or source.slug
        page.text = quotation.text
        page.speaker_role = quotation.role[:255]
        return page

    return build


def translated_speaker(name, role, day):
    """``build`` for one speaker: the name's parts, and the role of the position on ``day``
    the report gives (the one the English import dated that day)."""

    def build(document, source):
        page = type(source).from_serializable_data(source.serializable_data())
        words = name.split()
        page.title = name[:255]
        page.slug = slugify(name, allow_unicode=True)[:200] or source.slug
        page.given_name = words[0][:100]
        page.middle_name = " ".join(words[1:-1])[:100]
        page.family_name = words[-1][:100]
        if role:
            for position in page.positions.all():
                if position.start_date == day and position.end_date == day:
                    position.role_title = role[:255]
        return page

    return build


def _quotation_sources(source, record):
    """The ``QuotationPage`` s the edition's import created, in document order."""
    prefix = f"{record.source_key}#quotation-"
    records = ImportRecord.objects.filter(
        kind=QUOTATION_RECORD, source_key__startswith=prefix, locale=source.locale
    )
    numbered = sorted(
        (int(r.source_key[len(prefix) :]), r.page_id)
        for r in records
        if r.source_key[len(prefix) :].isdigit()
    )
    pages = QuotationPage.objects.in_bulk([pk for _n, pk in numbered])
    return [pages[pk] for _n, pk in numbered if pk in pages]


def _speaker_names(document, source, quotations):
    """``{speaker page id: (name in the document, role)}`` by structure: the moderator, the
    panels' participants by position, the quotations' speakers by position; and the notes of
    names that do not look like the source's."""
    found, notes, pages = {}, [], {}
    pairs = []
    if source.moderator_id and document.moderator:
        pairs.append(("moderator", source.moderator_id, document.moderator, None))
    blocks = _source_blocks(source)
    panel_number = 0
    for child, entry in zip(blocks, document.body, strict=True):
        if entry[0] != "panel":
            continue
        panel_number += 1
        panel, value = document.panels[entry[1]], child["value"]
        moderator = value.get("moderator") or {}
        if panel.moderator and moderator.get("speaker"):
            where = f"panel {panel_number} moderator"
            pairs.append((where, moderator["speaker"], panel.moderator.name, panel.moderator.role))
        for number, (item, person) in enumerate(
            zip(value.get("speakers") or [], panel.speakers, strict=True), start=1
        ):
            if item["value"].get("speaker"):
                where = f"panel {panel_number} speaker {number}"
                pairs.append((where, item["value"]["speaker"], person.name, person.role))
    for number, (page, quotation) in enumerate(
        zip(quotations, document.quotations, strict=True), start=1
    ):
        if page.speaker_id:
            pairs.append(
                (f"quotation {number}", page.speaker_id, quotation.speaker, quotation.role)
            )
    pages = SpeakerPage.objects.in_bulk({pk for _w, pk, _n, _r in pairs})
    for where, pk, name, role in pairs:
        page = pages.get(pk)
        if page is None:
            continue
        if not same_person(name, page.title):
            notes.append(
                f"{where}: {name!r} here, {page.title!r} in the source (matched by position)"
            )
        if pk not in found:
            found[pk] = (page, name, role if role is not None else document.people.get(name, ""))
    return found, notes


def plan_forum_translation(document, *, source_name, locale, translation_of):
    """The :class:`ForumTranslationPlan` of ``document`` (a ``ForumReport``) as the ``locale``
    translation of the forum edition ``translation_of`` names (a page id or path), which a
    forum-report import made. Writes nothing; :class:`DocumentError` for a page not made by an
    import, or a structure that differs (panels, paragraphs, headings, panel speakers,
    quotations: the first difference is named)."""
    if not locale:
        raise DocumentError("--translation-of needs --locale: the language of this document.")
    target_locale = resolve_locale(locale)
    source = resolve_source(translation_of, target_locale, ForumEditionPage)
    record = ImportRecord.objects.filter(kind=FORUM_REPORT, page=source).first()
    if record is None:
        raise DocumentError(
            f"--translation-of {translation_of}: page {source.pk} ({source.title!r}) was not "
            "made by a forum-report import: its quotations cannot be found."
        )
    latest = source.get_latest_revision_as_object() if source.latest_revision_id else source
    _check_structure(document, latest)
    quotations = _quotation_sources(source, record)
    if len(quotations) != len(document.quotations):
        raise DocumentError(
            f"the source has {len(quotations)} quotations, this document "
            f"{len(document.quotations)}."
        )
    common = {"source_name": source_name, "locale": locale}
    speakers, notes = _speaker_names(document, latest, quotations)
    plan = ForumTranslationPlan(
        document=document,
        source_name=source_name,
        kind=FORUM_REPORT_TRANSLATION,
        locale=target_locale,
        edition=None,
        notes=notes,
    )
    translated = set(
        ImportRecord.objects.filter(
            kind=SPEAKER_TRANSLATION, locale=target_locale, parent_id__in=list(speakers)
        ).values_list("parent_id", flat=True)
    )
    existing = {
        page.translation_key: page
        for page in SpeakerPage.objects.filter(
            locale=target_locale,
            translation_key__in=[p.translation_key for p, _n, _r in speakers.values()],
        )
    }
    for pk, (page, name, role) in speakers.items():
        other = existing.get(page.translation_key)
        if other is not None and pk not in translated:
            plan.left.append(
                f"speaker {page.title}: page {other.pk} ({other.title!r}) is its "
                f"{target_locale.language_code} version already; its name and positions are "
                "left as they are"
            )
            continue
        plan.speakers.append(
            plan_translation(
                document,
                kind=SPEAKER_TRANSLATION,
                translation_of=str(pk),
                model=SpeakerPage,
                build=translated_speaker(name, role, document.start_date),
                **common,
            )
        )
    plan.edition = plan_translation(
        document,
        kind=FORUM_REPORT_TRANSLATION,
        translation_of=str(source.pk),
        model=ForumEditionPage,
        build=translated_edition,
        labeller=edition_labeller,
        **common,
    )
    for page, quotation in zip(quotations, document.quotations, strict=True):
        plan.quotations.append(
            plan_translation(
                document,
                kind=QUOTATION_TRANSLATION,
                translation_of=str(page.pk),
                model=QuotationPage,
                build=translated_quotation(quotation, quotation.speaker),
                **common,
            )
        )
    for label, theirs, ours in (
        ("participants", latest.participant_count, document.participant_count),
        ("online viewers", latest.online_viewer_count, document.viewer_count),
        ("start date", latest.start_date, document.start_date),
    ):
        if theirs != ours:
            plan.notes.append(
                f"{label}: {theirs} in the source, {ours} in this document; the source's stays "
                "(it is not a text to translate)"
            )
    return plan


def write_forum_translation(plan, progress=None):
    """Carry out a :class:`ForumTranslationPlan` in one transaction (speakers, edition,
    quotations; each a draft through wagtail-localize). A ``TranslationResult`` for the
    edition, with every kept string and left speaker in ``notes``."""
    progress = progress or (lambda message: None)
    notes = [*plan.conflicts, *plan.left, *plan.notes]
    if plan.action == UNCHANGED:
        return TranslationResult(UNCHANGED, plan.page, notes=notes)
    results = {}
    try:
        with transaction.atomic():
            for part in plan._all():
                if part.action != UNCHANGED:
                    results[id(part)] = write_one(part, progress)
    except IntegrityError as exc:
        raise DocumentError("another import of this translation ran meanwhile: try again.") from exc
    edition = results.get(id(plan.edition))
    page = edition.page if edition else plan.edition.target
    revision = edition.revision if edition else page.latest_revision
    return TranslationResult(plan.action, page, revision, notes)
