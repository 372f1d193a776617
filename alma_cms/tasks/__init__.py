"""Wagtail's tasks (django-tasks) run on Celery, sent after commit (docs/search.md).

``backends.CeleryBackend`` is the django-tasks backend; ``celery.run_task`` the Celery task that
runs them. Celery's ``autodiscover_tasks()`` imports this package, so the Celery task is
registered here when Celery is installed.
"""

try:
    from . import celery  # noqa: F401  (registers alma_cms.tasks.run_task)
except ImportError as exc:  # Celery is optional (alma-cms[celery]); check alma_cms.E010
    if exc.name != "celery":
        raise
