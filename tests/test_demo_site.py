"""The demo is a site: its home page (``sandbox.demo.models.HomePage``) shows the newest
editions, quotations and documents and the award, in English and in Russian, never a hidden page,
at a query count that does not grow with the content; every page has the site's menu.

The demo is loaded once for the module (``alma_load_demo``) and rolled back afterwards; each test
runs in its own transaction inside it.
"""

import datetime
import re

import pytest
from wagtail.models import Locale, Page, PageViewRestriction

from alma_cms.pages.models import (
    AwardAnnouncementPage,
    AwardPage,
    ForumEditionPage,
    ForumIndexPage,
    GuidelineDocumentIndexPage,
    GuidelineDocumentPage,
    QuotationIndexPage,
    QuotationPage,
    SpeakerPage,
)
from sandbox.demo import demo_content as content
from tests.api.helpers import load_demo_quietly, module_transaction

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav class="site-nav" aria-label="[^"]+">(.*?)</nav>', re.S)
NAV_LINK = re.compile(r'<a href="([^"]+)"(?: aria-current="(\w+)")?>([^<]+)</a>')
QUOTATION_LINK = re.compile(r'href="(/\w+/quotations/[^"]+/)"')

# What the home page costs, the same however many editions, quotations and documents the site
# has. In English, 21: Wagtail's serving (the site, the active locale, the home page as its
# class, its view restriction check: 2), the scope's page view restrictions, the sections (ids
# and types, then one query per section type: 5), the editions listing (ids and types, the
# editions), the documents listing (the home page of its language, the documents), the newest
# quotations, the award's newest announcement, the home page's translations (language
# switcher, hreflang links), the quotations' speakers (their photos with them, with their
# renditions in one query, as a speaker's representation shows it: 2) and the menu. (The
# scope's locales are read once per process: alma_cms.scope.site_structure.) In Russian, 3 more:
# Wagtail's routing looks up the Russian home page, the site's root (the English home page,
# which the header links in Russian) is loaded as its class, and the speakers' Russian pages.
HOME_QUERIES = {"en": 21, "ru": 24}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, media_root):
    """The ALMA demo, loaded once for the module and rolled back after it."""
    with module_transaction(django_db_blocker):
        load_demo_quietly()
        yield


@pytest.fixture
def demo_db(demo, db):
    """The demo, each test in its own transaction."""


