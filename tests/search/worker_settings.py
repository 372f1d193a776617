"""Settings of the worker subprocess of tests/search/test_faults.py (the one SIGKILLed):
the test settings with the osmem clone as search backend, Celery on the test's broker and
queue, not eager. DATABASE_URL names the test database."""

import os

from tests.testapp.settings import *  # noqa: F403

from .outbox_support import backend_settings

WAGTAILSEARCH_BACKENDS = backend_settings(os.environ["ALMA_TEST_SEARCH_URL"])
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_DEFAULT_QUEUE = os.environ["ALMA_TEST_QUEUE"]
