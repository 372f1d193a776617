"""The plan of an import: what a parsed document would create, update or leave alone under
a parent page in a locale. Built from the database without writing to it; ``--dry-run``
prints it and the writer carries it out.

A document is found again by its import record (``alma_cms.models.ImportRecord``): its kind,
its normalised title, the locale and the parent page. The same file again: nothing to do. A
revised file (the same title): the draft that record points to is updated. A draft that
someone saved since the import: refused, with the fields they changed listed.

:class:`PlanBase` holds what this plan shares with a forum report's
(``forum_report_plan.ForumReportPlan``): the refusal and the lines worded alike."""

import dataclasses
import hashlib
import json
import re
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Q
from wagtail.models import Locale, Page

from ..blocks.guidelines import to_roman
from ..conf import alma_settings
from ..models import ImportRecord, Organization
from ..pages.models import GuidelineDocumentIndexPage, GuidelineDocumentPage
from .errors import DocumentError

FINAL_DOCUMENT = "final-document"
CREATE = "create"
UPDATE = "update"
UNCHANGED = "unchanged"

# The page fields an import sets (and compares when an editor may have changed the draft).
PAGE_FIELDS = [
    "title",
    "document_type",
    "adopted_on",
    "adopted_at",
    "status",
    "nature",
    "approved_by",
    "finalized_by",
    "audience",
    "introduction",
    "directions",
    "conclusion",
    "links",
]


@dataclass
class OrganizationPlan:
    """The organization a role's actor names: an existing one (``match``) or a new one."""

    actor: str
    name: str
    short_name: str
    match: Organization | None = None


class PlanBase:
    """What a final document's plan and a forum report's plan share: the refusal and the
    lines of ``describe()`` worded alike for both (``action:``, notes, ``refused:``)."""

    @property
    def refused(self):
        return bool(self.conflicts) and self.action == UPDATE

    def _action(self, page_kind, holds):
        """The ``action:`` text: create a draft ``page_kind``, update the draft page, or
        nothing (the page already holds this ``holds``)."""
        where = (
            f"under {self.parent.title!r} ({self.parent.url_path}), "
            f"locale {self.locale.language_code}"
        )
        if self.action == CREATE:
            return f"create a draft {page_kind} {where}"
        if self.action == UPDATE:
            return f"update the draft page {self.page.pk} ({self.page.title!r}) {where}"
        return f"nothing: page {self.page.pk} already holds this {holds}"

    def _closing_lines(self, parent_label, changed):
        """The last lines: the document's notes, the pages under ``parent_label`` that have
        its title but no import record, and the refusal (``changed``: "the draft was")."""
        lines = [f"  note: {note}" for note in self.document.notes]
        for page in self.same_title:
            lines.append(
                f"  note: page {page.pk} under {parent_label} already has this title and was "
                "not made by an import: a second page will be created beside it"
            )
        if self.conflicts:
            lines.append(
                f"  refused: {changed} changed after the import; fields changed: "
                + ", ".join(self.conflicts)
            )
        return lines


