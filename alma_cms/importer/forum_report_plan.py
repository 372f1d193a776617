"""The plan of a forum report's import: the draft edition under a forum index, the speakers
matched by name (``names.same_person``) or to create, the quotations, the organizations
matched by name or short name or to create, and the award announcement. Reads the database
only.

The edition is found again by its import record (kind, normalised title, locale, forum
index); its quotations and the award announcement by records keyed on the edition's key. The
same file again: nothing. A revised file: the drafts the import made are updated. A draft an
editor saved since: refused, with the pages and fields changed listed."""

from dataclasses import dataclass, field

from django.db.models import Q
from wagtail.models import Locale, Page

from ..models import ImportRecord, Organization
from ..pages.models import (
    AwardPage,
    ForumIndexPage,
    QuotationIndexPage,
    QuotationPage,
    SpeakerIndexPage,
    SpeakerPage,
)
from .errors import DocumentError
from .names import same_person
from .plan import (
    CREATE,
    UNCHANGED,
    UPDATE,
    PlanBase,
    content_hash,
    document_key,
    resolve_locale,
)

FORUM_REPORT = "forum-report"
QUOTATION_RECORD = "forum-report-quotation"
AWARD_RECORD = "forum-report-award"

EDITION_FIELDS = [
    "title", "year", "theme", "start_date", "end_date", "duration_hours", "format", "venue",
    "city", "host", "moderator", "participant_count", "participant_count_qualifier",
    "online_viewer_count", "online_viewer_count_qualifier", "body",
]  # fmt: skip
QUOTATION_FIELDS = ["title", "text", "speaker", "speaker_role", "forum_edition"]
ANNOUNCEMENT_FIELDS = ["title", "season_year", "announced_on", "kind", "summary", "winners"]
_INSTITUTION = ("library", "librar", "association", "university", "museum", "centre", "center",
                "библиотек", "ассоциац", "университет", "музей", "центр")  # fmt: skip


@dataclass
class SpeakerPlan:
    name: str
    role: str  # the position the report gives at the edition's date
    match: SpeakerPage | None = None
    ambiguous: list = field(default_factory=list)  # other speakers the name could be
    add_position: bool = False  # a matched speaker with no position on the edition's date


@dataclass
class OrganizationPlan:
    name: str
    short_name: str = ""
    match: Organization | None = None


@dataclass
class PagePlan:
    """A page the import makes besides the edition (a quotation, the announcement)."""

    key: str
    record: ImportRecord | None = None
    page: Page | None = None


