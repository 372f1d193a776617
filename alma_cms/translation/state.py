"""The sync state of a translation: ``TranslationSyncState`` rows, one per translatable object
and target locale (``alma_cms.models.TranslationSyncState``)."""

from django.apps import apps
from django.utils import timezone


def _state_model():
    return apps.get_model("alma_cms", "TranslationSyncState")


def record_synced(translatable_object_id, locale_id, *, at=None):
    """Record a successful sync of object ``translatable_object_id`` (a
    ``TranslatableObject`` UUID) into locale ``locale_id``: ``synced_at`` = ``at`` (default
    now), the error cleared. Idempotent."""
    at = at or timezone.now()
    _state_model().objects.update_or_create(
        translatable_object_id=translatable_object_id,
        locale_id=locale_id,
        defaults={"synced_at": at, "error": "", "failed_at": None},
    )


def record_error(translatable_object_id, locale_id, message, *, at=None):
    """Record a failed sync: ``error`` = ``message`` (one readable line), ``failed_at`` = ``at``
    (default now); ``synced_at`` keeps the last successful sync. Idempotent."""
    at = at or timezone.now()
    _state_model().objects.update_or_create(
        translatable_object_id=translatable_object_id,
        locale_id=locale_id,
        defaults={"error": str(message)[:2000], "failed_at": at},
    )


def states_for(translatable_object_ids, locale_ids=None):
    """``{(translatable_object_id, locale_id): TranslationSyncState}`` in one query."""
    rows = _state_model().objects.filter(translatable_object_id__in=list(translatable_object_ids))
    if locale_ids is not None:
        rows = rows.filter(locale_id__in=list(locale_ids))
    return {(row.translatable_object_id, row.locale_id): row for row in rows}
