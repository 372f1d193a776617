"""alma_cms.tasks.backends.CeleryBackend in one process: what it sends, when, and how often.

Celery is eager here (the test settings): a sent task runs at once in this thread, and
``task_prerun`` tells which ones ran. Tests with a real worker on Redis: test_celery.py.
"""

import threading

import pytest
import wagtail

if wagtail.VERSION < (8,):
    pytest.skip("Wagtail 7.4 runs no django-tasks tasks", allow_module_level=True)

from celery.signals import task_prerun  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import override_settings  # noqa: E402

from alma_cms.tasks.backends import CeleryBackend, TaskArgumentsError  # noqa: E402
from alma_cms.tasks.celery import RUN_TASK_NAME  # noqa: E402
from tests.tasks import support  # noqa: E402

ALMA_TASKS = {"default": {"BACKEND": "alma_cms.tasks.backends.CeleryBackend"}}


@pytest.fixture
def alma_tasks():
    with override_settings(TASKS=ALMA_TASKS):
        yield


@pytest.fixture
def ran():
    """Calls of alma_cms.tasks.run_task in this thread: [(celery task id, module path, args)]."""
    calls = []
    thread = threading.get_ident()

    def receiver(sender=None, task_id=None, args=None, **kwargs):
        if sender.name == RUN_TASK_NAME and threading.get_ident() == thread:
            calls.append((task_id, args[0], args[1]))

    task_prerun.connect(receiver, weak=False)
    yield calls
    task_prerun.disconnect(receiver)


def pending_sends(callbacks):
    """Module paths of the tasks among captured on_commit callbacks (each registered through
    alma_cms.commit.on_commit_once, which wraps it: ``.func``)."""
    sends = [getattr(cb, "func", cb) for cb in callbacks]
    return [send.result.task.module_path for send in sends if hasattr(send, "result")]


