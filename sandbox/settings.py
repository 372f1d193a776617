"""Settings for the alma-cms sandbox (demo site).

Everything deployment-specific comes from environment variables; the defaults
give a self-contained dev site: SQLite, eager Celery, database search.
"""

import os
from importlib.util import find_spec
from pathlib import Path

import dj_database_url
import wagtail
from django.utils.translation import gettext_lazy as _

REPO_ROOT = Path(__file__).resolve().parent.parent
SANDBOX_DIR = REPO_ROOT / "sandbox"


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- Core ---------------------------------------------------------------------
# DEBUG defaults to on only while the dev key is in use: setting a real key is
# the signal that this is a deployment.
SECRET_KEY = os.environ.get("SECRET_KEY", "django-insecure-alma-sandbox-dev-key-do-not-deploy")
DEBUG = env_bool("DEBUG", "SECRET_KEY" not in os.environ)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    # Ours first so their templates/static override wagtail's.
    "alma_cms",
    "alma_cms.pages",
    "sandbox.demo",
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces "wagtail.locales"
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtail.api.v2",
    "rest_framework",
    # Its catalogues translate the country names of organizations (admin and API).
    "django_countries",
    "modelcluster",
    "taggit",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

# django-ninja (Wagtail 8's API v3) serves Swagger UI at /api/v3/docs/ from its own static files
# when it is an installed app, and from a CDN otherwise (blank without internet; alma_cms.W003).
# Wagtail 7.4 has no API v3 and may not have django-ninja installed.
if find_spec("ninja") is not None:
    INSTALLED_APPS.append("ninja")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's LocaleMiddleware, minus its redirect of JSON 404s (see alma_cms.middleware).
    "alma_cms.middleware.LocaleMiddleware",  # after sessions, before common
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "sandbox.urls"
WSGI_APPLICATION = "sandbox.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SANDBOX_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
# Absolute path, so the default works whatever the current directory is.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{SANDBOX_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}

# Wagtail's database search backend stores SearchVectorFields on PostgreSQL, which Django 6
# only accepts with django.contrib.postgres installed (check postgres.E005).
if "postgresql" in DATABASES["default"]["ENGINE"]:
    INSTALLED_APPS.append("django.contrib.postgres")

# --- i18n ---------------------------------------------------------------------
LANGUAGE_CODE = "en"
# Lazy names, so the admin shows them in the editor's language (Django's catalogues have them).
LANGUAGES = WAGTAIL_CONTENT_LANGUAGES = [("en", _("English")), ("ru", _("Russian"))]
WAGTAIL_I18N_ENABLED = True
USE_I18N = True
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_TZ = True

# --- Static and media ---------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = os.environ.get("STATIC_ROOT", str(SANDBOX_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = os.environ.get("MEDIA_ROOT", str(SANDBOX_DIR / "media"))

