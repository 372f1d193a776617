"""alma_cms.scope.compiled: querysets compiled once per process, run with other values."""

import threading
import uuid

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, Page

from alma_cms.scope import compiled
from alma_cms.scope.compiled import any_of, run_compiled

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="compiled once on PostgreSQL only"
)


def _pages(key, ids):
    return run_compiled(key, Page, lambda pks: Page.objects.filter(any_of("pk", pks)), ids)


@pytest.fixture
def pages():
    root = Page.get_first_root_node()
    return [
        root.add_child(instance=Page(title=f"page {n}", slug=f"compiled-{n}")) for n in range(4)
    ]


def test_each_run_returns_the_rows_for_its_own_values(pages):
    key = ("test pages", uuid.uuid4())
    first = _pages(key, [pages[0].pk, pages[2].pk])
    second = _pages(key, [pages[1].pk])
    third = _pages(key, [p.pk for p in pages])
    assert [p.pk for p in first] == [pages[0].pk, pages[2].pk]
    assert [p.pk for p in second] == [pages[1].pk]
    assert [p.pk for p in third] == [p.pk for p in pages]  # Page's order: path
    assert all(type(p) is Page and p.title.startswith("page ") for p in third)
    assert _pages(key, []) == []


@on_postgres
def test_the_sql_is_compiled_once_and_takes_any_number_of_values(pages, monkeypatch):
    monkeypatch.setattr(compiled, "VERIFY", False)
    key = ("test compile once", uuid.uuid4())
    built = []

    def build(pks):
        built.append(pks)
        return Page.objects.filter(any_of("pk", pks))

    with CaptureQueriesContext(connection) as queries:
        for ids in ([pages[0].pk], [pages[1].pk, pages[2].pk], [p.pk for p in pages], []):
            assert [p.pk for p in run_compiled(key, Page, build, ids)] == ids
    assert len(built) == 1  # built and compiled for the first run only
    assert len(queries) == 4
    assert len({q["sql"].split("WHERE")[0] for q in queries}) == 1
    assert all("= ANY(" in q["sql"] for q in queries)


@on_postgres
def test_values_are_cast_to_the_column_type():
    sql, _params = (
        Page.objects.filter(any_of("pk", [1]), any_of("translation_key", [uuid.uuid4()]))
        .filter(any_of("path", ["0001"]))
        .query.sql_with_params()
    )
    assert "::integer[]" in sql and "::uuid[]" in sql and "::varchar(255)[]" in sql


@on_postgres
def test_ids_go_as_one_array_text_and_other_values_as_a_list(pages):
    _sql, params = Page.objects.filter(
        any_of("pk", [3, 1, 2]), any_of("path", ['0001"x', "a\\b"])
    ).query.sql_with_params()
    assert params == ("{3,1,2}", ['0001"x', "a\\b"])
    key = ("test array text", uuid.uuid4())
    # The second run reuses the SQL (and its row converters) with new values.
    for chosen in ([pages[3], pages[1]], [pages[2]]):
        ids = [page.pk for page in chosen]
        loaded = _pages(key, ids)
        assert sorted(page.pk for page in loaded) == sorted(ids)
        assert [page.title for page in loaded] == [
            page.title for page in sorted(chosen, key=lambda page: page.path)
        ]
    assert _pages(key, []) == []


def test_several_values_select_and_annotations_come_out_as_the_queryset_gives_them(pages):
    english = Locale.get_default()
    key = ("test two values", uuid.uuid4())

    def build(keys, locale_ids):
        return (
            Page.objects.filter(any_of("translation_key", keys), any_of("locale_id", locale_ids))
            .select_related("locale")
            .values_list("pk", "locale__language_code")
        )

    keys = [pages[0].translation_key, pages[3].translation_key]
    rows = run_compiled(key, Page, build, keys, [english.pk])
    assert rows == [(pages[0].pk, english.language_code), (pages[3].pk, english.language_code)]
    assert run_compiled(key, Page, build, keys, [english.pk + 1000]) == []


@on_postgres
def test_verify_catches_a_builder_that_reads_more_than_its_key(pages, monkeypatch):
    monkeypatch.setattr(compiled, "VERIFY", True)
    key = ("test frozen value", uuid.uuid4())
    title = {"value": "page 0"}

    def build(pks):
        # Wrong: the title is neither in the key nor a value, so it would be frozen.
        return Page.objects.filter(any_of("pk", pks), title=title["value"])

    assert len(run_compiled(key, Page, build, [pages[0].pk])) == 1
    title["value"] = "page 1"
    with pytest.raises(AssertionError, match="besides its key and values"):
        run_compiled(key, Page, build, [pages[1].pk])


@on_postgres
def test_a_value_that_does_not_reach_the_sql_through_any_of_is_refused():
    key = ("test not any_of", uuid.uuid4())
    with pytest.raises(ValueError, match="any_of"):
        run_compiled(key, Page, lambda pks: Page.objects.filter(Q(pk__in=pks)), [1])


@pytest.mark.django_db(transaction=True)
def test_a_compiled_query_runs_on_the_connection_of_the_thread_that_runs_it(pages):
    key = ("test threads", uuid.uuid4())
    assert [p.pk for p in _pages(key, [pages[0].pk])] == [pages[0].pk]
    results, errors = [], []

    def other_thread():
        from django.db import connections

        try:
            results.extend(p.pk for p in _pages(key, [pages[1].pk]))
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert errors == [] and results == [pages[1].pk]
