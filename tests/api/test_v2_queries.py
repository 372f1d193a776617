"""Query budget of the v2 endpoints, on the bulk site of ``conftest.build_bulk_site``.

Every count is exact (``django_assert_num_queries``) and measured in steady state: a first
request creates the image renditions and fills Wagtail's caches (site root paths, content
types), the second is counted. A listing costs the same for 10 and for 100 pages, a detail the
same for 8 and for 80 blocks, and never more than stock Wagtail API v2 on the same URL.
"""

import json

import pytest

from alma_cms.pages import models as m
from tests.api.helpers import API, STOCK, steady_state_queries, type_param, warm

pytestmark = pytest.mark.django_db

# Exact counts, the same on SQLite and PostgreSQL. What they are made of, for the editions: view
# restrictions, the child_of parent, the count, the page slice, chooser conversions (one per
# chooser model, whatever the block types holding it: speakers, quotation, image, organization,
# page, document), organizations, page links, translations, quotations' speakers and editions
# (second level), collection view restrictions (for images and documents), images with their
# renditions (one query). The site, its root translations and the locales are read once per
# process (alma_cms.scope.site_structure), not per request.
LISTING_QUERIES = {
    # With "*", display_series_title: editions without a series title show their forum index
    # page's, whose parents are loaded in bulk (pages, then as their class: 2).
    m.ForumEditionPage: 19,
    m.SpeakerPage: 11,
    m.QuotationPage: 9,
    m.GuidelineDocumentPage: 11,
    m.AwardAnnouncementPage: 13,
}
# A detail reads its page as its class (its class known from the warm-up request) with whether
# view restrictions exist (none here: no query for them, of pages or of collections) and its
# parent's type (the parent: one query, as its class).
DETAIL_QUERIES = 14
UNTYPED_LISTING_QUERIES = 4
ORGANIZATION_LISTING_QUERIES = 5
IMAGE_LISTING_QUERIES = 5


def json_ld_is_an_api_field(model):
    return any(field.name == "json_ld" for field in getattr(model, "api_fields", []))


def without_json_ld(model):
    """``fields=`` that leaves out ``json_ld`` where a model has it: schema.org data is built
    page by page by ``alma_cms.structured_data`` and has a budget of its own."""
    return "-json_ld" if json_ld_is_an_api_field(model) else ""


def listing_url(base, bulk, model, limit):
    parent = {
        m.ForumEditionPage: bulk.forum,
        m.SpeakerPage: bulk.speaker_index,
        m.QuotationPage: bulk.quotation_index,
        m.GuidelineDocumentPage: bulk.doc_index,
        m.AwardAnnouncementPage: bulk.award,
    }[model]
    # The alma-cms listing's "*" leaves json_ld out (asked for by name only); stock's has it.
    fields = "*" if base == API or not json_ld_is_an_api_field(model) else "*,-json_ld"
    return (
        f"{base}pages/?type={type_param(model)}&child_of={parent.pk}&fields={fields}&limit={limit}"
    )


@pytest.mark.parametrize("model", list(LISTING_QUERIES), ids=lambda c: c.__name__)
def test_listing_costs_the_same_for_10_and_100_pages(
    bulk, client, model, django_assert_num_queries
):
    expected = LISTING_QUERIES[model]
    for limit in (10, 100):
        url = listing_url(API, bulk, model, limit)
        warm(client, url)
        with django_assert_num_queries(expected):
            response = client.get(url)
        data = response.json()
        assert len(data["items"]) == limit
        assert data["meta"]["total_count"] == 100


@pytest.mark.parametrize("model", list(LISTING_QUERIES), ids=lambda c: c.__name__)
def test_listing_never_costs_more_than_stock_v2(bulk, client, model):
    for limit in (10, 100):
        ours = steady_state_queries(client, listing_url(API, bulk, model, limit))
        stock = steady_state_queries(client, listing_url(STOCK, bulk, model, limit))
        assert ours <= stock, (limit, ours, stock)
    # Stock v2 grows with the page size; ours does not.
    assert steady_state_queries(client, listing_url(STOCK, bulk, model, 100)) > (
        steady_state_queries(client, listing_url(STOCK, bulk, model, 10))
    )


def test_listing_references_are_all_resolved(bulk, client):
    """The constant count is not bought by dropping references: every edition of a 100-page
    listing has its speakers (with photos), quotation (with its speaker and edition), image,
    organization, document, page link and rich-text links resolved."""
    data = warm(client, listing_url(API, bulk, m.ForumEditionPage, 100)).json()
    for item in data["items"]:
        blocks = {block["type"]: block["value"] for block in item["body"]}
        assert blocks["speaker_list"]["speakers"][0]["photo"]["url"]
        quotation = blocks["featured_quotation"]["quotation"]
        assert quotation["speaker"]["name"].startswith("Speaker Number")
        assert quotation["forum_edition"]["title"] == "Bulk host"
        assert blocks["image"]["image"]["url"]
        panel = blocks["discussion_panel"]
        assert panel["moderator"]["speaker"]["photo"]["url"]
        assert panel["speakers"][0]["speaker"]["url"]
        assert blocks["organization_list"]["organizations"][0]["logo"]["url"]
        assert blocks["link_list"]["links"][0]["page"]["url"] == "/en/bulk-speakers/"
        assert blocks["document"]["document"]["url"]
        assert 'href="/en/bulk-speakers/"' in blocks["paragraph"]
        assert 'href="/documents/' in blocks["paragraph"]
        assert item["host"]["logo"]["url"]
        assert item["moderator"]["name"].startswith("Speaker Number")
        assert 'href="/en/bulk-speakers/"' in item["outcome"]


