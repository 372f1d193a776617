"""How referenced objects appear in API output: one function per kind, shared by all blocks.

Pages are represented only when they are live and public, images and documents only when their
collection is not restricted for the caller; otherwise the reference is reported as ``None`` so
nothing private leaks through a public page.

Inside an API request scope (``alma_cms.api.privacy.request_scope``), every lookup here is served
from the scope's request-wide cache: referenced pages, their translations, images with their
renditions and organizations are loaded in bulk instead of one query each, and visibility
follows the caller's view restrictions.
"""

from django.utils.translation import gettext as _
from wagtail.rich_text import expand_db_html

IMAGE_RENDITION_SPEC = "max-1600x1600"


def request_from(context):
    return (context or {}).get("request")


def _scope():
    """The active API request scope, or None outside one."""
    from ..api.privacy import current_scope

    return current_scope()


def public_localized(page, context=None):
    """The live translation of ``page`` in the active language (else ``page`` itself), as its
    specific class, or ``None`` when that page is not public.

    wagtail-localize keeps page references pointing at the source page, so a Russian page's
    speaker is the English speaker page until it is localized here.
    """
    if page is None:
        return None
    scope = _scope()
    if scope is not None:
        return scope.public_localized(page)
    page = page.specific.localized
    return page if is_public_page(page) else None


def is_public_page(page):
    scope = _scope()
    if scope is not None:
        return scope.is_visible(page)
    if page is None or not page.live or page.expired:
        return False
    return not page.get_view_restrictions().exists()


def rich_text(value):
    """Rich text as the API serves it: front-end HTML, or the ``rich_text_format`` the request
    asked for (Wagtail 8: ``markdown``, ``db_html``, ``db_markdown``), links to what the caller
    may not see stripped either way."""
    return _render_rich_text(value, "render_rich_text")


def rich_text_html(value):
    """Front-end HTML for a RichText value or a stored rich-text string."""
    return _render_rich_text(value, "expand_rich_text")


def _render_rich_text(value, scope_method):
    if value is None:
        return ""
    source = getattr(value, "source", value)
    if not source:
        return ""
    scope = _scope()
    if scope is not None:
        return getattr(scope, scope_method)(source)
    return expand_db_html(source)


def image_representation(image, context=None, alt=None):
    if image is None:
        return None
    scope = _scope()
    if scope is not None:
        # The scope's copy has its renditions prefetched; None when the caller may not see
        # the image's collection.
        image_id = image.pk
        return scope.represent(
            "image",
            (image_id, alt),
            lambda: _image_representation(scope.image(image_id), alt),
        )
    return _image_representation(image, alt)


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


def document_representation(document, context=None):
    if document is None:
        return None
    scope = _scope()
    if scope is not None:
        scope.documents.setdefault(document.pk, document)
        if scope.document(document.pk) is None:  # in a collection the caller may not see
            return None
    return {
        "id": document.pk,
        "title": document.title,
        "url": document.url,
        "file_extension": document.file_extension,
        "file_size": document.get_file_size(),
    }


def page_link_representation(page, context=None):
    page = public_localized(page)
    if page is None:
        return None
    return {"id": page.pk, "title": page.title, "url": page.get_url(request=request_from(context))}


def speaker_representation(page, context=None):
    """A chosen speaker as ``{id, name, url, photo}``."""
    speaker = public_localized(page)
    if speaker is None:
        return None
    scope = _scope()
    if scope is not None:
        return scope.represent(
            "speaker", speaker.pk, lambda: _speaker_representation(speaker, context, scope)
        )
    return _speaker_representation(speaker, context, None)


def _speaker_representation(speaker, context, scope):
    if scope is not None:
        photo = scope.image(getattr(speaker, "photo_id", None))
    else:
        photo = getattr(speaker, "photo", None)
    return {
        "id": speaker.pk,
        "name": speaker.full_name if hasattr(speaker, "full_name") else speaker.title,
        "url": speaker.get_url(request=request_from(context)),
        "photo": image_representation(photo, context) if photo else None,
    }


def organization_representation(organization, context=None):
    # No .localized here: wagtail-localize already points a translated page at the
    # organization's translation, so the reference is in the right language as stored.
    if organization is None:
        return None
    scope = _scope()
    if scope is not None:
        logo = scope.image(organization.logo_id)
    else:
        logo = organization.logo
    return {
        "id": organization.pk,
        "name": organization.name,
        "short_name": organization.short_name,
        "kind": organization.kind,
        "url": organization.url,
        "logo": image_representation(logo, context) if logo else None,
    }


def quotation_representation(page, context=None):
    quotation = public_localized(page)
    if quotation is None:
        return None
    scope = _scope()
    if scope is not None:
        edition = scope.page(quotation.forum_edition_id)
        speaker = scope.page(quotation.speaker_id)
    else:
        edition, speaker = quotation.forum_edition, quotation.speaker
    return {
        "id": quotation.pk,
        "url": quotation.get_url(request=request_from(context)),
        "text": quotation.text,
        "speaker": speaker_representation(speaker, context) if speaker else None,
        "speaker_role": quotation.speaker_role,
        "forum_edition": page_link_representation(edition, context) if edition else None,
        "said_on": quotation.said_on.isoformat() if quotation.said_on else None,
    }


def acting_as_label(actor_name, role):
    """'RLA acting as Visionary', in the active language."""
    if actor_name:
        return _("%(actor)s acting as %(role)s") % {"actor": actor_name, "role": role}
    return role
