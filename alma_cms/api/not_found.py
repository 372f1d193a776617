"""JSON 404s for unknown URLs under an API's mount.

A URL under ``/api/v2/`` that no API route matches would fall through to the page routes (the
``i18n_patterns`` catch-all): Django's ``LocaleMiddleware`` redirects it to ``/en/api/v2/...``
and the client ends with an HTML 404 page. Each API URLconf alma-cms offers therefore ends with
:func:`catch_all`, a pattern matching any path left, answered with the API's own 404:

- API v2 (``AlmaAPIRouter.urls``) and the v2 guideline URLs (``alma_cms.api.guidelines``):
  ``{"message": ...}``, status 404, like Wagtail's API v2 (:func:`json_not_found`);
- API v3 (``alma_cms.api.v3.api``): the API's own ``Http404`` answer (RFC 7807
  ``application/problem+json``), see :func:`alma_cms.api.v3.installation.install`.

Every method gets the 404 (the view is CSRF-exempt, like the API's). One exception keeps
Django's ``APPEND_SLASH``: a ``GET``/``HEAD`` of a real endpoint's URL without its trailing
slash (``/api/v2/pages``) is still redirected to it (``/api/v2/pages/``), as
``CommonMiddleware`` did before the catch-all made that URL resolve.

Routes mounted under the same prefix *after* an API's URLs are shadowed: mount them before.
"""

from django.conf import settings
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, re_path, resolve
from django.utils.http import escape_leading_slashes
from django.views.decorators.csrf import csrf_exempt

from .caching import apply_http_caching

__all__ = ["CATCH_ALL_ATTRIBUTE", "catch_all", "json_not_found", "slash_redirect"]

#: Set on the views of :func:`catch_all` patterns (how :func:`slash_redirect` tells them apart).
CATCH_ALL_ATTRIBUTE = "alma_cms_catch_all"


def catch_all(view, name):
    """A URL pattern matching every path (list it last), answered by ``view(request)``."""

    def not_found(request, unknown_path=""):
        return slash_redirect(request) or view(request)

    not_found = csrf_exempt(not_found)
    setattr(not_found, CATCH_ALL_ATTRIBUTE, True)
    return re_path(r"^(?P<unknown_path>.*)\Z", not_found, name=name)


def slash_redirect(request):
    """Django's ``APPEND_SLASH`` redirect for a ``GET``/``HEAD`` of ``<a real route>`` without
    its slash (a route other than a catch-all answers ``<path>/``), else ``None``."""
    path = request.path_info
    if not settings.APPEND_SLASH or path.endswith("/") or request.method not in ("GET", "HEAD"):
        return None
    try:
        match = resolve(f"{path}/")
    except Resolver404:
        return None
    if getattr(match.func, CATCH_ALL_ATTRIBUTE, False):
        return None
    return HttpResponsePermanentRedirect(
        escape_leading_slashes(request.get_full_path(force_append_slash=True))
    )


def json_not_found(message):
    """A view answering ``{"message": message}`` with status 404 (``no-cache``), the shape of
    every API v2 error."""

    def view(request):
        response = JsonResponse({"message": message}, status=404)
        return apply_http_caching(request, response)

    return view
