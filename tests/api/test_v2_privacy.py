"""No leaks: what an anonymous caller must never see through the v2 API.

The matrix: every page type × every privacy state × every way to reach a page — the typed and
untyped listings, the detail, ``find``, ``search``, and references from public pages (blocks,
rich-text links, foreign keys, the parent of an announcement). Each test page carries a unique
marker in its title and main text, and another as its slug; a hidden page's markers must appear
nowhere (its slug only in the URLs of public pages below it, which are theirs). A live page with
unpublished changes must be served in its live version: its draft marker must appear nowhere,
its live one everywhere it is shown.

The matrix's tables, page builders and checks are in ``tests/api/privacy_matrix.py``; API v3
runs them too (``test_v3_privacy``).
"""

import re

import pytest
from django.utils import translation
from wagtail.models import Page, PageViewRestriction

from alma_cms.pages import models as m
from tests.api.helpers import API, detail, listing, marker, type_param
from tests.api.privacy_matrix import (
    DRAFT_FIELD,
    HIDDEN_STATES,
    HIDDEN_TRANSLATION_STATES,
    PAGE_TYPES,
    check_html_hidden,
    check_live_version_found_and_referred_to,
    check_references_fall_back,
    check_references_hidden,
    check_restricted_media_hidden,
    fetch,
    hrefs,
    html_path,
    ids,
    make_hidden_translation,
    make_page_in_state,
    make_referrers,
    make_restricted_media,
    visible_page_tags,
)
from tests.testapp.factories import make_speaker

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def check_structured_data_and_feeds_hidden(client, alma, page, referrers, word):
    for referrer in referrers:
        if referrer.path.startswith(page.path):
            continue  # below the hidden page (an award's announcement): its HTML is Wagtail's
        response = client.get(html_path(alma, referrer))
        assert response.status_code == 200, type(referrer).__name__
        scripts = JSON_LD.findall(response.content.decode())
        assert scripts, f"{type(referrer).__name__} has no JSON-LD"
        assert all(word not in script for script in scripts), type(referrer).__name__
    index_feed = client.get(html_path(alma, alma.forum_index) + "calendar/")
    assert index_feed.status_code == 200 and word not in index_feed.content.decode()
    if isinstance(page, m.ForumEditionPage):
        own_feed = client.get(html_path(alma, page) + "calendar/")
        assert own_feed.status_code != 200 or word not in own_feed.content.decode()
        assert "BEGIN:VEVENT" not in own_feed.content.decode()


@pytest.mark.parametrize("state", HIDDEN_STATES)
@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda c: c.__name__)
def test_hidden_page_never_reaches_an_anonymous_caller(alma, client, model, state):
    word, slug = marker("pub"), marker("slug")
    page = make_page_in_state(alma, model, state, word, marker("unused"), slug)
    referrers = make_referrers(alma, page)
    # Public pages below the hidden one (an award's announcement) show its slug in their URLs.
    has_public_children = any(r.path.startswith(page.path) for r in referrers)

    # Listings: typed (all fields) and untyped.
    response, text = fetch(client, f"{API}pages/", type=type_param(model), fields="*", limit=100)
    assert response.status_code == 200
    assert page.pk not in ids(response.json()) and word not in text and slug not in text
    response, text = fetch(client, f"{API}pages/", limit=100)
    assert page.pk not in ids(response.json()) and word not in text
    assert has_public_children or slug not in text

    # Detail.
    response, text = fetch(client, f"{API}pages/{page.pk}/")
    assert response.status_code == 404 and word not in text and slug not in text

    # find, by path and by id.
    response, _text = fetch(client, f"{API}pages/find/", html_path=html_path(alma, page))
    assert response.status_code == 404
    response, _text = fetch(client, f"{API}pages/find/", id=page.pk)
    assert response.status_code == 404

    # search, untyped and typed.
    for params in ({"search": word}, {"search": word, "type": type_param(model)}):
        response, text = fetch(client, f"{API}pages/", **params)
        assert response.status_code == 200
        assert response.json()["items"] == [] and word not in text and slug not in text

    # As a filter target: a hidden page is not a valid parent or source.
    for parameter in ("child_of", "translation_of", "descendant_of"):
        response, text = fetch(client, f"{API}pages/", **{parameter: page.pk})
        assert response.status_code == 400 and word not in text

    # References from public pages.
    check_references_hidden(client, referrers, page, word, slug, state=state)

    # Outside the API: the JSON-LD of the public pages that refer to it, calendar feeds, the
    # template tags and the links of the referring HTML pages.
    check_structured_data_and_feeds_hidden(client, alma, page, referrers, word)
    check_html_hidden(client, alma, page, referrers, slug)


