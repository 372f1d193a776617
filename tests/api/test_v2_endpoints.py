"""The v2 endpoints of ``alma_cms.api``: mounting, response shape, fields of every page type and
of the Organization snippet, translations, ``find`` with language prefixes, images and
documents."""

import pytest
from django.urls import reverse
from wagtail.models import Collection, CollectionViewRestriction

from alma_cms.api import (
    DocumentsAPIViewSet,
    ImagesAPIViewSet,
    OrganizationsAPIViewSet,
    PagesAPIViewSet,
    api_router,
    build_api_router,
)
from alma_cms.models import Organization
from alma_cms.pages import models as m
from tests.api.helpers import API, type_param
from tests.testapp.factories import PAGE_TYPES, make_document, make_image, page_of_type

pytestmark = pytest.mark.django_db

# Fields a listing's ``fields=*`` leaves out (they must be asked for by name).
STAR_EXCLUDED = set(PagesAPIViewSet.listing_star_excluded_fields)


def api_field_names(model):
    return [field.name for field in model.api_fields]


# --- mounting -------------------------------------------------------------------------------


def test_router_has_the_four_endpoints():
    assert api_router.url_namespace == "wagtailapi"
    assert dict(api_router._endpoints) == {
        "pages": PagesAPIViewSet,
        "images": ImagesAPIViewSet,
        "documents": DocumentsAPIViewSet,
        "organizations": OrganizationsAPIViewSet,
    }
    assert api_router.get_model_endpoint(Organization) == ("organizations", OrganizationsAPIViewSet)
    assert api_router.get_model_endpoint(m.SpeakerPage) == ("pages", PagesAPIViewSet)


def test_wagtail_url_layout(alma):
    """Mounted with ``path("api/v2/", api_router.urls)`` (tests/api/urls_v2.py)."""
    assert reverse("wagtailapi:pages:listing") == "/api/v2/pages/"
    assert reverse("wagtailapi:pages:detail", args=[5]) == "/api/v2/pages/5/"
    assert reverse("wagtailapi:pages:find") == "/api/v2/pages/find/"
    assert reverse("wagtailapi:organizations:listing") == "/api/v2/organizations/"
    assert reverse("wagtailapi:images:listing") == "/api/v2/images/"
    assert reverse("wagtailapi:documents:listing") == "/api/v2/documents/"


def test_build_api_router_replaces_or_adds_endpoints():
    class MyPages(PagesAPIViewSet):
        pass

    router = build_api_router("myapi", {"pages": MyPages})
    assert router.url_namespace == "myapi"
    assert router._endpoints["pages"] is MyPages
    assert router._endpoints["organizations"] is OrganizationsAPIViewSet


# --- response shape -----------------------------------------------------------------------


def test_listing_shape_is_wagtails(alma, client):
    data = client.get(f"{API}pages/").json()
    assert set(data) == {"meta", "items"}
    assert data["meta"]["total_count"] == len(data["items"])
    item = next(i for i in data["items"] if i["id"] == alma.edition_2021.pk)
    assert set(item) == {"id", "meta", "title"}
    assert item["meta"]["type"] == type_param(m.ForumEditionPage)
    assert item["meta"]["detail_url"] == f"http://localhost/api/v2/pages/{alma.edition_2021.pk}/"
    assert item["meta"]["html_url"] == "http://localhost/en/forum/alma-2021/"
    assert item["meta"]["slug"] == "alma-2021"
    assert item["meta"]["locale"] == "en"
    assert item["meta"]["translations"] == []
    assert "first_published_at" in item["meta"]


@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda c: c.__name__)
def test_listing_with_all_fields(alma, client, model):
    page = page_of_type(alma, model)
    data = client.get(f"{API}pages/", {"type": type_param(model), "fields": "*"}).json()
    item = next(i for i in data["items"] if i["id"] == page.pk)
    expected = [n for n in api_field_names(model) if n not in STAR_EXCLUDED]
    assert [n for n in expected if n not in item] == []
    assert item["title"] == page.title
    for name in STAR_EXCLUDED & set(api_field_names(model)):
        assert name not in item
        # ... but a listing serves it when asked for by name.
        named = client.get(f"{API}pages/", {"type": type_param(model), "fields": name}).json()
        assert all(name in i for i in named["items"])


@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda c: c.__name__)
def test_detail_has_every_field(alma, client, model):
    page = page_of_type(alma, model)
    data = client.get(f"{API}pages/{page.pk}/").json()
    assert [n for n in api_field_names(model) if n not in data] == []
    assert data["meta"]["type"] == type_param(model)
    assert data["meta"]["parent"]["id"] == page.get_parent().pk


def test_edition_detail_resolves_references(alma, client):
    data = client.get(f"{API}pages/{alma.edition_2021.pk}/").json()
    assert data["host"]["short_name"] == "LFL"
    assert data["moderator"] == {
        "id": alma.gorokhova.pk,
        "name": "Svetlana A. Gorokhova",
        "url": "/en/speakers/svetlana-a-gorokhova/",
        "photo": None,
    }
    panel = next(b for b in data["body"] if b["type"] == "discussion_panel")["value"]
    speaker = panel["speakers"][0]["speaker"]
    assert speaker["name"] == "Christine Mackenzie"
    assert speaker["photo"]["url"].endswith(".png") and speaker["photo"]["width"] > 0
    speakers = next(b for b in data["body"] if b["type"] == "speaker_list")["value"]["speakers"]
    assert [s["id"] for s in speakers] == [alma.mackenzie.pk, alma.lison.pk]