# --- Wagtail ------------------------------------------------------------------
WAGTAIL_SITE_NAME = "ALMA"
# API page size: up to 100 items per request (Wagtail's default is 20).
WAGTAILAPI_LIMIT_MAX = 100
# The address the demo is served at (`make demo PORT=8001` sets ALMA_BASE_URL to
# http://127.0.0.1:8001): the origin of media and API URLs, and of the admin's links. Page URLs
# come from the default Site, which `alma_setup --base-url` sets to the same address
# (docs/absolute-urls.md).
ALMA_BASE_URL = os.environ.get("ALMA_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILAPI_BASE_URL = ALMA_BASE_URL
WAGTAILADMIN_BASE_URL = ALMA_BASE_URL
# The admin works offline: avatars without Gravatar (Wagtail's default image instead), and no
# call to releases.wagtail.org from the dashboard (the demo is not updated in place).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False

# Search: alma's per-language backends (docs/search.md): the database backend (each page analysed
# in its own language on PostgreSQL) unless ALMA_SEARCH_URL points at Elasticsearch/OpenSearch.
# Wagtail 7.4 has no modelsearch: Wagtail's own backends there. ALMA_SEARCH_BACKEND takes a
# short name ("opensearch3", "elasticsearch9", ...: alma's on Wagtail 8, Wagtail's on 7.4;
# "database": Wagtail's) or a full dotted path. docs/sandbox.md, docs/search.md.
_search_url = os.environ.get("ALMA_SEARCH_URL", "")
_database_backend = "alma_cms.search.backends.database" if find_spec("modelsearch") else "database"
_search_backend = os.environ.get(
    "ALMA_SEARCH_BACKEND", "opensearch3" if _search_url else _database_backend
)
if "." not in _search_backend:
    _alma_backends = {"opensearch2", "opensearch3", "elasticsearch8", "elasticsearch9"}
    if _search_backend in _alma_backends and find_spec("modelsearch") is not None:
        _search_backend = f"alma_cms.search.backends.{_search_backend}"
    else:
        _search_backend = f"wagtail.search.backends.{_search_backend}"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": _search_backend}}
if _search_url:
    # Index names are INDEX_PREFIX + "<app>_<root model>" (e.g. alma_wagtailcore_page).
    # ALMA_SEARCH_INDEX, deprecated, was meant as this prefix (it set INDEX, which the backends
    # ignore); its value gets a "_" separator.
    _legacy_index = os.environ.get("ALMA_SEARCH_INDEX", "").rstrip("_")
    WAGTAILSEARCH_BACKENDS["default"].update(
        URLS=[_search_url],
        INDEX_PREFIX=os.environ.get(
            "ALMA_SEARCH_INDEX_PREFIX", f"{_legacy_index}_" if _legacy_index else "alma_"
        ),
    )

# --- Celery -------------------------------------------------------------------
# In-memory broker + eager tasks by default: no Redis or worker needed for the demo.
# A worker: CELERY_BROKER_URL=redis://127.0.0.1:6379/0 CELERY_TASK_ALWAYS_EAGER=0, then
# `celery -A sandbox worker -l info` (docs/sandbox.md).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "memory://")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", True)
CELERY_TASK_EAGER_PROPAGATES = True
# With a worker, web processes and workers share one cache (translation sync tokens, search
# locks off PostgreSQL: alma_cms.W055/W041): Redis, ALMA_CACHE_URL or the broker's.
if not CELERY_TASK_ALWAYS_EAGER and CELERY_BROKER_URL.startswith("redis://"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ.get("ALMA_CACHE_URL", CELERY_BROKER_URL),
        }
    }
# `celery -A sandbox beat`: drain the search outbox every minute (what was recorded while the
# broker was down) and reconcile the indexes daily (docs/search.md; a site would use
# celery.schedules.crontab for a night hour; seconds keep these settings importable without
# Celery).
CELERY_BEAT_SCHEDULE = {
    "alma-search-drain-outbox": {"task": "alma_cms.search.drain_outbox", "schedule": 60.0},
    "alma-search-reconcile": {"task": "alma_cms.search.reconcile", "schedule": 24 * 3600.0},
}

# Wagtail 8's tasks (search index, reference index, ...) go to Celery when the transaction
# commits (docs/search.md). With eager Celery they run in-process at the commit. Wagtail 7.4
# does its indexing inline and has no tasks to send.
if wagtail.VERSION >= (8,):
    TASKS = {"default": {"BACKEND": "alma_cms.tasks.backends.CeleryBackend"}}

# wagtail-localize's background jobs ("Translate this page" with subtree, locale
# synchronisation) on Celery after commit, ids only (docs/translation.md, "Syncing on Celery").
# No QUEUE: Celery's default queue, which `celery -A sandbox worker` consumes, as it does the
# translation sync task (TRANSLATION_SYNC_QUEUE None). Eager in `make demo`.
WAGTAILLOCALIZE_JOBS = {"BACKEND": "alma_cms.translation.jobs.CeleryJobBackend"}

# --- alma-cms -----------------------------------------------------------------
# Namespaced settings for alma_cms; keys are documented with the app (alma_cms.conf).
ALMA_CMS = {
    # Anonymous API bodies kept in the default cache (docs/caching.md): Redis when a worker
    # runs (above), else local memory, right for the demo's single process.
    "API_REPRESENTATION_CACHE": {"ENABLED": True},
}
if "CACHES" not in globals():
    # The one-process demo: local memory, with room for the representation cache's generation
    # counters (one per page an entry shows; Django's default of 300 keys is one listing's).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }
    SILENCED_SYSTEM_CHECKS = [*globals().get("SILENCED_SYSTEM_CHECKS", []), "alma_cms.W070"]
