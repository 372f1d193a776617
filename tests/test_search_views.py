"""The site search page (``alma_cms.search_views``), mounted by the sandbox at
``/<lang>/search/``: per language, type + title link + escaped excerpt, pagination, the query
echoed escaped, "no results", only visible pages, bad input 400 never 500, a pinned number of
queries."""

import pytest
from wagtail.models import Page, PageViewRestriction

from alma_cms import search_views
from alma_cms.pages import models as m
from tests.api.helpers import marker
from tests.testapp.factories import add_page, ensure_locale

pytestmark = pytest.mark.django_db


def speaker(parent, family_name, **fields):
    return add_page(
        parent,
        m.SpeakerPage(
            title=f"Ann {family_name}",
            slug=marker("s"),
            given_name="Ann",
            family_name=family_name,
            **fields,
        ),
    )


def get(client, language, **params):
    response = client.get(f"/{language}/search/", params)
    return response, response.content.decode()


def test_results_show_type_title_link_and_excerpt(alma, client):
    word = marker("w")
    page = speaker(alma.speaker_index, word, search_description=f"About {word} and <b>her</b>")
    response, html = get(client, "en", q=word)
    assert response.status_code == 200
    assert 'class="search-result__type">Speaker page<' in html or "search-result__type" in html
    assert f'href="{page.url}"' in html
    assert f"Ann {word}</a>" in html
    assert f"About {word} and &lt;b&gt;her&lt;/b&gt;" in html  # escaped, never markup
    assert "<b>her</b>" not in html
    assert m.SpeakerPage._meta.verbose_name.capitalize() in html


def test_excerpt_falls_back_to_the_main_text(alma):
    page = m.SpeakerPage(title="T", search_description="")
    page.biography = None
    assert search_views.excerpt(page) == ""
    edition = alma.edition_2021.specific
    text = search_views.excerpt(edition)
    assert text and "<" not in text and len(text.split()) <= search_views.EXCERPT_WORDS


def test_each_language_finds_its_own_pages(alma, client):
    word = marker("w")
    english = speaker(alma.speaker_index, word)
    ru = ensure_locale("ru")
    for page in (alma.home, alma.speaker_index):
        page.copy_for_translation(ru).save_revision().publish()
    russian = english.copy_for_translation(ru)
    russian.title = f"Анна {word}"
    russian.save()
    russian.save_revision().publish()
    _response, html = get(client, "en", q=word)
    assert f"Ann {word}</a>" in html and "Анна" not in html
    response, html = get(client, "ru", q=word)
    assert response.status_code == 200
    assert f"Анна {word}</a>" in html and f"Ann {word}" not in html
    assert "Поиск" in html  # translated


def test_no_results_and_the_query_echoed_escaped(alma, client):
    query = '<script>alert("x")</script>'
    response, html = get(client, "en", q=query)
    assert response.status_code == 200
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "No results for" in html
    _response, html = get(client, "ru", q=query)
    assert "Ничего не найдено" in html


def test_hidden_pages_are_never_listed(alma, client):
    word = marker("h")
    draft = add_page(
        alma.speaker_index,
        m.SpeakerPage(title=f"D {word}", slug=marker("d"), given_name="D", family_name=word),
        publish=False,
    )
    restricted = speaker(alma.speaker_index, word)
    PageViewRestriction.objects.create(page=restricted, restriction_type="login")
    visible = speaker(alma.speaker_index, word)
    _response, html = get(client, "en", q=word)
    assert f'href="{visible.url}"' in html
    assert f'href="{restricted.url}"' not in html and f"D {word}" not in html
    assert Page.objects.filter(pk=draft.pk, live=False).exists()


def test_pagination(alma, client):
    word = marker("p")
    pages = [speaker(alma.speaker_index, word) for _ in range(search_views.PER_PAGE + 2)]
    _response, first = get(client, "en", q=word)
    assert first.count('class="search-result"') == search_views.PER_PAGE
    assert 'rel="next"' in first and "Page 1 of 2" in first
    _response, second = get(client, "en", q=word, page=2)
    assert second.count('class="search-result"') == 2 and 'rel="prev"' in second
    _response, past = get(client, "en", q=word, page=99)  # the last page
    assert past.count('class="search-result"') == 2
    shown = {p.url for p in pages if f'href="{p.url}"' in first + second}
    assert len(shown) == len(pages)


@pytest.mark.parametrize(
    "params, status",
    [
        ({"q": "a\x00b"}, 400),
        ({"q": "x" * 5000}, 400),
        ({"q": "x" * 1000}, 200),
        ({"q": "word " * 200}, 400),  # more words than alma_cms.api.search.MAX_WORDS
        ({"q": "word " * 50}, 200),
        ({"q": "the and of"}, 200),
        ({"q": '"unbalanced AND (OR'}, 200),
        ({"q": "alma", "page": "abc"}, 200),
        ({"q": "alma", "page": "-1"}, 200),
        ({"q": ""}, 200),
        ({}, 200),
    ],
)
def test_bad_input_is_never_a_500(alma, client, params, status):
    response = client.get("/en/search/", params)
    assert response.status_code == status, response.content[:300]
    if status == 400:
        assert "could not be run" in response.content.decode()


def test_number_of_queries_does_not_grow_with_results(alma, client, django_assert_num_queries):
    word = marker("q")
    for _ in range(3):
        speaker(alma.speaker_index, word)
    client.get("/en/search/", {"q": word})  # warm caches (site, locales)
    with django_assert_num_queries(QUERIES):
        client.get("/en/search/", {"q": word})
    for _ in range(5):
        speaker(alma.speaker_index, word)
    client.get("/en/search/", {"q": word})
    with django_assert_num_queries(QUERIES):
        client.get("/en/search/", {"q": word})


# site, search (count + page of results), specific pages, page URLs (the locales: read once per
# process, alma_cms.scope.site_structure)
QUERIES = 12


def test_the_page_has_the_site_menu(alma, client):
    """The search page is no page of the tree: the menu (``alma_menu``) must still draw (a 500
    here once: the template's missing ``page`` is "", not None)."""
    Page.objects.filter(pk=alma.forum_index.pk).update(show_in_menus=True)
    response, html = get(client, "en", q="alma")
    assert response.status_code == 200
    assert f'href="{alma.forum_index.url}"' in html


def test_search_server_down_is_a_503(alma, client, settings):
    pytest.importorskip("modelsearch")
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "alma_cms.search.backends.opensearch3",
            "URLS": ["http://127.0.0.1:9"],  # nothing listens on the discard port
            "TIMEOUT": 2,
        }
    }
    response, html = get(client, "en", q="library")
    assert response.status_code == 503
    assert "try again" in html
