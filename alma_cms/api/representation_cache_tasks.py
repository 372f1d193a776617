"""The Celery task that retries a representation cache bump which failed after its commit:
``alma_cms.api.bump_generations`` (registered by ``AlmaCmsConfig.ready`` when Celery is
installed; any Celery app of the project runs it).

Sent by ``representation_cache.bump_or_retry`` with the dependency names as a sorted list of
strings (JSON). Retried while the cache server cannot be reached: backoff doubling from 2 s up
to 10 minutes with jitter, ``MAX_RETRIES`` retries (about an hour), then the message fails and
an error is logged. A late bump is harmless: generations only grow, so at worst entries stored
after the commit are computed once more.
"""

import logging

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval

from .representation_cache import BUMP_TASK, bump

logger = logging.getLogger("alma_cms.api.representation_cache")

MAX_RETRIES = 12
BACKOFF = 2  # seconds before the first retry, doubling
BACKOFF_MAX = 600


@shared_task(
    name=BUMP_TASK,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
    ignore_result=True,
)
def bump_generations(self, names):
    """Bump ``names`` (a list of dependency names); raises the cache's error after the last
    retry (logged as lost)."""
    try:
        bump(names)
    except Exception as exc:  # any backend's error: retry while retries are left
        if self.request.retries >= MAX_RETRIES:
            logger.error(
                "Lost representation cache bump of %s after %d attempts: entries stored "
                "before the cache failed may be served stale; run "
                "representation_cache.bump({'all', 'tree'}).",
                names,
                self.request.retries + 1,
            )
            raise
        countdown = get_exponential_backoff_interval(
            BACKOFF, self.request.retries, BACKOFF_MAX, full_jitter=True
        )
        raise self.retry(exc=exc, countdown=countdown) from exc
