"""Absolute URLs: the one rule for every ``http(s)://`` URL alma-cms writes (docs/absolute-urls.md).

- **A page** is at the address of its Site record (hostname and port): ``page.get_full_url(
  request)``. Used for ``html_url``, JSON-LD ``@id`` and ``url``, iCal ``URL:``, ``hreflang``
  links and guideline URLs.
- **Everything else the server serves**: image renditions, documents and API URLs (``detail_url``,
  the v2 ``find`` redirect) start with the *server origin*: ``WAGTAILAPI_BASE_URL`` (its scheme
  and host), else the root URL of the Site answering the request, else of the default Site.
  This is the rule of Wagtail's own API (``wagtail.api.utils.get_base_url``: ``detail_url``,
  ``find``, documents' ``download_url``, in v2 and v3), which alma-cms follows for media too;
  ``WAGTAILADMIN_BASE_URL`` (the admin's address, for notification emails) plays no part.
  ``WAGTAILAPI_BASE_URL = ""`` keeps these URLs relative, as in Wagtail.

Set the default Site and ``WAGTAILAPI_BASE_URL`` to the public address and every absolute URL
points at it.
"""

from urllib.parse import urlsplit

from django.conf import settings
from wagtail.models import Site


def server_origin(request=None):
    """``"scheme://host[:port]"`` that media and API URLs start with, by the rule above, or
    ``""`` when there is none (``WAGTAILAPI_BASE_URL = ""``, or no Site answers). ``request``:
    the Django request being answered (its Site is cached on it: at most one query); without
    one, the default Site (one query)."""
    base_url = getattr(settings, "WAGTAILAPI_BASE_URL", None)
    if base_url is None:
        if request is not None:
            site = Site.find_for_request(request)
        else:
            site = Site.objects.filter(is_default_site=True).first()
        base_url = site.root_url if site is not None else ""
    if not base_url:
        return ""
    parts = urlsplit(str(base_url))
    return f"{parts.scheme}://{parts.netloc}"


def absolute_url(url, origin):
    """``url`` (a path such as ``/media/images/x.png``) prefixed with ``origin`` (what
    :func:`server_origin` gives); an absolute URL (e.g. from a storage with an absolute
    ``MEDIA_URL``), an empty one or an empty ``origin`` leave ``url`` as it is."""
    if url and origin and url.startswith("/") and not url.startswith("//"):
        return origin + url
    return url
