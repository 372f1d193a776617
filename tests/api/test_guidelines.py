"""One guideline, fetched and cited on its own: ``/api/v3/alma/guidelines/<doc>/<ref>`` and
the plain v2 view ``/api/v2/guidelines/<doc>/<ref>`` (alma_cms.api.guidelines)."""

import uuid

import pytest
from wagtail.models import Locale, Page, PageViewRestriction

from tests.api.helpers import HAS_API_V3
from tests.testapp.factories import DIRECTION_TITLES, guideline_title

pytestmark = pytest.mark.usefixtures("v3_urls")

V3 = pytest.param(
    "v3",
    marks=pytest.mark.skipif(not HAS_API_V3, reason="API v3 needs Wagtail 8"),
)
BOTH = [V3, "v2"]


def url(api, document_id, reference, **params):
    base = "/api/v3/alma/guidelines/" if api == "v3" else "/api/v2/guidelines/"
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{base}{document_id}/{reference}" + (f"?{query}" if query else "")


def get(client, api, document_id, reference, expected=200, **params):
    response = client.get(url(api, document_id, reference, **params))
    assert response.status_code == expected, (response.status_code, response.content[:600])
    return response.json()


def not_found(client, api, document_id, reference, **params):
    """The 404 message: v3 answers with an RFC 7807 problem, v2 like Wagtail's API v2."""
    response = client.get(url(api, document_id, reference, **params))
    assert response.status_code == 404, (response.status_code, response.content[:600])
    if api == "v3":
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == 404
        return response.json()["detail"]
    return response.json()["message"]


def guideline(page, number):
    direction, found = page.get_guideline(number)
    return direction, found


# --- finding and citing -------------------------------------------------------------------------


@pytest.mark.parametrize("api", BOTH)
def test_a_guideline_by_its_number(alma, client, api):
    document = alma.final_document
    direction, found = guideline(document, "II.3")
    data = get(client, api, document.pk, "II.3")
    assert data["document"] == {
        "id": document.pk,
        "title": "ALMA 2019 Final Document",
        "url": document.get_full_url(),
    }
    assert data["direction"] == {"id": direction.id, "number": "II", "title": DIRECTION_TITLES[1]}
    assert data["guideline"] == {
        "id": found.id,
        "number": "II.3",
        "heading": guideline_title(1, 2),
        "title": guideline_title(1, 2),
        "role": "",
        "actor": None,
        "text": "",
        "url": f"{document.get_full_url()}#guideline-{found.id}",
    }
    assert data["locale"] == "en"
    assert data["citation"] == "ALMA 2019 Final Document, II.3"


@pytest.mark.parametrize("api", BOTH)
def test_a_guideline_by_its_stable_id(alma, client, api):
    _direction, found = guideline(alma.final_document, "IV.2")
    data = get(client, api, alma.final_document.pk, found.id)
    assert data["guideline"]["number"] == "IV.2"
    assert data["citation"] == "ALMA 2019 Final Document, IV.2"
    upper = get(client, api, alma.final_document.pk, found.id.upper())
    assert upper == data


@pytest.mark.parametrize("api", BOTH)
def test_numbers_are_read_in_any_case(alma, client, api):
    assert get(client, api, alma.final_document.pk, "vi.3")["guideline"]["number"] == "VI.3"


@pytest.mark.parametrize("api", BOTH)
def test_a_role_guideline_is_headed_by_its_actor_and_role(alma, client, api):
    data = get(client, api, alma.final_document.pk, "V.2")["guideline"]
    assert data["heading"] == "RLA acting as Marketing Analyst"
    assert data["title"] == ""
    assert data["role"] == "Marketing Analyst"
    assert data["actor"]["short_name"] == "RLA"
    assert data["actor"]["id"] == alma.rla.pk
    assert data["text"] == "<p>What the association does as Marketing Analyst.</p>"


# --- locales ------------------------------------------------------------------------------------


@pytest.mark.parametrize("api", BOTH)
def test_the_same_guideline_from_the_russian_document(alma, ru_final_document, client, api):
    _direction, found = guideline(alma.final_document, "II.3")
    by_number = get(client, api, alma.final_document.pk, "II.3", locale="ru")
    assert by_number["locale"] == "ru"
    assert by_number["document"]["id"] == ru_final_document.pk
    assert by_number["document"]["title"] == "Итоговый документ ALMA 2019"
    assert by_number["guideline"]["id"] == found.id
    assert by_number["guideline"]["title"] == "Библиотеки и исследования: пункт c"
    assert by_number["citation"] == "Итоговый документ ALMA 2019, II.3"
    assert get(client, api, alma.final_document.pk, found.id, locale="ru") == by_number
    # From the Russian document: Russian by default, English on request.
    assert get(client, api, ru_final_document.pk, "II.3") == by_number
    english = get(client, api, ru_final_document.pk, "II.3", locale="en")
    assert english["document"]["id"] == alma.final_document.pk
    assert english["citation"] == "ALMA 2019 Final Document, II.3"


@pytest.mark.parametrize("api", BOTH)
def test_labels_follow_the_document_language(alma, ru_final_document, client, api):
    heading = get(client, api, alma.final_document.pk, "V.1", locale="ru")["guideline"]["heading"]
    assert heading == "RLA в роли «Visionary»"
    # ... whatever language the request asks for.
    response = client.get(url(api, alma.final_document.pk, "V.1"), HTTP_ACCEPT_LANGUAGE="ru")
    assert response.json()["guideline"]["heading"] == "RLA acting as Visionary"


