"""iCalendar (RFC 5545) feeds of forum editions, built with the ``icalendar`` library.

Every forum edition serves its own feed and the forum index serves one with all its live,
public editions, as routes of the pages (``RoutablePageMixin``):

- ``<edition URL>calendar/`` (e.g. ``/en/alma/alma-2021/calendar/``)
- ``<forum index URL>calendar/`` (e.g. ``/en/alma/calendar/``)

Wagtail's page URL pattern does not match a path with a dot in it, so URLs ending in
``calendar.ics`` need one more URL pattern: add ``path("", include("alma_cms.ical"))`` to your
URLconf before Wagtail's page URLs (inside ``i18n_patterns`` if the pages are there). The
``.ics`` URL then serves the same feed, through the same routing and view restrictions, and the
page templates link to it.

Editions are all-day events: ``DTSTART;VALUE=DATE`` is the first day and ``DTEND;VALUE=DATE``
the day after the last (the end is exclusive). The ``UID`` is the edition's translation key, a
UUID that every translation of the edition shares: the English and the Russian feed describe
the same event, so a calendar that imports both keeps one copy of it.

This module knows no page class: a feed's events are the pages of the index's listing that
declare ``is_calendar_event = True`` (as ``ForumEditionPageMixin`` does), and an event reads the
edition's fields (``start_date``, ``last_day``, ``venue``, ...). One scope answers a feed (passed
as ``scope``; the functions take it from ``get_scope`` otherwise), so a feed costs the same
number of queries whatever the number of its editions.
"""

from datetime import timedelta
from urllib.parse import urlsplit

import icalendar
from django.http import Http404, HttpResponse
from django.urls import Resolver404, re_path, resolve
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import content_disposition_header, http_date
from django.utils.text import slugify
from django.utils.translation import gettext

from .conf import alma_settings
from .scope import get_scope

PRODID = "-//alma-cms//Forum calendar//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"
ROUTE_NAME = "calendar"
ICS_URL_NAME = "alma_cms_calendar_ics"


# --- Building calendars ----------------------------------------------------------------------


def _timestamp(page):
    """When the page's data last changed (DTSTAMP/LAST-MODIFIED): its last publication."""
    return page.last_published_at or page.latest_revision_created_at or timezone.now()


def edition_event(edition, request=None, scope=None):
    """One ``VEVENT`` for a forum edition, in the active language. ``scope``: the request's
    (default: ``get_scope(request)``)."""
    scope = scope if scope is not None else get_scope(request)
    url = edition.get_full_url(request=request)
    event = icalendar.Event()
    event.add("uid", str(edition.translation_key))
    event.add("dtstamp", _timestamp(edition))
    if edition.last_published_at:
        event.add("last-modified", edition.last_published_at)
    if edition.first_published_at:
        event.add("created", edition.first_published_at)
    event.add("dtstart", edition.start_date)  # a date: DTSTART;VALUE=DATE
    event.add("dtend", edition.last_day + timedelta(days=1))  # exclusive
    event.add("summary", edition.title)
    event.add("description", _description(edition, url))
    location = ", ".join(part for part in (edition.venue, edition.city) if part)
    if not location and edition.format == "online":
        location = str(edition.get_format_display())
    if location:
        event.add("location", location)
    if url:
        event.add("url", url, parameters={"VALUE": "URI"})
    if edition.format in ("online", "hybrid") and edition.recording_url:
        event.add(
            "conference",
            edition.recording_url,
            parameters={"VALUE": "URI", "FEATURE": "VIDEO"},
        )
    if edition.display_series_title:  # a series the package does not name: no category
        event.add("categories", [edition.display_series_title])
    event.add("status", "CONFIRMED")
    event.add("transp", "TRANSPARENT")
    event.add("class", "PUBLIC" if scope.anonymous().is_visible(edition) else "PRIVATE")
    return event


def _description(edition, url):
    parts = []
    if edition.theme:
        parts.append(f"{gettext('Theme:')} {edition.theme}")
    if edition.summary:
        parts.append(edition.summary)
    if url:
        parts.append(url)
    return "\n\n".join(parts)


