"""Middleware for headless sites."""

from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's ``LocaleMiddleware`` without its redirect of JSON 404s.

    With ``i18n_patterns`` around Wagtail's catch-all page route, Django answers every unknown
    URL with a redirect to its language-prefixed twin. For the API that turns a JSON 404
    (``/api/v2/pages/999/``) into a redirect to an HTML 404; API clients must get the JSON 404.
    """

    def process_response(self, request, response):
        media_type = response.get("Content-Type", "").split(";")[0].strip()
        is_json = media_type == "application/json" or media_type.endswith("+json")
        if response.status_code == 404 and is_json:  # incl. application/problem+json (v3)
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", get_language())
            return response
        return super().process_response(request, response)