def test_speaker_positions_and_quotation(alma, client):
    speaker = client.get(f"{API}pages/{alma.mackenzie.pk}/").json()
    assert [p["label"] for p in speaker["positions"]] == [
        "IFLA President-elect",
        "IFLA President",
    ]
    assert speaker["positions"][0]["organization"]["short_name"] == "IFLA"
    quotation = client.get(f"{API}pages/{alma.quotation.pk}/").json()
    assert quotation["speaker"]["id"] == alma.mackenzie.pk
    assert quotation["forum_edition"] == {
        "id": alma.edition_2021.pk,
        "title": "ALMA 2021",
        "url": "/en/forum/alma-2021/",
    }


def test_guideline_document_and_announcement(alma, client):
    document = client.get(f"{API}pages/{alma.final_document.pk}/").json()
    assert [d["value"]["number"] for d in document["directions"]] == [
        "I",
        "II",
        "III",
        "IV",
        "V",
        "VI",
    ]
    fifth = document["directions"][4]["value"]["guidelines"][0]
    assert fifth["number"] == "V.1" and fifth["actor"]["short_name"] == "RLA"
    assert fifth["heading"] == "RLA acting as Visionary"
    assert document["adopted_at"]["id"] == alma.edition_2019.pk
    winners = client.get(f"{API}pages/{alma.winners.pk}/").json()
    assert winners["award"] == {
        "id": alma.award.pk,
        "title": "Rudomino Award",
        "url": "/en/rudomino-award/",
    }
    assert winners["winners"][0]["value"]["recipient_organization"]["short_name"] == "LFL"


# --- the Organization snippet ---------------------------------------------------------------


def test_organizations(alma, client):
    alma.ifla.logo = make_image("IFLA logo")
    alma.ifla.save()
    data = client.get(f"{API}organizations/").json()
    assert data["meta"]["total_count"] == 3
    item = next(i for i in data["items"] if i["id"] == alma.ifla.pk)
    assert item == {
        "id": alma.ifla.pk,
        "meta": {
            "type": "alma_cms.Organization",
            "detail_url": f"http://localhost/api/v2/organizations/{alma.ifla.pk}/",
            "locale": "en",
        },
        "name": "International Federation of Library Associations and Institutions",
        "short_name": "IFLA",
        "kind": "association",
    }
    detail = client.get(f"{API}organizations/{alma.ifla.pk}/").json()
    assert [n for n in api_field_names(Organization) if n not in detail] == []
    assert detail["country"] == {"code": "NL", "name": "Netherlands"}
    assert detail["logo"]["url"].endswith(".png")
    full = client.get(f"{API}organizations/", {"fields": "*"}).json()
    assert all(name in full["items"][0] for name in api_field_names(Organization))


# --- translations and languages -------------------------------------------------------------


def test_meta_translations(alma, alma_ru, client):
    en = client.get(f"{API}pages/{alma.edition_2021.pk}/").json()
    assert en["meta"]["translations"] == [
        {
            "locale": "ru",
            "id": alma_ru.edition_2021.pk,
            "title": "ALMA 2021 (рус.)",
            "url": "/ru/forum/alma-2021/",
            "detail_url": f"http://localhost/api/v2/pages/{alma_ru.edition_2021.pk}/",
            "live": True,
            # Copied with Wagtail's copy_for_translation, not synced by wagtail-localize
            # (tests/api/test_translation_status.py covers the states).
            "translation_status": {
                "state": "sync_stopped",
                "strings_total": 0,
                "strings_translated": 0,
                "strings_needing_review": 0,
                "synced_at": None,
            },
        }
    ]
    ru = client.get(f"{API}pages/{alma_ru.edition_2021.pk}/").json()
    assert [(t["locale"], t["id"]) for t in ru["meta"]["translations"]] == [
        ("en", alma.edition_2021.pk)
    ]
    listing = client.get(f"{API}pages/", {"type": type_param(m.ForumEditionPage)}).json()
    by_id = {item["id"]: item for item in listing["items"]}
    assert by_id[alma.edition_2019.pk]["meta"]["translations"] == []
    assert by_id[alma.edition_2021.pk]["meta"]["translations"][0]["locale"] == "ru"