@dataclass
class ForumReportPlan(PlanBase):
    document: object  # ForumReport
    source_name: str
    kind: str
    locale: Locale
    parent: Page
    speaker_index: Page
    quotation_index: Page | None
    action: str
    key: str
    content_hash: str
    record: ImportRecord | None = None
    page: Page | None = None
    speakers: dict = field(default_factory=dict)  # name → SpeakerPlan
    organizations: dict = field(default_factory=dict)  # "host", "winner 1" → OrganizationPlan
    quotations: list = field(default_factory=list)  # PagePlan, one per quotation
    award: AwardPage | None = None  # None with an award in the report: a new award page
    announcement: PagePlan | None = None
    conflicts: list = field(default_factory=list)
    same_title: list = field(default_factory=list)

    def _page_verb(self, page, update, create):
        """A part's verb: an unchanged report leaves its quotations and announcement as they
        are, so they say so rather than "update"."""
        if page is None:
            return create
        if self.action == UNCHANGED:
            return f"unchanged: page {page.pk}"
        return update.format(pk=page.pk)

    def describe(self):
        """What the import would do, as lines of text: every page, speaker, quotation and
        organization, created, matched or updated."""
        doc = self.document
        counts = [
            f"{label} {_qualified(value, qualifier)}"
            for label, value, qualifier in (
                ("participants", doc.participant_count, doc.participant_qualifier),
                ("online viewers", doc.viewer_count, doc.viewer_qualifier),
            )
            if value is not None
        ]
        lines = [
            f"{self.source_name}: {doc.title}",
            f"  action: {self._action('forum edition', 'report')}",
            f"  date: {doc.start_date.isoformat()}"
            + (f" to {doc.end_date.isoformat()}" if doc.end_date else "")
            + f"; format: {doc.format}; duration: "
            + (f"{doc.duration_hours} hours" if doc.duration_hours else "not given"),
            f"  theme: {doc.theme}",
            "  figures: " + ("; ".join(counts) if counts else "none found"),
        ]
        if doc.venue or doc.city:
            lines.append("  venue: " + ", ".join(filter(None, (doc.venue, doc.city))))
        for key, organization in self.organizations.items():
            found = (
                f"matched organization {organization.match.pk} ({organization.match.name})"
                if organization.match
                else "new organization"
            )
            short = f" ({organization.short_name})" if organization.short_name else ""
            lines.append(f"  {key}: {organization.name}{short}: {found}")
        if doc.moderator:
            lines.append(f"  moderator: {doc.moderator}")
        for speaker in self.speakers.values():
            found = (
                f"matched speaker page {speaker.match.pk} ({speaker.match.title})"
                if speaker.match
                else "new speaker page"
            )
            if speaker.add_position:
                role = (
                    f", add the position on {doc.start_date.isoformat()}: {speaker.role} "
                    "(a draft revision of the speaker page)"
                )
            elif speaker.match and speaker.role:
                role = f", the report's position: {speaker.role} (the page has one on that date)"
            elif speaker.role:
                role = f", position on {doc.start_date.isoformat()}: {speaker.role}"
            else:
                role = ", no position given"
            lines.append(f"  speaker {speaker.name}: {found}{role}")
            for other in speaker.ambiguous:
                lines.append(f"    note: could also be speaker page {other.pk} ({other.title})")
        for number, (quotation, plan) in enumerate(
            zip(doc.quotations, self.quotations, strict=True), start=1
        ):
            verb = self._page_verb(plan.page, "update page {pk}", "create")
            text = quotation.text if len(quotation.text) <= 70 else quotation.text[:67] + "…"
            lines.append(
                f"  quotation {number} ({quotation.ref}): {verb}: {quotation.speaker}"
                + (f" ({quotation.role})" if quotation.role else "")
                + f": “{text}”"
            )
        for number, panel in enumerate(doc.panels, start=1):
            moderator = f", moderator {panel.moderator.name}" if panel.moderator else ""
            lines.append(
                f"  panel {number}: {panel.title}{moderator}, {len(panel.speakers)} speakers"
            )
            for speaker in panel.speakers:
                topic = f": {speaker.topic}" if speaker.topic else ""
                lines.append(f"    {speaker.name}{topic}")
        award = doc.award
        if award is not None:
            page = (
                f"award page {self.award.pk} ({self.award.title})"
                if self.award
                else "a new draft award page"
            )
            verb = self._page_verb(
                self.announcement.page,
                "update announcement page {pk}",
                "create an announcement",
            )
            lines.append(
                f"  award: {award.name}, {award.kind}, season {award.season}: {verb} under {page}"
            )
            for winner in award.winners:
                place = f"place {winner.place}: " if winner.place else ""
                project = f", project “{winner.project_title}”" if winner.project_title else ""
                lines.append(f"    {place}{winner.recipient}{project}")
        lines.append(f"  body: {len(doc.body)} blocks")
        lines += self._closing_lines("the forum index", "drafts were")
        return lines


def _qualified(value, qualifier):
    return {"about": f"about {value}", "more_than": f"more than {value}"}.get(qualifier, str(value))


def _only(model, locale, label, option):
    pages = list(model.objects.filter(locale=locale))
    if len(pages) == 1:
        return pages[0]
    found = "no" if not pages else str(len(pages))
    raise DocumentError(
        f"there are {found} {label} in locale {locale.language_code}"
        + (f": name it with {option}." if option else ".")
    )


def resolve_forum_index(path, locale):
    """The forum index ``path`` names (a page id or URL path), or the locale's only one."""
    if not path:
        return _only(ForumIndexPage, locale, "forum indexes", "--parent")
    if str(path).isdigit():
        page = Page.objects.filter(pk=int(path)).first()
    else:
        tail = "/" + "/".join(part for part in str(path).split("/") if part) + "/"
        candidates = sorted(
            Page.objects.filter(locale=locale, url_path__endswith=tail), key=lambda p: p.depth
        )
        page = candidates[0] if candidates else None
    if page is None:
        raise DocumentError(f"--parent {path}: no page found in locale {locale.language_code}.")
    page = page.specific
    if page.locale_id != locale.pk:
        page = page.get_translation_or_none(locale)
        if page is None:
            raise DocumentError(f"--parent {path}: no translation in {locale.language_code}.")
        page = page.specific
    if not isinstance(page, ForumIndexPage):
        raise DocumentError(
            f"--parent {path}: a forum edition cannot go under {page.title!r} "
            f"({type(page).__name__}); choose a forum index."
        )
    return page


def _speaker_plans(document, locale):
    pages = list(
        SpeakerPage.objects.filter(locale=locale)
        .only(
            "title",
            "honorific_prefix",
            "given_name",
            "middle_name",
            "family_name",
            "has_unpublished_changes",
            "latest_revision",
        )
        .prefetch_related("positions")
    )
    plans = {}
    for name, role in document.people.items():
        found = [page for page in pages if same_person(name, page.full_name or page.title)]
        exact = [page for page in found if page.full_name == name or page.title == name]
        match = (exact or found or [None])[0]
        others = [page for page in found if page is not match]
        add = bool(match and role and not match.positions_on(document.start_date))
        if add and match.has_unpublished_changes:
            # A draft (perhaps this import's own, from an earlier run) may hold it already.
            draft = match.get_latest_revision_as_object()
            add = not draft.positions_on(document.start_date)
        plans[name] = SpeakerPlan(name, role, match, others, add_position=add)
    return plans


