"""``RequestScope``: one caller's view of the content while one request is answered."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

from .absolute_urls import absolute_url, server_origin
from .last_modified import ShownPages
from .loader import BulkLoader
from .locales import Locales
from .page_urls import UNHANDLED, PageUrls
from .rich_text import RichTextRendering
from .visibility import Visibility

_active = ContextVar("alma_cms_active_scope", default=None)
_REQUEST_ATTRIBUTE = "_alma_cms_request_scope"


class RequestScope(Visibility, Locales, BulkLoader, RichTextRendering, ShownPages, PageUrls):
    """Visibility rule, locales, bulk loader, rich-text rendering and Last-Modified for one
    caller (``request``: a Django or DRF request; None: an anonymous caller) at one moment."""

    def __init__(self, request=None):
        self.request = getattr(request, "_request", request)  # the HttpRequest behind DRF's
        self.now = timezone.now()
        self._anonymous = None
        # The request whose Site absolute URLs follow, also for the anonymous scope made from
        # it (same address, an anonymous caller's rules); see ``urls_follow``.
        self._url_request = request
        self._server_origin = None
        Visibility.__init__(self)
        Locales.__init__(self)
        BulkLoader.__init__(self)
        RichTextRendering.__init__(self)
        ShownPages.__init__(self)
        PageUrls.__init__(self)

    def anonymous(self):
        """A scope with an anonymous caller's rules (for JSON-LD, iCal, anything meant for
        everyone): this scope itself whenever the caller sees nothing an anonymous caller would
        not (the usual case), so the caches are shared."""
        if self.request is None or not self.sees_restricted_content:
            return self
        if self._anonymous is None:
            self._anonymous = RequestScope(None)
            self._anonymous._url_request = self._url_request
        return self._anonymous

    def listing_of(self, page):
        """What the index page ``page`` lists, as a list: ``page.get_listing(scope)`` (a method
        the page type declares) for this scope's anonymous caller, computed once per scope, so
        that the page's HTML and its JSON-LD share one listing."""
        scope = self.anonymous()
        return scope.computed_once(("listing", page.pk), lambda: list(page.get_listing(scope)))

    def page_url(self, page):
        """The page's URL (relative when the site has one hostname)."""
        url = self.plain_page_url(page, self.request)
        return page.get_url(request=self.request) if url is UNHANDLED else url

    def full_page_url(self, page, request=None):
        """``page.get_full_url(request=request)`` (default: the scope's request), with one
        URL reversal per language (``page_urls``)."""
        request = request if request is not None else self.request
        url = self.plain_full_url(page, request)
        return page.get_full_url(request=request) if url is UNHANDLED else url

    def urls_follow(self, request):
        """Take the Site for absolute URLs from ``request``, the same request as this scope's
        in another wrapper: an API v2 view passes DRF's, on which Wagtail caches the Site it
        finds for ``detail_url`` (then one query finds it for both)."""
        self._url_request = request
        if self._anonymous is not None:
            self._anonymous._url_request = request

    def server_url(self, url):
        """``url``, the path of something the server serves (an image rendition, a document),
        made absolute with the server origin (``WAGTAILAPI_BASE_URL``, else the request's
        Site; see ``alma_cms.scope.absolute_urls``), worked out once per scope."""
        if self._server_origin is None:
            self._server_origin = server_origin(self._url_request)
        return absolute_url(url, self._server_origin)

    @contextmanager
    def activated(self):
        """Make this the scope ``get_scope()`` returns without a request, for the block: for
        code that has no request at hand, such as Wagtail's API v3 calling DRF fields."""
        token = _active.set(self)
        try:
            yield self
        finally:
            _active.reset(token)


def get_scope(request=None):
    """The scope to use: the request's own (created on first use and kept on the request, so
    everything that answers the request shares one cache); without a request, the scope
    activated for this context, else a new anonymous scope (which costs its own queries:
    callers that show many things pass a request or a scope)."""
    if request is None:
        return _active.get() or RequestScope(None)
    request = getattr(request, "_request", request)
    scope = getattr(request, _REQUEST_ATTRIBUTE, None)
    if scope is None:
        scope = RequestScope(request)
        setattr(request, _REQUEST_ATTRIBUTE, scope)
    return scope


def scope_from_context(context):
    """The scope of a serializer, block or template ``context`` (a dict-like with an optional
    ``request``): ``get_scope(context["request"])``."""
    request = context.get("request") if context is not None else None
    return get_scope(request)
