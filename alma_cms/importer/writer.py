"""Carrying out an :class:`~alma_cms.importer.plan.ImportPlan`: one draft
``GuidelineDocumentPage`` created or updated, in one transaction, never published.

On an update the directions, guidelines and links keep their block ids (by position for
directions and guidelines, by URL for links), so that citations of a guideline survive a
re-import of a revised file.

The forum report's writer (``forum_report_writer``) uses this module's transaction and
conflict handling (:func:`write_atomically`, :func:`check_record`), its import records
(:func:`save_record`) and slugs (:func:`unique_slug`)."""

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


def unique_slug(parent, title, fallback="document"):
    """A slug from ``title`` (``fallback`` when it has no letters) that no child of
    ``parent`` has yet: "title", then "title-2", "title-3"..."""
    base = slugify(title, allow_unicode=True)[:200] or fallback
    taken = set(parent.get_children().values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def write(plan, progress=None):
    """Carry out ``plan``; returns an :class:`ImportResult`. Nothing is written when the
    document is unchanged; :class:`ImportConflict` when an editor changed the draft."""
    return write_atomically(
        plan,
        progress,
        _write,
        noun="document",
        changed="was changed after it was imported",
        drafts="the draft",
        page="the page",
    )


def write_atomically(plan, progress, write_plan, *, noun, changed, drafts, page):
    """``write_plan(plan, progress)`` in one transaction, for the final document's writer and
    the forum report's: an :class:`ImportResult`. Unchanged: nothing is written. An editor's
    changes (``plan.conflicts``), or another import of the same ``noun`` committed meanwhile
    (``IntegrityError``, or the record changed: :func:`check_record`): :class:`ImportConflict`;
    an invalid page: :class:`DocumentError`. ``changed``, ``drafts`` and ``page`` word the
    messages ("was changed after it was imported", "the draft", "the page")."""
    progress = progress or (lambda message: None)
    if plan.action == UNCHANGED:
        return ImportResult(UNCHANGED, plan.page)
    if plan.conflicts:
        raise ImportConflict(
            f"page {plan.page.pk} ({plan.page.title!r}) {changed} "
            f"(fields: {', '.join(plan.conflicts)}); the import does not overwrite an editor's "
            f"changes. Merge the revised {noun} by hand, or delete {drafts} and import again."
        )
    try:
        with transaction.atomic():
            return write_plan(plan, progress)
    except ValidationError as exc:
        raise DocumentError(f"{page} would not be valid: {'; '.join(exc.messages)}") from exc
    except IntegrityError as exc:
        # Two imports of one new document at once: the import record's unique key refuses
        # the second, whose transaction is rolled back whole.
        raise ImportConflict(f"another import of this {noun} ran meanwhile: try again.") from exc


def check_record(plan, noun):
    """Lock the plan's import record (inside the write's transaction) and refuse with
    :class:`ImportConflict` when another import changed it since the plan was made."""
    if plan.record is not None:
        # Another import of the same document waits here, then finds the record moved on.
        record = ImportRecord.objects.select_for_update().get(pk=plan.record.pk)
        if record.revision_id != plan.record.revision_id or record.content_hash != (
            plan.record.content_hash
        ):
            raise ImportConflict(f"another import of this {noun} ran meanwhile: try again.")


def save_record(plan, kind, key, parent, page, revision):
    """The import record (kind, key, locale, parent) that finds ``page`` again at the next
    import: created, or pointed at ``revision`` and the plan's content hash."""
    ImportRecord.objects.update_or_create(
        kind=kind,
        source_key=key,
        locale=plan.locale,
        parent=parent,
        defaults={
            "page": page,
            "revision": revision,
            "content_hash": plan.content_hash,
            "source_name": plan.source_name[:255],
        },
    )


def _write(plan, progress):
    check_record(plan, "document")
    organizations = _organizations(plan, progress)
    values = page_values(plan, organizations)
    count = len(plan.document.directions)
    for index, direction in enumerate(plan.document.directions, start=1):
        progress(f"direction {index}/{count}: {len(direction.guidelines)} guidelines")
    if plan.action == CREATE:
        page = GuidelineDocumentPage(
            slug=unique_slug(plan.parent, values["title"]), live=False, locale=plan.locale
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
    save_record(plan, plan.kind, plan.key, plan.parent, page, revision)
    return ImportResult(CREATE if plan.action == CREATE else UPDATE, page, revision)
