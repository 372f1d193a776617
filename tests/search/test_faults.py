"""Faults with a real Celery worker on Redis and osmem: each ends with the index equal to the
database (``alma_search_reconcile --check``) and the outbox empty (issue #8, item 7)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("modelsearch", reason="the search outbox needs Wagtail 8 (modelsearch)")

from django.db import connection, transaction  # noqa: E402
from django.test import override_settings  # noqa: E402

from .outbox_support import (  # noqa: E402
    QUEUE,
    add_draft_pages,
    add_page,
    backend_settings,
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

ROOT = Path(__file__).resolve().parents[2]


def _pending():
    from alma_cms.models import SearchIndexChange

    return SearchIndexChange.objects.count()


def test_search_server_down_then_back(search_server, site_root, celery_worker):
    rebuild()
    page = add_page(site_root, "Before the outage")
    wait_for(outbox_empty, message="the first drain")
    with override_settings(WAGTAILSEARCH_BACKENDS=backend_settings("http://127.0.0.1:9")):
        page.title = "Edited during the outage"
        page.save_revision().publish()
        created = add_page(site_root, "Created during the outage")
        time.sleep(3)  # the drain fails and is retried with backoff
        assert _pending() > 0, "the changes wait in the outbox"
    # Back: a retry drains what was recorded.
    wait_for(outbox_empty, timeout=90, message="the retries to drain after the outage")
    documents = index_ids(search_server.url)
    assert documents[str(page.pk)]["title"] == "Edited during the outage"
    assert str(created.pk) in documents
    reconcile_check()


def test_rollback_leaves_the_index_untouched(search_server, site_root, celery_worker):
    rebuild()
    page = add_page(site_root, "Kept")
    wait_for(outbox_empty, message="the drain")
    with pytest.raises(RuntimeError), transaction.atomic():
        page.title = "Rolled back"
        page.save_revision().publish()
        add_page(site_root, "Never existed")
        raise RuntimeError("roll back")
    time.sleep(1)
    assert outbox_empty()
    documents = index_ids(search_server.url)
    assert documents[str(page.pk)]["title"] == "Kept"
    assert not [d for d in documents.values() if d["title"] == "Never existed"]
    reconcile_check()


def test_subtree_move(search_server, site_root, celery_worker):
    rebuild()
    section = add_page(site_root, "Section")
    children = [add_page(section, f"Child {i}") for i in range(3)]
    grandchild = add_page(children[0], "Grandchild")
    target = add_page(site_root, "Target")
    wait_for(outbox_empty, message="the drain")
    section.move(target, pos="last-child")
    wait_for(outbox_empty, message="the drain after the move")
    from wagtail.models import Page

    documents = index_ids(search_server.url)
    for page in [section, *children, grandchild]:
        fresh = Page.objects.get(pk=page.pk)
        assert documents[str(page.pk)]["path_filter"] == fresh.path
        assert documents[str(page.pk)]["depth_filter"] == fresh.depth
    reconcile_check()


@pytest.mark.slow
def test_burst_of_1000_publishes(search_server, site_root, celery_worker):
    rebuild()
    pages = add_draft_pages(site_root, [f"Burst {i}" for i in range(1000)])
    start = time.perf_counter()
    for page in pages:
        page.save_revision().publish()
    published = time.perf_counter() - start
    wait_for(outbox_empty, timeout=300, message="the burst to drain")
    drained = time.perf_counter() - start
    print(f"\n1000 publishes: {published:.1f} s; outbox empty after {drained:.1f} s")
    assert set(index_ids(search_server.url)) >= {str(p.pk) for p in pages}
    reconcile_check()


@pytest.fixture
def private_redis():
    """A Redis of this test's own (port 6390), stopped and started by the test."""
    port = 6390
    url = f"redis://127.0.0.1:{port}/0"

    def start():
        subprocess.run(
            [
                "redis-server",
                "--port",
                str(port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
            ],
            check=True,
        )
        import redis

        wait_for(lambda: _ping(redis, url), timeout=10, message="redis to start")

    def stop():
        subprocess.run(["redis-cli", "-p", str(port), "shutdown", "nosave"], check=False)

    start()
    yield url, start, stop
    stop()


def _ping(redis, url):
    try:
        return redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except Exception:
        return False


def test_redis_restarted(search_server, site_root, private_redis):
    from celery.contrib.testing.worker import start_worker

    from sandbox.celery_app import app

    from .outbox_support import celery_config

    url, start, stop = private_redis
    config = celery_config(url)
    saved = {key: app.conf.get(key) for key in config}
    app.conf.update(config)
    try:
        rebuild()
        stop()
        # Broker down: the commits succeed, the sends after commit fail (logged), the rows stay.
        page = add_page(site_root, "Written while Redis was down")
        assert _pending() > 0
        start()
        with start_worker(app, perform_ping_check=False, queues=[QUEUE], shutdown_timeout=30):
            from alma_cms.search.tasks import drain_outbox

            drain_outbox.apply_async()  # what the beat entry sends
            wait_for(outbox_empty, timeout=60, message="the drain after Redis came back")
        connection.close()
        assert str(page.pk) in index_ids(search_server.url)
        reconcile_check()
    finally:
        app.conf.update(saved)


def _worker_process(search_url, broker_url):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.search.worker_settings",
        "ALMA_TEST_SEARCH_URL": search_url,
        "ALMA_TEST_QUEUE": QUEUE,
        "CELERY_BROKER_URL": broker_url,
        "DATABASE_URL": "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(
            **{k: connection.settings_dict[k] or "" for k in ("USER", "HOST", "PORT", "NAME")}
        ),
        "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "sandbox.celery_app",
            "worker",
            "-Q",
            QUEUE,
            "-P",
            "solo",
            "-c",
            "1",
            "-l",
            "warning",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
    )


def _drain_lock_held():
    from alma_cms.search.drain import DRAIN_LOCK

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = %s "
            "AND objid = %s AND granted",
            [DRAIN_LOCK >> 32, DRAIN_LOCK & 0xFFFFFFFF],
        )
        return cursor.fetchone()[0] > 0


def test_worker_killed_mid_batch(search_server, site_root, celery_app):
    """SIGKILL while a drain batch holds its lock: its transaction rolls back, the rows stay,
    and a new worker (acks_late redelivery or the beat entry's drain) finishes the work."""
    from wagtail.models import Page

    from alma_cms.search.outbox import record

    rebuild()
    pages = [add_page(site_root, f"Killed {i}") for i in range(150)]
    with transaction.atomic():
        for _ in range(10):  # 10 batches' worth of rows, so a kill finds one in flight
            record(Page.objects.filter(pk__in=[p.pk for p in pages]))
    before = _pending()
    broker = celery_app.conf.broker_url
    worker = _worker_process(search_server.url, broker)
    try:
        wait_for(_drain_lock_held, timeout=60, interval=0.005, message="a batch in flight")
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    killed_with = _pending()
    assert 0 < killed_with <= before
    worker = _worker_process(search_server.url, broker)
    try:
        from alma_cms.search.tasks import drain_outbox

        drain_outbox.apply_async()  # the beat entry's send
        wait_for(outbox_empty, timeout=120, message="the new worker to drain")
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert set(index_ids(search_server.url)) >= {str(p.pk) for p in pages}
    reconcile_check()
