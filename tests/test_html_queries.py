"""Query budget of the HTML pages (``AlmaPageMixin.get_context`` loads what the template shows
in bulk, ``alma_cms.pages.prefetch``), on the sites of the ``growing`` fixture: 2 and 4 of
everything a page lists (editions, panel speakers, positions, guidelines and the pages their
rich text links, quotations, speakers, partners, announcements, winners).

Every count is exact (``django_assert_num_queries``), the same for 2 and for 4, on SQLite and
PostgreSQL, measured in steady state: a first request makes the image renditions and fills
Wagtail's caches (site root paths, content types), the second is counted.
"""

import datetime
import re
from contextlib import nullcontext
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

import alma_cms
from alma_cms.pages.models import ForumEditionPage, ForumIndexPage, SpeakerPage
from alma_cms.pages.prefetch import TEMPLATE_RENDITION_SPECS
from alma_cms.scope import get_scope
from tests.testapp.factories import list_items, make_document

pytestmark = pytest.mark.django_db

# What every page costs, whatever it shows: 8, and 2 more a level below the home page.
# - Wagtail's serving: the site, the active locale, routing (2 queries a level: the child page,
#   then as its specific class) and its check of the page's view restrictions (2);
# - alma-cms's bulk loading: the page view restrictions (the scope's rule), the page's
#   translations (language switcher, hreflang links); the locales are read once per process
#   (alma_cms.scope.site_structure);
# - the template: the ancestors (breadcrumbs), the menu (``alma_menu``: the home page's
#   children shown in menus, by the scope's rule: one query, the restrictions being known;
#   every section of the ``growing`` sites is in it).
# Then what the page's template and JSON-LD show: a few queries per kind of thing (pages as one
# query per class, images with their renditions as 1, the collection view restrictions once),
# never one per thing. JSON-LD's absolute URLs cost nothing: the page's Site root comes from
# Wagtail's cached site root paths, the request's Site (images) from Wagtail's serving.
HTML_QUERIES = {
    # 10 + listing (ids and types, editions), hosts, logos (1), collection restrictions
    "forum_index": 15,
    # 12 + panel speakers (the chooser blocks' own query, moderators and speakers: 1), host,
    # photos and logo (1), collection restrictions, documents filed under it (JSON-LD's
    # query; the template's, by the scope's rule: children, as specific)
    "edition": 19,
    # 12 + moderator, host, photo and logo (1), collection restrictions, the template's
    # documents listing (no children: no query)
    "plain_edition": 16,
    # 10 + listing (ids and types, speakers), photos (1), collection restrictions (the
    # template shows an image only if its collection is not restricted)
    "speaker_index": 14,
    # 12 + positions, their organizations, logos and photo (1), collection restrictions
    "career": 16,
    # 10 + listing (ids and types, quotations), their speakers, the speakers' photos (1)
    "quotation_index": 14,
    # 12 + speaker and edition (one query per class: 2), the speaker's photo (1)
    "quotation": 15,
    # 10 + listing (the home page of its language, then the documents below it)
    "guideline_index": 12,
    # 12 + edition adopted at, pages the guidelines link (ids and types, one query per class:
    # 3), photos (1), the edition's host and its logo (2: a second round of images, JSON-LD's),
    # collection restrictions
    "document": 20,
    # 10 + partners (the chooser block's query), logos (1), collection restrictions,
    # announcements (JSON-LD's: ids and types, pages; the template's, by the scope's rule:
    # children, as specific)
    "award": 17,
    # 12 + recipients (the chooser block's query), edition announced at, logos (1), collection
    # restrictions
    "winners": 16,
}


