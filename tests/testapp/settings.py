"""Test settings: the sandbox settings with test-friendly overrides.

Reusing the sandbox keeps one INSTALLED_APPS/MIDDLEWARE list, so tests run
against the same configuration the demo uses.
"""

import atexit
import os
import shutil
import tempfile

import dj_database_url

from sandbox.settings import *  # noqa: F403

SECRET_KEY = "alma-cms-tests"
DEBUG = False
ROOT_URLCONF = "tests.testapp.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]  # noqa: F405

# SQLite in memory unless DATABASE_URL is set (CI points it at PostgreSQL;
# pytest-django then creates and drops a test_<name> database).
DATABASES = {"default": dj_database_url.config(default="sqlite://:memory:")}

# Fast hashing; tests don't need real password security.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Uploaded files go to a throwaway directory.
MEDIA_ROOT = tempfile.mkdtemp(prefix="alma-cms-test-media-")
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)

# Always the database backend; tests marked `search_backend` override this.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "memory://")
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True

# Most tests run inside a transaction that is rolled back, never committed: with alma's backend
# (the sandbox's) Wagtail's tasks would never run there. Tests of the backend (tests/tasks) use
# it with transaction=True tests.
if "TASKS" in globals():
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Tests start from alma_cms defaults, whatever the sandbox sets.
ALMA_CMS = {}

# Absolute URLs as in a new project, whatever ALMA_BASE_URL the environment has: no
# WAGTAILAPI_BASE_URL, so media and API URLs follow the Site answering the request, like the
# pages (the test Site is Wagtail's default, http://localhost). tests/test_absolute_urls.py
# sets them as `make demo PORT=8001` does.
del WAGTAILAPI_BASE_URL  # noqa: F821 (from the sandbox's settings)
WAGTAILADMIN_BASE_URL = "http://localhost"
