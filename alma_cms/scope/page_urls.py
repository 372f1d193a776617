"""Page URLs with one URL reversal per language and request, not one per page.

Wagtail's ``Page.get_url`` reverses ``wagtail_serve`` for every page (under
``translation.override``): ~40 µs a page, for the hundreds of speakers a listing of editions
shows. The reversed path of a page is the reversed path of the site root's tail ``""`` followed
by the page's ``url_path`` below the root whenever that tail is plain ASCII (letters, digits,
``_``, ``-``, ``/``: nothing for ``reverse`` to quote) and the URL pattern maps it so, which
is checked once per language with a probe. Anything else (custom ``get_url``/``get_url_parts``,
a page in several sites, unicode slugs, a pattern that maps otherwise) takes Wagtail's way.
"""

import re

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Page, Site
from wagtail.models import pages as wagtail_pages

_PLAIN_TAIL = re.compile(r"(?:[A-Za-z0-9_-]+/)*")
_PROBE = "probe-1_a/b/"
# Returned when the page's URL must be worked out by Wagtail.
UNHANDLED = object()


class PageUrls:
    """The ``wagtail_serve`` prefixes of one request, by language (a scope mixin)."""

    def __init__(self):
        self._serve_prefixes = {}

    def _serve_prefix(self, language_code):
        """``reverse("wagtail_serve", args=("",))`` in ``language_code`` (None: Wagtail's i18n
        is off, so in the active language), or None when a page's path is not that followed by
        its tail (or nothing reverses)."""
        key = language_code if language_code is not None else ("active", translation.get_language())
        if key not in self._serve_prefixes:
            try:
                if language_code is None:
                    prefix = reverse("wagtail_serve", args=("",))
                    probe = reverse("wagtail_serve", args=(_PROBE,))
                else:
                    with translation.override(language_code):
                        prefix = reverse("wagtail_serve", args=("",))
                        probe = reverse("wagtail_serve", args=(_PROBE,))
            except NoReverseMatch:
                prefix = probe = None
            self._serve_prefixes[key] = prefix if probe == f"{prefix}{_PROBE}" else None
        return self._serve_prefixes[key]

    def plain_page_url(self, page, request):
        """``page.get_url(request=request)``, or ``UNHANDLED`` where only Wagtail's own code
        gives it (see the module's docstring)."""
        parts = self._plain_url_parts(page, request)
        if parts is None or parts is UNHANDLED:
            return parts
        site_id, root_url, page_path, root_paths = parts
        current_site = Site.find_for_request(request) if request is not None else None
        if (current_site is not None and site_id == current_site.id) or len(
            {srp[0] for srp in root_paths}
        ) == 1:
            return page_path
        return root_url + page_path

    def plain_full_url(self, page, request):
        """``page.get_full_url(request=request)``, or ``UNHANDLED`` where only Wagtail's own
        code gives it."""
        parts = self._plain_url_parts(page, request)
        if parts is None or parts is UNHANDLED:
            return parts
        _site_id, root_url, page_path, _root_paths = parts
        return root_url + page_path

    def _plain_url_parts(self, page, request):
        """``(site id, root URL, page path, site root paths)`` as Wagtail's ``get_url_parts``
        gives the first three, None when the page is in no site, or ``UNHANDLED``."""
        page_class = type(page)
        if page_class.get_url is not Page.get_url or page_class.get_url_parts is not (
            Page.get_url_parts
        ):
            return UNHANDLED
        root_paths = page._get_site_root_paths(request)
        url_path = page.url_path
        possible = [srp for srp in root_paths if url_path.startswith(srp.root_path)]
        if not possible:
            return None
        if len({srp.site_id for srp in possible}) > 1:
            return UNHANDLED
        site_id, root_path, root_url, language_code = possible[0]
        tail = url_path[len(root_path) :]
        if not _PLAIN_TAIL.fullmatch(tail):
            return UNHANDLED
        if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            active = translation.get_language()
            try:
                if get_supported_content_language_variant(active) == language_code:
                    language_code = active
            except LookupError:
                pass
        else:
            language_code = None
        prefix = self._serve_prefix(language_code)
        if prefix is None:
            return UNHANDLED
        page_path = prefix + tail
        if not wagtail_pages.WAGTAIL_APPEND_SLASH and page_path != "/":
            page_path = page_path.rstrip("/")
        return site_id, root_url, page_path, root_paths
