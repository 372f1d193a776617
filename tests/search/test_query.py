"""alma_cms.search.query.search(): locale restriction, parameters, and any user input.

Runs on the test database (SQLite or PostgreSQL) with the alma database backend; the stemming
itself is tested in test_database_backend.py."""

import pytest

pytest.importorskip("modelsearch", reason="Wagtail 7.4 has no modelsearch: alma backends need 8")

from django.db import connection  # noqa: E402

from alma_cms.pages.models import ForumIndexPage  # noqa: E402
from alma_cms.search.query import MAX_QUERY_LENGTH, SearchError, clean_query, search  # noqa: E402

from .pages_in_two_locales import ALMA_DATABASE, make_pages, rebuild, titles, use_backends  # noqa: E402


@pytest.fixture
def pages(db, locale_ru, settings):
    use_backends(settings, default={"BACKEND": ALMA_DATABASE})
    pages = make_pages(locale_ru)
    rebuild()
    return pages


class TestCleanQuery:
    def test_plain_text_is_kept(self):
        assert clean_query("городская библиотека") == "городская библиотека"
        assert clean_query("O'Brien's library") == "O'Brien's library"

    def test_combining_marks_are_composed(self):
        assert clean_query("Чаи\u0306ковский") == "Чайковский"

    def test_marks_inside_words_stay(self):
        assert clean_query("हिन्दी पुस्तकालय") == "हिन्दी पुस्तकालय"
        assert clean_query("ห้องสมุด") == "ห้องสมุด"

    def test_lone_surrogates_go(self):
        assert clean_query("library\ud800") == "library"

    def test_nul_and_control_characters_go(self):
        assert clean_query("libr\x00ary\x07 \x1b[31m") == "library 31m"
        assert clean_query("\x00\x00") == ""

    def test_operators_and_quotes_are_not_syntax(self):
        assert clean_query('"city library" & !museum | (x:*) <-> -y') == "city library museum x y"
        assert clean_query("'''\\") == ""

    def test_long_queries_are_cut_at_a_space(self):
        text = ("library " * 200).strip()
        cleaned = clean_query(text)
        assert len(cleaned) <= MAX_QUERY_LENGTH
        assert cleaned.split() == ["library"] * len(cleaned.split())
        assert len(clean_query("x" * 10_000)) == MAX_QUERY_LENGTH

    def test_not_a_string(self):
        with pytest.raises(SearchError, match="query must be a string"):
            clean_query(None)