def html_of(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def menu_of(html):
    match = NAV.search(html)
    return NAV_LINK.findall(match.group(1)) if match else []


def english(model, **filters):
    return model.objects.get(locale__language_code="en", **filters)


def test_the_home_page_shows_the_sections_newest_content(client, demo_db):
    html = html_of(client, "/en/")
    assert content.HOME_TITLE in html and "Library for Foreign Literature" in html
    for title in ("ALMA 2021", "ALMA 2019", "ALMA 2019 Final Document", "Rudomino Award"):
        assert title in html, title
    assert "The Rudomino Award is established" in html
    # The newest three quotations (all said on one day: in tree order), each with its speaker.
    titles = [q.title for q in QuotationPage.objects.filter(locale__language_code="en")]
    assert [title in html for title in titles] == [True, True, True, False, False]
    for name in ("Olga S. Yarilova", "Natalia N. Grishina", "Barbara Lison"):
        assert name in html
    assert QUOTATION_LINK.findall(html) == [
        "/en/quotations/olga-s-yarilova-2021/",
        "/en/quotations/natalia-n-grishina-2021/",
        "/en/quotations/barbara-lison-2021/",
    ]
    assert menu_of(html) == [
        ("/en/alma/", "", "ALMA"),
        ("/en/speakers/", "", "Speakers"),
        ("/en/quotations/", "", "Quotations"),
        ("/en/documents/", "", "Documents"),
        ("/en/rudomino-award/", "", "Rudomino Award"),
    ]
    assert '<a href="/ru/" lang="ru" hreflang="ru">Русский</a>' in html


def test_the_russian_home_page_is_russian(client, demo_db):
    html = html_of(client, "/ru/")
    assert "<title>ALMA: международный библиотечный форум в Москве" in html
    for title in ("Форум ALMA 2021", "Итоговый документ ALMA 2019", "Премия имени Рудомино"):
        assert title in html, title
    assert "Сессии форума" in html and "Последние цитаты" in html  # the sandbox's catalogue
    assert QUOTATION_LINK.findall(html) == [
        "/ru/quotations/olga-s-yarilova-2021/",
        "/ru/quotations/natalia-n-grishina-2021/",
        "/ru/quotations/barbara-lison-2021/",
    ]
    assert "Ольга С. Ярилова о библиотеках после непростого 2020 года" in html
    assert "The difficult year 2020" not in html
    assert [title for _url, _current, title in menu_of(html)] == [
        "Форум ALMA",
        "Спикеры",
        "Цитаты",
        "Документы",
        "Премия имени Рудомино",
    ]
    assert all(url.startswith("/ru/") for url, _current, _title in menu_of(html))


def test_the_russian_edition_shows_russian_quotations(client, demo_db):
    """The 2021 edition's featured quotations, in Russian, linking to Russian pages; the menu
    marks the forum's section."""
    html = html_of(client, "/ru/alma/alma-2021/")
    links = QUOTATION_LINK.findall(html)
    assert len(links) == 5 and all(link.startswith("/ru/quotations/") for link in links)
    for quotation in QuotationPage.objects.filter(locale__language_code="en"):
        assert quotation.text not in html, quotation.title
    assert "Непростой 2020 год побудил Министерство культуры России" in html
    assert menu_of(html)[0] == ("/ru/alma/", "true", "Форум ALMA")


def test_the_home_page_shows_nothing_hidden(client, demo_db):
    """A draft quotation, an expired document and a restricted award are not on the home
    page: the next quotation takes the draft's place, the other sections go."""
    english(QuotationPage, slug="olga-s-yarilova-2021").unpublish()
    GuidelineDocumentPage.objects.filter(locale__language_code="en").update(
        expire_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    PageViewRestriction.objects.create(page=english(AwardPage), restriction_type="login")
    html = html_of(client, "/en/")
    assert QUOTATION_LINK.findall(html) == [
        "/en/quotations/natalia-n-grishina-2021/",
        "/en/quotations/barbara-lison-2021/",
        "/en/quotations/slava-g-matlina-2021/",
    ]
    assert "Yarilova" not in html
    assert "/final-document/" not in html and 'id="documents-title"' not in html
    assert "/rudomino-award/" not in html and 'id="award-title"' not in html


def add_more_content():
    """Two more editions (2022, 2023), each with a quotation by its own speaker, two more
    documents and an announcement, in English and in Russian: the home page then shows three
    editions, three documents and three quotations by other speakers."""
    ru = Locale.objects.get(language_code="ru")
    forum_index = english(ForumIndexPage)
    quotation_index = english(QuotationIndexPage)
    document_index = english(GuidelineDocumentIndexPage)
    award = english(AwardPage)
    speakers = iter(SpeakerPage.objects.filter(locale__language_code="en").order_by("path")[5:])
    added = []
    for year in (2022, 2023):
        day = datetime.date(year, 4, 20)
        edition = forum_index.add_child(
            instance=ForumEditionPage(
                title=f"ALMA {year}", slug=f"alma-{year}", year=year, theme="Theme", start_date=day
            )
        )
        added.append(edition)
        for i in range(2):
            added.append(
                quotation_index.add_child(
                    instance=QuotationPage(
                        title=f"Words of {year}, {i}",
                        slug=f"words-{year}-{i}",
                        text="Words.",
                        speaker=next(speakers),
                        forum_edition=edition,
                        said_on=day,
                    )
                )
            )
        added.append(
            document_index.add_child(
                instance=GuidelineDocumentPage(
                    title=f"Resolution {year}", slug=f"resolution-{year}", adopted_on=day
                )
            )
        )
        added.append(
            award.add_child(
                instance=AwardAnnouncementPage(
                    title=f"Call {year}",
                    slug=f"call-{year}",
                    season_year=year,
                    kind="call_for_nominations",
                    announced_on=day,
                )
            )
        )
    for page in added:
        page.copy_for_translation(ru).save_revision().publish()


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_home_page_costs_the_same_with_more_content(
    client, demo_db, language, django_assert_num_queries
):
    """2 editions, 1 document and the quotations of 3 speakers, then 3 editions, 3 documents
    and the quotations of 3 other speakers: the same queries (steady state: the first request
    makes Wagtail's caches)."""
    path = f"/{language}/"
    for size in ("demo", "more"):
        if size == "more":
            add_more_content()
        html_of(client, path)
        with django_assert_num_queries(HOME_QUERIES[language]):
            html = html_of(client, path)
        editions = 2 if size == "demo" else 3
        assert html.count('class="card card--teaser"') == editions, size
        assert len(QUOTATION_LINK.findall(html)) == 3, size
        if size == "more":
            assert QUOTATION_LINK.findall(html) == [
                f"/{language}/quotations/words-2023-0/",
                f"/{language}/quotations/words-2023-1/",
                f"/{language}/quotations/words-2022-0/",
            ]
            assert html.count("Resolution 202") == 2 and "Call 2023" in html


def test_every_page_of_the_demo_has_the_menu(client, demo_db):
    """Every page of both languages has the five sections in its menu, its own section
    marked."""
    for page in Page.objects.filter(depth__gte=2).specific():
        language = page.locale.language_code
        url = page.get_url()
        html = html_of(client, url)
        menu = menu_of(html)
        assert len(menu) == 5, url
        assert all(link.startswith(f"/{language}/") for link, _current, _title in menu), url
        current = [(link, mark) for link, mark, _title in menu if mark]
        if page.depth == 2:
            assert current == [], url
        else:
            assert len(current) == 1 and url.startswith(current[0][0]), url
            assert current[0][1] == ("page" if url == current[0][0] else "true"), url
