"""System checks on WAGTAILSEARCH_BACKENDS (alma_cms.checks.check_search_backends:
alma_cms.E030-E032, W030-W032)."""

from importlib.util import find_spec

import pytest
from django.test import override_settings

from alma_cms.checks import check_search_backends


def _ids(backends):
    with override_settings(WAGTAILSEARCH_BACKENDS=backends):
        return sorted(message.id for message in check_search_backends())


def test_the_database_backend_and_alma_backends_give_no_message(monkeypatch):
    import alma_cms.checks as checks

    monkeypatch.setattr(checks, "_client_major", lambda distribution: 9)
    assert _ids({"default": {"BACKEND": "wagtail.search.backends.database"}}) == []
    if find_spec("modelsearch") is None:
        pytest.skip("Wagtail 7.4: alma's backends report E030 (tested below)")
    assert (
        _ids(
            {
                "default": {
                    "BACKEND": "alma_cms.search.backends.opensearch3",
                    "URLS": ["http://localhost:9200"],
                    "INDEX_PREFIX": "site_",
                },
                "es": {"BACKEND": "alma_cms.search.backends.elasticsearch9.SearchBackend"},
            }
        )
        == []
    )


def test_an_alma_backend_without_modelsearch_is_an_error(monkeypatch):
    import alma_cms.checks as checks

    real = checks.find_spec
    monkeypatch.setattr(
        checks, "find_spec", lambda name: None if name == "modelsearch" else real(name)
    )
    assert _ids({"default": {"BACKEND": "alma_cms.search.backends.opensearch3"}}) == [
        "alma_cms.E030"
    ]


@pytest.mark.skipif(find_spec("modelsearch") is None, reason="Wagtail 7.4: E030 comes first")
def test_an_unknown_alma_backend_is_an_error():
    assert _ids({"default": {"BACKEND": "alma_cms.search.backends.opensearch"}}) == [
        "alma_cms.E031"
    ]


@pytest.mark.skipif(find_spec("modelsearch") is None, reason="Wagtail 7.4: E030 comes first")
def test_a_missing_client_is_an_error(monkeypatch):
    import alma_cms.checks as checks

    real = checks.find_spec
    monkeypatch.setattr(
        checks, "find_spec", lambda name: None if name == "opensearchpy" else real(name)
    )
    assert _ids({"default": {"BACKEND": "alma_cms.search.backends.opensearch2"}}) == [
        "alma_cms.E032"
    ]


@pytest.mark.skipif(find_spec("modelsearch") is None, reason="Wagtail 7.4: E030 comes first")
def test_an_elasticsearch_client_of_another_major_version_is_a_warning(monkeypatch):
    import alma_cms.checks as checks

    monkeypatch.setattr(checks, "_client_major", lambda distribution: 9)
    assert _ids({"default": {"BACKEND": "alma_cms.search.backends.elasticsearch8"}}) == [
        "alma_cms.W030"
    ]
    assert _ids({"default": {"BACKEND": "alma_cms.search.backends.elasticsearch9"}}) == []


def test_the_ignored_index_option_is_a_warning():
    messages = _ids(
        {"default": {"BACKEND": "wagtail.search.backends.opensearch3", "INDEX": "alma"}}
    )
    assert messages == ["alma_cms.W031", "alma_cms.W032"]


def test_a_stock_external_backend_gets_the_per_language_hint():
    with override_settings(
        WAGTAILSEARCH_BACKENDS={"default": {"BACKEND": "modelsearch.backends.elasticsearch8"}}
    ):
        (message,) = check_search_backends()
    assert message.id == "alma_cms.W032"
    assert "alma_cms.search.backends.elasticsearch8" in message.hint
