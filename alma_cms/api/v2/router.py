"""The v2 router: pages, images, documents and organizations under one URL namespace."""

from wagtail.api.v2.router import WagtailAPIRouter

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


def build_api_router(namespace="wagtailapi", endpoints=None):
    """A ``WagtailAPIRouter`` with the alma-cms endpoints (``endpoints``: a dict of name →
    viewset to add or replace some)."""
    router = WagtailAPIRouter(namespace)
    for name, viewset in {**ENDPOINTS, **(endpoints or {})}.items():
        router.register_endpoint(name, viewset)
    return router


api_router = build_api_router()
