"""Celery tasks of translation syncing, sent after commit (docs/translation.md).

INTERFACE (issue 9, being built). Owned by the "Celery plumbing" work.
"""


def send_sync(source, *, locales=None, mode=None, from_draft=False, user=None, delay=None):
    """Send one Celery task that runs ``alma_cms.translation.sync.sync_translations`` for
    ``source`` after the current transaction commits (ids only; nothing when it rolls back).
    Sends for the same source within one transaction, or within ``delay`` seconds (None:
    ``TRANSLATION_SYNC_DELAY``), are folded into one sync."""
    raise NotImplementedError("issue 9: the Celery plumbing is being built")
