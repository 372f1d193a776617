"""App start-up of the search outbox: ``install()``, called once by ``AlmaCmsConfig.ready``."""

from . import tasks  # noqa: F401  (registers the Celery tasks with every Celery app)
from .outbox import connect


def install():
    """Connect the outbox's receivers (a no-op on Wagtail 7, which has no modelsearch)."""
    connect()
