"""Installing alma-cms on a django-ninja API: the ``/alma/`` router and the typed OpenAPI."""

import functools

from django.core.exceptions import ImproperlyConfigured
from ninja.errors import ConfigError

from .openapi import type_openapi_schema
from .pages import install_on_pages_router, reject_null_characters
from .routes import router
from .search import install_search

INSTALLED_ATTRIBUTE = "_alma_cms_installed"


def install(api, prefix="/alma/"):
    """Add alma-cms to ``api`` (a ``NinjaAPI``; normally Wagtail's ``wagtail.api.v3.api.api``).

    - mounts :data:`alma_cms.api.v3.routes.router` at ``prefix``;
    - applies alma-cms's visibility rules, bulk loading and HTTP caching to Wagtail's pages
      router (see :mod:`alma_cms.api.v3.pages`);
    - gives every v3 listing that searches alma-cms's search (one language, autocomplete,
      ``order`` over relevance; see :mod:`alma_cms.api.v3.search`);
    - refuses query parameters holding NUL characters on every operation, with a 422 naming
      the parameter, where Wagtail would answer 500;
    - wraps ``api.get_openapi_schema`` so that the published document types alma-cms content
      (see :func:`alma_cms.api.v3.openapi.type_openapi_schema`), computed when the document is
      requested, so blocks that hooks add are covered.

    Idempotent. Must run before ``api.urls`` is first read (django-ninja takes no router after
    that): import ``alma_cms.api.v3`` in the URLconf that mounts the API.
    """
    if getattr(api, INSTALLED_ATTRIBUTE, False):
        return api
    try:
        install_on_pages_router()
        install_search()
        api.add_router(prefix, router)
        api.add_decorator(reject_null_characters, mode="operation")
    except ConfigError as exc:
        raise ImproperlyConfigured(
            f"alma-cms cannot be installed on {api!r}: {exc} Mount the API with "
            "`from alma_cms.api.v3 import api` (or add 'alma_cms.api.v3' to INSTALLED_APPS) so "
            "that alma-cms is installed before `api.urls` is read."
        ) from exc

    original = api.get_openapi_schema

    @functools.wraps(original)
    def get_openapi_schema(*args, **kwargs):
        return type_openapi_schema(original(*args, **kwargs))

    api.get_openapi_schema = get_openapi_schema
    setattr(api, INSTALLED_ATTRIBUTE, True)
    return api


def installed_wagtail_api():
    """Wagtail's API v3 (``wagtail.api.v3.api.api``) with alma-cms installed."""
    # On demand: importing Wagtail's module builds its API, which only the URLconf needs.
    from wagtail.api.v3.api import api

    return install(api)
