"""Wagtail's API v3 page endpoints with alma-cms installed: HTTP caching (validators,
Cache-Control, 304s, validators that move when a page a response shows is published) and
``find`` with language-prefixed paths."""

import hashlib

import pytest
from django.utils.http import http_date
from wagtail.models import Page

from alma_cms.pages import models as m
from tests.api.helpers import (
    PAST,
    backdate_all,
    check_publishing_moves_validators,
    skip_without_api_v3,
    type_param,
)

skip_without_api_v3()
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("v3_urls")]

V3 = "/api/v3/"


@pytest.fixture
def site(alma):
    backdate_all()
    return alma


def test_detail_carries_validators_and_cache_control(site, client):
    response = client.get(f"{V3}pages/{site.edition_2021.pk}/")
    assert response.status_code == 200
    assert response["ETag"] == f'"{hashlib.sha256(response.content).hexdigest()}"'
    assert response["Last-Modified"] == http_date(PAST.timestamp())
    assert response["Cache-Control"] == "public, max-age=60"
    assert "Authorization" in response["Vary"]


def test_conditional_requests_give_304(site, client):
    detail = f"{V3}pages/{site.edition_2021.pk}/"
    response = client.get(detail)
    again = client.get(detail, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == response["ETag"]
    assert client.get(detail, HTTP_IF_NONE_MATCH='"other"').status_code == 200

    listing = f"{V3}pages/?type={type_param(m.SpeakerPage)}"
    response = client.get(listing)
    assert response["Last-Modified"] == http_date(PAST.timestamp())
    assert client.get(listing, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == (
        304
    )


def test_last_modified_covers_referenced_pages(site, client):
    Page.objects.filter(pk=site.mackenzie.pk).update(last_published_at=PAST.replace(year=2025))
    response = client.get(f"{V3}pages/{site.edition_2021.pk}/")
    assert response["Last-Modified"] == http_date(PAST.replace(year=2025).timestamp())


def test_publishing_changes_the_validators_of_every_response_that_shows_the_page(site, client):
    urls = {
        "detail": f"{V3}pages/{site.mackenzie.pk}/",
        "listing": f"{V3}pages/?type={type_param(m.SpeakerPage)}",
        "referrer": f"{V3}pages/{site.edition_2021.pk}/",
        "quotation": f"{V3}pages/{site.quotation.pk}/",
    }
    check_publishing_moves_validators(client, site, urls, f"{V3}pages/{site.final_document.pk}/")


def test_errors_are_not_cached(site, client):
    missing = client.get(f"{V3}pages/999999/")
    assert missing.status_code == 404 and missing["Cache-Control"] == "no-cache"
    assert "ETag" not in missing
    bad = client.get(f"{V3}pages/", {"limit": "x"})
    assert 400 <= bad.status_code < 500 and bad["Cache-Control"] == "no-cache"


def test_find_with_language_prefixed_paths(site, alma_ru, client):
    cases = {
        "/en/forum/alma-2021/": site.edition_2021.pk,
        "/forum/alma-2021/": site.edition_2021.pk,  # no prefix: Wagtail's own find
        f"/ru{alma_ru.edition_2021.url_path[len(alma_ru.home.url_path) - 1 :]}": (
            alma_ru.edition_2021.pk
        ),
    }
    for html_path, page_id in cases.items():
        response = client.get(f"{V3}pages/find/", {"html_path": html_path, "extra": "kept"})
        assert response.status_code == 302, (html_path, response.content[:300])
        assert response["Location"] == f"{V3}pages/{page_id}/?extra=kept"
        assert response["Cache-Control"] == "public, max-age=60"
    for html_path in ("/ru/forum/nothing-here/", "/de/forum/alma-2021/"):
        assert client.get(f"{V3}pages/find/", {"html_path": html_path}).status_code == 404
    alma_ru.edition_2021.unpublish()
    ru_path = f"/ru{alma_ru.edition_2021.url_path[len(alma_ru.home.url_path) - 1 :]}"
    assert client.get(f"{V3}pages/find/", {"html_path": ru_path}).status_code == 404


# --- Bad input Wagtail 8.0 answers with a 500 ---------------------------------------------------


def test_null_characters_are_refused_naming_the_parameter(site, client):
    for path, params in (
        (f"{V3}pages/", {"search": "ab\x00c"}),
        (f"{V3}pages/", {"title": "\x00"}),
        (f"{V3}pages/{site.edition_2021.pk}/", {"version": "live\x00"}),
        (f"{V3}alma/guidelines/{site.final_document.pk}/II.3", {"locale": "r\x00u"}),
    ):
        response = client.get(path, params)
        assert response.status_code in (400, 422), (path, response.status_code)
        assert response["Content-Type"] == "application/problem+json"
        name = next(iter(params))
        assert any(error["loc"][-1] == name for error in response.json()["errors"]), (
            path,
            response.json(),
        )


def test_find_with_a_bad_site_is_a_4xx(site, client):
    for html_path in ("/en/forum/alma-2021/", "/forum/alma-2021/"):
        params = {"site": "testserver:not-a-port", "html_path": html_path}
        response = client.get(f"{V3}pages/find/", params)
        assert response.status_code == 400, (html_path, response.content[:300])
        assert response.json()["detail"].startswith("site: ")
    missing = client.get(f"{V3}pages/find/", {"site": "no-such-host", "id": site.home.pk})
    assert missing.status_code == 404


# --- meta.translations --------------------------------------------------------------------------


def test_detail_lists_the_translations_the_caller_may_see(site, alma_ru, client):
    edition, russian = site.edition_2021, alma_ru.edition_2021
    data = client.get(f"{V3}pages/{edition.pk}/").json()
    (item,) = data["meta"]["translations"]
    assert item["locale"] == "ru" and item["id"] == russian.pk and item["live"] is True
    assert item["title"] == "ALMA 2021 (рус.)"
    assert item["url"].startswith("/ru/") and item["url"].endswith("/alma-2021/")
    assert item["detail_url"].endswith(f"{V3}pages/{russian.pk}/")
    back = client.get(f"{V3}pages/{russian.pk}/").json()["meta"]["translations"]
    assert [(t["locale"], t["id"]) for t in back] == [("en", edition.pk)]

    # Publishing the translation moves the source's validators; unpublishing hides it.
    etag = client.get(f"{V3}pages/{edition.pk}/")["ETag"]
    russian.unpublish()
    response = client.get(f"{V3}pages/{edition.pk}/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response.json()["meta"]["translations"] == []
