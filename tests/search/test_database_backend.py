"""alma_cms.search.backends.database: per-language analysis on PostgreSQL, stock FTS5 on
SQLite. Pages come from tests/search/pages_in_two_locales.py; the index is rebuilt with
Wagtail's update_index after WAGTAILSEARCH_BACKENDS points at the backend under test."""

import pytest

pytest.importorskip("modelsearch", reason="Wagtail 7.4 has no modelsearch: alma backends need 8")

from django.db import connection  # noqa: E402
from wagtail.models import Page  # noqa: E402
from wagtail.search.backends import get_search_backend  # noqa: E402

from alma_cms.pages.models import ForumIndexPage  # noqa: E402
from alma_cms.search.query import search  # noqa: E402

from .pages_in_two_locales import ALMA_DATABASE, make_pages, rebuild, titles, use_backends  # noqa: E402

pytestmark = pytest.mark.django_db


# PostgreSQL's russian configuration stems ASCII words with english_stem: English text gets
# the same vector from russian as from english, and "simple" (no stemming) must not match it.
ENGLISH_ROW = {"english", "russian"}


@pytest.fixture
def pages(locale_ru, settings):
    use_backends(settings, default={"BACKEND": ALMA_DATABASE})
    pages = make_pages(locale_ru)
    rebuild()
    return pages


