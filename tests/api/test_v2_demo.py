"""The v2 API on the ALMA demo (``alma_load_demo``): real content translated to Russian with
wagtail-localize, loaded once for the module."""

import pytest

from alma_cms.pages import models as m
from tests.api.helpers import API, type_param

pytestmark = pytest.mark.django_db


def test_find_russian_edition_by_its_path(demo, client):
    ru_edition = demo.page("/home-ru/alma/alma-2021/")
    response = client.get(f"{API}pages/find/", {"html_path": "/ru/alma/alma-2021/"})
    assert response.status_code == 302
    data = client.get(response["Location"]).json()
    assert data["id"] == ru_edition.pk
    assert data["meta"]["locale"] == "ru"
    assert data["meta"]["html_url"] == "http://localhost/ru/alma/alma-2021/"
    en_edition = demo.page("/home/alma/alma-2021/")
    assert [(t["locale"], t["id"]) for t in data["meta"]["translations"]] == [("en", en_edition.pk)]


def test_russian_edition_refers_to_russian_speakers(demo, client):
    ru_edition = demo.page("/home-ru/alma/alma-2021/")
    data = client.get(f"{API}pages/{ru_edition.pk}/").json()
    panels = [b["value"] for b in data["body"] if b["type"] == "discussion_panel"]
    speakers = [p["speaker"] for panel in panels for p in panel["speakers"] if p["speaker"]]
    assert len(speakers) >= 5
    assert all(s["url"].startswith("/ru/speakers/") for s in speakers)
    assert data["moderator"]["url"].startswith("/ru/speakers/")
    assert any(ord(ch) > 0x400 for ch in data["moderator"]["name"])  # Cyrillic


def test_every_demo_page_is_served(demo, client):
    items = client.get(f"{API}pages/", {"limit": 100}).json()["items"]
    assert len(items) > 60
    for item in items:
        response = client.get(f"{API}pages/{item['id']}/")
        assert response.status_code == 200, item["meta"]["html_url"]


def test_demo_listings(demo, client):
    for locale in ("en", "ru"):
        data = client.get(
            f"{API}pages/", {"type": type_param(m.SpeakerPage), "locale": locale, "limit": 100}
        ).json()
        assert data["meta"]["total_count"] == 21
    editions = client.get(
        f"{API}pages/", {"type": type_param(m.ForumEditionPage), "fields": "*", "year": 2019}
    ).json()["items"]
    assert {e["meta"]["locale"] for e in editions} == {"en", "ru"}
    assert all(e["edition_number"] == 3 for e in editions)