@dataclass
class ImportPlan(PlanBase):
    document: object  # FinalDocument
    source_name: str
    kind: str
    locale: Locale
    parent: Page
    action: str
    key: str
    content_hash: str
    record: ImportRecord | None = None
    page: Page | None = None
    edition: Page | None = None
    organizations: dict = field(default_factory=dict)  # actor → OrganizationPlan
    conflicts: list = field(default_factory=list)  # fields an editor changed since the import
    same_title: list = field(default_factory=list)  # pages beside it with its title, not imported

    def describe(self):
        """The plan as lines of text, numbering shown as the page will number it."""
        doc = self.document
        lines = [
            f"{self.source_name}: {doc.title}",
            f"  action: {self._action('guideline document', 'document')}",
            f"  layout: {doc.layout}",
            f"  document type: {doc.document_type}; status: {doc.status}; nature: {doc.nature}",
        ]
        if doc.forum:
            lines.append(f"  forum: {doc.forum}")
        if doc.theme:
            lines.append(f"  theme: {doc.theme} (not stored: the page has no theme field)")
        adopted = doc.adopted_on.isoformat() if doc.adopted_on else "no date found"
        lines.append(f"  adopted on: {adopted}" + (f", {doc.place}" if doc.place else ""))
        if self.edition is not None:
            lines.append(f"  adopted at: {self.edition.title} (page {self.edition.pk}, by date)")
        for label, value in (
            ("approved by", doc.approved_by),
            ("finalized by", doc.finalized_by),
            ("audience", doc.audience),
        ):
            if value:
                lines.append(f"  {label}: {value}")
        lines.append(f"  introduction: {_count(doc.introduction, 'paragraph')}")
        guidelines = sum(len(d.guidelines) for d in doc.directions)
        lines.append(
            f"  directions: {len(doc.directions)}, guidelines: {guidelines} "
            f"({', '.join(str(len(d.guidelines)) for d in doc.directions)})"
        )
        for d_index, direction in enumerate(doc.directions, start=1):
            number = to_roman(d_index)
            lines.append(f"  {number}. {direction.title}")
            for g_index, guideline in enumerate(direction.guidelines, start=1):
                text = guideline.title
                if guideline.role:
                    organization = self.organizations[guideline.role.actor]
                    found = (
                        f"organization {organization.match.pk}"
                        if organization.match
                        else "new organization"
                    )
                    text = f"role {guideline.role.role!r}, actor {guideline.role.actor} ({found})"
                extra = (
                    f" [+{_count(guideline.paragraphs, 'paragraph')}]"
                    if guideline.paragraphs
                    else ""
                )
                lines.append(f"    {number}.{g_index} {text}{extra}")
        lines.append(f"  conclusion: {_count(doc.conclusion, 'paragraph')}")
        lines.append(f"  links: {len(doc.links)}")
        for link in doc.links:
            lines.append(f"    {link.title} <{link.url}>")
        for organization in self.organizations.values():
            if organization.match is None:
                lines.append(
                    f"  organization to create: {organization.name}"
                    + (f" ({organization.short_name})" if organization.short_name else "")
                )
        lines += self._closing_lines("the parent", "the draft was")
        return lines


def _count(items, word):
    return f"{len(items)} {word}{'' if len(items) == 1 else 's'}"


def document_key(title):
    return re.sub(r"\s+", " ", title).strip().lower()[:255]


def content_hash(document):
    data = json.dumps(dataclasses.asdict(document), sort_keys=True, default=str)
    return hashlib.sha256(data.encode()).hexdigest()


def resolve_locale(code):
    if not code:
        return Locale.get_default()
    try:
        return Locale.objects.get(language_code=code)
    except Locale.DoesNotExist:
        known = ", ".join(Locale.objects.values_list("language_code", flat=True))
        raise DocumentError(f"there is no locale {code!r} (locales: {known}).") from None


def resolve_parent(path, locale):
    """The page ``path`` names (a page id, or a URL path such as ``/guidelines/``) in
    ``locale``; without a path, the locale's only guideline document index."""
    if not path:
        indexes = list(GuidelineDocumentIndexPage.objects.filter(locale=locale))
        if len(indexes) == 1:
            return indexes[0]
        found = "no" if not indexes else f"{len(indexes)}"
        raise DocumentError(
            f"there are {found} guideline document indexes in locale {locale.language_code}: "
            "name the parent page with --parent (a page id or its path, e.g. /guidelines/)."
        )
    pages = Page.objects.filter(locale=locale)
    if str(path).isdigit():
        page = Page.objects.filter(pk=int(path)).first()
        candidates = [page] if page else []
    else:
        tail = "/" + "/".join(part for part in str(path).split("/") if part) + "/"
        candidates = list(pages.filter(url_path__endswith=tail)) if tail != "//" else []
        if len(candidates) > 1:
            # "/guidelines/" may end several paths; the shortest is the one under a site root.
            depth = min(page.depth for page in candidates)
            candidates = [page for page in candidates if page.depth == depth]
    if len(candidates) != 1:
        problem = "no page" if not candidates else f"{len(candidates)} pages"
        raise DocumentError(f"--parent {path}: {problem} found in locale {locale.language_code}.")
    page = candidates[0].specific
    if page.locale_id != locale.pk:
        translation = page.get_translation_or_none(locale)
        if translation is None:
            raise DocumentError(
                f"--parent {path}: page {page.pk} is in locale {page.locale.language_code} and "
                f"has no translation in {locale.language_code}."
            )
        page = translation.specific
    if not GuidelineDocumentPage.can_create_at(page) and not _allowed_parent(page):
        raise DocumentError(
            f"--parent {path}: a guideline document cannot go under {page.title!r} "
            f"({type(page).__name__}); choose a guideline document index or a forum edition."
        )
    return page