def rich_body(site, count):
    """An edition body with ``count`` blocks of every kind, each referring to other pages,
    images, documents or organizations of ``site`` (the speakers, the quotations, the logos)."""
    speakers, organizations = site.speakers, site.organizations
    nobody = {"speaker": None, "name": "", "role": "", "topic": ""}
    body = []
    for i in range(count):
        speaker, document = speakers[i], make_document(f"Report {site.host} {i}")
        link = (
            f'<p>See <a linktype="page" id="{speaker.pk}">a speaker</a> and '
            f'<a linktype="document" id="{document.pk}">a report</a>.</p>'
        )
        body += [
            {"type": "paragraph", "value": link},
            {"type": "heading", "value": {"text": f"Part {i}", "level": "h2", "anchor": ""}},
            {
                "type": "image",
                "value": {
                    "image": organizations[i].logo_id,
                    "alt": "",
                    "caption": "",
                    "credit": "",
                },
            },
            {
                "type": "quote",
                "value": {"text": "Words.", "speaker": speaker.pk, "name": "", "role": ""},
            },
            {
                "type": "link_list",
                "value": {
                    "title": "",
                    "links": list_items(
                        [{"title": "Speaker", "page": speaker.pk, "url": "", "description": ""}]
                    ),
                },
            },
            {
                "type": "document",
                "value": {"document": document.pk, "title": "", "description": ""},
            },
            {
                "type": "call_to_action",
                "value": {
                    "title": "More",
                    "text": link,
                    "button_label": "Read",
                    "page": site.editions[i].pk,
                    "url": "",
                },
            },
            {"type": "featured_quotation", "value": {"quotation": site.quotations[i].pk}},
            {
                "type": "programme",
                "value": {
                    "title": "",
                    "date": None,
                    "slots": list_items(
                        [
                            {
                                "start_time": "10:00:00",
                                "end_time": None,
                                "title": "Talk",
                                "description": "",
                                "speakers": list_items([dict(nobody, speaker=speaker.pk)]),
                            }
                        ]
                    ),
                },
            },
            {
                "type": "statistics",
                "value": {
                    "title": "",
                    "items": list_items([{"label": "people", "value": i, "qualifier": "exact"}]),
                },
            },
        ]
    body += [
        {
            "type": "speaker_list",
            "value": {"title": "", "speakers": list_items([s.pk for s in speakers])},
        },
        {
            "type": "organization_list",
            "value": {
                "title": "",
                "relation": "partners",
                "organizations": list_items([o.pk for o in organizations]),
            },
        },
    ]
    return body


@pytest.fixture
def rich(growing):
    """The ``growing`` sites, each with one more edition (``site.rich_edition``) whose body
    holds ``count`` blocks of every kind, a speaker list of every speaker and an organization
    list of every organization."""
    for count, site in growing.items():
        forum_index = ForumIndexPage.objects.get(pk=site.forum_index.pk)
        site.rich_edition = forum_index.add_child(
            instance=ForumEditionPage(
                title=f"Rich {site.host}",
                slug="rich",
                year=2030,
                theme="Everything",
                start_date=datetime.date(2030, 4, 1),
                host=site.organizations[0],
                moderator=site.speakers[0],
                body=rich_body(site, count),
            )
        )
    return growing


def page_named(site, name):
    return {
        "plain_edition": lambda: site.editions[1],
        "quotation": lambda: site.quotations[0],
    }.get(name, lambda: getattr(site, name))()


def get(client, site, page):
    """GET the page's HTML from its own site (``localhost:<port>``)."""
    host, port = site.host.split(":")
    path = urlsplit(page.get_url()).path
    return client.get(path, HTTP_HOST=site.host, SERVER_PORT=port)


def steady_state_queries(client, site, path):
    """Queries of the second GET of ``path`` from ``site`` (the first warms the caches)."""
    host, port = site.host.split(":")
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, HTTP_HOST=site.host, SERVER_PORT=port)
        assert response.status_code == 200, (path, response.status_code)
    return len(captured)


def shown(name, site, html, count):
    """Whether ``html`` (page ``name`` of ``site``) shows the ``count`` things it lists."""
    speakers = [s.full_name for s in site.speakers]
    checks = {
        "forum_index": lambda: all(e.title in html for e in site.editions),
        "edition": lambda: all(name in html for name in speakers),
        "plain_edition": lambda: site.editions[1].moderator.full_name in html,
        "speaker_index": lambda: (
            all(s.title in html for s in site.speakers)
            and html.count('class="teaser__photo"') == 2 * count
        ),
        "career": lambda: all(o.name in html for o in site.organizations),
        "quotation_index": lambda: all(q.title in html for q in site.quotations),
        "quotation": lambda: speakers[0] in html,
        "guideline_index": lambda: all(
            d.title in html for d in site.documents if d.get_parent().pk == site.guideline_index.pk
        ),
        "document": lambda: all(f"Guideline {i}" in html for i in range(count)),
        "award": lambda: all(o.name in html for o in site.organizations),
        "winners": lambda: all(o.name in html for o in site.organizations),
    }
    return checks[name]()


