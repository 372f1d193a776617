"""Test support for the search outbox, drain, reconcile and rebuild tests.

Real parts: an osmem-server clone (``osmem_clone``) configured as alma's
``alma_cms.search.backends.opensearch3`` backend, a Celery worker on Redis (the sandbox Celery app
reconfigured to the ``redis_url`` broker, on a queue of its own per test process so xdist
workers and other test files never take each other's tasks), PostgreSQL in ``transaction=True``
tests (the worker's connection must see committed rows).
"""

import contextlib
import os
import time

import pytest
from django.core.management import call_command
from django.db import connections
from django.test import override_settings

INDEX_PREFIX = "alma_outbox_test_"
QUEUE = f"alma-outbox-test-{os.getpid()}"


def backend_settings(url, **extra):
    return {
        "default": {
            "BACKEND": "alma_cms.search.backends.opensearch3",
            "URLS": [url],
            "INDEX_PREFIX": INDEX_PREFIX,
            "TIMEOUT": 5,
            **extra,
        }
    }


@pytest.fixture
def search_server(osmem_clone):
    """The osmem clone configured as the only search backend (owned by the outbox)."""
    with override_settings(WAGTAILSEARCH_BACKENDS=backend_settings(osmem_clone.url)):
        yield osmem_clone


class RequestCounter:
    """Counts the HTTP requests opensearch-py's transport performs (every client, every
    thread); the requests still go to the server."""

    def __init__(self):
        self.calls = []

    def __len__(self):
        return len(self.calls)


@pytest.fixture
def search_requests(monkeypatch):
    from opensearchpy.transport import Transport

    counter = RequestCounter()
    original = Transport.perform_request

    def counting(self, method, url, *args, **kwargs):
        counter.calls.append((method, url))
        return original(self, method, url, *args, **kwargs)

    monkeypatch.setattr(Transport, "perform_request", counting)
    return counter


def celery_config(broker_url):
    return {
        "broker_url": broker_url,
        "result_backend": None,
        "task_always_eager": False,
        "task_default_queue": QUEUE,
        "task_ignore_result": True,
        "broker_connection_retry_on_startup": True,
        "worker_hijack_root_logger": False,
    }


@pytest.fixture
def celery_app(redis_url):
    """The sandbox Celery app on Redis, not eager, with its own queue."""
    from sandbox.celery_app import app

    config = celery_config(redis_url)
    saved = {key: app.conf.get(key) for key in config}
    app.conf.update(config)
    app.set_current()
    app.set_default()
    with app.connection_for_write() as conn:  # drop tasks an earlier test left behind
        with contextlib.suppress(Exception):
            conn.default_channel.queue_purge(QUEUE)
    yield app
    app.conf.update(saved)


@pytest.fixture
def celery_worker(celery_app):
    """A real Celery worker (thread, solo pool) consuming the test queue."""
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun

    def close_connections(**kwargs):
        # The worker thread's database connections, so the test database can be dropped.
        connections.close_all()

    task_postrun.connect(close_connections, weak=False)
    try:
        with start_worker(
            celery_app, perform_ping_check=False, queues=[QUEUE], shutdown_timeout=30
        ) as worker:
            yield worker
    finally:
        task_postrun.disconnect(close_connections)


@pytest.fixture
def site_root(transactional_db):
    """A root page and a live parent page under it, in a database that tests commit to."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Locale, Page

    ContentType.objects.clear_cache()  # ids change when a transactional test flushes
    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
    parent = root.add_child(instance=Page(title="Forum", slug="forum"))
    return parent


def add_page(parent, title, publish=True):
    from wagtail.models import Page

    page = parent.add_child(instance=Page(title=title, slug=title.lower().replace(" ", "-")))
    if publish:
        page.save_revision().publish()
    return page


def add_draft_pages(parent, titles):
    """Draft pages under ``parent``, inserted in one query (no signals: nothing to index until
    they are published). Creating 1,000 pages one ``add_child`` at a time costs about a quarter
    of the burst test's time; the publishes are what it measures."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import F
    from wagtail.models import Page

    parent.refresh_from_db()
    last = parent.get_last_child()
    first_step = Page._str2int(last.path[-Page.steplen :]) + 1 if last else 1
    content_type = ContentType.objects.get_for_model(Page)
    pages = []
    for step, title in enumerate(titles, start=first_step):
        slug = title.lower().replace(" ", "-")
        pages.append(
            Page(
                title=title,
                draft_title=title,
                slug=slug,
                live=False,
                has_unpublished_changes=True,
                depth=parent.depth + 1,
                path=Page._get_path(parent.path, parent.depth + 1, step),
                numchild=0,
                url_path=f"{parent.url_path}{slug}/",
                locale_id=parent.locale_id,
                content_type=content_type,
            )
        )
    pages = Page.objects.bulk_create(pages)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
    return pages


def wait_for(predicate, timeout=30.0, interval=0.1, message="condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}")
        time.sleep(interval)


def outbox_empty():
    from alma_cms.models import SearchIndexChange

    return not SearchIndexChange.objects.exists()


def index_ids(url, index="wagtailcore_page"):
    """{document id: _source} of an index, read straight from the server."""
    from opensearchpy import OpenSearch

    client = OpenSearch(hosts=[url])
    try:
        body = client.search(
            index=INDEX_PREFIX + index, body={"query": {"match_all": {}}, "size": 10000}
        )
    finally:
        client.close()
    return {hit["_id"]: hit["_source"] for hit in body["hits"]["hits"]}


def reconcile_check():
    """``alma_search_reconcile --check`` (raises CommandError on drift)."""
    call_command("alma_search_reconcile", "--check", verbosity=0)


def rebuild():
    call_command("alma_search_rebuild", verbosity=0)
