"""Wagtail's tasks (django-tasks) run on Celery, sent after commit (docs/search.md).

``backends.CeleryBackend`` is the django-tasks backend; ``celery.run_task`` the Celery task that
runs them. Celery's ``autodiscover_tasks()`` imports this package, so the Celery task is
registered here when Celery is installed.
"""

from importlib.util import find_spec

if find_spec("celery") is not None:
    from . import celery  # noqa: F401  (registers alma_cms.tasks.run_task)
