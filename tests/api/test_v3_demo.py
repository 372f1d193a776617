"""Every API v3 response about the ALMA demo, in both languages, validates against the
published OpenAPI document: page listings, every page's detail, every guideline's citation."""

import pytest
from wagtail.models import Locale, Page

from alma_cms.page_types import alma_page_models
from alma_cms.pages.models import GuidelineDocumentPage
from tests.api.helpers import errors_of, response_validator, skip_without_api_v3

skip_without_api_v3()
pytest.importorskip("jsonschema")
pytestmark = pytest.mark.usefixtures("v3_demo", "db", "v3_urls")

LIST = "/api/v3/pages/"
DETAIL = "/api/v3/pages/{page_id}/"
GUIDELINE = "/api/v3/alma/guidelines/{document_id}/{reference}"
LOCALES = ["en", "ru"]


@pytest.fixture(scope="module")
def document(v3_document):
    return v3_document


def get(client, path, **params):
    response = client.get(path, params)
    assert response.status_code == 200, (path, params, response.content[:500])
    return response.json()


def listed_ids(client, validator, **params):
    """Ids of every page the listing gives for ``params``, each page of it validated."""
    ids, offset = [], 0
    while True:
        data = get(client, LIST, limit=20, offset=offset, **params)
        assert errors_of(validator, data) == [], (params, offset)
        ids += [item["id"] for item in data["items"]]
        offset += 20
        if offset >= data["count"]:
            assert len(ids) == data["count"]
            return ids


@pytest.mark.parametrize("locale", LOCALES)
def test_every_listing_and_every_page_validates(client, document, locale):
    list_validator = response_validator(document, LIST)
    detail_validator = response_validator(document, DETAIL)
    ids = listed_ids(client, list_validator, locale=locale)
    expected = Page.objects.live().public().filter(locale__language_code=locale, depth__gt=1)
    assert sorted(ids) == sorted(expected.values_list("pk", flat=True))
    assert len(ids) > 30

    types = set()
    for page_id in ids:
        data = get(client, DETAIL.format(page_id=page_id))
        assert errors_of(detail_validator, data) == [], (page_id, data["meta"]["type"])
        assert data["meta"]["locale"] == locale
        types.add(data["meta"]["type"])
    assert types == {page.specific_class._meta.label for page in expected}
    alma_types = {model._meta.label for model in alma_page_models()}
    if locale == "ru":
        # Quotations stay in the language they were said in: the Russian tree has none.
        alma_types.discard("alma_cms_pages.QuotationPage")
    assert alma_types <= types


@pytest.mark.parametrize("locale", LOCALES)
def test_listings_by_type_validate(client, document, locale):
    validator = response_validator(document, LIST)
    for page_type in ("ForumEditionPage", "SpeakerPage", "GuidelineDocumentPage"):
        ids = listed_ids(client, validator, locale=locale, type=f"alma_cms_pages.{page_type}")
        assert ids, page_type


def test_the_demo_bodies_use_their_typed_blocks(client, document):
    """The validation above covered real blocks, not empty streams."""
    edition = Page.objects.get(locale__language_code="en", slug="alma-2021")
    body = get(client, DETAIL.format(page_id=edition.pk))["body"]
    assert {"discussion_panel", "featured_quotation", "speaker_list", "statistics"} <= {
        item["type"] for item in body
    }


@pytest.mark.parametrize("locale", LOCALES)
def test_every_guideline_citation_validates(client, document, locale):
    validator = response_validator(document, GUIDELINE)
    source = GuidelineDocumentPage.objects.get(locale__language_code="en")
    target = source.get_translation(Locale.objects.get(language_code=locale))
    citations = []
    for direction in target.numbered_directions:
        for guideline in direction.guidelines:
            data = get(
                client,
                GUIDELINE.format(document_id=source.pk, reference=guideline.number),
                locale=locale,
            )
            assert errors_of(validator, data) == [], guideline.number
            assert data["document"]["id"] == target.pk
            assert data["guideline"]["id"] == guideline.id
            citations.append(data["citation"])
    assert len(citations) == 5 + 5 + 6 + 4 + 4 + 3
    assert citations[7] == f"{target.title}, II.3"


def test_a_guideline_is_the_same_in_both_languages(client, db):
    english = GuidelineDocumentPage.objects.get(locale__language_code="en")
    en = get(client, GUIDELINE.format(document_id=english.pk, reference="II.3"))
    ru = get(client, GUIDELINE.format(document_id=english.pk, reference="II.3"), locale="ru")
    assert en["citation"] == "ALMA 2019 Final Document, II.3"
    assert ru["citation"] == "Итоговый документ ALMA 2019, II.3"
    assert en["guideline"]["id"] == ru["guideline"]["id"]
    assert en["direction"]["id"] == ru["direction"]["id"]
    assert en["guideline"]["title"] != ru["guideline"]["title"]
    by_id = get(
        client,
        GUIDELINE.format(document_id=english.pk, reference=en["guideline"]["id"]),
        locale="ru",
    )
    assert by_id == ru
