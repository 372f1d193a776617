"""The ``ALMA_CMS`` settings dict, read with defaults.

Usage: ``from alma_cms.conf import alma_settings; alma_settings.DISABLED_PAGE_TYPES``.
The cache is dropped on ``setting_changed`` so ``override_settings`` works in tests.
"""

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

SETTINGS_NAME = "ALMA_CMS"

DEFAULTS = {
    # Page type names (e.g. "AwardPage") that editors may not create on this site.
    "DISABLED_PAGE_TYPES": [],
    # Concrete models that the mixins point at. A site with its own base page model
    # (WAGTAIL_PAGE_MODEL) defines its own concrete pages and names them here.
    "SPEAKER_PAGE_MODEL": "alma_cms_pages.SpeakerPage",
    "QUOTATION_PAGE_MODEL": "alma_cms_pages.QuotationPage",
    "FORUM_EDITION_PAGE_MODEL": "alma_cms_pages.ForumEditionPage",
    # Rich-text features offered in the package's rich-text fields and blocks.
    "RICH_TEXT_FEATURES": [
        "bold",
        "italic",
        "h3",
        "h4",
        "ol",
        "ul",
        "link",
        "document-link",
        "superscript",
    ],
    # Cache-Control max-age (seconds) of public API, JSON-LD and iCal responses.
    "API_CACHE_MAX_AGE": 60,
    # The representation cache of anonymous API v2/v3 responses (docs/caching.md): ENABLED
    # (off by default), CACHE (an alias of Django's CACHES, shared by every process that
    # serves or edits: Redis in production) and TIMEOUT (seconds an entry is kept at most).
    "API_REPRESENTATION_CACHE": {"ENABLED": False, "CACHE": "default", "TIMEOUT": 3600},
    # Lifetime (seconds) of a signed headless-preview token.
    "PREVIEW_TOKEN_MAX_AGE": 3600,
    # External front-end preview URL; "{token}" is replaced by the signed token. Empty: no
    # headless preview mode is offered to editors.
    "PREVIEW_FRONTEND_URL": "",
    # Language code -> analyzer / text search configuration name, merged over
    # alma_cms.search.languages.DEFAULT_SEARCH_LANGUAGES (docs/search.md, per-language search).
    "SEARCH_LANGUAGES": {},
    # Outbox of external search index changes (docs/search.md): changes per drain batch (one
    # `_bulk` request per index per batch), the Celery queue of alma's search tasks (None:
    # Celery's default queue) and the seconds between beat_schedule()'s drain runs.
    "SEARCH_OUTBOX_BATCH_SIZE": 500,
    "SEARCH_OUTBOX_QUEUE": None,
    "SEARCH_OUTBOX_BEAT_INTERVAL": 60,
    # Celery queue that alma's django-tasks backend (alma_cms.tasks.backends.CeleryBackend) sends
    # Wagtail's tasks to. None: Celery's default queue, which a plain `celery worker` consumes.
    "TASKS_QUEUE": None,
    # Retries of a failed task on Celery, waiting TASKS_RETRY_BACKOFF * 2**n seconds (full
    # jitter), at most TASKS_RETRY_BACKOFF_MAX seconds, before retry n + 1.
    "TASKS_MAX_RETRIES": 5,
    "TASKS_RETRY_BACKOFF": 2,
    "TASKS_RETRY_BACKOFF_MAX": 600,
    # Translation syncing (docs/translation.md). What a publish in a source locale does to the
    # translations whose sync is on: "publish-complete" (a live translation with every string
    # translated stays live with the new content; any other result is saved as a draft revision
    # that leaves the live page alone), "draft" (always a draft revision) or "off" (nothing).
    "TRANSLATION_SYNC_ON_PUBLISH": "publish-complete",
    # Seconds a sync waits after a publish; further publishes of the same object meanwhile are
    # folded into that one sync.
    "TRANSLATION_SYNC_DELAY": 10,
    # Celery queue of alma's translation tasks (None: Celery's default queue).
    "TRANSLATION_SYNC_QUEUE": None,
    # When a source string changes: "keep" shows the previous translation, marked "needs
    # review" for translators, until a new one is saved; "fallback" shows the source text
    # (wagtail-localize's own behaviour).
    "TRANSLATION_CHANGED_STRINGS": "keep",
    # The largest file (bytes) that `alma_import` reads (docs/import.md); a larger one is
    # refused before it is read.
    "IMPORT_MAX_FILE_SIZE": 10 * 1024 * 1024,
}

# Expected type for each key; checked by alma_cms.checks.
TYPES = {
    "DISABLED_PAGE_TYPES": (list, tuple),
    "SPEAKER_PAGE_MODEL": str,
    "QUOTATION_PAGE_MODEL": str,
    "FORUM_EDITION_PAGE_MODEL": str,
    "RICH_TEXT_FEATURES": (list, tuple),
    "API_CACHE_MAX_AGE": int,
    "API_REPRESENTATION_CACHE": dict,
    "PREVIEW_TOKEN_MAX_AGE": int,
    "PREVIEW_FRONTEND_URL": str,
    "SEARCH_LANGUAGES": dict,
    "SEARCH_OUTBOX_BATCH_SIZE": int,
    "SEARCH_OUTBOX_QUEUE": (str, type(None)),
    "SEARCH_OUTBOX_BEAT_INTERVAL": (int, float),
    "TASKS_QUEUE": (str, type(None)),
    "TASKS_MAX_RETRIES": int,
    "TASKS_RETRY_BACKOFF": int,
    "TASKS_RETRY_BACKOFF_MAX": int,
    "TRANSLATION_SYNC_ON_PUBLISH": str,
    "TRANSLATION_SYNC_DELAY": (int, float),
    "TRANSLATION_SYNC_QUEUE": (str, type(None)),
    "TRANSLATION_CHANGED_STRINGS": str,
    "IMPORT_MAX_FILE_SIZE": int,
}

# Settings that existed and were removed: what to do instead (system check alma_cms.W003).
REMOVED = {
    "DEFAULT_SERIES_TITLE": (
        "An edition with no series title shows the title of its forum index page. Set the "
        "series title on the editions (it is translated with them), or give the forum index "
        "page the series' name."
    ),
}


class AlmaSettings:
    def __init__(self, defaults):
        self._defaults = defaults
        self._cache = {}

    @property
    def user_settings(self):
        value = getattr(settings, SETTINGS_NAME, {})
        return value if isinstance(value, dict) else {}

    def __getattr__(self, name):
        if name not in self._defaults:
            raise AttributeError(f"Unknown {SETTINGS_NAME} setting: {name!r}")
        if name not in self._cache:
            self._cache[name] = self.user_settings.get(name, self._defaults[name])
        return self._cache[name]

    def reload(self):
        self._cache.clear()


alma_settings = AlmaSettings(DEFAULTS)


@receiver(setting_changed)
def _reload_alma_settings(*, setting, **kwargs):
    if setting == SETTINGS_NAME:
        alma_settings.reload()