NAV = re.compile(r'<nav class="site-nav"[^>]*>(.*?)</nav>', re.S)
NAV_LINK = re.compile(r'<a href="([^"]+)"(?: aria-current="(\w+)")?>([^<]+)</a>')


def menu_shown(site, page, html):
    """The menu of ``html`` (``alma_cms/includes/menu.html``): ``(path, aria-current, title)``
    of each link."""
    match = NAV.search(html)
    return NAV_LINK.findall(match.group(1)) if match else []


def menu_expected(site, page):
    """The site's sections in tree order, the one that is ``page`` or holds it marked."""
    sections = [
        site.speaker_index,
        site.forum_index,
        site.guideline_index,
        site.quotation_index,
        site.award,
    ]
    page = Page.objects.get(pk=page.pk)
    return [
        (
            urlsplit(section.get_url()).path,
            "page"
            if section.pk == page.pk
            else "true"
            if page.path.startswith(section.path)
            else "",
            section.title,
        )
        for section in sections
    ]


@pytest.mark.parametrize("name", list(HTML_QUERIES))
def test_html_page_costs_the_same_for_2_and_4(client, growing, name, django_assert_num_queries):
    for count, site in growing.items():
        page = page_named(site, name)
        get(client, site, page)
        with django_assert_num_queries(HTML_QUERIES[name]):
            response = get(client, site, page)
        assert response.status_code == 200, (name, count)
        html = response.content.decode()
        assert shown(name, site, html, count), (name, count)
        # The menu, with the current section, is part of what is counted.
        assert menu_shown(site, page, html) == menu_expected(site, page), (name, count)


# An edition with ``count`` blocks of every kind (``rich``): paragraphs, images, quotes, link
# lists, documents, calls to action, featured quotations, programmes with speakers, statistics,
# a speaker list with a photo per speaker and an organization list with a logo each.
# 12 (every page, 2 levels down) + the chooser blocks' own queries (one per model the chooser
# blocks in the stream hold: image, speaker (quote, programme, speaker list), page (link, call
# to action), document, quotation, organization: 6), the pages they refer to that are not loaded
# yet (the quotations' speakers and editions, as their classes: 1), renditions (2: of the
# images the chooser block loaded; the photos and logos with theirs), the collection view
# restrictions; the template's documents listing, with no children, costs nothing (the
# restrictions are known).
RICH_EDITION_QUERIES = 22


def test_rich_edition_costs_the_same_for_2_and_4(client, rich, django_assert_num_queries):
    for count, site in rich.items():
        page = site.rich_edition
        get(client, site, page)
        with django_assert_num_queries(RICH_EDITION_QUERIES):
            response = get(client, site, page)
        html = response.content.decode()
        assert all(speaker.full_name in html for speaker in site.speakers)
        assert html.count('class="card__photo"') == 2 * count
        assert html.count('class="card__logo"') == count
        assert html.count('class="quote quote--featured"') == count
        assert html.count('class="document-link"') == count
        assert html.count('<figure class="media media--image">') == count


# An edition's HTML against its API v2 detail (``/api/v2/pages/<id>/``, with ``json_ld``): the
# same bulk loading (``alma_cms.representations.prefetch``), give or take what each one does on
# its own. The API's own (2): its lookup of the page by id (the page as its class, known from
# the warm-up request) and the parent page it shows (``meta.parent``: as its class, known from
# the page's query). The API spares 2 the HTML page makes (``API_SPARED``): its page's query
# tells that no view restriction exists, of pages or of collections. The HTML page's own (10,
# 12 with children): Wagtail's serving by path (the site, the active locale, routing 2 queries
# a level: 4, its view restriction check: 2) and the template's needs: the breadcrumbs (1), the
# menu (1), the documents filed under the edition (by the scope's rule, whose restrictions are
# known: if there are any, the children: ids and types, as their class: 2).
API_OWN = 2
API_SPARED = 2
HTML_OWN = {"edition": 10 + 2, "plain_edition": 10, "rich_edition": 10}


