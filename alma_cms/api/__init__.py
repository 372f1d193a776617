"""The alma-cms headless API.

Mount the v2 endpoints (pages, images, documents, organizations) in your ``urls.py``::

    from alma_cms.api import api_router

    urlpatterns = [path("api/v2/", api_router.urls), ...]

Names are imported lazily, so ``alma_cms.api.privacy`` and ``alma_cms.api.caching`` can be
imported early (e.g. from models or templates) without loading the views.
"""

from importlib import import_module

_EXPORTS = {
    "api_router": "alma_cms.api.v2.router",
    "build_api_router": "alma_cms.api.v2.router",
    "PagesAPIViewSet": "alma_cms.api.v2.views",
    "ImagesAPIViewSet": "alma_cms.api.v2.views",
    "DocumentsAPIViewSet": "alma_cms.api.v2.views",
    "OrganizationsAPIViewSet": "alma_cms.api.v2.views",
}

__all__ = list(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'alma_cms.api' has no attribute {name!r}")
