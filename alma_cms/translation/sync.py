"""Updating translations from their source (docs/translation.md).

INTERFACE (issue 9, being built): the signatures below are what the Celery tasks, the command,
the report's bulk actions and the tests call. Owned by the "sync engine" work.
"""

from dataclasses import dataclass


class SyncError(Exception):
    """A sync that cannot succeed by retrying: the source was deleted, the locale no longer
    exists, a segment is broken. The message is one readable line (recorded on the status)."""


@dataclass(frozen=True)
class SyncOutcome:
    """What one sync did to one translation.

    ``action``: "published" (the live page has the new content), "draft" (a draft revision was
    saved; the live page is unchanged), "skipped" (sync stopped for this translation), "error".
    """

    locale: str
    translation_id: int | None
    action: str
    error: str = ""


def sync_translations(source, *, locales=None, mode=None, from_draft=False, user=None):
    """Update the translations of ``source`` (a page or translatable snippet instance in its
    source locale) whose sync is on, and return ``[SyncOutcome]``, one per target locale.

    ``locales``: language codes or ``Locale`` ids to limit to (None: every translation).
    ``mode``: "publish-complete" | "draft" | "publish" (None: ``TRANSLATION_SYNC_ON_PUBLISH``).
    ``from_draft``: read the source's latest revision instead of its live content.
    ``user``: recorded on revisions and logs. Records each outcome with
    ``alma_cms.translation.state``. Raises ``SyncError`` when nothing can be synced.
    """
    # placeholder: replaced by tr-sync's module at merge (stock wagtail-localize update).
    from wagtail_localize.models import Translation, TranslationSource  # app registry

    from . import state

    source_row, _created = TranslationSource.update_or_create_from_instance(source)
    translations = Translation.objects.filter(source=source_row, enabled=True)
    if locales is not None:
        translations = translations.filter(target_locale__language_code__in=locales)
    outcomes = []
    for translation in translations.select_related("target_locale"):
        translation.save_target(user=user, publish=(mode or "publish-complete") != "draft")
        state.record_synced(source_row.object_id, translation.target_locale_id)
        outcomes.append(
            SyncOutcome(translation.target_locale.language_code, translation.pk, "published")
        )
    return outcomes