@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda c: c.__name__)
def test_live_page_with_unpublished_changes_is_served_live(alma, client, model):
    word, draft_word = marker("pub"), marker("draft")
    page = make_page_in_state(alma, model, "unpublished_changes", word, draft_word)
    referrers = make_referrers(alma, page)
    field = DRAFT_FIELD[model]

    response, text = fetch(client, f"{API}pages/", type=type_param(model), fields="*", limit=100)
    items = {item["id"]: item for item in response.json()["items"]}
    assert items[page.pk]["title"] == f"Public {word}"
    assert word in items[page.pk][field] and draft_word not in text

    response, text = fetch(client, f"{API}pages/{page.pk}/")
    assert response.status_code == 200
    assert response.json()["title"] == f"Public {word}"
    assert word in response.json()[field] and draft_word not in text

    check_live_version_found_and_referred_to(client, alma, page, referrers, word, draft_word)


def test_restricted_ancestor_hides_its_subtree(alma, client):
    """A view restriction on the speaker index hides every speaker below it, and references
    to those speakers from public pages."""
    PageViewRestriction.objects.create(page=alma.speaker_index, restriction_type="login")
    speaker = alma.mackenzie
    data = client.get(f"{API}pages/", {"type": type_param(m.SpeakerPage)}).json()
    assert data["items"] == []
    assert client.get(f"{API}pages/{speaker.pk}/").status_code == 404
    edition = client.get(f"{API}pages/{alma.edition_2021.pk}/").json()
    assert edition["moderator"] is None
    assert "Mackenzie" not in str(edition["body"])
    quotation = client.get(f"{API}pages/{alma.quotation.pk}/").json()
    assert quotation["speaker"] is None


def test_hidden_translation_is_not_listed(alma, alma_ru, client):
    """``meta.translations`` lists only the translations the caller may see."""
    url = f"{API}pages/{alma.edition_2021.pk}/"
    assert [t["locale"] for t in client.get(url).json()["meta"]["translations"]] == ["ru"]
    PageViewRestriction.objects.create(
        page=alma_ru.edition_2021, restriction_type="password", password="x"
    )
    assert client.get(url).json()["meta"]["translations"] == []
    PageViewRestriction.objects.all().delete()
    alma_ru.edition_2021.unpublish()
    assert client.get(url).json()["meta"]["translations"] == []


# --- Aliases and translations (issue #6, item 9) ----------------------------------------------


def json_ld_of(client, alma, page):
    response = client.get(html_path(alma, page))
    assert response.status_code == 200
    scripts = JSON_LD.findall(response.content.decode())
    assert scripts
    return "\n".join(scripts)


@pytest.mark.parametrize("model", [m.QuotationPage, m.SpeakerPage], ids=lambda c: c.__name__)
def test_alias_of_restricted_page_is_hidden_from_russian_pages(alma, alma_ru, client, model):
    """A Russian alias of an English quotation or speaker that then gets a password: a public
    Russian edition that refers to the alias shows nothing of it (the alias itself is hidden
    everywhere: the matrix's ``alias_of_restricted`` state)."""
    word, slug = marker("pub"), marker("slug")
    alias = make_page_in_state(alma, model, "alias_of_restricted", word, "", slug)
    assert alias.alias_of_id and alias.locale_id == alma_ru.locale.pk
    referrers = make_referrers(alma, alias, forum_index=alma_ru.forum_index)
    assert html_path(alma, referrers[0]).startswith("/ru/forum/")

    assert client.get(f"{API}pages/{alias.pk}/").status_code == 404
    response = client.get(f"{API}pages/find/", {"html_path": html_path(alma, alias)})
    assert response.status_code == 404
    check_references_hidden(client, referrers, alias, word, slug, state="alias_of_restricted")
    assert word not in json_ld_of(client, alma, referrers[0])
    check_html_hidden(client, alma, alias, referrers, slug)
    with translation.override("ru"):
        assert visible_page_tags(alias) == ("None", "None")
        assert visible_page_tags(alias.alias_of) == ("None", "None")

    # Who gave the password sees the alias, as Wagtail's own front end shows it.
    restriction = PageViewRestriction.objects.get()
    session = client.session
    session[restriction.passed_view_restrictions_session_key] = [restriction.pk]
    session.save()
    assert client.get(f"{API}pages/{alias.pk}/").status_code == 200


