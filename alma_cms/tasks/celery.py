"""The Celery side of :class:`alma_cms.tasks.backends.CeleryBackend`: one Celery task,
``alma_cms.tasks.run_task``, that runs any django-tasks task by its module path.

A message carries ``(module_path, args, kwargs)``, all JSON (the backend checked them). The
worker imports the django-tasks ``Task`` object at ``module_path`` (e.g.
``"modelsearch.tasks.insert_or_update_object_task"``) and calls it. Failures are retried with
exponential backoff (:func:`retry_countdown`; ``ALMA_CMS["TASKS_MAX_RETRIES"]``,
``["TASKS_RETRY_BACKOFF"]``, ``["TASKS_RETRY_BACKOFF_MAX"]``, read when the task runs);
``acks_late`` so a message whose worker dies mid-task is delivered again.
"""

import logging
import random

from celery import shared_task
from django.utils.module_loading import import_string

from ..conf import alma_settings
from .compat import framework_of

logger = logging.getLogger("alma_cms.tasks")

RUN_TASK_NAME = "alma_cms.tasks.run_task"


class TaskNotFound(LookupError):
    """``module_path`` names no django-tasks task (deleted or renamed since it was sent)."""


def load_task(module_path):
    """The django-tasks (or ``django.tasks``) ``Task`` at ``module_path``.

    Raises :class:`TaskNotFound` when nothing importable is there or it is not a task."""
    try:
        task = import_string(module_path)
    except ImportError as exc:
        raise TaskNotFound(f"No task at {module_path!r}: {exc}") from exc
    if not (hasattr(task, "call") and hasattr(task, "func") and hasattr(task, "module_path")):
        raise TaskNotFound(f"{module_path!r} is a {type(task).__name__}, not a django-tasks Task.")
    return task


def retry_countdown(retries):
    """Seconds to wait before retry number ``retries + 1``.

    ``TASKS_RETRY_BACKOFF * 2**retries``, capped at ``TASKS_RETRY_BACKOFF_MAX``, less a random
    part of up to half of it ("equal jitter": retries of many failed tasks spread out, and each
    still waits at least half its step, so a server that is down is not hammered)."""
    step = min(
        alma_settings.TASKS_RETRY_BACKOFF * 2**retries, alma_settings.TASKS_RETRY_BACKOFF_MAX
    )
    return max(0, step - random.randint(0, step // 2))


@shared_task(bind=True, name=RUN_TASK_NAME, acks_late=True, reject_on_worker_lost=True)
def run_task(self, module_path, args, kwargs):
    """Run the django-tasks task at ``module_path`` with ``args`` (list) and ``kwargs`` (dict).

    Returns the task's return value (JSON, as django-tasks requires). A missing task is logged
    and not retried (retrying cannot bring it back); any other exception is retried until
    ``TASKS_MAX_RETRIES`` retries have failed, then raised (the message fails)."""
    try:
        task = load_task(module_path)
    except TaskNotFound:
        logger.exception("Task id=%s path=%s not found; dropped", self.request.id, module_path)
        raise
    attempt = self.request.retries + 1
    logger.info("Task id=%s path=%s attempt=%d started", self.request.id, module_path, attempt)
    try:
        if task.takes_context:
            context = _task_context(task, self.request, args, kwargs)
            value = task.call(context, *args, **kwargs)
        else:
            value = task.call(*args, **kwargs)
    except Exception as exc:
        max_retries = alma_settings.TASKS_MAX_RETRIES
        if self.request.retries >= max_retries:
            logger.exception(
                "Task id=%s path=%s failed after %d attempts",
                self.request.id,
                module_path,
                attempt,
            )
            raise
        countdown = retry_countdown(self.request.retries)
        logger.warning(
            "Task id=%s path=%s attempt=%d failed (%s: %s); retry in %ss",
            self.request.id,
            module_path,
            attempt,
            type(exc).__name__,
            exc,
            countdown,
        )
        raise self.retry(exc=exc, countdown=countdown, max_retries=max_retries) from exc
    logger.info("Task id=%s path=%s attempt=%d done", self.request.id, module_path, attempt)
    return value


def _task_context(task, request, args, kwargs):
    """A ``TaskContext`` for tasks declared with ``takes_context=True``, from the same framework
    (``django_tasks`` or ``django.tasks``) as ``task``; ``attempt`` counts Celery's retries."""
    framework = framework_of(task)
    result = framework.TaskResult(
        task=task,
        id=request.id,
        status=framework.TaskResultStatus.RUNNING,
        enqueued_at=None,
        started_at=None,
        finished_at=None,
        last_attempted_at=None,
        args=list(args),
        kwargs=dict(kwargs),
        backend=task.backend,
        errors=[],
        worker_ids=[request.hostname or "celery"] * (request.retries + 1),
    )
    return framework.TaskContext(task_result=result)
