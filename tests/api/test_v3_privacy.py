"""No leaks through Wagtail's API v3 with alma-cms installed: the v2 matrix (``test_v2_privacy``,
built by ``tests/api/privacy_matrix.py``) run against ``/api/v3/``.

Every page type × every hidden state × every v3 way to reach a page: the typed and untyped
listings, the detail (also with ``version=draft``), ``find`` by path and by id, search, the
page as a filter target, and references from public pages (blocks, rich-text links, foreign keys,
``meta.parent``). A live page with unpublished changes is served in its live version.
"""

import pytest
from wagtail.models import PageViewRestriction

from alma_cms.pages import models as m
from tests.api.helpers import marker, skip_without_api_v3, type_param
from tests.api.privacy_matrix import (
    DRAFT_FIELD,
    HIDDEN_STATES,
    HIDDEN_TRANSLATION_STATES,
    PAGE_TYPES,
    check_live_version_found_and_referred_to,
    check_references_fall_back,
    check_references_hidden,
    check_restricted_media_hidden,
    fetch,
    html_path,
    ids,
    make_hidden_translation,
    make_page_in_state,
    make_referrers,
    make_restricted_media,
)

skip_without_api_v3()
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("v3_urls")]

V3 = "/api/v3/"


@pytest.mark.parametrize("state", HIDDEN_STATES)
@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda c: c.__name__)
def test_hidden_page_never_reaches_an_anonymous_caller(alma, client, model, state):
    word, slug = marker("pub"), marker("slug")
    page = make_page_in_state(alma, model, state, word, marker("unused"), slug)
    referrers = make_referrers(alma, page)
    has_public_children = any(r.path.startswith(page.path) for r in referrers)

    # Listings: typed and untyped.
    response, text = fetch(client, f"{V3}pages/", type=type_param(model), limit=100)
    assert response.status_code == 200, text[:300]
    assert page.pk not in ids(response.json()) and word not in text and slug not in text
    response, text = fetch(client, f"{V3}pages/", limit=100)
    assert page.pk not in ids(response.json()) and word not in text
    assert has_public_children or slug not in text

    # Detail, also asking for the draft.
    for params in ({}, {"version": "draft"}):
        response, text = fetch(client, f"{V3}pages/{page.pk}/", **params)
        assert response.status_code == 404 and word not in text and slug not in text

    # find, by path and by id.
    response, text = fetch(client, f"{V3}pages/find/", html_path=html_path(alma, page))
    assert response.status_code == 404 and word not in text
    response, text = fetch(client, f"{V3}pages/find/", id=page.pk)
    assert response.status_code == 404 and word not in text

    # search, untyped and typed.
    for params in ({"search": word}, {"search": word, "type": type_param(model)}):
        response, text = fetch(client, f"{V3}pages/", **params)
        assert response.status_code == 200, text[:300]
        assert response.json()["items"] == [] and word not in text and slug not in text

    # As a filter target: a hidden page is no valid parent, ancestor or source.
    for parameter in ("child_of", "descendant_of", "ancestor_of", "translation_of"):
        response, text = fetch(client, f"{V3}pages/", **{parameter: page.pk})
        assert 400 <= response.status_code < 500, (parameter, response.status_code)
        assert word not in text

    # References from public pages, the parent in meta included.
    check_references_hidden(client, referrers, page, word, slug, api=V3, state=state)
    for referrer in referrers:
        response, text = fetch(client, f"{V3}pages/{referrer.pk}/")
        if response.status_code == 200 and referrer.path.startswith(page.path):
            assert response.json()["meta"]["parent"] is None


@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda c: c.__name__)
def test_live_page_with_unpublished_changes_is_served_live(alma, client, model):
    word, draft_word = marker("pub"), marker("draft")
    page = make_page_in_state(alma, model, "unpublished_changes", word, draft_word)
    referrers = make_referrers(alma, page)
    field = DRAFT_FIELD[model]

    response, text = fetch(client, f"{V3}pages/", type=type_param(model), limit=100)
    items = {item["id"]: item for item in response.json()["items"]}
    assert items[page.pk]["title"] == f"Public {word}" and draft_word not in text

    for params in ({}, {"version": "draft"}):  # the draft only for who may edit
        response, text = fetch(client, f"{V3}pages/{page.pk}/", **params)
        assert response.status_code == 200
        data = response.json()
        assert data["title"] == f"Public {word}" and word in data[field]
        assert draft_word not in text

    check_live_version_found_and_referred_to(
        client, alma, page, referrers, word, draft_word, api=V3
    )


@pytest.mark.parametrize("model", [m.QuotationPage, m.SpeakerPage], ids=lambda c: c.__name__)
def test_alias_of_restricted_page_is_hidden_from_russian_pages(alma, alma_ru, client, model):
    word, slug = marker("pub"), marker("slug")
    alias = make_page_in_state(alma, model, "alias_of_restricted", word, "", slug)
    referrers = make_referrers(alma, alias, forum_index=alma_ru.forum_index)

    response, text = fetch(client, f"{V3}pages/{alias.pk}/")
    assert response.status_code == 404 and word not in text
    response, text = fetch(client, f"{V3}pages/find/", html_path=html_path(alma, alias))
    assert response.status_code == 404 and word not in text
    check_references_hidden(
        client, referrers, alias, word, slug, api=V3, state="alias_of_restricted"
    )