def test_alias_of_restricted_page_is_left_out_of_its_index(alma, client):
    """The index pages list what anyone may see: their HTML, JSON-LD and calendar feed leave
    out an alias whose source is restricted."""
    word = marker("pub")
    alias = make_page_in_state(alma, m.ForumEditionPage, "alias_of_restricted", word, "")
    index = alias.get_parent().specific
    assert word not in client.get(html_path(alma, index)).content.decode()
    assert word not in client.get(html_path(alma, index) + "calendar/").content.decode()


def test_page_below_alias_of_restricted_page_is_hidden(alma, alma_ru, client):
    """A Russian page under an alias whose source is restricted is hidden with it, as Wagtail
    resolves each ancestor that is an alias to its source when it checks restrictions."""
    word = marker("pub")
    index_alias = alma.quotation_index.copy_for_translation(alma_ru.locale, alias=True)
    quotation = alma.quotation.copy_for_translation(alma_ru.locale)
    quotation.title, quotation.text = f"Цитата {word}", word
    quotation.save()
    quotation.save_revision().publish()
    assert quotation.get_parent().pk == index_alias.pk
    # Searched in Russian: a search keeps to one language (alma_cms.api.search).
    listed = client.get(f"{API}pages/", {"search": word, "locale": "ru"}).json()
    assert ids(listed) == [quotation.pk]

    PageViewRestriction.objects.create(page=alma.quotation_index, restriction_type="login")
    for url in (f"{API}pages/{quotation.pk}/", f"{API}pages/{index_alias.pk}/"):
        assert client.get(url).status_code == 404, url
    assert client.get(f"{API}pages/", {"search": word, "locale": "ru"}).json()["items"] == []
    response = client.get(f"{API}pages/find/", {"html_path": html_path(alma, quotation)})
    assert response.status_code == 404
    edition = make_referrers(alma, quotation, forum_index=alma_ru.forum_index)[0]
    body = {b["type"]: b["value"] for b in detail(client, edition)["body"]}
    assert body["featured_quotation"]["quotation"] is None
    with translation.override("ru"):
        assert visible_page_tags(quotation) == ("None", "None")


@pytest.mark.parametrize("state", HIDDEN_TRANSLATION_STATES)
def test_hidden_translation_gives_way_to_its_source(alma, alma_ru, client, state):
    """A Russian edition refers to an English speaker whose Russian translation is a draft,
    restricted or expired: the English speaker stands in, in every output, as for a speaker
    that has no Russian translation."""
    speaker, hidden, word = make_hidden_translation(alma, alma_ru, state)
    edition = make_referrers(alma, speaker, forum_index=alma_ru.forum_index)[0]

    check_references_fall_back(client, edition, speaker, word)

    response = client.get(html_path(alma, edition))
    assert response.status_code == 200
    html = response.content.decode()
    links = hrefs(html)
    assert speaker.url in links and hidden.url not in links
    assert word not in html
    json_ld = json_ld_of(client, alma, edition)
    assert f'"url": "{speaker.full_url}"' in json_ld and word not in json_ld
    with translation.override("ru"):
        assert visible_page_tags(speaker) == (str(speaker.pk), str(speaker.pk))
        assert visible_page_tags(hidden) == ("None", "None")


