"""``meta.translations[].translation_status`` in API v2 and v3 (docs/api.md, docs/api-v3.md):
where each translation the caller may see stands, documented in the OpenAPI document, at a
constant cost per response."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail_localize.models import TranslationSource

from alma_cms.translation import state
from tests.api.helpers import (
    API,
    openapi_document,
    response_validator,
    skip_without_api_v3,
    steady_state_queries,
)
from tests.test_localize import translate_page

pytestmark = pytest.mark.django_db

V3 = "/api/v3/"
DETAIL = "/api/v3/pages/{page_id}/"
KEYS = ["state", "strings_total", "strings_translated", "strings_needing_review", "synced_at"]


@pytest.fixture
def ru_speakers(alma, locale_ru, admin_user, capture):
    """The speaker index translated into Russian with wagtail-localize, every string."""
    translate_page(alma.speaker_index, locale_ru, admin_user, capture)
    return alma.speaker_index.get_translation(locale_ru)


def ru_item(body):
    (item,) = [t for t in body["meta"]["translations"] if t["locale"] == "ru"]
    return item


def test_v2_detail_carries_the_status(alma, ru_speakers, client):
    item = ru_item(client.get(f"{API}pages/{alma.speaker_index.pk}/").json())
    status = item["translation_status"]
    assert list(status) == KEYS
    assert status["state"] == "in_sync"
    assert status["strings_total"] > 0
    assert status["strings_translated"] == status["strings_total"]
    assert status["strings_needing_review"] == 0
    assert datetime.datetime.fromisoformat(status["synced_at"]) <= timezone.now()


def test_v2_the_source_has_no_status(alma, ru_speakers, client):
    body = client.get(f"{API}pages/{ru_speakers.pk}/").json()
    (item,) = body["meta"]["translations"]
    assert item["locale"] == "en"
    assert item["translation_status"] is None


def test_v2_status_follows_the_source_and_the_sync_error(alma, ru_speakers, client, admin_user):
    TranslationSource.objects.filter(object_id=alma.speaker_index.translation_key).update(
        last_updated_at=timezone.now() + datetime.timedelta(minutes=1)
    )
    state.record_error(alma.speaker_index.translation_key, ru_speakers.locale_id, "boom")
    item = ru_item(client.get(f"{API}pages/{alma.speaker_index.pk}/").json())
    assert item["translation_status"]["state"] == "out_of_date"
    # The error is for editors (the report, the side panel): not in the public API.
    assert "error" not in item["translation_status"]


def test_v2_a_hidden_translation_has_no_item(alma, ru_speakers, client):
    ru_speakers.unpublish()
    body = client.get(f"{API}pages/{alma.speaker_index.pk}/").json()
    assert body["meta"]["translations"] == []


def test_v2_listing_costs_the_same_for_one_and_three_translated_pages(
    alma, locale_ru, admin_user, capture, client
):
    url = f"{API}pages/?locale=en&limit=50"
    translate_page(alma.speaker_index, locale_ru, admin_user, capture)
    one = steady_state_queries(client, url)
    for page in (alma.quotation_index, alma.guideline_index):
        translate_page(page, locale_ru, admin_user, capture)
    three = steady_state_queries(client, url)
    items = client.get(url).json()["items"]
    states = [
        t["translation_status"]["state"] for item in items for t in item["meta"]["translations"]
    ]
    assert states.count("in_sync") >= 3
    # The translated home page, forum index ... come with the translations (parents): the
    # statuses of all of them are read together, 4 queries (status.statuses_by_key).
    assert one == three


@pytest.mark.usefixtures("v3_urls")
def test_v3_detail_carries_the_status_and_matches_the_openapi_document(alma, ru_speakers, client):
    skip_without_api_v3()
    body = client.get(f"{V3}pages/{alma.speaker_index.pk}/").json()
    assert ru_item(body)["translation_status"]["state"] == "in_sync"
    source = client.get(f"{V3}pages/{ru_speakers.pk}/").json()
    assert source["meta"]["translations"][0]["translation_status"] is None
    document = openapi_document(client)
    schemas = document["components"]["schemas"]
    assert list(schemas["AlmaTranslationStatus"]["required"]) == KEYS
    assert "translation_status" in schemas["AlmaPageTranslation"]["required"]
    validator = response_validator(document, DETAIL)
    assert not list(validator.iter_errors(body)), body
    # The schema does type the field: a state it does not know is an error.
    ru_item(body)["translation_status"]["state"] = "bogus"
    assert list(validator.iter_errors(body))


def test_v2_detail_status_costs_four_queries(alma, locale_ru, admin_user, capture, client):
    """The statuses of a detail's translations are 4 queries (translations with their counts,
    sources, pages, sync states: alma_cms.translation.status.statuses_by_key); 3 of them read
    tables nothing else of the response reads."""
    translate_page(alma.speaker_index, locale_ru, admin_user, capture)
    url = f"{API}pages/{alma.speaker_index.pk}/"
    steady_state_queries(client, url)
    with CaptureQueriesContext(connection) as context:
        client.get(url)
    status_queries = [
        q["sql"]
        for q in context.captured_queries
        if any(
            table in q["sql"]
            for table in (
                "wagtail_localize_translation",
                "wagtail_localize_translationsource",
                "alma_cms_translationsyncstate",
            )
        )
    ]
    assert len(status_queries) == 3, status_queries  # + the pages query: 4