def test_page_below_alias_of_restricted_page_is_hidden(alma, alma_ru, client):
    word = marker("pub")
    index_alias = alma.quotation_index.copy_for_translation(alma_ru.locale, alias=True)
    quotation = alma.quotation.copy_for_translation(alma_ru.locale)
    quotation.title, quotation.text = f"Цитата {word}", word
    quotation.save()
    quotation.save_revision().publish()
    assert ids(client.get(f"{V3}pages/", {"search": word, "locale": "ru"}).json()) == [quotation.pk]

    PageViewRestriction.objects.create(page=alma.quotation_index, restriction_type="login")
    for page in (quotation, index_alias):
        assert client.get(f"{V3}pages/{page.pk}/").status_code == 404
    assert client.get(f"{V3}pages/", {"search": word, "locale": "ru"}).json()["items"] == []
    response = client.get(f"{V3}pages/find/", {"html_path": html_path(alma, quotation)})
    assert response.status_code == 404


@pytest.mark.parametrize("state", HIDDEN_TRANSLATION_STATES)
def test_hidden_translation_gives_way_to_its_source(alma, alma_ru, client, state):
    speaker, _hidden, word = make_hidden_translation(alma, alma_ru, state)
    edition = make_referrers(alma, speaker, forum_index=alma_ru.forum_index)[0]
    check_references_fall_back(client, edition, speaker, word, api=V3)


def test_restricted_ancestor_hides_its_subtree(alma, client):
    PageViewRestriction.objects.create(page=alma.speaker_index, restriction_type="login")
    data = client.get(f"{V3}pages/", {"type": type_param(m.SpeakerPage)}).json()
    assert data["items"] == []
    assert client.get(f"{V3}pages/{alma.mackenzie.pk}/").status_code == 404
    edition = client.get(f"{V3}pages/{alma.edition_2021.pk}/").json()
    assert edition["moderator"] is None
    assert "Mackenzie" not in str(edition["body"]) and "Mackenzie" not in str(edition["json_ld"])
    quotation = client.get(f"{V3}pages/{alma.quotation.pk}/").json()
    assert quotation["speaker"] is None


def test_session_login_does_not_open_restricted_pages(alma, client, django_user_model):
    """API v3 authenticates by bearer token only: a session cookie changes nothing."""
    word = marker("pub")
    page = make_page_in_state(alma, m.SpeakerPage, "login", word, "")
    client.force_login(django_user_model.objects.create_superuser("boss", password="x"))
    response, text = fetch(client, f"{V3}pages/{page.pk}/")
    assert response.status_code == 404 and word not in text
    edition = make_referrers(alma, page)[0]
    response, text = fetch(client, f"{V3}pages/{edition.pk}/")
    assert response.status_code == 200 and word not in text


def test_token_holder_sees_what_it_may_edit_privately(alma, client, django_user_model):
    """With a bearer token, Wagtail's rule for editors applies (the pages the user may edit,
    drafts included) and the response is private to that caller."""
    from wagtail.models import APIToken  # Wagtail 8

    word, draft_word = marker("pub"), marker("draft")
    page = make_page_in_state(alma, m.SpeakerPage, "unpublished_changes", word, draft_word)
    editor = django_user_model.objects.create_superuser("editor", password="x")
    _token, key = APIToken.create_token(user=editor, name="front-end preview")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    response = client.get(f"{V3}pages/{page.pk}/", {"version": "draft"}, **auth)
    assert response.status_code == 200 and draft_word in response.content.decode()
    assert response["Cache-Control"] == "private, no-cache"
    assert "Authorization" in response["Vary"]

    anonymous = client.get(f"{V3}pages/{page.pk}/", {"version": "draft"})
    assert draft_word not in anonymous.content.decode()
    assert anonymous["Cache-Control"].startswith("public")
    assert "Authorization" in anonymous["Vary"]


def test_media_in_restricted_collections_are_not_shown(alma, client):
    edition, words = make_restricted_media(alma)
    check_restricted_media_hidden(client, edition, words, api=V3)


def test_filter_on_a_hidden_page_matches_nothing(alma, client):
    """``?speaker=<id>`` of a speaker the caller may not see answers as for an id that does not
    exist (no results), instead of telling which quotations the hidden speaker has."""
    quotation = alma.quotation
    params = {"type": "alma_cms_pages.QuotationPage", "speaker": quotation.speaker_id}
    found = client.get(f"{V3}pages/", params).json()
    assert [item["id"] for item in found["items"]] == [quotation.pk]
    PageViewRestriction.objects.create(page=quotation.speaker, restriction_type="login")
    hidden = client.get(f"{V3}pages/", params).json()
    assert hidden["items"] == [] and hidden["count"] == 0
    missing = client.get(f"{V3}pages/", {**params, "speaker": 987654}).json()
    assert missing["items"] == [] and missing["count"] == 0