def test_expired_page_is_hidden_in_every_output(alma, client):
    """Issue #6's reproduction: a live speaker and a live edition whose ``expire_at`` has
    passed, before ``publish_scheduled`` runs, are hidden alike by the template tags, the HTML
    page and JSON-LD of a public edition that refers to them, the API and the calendar feeds
    (the API v3 is in the matrix of ``test_v3_privacy``)."""
    word, slug = marker("pub"), marker("slug")
    speaker = make_page_in_state(alma, m.SpeakerPage, "expired", word, "", slug)
    assert speaker.live and not speaker.expired
    edition = make_referrers(alma, speaker)[0]

    assert visible_page_tags(speaker) == ("None", "None")
    response = client.get(html_path(alma, edition))
    assert response.status_code == 200
    assert not [href for href in hrefs(response.content.decode()) if slug in href]
    assert word not in json_ld_of(client, alma, edition)
    data = detail(client, edition)
    assert data["moderator"] is None and word not in str(data)

    expired_word = marker("edition")
    expired = make_page_in_state(alma, m.ForumEditionPage, "expired", expired_word, "")
    assert expired.live and not expired.expired
    index_feed = client.get(html_path(alma, alma.forum_index) + "calendar/")
    assert index_feed.status_code == 200 and alma.edition_2021.title in index_feed.content.decode()
    assert expired_word not in index_feed.content.decode()
    assert client.get(html_path(alma, expired) + "calendar/").status_code == 404
    assert visible_page_tags(expired) == ("None", "None")


# --- One by one: a draft, a restricted page, an unpublished reference -----------------------------


def assert_not_found(client, url):
    # The sandbox's LocaleMiddleware turns any 404 into a redirect to /en/<path> (the i18n page
    # catch-all matches everything), which then 404s: follow it to the final answer.
    response = client.get(url, follow=True)
    assert response.status_code == 404
    assert b"Draftov" not in response.content and b"Lison" not in response.content


def test_draft_page_is_not_served(alma, client):
    draft = make_speaker(alma.speaker_index, "Dmitry", "Draftov", publish=False)
    ids = [item["id"] for item in listing(client, m.SpeakerPage)["items"]]
    assert draft.pk not in ids
    assert alma.mackenzie.pk in ids
    assert_not_found(client, f"/api/v2/pages/{draft.pk}/")


