"""Celery beat entries of the search outbox, importable before Django's apps are loaded.

``beat_schedule()`` reads only the ``ALMA_CMS`` settings, so a project's Celery app module can
call it right after ``config_from_object`` (Django's settings configured, apps not yet ready):

    app.conf.beat_schedule = {**app.conf.beat_schedule, **beat_schedule()}
"""

from ..conf import alma_settings

DRAIN_TASK = "alma_cms.search.drain_outbox"
RECONCILE_TASK = "alma_cms.search.reconcile"


def beat_schedule():
    """Entries for ``CELERY_BEAT_SCHEDULE`` (or ``app.conf.beat_schedule``): the drain every
    ``ALMA_CMS["SEARCH_OUTBOX_BEAT_INTERVAL"]`` seconds (a safety net for sends lost while
    the broker was down) and a reconcile every night at 03:30 (``crontab``). Returns a dict
    of beat entries; the queue is ``SEARCH_OUTBOX_QUEUE`` when set."""
    # Here: celery.schedules is only needed by beat's configuration.
    from celery.schedules import crontab

    options = (
        {"queue": alma_settings.SEARCH_OUTBOX_QUEUE} if alma_settings.SEARCH_OUTBOX_QUEUE else {}
    )
    return {
        "alma-search-drain-outbox": {
            "task": DRAIN_TASK,
            "schedule": float(alma_settings.SEARCH_OUTBOX_BEAT_INTERVAL),
            "options": options,
        },
        "alma-search-reconcile": {
            "task": RECONCILE_TASK,
            "schedule": crontab(hour=3, minute=30),
            "options": options,
        },
    }
