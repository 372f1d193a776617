"""What a v2 detail saves in round trips (issue #11) stays right: the view restrictions read
along with the page, the page's class remembered between requests, the sites, site roots and
locales kept per process (``alma_cms.scope.site_structure``)."""

import logging

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction, Site

from alma_cms.scope import site_structure
from tests.api.helpers import API
from tests.testapp.factories import make_speaker

pytestmark = pytest.mark.django_db


def queries_of(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, [query["sql"] for query in captured.captured_queries]


def reads(queries, table):
    return [sql for sql in queries if sql.startswith(f'SELECT "{table}".')]


def test_restrictions_are_read_with_the_page_and_only_when_there_are_some(alma, client):
    url = f"{API}pages/{alma.mackenzie.pk}/"
    client.get(url)
    response, queries = queries_of(client, url)
    assert response.status_code == 200 and response.json()["photo"] is not None
    assert not reads(queries, "wagtailcore_pageviewrestriction")
    assert not reads(queries, "wagtailcore_collectionviewrestriction")

    # A restriction elsewhere: then they are read, and the page is still shown.
    PageViewRestriction.objects.create(page=alma.quotation_index, restriction_type="login")
    response, queries = queries_of(client, url)
    assert response.status_code == 200
    assert reads(queries, "wagtailcore_pageviewrestriction")


def test_restriction_added_after_a_served_detail_hides_the_page(alma, client):
    """The page's class is remembered from the first request; the visibility rule is not."""
    url = f"{API}pages/{alma.mackenzie.pk}/"
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    restriction = PageViewRestriction.objects.create(
        page=alma.speaker_index, restriction_type="login"
    )
    assert client.get(url).status_code == 404
    restriction.delete()
    assert client.get(url).status_code == 200
    alma.mackenzie.unpublish()
    assert client.get(url).status_code == 404


def test_collection_restriction_added_after_a_served_detail_hides_the_photo(alma, client):
    url = f"{API}pages/{alma.mackenzie.pk}/"
    assert client.get(url).json()["photo"] is not None
    photo = alma.mackenzie.photo
    CollectionViewRestriction.objects.create(
        collection=Collection.objects.get(pk=photo.collection_id), restriction_type="login"
    )
    assert client.get(url).json()["photo"] is None


def test_a_changed_site_is_seen_by_the_next_request(alma, client, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "elsewhere.example"]
    url = f"{API}pages/{alma.mackenzie.pk}/"
    assert client.get(url).status_code == 200
    site = Site.objects.get(is_default_site=True)
    site.is_default_site, site.hostname = False, "elsewhere.example"
    site.save()
    assert client.get(url).status_code == 404  # no site answers for testserver any more
    assert client.get(url, HTTP_HOST="elsewhere.example").status_code == 200


def test_a_change_made_by_another_process_is_seen_once_the_token_changes(alma, client):
    """Another process's receivers change the token in the shared cache: this process then
    reads the sites again. (``update()`` sends no signal: here it stands for a change this
    process did not see.)"""
    url = f"{API}pages/{alma.mackenzie.pk}/"
    assert client.get(url).status_code == 200
    Site.objects.filter(is_default_site=True).update(
        is_default_site=False, hostname="elsewhere.example"
    )
    assert client.get(url).status_code == 200  # this process's copy, still current for it
    cache.set(site_structure.VERSION_KEY, "set by another process", timeout=None)
    assert client.get(url).status_code == 404


def test_pages_created_moved_or_deleted_change_the_token(alma):
    def token():
        site_structure.current()
        return cache.get(site_structure.VERSION_KEY)

    before = token()
    speaker = make_speaker(alma.speaker_index, "Token", "Changer")
    after_create = token()
    assert after_create != before
    speaker.move(alma.quotation_index, pos="last-child")
    after_move = token()
    assert after_move != after_create
    speaker.delete()
    assert token() != after_move


def test_a_slug_change_changes_the_token(alma, django_capture_on_commit_callbacks):
    """The root's url_path (``find/?html_path=``) follows its slug: Wagtail tells at commit."""
    site_structure.current()
    before = cache.get(site_structure.VERSION_KEY)
    home = Site.objects.get(is_default_site=True).root_page
    alma.speaker_index.save()  # no change of slug: the token stays
    assert cache.get(site_structure.VERSION_KEY) == before
    with django_capture_on_commit_callbacks(execute=True):
        home.slug = "home-renamed"
        home.save()
    assert cache.get(site_structure.VERSION_KEY) != before


def test_a_cache_that_cannot_be_reached_fails_nothing(alma, settings, caplog):
    """Redis down: renewing the token (what a saved Site, Locale or page does) logs and goes
    on, and every reading is fresh, never one kept under an unknown token. (Wagtail's own
    receivers still need the cache to save a Site or a Locale.)"""
    from wagtail.models import Locale

    Locale.objects.create(language_code="fr")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens: refused at once
        }
    }
    # At the logger's level: a Celery test worker earlier in the process may have raised the
    # root logger's.
    with caplog.at_level(logging.WARNING, logger=site_structure.__name__):
        site_structure.changed()
    assert "Cannot renew the site structure's token" in caplog.text
    first = site_structure.current()
    assert first.version is None
    assert "fr" in {locale.language_code for locale in first.locales.values()}
    assert site_structure.current() is not first  # never reused without a token
