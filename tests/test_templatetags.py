"""The template tags that decide what an HTML page shows: every page, image and child list goes
through the scope's rule, as in the API (``alma_cms.templatetags.alma_cms_tags``)."""

import datetime
import re
from contextlib import nullcontext

from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone, translation
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
    Site,
)

from alma_cms.pages.models import GuidelineDocumentPage
from alma_cms.scope import get_scope
from tests.testapp.factories import add_page, make_image

PAST = timezone.now() - datetime.timedelta(days=1)


def test_expired_child_document_is_not_listed_on_its_edition(client, alma):
    """A document filed under an edition, live but past ``expire_at`` (``publish_scheduled``
    has not run): the edition's HTML page lists it no more than the API does."""
    document = add_page(
        alma.edition_2021,
        GuidelineDocumentPage(title="Map of Library Leadership", slug="map"),
    )
    html = client.get(alma.edition_2021.url).content.decode()
    assert "Map of Library Leadership" in html
    GuidelineDocumentPage.objects.filter(pk=document.pk).update(expire_at=PAST)
    assert GuidelineDocumentPage.objects.get(pk=document.pk).live
    html = client.get(alma.edition_2021.url).content.decode()
    assert "Map of Library Leadership" not in html


def test_photo_in_a_restricted_collection_is_not_shown(client, alma, media_root):
    """A speaker photo in a collection behind a view restriction: the HTML page leaves it out,
    as the API shows ``photo: null``; once the restriction goes, it is shown."""
    private = Collection.get_first_root_node().add_child(name="Private photos")
    photo = make_image("Portrait", width=64, height=48)
    photo.collection = private
    photo.save()
    speaker = alma.mackenzie
    speaker.photo = photo
    speaker.save_revision().publish()
    restriction = CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.LOGIN
    )
    for url in (speaker.url, alma.speaker_index.url):
        html = client.get(url).content.decode()
        assert "speaker__photo" not in html and "teaser__photo" not in html, url
    api = client.get(f"/api/v2/pages/{speaker.pk}/").json()
    assert api["photo"] is None
    restriction.delete()
    assert "speaker__photo" in client.get(speaker.url).content.decode()
    assert "teaser__photo" in client.get(alma.speaker_index.url).content.decode()


# --- The site's menu (``alma_menu``, ``alma_cms/includes/menu.html``) ---------------------------

NAV = re.compile(r'<nav class="site-nav" aria-label="[^"]+">(.*?)</nav>', re.S)
NAV_LINK = re.compile(r'<a href="([^"]+)"(?: aria-current="(\w+)")?>([^<]+)</a>')


def menu_links(client, url):
    """``(href, aria-current, text)`` of each link of the menu of the page at ``url``."""
    response = client.get(url)
    assert response.status_code == 200, url
    match = NAV.search(response.content.decode())
    return NAV_LINK.findall(match.group(1)) if match else []


def sections(alma):
    return [
        alma.forum_index,
        alma.speaker_index,
        alma.quotation_index,
        alma.guideline_index,
        alma.award,
    ]


def test_menu_shows_the_sections_in_menus_that_the_caller_may_see(client, alma, django_user_model):
    """The menu lists the site root's children that have ``show_in_menus``, in tree order,
    without a draft, an expired or a restricted one (for a caller who fails the restriction),
    and marks the section of the page shown (``aria-current="true"``) or the page itself."""
    Page.objects.filter(pk__in=[p.pk for p in sections(alma)]).update(show_in_menus=True)
    assert [title for _url, _current, title in menu_links(client, alma.edition_2021.url)] == [
        "Forum",
        "Speakers",
        "Quotations",
        "Documents",
        alma.award.title,
    ]
    Page.objects.filter(pk=alma.speaker_index.pk).update(show_in_menus=False)
    alma.quotation_index.unpublish()
    Page.objects.filter(pk=alma.guideline_index.pk).update(expire_at=PAST)
    PageViewRestriction.objects.create(page=alma.award, restriction_type="login")
    forum = (alma.forum_index.url, "true", "Forum")
    assert menu_links(client, alma.edition_2021.url) == [forum]
    assert menu_links(client, alma.forum_index.url) == [(alma.forum_index.url, "page", "Forum")]
    # A signed-in caller passes the login restriction: the award is in its menu.
    client.force_login(django_user_model.objects.create_user("editor", password="x"))
    award = (alma.award.url, "", alma.award.title)
    assert menu_links(client, alma.edition_2021.url) == [forum, award]
    assert menu_links(client, alma.winners.url) == [
        (alma.forum_index.url, "", "Forum"),
        (alma.award.url, "true", alma.award.title),
    ]


def test_menu_is_in_the_language_of_the_page(client, alma, locale_ru):
    """On a Russian page the menu lists the Russian home page's sections, with their Russian
    titles and URLs; a section not translated is not in it."""
    Page.objects.filter(pk__in=[p.pk for p in sections(alma)]).update(show_in_menus=True)
    forum = Page.objects.get(pk=alma.forum_index.pk).specific
    russian_forum = forum.copy_for_translation(locale_ru, copy_parents=True)
    russian_forum.title = "Форум"
    russian_forum.save_revision().publish()
    edition = Page.objects.get(pk=alma.edition_2021.pk).specific
    russian_edition = edition.copy_for_translation(locale_ru)
    russian_edition.save_revision().publish()
    russian_edition.refresh_from_db()
    with translation.override("ru"):
        url = russian_edition.url
    assert url.startswith("/ru/")
    assert menu_links(client, url) == [("/ru/forum/", "true", "Форум")]
    assert [title for _url, _c, title in menu_links(client, alma.edition_2021.url)][0] == "Forum"


def test_menu_costs_one_query_once_per_request(alma, django_assert_num_queries):
    """The menu's children are one query, kept in the request's scope: a second menu on the
    page (a footer's) costs nothing."""
    Page.objects.filter(pk__in=[p.pk for p in sections(alma)]).update(show_in_menus=True)
    template = Template(
        "{% load alma_cms_tags %}{% alma_menu page as top %}{% alma_menu page as bottom %}"
        "{% for item in top %}{{ item.title }}/{{ item.current }}|{% endfor %}"
        "{% for item in bottom %}{{ item.title }}|{% endfor %}"
    )
    for warm in (nullcontext(), django_assert_num_queries(1)):
        request = RequestFactory().get("/")
        scope = get_scope(request)
        scope.visible_q()  # the page view restrictions, which the page's own loading reads
        # The site (cached on the request) and its root page in the active language (the
        # header's home link), both loaded with the page before its template renders.
        scope.public_localized(Site.find_for_request(request).root_page)
        context = Context({"request": request, "page": alma.edition_2021})
        with warm:
            html = template.render(context)
        assert html.count("|") == 10
        assert "Forum/true|Speakers/|" in html
