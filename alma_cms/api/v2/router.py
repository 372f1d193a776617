"""The v2 router: pages, images, documents and organizations under one URL namespace."""

from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import BaseAPIViewSet

from ..not_found import catch_all, json_not_found
from .views import (
    DocumentsAPIViewSet,
    ImagesAPIViewSet,
    OrganizationsAPIViewSet,
    PagesAPIViewSet,
)

ENDPOINTS = {
    "pages": PagesAPIViewSet,
    "images": ImagesAPIViewSet,
    "documents": DocumentsAPIViewSet,
    "organizations": OrganizationsAPIViewSet,
}


# An id no site has, found in the reversed URL to make a template of it.
_PROBE_ID = 987654321


class AlmaAPIRouter(WagtailAPIRouter):
    """Wagtail's router, with detail URL paths from one ``reverse`` per endpoint, language,
    script prefix and URLconf (``detail_url`` is reversed two or three times per item: a
    listing of 20 quotations made 42 reversals, ~7 % of it).

    Its URLs end with a catch-all (:mod:`alma_cms.api.not_found`): any other path under the
    router's mount is a JSON 404 ``{"message": ...}``, not a fall-through to the page routes
    (a language redirect to an HTML 404)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._detail_templates = {}

    def get_urlpatterns(self):
        endpoints = ", ".join(f"{name}/" for name in self._endpoints)
        message = f"No API endpoint at this URL (endpoints: {endpoints})."
        return [*super().get_urlpatterns(), catch_all(json_not_found(message), "not-found")]

    def get_object_detail_urlpath(self, model, pk):
        endpoint = self.get_model_endpoint(model)
        if not endpoint:
            return None
        name, endpoint_class = endpoint[0], endpoint[1]
        overridden = endpoint_class.get_object_detail_urlpath.__func__ is not (
            BaseAPIViewSet.get_object_detail_urlpath.__func__
        )
        if overridden or type(pk) is not int:
            return super().get_object_detail_urlpath(model, pk)
        key = (name, get_script_prefix(), translation.get_language(), get_urlconf())
        template = self._detail_templates.get(key)
        if template is None:
            probe = reverse(f"{self.url_namespace}:{name}:detail", args=(_PROBE_ID,))
            parts = probe.split(str(_PROBE_ID))
            template = self._detail_templates[key] = tuple(parts) if len(parts) == 2 else ()
        if not template:
            return super().get_object_detail_urlpath(model, pk)
        return f"{template[0]}{pk}{template[1]}"


def build_api_router(namespace="wagtailapi", endpoints=None):
    """An ``AlmaAPIRouter`` (Wagtail's ``WagtailAPIRouter``, with cheaper detail URLs) with
    the alma-cms endpoints (``endpoints``: a dict of name → viewset to add or replace some)."""
    router = AlmaAPIRouter(namespace)
    for name, viewset in {**ENDPOINTS, **(endpoints or {})}.items():
        router.register_endpoint(name, viewset)
    return router


api_router = build_api_router()
