"""HTTP caching of public API responses: ``ETag``, ``Last-Modified``, ``Cache-Control`` and 304s.

Usable by every alma-cms endpoint that serves public content (API v2 and v3, JSON-LD, iCal):

- ``HTTPCacheMixin`` for Django REST framework views and viewsets;
- ``cache_api_response`` (decorator) for plain Django views;
- ``apply_http_caching(request, response, ...)`` for anything else.

A successful (200) ``GET``/``HEAD`` response gets

- ``ETag``: a strong validator, the quoted SHA-256 of the body;
- ``Last-Modified``: the latest ``last_published_at`` of the pages the response shows, when the
  view reports it (by default: every page recorded in the request scope — the pages serialized
  and the pages they refer to, see ``RequestScope.mark_shown``);
- ``Cache-Control: public, max-age=<ALMA_CMS["API_CACHE_MAX_AGE"]>``, or
  ``private, no-cache`` when the caller sees content an anonymous caller would not (it passed a
  view restriction: logged in, in the right group, or gave a page password).

A request whose ``If-None-Match`` matches the ETag (or, without ``If-None-Match``, whose
``If-Modified-Since`` is not older than ``Last-Modified``) gets ``304 Not Modified`` with the same
validators and no body. Redirects get ``Cache-Control`` only; errors get ``no-cache``.
"""

import hashlib
from functools import wraps

from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from ..conf import alma_settings
from ..scope import get_scope
from . import representation_cache

REDIRECT_STATUSES = {301, 302, 303, 307, 308}


def body_etag(content):
    """A strong ETag for a response body (bytes)."""
    return f'"{hashlib.sha256(content).hexdigest()}"'


def apply_http_caching(request, response, *, last_modified=None, public=True, max_age=None):
    """Add validators and ``Cache-Control`` to ``response`` and answer a conditional request.

    ``request``: the Django (or DRF) request; ``response``: an ``HttpResponse`` (a DRF or
    template response is rendered first); ``last_modified``: an aware ``datetime`` or None;
    ``public``: False for responses that depend on who asks; ``max_age``: seconds (default
    ``ALMA_CMS["API_CACHE_MAX_AGE"]``). Returns ``response`` or a 304 response.
    """
    if request.method not in ("GET", "HEAD"):
        return response
    if max_age is None:
        max_age = alma_settings.API_CACHE_MAX_AGE
    status = response.status_code

    if status == 200 and not response.streaming:
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
        _set_cache_control(response, public, max_age)
        etag = body_etag(response.content)
        response.headers["ETag"] = etag
        timestamp = None
        if last_modified is not None:
            timestamp = int(last_modified.timestamp())
            response.headers["Last-Modified"] = http_date(timestamp)
        return get_conditional_response(
            request, etag=etag, last_modified=timestamp, response=response
        )
    if status in REDIRECT_STATUSES:
        _set_cache_control(response, public, max_age)
    elif "Cache-Control" not in response.headers:
        patch_cache_control(response, no_cache=True)
    return response


def _set_cache_control(response, public, max_age):
    if public:
        patch_cache_control(response, public=True, max_age=max_age)
    else:
        patch_cache_control(response, private=True, no_cache=True)


def cache_api_response(view=None, *, max_age=None, last_modified=None, public=None):
    """Decorator for a Django view function serving public content.

    The view runs inside its request's scope (``RequestScope.activated``), so
    representations and ``RequestScope.mark_shown`` can record which pages it shows.

    ``last_modified``: ``callable(request, response) -> datetime | None``; default: the latest
    ``last_published_at`` of the pages recorded in the scope. ``public``:
    ``callable(request, response) -> bool``; default: True unless the caller passes a view
    restriction. ``max_age``: seconds, default ``ALMA_CMS["API_CACHE_MAX_AGE"]``.

    Use as ``@cache_api_response`` or ``@cache_api_response(max_age=300)``.
    """

    def decorator(func):
        @wraps(func)
        def wrapped(request, *args, **kwargs):
            with get_scope(request).activated() as scope:
                response = func(request, *args, **kwargs)
                modified = (
                    last_modified(request, response)
                    if last_modified is not None
                    else scope.last_modified
                )
                is_public = (
                    public(request, response)
                    if public is not None
                    else not scope.sees_restricted_content
                )
                return apply_http_caching(
                    request,
                    response,
                    last_modified=modified,
                    public=is_public,
                    max_age=max_age,
                )

        return wrapped

    return decorator(view) if view is not None else decorator


class HTTPCacheMixin:
    """For a DRF ``APIView``/``ViewSet``: runs the request in its scope and applies
    ``apply_http_caching`` to the final response.

    Override ``get_last_modified(request, response)`` and
    ``is_public_response(request, response)`` to change what they report (defaults: the scope's
    ``last_modified`` and ``not scope.sees_restricted_content``); ``cache_max_age`` (seconds,
    default ``None``: the setting).
    """

    cache_max_age = None
    # The representation cache (``alma_cms.api.representation_cache``): the API version in its
    # keys (None: never cached), the actions it serves, and whether every action of the view
    # lists objects (then a response depends on every change, not only the pages it shows).
    representation_cache_api = None
    representation_cache_actions = ("listing_view", "detail_view")
    representation_cache_lists = False

    def dispatch(self, request, *args, **kwargs):
        scope = get_scope(request)
        with scope.activated():
            action = self._representation_cache_action(request)
            if action is None:
                return super().dispatch(request, *args, **kwargs)
            return representation_cache.serve(
                request,
                self.representation_cache_api,
                lambda: super(HTTPCacheMixin, self).dispatch(request, *args, **kwargs),
                listing=self.representation_cache_lists or action != "detail_view",
                scope=scope,
            )

    def _representation_cache_action(self, request):
        """The viewset action the representation cache may answer, or None."""
        if self.representation_cache_api is None:
            return None
        actions = getattr(self, "action_map", None) or {}
        action = actions.get(request.method.lower()) or actions.get("get")
        return action if action in self.representation_cache_actions else None

    def get_last_modified(self, request, response):
        return get_scope(request).last_modified

    def is_public_response(self, request, response):
        return not get_scope(request).sees_restricted_content

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD"):
            return response
        if response.status_code == 200 or response.status_code in REDIRECT_STATUSES:
            last_modified = self.get_last_modified(request, response)
            public = self.is_public_response(request, response)
        else:
            last_modified, public = None, False
        return apply_http_caching(
            request,
            response,
            last_modified=last_modified,
            public=public,
            max_age=self.cache_max_age,
        )