def test_private_page_is_not_served(alma, client):
    PageViewRestriction.objects.create(
        page=alma.lison, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    ids = [item["id"] for item in listing(client, m.SpeakerPage)["items"]]
    assert alma.lison.pk not in ids
    assert_not_found(client, f"/api/v2/pages/{alma.lison.pk}/")


def test_unpublished_speaker_disappears_from_edition_body(alma, client):
    alma.lison.unpublish()
    body = {b["type"]: b for b in detail(client, alma.edition_2021)["body"]}
    assert [s["name"] for s in body["speaker_list"]["value"]["speakers"]] == ["Christine Mackenzie"]


# --- Callers who may see more -----------------------------------------------------------------


def test_logged_in_caller_sees_login_restricted_page_privately(alma, client, django_user_model):
    word = marker("pub")
    page = make_page_in_state(alma, m.SpeakerPage, "login", word, "")
    assert client.get(f"{API}pages/{page.pk}/").status_code == 404

    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    response = client.get(f"{API}pages/{page.pk}/")
    assert response.status_code == 200 and word in response.content.decode()
    # Seen only by who passes the restriction: never stored by shared caches.
    assert response["Cache-Control"] == "private, no-cache"
    listing = client.get(f"{API}pages/", {"type": type_param(m.SpeakerPage)})
    assert page.pk in ids(listing.json())
    assert listing["Cache-Control"] == "private, no-cache"


def test_group_member_sees_group_restricted_page(alma, client, django_user_model):
    word = marker("pub")
    page = make_page_in_state(alma, m.QuotationPage, "groups", word, "")
    group = PageViewRestriction.objects.get(page=page).groups.get()
    outsider = django_user_model.objects.create_user("outsider", password="x")
    member = django_user_model.objects.create_user("member", password="x")
    member.groups.add(group)

    client.force_login(outsider)
    assert client.get(f"{API}pages/{page.pk}/").status_code == 404
    client.force_login(member)
    assert client.get(f"{API}pages/{page.pk}/").status_code == 200


def test_caller_who_gave_the_password_sees_the_page(alma, client):
    word = marker("pub")
    page = make_page_in_state(alma, m.GuidelineDocumentPage, "password", word, "")
    restriction = PageViewRestriction.objects.get(page=page)
    assert client.get(f"{API}pages/{page.pk}/").status_code == 404
    session = client.session
    session[restriction.passed_view_restrictions_session_key] = [restriction.pk]
    session.save()
    response = client.get(f"{API}pages/{page.pk}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"


def test_anonymous_responses_are_public_even_with_restrictions_around(alma, client):
    make_page_in_state(alma, m.SpeakerPage, "login", marker("pub"), "")
    response = client.get(f"{API}pages/{alma.edition_2021.pk}/")
    assert response["Cache-Control"] == "public, max-age=60"


# --- The helpers other endpoints share (alma_cms.api.privacy) ---------------------------------


def test_privacy_helpers(alma, rf, django_user_model):
    """The helpers of the deprecated ``alma_cms.api.privacy`` still work, and warn."""
    with pytest.warns(DeprecationWarning, match="alma_cms.api.privacy"):
        from alma_cms.api.privacy import (
            anonymous_scope,
            get_scope,
            is_visible,
            public_pages,
            request_scope,
            restricted_page_ids,
        )

    PageViewRestriction.objects.create(page=alma.speaker_index, restriction_type="login")
    draft = make_page_in_state(alma, m.AwardPage, "draft", marker("pub"), "")
    expired = make_page_in_state(alma, m.AwardPage, "expired", marker("pub"), "")
    speakers = {alma.speaker_index.pk, alma.mackenzie.pk, alma.lison.pk, alma.gorokhova.pk}

    # Anonymous (no request, or a request without a user).
    assert restricted_page_ids() == frozenset(speakers)
    visible = set(public_pages(Page.objects.all()).values_list("pk", flat=True))
    assert not visible & (speakers | {draft.pk, expired.pk})
    assert alma.edition_2021.pk in visible
    assert not is_visible(alma.mackenzie) and not is_visible(draft) and not is_visible(expired)
    assert is_visible(alma.edition_2021)

    # A logged-in caller passes the login restriction; its scope says so.
    request = rf.get("/")
    request.user = django_user_model.objects.create_user("reader", password="x")
    request.session = {}
    assert restricted_page_ids(request) == frozenset()
    assert is_visible(alma.mackenzie, request)
    scope = get_scope(request)
    assert scope is get_scope(request) and scope.sees_restricted_content
    # ... while JSON-LD and iCal, meant for everyone, keep anonymous rules.
    with request_scope(request):
        assert not anonymous_scope().is_visible(alma.mackenzie)
    # An anonymous request's scope serves as the anonymous scope itself (one cache).
    anonymous = rf.get("/")
    anonymous.session = {}
    with request_scope(anonymous) as own:
        assert anonymous_scope() is own


def test_restricted_page_ids_is_cached_per_request(alma, rf, django_assert_num_queries):
    from alma_cms.scope import get_scope

    def restricted_page_ids(request):
        return get_scope(request).restricted_page_ids

    PageViewRestriction.objects.create(page=alma.award, restriction_type="password", password="x")
    request = rf.get("/")
    request.session = {}
    with django_assert_num_queries(2):  # the restrictions, then the pages below them
        ids_once = restricted_page_ids(request)
        assert restricted_page_ids(request) == ids_once
    assert ids_once == {alma.award.pk, alma.established.pk, alma.winners.pk}


# --- Images and documents in restricted collections -------------------------------------------


def test_media_in_restricted_collections_are_not_shown(alma, client, django_user_model):
    edition, words = make_restricted_media(alma)
    check_restricted_media_hidden(client, edition, words)
    speaker = client.get(f"{API}pages/{alma.mackenzie.pk}/").json()
    assert speaker["photo"] is None
    # A logged-in caller passes the collection's login restriction.
    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    data = client.get(f"{API}pages/{edition.pk}/").json()
    blocks = {block["type"]: block["value"] for block in data["body"]}
    assert blocks["image"]["image"]["url"] and blocks["document"]["document"]["url"]
    assert "href" in blocks["paragraph"]
