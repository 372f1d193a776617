"""No leaks: what an anonymous caller must never see through the v2 API.

The matrix: every page type × every privacy state × every way to reach a page — the typed and
untyped listings, the detail, ``find``, ``search``, and references from public pages (blocks,
rich-text links, foreign keys, the parent of an announcement). Each test page carries a unique
marker in its title and main text, and another as its slug; a hidden page's markers must appear
nowhere (its slug only in the URLs of public pages below it, which are theirs). A live page with
unpublished changes must be served in its live version: its draft marker must appear nowhere,
its live one everywhere it is shown.
"""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from alma_cms.pages import models as m
from tests.testapp.factories import add_page, list_items

from .conftest import API, marker, type_param

pytestmark = pytest.mark.django_db

D = datetime.date

# A text field shown in each type's representation, changed in the unpublished draft.
DRAFT_FIELD = {
    m.ForumIndexPage: "intro",
    m.ForumEditionPage: "theme",
    m.SpeakerIndexPage: "intro",
    m.SpeakerPage: "family_name",
    m.QuotationIndexPage: "intro",
    m.QuotationPage: "text",
    m.GuidelineDocumentIndexPage: "intro",
    m.GuidelineDocumentPage: "audience",
    m.AwardPage: "name",
    m.AwardAnnouncementPage: "summary",
}
PAGE_TYPES = list(DRAFT_FIELD)
HIDDEN_STATES = [
    "draft",
    "password",
    "login",
    "groups",
    "scheduled",
    "expired",
    "expired_by_cron",
]
STATES = ["unpublished_changes", *HIDDEN_STATES]


def new_page(alma, model, word, slug=None):
    """An unsaved page of ``model`` whose title and main text carry ``word``, and the parent
    it belongs under."""
    title, slug = f"Public {word}", slug or word
    text = f"<p>{word}</p>" if DRAFT_FIELD[model] == "intro" else word
    fields = {"title": title, "slug": slug, DRAFT_FIELD[model]: text}
    if model is m.ForumEditionPage:
        fields.update(year=2030, start_date=D(2030, 4, 1))
        return alma.forum_index, model(**fields)
    if model is m.SpeakerPage:
        fields.update(given_name="Secret")
        return alma.speaker_index, model(**fields)
    if model is m.QuotationPage:
        fields.update(speaker=alma.mackenzie)
        return alma.quotation_index, model(**fields)
    if model is m.GuidelineDocumentPage:
        return alma.guideline_index, model(**fields)
    if model is m.AwardAnnouncementPage:
        fields.update(season_year=2030, kind="established")
        return alma.award, model(**fields)
    return alma.home, model(**fields)


def make_page_in_state(alma, model, state, word, draft_word, slug=None):
    parent, page = new_page(alma, model, word, slug)
    if state == "draft":
        return add_page(parent, page, publish=False)
    if state == "scheduled":
        page.live = False
        page.go_live_at = timezone.now() + datetime.timedelta(days=1)
        parent.add_child(instance=page)
        page.save_revision().publish()
        page.refresh_from_db()
        assert not page.live
        return page
    page = add_page(parent, page)
    if state == "unpublished_changes":
        page.title = f"Draft {draft_word}"
        name = DRAFT_FIELD[model]
        setattr(page, name, f"<p>{draft_word}</p>" if name == "intro" else draft_word)
        page.save_revision()
        page.refresh_from_db()
        assert page.live and page.has_unpublished_changes
    elif state in ("password", "login", "groups"):
        restriction = PageViewRestriction.objects.create(
            page=page, restriction_type=state, password="secret" if state == "password" else ""
        )
        if state == "groups":
            restriction.groups.set([Group.objects.create(name=f"Group {word}")])
    elif state == "expired":
        # Past its expiry date, before the publish_scheduled command has run.
        Page.objects.filter(pk=page.pk).update(
            expire_at=timezone.now() - datetime.timedelta(hours=1)
        )
    elif state == "expired_by_cron":
        Page.objects.filter(pk=page.pk).update(
            expire_at=timezone.now() - datetime.timedelta(hours=1)
        )
        call_command("publish_scheduled", verbosity=0)
        page.refresh_from_db()
        assert page.expired and not page.live
    return Page.objects.get(pk=page.pk).specific