def _configs(page):
    """The text search configurations PostgreSQL used for a page's IndexEntry rows, read back
    from the vectors: to_tsvector(cfg, title) equals the stored title vector (weights
    stripped) only for the configuration that built it."""
    # modelsearch's IndexEntry lives in the app that configures it (wagtail.search on Wagtail 8).
    from modelsearch.conf import get_app_config

    IndexEntry = get_app_config().get_model("IndexEntry")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT cfgname FROM pg_ts_config, {IndexEntry._meta.db_table} e "
            "WHERE e.object_id = %s AND cfgname IN ('russian', 'english', 'simple') "
            "AND strip(to_tsvector(cfgname::regconfig, e.title_text)) = strip(e.title) "
            "ORDER BY cfgname",
            [str(page.pk)],
        )
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.postgres
class TestPostgres:
    def test_russian_inflection_finds_the_other_form(self, pages):
        # "библиотеки" (genitive/plural) only matches "библиотека" through russian_stem.
        assert titles(search(ForumIndexPage, "библиотеки", language="ru")) == [
            "Городская библиотека"
        ]
        assert titles(search(ForumIndexPage, "музеи", language="ru")) == ["Городской музей"]

    def test_english_inflection_finds_the_other_form(self, pages):
        assert titles(search(ForumIndexPage, "libraries", language="en")) == ["The city library"]
        assert titles(search(ForumIndexPage, "museums", language="en")) == ["The city museum"]

    def test_a_locale_returns_only_its_content(self, pages):
        # "city" is in both English titles; the Russian pages say "Городская", not "city".
        assert titles(search(ForumIndexPage, "city", language="ru")) == []
        assert titles(search(ForumIndexPage, "city", language="en")) == [
            "The city library",
            "The city museum",
        ]

    def test_no_language_searches_every_locale_in_its_own_analysis(self, pages):
        assert titles(search(ForumIndexPage, "библиотеки", language=None)) == [
            "Городская библиотека"
        ]
        assert titles(search(ForumIndexPage, "libraries", language=None)) == ["The city library"]
        # Wagtail's own search() (the admin) passes no language: the same union.
        backend = get_search_backend()
        assert titles(backend.search("libraries", ForumIndexPage)) == ["The city library"]
        assert titles(backend.search("библиотеки", ForumIndexPage)) == ["Городская библиотека"]

    def test_each_row_is_analysed_with_its_language(self, pages):
        assert _configs(pages["lib_ru"]) == {"russian"}
        assert _configs(pages["lib_en"]) == ENGLISH_ROW

    def test_stock_backend_does_not_stem_russian(self, pages, settings):
        # The reason for this backend: one configuration for every row (here the database's
        # default_text_search_config, usually english) misses Russian inflections.
        use_backends(settings, default={"BACKEND": "wagtail.search.backends.database"})
        rebuild()
        assert titles(search(ForumIndexPage, "библиотеки", language="ru")) == []

    def test_two_backends_share_one_table_without_overwriting(self, pages, settings):
        # modelsearch has one IndexEntry table for every database backend (wagtail#9253: the
        # backend's SEARCH_CONFIG decided each row's analysis, so the last backend to write
        # won). Here the configuration follows from the object, so every alma backend writes
        # the same row; SEARCH_CONFIG is ignored (system check alma_cms.W020).
        use_backends(
            settings,
            default={"BACKEND": ALMA_DATABASE, "SEARCH_CONFIG": "simple"},
            other={"BACKEND": ALMA_DATABASE, "SEARCH_CONFIG": "english"},
        )
        for order in (["default", "other"], ["other", "default"]):
            for alias in order:
                rebuild(alias)
            for alias in order:
                found = search(ForumIndexPage, "библиотеки", language="ru", backend=alias)
                assert titles(found) == ["Городская библиотека"]
                found = search(ForumIndexPage, "libraries", language="en", backend=alias)
                assert titles(found) == ["The city library"]
            assert _configs(pages["lib_ru"]) == {"russian"}
            assert _configs(pages["lib_en"]) == ENGLISH_ROW

    def test_saving_a_page_indexes_it_in_its_language(self, pages):
        # Auto-update (the signal handlers) goes through the same add_items.
        page = pages["museum_ru"]
        page.title = "Городские библиотеки"
        page.save_revision().publish()
        found = search(ForumIndexPage, "библиотека", language="ru")
        assert titles(found) == ["Городская библиотека", "Городские библиотеки"]

    def test_bulk_indexing_groups_rows_by_language(self, pages, django_assert_num_queries):
        backend = get_search_backend()
        objs = list(ForumIndexPage.objects.filter(slug__in=["lib", "museum"]))
        assert len(objs) == 4
        # 1 query for the locales, then per configuration (english, russian): the INSERT ...
        # ON CONFLICT and modelsearch's title-norm refresh (an aggregate and an UPDATE).
        with django_assert_num_queries(1 + 2 * 3):
            backend.add_bulk(ForumIndexPage, objs)

    def test_a_search_is_one_query(self, pages, django_assert_num_queries):
        # The Locale lookup, then the search itself.
        with django_assert_num_queries(2):
            assert len(list(search(ForumIndexPage, "библиотеки", language="ru"))) == 1
        with django_assert_num_queries(1):
            assert len(list(search(ForumIndexPage, "libraries", language=None))) == 1

    def test_autocomplete_matches_prefixes_in_each_locale(self, pages):
        found = search(ForumIndexPage, "библио", language="ru", partial=True)
        assert titles(found) == ["Городская библиотека"]
        assert titles(search(ForumIndexPage, "libr", language="en", partial=True)) == [
            "The city library"
        ]

    def test_the_admins_parsed_queries(self, pages):
        # Wagtail's admin parses quotes into Phrase and combines with And/Not: each part is
        # analysed in every content language.
        from modelsearch.query import Not, PlainText
        from modelsearch.utils import parse_query_string

        backend = get_search_backend()
        _filters, query = parse_query_string('"city libraries"')
        assert titles(backend.search(query, ForumIndexPage)) == ["The city library"]
        _filters, query = parse_query_string('городская "библиотеки"')
        assert titles(backend.search(query, ForumIndexPage)) == ["Городская библиотека"]
        query = PlainText("city") & Not(PlainText("libraries"))
        assert titles(backend.search(query, ForumIndexPage)) == ["The city museum"]

    def test_pages_of_every_type_through_page(self, pages):
        assert titles(search(Page, "libraries", language="en")) == ["The city library"]


class TestSQLite:
    def test_searches_work_without_stemming(self, pages):
        if connection.vendor != "sqlite":
            pytest.skip("SQLite's FTS5 backend; PostgreSQL runs TestPostgres")
        # modelsearch's SQLite backend (FTS5, unicode61 tokenizer) has no stemmer: the exact
        # word is found, another inflection is not. docs/search.md says so.
        assert titles(search(ForumIndexPage, "библиотека", language="ru")) == [
            "Городская библиотека"
        ]
        assert titles(search(ForumIndexPage, "library", language="en")) == ["The city library"]
        assert titles(search(ForumIndexPage, "библиотеки", language="ru")) == []
        assert titles(search(ForumIndexPage, "libraries", language="en")) == []
        # The locale restriction does not depend on the backend.
        assert titles(search(ForumIndexPage, "city", language="ru")) == []
        assert len(search(ForumIndexPage, "city", language=None)) == 2