@pytest.mark.parametrize("name", list(HTML_OWN))
def test_edition_html_costs_its_api_detail_and_its_template(client, rich, name):
    for site in rich.values():
        page = getattr(site, name) if name == "rich_edition" else page_named(site, name)
        api = steady_state_queries(client, site, f"/api/v2/pages/{page.pk}/")
        html = steady_state_queries(client, site, urlsplit(page.get_url()).path)
        assert html == api - API_OWN + API_SPARED + HTML_OWN[name], (name, html, api)


# --- Template tags -----------------------------------------------------------------------------
# The tags read the request's scope: once the scope has loaded what they show, they cost the
# same, however many references a template shows: Wagtail's lookup of the request's site (1).
TAG_QUERIES = 1


def render_tags(site, template, warm):
    """Render ``template`` for a new request to ``site``, once its scope has loaded every speaker
    of the site, the links of a rich text to each of them and the translations of a page."""
    request = RequestFactory().get("/", HTTP_HOST=site.host, SERVER_PORT=site.host.split(":")[1])
    scope = get_scope(request)
    speakers = list(SpeakerPage.objects.filter(pk__in=[s.pk for s in site.speakers]))
    for speaker in speakers:
        scope.remember(speaker)
        scope.want_page(speaker.pk)
    text = "".join(f'<p><a linktype="page" id="{s.pk}">{s.title}</a></p>' for s in speakers)
    scope.want_rich_text(text)
    scope.want_translations([site.career])
    scope.resolve()
    context = Context({"request": request, "speakers": speakers, "text": text, "page": site.career})
    with warm:
        return template.render(context)


def test_template_tags_read_the_scope(growing, django_assert_num_queries):
    """Once the scope has loaded what they show, ``alma_visible_page``, ``alma_rich_text``,
    ``alma_language_switcher`` and ``alma_alternate_links`` read it: the same queries for 4
    speakers as for 8 (the site of the request and its root paths, for the page URLs)."""
    template = Template(
        "{% load alma_cms_tags %}"
        "{% for speaker in speakers %}{% alma_visible_page speaker as linked %}"
        "{{ linked.title }}|{% endfor %}"
        "{% alma_rich_text text %}{% alma_language_switcher page %}{% alma_alternate_links page %}"
    )
    for count, site in growing.items():
        render_tags(site, template, nullcontext())  # fills Wagtail's caches
        html = render_tags(site, template, django_assert_num_queries(TAG_QUERIES))
        assert html.count("|") == 2 * count
        assert html.count("<a href=") == 2 * count


def test_every_rendition_the_templates_render_is_loaded_with_the_images():
    """``TEMPLATE_RENDITION_SPECS`` names the filter spec of every ``{% image %}`` in the
    alma-cms templates, so that no image of a page is looked up again for its rendition."""
    templates = Path(alma_cms.__file__).parent / "templates"
    used = {
        match.group(1)
        for path in templates.rglob("*.html")
        for match in re.finditer(r"{%\s*image\s+\S+\s+(\S+)", path.read_text())
    }
    assert used and used <= set(TEMPLATE_RENDITION_SPECS), used


def test_a_translation_loaded_already_is_not_looked_up_again(
    growing, locale_ru, django_assert_num_queries
):
    """The site's root page shown in Russian, when the Russian home page is loaded already
    (an ancestor of every Russian page): no query to find the translation."""
    home = Page.objects.get(pk=growing[2].home.pk)
    russian = home.copy_for_translation(locale_ru)
    russian.save_revision().publish()
    scope = get_scope()
    scope.remember(Page.objects.get(pk=russian.pk))
    scope.want_page(russian.pk, None, locale_ru.pk)
    scope.resolve()
    with django_assert_num_queries(0):
        found = scope.public_localized(home, locale_ru.pk)
    assert found.pk == russian.pk