def make_referrers(alma, target):
    """Public pages that refer to ``target`` in every way the package allows."""
    word = marker("ref")
    body = [
        {
            "type": "paragraph",
            "value": f'<p>Read <a linktype="page" id="{target.pk}">this page</a>.</p>',
        },
        {
            "type": "link_list",
            "value": {
                "title": "Links",
                "links": list_items(
                    [{"title": "Target", "page": target.pk, "url": "", "description": ""}]
                ),
            },
        },
        {
            "type": "call_to_action",
            "value": {
                "title": "Go",
                "text": "",
                "button_label": "Go",
                "page": target.pk,
                "url": "",
            },
        },
    ]
    is_speaker = isinstance(target, m.SpeakerPage)
    if is_speaker:
        participant = {"speaker": target.pk, "name": "", "role": "", "topic": "A topic"}
        body += [
            {
                "type": "speaker_list",
                "value": {"title": "", "speakers": list_items([target.pk, alma.lison.pk])},
            },
            {
                "type": "quote",
                "value": {"text": "Words.", "speaker": target.pk, "name": "", "role": ""},
            },
            {
                "type": "discussion_panel",
                "value": {
                    "title": "Panel",
                    "scope": "national",
                    "moderator": participant,
                    "speakers": list_items([participant]),
                    "summary": "",
                },
            },
        ]
    if isinstance(target, m.QuotationPage):
        body.append({"type": "featured_quotation", "value": {"quotation": target.pk}})
    referrers = [
        add_page(
            alma.forum_index,
            m.ForumEditionPage(
                title=f"Referrer {word}",
                slug=word,
                year=2031,
                theme="Referrer",
                start_date=D(2031, 4, 1),
                moderator=target if is_speaker else None,
                body=body,
            ),
        )
    ]
    if is_speaker:
        referrers.append(
            add_page(
                alma.quotation_index,
                m.QuotationPage(
                    title=f"Quote {word}",
                    slug=f"q{word}",
                    text="Words.",
                    speaker=target,
                    speaker_role="Role",
                    forum_edition=alma.edition_2021,
                    said_on=D(2021, 4, 20),
                ),
            )
        )
    if isinstance(target, m.ForumEditionPage):
        referrers.append(
            add_page(
                alma.quotation_index,
                m.QuotationPage(
                    title=f"Quote {word}",
                    slug=f"q{word}",
                    text="Words.",
                    speaker=alma.mackenzie,
                    speaker_role="Role",
                    forum_edition=target,
                    said_on=target.start_date,
                ),
            )
        )
        referrers.append(
            add_page(
                alma.guideline_index,
                m.GuidelineDocumentPage(
                    title=f"Doc {word}",
                    slug=f"d{word}",
                    adopted_at=target,
                    adopted_on=target.start_date,
                    status="finalized",
                ),
            )
        )
    if isinstance(target, m.AwardPage):
        # An announcement is its award's child: its ``award`` field points at the parent.
        referrers.append(
            add_page(
                target,
                m.AwardAnnouncementPage(
                    title=f"Announcement {word}",
                    slug=f"a{word}",
                    season_year=2030,
                    kind="established",
                ),
            )
        )
    return referrers


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


def html_path(alma, page):
    return "/en/" + page.url_path[len(alma.home.url_path) :]


def ids(data):
    return [item["id"] for item in data["items"]]


def fetch(client, path, **params):
    response = client.get(path, params)
    return response, response.content.decode()


def check_references_hidden(client, referrers, target, word, slug, api=API):
    """The public ``referrers`` of the hidden ``target`` show nothing of it (``api``: the base
    URL of the API, v2 or v3, whose page details have the same fields)."""
    for referrer in referrers:
        response, text = fetch(client, f"{api}pages/{referrer.pk}/")
        below_target = referrer.path.startswith(target.path)
        if below_target and response.status_code == 404:
            continue  # under a restricted award: hidden with it
        assert response.status_code == 200, text[:300]
        assert word not in text, f"{type(referrer).__name__} reveals the hidden page"
        if not below_target:
            assert slug not in text, f"{type(referrer).__name__} reveals the hidden page's URL"
        data = response.json()
        if isinstance(referrer, m.ForumEditionPage):
            blocks = {block["type"]: block["value"] for block in data["body"]}
            assert blocks["link_list"]["links"][0]["page"] is None
            assert blocks["call_to_action"]["page"] is None
            assert "href" not in blocks["paragraph"]
            if isinstance(target, m.SpeakerPage):
                assert data["moderator"] is None
                assert [s["id"] for s in blocks["speaker_list"]["speakers"]] != [target.pk]
                assert target.pk not in [s["id"] for s in blocks["speaker_list"]["speakers"]]
                assert blocks["quote"]["speaker"] is None
                assert blocks["discussion_panel"]["moderator"]["speaker"] is None
                assert blocks["discussion_panel"]["speakers"][0]["speaker"] is None
            if isinstance(target, m.QuotationPage):
                assert blocks["featured_quotation"]["quotation"] is None
        elif isinstance(referrer, m.QuotationPage):
            field = "speaker" if isinstance(target, m.SpeakerPage) else "forum_edition"
            assert data[field] is None
        elif isinstance(referrer, m.GuidelineDocumentPage):
            assert data["adopted_at"] is None
        elif isinstance(referrer, m.AwardAnnouncementPage):
            assert data["award"] is None


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
    check_references_hidden(client, referrers, page, word, slug)

    # Outside the API: the JSON-LD of the public pages that refer to it, and calendar feeds.
    check_structured_data_and_feeds_hidden(client, alma, page, referrers, word)


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


