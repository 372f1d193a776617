"""alma_cms.tasks.celery.run_task on a real Celery worker (Redis broker, embedded worker
thread), fed by alma's CeleryBackend: Wagtail's search index tasks run after the commit and see
the committed rows, nothing is sent for a rollback, duplicates are sent once, failures retry.

The worker consumes a queue of its own (per process, for pytest-xdist), set as the test Celery
app's default queue: alma's tasks go to Celery's default queue (``TASKS_QUEUE`` None).
Indexing uses the database search backend (the test settings).
"""

import os
import threading
import time

import pytest
import wagtail

if wagtail.VERSION < (8,):
    pytest.skip("Wagtail 7.4 runs no django-tasks tasks", allow_module_level=True)

from celery import Celery, _state  # noqa: E402
from celery.contrib.testing.worker import start_worker  # noqa: E402
from celery.signals import (  # noqa: E402
    before_task_publish,
    task_failure,
    task_postrun,
    task_prerun,
    task_retry,
)
from django.db import connections, transaction  # noqa: E402
from django.test import override_settings  # noqa: E402
from wagtail.images import get_image_model  # noqa: E402

from alma_cms.tasks.celery import RUN_TASK_NAME  # noqa: E402
from tests.tasks import support  # noqa: E402
from tests.testapp.factories import make_image  # noqa: E402

pytestmark = pytest.mark.celery

ALMA_TASKS = {"default": {"BACKEND": "alma_cms.tasks.backends.CeleryBackend"}}
INDEX_TASK = "modelsearch.tasks.insert_or_update_object_task"
REFERENCE_TASK = "wagtail.tasks.update_reference_index_task"


class Events:
    """What Celery reports, from any thread: messages published and task runs of run_task."""

    def __init__(self):
        self.lock = threading.Lock()
        self.published = []  # (module path, args, retries, eta)
        self.started = []  # (celery task id, module path, args, time.monotonic())
        self.retried = []  # celery task ids
        self.failed = []  # celery task ids

    def clear(self):
        with self.lock:
            for name in ("published", "started", "retried", "failed"):
                getattr(self, name).clear()

    def first_sends(self, path=None):
        """Published messages that are not retries, of ``path`` if given."""
        with self.lock:
            return [p for p in self.published if p[2] == 0 and (path is None or p[0] == path)]


