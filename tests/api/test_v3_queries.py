"""Query budget of Wagtail's API v3 page endpoints with alma-cms installed, on the bulk site of
``conftest.build_bulk_site``.

As for v2 (``test_v2_queries``): counts are exact and taken in steady state (a first request
makes the renditions and fills Wagtail's caches). A detail costs the same for 8 and for 80
blocks, for every page type; a listing the same for 10 and 100 pages; and never more than stock
Wagtail API v2 on the same page.
"""

import json

import pytest

from alma_cms.pages import models as m
from tests.api.helpers import STOCK, skip_without_api_v3, steady_state_queries, type_param, warm

skip_without_api_v3()
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("v3_urls")]

V3 = "/api/v3/"
# What a detail is made of (edition): the page, site and its root translations, view
# restrictions, the parent, the page's translations (meta.translations), the chooser
# conversions (one per chooser model), organizations, page links, quotations' speakers and
# editions, collection view restrictions, images and renditions.
# meta.translations[].translation_status (issue 9) costs 4 more queries when the page has
# translations (alma_cms.translation.status.statuses_by_key, whatever their number); the bulk
# site has none, so these pins are unchanged: tests/api/test_translation_status.py pins it.
# (The locales are read once per process: alma_cms.scope.site_structure.)
DETAIL_QUERIES = 21
LISTING_QUERIES = 6


def test_detail_costs_the_same_for_8_and_80_blocks(bulk, client, django_assert_num_queries):
    sizes = []
    for page in (bulk.short, bulk.long):
        url = f"{V3}pages/{page.pk}/"
        warm(client, url)
        with django_assert_num_queries(DETAIL_QUERIES):
            response = client.get(url)
        body = response.json()["body"]
        sizes.append(len(body))
        for block in body:
            if block["type"] == "speaker_list":
                assert block["value"]["speakers"][0]["photo"]["url"]
    assert sizes == [8, 80]


@pytest.mark.parametrize("page_name", ["short", "long"])
def test_detail_never_costs_more_than_stock_v2(bulk, client, page_name):
    page = getattr(bulk, page_name)
    ours = steady_state_queries(client, f"{V3}pages/{page.pk}/")
    stock = steady_state_queries(client, f"{STOCK}pages/{page.pk}/")
    assert ours <= stock, (ours, stock)


@pytest.mark.parametrize(
    "pages",
    [
        lambda bulk: bulk.speakers[:5],
        lambda bulk: bulk.quotations[:5],
        lambda bulk: bulk.documents[:5],
        lambda bulk: bulk.announcements[:5],
        lambda bulk: bulk.editions[:5],
    ],
    ids=["speakers", "quotations", "documents", "announcements", "editions"],
)
def test_every_detail_of_a_type_costs_the_same(bulk, client, pages):
    """Pages of one type with different references cost the same: nothing is loaded one by
    one."""
    counts = {steady_state_queries(client, f"{V3}pages/{page.pk}/") for page in pages(bulk)}
    assert len(counts) == 1, counts


def test_detail_references_are_all_resolved(bulk, client):
    """The flat count is not bought by dropping references."""
    for page in (bulk.long, bulk.editions[0]):
        item = warm(client, f"{V3}pages/{page.pk}/").json()
        blocks = {block["type"]: block["value"] for block in item["body"]}
        assert blocks["speaker_list"]["speakers"][0]["photo"]["url"]
        quotation = blocks["featured_quotation"]["quotation"]
        assert quotation["speaker"]["name"].startswith("Speaker Number")
        assert quotation["forum_edition"]["title"] == "Bulk host"
        assert blocks["image"]["image"]["url"]
        assert blocks["organization_list"]["organizations"][0]["logo"]["url"]
        assert blocks["link_list"]["links"][0]["page"]["url"] == "/en/bulk-speakers/"
        assert blocks["document"]["document"]["url"]
        assert 'href="/en/bulk-speakers/"' in blocks["paragraph"]
    assert item["host"]["logo"]["url"]
    assert item["moderator"]["name"].startswith("Speaker Number")
    assert 'href="/en/bulk-speakers/"' in item["outcome"]


def test_detail_body_is_what_stock_v2_shows(bulk, client):
    ours = warm(client, f"{V3}pages/{bulk.long.pk}/").json()
    stock = warm(client, f"{STOCK}pages/{bulk.long.pk}/").json()
    for name in ("body", "title", "theme", "outcome", "host", "moderator"):
        assert json.dumps(ours[name], sort_keys=True) == json.dumps(stock[name], sort_keys=True)


def test_speaker_positions_are_loaded_in_bulk(bulk, client):
    data = warm(client, f"{V3}pages/{bulk.speakers[0].pk}/").json()
    assert [p["role_title"] for p in data["positions"]] == ["Role 0", "Role 1"]
    assert all(p["organization"]["name"] for p in data["positions"])


@pytest.mark.parametrize(
    "model", [m.ForumEditionPage, m.SpeakerPage, m.QuotationPage], ids=lambda c: c.__name__
)
def test_listing_costs_the_same_for_10_and_100_pages(
    bulk, client, model, django_assert_num_queries
):
    for limit in (10, 100):
        url = f"{V3}pages/?type={type_param(model)}&limit={limit}"
        warm(client, url)
        with django_assert_num_queries(LISTING_QUERIES):
            response = client.get(url)
        assert len(response.json()["items"]) == limit


def test_listing_never_costs_more_than_stock_v2(bulk, client):
    for limit in (10, 100):
        model = type_param(m.ForumEditionPage)
        ours = steady_state_queries(client, f"{V3}pages/?type={model}&limit={limit}")
        stock = steady_state_queries(client, f"{STOCK}pages/?type={model}&limit={limit}")
        assert ours <= stock, (limit, ours, stock)
