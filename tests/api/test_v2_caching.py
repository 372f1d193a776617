"""HTTP caching of the v2 endpoints (``alma_cms.api.caching``): validators, Cache-Control, 304s,
and validators that change whenever a page a response shows is published."""

import hashlib

import pytest
from django.utils.http import http_date, parse_http_date
from wagtail.models import Page

from alma_cms.pages import models as m
from tests.api.helpers import API, PAST, backdate_all, check_publishing_moves_validators, type_param

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(alma):
    """The ``alma`` site, every page published at PAST."""
    backdate_all()
    return alma


def validators(response):
    return response["ETag"], response["Last-Modified"]


def test_detail_carries_validators_and_cache_control(site, client):
    response = client.get(f"{API}pages/{site.edition_2021.pk}/")
    assert response.status_code == 200
    assert response["ETag"] == f'"{hashlib.sha256(response.content).hexdigest()}"'
    assert response["Last-Modified"] == http_date(PAST.timestamp())
    assert response["Cache-Control"] == "public, max-age=60"


def test_max_age_comes_from_the_setting(site, client, settings):
    settings.ALMA_CMS = {"API_CACHE_MAX_AGE": 300}
    response = client.get(f"{API}pages/{site.edition_2021.pk}/")
    assert response["Cache-Control"] == "public, max-age=300"


def test_if_none_match_gives_304(site, client):
    url = f"{API}pages/{site.edition_2021.pk}/"
    etag, last_modified = validators(client.get(url))
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert validators(response) == (etag, last_modified)
    assert response["Cache-Control"] == "public, max-age=60"
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200
    assert client.head(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_if_modified_since_gives_304(site, client):
    url = f"{API}pages/?type={type_param(m.SpeakerPage)}&fields=*"
    _etag, last_modified = validators(client.get(url))
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    earlier = http_date(parse_http_date(last_modified) - 3600)
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200
    # If-None-Match wins when both are sent (RFC 9110): a stale ETag means a new body.
    stale = client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified, HTTP_IF_NONE_MATCH='"old"')
    assert stale.status_code == 200


def test_last_modified_covers_referenced_pages(site, client):
    """The edition's Last-Modified moves when a speaker its panel names is published, even
    though the edition itself was not."""
    Page.objects.filter(pk=site.mackenzie.pk).update(last_published_at=PAST.replace(year=2025))
    response = client.get(f"{API}pages/{site.edition_2021.pk}/")
    assert response["Last-Modified"] == http_date(PAST.replace(year=2025).timestamp())


def test_publishing_changes_the_validators_of_every_response_that_shows_the_page(site, client):
    speaker = site.mackenzie
    urls = {
        "detail": f"{API}pages/{speaker.pk}/",
        "listing": f"{API}pages/?type={type_param(m.SpeakerPage)}&fields=*",
        "referrer": f"{API}pages/{site.edition_2021.pk}/",
        "quotation": f"{API}pages/{site.quotation.pk}/",
    }
    check_publishing_moves_validators(client, site, urls, f"{API}pages/{site.final_document.pk}/")


def test_saving_a_draft_changes_nothing(site, client):
    url = f"{API}pages/{site.edition_2021.pk}/"
    etag, last_modified = validators(client.get(url))
    speaker = site.mackenzie
    speaker.family_name = "Drafted"
    speaker.save_revision()
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["Last-Modified"] == last_modified


def test_errors_and_redirects(site, client):
    bad = client.get(f"{API}pages/", {"limit": "x"})
    assert bad.status_code == 400
    assert bad["Cache-Control"] == "no-cache"
    assert "ETag" not in bad
    missing = client.get(f"{API}pages/999999/")
    assert missing.status_code == 404 and missing["Cache-Control"] == "no-cache"
    found = client.get(f"{API}pages/find/", {"html_path": "/en/forum/alma-2021/"})
    assert found.status_code == 302
    assert found["Cache-Control"] == "public, max-age=60"


def test_snippets_images_and_documents_have_etags(site, client):
    for endpoint in ("organizations", "images", "documents"):
        response = client.get(f"{API}{endpoint}/")
        assert response.status_code == 200, endpoint
        assert response["ETag"] and "Last-Modified" not in response
        assert response["Cache-Control"] == "public, max-age=60"
        assert client.get(f"{API}{endpoint}/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == (
            304
        )


def test_decorator_for_plain_views(site, client):
    """``cache_api_response`` on a plain Django view (see tests/api/urls_v2.py): validators,
    304s, and the scope's visibility rules for what the view reads."""
    url = f"/page-link/{site.mackenzie.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    assert response.json()["title"] == site.mackenzie.title
    assert response["Cache-Control"] == "public, max-age=60"
    assert response["Last-Modified"] == http_date(PAST.timestamp())
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    site.mackenzie.unpublish()
    hidden = client.get(url)
    assert hidden.status_code == 404 and hidden["Cache-Control"] == "no-cache"
