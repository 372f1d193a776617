"""Celery tasks of translation syncing, sent after commit (docs/translation.md, "Syncing on
Celery").

``send_sync`` sends ``alma_cms.translation.sync`` with ids only, on
``TRANSLATION_SYNC_QUEUE``, ``TRANSLATION_SYNC_DELAY`` seconds after the transaction commits.

Debounce: each send writes a fresh token to Django's cache under the key of its source and
locales (every locale, or the ones it names); the task runs only when the token it carries is
still the one stored, so of several sends for the same locales within the delay only the last
one syncs, whichever worker gets which message. This needs a cache shared
by the web processes and the workers (Redis, Memcached, database); with a per-process cache
the token is not found and every task runs (correct, only not folded).
"""

import logging
import uuid

from celery import shared_task
from django.core.cache import cache
from django.db import transaction

from ..commit import on_commit_once
from ..conf import alma_settings
from ..tasks.celery import retry_countdown

logger = logging.getLogger("alma_cms.translation")

SYNC_TASK_NAME = "alma_cms.translation.sync"
# Kept longer than any delay: a token that expired would let a superseded task run.
_TOKEN_TTL = 24 * 3600


def _locales_key(locales):
    """The set of locales a send covers, as a key part: "*" for every locale."""
    return "*" if locales is None else ",".join(sorted(map(str, locales)))


def _token_key(content_type_id, object_id, locales=None):
    # Keyed by the locales too (issue 9, found writing the translator's browser test): a send for
    # some locales (the report's "Sync selected") must not supersede one for every locale (a
    # publish) within the delay, or the other locales would never be synced.
    return f"alma_cms:translation:sync:{content_type_id}:{object_id}:{_locales_key(locales)}"


def _ids(source):
    # Function-level import: ContentType needs the app registry, this module is imported early.
    from django.contrib.contenttypes.models import ContentType

    model = type(source)
    if hasattr(source, "specific_class") and source.specific_class is not None:
        model = source.specific_class
    return ContentType.objects.get_for_model(model).pk, source.pk


def send_sync(source, *, locales=None, mode=None, from_draft=False, user=None, delay=None):
    """Send one Celery task that runs ``alma_cms.translation.sync.sync_translations`` for
    ``source`` after the current transaction commits (ids only; nothing when it rolls back).
    Sends for the same source within one transaction, or within ``delay`` seconds (None:
    ``TRANSLATION_SYNC_DELAY``), are folded into one sync. Only sends for the same locales are
    folded: a sync of some locales never replaces one of others (or of every locale).

    ``locales``: language codes or Locale ids (JSON).

    Returns whether the task was sent: True, False when the broker or the cache could not be
    reached (logged; the translations stay "out of date" in the report), None while it waits
    for the current transaction's commit (its outcome is then only logged)."""
    content_type_id, object_id = _ids(source)
    kwargs = {
        "locales": list(locales) if locales is not None else None,
        "mode": mode,
        "from_draft": bool(from_draft),
        "user_id": getattr(user, "pk", None),
    }
    countdown = alma_settings.TRANSLATION_SYNC_DELAY if delay is None else delay
    queue = alma_settings.TRANSLATION_SYNC_QUEUE
    key = _token_key(content_type_id, object_id, kwargs["locales"])
    label = type(source)._meta.label  # e.g. "alma_cms_pages.SpeakerPage", for the log

    outcome = {}

    def send():
        outcome["sent"] = False
        token = uuid.uuid4().hex
        try:
            cache.set(key, token, timeout=max(countdown, 0) + _TOKEN_TTL)
            sync_task.apply_async(
                args=[content_type_id, object_id],
                kwargs={**kwargs, "token": token},
                queue=queue,
                countdown=max(countdown, 0),
            )
            outcome["sent"] = True
        except Exception:  # a broker or cache that cannot be reached: kombu, redis-py, ...
            # After commit: the publish stands. The translation shows "out of date" in the
            # report, where "Sync selected" (or alma_sync_translations) redoes it.
            logger.error(
                "Could not send the translation sync of %s %s to Celery; its translations "
                "stay out of date until synced from the report or alma_sync_translations.",
                label,
                object_id,
                exc_info=True,
            )

    # Within one transaction the first send's callback stands for all (same source, locales).
    on_commit_once(
        ("alma_cms.translation.sync", content_type_id, object_id, _locales_key(locales)), send
    )
    return outcome.get("sent")


