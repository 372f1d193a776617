"""django-tasks tasks for tests/tasks: module level, as django-tasks requires."""

import threading

from django_tasks import task

# key -> number of calls, across the threads of this process (the embedded Celery worker).
CALLS = {}
_lock = threading.Lock()


def calls(key):
    with _lock:
        return CALLS.get(key, 0)


@task()
def record(key):
    """Counts a call under ``key`` (a str, or the repr of another JSON value)."""
    key = key if isinstance(key, str) else repr(key)
    with _lock:
        CALLS[key] = CALLS.get(key, 0) + 1
    return key


@task()
def flaky(key, failures):
    """Fails (RuntimeError) on its first ``failures`` calls under ``key``, then returns."""
    with _lock:
        CALLS[key] = CALLS.get(key, 0) + 1
        count = CALLS[key]
    if count <= failures:
        raise RuntimeError(f"{key}: failure {count} of {failures}")
    return count
