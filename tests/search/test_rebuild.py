"""alma_search_rebuild: keyset paging, alias swap, changes made meanwhile kept, a failed
rebuild cleaned up, one rebuild at a time (alma_cms.search.rebuild)."""

import io
import threading

import pytest

pytest.importorskip("modelsearch", reason="the search outbox needs Wagtail 8 (modelsearch)")

from django.core.management import CommandError, call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from .outbox_support import (  # noqa: E402
    INDEX_PREFIX,
    add_page,
    index_ids,
    reconcile_check,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.celery,
    pytest.mark.postgres,
    pytest.mark.usefixtures("celery_app"),
]

PAGE_INDEX = INDEX_PREFIX + "wagtailcore_page"


def _indices(url):
    from opensearchpy import OpenSearch

    return OpenSearch(hosts=[url]).indices.get_alias()


def test_rebuild_swaps_the_alias_and_counts(search_server, site_root):
    from wagtail.models import Page

    pages = [add_page(site_root, f"Page {i}") for i in range(7)]
    # + the root, the parent and what the migrations created, when the database still has it
    expected = Page.objects.count()
    err, out = io.StringIO(), io.StringIO()
    with CaptureQueriesContext(connection) as queries:
        call_command("alma_search_rebuild", "--batch-size", "3", stdout=out, stderr=err)
    assert not [q["sql"] for q in queries if "OFFSET" in q["sql"].upper()]
    assert f"default/{PAGE_INDEX}: {expected} documents indexed" in out.getvalue()
    assert "[#" in err.getvalue()
    first = {name for name, v in _indices(search_server.url).items() if PAGE_INDEX in v["aliases"]}
    call_command("alma_search_rebuild", verbosity=0)
    aliases = _indices(search_server.url)
    second = {name for name, v in aliases.items() if PAGE_INDEX in v["aliases"]}
    assert len(second) == 1 and second != first
    assert not first & set(aliases), "the old index is deleted"
    assert set(index_ids(search_server.url)) >= {str(p.pk) for p in pages}
    reconcile_check()


def test_changes_during_the_rebuild_reach_the_new_index(search_server, site_root, monkeypatch):
    """Edits and a delete made (and committed) while the rebuild is loading, from another
    thread, are in the index right after the swap, before any drain."""
    from alma_cms.models import SearchIndexChange
    from alma_cms.search import rebuild as rebuild_module

    pages = [add_page(site_root, f"Page {i}") for i in range(6)]
    done = threading.Event()
    original = rebuild_module._send_bulk

    def edit_meanwhile():
        from wagtail.models import Page

        page = Page.objects.get(pk=pages[0].pk)
        page.title = "Edited during rebuild"
        page.save_revision().publish()
        Page.objects.get(pk=pages[1].pk).delete()
        add_page(Page.objects.get(pk=site_root.pk), "Added during rebuild")
        connection.close()

    def bulk_then_edit(backend, index_name, actions):
        failed = original(backend, index_name, actions)
        if "wagtailcore_page" in index_name and not done.is_set():
            done.set()
            worker = threading.Thread(target=edit_meanwhile)
            worker.start()
            worker.join()
        return failed

    monkeypatch.setattr(rebuild_module, "_send_bulk", bulk_then_edit)
    call_command("alma_search_rebuild", "--batch-size", "2", verbosity=0)
    assert done.is_set()
    assert SearchIndexChange.objects.exists(), "rows stay for the drain (harmless redo)"
    documents = index_ids(search_server.url)
    assert documents[str(pages[0].pk)]["title"] == "Edited during rebuild"
    assert str(pages[1].pk) not in documents
    assert any(doc["title"] == "Added during rebuild" for doc in documents.values())
    reconcile_check()


def test_a_failed_rebuild_deletes_its_index(search_server, site_root, monkeypatch):
    from alma_cms.search import rebuild as rebuild_module

    add_page(site_root, "Page")
    call_command("alma_search_rebuild", verbosity=0)
    before = set(_indices(search_server.url))

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")  # injected fault after the new index was filled

    monkeypatch.setattr(rebuild_module, "_apply_outbox", fail)
    with pytest.raises(CommandError, match="RuntimeError: disk full"):
        call_command("alma_search_rebuild", verbosity=0)
    assert set(_indices(search_server.url)) == before
    reconcile_check()


def test_two_rebuilds_cannot_run_at_once(search_server, site_root):
    import psycopg

    from alma_cms.search.drain import REBUILD_LOCK

    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    other = psycopg.connect(**params, autocommit=True)
    try:
        other.execute("SELECT pg_advisory_lock(%s)", [REBUILD_LOCK])
        with pytest.raises(CommandError, match="another alma_search_rebuild is running"):
            call_command("alma_search_rebuild", verbosity=0)
    finally:
        other.execute("SELECT pg_advisory_unlock(%s)", [REBUILD_LOCK])
        other.close()
    call_command("alma_search_rebuild", verbosity=0)


def test_bad_arguments(search_server):
    with pytest.raises(CommandError, match="at least 1"):
        call_command("alma_search_rebuild", "--batch-size", "0", verbosity=0)
    with pytest.raises(CommandError, match="not an external backend"):
        call_command("alma_search_rebuild", "--backend", "nope", verbosity=0)
