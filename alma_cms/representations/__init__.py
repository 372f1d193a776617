"""How referenced objects appear in API output: one function per kind, shared by every block,
DRF field, JSON-LD builder and template tag.

Every function takes the :class:`~alma_cms.scope.RequestScope` it answers for as its first
argument: pages are represented only when the scope's caller may see them (in the active
language where a visible translation exists), images and documents only when their collection
is not restricted for the caller; otherwise the reference is ``None`` so nothing private leaks
through a public page. Lookups are served from the scope's request-wide caches.
"""

from django.utils.translation import gettext as _

from ..scope import IMAGE_RENDITION_SPEC

__all__ = [
    "IMAGE_RENDITION_SPEC",
    "acting_as_label",
    "document_representation",
    "image_representation",
    "organization_representation",
    "page_link_representation",
    "quotation_representation",
    "rich_text",
    "rich_text_html",
    "speaker_representation",
]


def rich_text(scope, value):
    """Rich text (a ``RichText`` or a stored string) as the API serves it: front-end HTML, or
    the ``rich_text_format`` the request asked for (Wagtail 8: ``markdown``, ``db_html``,
    ``db_markdown``), links to what the caller may not see stripped either way."""
    return scope.render_rich_text(getattr(value, "source", value) or "")


def rich_text_html(scope, value):
    """Front-end HTML of a ``RichText`` or a stored rich-text string ("" for nothing)."""
    return scope.expand_rich_text(getattr(value, "source", value) or "")


def image_representation(scope, image, alt=None):
    """``{id, title, alt, width, height, url}`` (the ``max-1600x1600`` rendition; pixels), or
    None when the image is missing or in a collection the caller may not see."""
    if image is None:
        return None
    image_id = image.pk
    return scope.represent(
        "image", (image_id, alt), lambda: _image_representation(scope.image(image_id), alt)
    )


def _image_representation(image, alt=None):
    if image is None:
        return None
    rendition = image.get_rendition(IMAGE_RENDITION_SPEC)
    return {
        "id": image.pk,
        "title": image.title,
        "alt": alt or getattr(image, "default_alt_text", "") or image.title,
        "width": rendition.width,
        "height": rendition.height,
        "url": rendition.full_url if hasattr(rendition, "full_url") else rendition.url,
    }


def document_representation(scope, document):
    """``{id, title, url, file_extension, file_size}`` (bytes), or None when the document is in
    a collection the caller may not see."""
    if document is None:
        return None
    scope.documents.setdefault(document.pk, document)
    if scope.document(document.pk) is None:
        return None
    return {
        "id": document.pk,
        "title": document.title,
        "url": document.url,
        "file_extension": document.file_extension,
        "file_size": document.get_file_size(),
    }


def page_link_representation(scope, page):
    """``{id, title, url}`` of the page the caller sees for ``page``, or None."""
    page = scope.public_localized(page)
    if page is None:
        return None
    return {"id": page.pk, "title": page.title, "url": scope.page_url(page)}


def speaker_representation(scope, page):
    """A chosen speaker as ``{id, name, url, photo}``, or None."""
    speaker = scope.public_localized(page)
    if speaker is None:
        return None
    return scope.represent("speaker", speaker.pk, lambda: _speaker_representation(scope, speaker))


def _speaker_representation(scope, speaker):
    photo = scope.image(getattr(speaker, "photo_id", None))
    return {
        "id": speaker.pk,
        "name": speaker.full_name if hasattr(speaker, "full_name") else speaker.title,
        "url": scope.page_url(speaker),
        "photo": image_representation(scope, photo) if photo else None,
    }


def organization_representation(scope, organization):
    """``{id, name, short_name, kind, url, logo}``, or None."""
    # No localizing here: wagtail-localize already points a translated page at the
    # organization's translation, so the reference is in the right language as stored.
    if organization is None:
        return None
    logo = scope.image(organization.logo_id)
    return {
        "id": organization.pk,
        "name": organization.name,
        "short_name": organization.short_name,
        "kind": organization.kind,
        "url": organization.url,
        "logo": image_representation(scope, logo) if logo else None,
    }


def quotation_representation(scope, page):
    """``{id, url, text, speaker, speaker_role, forum_edition, said_on}``, or None."""
    quotation = scope.public_localized(page)
    if quotation is None:
        return None
    edition = scope.page(quotation.forum_edition_id)
    speaker = scope.page(quotation.speaker_id)
    return {
        "id": quotation.pk,
        "url": scope.page_url(quotation),
        "text": quotation.text,
        "speaker": speaker_representation(scope, speaker) if speaker else None,
        "speaker_role": quotation.speaker_role,
        "forum_edition": page_link_representation(scope, edition) if edition else None,
        "said_on": quotation.said_on.isoformat() if quotation.said_on else None,
    }


def acting_as_label(actor_name, role):
    """'RLA acting as Visionary', in the active language."""
    if actor_name:
        return _("%(actor)s acting as %(role)s") % {"actor": actor_name, "role": role}
    return role
