"""The drain task on a real Celery worker: changes reach osmem in bulk, in order, and the
outbox empties (alma_cms.search.drain, alma_cms.search.tasks)."""

import pytest

pytest.importorskip("modelsearch", reason="the search outbox needs Wagtail 8 (modelsearch)")

from .outbox_support import (
    add_page,
    index_ids,
    outbox_empty,
    rebuild,
    reconcile_check,
    wait_for,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.celery,
    pytest.mark.postgres,
]


def test_changes_reach_the_index_after_commit(search_server, site_root, celery_worker):
    rebuild()
    page = add_page(site_root, "Reading rooms")
    other = add_page(site_root, "Archive")
    wait_for(outbox_empty, message="the outbox to drain")
    documents = index_ids(search_server.url)
    assert documents[str(page.pk)]["title"] == "Reading rooms"
    page.title = "Reading halls"
    page.save_revision().publish()
    other.delete()
    wait_for(outbox_empty, message="the outbox to drain")
    documents = index_ids(search_server.url)
    assert documents[str(page.pk)]["title"] == "Reading halls"
    assert str(other.pk) not in documents
    reconcile_check()


@pytest.mark.usefixtures("celery_app")  # no worker, not eager: the test drains
def test_one_bulk_request_per_batch(search_server, site_root, search_requests, settings):
    """Drained in-process to count: 30 changes, batch size 10 -> 3 `_bulk` requests."""
    from alma_cms.search.drain import drain

    rebuild()
    settings.ALMA_CMS = {"SEARCH_OUTBOX_BATCH_SIZE": 10}
    from django.db import transaction

    with transaction.atomic():
        pages = [add_page(site_root, f"Page {i}", publish=False) for i in range(15)]
    # Each page: a save on creation and one on the revision (coalesced in a batch).
    search_requests.calls.clear()
    totals = drain()
    bulks = [url for method, url in search_requests.calls if url.endswith("/_bulk")]
    assert totals["batches"] == len(bulks)
    assert len(bulks) <= 4
    assert outbox_empty()
    assert set(index_ids(search_server.url)) >= {str(p.pk) for p in pages}
    reconcile_check()


@pytest.mark.usefixtures("celery_app")
def test_redoing_a_batch_is_harmless(search_server, site_root):
    from alma_cms.search.drain import drain
    from alma_cms.search.outbox import DELETE, record

    rebuild()
    page = add_page(site_root, "Twice")
    gone = add_page(site_root, "Deleted twice")
    drain()
    record(page)
    record(page)
    gone_pk = gone.pk
    gone.delete()
    from wagtail.models import Page

    record([Page(pk=gone_pk)], DELETE)
    assert drain()["deleted"] == 1
    assert outbox_empty()
    reconcile_check()


def test_beat_schedule_names_the_tasks(settings):
    from alma_cms.search.tasks import DRAIN_TASK, RECONCILE_TASK, beat_schedule

    settings.ALMA_CMS = {"SEARCH_OUTBOX_BEAT_INTERVAL": 30}
    schedule = beat_schedule()
    assert (
        schedule["alma-search-drain-outbox"]["task"] == DRAIN_TASK == "alma_cms.search.drain_outbox"
    )
    assert schedule["alma-search-drain-outbox"]["schedule"] == 30.0
    assert schedule["alma-search-reconcile"]["task"] == RECONCILE_TASK


def test_eager_celery_drains_after_commit(search_server, site_root):
    """CELERY_TASK_ALWAYS_EAGER (the demo's setting): the drain runs after commit, in-process."""
    page = add_page(site_root, "Eager")
    assert outbox_empty()
    assert str(page.pk) in index_ids(search_server.url)


@pytest.mark.usefixtures("celery_app")
def test_a_drain_before_the_first_rebuild_creates_the_index_with_alma_mapping(
    search_server, site_root
):
    """No index on the server yet: the drain creates it with alma's mapping (explicit
    analyzers, a sub-field per language), not one the server guesses from the documents; the
    first rebuild then replaces it behind the alias."""
    from wagtail.models import Page
    from wagtail.search.backends import get_search_backend

    from alma_cms.search.drain import drain

    backend = get_search_backend()
    index = backend.get_index_for_model(Page)
    assert not index.exists()
    page = add_page(site_root, "Before any rebuild")
    drain()
    assert str(page.pk) in index_ids(search_server.url)
    mapping = backend.es.indices.get_mapping(index=index.name)
    ((properties,),) = [[value["mappings"]["properties"]] for value in mapping.values()]
    title = properties["title"]
    assert title["type"] == "text"
    assert {"en", "ru"} <= set(title.get("fields", {})), title
    assert title["fields"]["ru"]["analyzer"] == "russian"
    rebuild()
    assert index.is_alias()
    reconcile_check()


def test_beat_schedule_works_in_a_celery_app_module_before_apps_are_loaded(tmp_path):
    """A project's Celery module calls it after config_from_object, before django.setup()."""
    import os
    import subprocess
    import sys

    script = (
        "import os\n"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'tests.testapp.settings'\n"
        "from celery import Celery\n"
        "app = Celery('x')\n"
        "app.config_from_object('django.conf:settings', namespace='CELERY')\n"
        "from alma_cms.search.beat import beat_schedule\n"
        "app.conf.beat_schedule = {**app.conf.beat_schedule, **beat_schedule()}\n"
        "from django.apps import apps\n"
        "assert not apps.ready\n"
        "print(sorted(app.conf.beat_schedule))\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "alma-search-drain-outbox" in result.stdout