@pytest.mark.django_db
class TestSearch:
    def test_a_locale_returns_only_its_content(self, pages):
        assert titles(search(ForumIndexPage, "city", language="en")) == [
            "The city library",
            "The city museum",
        ]
        assert titles(search(ForumIndexPage, "city", language="ru")) == []
        assert titles(search(ForumIndexPage, "библиотека", language="ru")) == [
            "Городская библиотека"
        ]
        assert titles(search(ForumIndexPage, "библиотека", language="en")) == []

    def test_no_language_searches_every_locale(self, pages):
        assert titles(search(ForumIndexPage, "library", language=None)) == ["The city library"]
        assert titles(search(ForumIndexPage, "библиотека", language=None)) == [
            "Городская библиотека"
        ]

    def test_a_regional_variant_finds_the_locale(self, pages):
        assert titles(search(ForumIndexPage, "museum", language="en-gb")) == ["The city museum"]

    def test_a_queryset_keeps_its_filters(self, pages):
        # Filters must be on FilterFields (Page.search_fields has id, live, locale, path...).
        queryset = ForumIndexPage.objects.live().filter(id=pages["museum_en"].id)
        assert titles(search(queryset, "city", language="en")) == ["The city museum"]

    def test_ordered_by_relevance(self, pages):
        # Both English pages say "city" once; "library" twice (title and intro) ranks first.
        found = list(search(ForumIndexPage, "city library", language="en", operator="or"))
        assert [page.title for page in found] == ["The city library", "The city museum"]

    def test_operator(self, pages):
        assert titles(search(ForumIndexPage, "library museum", language="en")) == []
        assert titles(search(ForumIndexPage, "library museum", language="en", operator="or")) == [
            "The city library",
            "The city museum",
        ]

    def test_partial_matches_a_prefix(self, pages):
        assert titles(search(ForumIndexPage, "muse", language="en", partial=True)) == [
            "The city museum"
        ]
        assert titles(search(ForumIndexPage, "muse", language="en")) == []

    @pytest.mark.parametrize(
        "query",
        [
            "library\x00",
            "\x00library",
            'library "',
            '"library"',
            "library & !",
            "library:*",
            "(library)",
            "library' OR '1'='1",
            "library\\",
            "library -",
            "library <-> NEAR(x)",
            "library " + "x" * 5000,
        ],
    )
    def test_odd_input_still_finds(self, pages, query):
        found = search(ForumIndexPage, query, language="en", operator="or")
        assert "The city library" in titles(found)

    @pytest.mark.parametrize(
        "query",
        [
            "",
            "   ",
            "\x00",
            '"',
            "&|!():*",
            "- -",
            "' '",
            "the of and",
            "x" * 100_000,
            "*",
            # SQLite FTS5's operators, as words.
            "AND",
            "OR NOT",
            "NEAR",
        ],
    )
    def test_input_with_nothing_to_find_finds_nothing(self, pages, query):
        found = search(ForumIndexPage, query, language="en")
        assert list(found) == [] or query == "x" * 100_000
        found.count()  # evaluates without an error

    def test_not_is_a_word_not_an_operator(self, pages):
        found = search(ForumIndexPage, "NOT museum", language="en", operator="or")
        assert titles(found) == ["The city museum"]
        found = search(ForumIndexPage, "-museum city", language="en")
        assert titles(found) == ["The city museum"]

    def test_only_stop_words_finds_nothing(self, pages):
        if connection.vendor != "postgresql":
            pytest.skip("SQLite's FTS5 has no stop words: 'the' is an ordinary word there")
        assert list(search(ForumIndexPage, "the", language="en")) == []
        assert list(search(ForumIndexPage, "и в на", language="ru")) == []

    def test_unknown_language(self, pages):
        with pytest.raises(SearchError, match="language 'xx' is not a locale"):
            search(ForumIndexPage, "library", language="xx")
        # A content language with no Locale row yet is the same error.
        with pytest.raises(SearchError, match="language 'fr'"):
            search(ForumIndexPage, "library", language="fr")
        with pytest.raises(SearchError, match="language must be a string"):
            search(ForumIndexPage, "library", language=1)

    def test_bad_operator(self, pages):
        with pytest.raises(SearchError, match="operator must be 'and' or 'or', not 'xor'"):
            search(ForumIndexPage, "library", language="en", operator="xor")

    def test_search_error_is_a_value_error(self):
        assert issubclass(SearchError, ValueError)

    def test_a_stock_backend_still_gets_the_locale(self, pages, settings):
        # Wagtail's own database backend has no alma_search: the stock search, in the locale.
        use_backends(settings, default={"BACKEND": "wagtail.search.backends.database"})
        rebuild()
        assert titles(search(ForumIndexPage, "library", language="en")) == ["The city library"]
        assert titles(search(ForumIndexPage, "library", language="ru")) == []
        assert titles(search(ForumIndexPage, "city", language=None)) == [
            "The city library",
            "The city museum",
        ]


class RecordingBackend:
    """A backend implementing the alma_search hook; records what search() hands it."""

    calls = []

    def __init__(self, params):
        pass

    def alma_search(self, queryset, query, *, language, operator, partial):
        self.calls.append((queryset.query.where is not None, query, language, operator, partial))
        return queryset.none()


SearchBackend = RecordingBackend


@pytest.mark.django_db
def test_the_backend_hook_gets_the_cleaned_query_and_the_locale(locale_ru, settings):
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": __name__}}
    RecordingBackend.calls.clear()
    search(ForumIndexPage, ' "библиотеки"\x00 ', language="ru", operator="or", partial=True)
    search(ForumIndexPage, "library", language=None)
    assert RecordingBackend.calls == [
        (True, "библиотеки", "ru", "or", True),
        (True, "library", None, "and", False),
    ]


@pytest.mark.django_db
def test_a_translatable_snippet_is_restricted_to_the_locale(locale_ru, settings):
    # Organization lists FilterField("locale_id"); the restriction filters on it.
    from tests.testapp.factories import make_organizations

    use_backends(settings, default={"BACKEND": ALMA_DATABASE})
    lfl, _ifla, _rla = make_organizations()
    lfl_ru = lfl.copy_for_translation(locale_ru)
    lfl_ru.name = "Всероссийская государственная библиотека иностранной литературы"
    lfl_ru.save()
    rebuild()
    found = search(type(lfl), "библиотека", language="ru")
    assert [org.pk for org in found] == [lfl_ru.pk]
    assert lfl_ru.pk not in [org.pk for org in search(type(lfl), "library", language="en")]
    assert len(search(type(lfl), "library", language="en")) == 3
