"""Carrying out an :class:`~alma_cms.importer.plan.ImportPlan`: one draft
``GuidelineDocumentPage`` created or updated, in one transaction, never published.

On an update the directions, guidelines and links keep their block ids (by position for
directions and guidelines, by URL for links), so that citations of a guideline survive a
re-import of a revised file."""

import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.html import escape
from django.utils.text import slugify

from ..models import ImportRecord, Organization
from ..pages.models import GuidelineDocumentPage
from .errors import DocumentError, ImportConflict
from .links import URL, clean_url
from .plan import CREATE, UNCHANGED, UPDATE


@dataclass
class ImportResult:
    action: str
    page: GuidelineDocumentPage
    revision: object = None


def _html(paragraphs, links=()):
    """Paragraphs as rich text, URLs as links, and the source's hyperlinks (``(text, url)``)
    on the first occurrence of their text."""
    out = []
    for paragraph in paragraphs:
        html = _autolink(paragraph)
        for text, url in links:
            anchor = escape(text)
            if text and url and anchor in html and f">{anchor}</a>" not in html:
                html = html.replace(anchor, f'<a href="{escape(url)}">{anchor}</a>', 1)
        out.append(f"<p>{html}</p>")
    return "".join(out)


def _autolink(paragraph):
    """A paragraph's text as HTML, its URLs as links."""
    parts, position = [], 0
    for match in URL.finditer(paragraph):
        url = clean_url(match.group(0))
        parts.append(escape(paragraph[position : match.start()]))
        parts.append(f'<a href="{escape(url)}">{escape(url)}</a>')
        position = match.start() + len(url)
    parts.append(escape(paragraph[position:]))
    return "".join(parts)


def _old_ids(page):
    """The block ids of the draft's directions, guidelines and links, to keep them."""
    directions, links = [], {}
    if page is None:
        return directions, links
    draft = page.get_latest_revision_as_object()
    for child in draft.directions:
        if child.block_type == "direction":
            items = child.value.get("guidelines").bound_blocks
            directions.append((child.id, [item.id for item in items]))
    for child in draft.links:
        links.setdefault(child.value.get("url") or "", child.id)
    return directions, links


def _new_id(ids, index):
    return ids[index] if index < len(ids) else str(uuid.uuid4())


def page_values(plan, organizations):
    """The page's field values for the document (``organizations``: actor → pk)."""
    document = plan.document
    old_directions, old_links = _old_ids(plan.page)
    directions = []
    for d_index, direction in enumerate(document.directions):
        old = old_directions[d_index] if d_index < len(old_directions) else (None, [])
        items = []
        for g_index, guideline in enumerate(direction.guidelines):
            role = guideline.role
            value = {
                "title": "" if role else guideline.title[:500],
                "actor": organizations.get(role.actor) if role else None,
                "role": role.role[:255] if role else "",
                "text": _html(guideline.paragraphs, guideline.links),
            }
            items.append({"type": "item", "value": value, "id": _new_id(old[1], g_index)})
        directions.append(
            {
                "type": "direction",
                "value": {
                    "title": direction.title[:500],
                    "summary": _html(direction.summary),
                    "guidelines": items,
                },
                "id": old[0] or str(uuid.uuid4()),
            }
        )
    links = [
        {
            "type": "link",
            "value": {
                "title": link.title[:255],
                "page": None,
                "url": link.url,
                "description": link.description[:500],
            },
            "id": old_links.get(link.url) or str(uuid.uuid4()),
        }
        for link in document.links
    ]
    return {
        "title": document.title[:255],
        "document_type": document.document_type,
        "adopted_on": document.adopted_on,
        "adopted_at": plan.edition,
        "status": document.status,
        "nature": document.nature,
        "approved_by": document.approved_by,
        "finalized_by": document.finalized_by,
        "audience": document.audience,
        "introduction": _html(document.introduction),
        "directions": directions,
        "conclusion": _html(document.conclusion),
        "links": links,
    }


def _organizations(plan, progress):
    pks = {}
    created = {}
    for actor, organization in plan.organizations.items():
        if organization.match is not None:
            pks[actor] = organization.match.pk
            continue
        if id(organization) not in created:
            kind = (
                Organization.Kind.ASSOCIATION
                if "association" in organization.name.lower()
                else Organization.Kind.OTHER
            )
            created[id(organization)] = Organization.objects.create(
                name=organization.name[:255],
                short_name=organization.short_name[:50],
                kind=kind,
                locale=plan.locale,
            )
            progress(f"created organization {organization.name}")
        pks[actor] = created[id(organization)].pk
    return pks


def _unique_slug(parent, title):
    base = slugify(title, allow_unicode=True)[:200] or "document"
    taken = set(parent.get_children().values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def write(plan, progress=None):
    """Carry out ``plan``; returns an :class:`ImportResult`. Nothing is written when the
    document is unchanged; :class:`ImportConflict` when an editor changed the draft."""
    progress = progress or (lambda message: None)
    if plan.action == UNCHANGED:
        return ImportResult(UNCHANGED, plan.page)
    if plan.conflicts:
        raise ImportConflict(
            f"page {plan.page.pk} ({plan.page.title!r}) was changed after it was imported "
            f"(fields: {', '.join(plan.conflicts)}); the import does not overwrite an editor's "
            "changes. Merge the revised document by hand, or delete the draft and import again."
        )
    try:
        with transaction.atomic():
            return _write(plan, progress)
    except ValidationError as exc:
        raise DocumentError(f"the page would not be valid: {'; '.join(exc.messages)}") from exc
    except IntegrityError as exc:
        # Two imports of one new document at once: the import record's unique key refuses
        # the second, whose transaction is rolled back whole.
        raise ImportConflict("another import of this document ran meanwhile: try again.") from exc


def _write(plan, progress):
    if plan.record is not None:
        # Another import of the same document waits here; the plan is checked again below.
        record = ImportRecord.objects.select_for_update().get(pk=plan.record.pk)
        if record.revision_id != plan.record.revision_id or record.content_hash != (
            plan.record.content_hash
        ):
            raise ImportConflict("another import of this document ran meanwhile: try again.")
    organizations = _organizations(plan, progress)
    values = page_values(plan, organizations)
    count = len(plan.document.directions)
    for index, direction in enumerate(plan.document.directions, start=1):
        progress(f"direction {index}/{count}: {len(direction.guidelines)} guidelines")
    if plan.action == CREATE:
        page = GuidelineDocumentPage(
            slug=_unique_slug(plan.parent, values["title"]), live=False, locale=plan.locale
        )
        for name, value in values.items():
            setattr(page, name, value)
        plan.parent.add_child(instance=page)
    else:
        page = plan.page.get_latest_revision_as_object()
        for name, value in values.items():
            setattr(page, name, value)
    revision = page.save_revision(clean=True, log_action=True)
    progress(f"saved draft revision {revision.pk} of page {page.pk}")
    ImportRecord.objects.update_or_create(
        kind=plan.kind,
        source_key=plan.key,
        locale=plan.locale,
        parent=plan.parent,
        defaults={
            "page": page,
            "revision": revision,
            "content_hash": plan.content_hash,
            "source_name": plan.source_name[:255],
        },
    )
    return ImportResult(CREATE if plan.action == CREATE else UPDATE, page, revision)