def test_backend_is_the_default_task_backend(alma_tasks):
    from django_tasks import default_task_backend, task_backends

    assert isinstance(task_backends["default"], CeleryBackend)
    assert default_task_backend.supports_defer


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_autocommit_sends_at_once_with_the_result_id(alma_tasks, ran):
    result = support.record.enqueue("autocommit")

    assert ran == [(result.id, "tests.tasks.support.record", ["autocommit"])]
    assert support.calls("autocommit") == 1
    assert result.status == "READY" and result.enqueued_at is not None
    assert result.backend == "default" and len(result.id) == 32


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_in_a_transaction_sends_at_commit(alma_tasks, ran):
    with transaction.atomic():
        support.record.enqueue("at-commit")
        assert ran == []
    assert [path for _, path, _ in ran] == ["tests.tasks.support.record"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rollback_sends_nothing(alma_tasks, ran):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        support.record.enqueue("rolled-back")
        1 / 0  # noqa: B018
    assert ran == []
    assert support.calls("rolled-back") == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_duplicates_in_a_transaction_are_sent_once(alma_tasks, ran):
    with transaction.atomic():
        first = support.record.enqueue("dup")
        again = support.record.enqueue("dup")
        other = support.record.enqueue("dup-other")
        by_kwarg = support.record.enqueue(key="dup")
    assert again is first and other.id != first.id
    assert sorted(args for _, _, args in ran) == [[], ["dup"], ["dup-other"]]
    # A new transaction sends it again.
    with transaction.atomic():
        support.record.enqueue("dup")
    assert support.calls("dup") == 3  # args, kwargs, and the second transaction
    assert by_kwarg.kwargs == {"key": "dup"}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rolled_back_savepoint_then_again_sends_once(alma_tasks, ran):
    with transaction.atomic():
        with pytest.raises(ZeroDivisionError), transaction.atomic():
            support.record.enqueue("savepoint")
            1 / 0  # noqa: B018
        support.record.enqueue("savepoint")
        support.record.enqueue("savepoint")
    assert support.calls("savepoint") == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_only_enqueue_in_a_rolled_back_savepoint_is_not_sent(alma_tasks, ran):
    with transaction.atomic():
        support.record.enqueue("kept")
        with pytest.raises(ZeroDivisionError), transaction.atomic():
            support.record.enqueue("kept")  # a duplicate of an enqueue outside the savepoint
            support.record.enqueue("dropped")
            1 / 0  # noqa: B018
    assert support.calls("dropped") == 0
    assert support.calls("kept") == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_committed_savepoint_duplicates_are_sent_once(alma_tasks, ran):
    with transaction.atomic():
        with transaction.atomic():
            support.record.enqueue("inner")
        support.record.enqueue("inner")
    assert support.calls("inner") == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pending_tasks_do_not_leak_to_other_threads(alma_tasks, ran):
    seen = {}

    def other_thread():
        # Another thread has its own connection and transaction: its enqueue is its own.
        from django.db import connection

        with transaction.atomic():
            seen["result"] = support.record.enqueue("threads")
        connection.close()

    with transaction.atomic():
        mine = support.record.enqueue("threads")
        thread = threading.Thread(target=other_thread)
        thread.start()
        thread.join()
    assert seen["result"].id != mine.id
    assert support.calls("threads") == 2


@pytest.mark.parametrize(
    "args,kwargs,where",
    [
        ((object(),), {}, "args[0]"),
        (([1, {"a": {1, 2}}],), {}, "args[0][1]['a']"),
        ((), {"when": __import__("datetime").date(2026, 1, 1)}, "kwargs['when']"),
        ((float("nan"),), {}, "args[0]"),
        (({1: "int key"},), {}, "args[0]"),
    ],
)
def test_arguments_must_be_json(alma_tasks, args, kwargs, where):
    with pytest.raises(TaskArgumentsError) as caught:
        support.record.enqueue(*args, **kwargs)
    assert f"tests.tasks.support.record {where}" in str(caught.value)
    assert isinstance(caught.value, TypeError)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_json_arguments_reach_the_task(alma_tasks, ran):
    support.record.enqueue(key="json")
    assert support.calls("json") == 1
    with transaction.atomic():
        support.record.enqueue(("tuple", 1))  # a tuple arrives as a list
    assert ran[-1][2] == [["tuple", 1]]


def test_queue_from_setting_and_options(alma_tasks):
    from django_tasks import task_backends

    backend = task_backends["default"]
    assert backend.celery_queue(support.record) is None
    with override_settings(ALMA_CMS={"TASKS_QUEUE": "indexing"}, TASKS=ALMA_TASKS):
        assert task_backends["default"].celery_queue(support.record) == "indexing"
    options = {"default": {**ALMA_TASKS["default"], "OPTIONS": {"QUEUE": "q2"}}}
    with override_settings(ALMA_CMS={"TASKS_QUEUE": "indexing"}, TASKS=options):
        assert task_backends["default"].celery_queue(support.record) == "q2"
    queues = {"default": {**ALMA_TASKS["default"], "QUEUES": ["default", "slow"]}}
    with override_settings(TASKS=queues):
        slow = support.record.using(queue_name="slow")
        assert task_backends["default"].celery_queue(slow) == "slow"


@pytest.mark.django_db
def test_publish_sends_one_index_and_one_reference_index_task(django_capture_on_commit_callbacks):
    """Editing and publishing a page enqueues 2 search index and 2 reference index tasks, all
    for the same page (Wagtail 8.0.1, django-modelsearch 1.3.2, counted with django-tasks'
    DummyBackend: the page is saved by save_revision and again by publish); alma's backend
    sends one of each at commit. (A non-transactional test: pytest-django runs them first, so
    the site made by Wagtail's migrations is there.)"""
    from django_tasks import task_backends
    from wagtail.models import Page

    from tests.testapp.factories import home_page

    page = home_page().add_child(instance=Page(title="Tasks", slug="tasks-publish"))
    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    ):
        page.title = "Published once"
        page.save_revision().publish()
        enqueued = [r.task.module_path for r in task_backends["default"].results]
    assert sorted(enqueued) == sorted(
        ["modelsearch.tasks.insert_or_update_object_task"] * 2
        + ["wagtail.tasks.update_reference_index_task"] * 2
    )
    with (
        override_settings(TASKS=ALMA_TASKS),
        django_capture_on_commit_callbacks(execute=False) as callbacks,
    ):
        page.title = "Published twice"
        page.save_revision().publish()
    assert sorted(pending_sends(callbacks)) == [
        "modelsearch.tasks.insert_or_update_object_task",
        "wagtail.tasks.update_reference_index_task",
    ]


@pytest.mark.parametrize(
    "retries,low,high", [(0, 1, 2), (1, 2, 4), (2, 4, 8), (3, 8, 16), (4, 15, 30), (9, 15, 30)]
)
def test_retry_countdown_grows_exponentially_to_the_maximum(retries, low, high):
    from alma_cms.tasks.celery import retry_countdown

    settings = {"TASKS_RETRY_BACKOFF": 2, "TASKS_RETRY_BACKOFF_MAX": 30}
    with override_settings(ALMA_CMS=settings):
        waits = {retry_countdown(retries) for _ in range(200)}
    assert low <= min(waits) and max(waits) <= high
    assert len(waits) > 1  # jittered


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rolled_back_transaction_leaves_nothing_for_the_next(alma_tasks, ran):
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        support.record.enqueue("next")
        1 / 0  # noqa: B018
    with transaction.atomic():
        support.record.enqueue("next")
    assert support.calls("next") == 1
