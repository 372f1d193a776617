"""The privacy matrix the v2 and v3 privacy tests share: page types, the states that hide a
page, pages in those states and the public pages that refer to them, and the checks that those
references show nothing of a hidden page (``api``: the base URL of the API, v2 or v3).

Also the cases of issue #6, item 9: an alias hidden with its restricted source (the state
``alias_of_restricted``), and a hidden translation that gives way to its public source page
(``make_hidden_translation``, ``check_references_fall_back``)."""

import datetime
import re

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone
from wagtail.models import Locale, Page, PageViewRestriction

from alma_cms.pages import models as m
from tests.api.helpers import API, marker
from tests.testapp.factories import add_page, ensure_locale, list_items

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
    # A Russian alias of a live page whose source then gets a password: Wagtail resolves an
    # alias's view restrictions to its source's, so the alias is hidden exactly when it is.
    "alias_of_restricted",
]
STATES = ["unpublished_changes", *HIDDEN_STATES]
# The states that hide a page's subtree with it (view restrictions apply to descendants).
RESTRICTED_STATES = {"password", "login", "groups", "alias_of_restricted"}
# The states of a translation that must give way to its public source page.
HIDDEN_TRANSLATION_STATES = ["draft", "login", "expired", "expired_by_cron"]


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
    elif state == "alias_of_restricted":
        # Its missing Russian ancestors become aliases too, as in the admin's "translate".
        alias = page.copy_for_translation(ensure_locale("ru"), copy_parents=True, alias=True)
        hide_live_page(page, "password", word)
        return Page.objects.get(pk=alias.pk).specific
    else:
        hide_live_page(page, state, word)
    return Page.objects.get(pk=page.pk).specific


def hide_live_page(page, state, word):
    """Put the live ``page`` behind a view restriction (``password``, ``login``, ``groups``) or
    past its expiry date (``expired``: before the ``publish_scheduled`` command has run;
    ``expired_by_cron``: after it)."""
    if state in ("password", "login", "groups"):
        restriction = PageViewRestriction.objects.create(
            page=page, restriction_type=state, password="secret" if state == "password" else ""
        )
        if state == "groups":
            restriction.groups.set([Group.objects.create(name=f"Group {word}")])
    elif state in ("expired", "expired_by_cron"):
        Page.objects.filter(pk=page.pk).update(
            expire_at=timezone.now() - datetime.timedelta(hours=1)
        )
        if state == "expired_by_cron":
            call_command("publish_scheduled", verbosity=0)
            page.refresh_from_db()
            assert page.expired and not page.live
    else:
        raise ValueError(state)


def make_referrers(alma, target, forum_index=None):
    """Public pages that refer to ``target`` in every way the package allows: first a forum
    edition under ``forum_index`` (default: the English one), then the pages whose foreign
    keys can point at ``target``."""
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
            forum_index or alma.forum_index,
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


def html_path(alma, page):
    """The front-end path of ``page``: its language prefix, then its path below the home page
    of its language (``/ru/forum/alma-2021/``)."""
    language = Locale.objects.get(pk=page.locale_id).language_code
    below_home = page.url_path.strip("/").split("/")[1:]
    return f"/{language}/" + "".join(f"{component}/" for component in below_home)


def ids(data):
    return [item["id"] for item in data["items"]]


def fetch(client, path, **params):
    response = client.get(path, params)
    return response, response.content.decode()


def check_references_hidden(client, referrers, target, word, slug, api=API, state=None):
    """The public ``referrers`` of the hidden ``target`` show nothing of it (``api``: the base
    URL of the API, v2 or v3, whose page details have the same fields). Those below ``target``
    are hidden with it when its ``state`` is a view restriction."""
    for referrer in referrers:
        response, text = fetch(client, f"{api}pages/{referrer.pk}/")
        below_target = referrer.path.startswith(target.path)
        if below_target and state in RESTRICTED_STATES:
            assert response.status_code == 404, f"{type(referrer).__name__} below {state}"
            continue
        if below_target and response.status_code == 404:
            continue  # under a hidden award: hidden with it
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


def hrefs(html):
    return re.findall(r'href="([^"]*)"', html)


def visible_page_tags(page, request=None):
    """What the template tag ``alma_visible_page`` and the filter ``alma_public_page`` give for
    ``page`` (an anonymous request's, or ``request``'s), as ``(tag, filter)``."""
    template = Template(
        "{% load alma_cms_tags %}{% alma_visible_page page as linked %}"
        "{% with page|alma_public_page as public %}"
        "{{ linked.pk|default:'None' }}|{{ public.pk|default:'None' }}{% endwith %}"
    )
    request = request or RequestFactory().get("/")
    tag, _sep, filtered = template.render(Context({"page": page, "request": request})).partition(
        "|"
    )
    return tag, filtered


def check_html_hidden(client, alma, page, referrers, slug):
    """The template tags give nothing for the hidden ``page``, and the HTML pages of its
    public ``referrers`` do not link to it (its ``slug`` is in none of their links)."""
    assert visible_page_tags(page) == ("None", "None")
    for referrer in referrers:
        if referrer.path.startswith(page.path):
            continue  # below the hidden page (an award's announcement): its HTML is Wagtail's
        response = client.get(html_path(alma, referrer))
        assert response.status_code == 200, type(referrer).__name__
        links = [href for href in hrefs(response.content.decode()) if slug in href]
        assert not links, f"{type(referrer).__name__} links to the hidden page"


# --- Hidden translations give way to their source ---------------------------------------------


def make_hidden_translation(alma, alma_ru, state):
    """A public English speaker and its Russian translation in ``state`` (one of
    ``HIDDEN_TRANSLATION_STATES``). Returns (speaker, translation, word): ``word`` is in the
    translation's title and name only."""
    word = marker("ru")
    speaker = add_page(
        alma.speaker_index,
        m.SpeakerPage(
            title="Public speaker", slug=marker("speaker"), given_name="Open", family_name="Public"
        ),
    )
    translation = speaker.copy_for_translation(alma_ru.locale)
    translation.title, translation.family_name = f"Hidden {word}", word
    translation.save()
    if state != "draft":
        translation.save_revision().publish()
        hide_live_page(translation, state, word)
    translation = Page.objects.get(pk=translation.pk).specific
    assert translation.locale_id == alma_ru.locale.pk and translation.alias_of_id is None
    return speaker, translation, word


def check_references_fall_back(client, edition, source, word, api=API):
    """The public ``edition`` refers to ``source`` (an English speaker) in every way a page
    can, and shows ``source`` wherever its hidden translation (with ``word``) would be."""
    response, text = fetch(client, f"{api}pages/{edition.pk}/")
    assert response.status_code == 200, text[:300]
    assert word not in text
    url = source.get_url()
    data = response.json()
    blocks = {block["type"]: block["value"] for block in data["body"]}
    speakers = [
        data["moderator"],
        blocks["quote"]["speaker"],
        blocks["discussion_panel"]["moderator"]["speaker"],
        blocks["discussion_panel"]["speakers"][0]["speaker"],
        blocks["speaker_list"]["speakers"][0],
    ]
    assert [(s and s["id"], s and s["url"]) for s in speakers] == [(source.pk, url)] * 5
    links = [blocks["link_list"]["links"][0]["page"], blocks["call_to_action"]["page"]]
    assert [(link and link["id"], link and link["url"]) for link in links] == [(source.pk, url)] * 2
    assert f'href="{url}"' in blocks["paragraph"]


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
