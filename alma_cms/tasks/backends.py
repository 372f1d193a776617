"""A django-tasks backend that sends tasks to Celery after the transaction commits.

Settings (docs/search.md, "Wagtail's tasks on Celery")::

    TASKS = {"default": {"BACKEND": "alma_cms.tasks.backends.CeleryBackend"}}

``OPTIONS`` (all optional): ``"DATABASE"``, the alias whose transaction a task waits for
(default ``"default"``); ``"QUEUE"``, the Celery queue (overrides ``ALMA_CMS["TASKS_QUEUE"]``).

Why not send at once: Wagtail 8 enqueues its tasks (search index, reference index, ...) from
``post_save`` handlers, inside the transaction. A worker picking the message up before the
commit reads the old row, or gets ``DoesNotExist`` for a new one; a rolled-back change would
still be indexed. So :meth:`CeleryBackend.enqueue` registers the send with
``transaction.on_commit`` and, within one transaction, sends the same task with the same
arguments once.
"""

import json
import logging
import math

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone
from django.utils.crypto import get_random_string

from ..commit import on_commit_once
from ..conf import alma_settings
from .compat import PRIMARY, framework_of

logger = logging.getLogger("alma_cms.tasks")

if PRIMARY is None:  # Wagtail 7.4 on Django 5.2 without django-tasks: nothing to subclass.
    raise ImportError(
        "alma_cms.tasks.backends needs the django-tasks package (Wagtail 8 installs it) or "
        "Django 6's django.tasks."
    )

# The django-tasks queue name that means "the configured Celery queue" (Wagtail's tasks all
# use it); any other queue name is sent to the Celery queue of the same name.
DEFAULT_QUEUE_NAME = "default"


class TaskArgumentsError(PRIMARY.InvalidTaskError, TypeError):
    """A task's arguments are not JSON: they could not reach a worker unchanged."""


def check_json_safe(value, path):
    """Raise :class:`TaskArgumentsError` naming the first non-JSON part of ``value``.

    JSON here: ``None``, ``bool``, ``int``, finite ``float``, ``str``, ``list``/``tuple`` of
    JSON, ``dict`` with ``str`` keys and JSON values (what survives ``json.dumps`` and
    ``json.loads`` unchanged, tuples becoming lists). ``path`` names ``value`` in the message,
    e.g. ``"args[2]"``."""
    if value is None or isinstance(value, bool | int | str):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise TaskArgumentsError(f"{path} is {value!r}, which JSON cannot represent.")
        return
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            check_json_safe(item, f"{path}[{index}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TaskArgumentsError(
                    f"{path} has a {type(key).__name__} key {key!r}; JSON keys are strings."
                )
            check_json_safe(item, f"{path}[{key!r}]")
        return
    raise TaskArgumentsError(
        f"{path} is a {type(value).__module__}.{type(value).__qualname__} ({value!r:.80}), not "
        "JSON: pass str, int, float, bool, None, lists and dicts with string keys (e.g. a "
        "primary key as str(pk))."
    )


class _PendingSend:
    """The on_commit callback of one task result; ``key`` identifies its duplicates."""

    __slots__ = ("backend", "key", "result", "queue")

    def __init__(self, backend, key, result, queue):
        self.backend = backend
        self.key = key
        self.result = result
        self.queue = queue

    def __call__(self):
        self.backend._send_or_log(self.result, self.queue)


class CeleryBackend(PRIMARY.BaseTaskBackend):
    """Sends each task to Celery (task ``alma_cms.tasks.run_task``) when the transaction of
    ``OPTIONS["DATABASE"]`` commits; at once in autocommit.

    - Arguments must be JSON (:class:`TaskArgumentsError`, raised by ``enqueue``, otherwise).
    - Within one transaction, the same task with the same arguments (and queue, ``run_after``)
      is sent once; ``enqueue`` then returns the first ``TaskResult``. A duplicate whose first
      enqueue was in a savepoint that was rolled back is sent (once); a task whose only enqueue
      was rolled back is not sent.
    - The Celery task id is the ``TaskResult.id``.
    - Errors of the broker at commit are logged (logger ``alma_cms.tasks``), not raised: the
      transaction has committed by then, and Django's other on_commit callbacks still run.
    """

    supports_defer = True
    supports_async_task = True
    supports_get_result = False
    supports_priority = False

    def __init__(self, alias, params):
        super().__init__(alias, params)
        self.database = self.options.get("DATABASE", DEFAULT_DB_ALIAS)

    def celery_queue(self, task):
        """The Celery queue for ``task``: None means Celery's default queue."""
        if task.queue_name != DEFAULT_QUEUE_NAME:
            return task.queue_name
        if "QUEUE" in self.options:
            return self.options["QUEUE"] or None
        return alma_settings.TASKS_QUEUE or None

    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        args, kwargs = list(args), dict(kwargs)
        check_json_safe(args, f"{task.module_path} args")
        check_json_safe(kwargs, f"{task.module_path} kwargs")
        queue = self.celery_queue(task)
        framework = framework_of(task)
        result = framework.TaskResult(
            task=task,
            id=get_random_string(32),
            status=framework.TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            finished_at=None,
            last_attempted_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        if not connections[self.database].in_atomic_block:
            self._send_or_log(result, queue)
            return result
        key = json.dumps(
            [task.module_path, queue, str(task.run_after), args, kwargs],
            sort_keys=True,
            separators=(",", ":"),
        )
        callback = on_commit_once(
            (_PendingSend, self.alias, key),
            _PendingSend(self, key, result, queue),
            using=self.database,
            robust=True,
        )
        return callback.result

    def _send_or_log(self, result, queue):
        """:meth:`_send`, logging (not raising) a broker that cannot be reached: the change
        that enqueued the task has committed, and a request must not answer 500 for it."""
        try:
            self._send(result, queue)
        except Exception:  # kombu's OperationalError, connection refused, ...
            logger.error(
                "Could not send task %s (id %s) to Celery; it will not run.",
                result.task.module_path,
                result.id,
                exc_info=True,
            )

    def _send(self, result, queue):
        """Publish ``result`` to Celery (or run it, with ``task_always_eager``)."""
        from .celery import run_task  # Celery is imported when a task is sent, not before.

        task = result.task
        object.__setattr__(result, "enqueued_at", timezone.now())
        options = {"task_id": result.id}
        if queue:
            options["queue"] = queue
        if task.run_after is not None:
            options["eta"] = task.run_after
        logger.debug("Task id=%s path=%s sent (queue %s)", result.id, task.module_path, queue)
        run_task.apply_async(args=(task.module_path, result.args, result.kwargs), **options)
        framework_of(task).signals.task_enqueued.send(type(self), task_result=result)
