"""Signals of the search index.

``index_written``: sent (by :func:`send_index_written`) after a search index was written outside
the transaction of the change, once the write succeeded: by alma's Celery task after a Wagtail
search task (``alma_cms.tasks.run_task``), by the outbox drain and by a rebuild, in the process
that wrote it. Keyword arguments: none besides ``sender``. The representation cache
(``alma_cms.api.representation_cache``) refreshes cached search responses on it.
"""

import logging

from django.dispatch import Signal

logger = logging.getLogger(__name__)

index_written = Signal()


def send_index_written(sender):
    """Send ``index_written``; a receiver's error is logged, not raised (the index is written:
    failing, or retrying, the writer would not help)."""
    for receiver, result in index_written.send_robust(sender=sender):
        if isinstance(result, Exception):
            logger.error("index_written receiver %r failed", receiver, exc_info=result)