def test_detail_costs_the_same_for_8_and_80_blocks(bulk, client, django_assert_num_queries):
    fields = without_json_ld(m.ForumEditionPage)
    sizes = []
    for page in (bulk.short, bulk.long):
        url = f"{API}pages/{page.pk}/?fields={fields}"
        warm(client, url)
        with django_assert_num_queries(DETAIL_QUERIES):
            response = client.get(url)
        body = response.json()["body"]
        sizes.append(len(body))
        speakers = [
            block["value"]["speakers"][0] for block in body if block["type"] == "speaker_list"
        ]
        assert all(speaker["photo"] for speaker in speakers)
    assert sizes == [8, 80]


def test_default_detail_with_json_ld_costs_the_same_for_8_and_80_blocks(bulk, client):
    """The default detail includes json_ld: building it reuses the request's bulk-loaded
    references, so it too stays flat as the body grows."""
    counts = []
    for page in (bulk.short, bulk.long):
        url = f"{API}pages/{page.pk}/"
        assert "json_ld" in warm(client, url).json()
        counts.append(steady_state_queries(client, url))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("page_name", ["short", "long"])
def test_detail_never_costs_more_than_stock_v2(bulk, client, page_name):
    page = getattr(bulk, page_name)
    for fields in ("", without_json_ld(m.ForumEditionPage)):
        ours = steady_state_queries(client, f"{API}pages/{page.pk}/?fields={fields}")
        stock = steady_state_queries(client, f"{STOCK}pages/{page.pk}/?fields={fields}")
        assert ours <= stock, (fields, ours, stock)


def test_detail_body_is_what_stock_v2_shows(bulk, client):
    """Bulk loading changes how references are loaded, never what they say: the body and the
    fields of a page are the same as stock Wagtail v2 builds them block by block."""
    fields = without_json_ld(m.ForumEditionPage)
    ours = warm(client, f"{API}pages/{bulk.long.pk}/?fields={fields}").json()
    stock = warm(client, f"{STOCK}pages/{bulk.long.pk}/?fields={fields}").json()
    for name in ("body", "title", "theme", "outcome"):
        assert json.dumps(ours[name], sort_keys=True) == json.dumps(stock[name], sort_keys=True)


@pytest.mark.parametrize(
    "url, expected",
    [
        (f"{API}pages/?limit={{limit}}", UNTYPED_LISTING_QUERIES),
        (f"{API}organizations/?fields=*&limit={{limit}}", ORGANIZATION_LISTING_QUERIES),
        (f"{API}images/?limit={{limit}}", IMAGE_LISTING_QUERIES),
    ],
    ids=["pages", "organizations", "images"],
)
def test_other_listings_cost_the_same_for_10_and_100(
    bulk, client, url, expected, django_assert_num_queries
):
    for limit in (10, 100):
        warm(client, url.format(limit=limit))
        with django_assert_num_queries(expected):
            response = client.get(url.format(limit=limit))
        assert len(response.json()["items"]) == limit


def test_untyped_listing_never_costs_more_than_stock_v2(bulk, client):
    for limit in (10, 100):
        ours = steady_state_queries(client, f"{API}pages/?limit={limit}")
        stock = steady_state_queries(client, f"{STOCK}pages/?limit={limit}")
        assert ours <= stock


# The default detail (json_ld included) of each page type the API bench measures: exact
# (issue #11 made these requests faster; their query count must not grow back).
DEFAULT_DETAIL_QUERIES = {
    m.SpeakerPage: 8,
    m.QuotationPage: 6,
    m.GuidelineDocumentPage: 8,
}


@pytest.mark.parametrize("model", list(DEFAULT_DETAIL_QUERIES), ids=lambda c: c.__name__)
def test_default_detail_with_json_ld_costs(bulk, client, model, django_assert_num_queries):
    page = {
        m.SpeakerPage: bulk.speakers[1],
        m.QuotationPage: bulk.quotations[1],
        m.GuidelineDocumentPage: bulk.documents[1],
    }[model]
    url = f"{API}pages/{page.pk}/"
    warm(client, url)
    with django_assert_num_queries(DEFAULT_DETAIL_QUERIES[model]):
        response = client.get(url)
    assert response.json()["json_ld"]["url"].endswith(page.url)
