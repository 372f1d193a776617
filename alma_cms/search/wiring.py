"""App start-up of the search outbox: ``install()``, called once by ``AlmaCmsConfig.ready``."""

from importlib.util import find_spec

from .outbox import connect


def install():
    """Register the Celery tasks (when Celery is installed: the ``celery`` extra) and connect
    the outbox's receivers (a no-op on Wagtail 7, which has no modelsearch)."""
    if find_spec("celery") is not None:
        from . import tasks  # noqa: F401  (here: importing it needs Celery; registers the tasks)
    connect()
