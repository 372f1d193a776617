"""Installing alma-cms on a django-ninja API: the ``/alma/`` router and the typed OpenAPI."""

import functools

from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from ninja.errors import ConfigError

from ..not_found import catch_all
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
      requested, so blocks that hooks add are covered;
    - ends ``api.urls`` with a catch-all (:mod:`alma_cms.api.not_found`): any other path under
      the API's mount is the API's own 404 (``application/problem+json``), not a fall-through
      to the page routes (a language redirect to an HTML 404).

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
    if hasattr(api, "_get_urls"):  # django-ninja's (private): without it, no catch-all
        api._get_urls = _with_catch_all(api)
    setattr(api, INSTALLED_ATTRIBUTE, True)
    return api


def _with_catch_all(api):
    """``api._get_urls`` (django-ninja: every route of ``api.urls``) plus a last catch-all."""
    original = api._get_urls

    def not_found(request):
        return api.on_exception(request, Http404("No API endpoint at this URL."))

    @functools.wraps(original)
    def get_urls():
        return [*original(), catch_all(not_found, "alma_not_found")]

    return get_urls


def installed_wagtail_api():
    """Wagtail's API v3 (``wagtail.api.v3.api.api``) with alma-cms installed."""
    # On demand: importing Wagtail's module builds its API, which only the URLconf needs.
    from wagtail.api.v3.api import api

    return install(api)