def match_organization(name, short_name, locale):
    found = Organization.objects.filter(locale=locale)
    match = None
    if short_name:
        match = found.filter(short_name__iexact=short_name).first()
    if match is None and name:
        match = found.filter(Q(name__iexact=name) | Q(short_name__iexact=name)).first()
    return match


def _organization_plans(document, locale):
    plans = {}
    if document.host:
        plans["host"] = OrganizationPlan(
            document.host,
            document.host_short,
            match_organization(document.host, document.host_short, locale),
        )
    if document.award is not None:
        for number, winner in enumerate(document.award.winners, start=1):
            match = match_organization(winner.recipient, "", locale)
            if match or any(word in winner.recipient.lower() for word in _INSTITUTION):
                plans[f"winner {number}"] = OrganizationPlan(winner.recipient, "", match)
    return plans


def changed_fields(record, page, names, label):
    """``label: field`` for each field an editor changed since the import's revision."""
    latest = page.latest_revision
    if latest is None or latest.pk == record.revision_id:
        return []
    if record.revision is None:
        return [f"{label}: (the import's revision was deleted)"]
    before, after = record.revision.content, latest.content
    return [f"{label}: {name}" for name in names if _value(before, name) != _value(after, name)]


def _value(content, name):
    return content.get(name, content.get(f"{name}_id"))


def _record(kind, key, locale, parent):
    if parent is None:
        return None
    return (
        ImportRecord.objects.filter(kind=kind, source_key=key, locale=locale, parent=parent)
        .select_related("page", "revision")
        .first()
    )


def plan_forum_report(document, *, source_name, parent=None, locale=None):
    """The :class:`ForumReportPlan` of ``document`` (``parent``: a forum index's id or path)."""
    locale = resolve_locale(locale)
    forum_index = resolve_forum_index(parent, locale)
    speaker_index = _only(SpeakerIndexPage, locale, "speaker indexes", "")
    quotation_index = (
        _only(QuotationIndexPage, locale, "quotation indexes", "") if document.quotations else None
    )
    key = document_key(document.title)
    record = _record(FORUM_REPORT, key, locale, forum_index)
    plan = ForumReportPlan(
        document=document,
        source_name=source_name,
        kind=FORUM_REPORT,
        locale=locale,
        parent=forum_index,
        speaker_index=speaker_index,
        quotation_index=quotation_index,
        action=CREATE,
        key=key,
        content_hash=content_hash(document),
        record=record,
        speakers=_speaker_plans(document, locale),
        organizations=_organization_plans(document, locale),
    )
    keys = [f"{key}#quotation-{number}" for number in range(1, len(document.quotations) + 1)]
    records, pages = {}, {}
    if keys:
        # One query for the records and one for their pages, however many quotations.
        records = {
            r.source_key: r
            for r in ImportRecord.objects.filter(
                kind=QUOTATION_RECORD, source_key__in=keys, locale=locale, parent=quotation_index
            ).select_related("revision")
        }
        pages = QuotationPage.objects.in_bulk([r.page_id for r in records.values()])
    for quote_key in keys:
        found = records.get(quote_key)
        plan.quotations.append(
            PagePlan(quote_key, found, pages.get(found.page_id) if found else None)
        )
    if document.award is not None:
        name = document.award.name
        plan.award = (
            AwardPage.objects.filter(locale=locale)
            .filter(Q(name__iexact=name) | Q(title__iexact=name))
            .first()
        )
        award_key = f"{key}#award"
        found = _record(AWARD_RECORD, award_key, locale, plan.award)
        plan.announcement = PagePlan(award_key, found, found.page.specific if found else None)
    if record is None:
        plan.same_title = list(
            forum_index.get_children().filter(title__iexact=document.title.strip())
        )
        return plan
    plan.page = record.page.specific
    if record.content_hash == plan.content_hash:
        plan.action = UNCHANGED
        return plan
    plan.action = UPDATE
    plan.conflicts = changed_fields(record, plan.page, EDITION_FIELDS, "edition")
    for number, quote in enumerate(plan.quotations, start=1):
        if quote.page is not None:
            plan.conflicts += changed_fields(
                quote.record, quote.page, QUOTATION_FIELDS, f"quotation {number}"
            )
    if plan.announcement is not None and plan.announcement.page is not None:
        plan.conflicts += changed_fields(
            plan.announcement.record,
            plan.announcement.page,
            ANNOUNCEMENT_FIELDS,
            "award announcement",
        )
    return plan