def test_references_follow_the_language_of_the_page(alma, alma_ru, client):
    """A Russian page refers to Russian pages where they exist (whatever Accept-Language
    says); an English page to English ones."""
    ru = client.get(f"{API}pages/{alma_ru.edition_2021.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    panel = next(b for b in ru["body"] if b["type"] == "discussion_panel")["value"]
    assert panel["speakers"][0]["speaker"]["id"] == alma_ru.mackenzie.pk
    assert panel["speakers"][0]["speaker"]["name"] == "Кристин Маккензи"
    assert panel["speakers"][0]["speaker"]["url"] == "/ru/speakers/christine-mackenzie/"
    # Lison has no Russian page: the English one stands in.
    listed = next(b for b in ru["body"] if b["type"] == "speaker_list")["value"]["speakers"]
    assert [s["id"] for s in listed] == [alma_ru.mackenzie.pk, alma.lison.pk]
    en = client.get(f"{API}pages/{alma.edition_2021.pk}/", HTTP_ACCEPT_LANGUAGE="ru").json()
    panel = next(b for b in en["body"] if b["type"] == "discussion_panel")["value"]
    assert panel["speakers"][0]["speaker"]["name"] == "Christine Mackenzie"


def test_find_with_language_prefix(alma, alma_ru, client):
    response = client.get(f"{API}pages/find/", {"html_path": "/ru/forum/alma-2021/"})
    assert response.status_code == 302
    assert response["Location"] == f"http://localhost/api/v2/pages/{alma_ru.edition_2021.pk}/?"
    data = client.get(response["Location"]).json()
    assert data["meta"]["locale"] == "ru" and data["title"] == "ALMA 2021 (рус.)"
    # English, with or without its prefix, and as a full URL.
    for path in (
        "/en/forum/alma-2021/",
        "/forum/alma-2021/",
        "http://localhost/en/forum/alma-2021",
    ):
        response = client.get(f"{API}pages/find/", {"html_path": path})
        assert response.status_code == 302, path
        assert f"/api/v2/pages/{alma.edition_2021.pk}/" in response["Location"]
    # Query parameters other than html_path are kept.
    response = client.get(f"{API}pages/find/", {"html_path": "/ru/", "fields": "title"})
    assert response["Location"] == (
        f"http://localhost/api/v2/pages/{alma_ru.home.pk}/?fields=title"
    )
    # By id too.
    response = client.get(f"{API}pages/find/", {"id": alma.award.pk})
    assert response.status_code == 302


def test_find_respects_type(alma, client):
    path = "/en/forum/alma-2021/"
    ok = client.get(
        f"{API}pages/find/", {"html_path": path, "type": type_param(m.ForumEditionPage)}
    )
    assert ok.status_code == 302
    wrong = client.get(f"{API}pages/find/", {"html_path": path, "type": type_param(m.AwardPage)})
    assert wrong.status_code == 404


# --- images and documents -------------------------------------------------------------------


def test_images_and_documents(alma, client):
    image = make_image("Tagged")
    image.tags.add("hall", "forum")
    document = make_document("Report")
    restricted = Collection.get_first_root_node().add_child(name="Private")
    private_image = make_image("Private image")
    private_image.collection = restricted
    private_image.save()
    CollectionViewRestriction.objects.create(collection=restricted, restriction_type="login")

    images = client.get(f"{API}images/", {"limit": 100}).json()["items"]
    by_id = {item["id"]: item for item in images}
    assert by_id[image.pk]["meta"]["tags"] == ["forum", "hall"]
    assert private_image.pk not in by_id
    assert client.get(f"{API}images/{private_image.pk}/").status_code == 404
    assert [i["id"] for i in client.get(f"{API}images/", {"tags": "hall"}).json()["items"]] == [
        image.pk
    ]
    docs = client.get(f"{API}documents/").json()["items"]
    assert document.pk in [d["id"] for d in docs]


def test_an_images_download_url_has_the_address_of_its_detail_url(alma, client, settings):
    image = make_image("Download")
    detail = client.get(f"{API}images/{image.pk}/").json()
    assert detail["meta"]["detail_url"] == f"http://localhost/api/v2/images/{image.pk}/"
    assert detail["meta"]["download_url"] == f"http://localhost{image.file.url}"
    listed = client.get(f"{API}images/", {"limit": 100, "fields": "download_url"}).json()
    item = next(i for i in listed["items"] if i["id"] == image.pk)
    assert item["meta"]["download_url"] == f"http://localhost{image.file.url}"
    settings.WAGTAILAPI_BASE_URL = "https://api.example.org"
    detail = client.get(f"{API}images/{image.pk}/").json()
    assert detail["meta"]["download_url"] == f"https://api.example.org{image.file.url}"


def test_total_count_is_the_count_of_the_filtered_listing(alma, client):
    url = f"{API}pages/?type={type_param(m.SpeakerPage)}"
    everything = client.get(url, {"limit": 100}).json()
    total = everything["meta"]["total_count"]
    assert total == len(everything["items"]) > 2
    first = client.get(url, {"limit": 2}).json()
    assert first["meta"]["total_count"] == total and len(first["items"]) == 2
    last = client.get(url, {"limit": 2, "offset": total - 1}).json()
    assert last["meta"]["total_count"] == total and len(last["items"]) == 1
    past = client.get(url, {"limit": 2, "offset": total + 5}).json()
    assert past == {"meta": {"total_count": total}, "items": []}
    filtered = client.get(url, {"limit": 1, "slug": "no-such-slug"}).json()
    assert filtered == {"meta": {"total_count": 0}, "items": []}
