"""``?search=`` in the listings of API v2 and v3 (``alma_cms.api.search``): one language
(``locale`` or the active one), relevance unless ``order``, ``search_operator``,
``search_type=autocomplete``; bad input answered with an error naming the parameter (v2: 400,
v3: 422), never a 500; and the privacy matrix searched on every backend — the database backend
(SQLite, and PostgreSQL in CI) and an OpenSearch-compatible server (osmem) — with an index that
holds drafts and pages hidden since they were indexed."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from wagtail.models import Page

from alma_cms.pages import models as m
from tests.api.helpers import API, HAS_API_V3, marker
from tests.api.privacy_matrix import HIDDEN_STATES, make_page_in_state
from tests.testapp.factories import add_page

pytestmark = pytest.mark.django_db

V3 = "/api/v3/"
VERSIONS = ["v2", pytest.param("v3", marks=pytest.mark.skipif(not HAS_API_V3, reason="Wagtail 8"))]
BAD_STATUS = {"v2": 400, "v3": 422}


@pytest.fixture
def api(request, settings):
    """The base URL of the API version under test (``v2``/``v3``)."""
    if request.param == "v3":
        settings.ROOT_URLCONF = "tests.api.urls_v3"
        return V3
    return API


def get(client, api, **params):
    response = client.get(f"{api}pages/", {"limit": 100, **params})
    return response


def found(client, api, **params):
    response = get(client, api, **params)
    assert response.status_code == 200, response.content[:400]
    return [item["id"] for item in response.json()["items"]]


def named_parameter(response, version):
    """The parameter a 400 (v2) or 422 (v3) names."""
    data = response.json()
    if version == "v2":
        return data.get("parameter")
    return [error["loc"][-1] for error in data.get("errors", data.get("detail", []))]


def speaker(alma, family_name, **fields):
    return add_page(
        alma.speaker_index,
        m.SpeakerPage(
            title=f"{fields.pop('given_name', 'Ann')} {family_name}",
            slug=marker("s"),
            given_name="Ann",
            family_name=family_name,
            **fields,
        ),
    )


# --- language ----------------------------------------------------------------------------------


@pytest.mark.parametrize("api", VERSIONS, indirect=True)
def test_search_keeps_to_the_requested_language(alma, alma_ru, client, api):
    word = marker("w")
    english = speaker(alma, word)
    russian = english.copy_for_translation(alma_ru.locale)
    russian.title = f"Анна {word}"
    russian.save()
    russian.save_revision().publish()
    # locale= chooses; without it the request's active language does (Accept-Language).
    assert found(client, api, search=word, locale="en") == [english.pk]
    assert found(client, api, search=word, locale="ru") == [russian.pk]
    assert found(client, api, search=word) == [english.pk]
    response = client.get(f"{api}pages/", {"search": word}, HTTP_ACCEPT_LANGUAGE="ru")
    assert [item["id"] for item in response.json()["items"]] == [russian.pk]
    # The caller asks otherwise: every language, or another one than the active language's.
    assert sorted(found(client, api, search=word, search_locale="all")) == sorted(
        [english.pk, russian.pk]
    )
    assert found(client, api, search=word, search_locale="ru") == [russian.pk]
    response = client.get(
        f"{api}pages/", {"search": word, "search_locale": "all"}, HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert sorted(item["id"] for item in response.json()["items"]) == sorted(
        [english.pk, russian.pk]
    )
    # locale= still restricts the listing; search_locale=all then only widens the analysis.
    assert found(client, api, search=word, locale="ru", search_locale="all") == [russian.pk]


@pytest.mark.parametrize("api", VERSIONS, indirect=True)
def test_search_orders_by_relevance_unless_order_is_given(alma, client, api):
    word = marker("r")
    once = speaker(alma, f"{word} Once")
    twice = speaker(alma, f"{word} {word}", given_name=word)
    by_relevance = found(client, api, search=word, type="alma_cms_pages.SpeakerPage")
    if connection.vendor == "postgresql":
        # modelsearch's SQLite backend ranks by its own bm25 expression, which does not put
        # more occurrences first: relevance is checked where ranking is the database's.
        assert by_relevance == [twice.pk, once.pk]
    assert sorted(by_relevance) == sorted([once.pk, twice.pk])
    # order wins: the search only selects.
    assert found(client, api, search=word, order="id") == [once.pk, twice.pk]
    assert found(client, api, search=word, order="-title") == sorted(
        [once.pk, twice.pk], key=lambda pk: Page.objects.get(pk=pk).title, reverse=True
    )


@pytest.mark.parametrize("api", VERSIONS, indirect=True)
def test_search_operator_and_autocomplete(alma, client, api):
    first, second = marker("a"), marker("b")
    both = speaker(alma, f"{first} {second}")
    only_first = speaker(alma, f"{first} Alone")
    assert found(client, api, search=f"{first} {second}") == [both.pk]
    assert found(client, api, search=f"{first} {second}", search_operator="and") == [both.pk]
    assert sorted(found(client, api, search=f"{first} {second}", search_operator="or")) == sorted(
        [both.pk, only_first.pk]
    )
    # Autocomplete: the last word is a prefix (of the title, Wagtail's autocomplete field).
    prefix = second[:6]
    assert found(client, api, search=prefix) == []
    assert found(client, api, search=prefix, search_type="autocomplete") == [both.pk]
    assert found(client, api, search=prefix, search_type="full_text") == []


# --- bad input ---------------------------------------------------------------------------------

ODD_QUERIES = [
    "",
    " ",
    "the and of",  # only stop words
    "и в на",  # only Russian stop words
    '"unbalanced quote',
    '"library" AND NOT (forum OR "x")',
    "library -forum +speaker ~2 ^3 * ? : \\ / [ ] { } ! &&",
    "a' OR '1'='1",
    "%_%",
    "ａｌｍａ",  # full-width
    "😀 библиотека",
    "x" * 1000,
    "word " * 200,
]


@pytest.mark.parametrize("api", VERSIONS, indirect=True)
@pytest.mark.parametrize("search_type", ["full_text", "autocomplete"])
@pytest.mark.parametrize("query", ODD_QUERIES, ids=range(len(ODD_QUERIES)))
def test_any_query_gets_results_or_an_error_naming_search(alma, client, api, query, search_type):
    version = "v3" if api == V3 else "v2"
    for operator in ("and", "or"):
        response = get(client, api, search=query, search_operator=operator, search_type=search_type)
        assert response.status_code in (200, BAD_STATUS[version]), response.content[:300]
        if response.status_code != 200:
            assert "search" in str(named_parameter(response, version))


@pytest.mark.parametrize("api", VERSIONS, indirect=True)
@pytest.mark.parametrize(
    "params, parameter",
    [
        ({"search": "a\x00b"}, "search"),
        ({"search": "x" * 5000}, "search"),
        ({"search": "alma", "search_type": "fuzzy"}, "search_type"),
        ({"search_type": "fuzzy"}, "search_type"),
        ({"search": "alma", "search_locale": "xx"}, "search_locale"),
        ({"search_locale": ""}, "search_locale"),
        # Past OpenSearch's result window (a 500 from the server's error once): every backend.
        ({"search": "alma", "offset": "9995", "limit": "10"}, "offset"),
    ],
    ids=[
        "nul",
        "overlong",
        "search_type",
        "search_type_alone",
        "search_locale",
        "search_locale_empty",
        "result_window",
    ],
)
def test_bad_search_parameters_are_named(alma, client, api, params, parameter):
    version = "v3" if api == V3 else "v2"
    response = get(client, api, **params)
    assert response.status_code == BAD_STATUS[version], response.content[:300]
    assert parameter in str(named_parameter(response, version))


@pytest.mark.parametrize("api", VERSIONS, indirect=True)
def test_search_server_down_is_a_503(alma, client, api, settings):
    """A search server that does not answer: 503 (the client may retry), never a 500."""
    pytest.importorskip("modelsearch")
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "alma_cms.search.backends.opensearch3",
            "URLS": ["http://127.0.0.1:9"],  # nothing listens on the discard port
            "TIMEOUT": 2,
        }
    }
    response = get(client, api, search="library", locale="en")
    assert response.status_code == 503, response.content[:300]
    assert b"search server did not answer" in response.content


# --- privacy on every backend ------------------------------------------------------------------


@pytest.fixture(params=["database", "opensearch"])
def search_backend(request, settings):
    """The search backend under test, its index rebuilt from the database by the test itself
    (:func:`rebuild`): the database backend, or modelsearch's OpenSearch 3 backend (alma-cms's
    own where it exists) on a fresh osmem server; ``alma_database``: alma's database backend
    (per-language text search configurations; PostgreSQL only)."""
    if request.param == "alma_database":
        pytest.importorskip("modelsearch")  # alma's backends need Wagtail 8
        if connection.vendor != "postgresql":
            pytest.skip("per-language configurations are PostgreSQL's (SQLite: no stemming)")
        settings.WAGTAILSEARCH_BACKENDS = {
            "default": {"BACKEND": "alma_cms.search.backends.database", "AUTO_UPDATE": False}
        }
    if request.param == "opensearch":
        pytest.importorskip("modelsearch")
        from importlib.util import find_spec

        clone = request.getfixturevalue("osmem_clone")
        name = "alma_cms.search.backends.opensearch3"
        try:
            found_alma = find_spec(name) is not None
        except ModuleNotFoundError:
            found_alma = False
        backend = name if found_alma else "modelsearch.backends.opensearch3"
        settings.WAGTAILSEARCH_BACKENDS = {
            "default": {
                "BACKEND": backend,
                "URLS": [clone.url],
                "INDEX_PREFIX": f"test_{marker('i')}_",
                "AUTO_UPDATE": False,
            }
        }
    return request.param


def rebuild():
    """Every page (drafts and hidden ones too) indexed, as ``update_index`` does."""
    call_command("update_index", verbosity=0)


@pytest.mark.parametrize("api", VERSIONS, indirect=True)
@pytest.mark.parametrize("search_backend", ["alma_database", "opensearch"], indirect=True)
def test_search_locale_all_analyses_each_language(alma, alma_ru, client, api, search_backend):
    """``search_locale=all``: an inflected query finds each language's pages in their own
    morphology, on alma's backends (PostgreSQL's configurations; OpenSearch's analyzers)."""
    word = marker("m")
    english = speaker(alma, word, short_bio=f"{word} works in a library")
    russian = english.copy_for_translation(alma_ru.locale)
    russian.title = f"Анна {word}"
    russian.short_bio = f"{word} работает, библиотека"
    russian.save()
    russian.save_revision().publish()
    rebuild()
    hits = found(client, api, search=f"{word} libraries", search_locale="all")
    assert hits == [english.pk]
    assert found(client, api, search=f"{word} библиотеки", search_locale="ru") == [russian.pk]
    hits = found(client, api, search=f"{word} библиотеки", search_locale="all")
    assert hits == [russian.pk]


