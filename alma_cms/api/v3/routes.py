"""The alma-cms routes of API v3, mounted at ``/alma/`` (see :func:`..installation.install`)."""

from django.http import Http404, HttpRequest, JsonResponse
from ninja import Router
from pydantic import PositiveInt
from wagtail.api.v3.auth import AllowAnonymous, BearerTokenAuth

from ...scope import get_scope
from .. import guidelines
from ..caching import apply_http_caching

router = Router(tags=["alma"])

GUIDELINE_OPERATION_ID = "alma_guideline_detail"


@router.get(
    "/guidelines/{document_id}/{reference}",
    url_name="alma_guideline_detail",
    operation_id=GUIDELINE_OPERATION_ID,
    summary="One guideline, to cite",
    description=(
        "One guideline of a guideline document, by its number (`II.3`, any case) or its stable "
        "id, with the title of its direction and of the document and a ready citation. "
        "`locale` serves the same guideline from the document's translation in that language "
        "(default: the document's own). Unknown or unpublished documents, numbers and ids, "
        "and documents behind a view restriction, give 404."
    ),
    auth=[BearerTokenAuth(), AllowAnonymous()],
)
def guideline_detail(
    request: HttpRequest,
    document_id: PositiveInt,
    reference: str,
    locale: str | None = None,
):
    with get_scope(request).activated() as scope:
        try:
            data = guidelines.cite(request, document_id, reference, locale=locale)
        except guidelines.GuidelineNotFound as exc:
            raise Http404(str(exc)) from exc
        # ETag, Last-Modified, Cache-Control and 304s like every public alma-cms response.
        return apply_http_caching(
            request,
            JsonResponse(data),
            last_modified=scope.last_modified,
            public=not scope.sees_restricted_content,
        )
