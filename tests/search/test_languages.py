"""alma_cms.search.languages: the SEARCH_LANGUAGES mapping and its system checks."""

import pytest
from django.test import override_settings

from alma_cms.checks import (
    check_database_search_backends,
    check_search_backends,
    check_search_languages,
)
from alma_cms.search.languages import (
    DEFAULT_SEARCH_LANGUAGES,
    KNOWN_ANALYZERS,
    OPENSEARCH_ANALYZERS,
    POSTGRES_CONFIGS,
    analyzer_for,
    language_of,
    languages_of,
    opensearch_analyzer,
    postgres_config,
)


def ids(messages):
    return [message.id for message in messages]


def test_every_shipped_language_has_a_default():
    assert set(DEFAULT_SEARCH_LANGUAGES.values()) == KNOWN_ANALYZERS - {"simple", "standard"}


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("ru", "russian"),
        ("en", "english"),
        ("en-gb", "english"),
        ("EN_us", "english"),
        ("pt-br", "brazilian"),
        ("pt-pt", "portuguese"),
        ("zh-hans", "cjk"),
        ("xx", "simple"),
        ("", "simple"),
        (None, "simple"),
    ],
)
def test_analyzer_for(code, name):
    assert analyzer_for(code) == name


def test_the_setting_is_merged_over_the_defaults():
    with override_settings(ALMA_CMS={"SEARCH_LANGUAGES": {"uk": "russian", "EN": "simple"}}):
        assert analyzer_for("uk") == "russian"
        assert analyzer_for("en-gb") == "simple"
        assert analyzer_for("ru") == "russian"
    assert analyzer_for("uk") == "simple"


@pytest.mark.parametrize(
    ("name", "postgres", "opensearch"),
    [
        ("russian", "russian", "russian"),
        ("english", "english", "english"),
        ("simple", "simple", "standard"),
        ("nepali", "nepali", "standard"),
        ("bengali", "simple", "bengali"),
        ("cjk", "simple", "cjk"),
        ("klingon", "simple", "standard"),
    ],
)
def test_each_side_falls_back(name, postgres, opensearch):
    assert postgres_config(name) == postgres
    assert opensearch_analyzer(name) == opensearch


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_postgres_list_is_what_postgresql_ships():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_catalog.pg_ts_config")
        shipped = {row[0] for row in cursor.fetchall()}
    assert POSTGRES_CONFIGS <= shipped


def test_the_lists_overlap_on_the_demo_languages():
    assert {"russian", "english"} <= POSTGRES_CONFIGS & OPENSEARCH_ANALYZERS


@pytest.mark.django_db
def test_language_of(locale_ru, settings):
    from wagtail.models import Page

    settings.LANGUAGE_CODE = "en"
    root = Page.objects.get(depth=1)
    home = Page.objects.get(depth=2)
    ru_home = home.copy_for_translation(locale_ru)
    assert language_of(ru_home) == "ru"
    assert language_of(root) == root.locale.language_code
    # An object without a locale: the site's language.
    assert language_of(object()) == "en"
    assert languages_of([ru_home, home, object()]) == ["ru", home.locale.language_code, "en"]


@pytest.mark.django_db
def test_languages_of_loads_the_locales_in_one_query(locale_ru, django_assert_num_queries):
    from wagtail.models import Page

    Page.objects.get(depth=2).copy_for_translation(locale_ru)
    pages = list(Page.objects.filter(depth__gt=1))
    with django_assert_num_queries(1):
        codes = languages_of(pages)
    assert sorted(set(codes)) == ["en", "ru"]


class TestChecks:
    def test_defaults_are_clean(self):
        assert check_search_languages() == []

    @pytest.mark.parametrize(
        "value", [{"ru": 1}, {"ru": ""}, {1: "russian"}, {"": "russian"}, {"ru": None}]
    )
    def test_bad_types(self, value):
        with override_settings(ALMA_CMS={"SEARCH_LANGUAGES": value}):
            assert ids(check_search_languages()) == ["alma_cms.E020"]

    def test_not_a_dict_is_the_generic_type_error(self):
        from alma_cms.checks import check_alma_settings

        with override_settings(ALMA_CMS={"SEARCH_LANGUAGES": ["ru"]}):
            assert check_search_languages() == []
            assert "alma_cms.E003" in ids(check_alma_settings())

    def test_unknown_name(self):
        with override_settings(ALMA_CMS={"SEARCH_LANGUAGES": {"ru": "russain", "en": "cjk"}}):
            messages = check_search_languages()
        assert ids(messages) == ["alma_cms.E021"]
        assert "'russain'" in messages[0].msg

    def test_names_only_one_side_ships_are_fine(self):
        value = {"ne": "nepali", "bn": "bengali", "x": "simple", "y": "standard"}
        with override_settings(ALMA_CMS={"SEARCH_LANGUAGES": value}):
            assert check_search_languages() == []

    def test_search_config_on_the_alma_database_backend_is_ignored(self):
        backends = {
            "default": {
                "BACKEND": "alma_cms.search.backends.database",
                "SEARCH_CONFIG": "english",
            }
        }
        with override_settings(WAGTAILSEARCH_BACKENDS=backends):
            assert "alma_cms.W020" in ids(check_database_search_backends())

    def test_stock_and_alma_database_backends_share_a_table(self):
        backends = {
            "default": {"BACKEND": "alma_cms.search.backends.database"},
            "old": {"BACKEND": "wagtail.search.backends.database"},
        }
        with override_settings(WAGTAILSEARCH_BACKENDS=backends):
            assert ids(check_database_search_backends()) == ["alma_cms.W021"]

    def test_alma_backends_need_modelsearch(self, monkeypatch):
        import alma_cms.checks

        backends = {"default": {"BACKEND": "alma_cms.search.backends.database"}}
        with override_settings(WAGTAILSEARCH_BACKENDS=backends):
            monkeypatch.setattr(alma_cms.checks, "find_spec", lambda name: object())
            assert check_search_backends() == []
            # Wagtail 7.4: no django-modelsearch.
            monkeypatch.setattr(
                alma_cms.checks,
                "find_spec",
                lambda name: None if name == "modelsearch" else object(),
            )
            assert ids(check_search_backends()) == ["alma_cms.E030"]