def check_live_version_found_and_referred_to(
    client, alma, page, referrers, word, draft_word, api=API
):
    """``find`` leads to the live page, search knows its live text only, and the public pages
    that refer to it show its live version."""
    response, _text = fetch(client, f"{api}pages/find/", html_path=html_path(alma, page))
    assert response.status_code == 302
    assert response["Location"].split("?")[0].endswith(f"{api}pages/{page.pk}/")

    response, text = fetch(client, f"{api}pages/", search=draft_word)
    assert response.json()["items"] == []
    response, text = fetch(client, f"{api}pages/", search=word)
    assert ids(response.json()) == [page.pk] and draft_word not in text

    for referrer in referrers:
        response, text = fetch(client, f"{api}pages/{referrer.pk}/")
        assert response.status_code == 200
        assert draft_word not in text
        assert word in text  # the live version is what references show


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
    from alma_cms.api.privacy import restricted_page_ids

    PageViewRestriction.objects.create(page=alma.award, restriction_type="password", password="x")
    request = rf.get("/")
    request.session = {}
    with django_assert_num_queries(2):  # the restrictions, then the pages below them
        ids_once = restricted_page_ids(request)
        assert restricted_page_ids(request) == ids_once
    assert ids_once == {alma.award.pk, alma.established.pk, alma.winners.pk}


# --- Images and documents in restricted collections -------------------------------------------


def make_restricted_media(alma):
    """An image and a document in a login-restricted collection, referenced from a public
    edition every way a page can (image and document blocks, a rich-text document link, a
    speaker's photo, an organization's logo). Returns (edition, words that must not leak)."""
    from wagtail.models import Collection, CollectionViewRestriction

    from tests.testapp.factories import make_document, make_image

    collection = Collection.get_first_root_node().add_child(name="Board only")
    CollectionViewRestriction.objects.create(collection=collection, restriction_type="login")
    image_word, document_word = marker("img"), marker("doc")
    image = make_image(f"Image {image_word}")
    document = make_document(f"Document {document_word}")
    for obj in (image, document, alma.mackenzie.photo):
        obj.collection = collection
        obj.save()
    alma.lfl.logo = image
    alma.lfl.save()
    edition = add_page(
        alma.forum_index,
        m.ForumEditionPage(
            title="Media edition",
            slug=marker("media"),
            year=2032,
            theme="Media",
            start_date=D(2032, 4, 1),
            host=alma.lfl,
            moderator=alma.mackenzie,
            body=[
                {
                    "type": "paragraph",
                    "value": f'<p>Read <a linktype="document" id="{document.pk}">it</a>.</p>',
                },
                {
                    "type": "image",
                    "value": {"image": image.pk, "alt": "", "caption": "", "credit": ""},
                },
                {
                    "type": "document",
                    "value": {"document": document.pk, "title": "", "description": ""},
                },
            ],
        ),
    )
    return edition, [image_word, document_word, image.file.name, document.file.name]


def check_restricted_media_hidden(client, edition, words, api=API):
    response = client.get(f"{api}pages/{edition.pk}/")
    assert response.status_code == 200
    text = response.content.decode()
    for word in words:
        assert word.split("/")[-1] not in text, word
    data = response.json()
    blocks = {block["type"]: block["value"] for block in data["body"]}
    assert blocks["image"]["image"] is None
    assert blocks["document"]["document"] is None
    assert "href" not in blocks["paragraph"]
    assert data["host"]["logo"] is None
    assert data["moderator"]["photo"] is None
    return data


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