def wait_for(predicate, timeout=30, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")


@pytest.fixture(scope="module")
def worker(redis_url):
    """An embedded worker on Redis consuming this process's own default queue; the test
    Celery app is current while the module runs, the sandbox's again afterwards."""
    events = Events()
    queue = f"alma-tests-tasks-{os.getpid()}"
    previous_current, previous_default = _state.get_current_app(), _state.default_app
    app = Celery("alma-tests", set_as_current=False)
    app.conf.update(
        broker_url=redis_url,
        task_default_queue=queue,
        task_always_eager=False,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
    )

    def published(sender=None, body=None, headers=None, **kwargs):
        if sender == RUN_TASK_NAME:
            args = body[0]
            with events.lock:
                events.published.append(
                    (args[0], args[1], headers.get("retries") or 0, headers.get("eta"))
                )

    def prerun(sender=None, task_id=None, args=None, **kwargs):
        if sender.name == RUN_TASK_NAME:
            with events.lock:
                events.started.append((task_id, args[0], args[1], time.monotonic()))

    def retried(request=None, **kwargs):
        with events.lock:
            events.retried.append(request.id)

    def failed(task_id=None, **kwargs):
        with events.lock:
            events.failed.append(task_id)

    def postrun(**kwargs):
        # The worker thread's database connections must not outlive the test database.
        if threading.current_thread() is not threading.main_thread():
            connections.close_all()

    receivers = [
        (before_task_publish, published),
        (task_prerun, prerun),
        (task_retry, retried),
        (task_failure, failed),
        (task_postrun, postrun),
    ]
    for signal, receiver in receivers:
        signal.connect(receiver, weak=False)
    try:
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge(queue)  # leftovers of an interrupted run
        with start_worker(
            app, perform_ping_check=False, queues=[queue], loglevel="WARNING", shutdown_timeout=30
        ):
            yield events
    finally:
        for signal, receiver in receivers:
            signal.disconnect(receiver)
        previous_current.set_current()
        _state.default_app = previous_default


@pytest.fixture
def events(worker):
    worker.clear()
    with override_settings(TASKS=ALMA_TASKS):
        yield worker
    # Nothing still running against the test database when it is flushed.
    wait_for(lambda: len(worker.started) >= len(worker.first_sends()), message="tasks to start")
    time.sleep(0.2)


@pytest.fixture
def media(transactional_db, media_root):
    """Images can be made: Wagtail's root collection, which a flush of an earlier transactional
    test removed."""
    from wagtail.models import Collection

    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    return media_root


def search(query):
    return list(get_image_model().objects.search(query))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_object_created_in_a_transaction_is_indexed_after_commit(events, media):
    with transaction.atomic():
        image = make_image("Zanzibar lighthouse")
        time.sleep(0.5)  # a message sent now would reach the worker before the commit
        assert events.first_sends() == []
    wait_for(lambda: search("Zanzibar") == [image], message="the new image in the index")
    assert [p[0] for p in events.first_sends(INDEX_TASK)] == [INDEX_TASK]
    assert events.retried == [] and events.failed == []  # no DoesNotExist, no retry


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_update_in_a_transaction_is_indexed_with_the_new_row(events, media):
    image = make_image("Harbour archive")  # autocommit: sent at once
    wait_for(lambda: search("Harbour") == [image], message="the image in the index")
    events.clear()
    with transaction.atomic():
        image.title = "Quayside reading room"
        image.save()
        time.sleep(0.5)
        assert events.started == []
    wait_for(lambda: search("Quayside") == [image], message="the new title in the index")
    assert search("Harbour") == []
    assert events.retried == [] and events.failed == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rollback_sends_nothing(events, media):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        make_image("Vanished atlas")
        1 / 0  # noqa: B018
    time.sleep(1)
    assert events.published == [] and events.started == []
    assert search("Vanished") == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_saves_in_one_transaction_send_each_task_once(events, media):
    """Three saves of an image enqueue 3 search index and 3 reference index tasks; one of
    each reaches the broker."""
    image = make_image("Lantern room")
    wait_for(lambda: search("Lantern") == [image], message="the image in the index")
    events.clear()
    with transaction.atomic():
        for title in ("Lantern room 1", "Lantern room 2", "Lantern gallery"):
            image.title = title
            image.save()
    sent = sorted(p[0] for p in events.first_sends())
    assert sent == [INDEX_TASK, REFERENCE_TASK]
    wait_for(lambda: search("gallery") == [image], message="the last title in the index")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_celery_task_id_is_the_task_result_id(events):
    result = support.record.enqueue("task-id")
    wait_for(lambda: support.calls("task-id") == 1, message="the task to run")
    assert [s[0] for s in events.started] == [result.id]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_failing_task_retries_with_backoff_then_succeeds(events):
    retry = {"TASKS_MAX_RETRIES": 3, "TASKS_RETRY_BACKOFF": 1, "TASKS_RETRY_BACKOFF_MAX": 2}
    with override_settings(ALMA_CMS=retry, TASKS=ALMA_TASKS):
        result = support.flaky.enqueue("flaky-ok", 2)
        wait_for(lambda: support.calls("flaky-ok") == 3, message="three attempts")
        wait_for(lambda: len(events.started) == 3 and events.retried, message="the last run")
    assert {s[0] for s in events.started} == {result.id}
    assert len(events.retried) == 2 and events.failed == []
    retries = [p for p in events.published if p[2] > 0]
    assert [p[2] for p in retries] == [1, 2]
    assert all(p[3] for p in retries)  # retried with a countdown (an eta), not at once
    # Waits: 1 s (step 1), then 1 to 2 s (step 2, less up to half of it).
    times = [s[3] for s in events.started]
    assert times[1] - times[0] >= 0.9 and times[2] - times[1] >= 0.9


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_failing_task_stops_after_max_retries(events):
    retry = {"TASKS_MAX_RETRIES": 2, "TASKS_RETRY_BACKOFF": 1, "TASKS_RETRY_BACKOFF_MAX": 1}
    with override_settings(ALMA_CMS=retry, TASKS=ALMA_TASKS):
        support.flaky.enqueue("flaky-never", 100)
        wait_for(lambda: events.failed, message="the task to fail")
        time.sleep(2.5)  # no retry after the last one
    assert support.calls("flaky-never") == 3  # 1 attempt + 2 retries
    assert len(events.retried) == 2 and len(events.failed) == 1
