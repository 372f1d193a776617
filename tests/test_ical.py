"""iCalendar feeds of forum editions and of the forum index (``alma_cms.ical``).

The demo site (``alma_load_demo``) is loaded once for the module. Feeds are fetched through the
test client and parsed with ``icalendar``. This module is also a URLconf (``urlpatterns`` at the
bottom): tests marked ``urls("tests.test_ical")`` run with the optional ``…/calendar.ics`` URL
pattern installed before Wagtail's page URLs.
"""

from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

import icalendar
import pytest
from django.conf.urls.i18n import i18n_patterns
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.models import PageViewRestriction

from alma_cms.ical import CONTENT_TYPE, PRODID, index_calendar
from alma_cms.pages.models import ForumEditionPage, ForumIndexPage
from alma_cms.scope import get_scope
from tests.api.helpers import load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, media_root):
    """The demo site, loaded once for this module and rolled back afterwards."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_demo()
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            cache.clear()


def edition(year, language="en"):
    english = ForumEditionPage.objects.get(locale__language_code="en", year=year)
    if language == "en":
        return english
    return ForumEditionPage.objects.get(
        locale__language_code=language, translation_key=english.translation_key
    )


def forum_index(language="en"):
    return ForumIndexPage.objects.get(locale__language_code=language)


def fetch(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.content[:300])
    return response


def parse(response):
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar.name == "VCALENDAR"
    return calendar


def events(calendar):
    return [component for component in calendar.walk("VEVENT")]


def feed(client, page, suffix="calendar/"):
    return parse(fetch(client, page.url + suffix))


def the_event(calendar):
    found = events(calendar)
    assert len(found) == 1
    return found[0]


def is_all_day(value):
    return isinstance(value, date) and not isinstance(value, datetime)


# --- One edition -----------------------------------------------------------------------------


@pytest.mark.usefixtures("demo")
class TestEditionFeed:
    def test_2019_is_one_all_day_event(self, client):
        page = edition(2019)
        response = fetch(client, page.url + "calendar/")
        assert response["Content-Type"] == CONTENT_TYPE
        assert response["Content-Disposition"] == 'inline; filename="alma-2019.ics"'
        assert response["Cache-Control"] == "public, max-age=60"
        assert response["Last-Modified"]
        raw = response.content.decode()
        assert "\r\nDTSTART;VALUE=DATE:20190425\r\n" in raw
        assert "\r\nDTEND;VALUE=DATE:20190426\r\n" in raw  # exclusive: the day after
        calendar = parse(response)
        assert calendar["VERSION"] == "2.0"
        assert calendar["PRODID"] == PRODID
        assert calendar["METHOD"] == "PUBLISH"
        event = the_event(calendar)
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert is_all_day(start) and is_all_day(end)
        assert (start, end) == (date(2019, 4, 25), date(2019, 4, 26))
        assert str(event["SUMMARY"]) == "ALMA 2019"
        assert str(event["UID"]) == str(page.translation_key)
        assert str(event["URL"]) == page.get_full_url()
        assert str(event["LOCATION"]) == (
            "M.I. Rudomino All-Russia State Library for Foreign Literature, Moscow"
        )
        description = str(event["DESCRIPTION"])
        assert description.startswith(
            "Theme: Strong Professional Association – Strong Libraries – Strong Communities"
        )
        assert page.summary in description
        assert page.get_full_url() in description
        stamp = event.decoded("DTSTAMP")
        assert isinstance(stamp, datetime) and stamp.tzinfo is not None
        assert stamp == page.last_published_at.replace(microsecond=0)
        assert str(event["STATUS"]) == "CONFIRMED"
        assert str(event["CLASS"]) == "PUBLIC"

    def test_2021_is_one_all_day_event(self, client):
        page = edition(2021)
        event = the_event(feed(client, page))
        assert (event.decoded("DTSTART"), event.decoded("DTEND")) == (
            date(2021, 4, 20),
            date(2021, 4, 21),
        )
        assert str(event["SUMMARY"]) == "ALMA 2021"
        assert "Is Library a Leader or a Non-Player Character?" in str(event["DESCRIPTION"])
        assert "CONFERENCE" not in event  # no recording URL in the demo

    def test_several_days_end_the_day_after_the_last(self, client):
        page = edition(2021)
        page.end_date = date(2021, 4, 22)
        page.recording_url = "https://video.example.org/alma-2021"
        page.save_revision().publish()
        response = fetch(client, page.url + "calendar/")
        assert "\r\nDTEND;VALUE=DATE:20210423\r\n" in response.content.decode()
        event = the_event(parse(response))
        assert (event.decoded("DTSTART"), event.decoded("DTEND")) == (
            date(2021, 4, 20),
            date(2021, 4, 23),
        )
        assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(days=3)
        assert str(event["CONFERENCE"]) == "https://video.example.org/alma-2021"

    def test_online_edition_without_venue(self, client):
        page = edition(2021)
        page.format = "online"
        page.venue = page.city = ""
        page.save_revision().publish()
        event = the_event(feed(client, page))
        assert str(event["LOCATION"]) == "Online"

    def test_russian_feed_shares_the_uid(self, client):
        english, russian = edition(2021), edition(2021, "ru")
        response = fetch(client, russian.url + "calendar/")
        assert response["Content-Disposition"] == 'inline; filename="alma-2021.ics"'
        event = the_event(parse(response))
        assert str(event["UID"]) == str(english.translation_key)
        assert str(event["SUMMARY"]) == russian.title != english.title
        assert str(event["DESCRIPTION"]).startswith(f"Тема: {russian.theme}")
        assert str(event["URL"]) == russian.get_full_url()
        assert (event.decoded("DTSTART"), event.decoded("DTEND")) == (
            date(2021, 4, 20),
            date(2021, 4, 21),
        )

    @override_settings(ALMA_CMS={"API_CACHE_MAX_AGE": 900})
    def test_cache_max_age_follows_the_setting(self, client):
        response = fetch(client, edition(2019).url + "calendar/")
        assert response["Cache-Control"] == "public, max-age=900"
        response = fetch(client, forum_index().url + "calendar/")
        assert response["Cache-Control"] == "public, max-age=900"

    def test_pages_link_their_feed(self, client):
        # The link is <page URL>calendar/, or calendar.ics where the site mounts
        # alma_cms.ical (the sandbox does); either way it serves the feed.
        page = edition(2019)
        feed_url = page.get_calendar_url()
        assert feed_url in (page.url + "calendar/", page.url + "calendar.ics")
        html = fetch(client, page.url).content.decode()
        assert (
            '<link rel="alternate" type="text/calendar" title="Calendar (iCalendar)" '
            f'href="{feed_url}">'
        ) in html
        assert f'<a href="{feed_url}" type="text/calendar" download>' in html
        assert fetch(client, feed_url)["Content-Type"].startswith("text/calendar")
        index_feed_url = forum_index().get_calendar_url()
        html = fetch(client, forum_index().url).content.decode()
        assert f'href="{index_feed_url}"' in html
        russian = fetch(client, edition(2019, "ru").url).content.decode()
        assert "Добавить в календарь" in russian


# --- The forum index -------------------------------------------------------------------------


@pytest.mark.usefixtures("demo")
class TestIndexFeed:
    def test_index_lists_every_public_edition(self, client):
        index = forum_index()
        response = fetch(client, index.url + "calendar/")
        assert response["Content-Disposition"] == 'inline; filename="alma.ics"'
        assert response["Cache-Control"] == "public, max-age=60"
        calendar = parse(response)
        assert str(calendar["X-WR-CALNAME"]) == index.title
        found = events(calendar)
        assert [str(e["UID"]) for e in found] == [
            str(edition(2021).translation_key),
            str(edition(2019).translation_key),
        ]
        assert [(e.decoded("DTSTART"), e.decoded("DTEND")) for e in found] == [
            (date(2021, 4, 20), date(2021, 4, 21)),
            (date(2019, 4, 25), date(2019, 4, 26)),
        ]
        # The edition's own feed and the index describe the event identically.
        own = the_event(feed(client, edition(2019)))
        assert found[1].to_ical() == own.to_ical()

    def test_russian_index(self, client):
        calendar = feed(client, forum_index("ru"))
        assert [str(e["SUMMARY"]) for e in events(calendar)] == [
            edition(2021, "ru").title,
            edition(2019, "ru").title,
        ]

    def test_draft_edition_is_gone(self, client):
        page = edition(2021)
        page.unpublish()
        fetch(client, page.url + "calendar/", status=404)
        found = events(feed(client, forum_index()))
        assert [str(e["SUMMARY"]) for e in found] == ["ALMA 2019"]

    def test_private_edition_is_not_served_to_anonymous_visitors(self, client, django_user_model):
        page = edition(2021)
        PageViewRestriction.objects.create(page=page, restriction_type="login")
        response = client.get(page.url + "calendar/")
        assert response.status_code == 302  # to the login page, as for the page itself
        assert "login" in response["Location"]
        assert b"VCALENDAR" not in response.content
        found = events(feed(client, forum_index()))
        assert [str(e["SUMMARY"]) for e in found] == ["ALMA 2019"]
        # A signed-in visitor gets it, never cached by shared caches.
        user = django_user_model.objects.create_user("reader", password="secret")
        client.force_login(user)
        response = fetch(client, page.url + "calendar/")
        assert "private" in response["Cache-Control"]
        assert "public" not in response["Cache-Control"]
        event = the_event(parse(response))
        assert str(event["CLASS"]) == "PRIVATE"

    def test_password_protected_edition_asks_for_the_password(self, client):
        page = edition(2019)
        PageViewRestriction.objects.create(page=page, restriction_type="password", password="x")
        response = client.get(page.url + "calendar/")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        assert b"VCALENDAR" not in response.content
        assert [str(e["SUMMARY"]) for e in events(feed(client, forum_index()))] == ["ALMA 2021"]


# --- The optional …/calendar.ics URL ---------------------------------------------------------


@pytest.mark.usefixtures("demo")
@pytest.mark.urls("tests.test_ical")
class TestIcsUrls:
    def test_ics_url_serves_the_same_feed(self, client):
        for page in (edition(2019), edition(2021, "ru"), forum_index(), forum_index("ru")):
            ics = fetch(client, page.url + "calendar.ics")
            route = fetch(client, page.url + "calendar/")
            assert ics.content == route.content
            assert ics["Content-Type"] == CONTENT_TYPE
            assert ics["Content-Disposition"] == route["Content-Disposition"]

    def test_pages_link_the_ics_url(self, client):
        page = edition(2019)
        assert page.get_calendar_url() == page.url + "calendar.ics"
        html = fetch(client, page.url).content.decode()
        assert f'href="{page.url}calendar.ics"' in html
        assert forum_index("ru").get_calendar_url() == "/ru/alma/calendar.ics"

    def test_ics_url_keeps_restrictions(self, client):
        page = edition(2021)
        PageViewRestriction.objects.create(page=page, restriction_type="login")
        assert client.get(page.url + "calendar.ics").status_code == 302
        page.unpublish()
        fetch(client, page.url + "calendar.ics", status=404)

    def test_no_feed_for_other_pages(self, client):
        fetch(client, "/en/speakers/calendar.ics", status=404)
        fetch(client, "/en/alma/alma-2019/final-document/calendar.ics", status=404)
        fetch(client, "/en/no-such-page/calendar.ics", status=404)


@pytest.mark.urls("tests.testapp.urls_without_ics")
def test_without_the_ics_pattern_pages_link_the_route(demo):
    page = edition(2019)
    assert page.get_calendar_url() == page.url + "calendar/"


# --- Query budget ----------------------------------------------------------------------------
# A feed on the sites of the ``growing`` fixture (2 and 4 editions), fetched in steady state (a
# first request fills Wagtail's caches). Exact counts, the same for 2 and for 4 editions:
# Wagtail's site and locale lookups (2), its routing to the page (2 queries for the index, 4
# for an edition) and its check of the page's view restrictions (2), then alma-cms's: the view
# restrictions (once for the feed's scope), the page's locale, and for the index its listing
# (ids and types, editions: 2).
FEED_QUERIES = {"index": 10, "edition": 10}


def growing_feed(client, site, page):
    host, port = site.host.split(":")
    path = urlsplit(page.get_url()).path + "calendar/"
    return client.get(path, HTTP_HOST=site.host, SERVER_PORT=port)


@pytest.mark.parametrize("kind", list(FEED_QUERIES))
def test_feed_costs_the_same_for_2_and_4_editions(client, growing, kind, django_assert_num_queries):
    for count, site in growing.items():
        page = site.forum_index if kind == "index" else site.edition
        growing_feed(client, site, page)
        with django_assert_num_queries(FEED_QUERIES[kind]):
            response = growing_feed(client, site, page)
        assert response.status_code == 200
        assert len(events(parse(response))) == (count if kind == "index" else 1)


def test_index_feed_in_python_costs_the_same_for_2_and_4_editions(
    growing, django_assert_num_queries
):
    """``index_calendar`` with one scope, once Wagtail's site cache is filled: the page view
    restrictions, the listing (ids and types, editions) and the index's locale."""
    for count, site in growing.items():
        index_calendar(ForumIndexPage.objects.get(pk=site.forum_index.pk))
        index = ForumIndexPage.objects.get(pk=site.forum_index.pk)
        scope = get_scope()
        with django_assert_num_queries(4):
            calendar = index_calendar(index, scope=scope)
        assert len(events(calendar)) == count


# The sandbox URLs with the optional .ics pattern before Wagtail's pages (see TestIcsUrls).
urlpatterns = i18n_patterns(
    path("", include("alma_cms.ical")),
    path("", include(wagtail_urls)),
)
