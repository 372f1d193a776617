"""A broker that cannot be reached when a transaction commits: the change stands, nothing is
raised into the request (which would answer 500 for a committed change), and the lost send
is logged once, naming the task."""

import logging

import pytest
import wagtail
from django.db import transaction
from django.test import override_settings

from alma_cms.commit import on_commit_once
from tests.broker_down import broker_down  # noqa: F401 (fixture)


def _fails():
    raise RuntimeError("the callback failed")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failing_robust_callback_is_logged_by_django(caplog):
    """Django logs a robust on_commit callback that raised by its ``__qualname__``; the
    wrapper of on_commit_once must have one (it had none: the logging itself raised)."""
    with caplog.at_level(logging.ERROR, logger="django.db.backends.base"):
        with transaction.atomic():
            on_commit_once("a key", _fails, robust=True)
    [record] = [r for r in caplog.records if r.name == "django.db.backends.base"]
    assert "_fails" in record.getMessage()


@pytest.mark.skipif(wagtail.VERSION < (8,), reason="Wagtail 7.4 runs no django-tasks tasks")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_task_sent_at_commit_with_the_broker_down_is_logged(broker_down, caplog):  # noqa: F811
    from tests.tasks import support

    alma_tasks = {"default": {"BACKEND": "alma_cms.tasks.backends.CeleryBackend"}}
    with override_settings(TASKS=alma_tasks), caplog.at_level(logging.ERROR):
        with transaction.atomic():
            result = support.record.enqueue("broker-down")
        # Autocommit: sent at once, with the same outcome.
        support.record.enqueue("broker-down, autocommit")
    lost = [r.getMessage() for r in caplog.records if r.name == "alma_cms.tasks"]
    assert len(lost) == 2
    assert lost[0] == (
        f"Could not send task tests.tasks.support.record (id {result.id}) to Celery; it will "
        "not run."
    )
    assert lost[1].startswith("Could not send task tests.tasks.support.record (id ")
    assert support.calls("broker-down") == 0  # not run in-process either
