"""One guideline of a guideline document, served and cited on its own.

A guideline is found by its document and either its computed number ("II.3", any case) or its
stable id (the id survives reordering and translation), optionally in another locale of the
same document: the Russian translation of a document numbers and identifies its guidelines
the same way, so ``?locale=ru`` answers with the Russian text of the same guideline.

:func:`cite` is the lookup shared by API v3 (``alma_cms.api.v3``, under
``/api/v3/alma/guidelines/``) and the plain Django view :func:`guideline_view` offered for API
v2 sites (``path("api/v2/guidelines/", include("alma_cms.api.guidelines"))``). Documents the
caller may not see (not live, expired, behind a view restriction: see
``alma_cms.scope.visibility``) answer exactly like documents that don't exist.
"""

import re
import uuid

from django.http import JsonResponse
from django.urls import NoReverseMatch, path
from django.utils import translation
from wagtail.models import Locale, Page

from .. import representations as rep
from ..pages.mixins import GuidelineDocumentPageMixin
from ..scope import get_scope
from .caching import cache_api_response
from .not_found import catch_all, json_not_found

__all__ = ["GuidelineNotFound", "cite", "find_document", "guideline_view", "urlpatterns"]

# What `cite` accepts as a reference: a guideline number ("II.3", "ii.3") or a guideline id.
NUMBER_PATTERN = r"[IVXLCDMivxlcdm]+\.[0-9]+"
UUID_PATTERN = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
REFERENCE_PATTERN = rf"^({NUMBER_PATTERN}|{UUID_PATTERN})$"
_UUID = re.compile(rf"^{UUID_PATTERN}$")


class GuidelineNotFound(LookupError):
    """Nothing to cite; the message says what was missing (it never reveals hidden pages)."""


def _is_guideline_document(page):
    return isinstance(page, GuidelineDocumentPageMixin)


def find_document(request, document_id, locale=None):
    """The guideline document ``document_id``, or its translation in ``locale`` (a language
    code), as its specific class, if the caller may see it; else :class:`GuidelineNotFound`."""
    page = Page.objects.filter(pk=document_id).select_related("locale").first()
    page = page.specific if page is not None else None
    if page is None or not _is_guideline_document(page) or not get_scope(request).is_visible(page):
        raise GuidelineNotFound(f"No guideline document with id {document_id}.")
    if not locale or locale == page.locale.language_code:
        return page
    target = Locale.objects.filter(language_code=locale).first()
    if target is None:
        raise GuidelineNotFound(f"Unknown locale {locale!r}.")
    translation_ = page.get_translation_or_none(target)
    translation_ = translation_.specific if translation_ is not None else None
    if translation_ is None or not get_scope(request).is_visible(translation_):
        raise GuidelineNotFound(
            f"Guideline document {document_id} has no translation in locale {locale!r}."
        )
    return translation_


def _full_url(page, request):
    try:
        return page.get_full_url(request)  # None when the page is in no site
    except NoReverseMatch:  # a URL configuration without Wagtail's page route
        return None


def cite(request, document_id, reference, locale=None):
    """The citation of guideline ``reference`` ("II.3" or its id) of document
    ``document_id`` in ``locale`` (default: the document's own), as the API serves it::

        {"document": {"id", "title", "url"},
         "direction": {"id", "number", "title"},
         "guideline": {"id", "number", "heading", "title", "role", "actor", "text", "url"},
         "locale": "en",
         "citation": "ALMA 2019 Final Document, II.3"}

    Raises :class:`GuidelineNotFound` with a message for anything unknown or hidden.
    """
    document = find_document(request, document_id, locale)
    scope = get_scope(request)
    scope.mark_shown(document)  # its publication date is the Last-Modified
    reference = str(reference).strip()
    if _UUID.match(reference):
        reference = str(uuid.UUID(reference))  # ids are stored lower-case
    try:
        direction, guideline = document.get_guideline(reference)
    except LookupError:
        raise GuidelineNotFound(f"No guideline {reference!r} in {document.title!r}.") from None
    document_url = _full_url(document, request)
    # "RLA acting as Visionary" and other labels in the document's language.
    with translation.override(document.locale.language_code):
        return {
            "document": {"id": document.pk, "title": document.title, "url": document_url},
            "direction": {
                "id": direction.id,
                "number": direction.number,
                "title": direction.title or "",
            },
            "guideline": {
                "id": guideline.id,
                "number": guideline.number,
                "heading": str(guideline.heading),
                "title": guideline.title,
                "role": guideline.role,
                "actor": rep.organization_representation(scope, guideline.actor),
                "text": rep.rich_text_html(scope, guideline.text),
                "url": f"{document_url}#guideline-{guideline.id}" if document_url else None,
            },
            "locale": document.locale.language_code,
            "citation": f"{document.title}, {guideline.number}",
        }


# --- API v2: a plain Django view ----------------------------------------------------------


@cache_api_response
def guideline_view(request, document_id, reference):
    """``GET <prefix><document_id>/<reference>?locale=ru``: the citation as JSON, or 404
    ``{"message": ...}`` like Wagtail's API v2. Cached like every public API response
    (``alma_cms.api.caching``: ETag, Last-Modified, Cache-Control, 304s)."""
    if request.method not in ("GET", "HEAD"):
        response = JsonResponse({"message": "Method not allowed."}, status=405)
        response["Allow"] = "GET, HEAD"
        return response
    try:
        data = cite(request, document_id, reference, locale=request.GET.get("locale") or None)
    except GuidelineNotFound as exc:
        return JsonResponse({"message": str(exc)}, status=404)
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


app_name = "alma_cms_guidelines"
urlpatterns = [
    path("<int:document_id>/<str:reference>", guideline_view, name="guideline"),
    # Anything else (no id, no reference, a trailing slash): a JSON 404, not the page routes.
    catch_all(
        json_not_found(
            "No guideline at this URL: cite one as <document id>/<number or guideline id> "
            "under this prefix, e.g. 12/II.3."
        ),
        "not-found",
    ),
]