# --- what is not there, or not public -------------------------------------------------------


@pytest.mark.parametrize("api", BOTH)
@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("VII.1", "No guideline 'VII.1' in 'ALMA 2019 Final Document'."),
        ("II.6", "No guideline 'II.6' in 'ALMA 2019 Final Document'."),
        ("II.0", "No guideline 'II.0' in 'ALMA 2019 Final Document'."),
        ("IIII.1", "No guideline 'IIII.1' in 'ALMA 2019 Final Document'."),
    ],
)
def test_unknown_numbers_are_404(alma, client, api, reference, message):
    assert not_found(client, api, alma.final_document.pk, reference) == message


# The path of these 404s plus "/" is also a valid page path: LocaleMiddleware must not redirect.
@pytest.mark.parametrize("api", BOTH)
@pytest.mark.parametrize("reference", ["unknown-id", "00000000-0000-4000-8000-000000000000"])
def test_unknown_ids_are_404(alma, client, api, reference):
    message = not_found(client, api, alma.final_document.pk, reference)
    assert message == f"No guideline {reference!r} in 'ALMA 2019 Final Document'."


@pytest.mark.parametrize("api", BOTH)
def test_unknown_documents_and_other_pages_are_404(alma, client, api):
    missing = Page.objects.order_by("-pk").first().pk + 100
    for page_id in (missing, alma.edition_2019.pk, alma.guideline_index.pk):
        message = not_found(client, api, page_id, "II.3")
        assert message == f"No guideline document with id {page_id}."


@pytest.mark.parametrize("api", BOTH)
def test_unknown_locales_and_missing_translations_are_404(alma, client, api):
    document = alma.final_document
    assert not_found(client, api, document.pk, "II.3", locale="de") == "Unknown locale 'de'."
    Locale.objects.create(language_code="fr")
    assert not_found(client, api, document.pk, "II.3", locale="fr") == (
        f"Guideline document {document.pk} has no translation in locale 'fr'."
    )


@pytest.mark.parametrize("api", BOTH)
def test_a_draft_translation_is_404(alma, ru_final_document, client, api):
    Page.objects.get(pk=ru_final_document.pk).specific.unpublish()
    assert not_found(client, api, alma.final_document.pk, "II.3", locale="ru") == (
        f"Guideline document {alma.final_document.pk} has no translation in locale 'ru'."
    )


def hide(document, how):
    if how == "draft":
        document.unpublish()
    elif how == "expired":
        Page.objects.filter(pk=document.pk).update(expired=True)
    elif how == "password":
        PageViewRestriction.objects.create(
            page=document, restriction_type=PageViewRestriction.PASSWORD, password="alma"
        )
    elif how == "login on an ancestor":
        PageViewRestriction.objects.create(
            page=document.get_parent(), restriction_type=PageViewRestriction.LOGIN
        )


@pytest.mark.parametrize("api", BOTH)
@pytest.mark.parametrize("how", ["draft", "expired", "password", "login on an ancestor"])
def test_hidden_documents_are_404_like_missing_ones(alma, client, api, how):
    document = alma.final_document
    hide(document, how)
    message = not_found(client, api, document.pk, "II.3")
    assert message == f"No guideline document with id {document.pk}."


@pytest.mark.parametrize("api", BOTH)
def test_a_logged_in_user_passes_a_login_restriction_in_v2_only(
    alma, client, api, django_user_model
):
    document = alma.final_document
    hide(document, "login on an ancestor")
    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    if api == "v2":
        assert get(client, api, document.pk, "II.3")["citation"].endswith("II.3")
    else:
        # API v3 ignores session cookies (bearer tokens only): the caller is anonymous.
        not_found(client, api, document.pk, "II.3")


def test_v2_view_answers_get_only(alma, client):
    response = client.post(url("v2", alma.final_document.pk, "II.3"))
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_a_new_guideline_id_is_citable_after_reordering(alma, client):
    """Ids are stable, numbers are computed: move direction II first, cite it by id."""
    document = alma.final_document
    _direction, found = guideline(document, "II.3")
    raw = list(document.directions.raw_data)
    document.directions = [raw[1], raw[0], *raw[2:]]
    document.save_revision().publish()
    data = get(client, "v2", document.pk, found.id)
    assert data["guideline"]["number"] == "I.3"
    assert data["citation"] == "ALMA 2019 Final Document, I.3"
    assert str(uuid.UUID(data["guideline"]["id"])) == found.id


@pytest.mark.parametrize("api", BOTH)
def test_citations_are_cached_like_every_public_response(alma, client, api, settings):
    settings.ALMA_CMS = {"API_CACHE_MAX_AGE": 120}
    document = alma.final_document
    response = client.get(url(api, document.pk, "II.3"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=120"
    assert response["Last-Modified"]
    again = client.get(url(api, document.pk, "II.3"), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    other = client.get(url(api, document.pk, "II.4"), HTTP_IF_NONE_MATCH=response["ETag"])
    assert other.status_code == 200


def test_a_restricted_citation_is_not_cached_publicly(alma, client, django_user_model):
    hide(alma.final_document, "login on an ancestor")
    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    response = client.get(url("v2", alma.final_document.pk, "II.3"))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