def _allowed_parent(page):
    return type(page) in GuidelineDocumentPage.allowed_parent_page_models()


def _edition(document, locale):
    """The forum edition whose dates hold the document's date, if exactly one does."""
    if document.adopted_on is None:
        return None
    edition_model = apps.get_model(alma_settings.FORUM_EDITION_PAGE_MODEL)
    day = document.adopted_on
    editions = list(
        edition_model.objects.filter(locale=locale, start_date__lte=day).filter(
            Q(end_date__gte=day) | Q(end_date__isnull=True, start_date=day)
        )[:2]
    )
    return editions[0] if len(editions) == 1 else None


def _organizations(document, locale):
    plans = {}
    for direction in document.directions:
        for guideline in direction.guidelines:
            role = guideline.role
            if role is None or role.actor in plans:
                continue
            found = Organization.objects.filter(locale=locale)
            match = None
            if role.short_name:
                match = found.filter(short_name__iexact=role.short_name).first()
            if match is None:
                match = found.filter(
                    Q(name__iexact=role.name) | Q(short_name__iexact=role.name)
                ).first()
            plans[role.actor] = OrganizationPlan(role.actor, role.name, role.short_name, match)
    # "Russian Library Association (RLA)" and later "RLA": one organization, to be created once.
    by_short = {
        p.short_name.lower(): p
        for p in plans.values()
        if p.short_name and p.match is None and p.name != p.short_name
    }
    for actor, plan in plans.items():
        if plan.match is None and plan.name == plan.short_name and plan.name.lower() in by_short:
            plans[actor] = by_short[plan.name.lower()]
    return plans


def _changed_fields(old, new):
    """The page fields whose stored content differs between two revisions."""
    if old is None:
        return ["(the import's revision was deleted)"]
    before, after = old.content, new.content
    return [name for name in PAGE_FIELDS if _field(before, name) != _field(after, name)]


def _field(content, name):
    value = content.get(name)
    if name == "adopted_at" and value is None:
        value = content.get("adopted_at_id")
    if isinstance(value, str) and name in ("directions", "links"):
        try:
            value = json.loads(value)
        except ValueError:
            pass
    return value


def plan_import(document, *, source_name, parent=None, locale=None, kind=FINAL_DOCUMENT):
    """The :class:`ImportPlan` of ``document`` (parent: a page id or path, or None)."""
    locale = resolve_locale(locale)
    parent_page = resolve_parent(parent, locale)
    key = document_key(document.title)
    digest = content_hash(document)
    record = (
        ImportRecord.objects.filter(kind=kind, source_key=key, locale=locale, parent=parent_page)
        .select_related("page", "revision")
        .first()
    )
    plan = ImportPlan(
        document=document,
        source_name=source_name,
        kind=kind,
        locale=locale,
        parent=parent_page,
        action=CREATE,
        key=key,
        content_hash=digest,
        record=record,
        edition=_edition(document, locale),
        organizations=_organizations(document, locale),
    )
    if record is None:
        plan.same_title = list(
            parent_page.get_children().filter(title__iexact=document.title.strip())
        )
    else:
        plan.page = record.page.specific
        if record.content_hash == digest:
            plan.action = UNCHANGED
        else:
            plan.action = UPDATE
            latest = plan.page.latest_revision
            if latest is not None and latest.pk != record.revision_id:
                # A later revision that changed none of the imported fields is no conflict.
                plan.conflicts = _changed_fields(record.revision, latest)
    return plan