def _calendar(name, url, description=""):
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    if description:
        calendar.add("x-wr-caldesc", description)
    if url:
        calendar.add("url", url, parameters={"VALUE": "URI"})
    calendar.add("refresh-interval", timedelta(days=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "P1D")
    return calendar


def edition_calendar(edition, request=None, scope=None):
    """A ``VCALENDAR`` with the edition, computed in the edition's language."""
    with translation.override(edition.locale.language_code):
        calendar = _calendar(
            edition.title, edition.get_full_url(request=request), edition.display_series_title
        )
        calendar.add_component(edition_event(edition, request, scope))
    return calendar


def is_calendar_event(page):
    """True if ``page`` declares itself an event of the feeds (``is_calendar_event``)."""
    return bool(getattr(page, "is_calendar_event", False))


def index_editions(index, scope=None):
    """The editions an index feed lists: the children of its listing anyone may see that are
    calendar events, newest first. ``scope``: the feed's (default: ``get_scope()``)."""
    return [page for page in index.get_listing(scope) if is_calendar_event(page)]


def index_calendar(index, request=None, editions=None, scope=None):
    """A ``VCALENDAR`` with every live, public edition under a forum index."""
    scope = scope if scope is not None else get_scope(request)
    if editions is None:
        editions = index_editions(index, scope)
    with translation.override(index.locale.language_code):
        description = editions[0].display_series_title if editions else ""
        calendar = _calendar(index.title, index.get_full_url(request=request), description)
        for edition in editions:
            calendar.add_component(edition_event(edition, request, scope))
    return calendar


# --- Serving ---------------------------------------------------------------------------------


def feed_filename(page):
    return f"{slugify(page.slug) or 'calendar'}.ics"


def calendar_response(calendar, page, filename, last_modified=None, scope=None):
    """The feed as an HTTP response. Public pages' feeds may be cached for
    ``ALMA_CMS["API_CACHE_MAX_AGE"]`` seconds; a restricted page's feed is never cached."""
    response = HttpResponse(calendar.to_ical(), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(False, filename)
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    scope = scope if scope is not None else get_scope()
    if scope.anonymous().is_visible(page):
        patch_cache_control(response, public=True, max_age=alma_settings.API_CACHE_MAX_AGE)
    else:
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
    return response


def serve_edition_calendar(edition, request):
    scope = get_scope(request)
    # Wagtail serves a page whose expiry date has passed until publish_scheduled runs; its
    # feed is gone at once, like the page in the API and in the index's feed.
    if not scope.is_visible(edition):
        raise Http404("This edition is not published.")
    return calendar_response(
        edition_calendar(edition, request, scope),
        edition,
        feed_filename(edition),
        edition.last_published_at,
        scope,
    )


def serve_index_calendar(index, request):
    # The index lists what anyone may see (``get_listing``): an anonymous caller's scope, one
    # for the whole feed. (The request's own would read the session: ``Vary: Cookie``.)
    scope = get_scope()
    editions = index_editions(index, scope)
    stamps = [page.last_published_at for page in [index, *editions] if page.last_published_at]
    return calendar_response(
        index_calendar(index, request, editions, scope),
        index,
        feed_filename(index),
        max(stamps) if stamps else None,
        scope,
    )


# --- URLs ------------------------------------------------------------------------------------


def calendar_url(page, request=None):
    """The URL of a page's feed (site-relative where the page URL is): ``…/calendar.ics`` when
    that URL pattern is installed (see the module docstring), else ``…/calendar/``."""
    page_url = page.get_url(request=request)
    if not page_url:
        return None
    ics_url = page_url + "calendar.ics"
    locale = getattr(page, "locale", None)
    with translation.override(locale.language_code if locale else None):
        try:
            match = resolve(urlsplit(ics_url).path)
        except Resolver404:
            match = None
    if match is not None and match.url_name == ICS_URL_NAME:
        return ics_url
    return page_url + page.reverse_subpage(ROUTE_NAME)


def calendar_ics_view(request, path):
    """``<page path>calendar.ics``: the page route ``calendar/`` served through Wagtail's own
    page view, so live status, view restrictions and the serve hooks apply as for the page."""
    # Wagtail's views module loads the page model when imported, and this module is imported
    # while the page models are defined (by alma_cms.pages.mixins).
    from wagtail import views as wagtail_views

    route_path = f"{path}{ROUTE_NAME}/"
    response = wagtail_views.serve(request, route_path)
    match = getattr(request, "routable_resolver_match", None)
    if match is None or match.url_name != ROUTE_NAME:
        # The path led to an ordinary page (e.g. a child page called "calendar"): no feed.
        raise Http404
    return response


urlpatterns = [
    re_path(r"^((?:[\w\-]+/)*)calendar\.ics$", calendar_ics_view, name=ICS_URL_NAME),
]

__all__ = [
    "CONTENT_TYPE",
    "PRODID",
    "calendar_response",
    "calendar_url",
    "edition_calendar",
    "edition_event",
    "index_calendar",
    "index_editions",
    "is_calendar_event",
    "urlpatterns",
]