def retry_or_raise(task, exc, what):
    """Retry ``task`` (a bound Celery task) with ``retry_countdown`` backoff until
    ``TASKS_MAX_RETRIES`` retries failed, then re-raise ``exc``."""
    max_retries = alma_settings.TASKS_MAX_RETRIES
    if task.request.retries >= max_retries:
        logger.exception("%s failed after %d attempts", what, task.request.retries + 1)
        raise exc
    countdown = retry_countdown(task.request.retries)
    logger.warning("%s failed (%s: %s); retry in %ss", what, type(exc).__name__, exc, countdown)
    raise task.retry(exc=exc, countdown=countdown, max_retries=max_retries) from exc


def load_source(content_type_id, object_id):
    """The source object (specific page or snippet), or None when it was deleted."""
    # Function-level import: ContentType needs the app registry.
    from django.contrib.contenttypes.models import ContentType

    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:
        return None
    obj = model._default_manager.filter(pk=object_id).first()
    return obj.specific if obj is not None and hasattr(obj, "specific") else obj


def run_sync(
    content_type_id, object_id, *, locales=None, mode=None, from_draft=False, user_id=None
):
    """Run one sync in this process; returns ``[SyncOutcome]``. Raises ``SyncError`` when the
    source is gone (``sync_translations`` records the other errors)."""
    # Function-level imports: sync.py imports wagtail-localize models (app registry).
    from django.contrib.auth import get_user_model

    from .sync import SyncError, sync_translations

    source = load_source(content_type_id, object_id)
    if source is None:
        raise SyncError(f"The source {content_type_id}:{object_id} no longer exists.")
    user = None
    if user_id is not None:
        user = get_user_model().objects.filter(pk=user_id).first()
    with transaction.atomic():
        return sync_translations(
            source, locales=locales, mode=mode, from_draft=from_draft, user=user
        )


@shared_task(bind=True, name=SYNC_TASK_NAME, acks_late=True, reject_on_worker_lost=True)
def sync_task(
    self,
    content_type_id,
    object_id,
    *,
    locales=None,
    mode=None,
    from_draft=False,
    user_id=None,
    token=None,
):
    """Celery task ``alma_cms.translation.sync``: sync one source's translations by ids.

    Skipped (returns "superseded") when a later send for the same source replaced ``token``.
    ``SyncError`` is logged once and not retried (the engine recorded it on the status); other
    errors are retried with exponential backoff (``TASKS_MAX_RETRIES``, ``TASKS_RETRY_*``).
    Returns ``[[locale, action]]``."""
    from .sync import SyncError  # the engine's module imports wagtail-localize models

    if token is not None:
        current = cache.get(_token_key(content_type_id, object_id, locales))
        if current is not None and current != token:
            logger.info("Sync of %s:%s superseded by a later publish", content_type_id, object_id)
            return "superseded"
    try:
        outcomes = run_sync(
            content_type_id,
            object_id,
            locales=locales,
            mode=mode,
            from_draft=from_draft,
            user_id=user_id,
        )
    except SyncError as exc:
        logger.error("Sync of %s:%s failed: %s", content_type_id, object_id, exc)
        return [["", "error", str(exc)]]
    except Exception as exc:
        retry_or_raise(self, exc, f"Sync of {content_type_id}:{object_id}")
    return [[o.locale, o.action] for o in outcomes or []]