@pytest.mark.parametrize("api", VERSIONS, indirect=True)
def test_search_never_finds_hidden_pages_on_any_backend(alma, client, api, search_backend):
    models = [m.SpeakerPage, m.ForumEditionPage, m.QuotationPage]
    hidden, live = {}, {}
    for model in models:
        for state in HIDDEN_STATES:
            word = marker("h")
            hidden[word] = make_page_in_state(alma, model, state, word, marker("u")).pk
        draft_word, word = marker("d"), marker("l")
        page = make_page_in_state(alma, model, "unpublished_changes", word, draft_word)
        live[word] = (page.pk, draft_word)
    # Hidden after indexing, through no signal: the index still holds it, live.
    stale_word = marker("st")
    stale = speaker(alma, stale_word)
    rebuild()
    assert found(client, api, search=stale_word) == [stale.pk]
    Page.objects.filter(pk=stale.pk).update(expire_at=timezone.now() - datetime.timedelta(hours=1))
    hidden[stale_word] = stale.pk

    for word in hidden:
        for search_type in ("full_text", "autocomplete"):
            response = get(client, api, search=word, search_type=search_type)
            assert response.status_code == 200, response.content[:300]
            assert response.json()["items"] == [], word
            assert word not in response.content.decode()
        for locale in ("en", "ru"):
            assert found(client, api, search=word, locale=locale) == []
    for word, (pk, draft_word) in live.items():
        assert found(client, api, search=word) == [pk]
        response = get(client, api, search=draft_word)
        assert response.json()["items"] == [] and draft_word not in response.content.decode()
    # Several hidden words at once, with "or": still nothing hidden.
    response = get(client, api, search=" ".join(hidden), search_operator="or")
    assert response.json()["items"] == []
