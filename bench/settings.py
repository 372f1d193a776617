"""Django settings for the API benchmark (``python bench/api.py``).

The sandbox's settings (the configuration a real site uses: same apps, middleware, i18n) with:
the database from ``DATABASE_URL`` (default: the ``alma_bench`` PostgreSQL database, which
bench/api.py creates and drops), the bench-only ``bench.plainapp`` (a plain Wagtail page type
for the stock-API comparison; never part of the sandbox or the test suite), DEBUG off, media in
a throwaway directory, and search indexing off (the API endpoints measured don't search).
"""

import atexit
import os
import shutil
import tempfile

import dj_database_url

from sandbox.settings import *  # noqa: F403

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/alma_bench"

SECRET_KEY = "alma-cms-bench"
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
ROOT_URLCONF = "bench.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "bench.plainapp"]  # noqa: F405

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
        # One persistent connection, as a production worker would keep.
        conn_max_age=None,
    )
}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

MEDIA_ROOT = tempfile.mkdtemp(prefix="alma-bench-media-")
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)

# The endpoints measured don't search; indexing 1,000 pages would only slow the build down.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False}
}

# Process-local caches (Wagtail keeps site root paths and renditions there), like a single
# worker without a shared cache.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"null": {"class": "logging.NullHandler"}},
    "loggers": {"django.request": {"handlers": ["null"], "propagate": False}},
}

ALMA_CMS = {}
