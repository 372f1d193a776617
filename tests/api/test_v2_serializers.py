"""What the v2 page serializers (``alma_cms.api.v2.serializers``, with the fields of
``alma_cms.api_fields``) give for every page type: all fields in listings and details, and
the references, rich text and images inside them resolved."""

import pytest

from alma_cms.api import PagesAPIViewSet
from tests.api.helpers import detail, listing, type_param
from tests.testapp.factories import PAGE_TYPES, page_of_type

pytestmark = pytest.mark.django_db

SPEAKER_KEYS = {"id", "name", "url", "photo"}
IMAGE_KEYS = {"id", "title", "alt", "width", "height", "url"}


def api_field_names(model):
    return [field.name for field in model.api_fields]


@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda c: c.__name__)
def test_listing_with_all_fields(alma, client, model):
    data = listing(client, model)
    page = page_of_type(alma, model)
    items = {item["id"]: item for item in data["items"]}
    assert page.pk in items
    assert data["meta"]["total_count"] == model.objects.live().count()
    item = items[page.pk]
    assert item["meta"]["type"] == type_param(model)
    assert item["title"] == page.title
    # Listings leave out fields that cost queries per item (json_ld); ask for them by name.
    excluded = PagesAPIViewSet.listing_star_excluded_fields
    missing = [n for n in api_field_names(model) if n not in item and n not in excluded]
    assert missing == []


@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda c: c.__name__)
def test_detail(alma, client, model):
    page = page_of_type(alma, model)
    data = detail(client, page)
    assert data["id"] == page.pk
    assert data["meta"]["type"] == type_param(model)
    assert [name for name in api_field_names(model) if name not in data] == []


def test_edition_detail_resolves_references(alma, client):
    data = detail(client, alma.edition_2021)
    assert data["year"] == 2021
    assert data["start_date"] == "2021-04-20"
    assert data["format"] == "hybrid"
    assert data["participant_count"] == 147
    assert data["online_viewer_count_qualifier"] == "about"
    assert data["display_series_title"] == "Forum"  # empty series title: the index's
    assert data["host"]["short_name"] == "LFL"
    assert data["moderator"]["name"] == "Svetlana A. Gorokhova"
    assert set(data["moderator"]) == SPEAKER_KEYS
    body = {block["type"]: block for block in data["body"]}
    assert list(body) == ["heading", "discussion_panel", "statistics", "speaker_list"]
    panel = body["discussion_panel"]["value"]
    assert panel["moderator"]["speaker"]["name"] == "Svetlana A. Gorokhova"
    assert panel["speakers"][0]["speaker"]["name"] == "Christine Mackenzie"
    assert panel["summary"] == "<p>Leaders share their view.</p>"
    speakers = body["speaker_list"]["value"]["speakers"]
    assert [s["name"] for s in speakers] == ["Christine Mackenzie", "Barbara Lison"]
    assert set(speakers[0]["photo"]) == IMAGE_KEYS
    assert speakers[0]["url"] == alma.mackenzie.url
    assert body["statistics"]["value"]["items"][0] == {
        "label": "participants",
        "value": 147,
        "qualifier": "exact",
    }
    assert all("id" in block for block in data["body"])


def test_guideline_document_detail(alma, client):
    data = detail(client, alma.final_document)
    assert data["status"] == "finalized"
    assert data["adopted_on"] == "2019-04-25"
    assert data["adopted_at"] == {
        "id": alma.edition_2019.pk,
        "title": "ALMA 2019",
        "url": alma.edition_2019.url,
    }
    directions = data["directions"]
    assert [d["value"]["number"] for d in directions] == ["I", "II", "III", "IV", "V", "VI"]
    ii_3 = directions[1]["value"]["guidelines"][2]
    assert ii_3["number"] == "II.3"
    assert ii_3["id"] == alma.final_document.get_guideline("II.3")[1].id
    v_1 = directions[4]["value"]["guidelines"][0]
    assert v_1["heading"] == "RLA acting as Visionary"
    assert v_1["actor"]["short_name"] == "RLA"
    assert data["links"][0]["value"]["url"] == "https://www.ifla.org/"
    assert data["introduction"] == "<p>The participants drafted these guidelines.</p>"


def test_speaker_detail(alma, client):
    data = detail(client, alma.mackenzie)
    assert data["full_name"] == "Christine Mackenzie"
    assert set(data["photo"]) == IMAGE_KEYS
    assert data["photo"]["alt"] == "Portrait of Christine Mackenzie"
    positions = data["positions"]
    assert [p["label"] for p in positions] == ["IFLA President-elect", "IFLA President"]
    assert positions[0]["organization"]["short_name"] == "IFLA"
    assert positions[1]["end_date"] == "2021-08-31"
    assert positions[1]["is_current"] is False


def test_quotation_detail(alma, client):
    data = detail(client, alma.quotation)
    assert data["text"] == "Libraries lead when they listen."
    assert data["speaker"]["name"] == "Christine Mackenzie"
    assert data["speaker_role"] == "IFLA President"
    assert data["forum_edition"]["id"] == alma.edition_2021.pk
    assert data["said_on"] == "2021-04-20"


def test_award_and_announcement_detail(alma, client):
    award = detail(client, alma.award)
    assert award["established_by"]["short_name"] == "LFL"
    assert award["partners"][0]["value"]["short_name"] == "RLA"
    assert award["named_after"] == "Margarita Rudomino"
    winners = detail(client, alma.winners)
    assert winners["kind"] == "winners"
    assert winners["award"] == {
        "id": alma.award.pk,
        "title": "Rudomino Award",
        "url": alma.award.url,
    }
    winner = winners["winners"][0]["value"]
    assert winner["recipient_organization"]["short_name"] == "LFL"
    assert winner["citation"] == "<p>For opening the collections to the world.</p>"


def test_index_intro_is_front_end_html(alma, client):
    alma.forum_index.intro = f'<p>See <a linktype="page" id="{alma.edition_2019.pk}">2019</a></p>'
    alma.forum_index.save_revision().publish()
    data = detail(client, alma.forum_index)
    assert data["intro"] == f'<p>See <a href="{alma.edition_2019.url}">2019</a></p>'
