"""Headless preview: the API endpoint that serves a page as of the revision a signed token
names, and the admin view that mints the token and sends the editor to the front-end.

Mount the endpoint beside the API router it should match::

    from alma_cms.preview_views import page_preview_view

    path("api/v2/preview/", page_preview_view(api_router), name="alma_cms_preview"),

``page_preview_view(router)`` builds the view on the router's own ``pages`` endpoint class
(alma-cms's ``PagesAPIViewSet`` with ``alma_cms.api.api_router``, Wagtail's with a stock router),
so ``GET /api/v2/preview/?token=<token>`` answers exactly like ``GET /api/v2/pages/<id>/`` would
for that page if the revision were published: same serializer machinery, ``api_fields``,
StreamField representations, ``?fields=`` and ``?rich_text_format=``; ``detail_url`` links
resolve through the router. The one addition is ``meta.preview`` (revision id and dates).
Responses are never cached (``Cache-Control: private, no-store``, no validators) nor indexed
(``X-Robots-Tag: noindex``).

Errors are JSON ``{"message": ..., "code": ...}``: 400 ``token_missing``, 403 ``token_invalid``
(altered, or signed with another key), 403 ``token_expired``, 410 ``revision_gone`` (the
revision or its page was deleted).
"""

from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from rest_framework.response import Response
from wagtail.api.v2.views import PagesAPIViewSet

from .api.v2.router import api_router
from .conf import alma_settings
from .preview import (
    PreviewError,
    get_preview_revision,
    page_model,
    preview_frontend_url,
    read_preview_token,
)

CACHE_CONTROL = "private, no-store"
ROBOTS = "noindex"
# Validators and caching headers a base viewset may add; a preview must not be revalidated.
DROPPED_HEADERS = ("ETag", "Last-Modified", "Expires")


def default_router():
    """``alma_cms.api.api_router``, the package's API v2 router."""
    return api_router


class PagePreviewMixin:
    """Turns a pages viewset (Wagtail's ``PagesAPIViewSet`` or a subclass) into the preview
    endpoint: its detail view, fed by a revision instead of the live page."""

    # The WagtailAPIRouter the page's links are resolved with (see page_preview_view).
    router = None
    # A preview is never kept in nor served from the representation cache.
    representation_cache_api = None

    def dispatch(self, request, *args, **kwargs):
        router = self.router or getattr(request, "wagtailapi_router", None) or default_router()
        if router is None:
            raise ImproperlyConfigured(
                "The preview endpoint needs the API router: page_preview_view(api_router)."
            )
        request.wagtailapi_router = router
        return super().dispatch(request, *args, **kwargs)

    def get_object(self):
        # Set by preview_view; never looked up among the live pages.
        return self._preview_object

    def serialize_preview(self, page):
        serialize = getattr(self, "serialize", None)
        if serialize is not None:  # alma-cms viewsets: bulk loading + serializer
            return serialize([page], many=False)
        return self.get_serializer(page).data

    def preview_view(self, request, token=None):
        token = token or request.GET.get("token", "")
        try:
            data = read_preview_token(token)
            revision = get_preview_revision(data)
        except PreviewError as exc:
            return Response({"message": exc.message, "code": exc.code}, status=exc.status)
        page = revision.as_object()
        self._preview_object = page
        payload = self.serialize_preview(page)
        payload.setdefault("meta", {})["preview"] = {
            "revision_id": revision.pk,
            "revision_created_at": revision.created_at,
            "is_latest_revision": revision.pk == page.latest_revision_id,
            "is_live_revision": revision.pk == revision.content_object.live_revision_id,
            "expires_at": data.expires_at,
        }
        return Response(payload)

    # alma-cms's HTTP caching (alma_cms.api.caching) asks these; a preview is never public.
    def is_public_response(self, request, response):
        return False

    def get_last_modified(self, request, response):
        return None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        for header in DROPPED_HEADERS:
            if header in response:
                del response[header]
        response["Cache-Control"] = CACHE_CONTROL
        response["X-Robots-Tag"] = ROBOTS
        response.setdefault("Referrer-Policy", "no-referrer")
        return response


class PagePreviewAPIViewSet(PagePreviewMixin, PagesAPIViewSet):
    """The preview endpoint on Wagtail's own ``PagesAPIViewSet``."""

    name = "preview"

    @classmethod
    def as_view(cls, actions=None, **initkwargs):
        return super().as_view(actions or {"get": "preview_view"}, **initkwargs)


_preview_classes = {}


def preview_viewset_class(base):
    """``PagePreviewMixin`` on top of the pages viewset ``base`` (one class per base)."""
    if issubclass(base, PagePreviewMixin):
        return base
    if base is PagesAPIViewSet:
        return PagePreviewAPIViewSet
    if base not in _preview_classes:
        _preview_classes[base] = type(
            f"{base.__name__}Preview",
            (PagePreviewMixin, base),
            {"__module__": __name__, "name": "preview"},
        )
    return _preview_classes[base]


def pages_endpoint(router):
    """The viewset class ``router`` serves pages with, or ``None``."""
    if router is None:
        return None
    found = router.get_model_endpoint(page_model())
    return found[1] if found else None


def page_preview_view(router=None, base=None):
    """The preview endpoint as a view, matching ``router``'s pages endpoint (or ``base``).

    ``router``: the ``WagtailAPIRouter`` of the API the front-end reads; default
    ``alma_cms.api.api_router``.
    """
    router = router or default_router()
    base = base or pages_endpoint(router) or PagesAPIViewSet
    return preview_viewset_class(base).as_view({"get": "preview_view"}, router=router)


# --- Admin ---------------------------------------------------------------------------------


def frontend_preview(request, page_id):
    """Admin view (``alma_cms_frontend_preview``): mint a token for the page's latest revision
    (or ``?revision=<id>`` of that page) and redirect to ``PREVIEW_FRONTEND_URL``.

    Mounted under the admin through ``register_admin_urls``, so Wagtail's admin access check
    runs first; on top of that only users who may edit the page get a token.
    """
    if not alma_settings.PREVIEW_FRONTEND_URL:
        raise Http404("Headless preview is not configured (ALMA_CMS['PREVIEW_FRONTEND_URL']).")
    page = get_object_or_404(page_model(), pk=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    if revision_id := request.GET.get("revision"):
        if not str(revision_id).isdigit():
            raise Http404("Unknown revision")
        revision = get_object_or_404(page.revisions, pk=int(revision_id))
    else:
        revision = page.get_latest_revision()
    if revision is None:
        messages.error(request, _("Save a draft of this page before previewing it."))
        return redirect("wagtailadmin_pages:edit", page.pk)
    response = redirect(preview_frontend_url(revision))
    # The token is in the Location header: keep it out of every cache.
    add_never_cache_headers(response)
    return response
