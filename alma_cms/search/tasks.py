"""Celery tasks of the search outbox: ``alma_cms.search.drain_outbox`` and
``alma_cms.search.reconcile`` (plain shared tasks; any Celery app of the project runs them).

``alma_cms.search.drain_outbox`` is sent after each commit that recorded changes and by the
beat entry of ``beat_schedule()``; it is ``acks_late`` (a worker killed mid-batch leaves the
message to be redelivered, and the batch's rows stay until the search server accepted them)
and retries with exponential backoff (1 s doubling up to 5 minutes, no limit) while the search
server is unreachable.
"""

import logging

from celery import shared_task

from .beat import DRAIN_TASK, RECONCILE_TASK, beat_schedule  # noqa: F401  (public here too)
from .drain import DrainBusy, IndexingError, SearchServerUnavailable, drain
from .outbox import send_drain  # noqa: F401  (send_drain: public here too)

logger = logging.getLogger(__name__)

# A drain that finds the lock taken tries again after this many seconds (the holder may
# finish before rows recorded after its last batch are seen).
BUSY_COUNTDOWN = 5


@shared_task(
    name=DRAIN_TASK,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(SearchServerUnavailable, IndexingError),
    retry_backoff=1,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=None,
    ignore_result=True,
)
def drain_outbox(self):
    """Drain the outbox; returns the counts of ``alma_cms.search.drain.drain``."""
    try:
        return drain()
    except DrainBusy:
        raise self.retry(countdown=BUSY_COUNTDOWN, max_retries=None) from None


@shared_task(name=RECONCILE_TASK, acks_late=True, ignore_result=True)
def reconcile_indexes():
    """Compare every owned index with the database and repair drift (``alma_search_reconcile``
    without ``--check``); returns ``{index name: {"missing", "stale", "extra"}}``."""
    # Here: reconcile imports the drain, which this module also loads at app start.
    from .reconcile import reconcile

    reports = reconcile(repair=True)
    return {report.index: report.counts() for report in reports}
