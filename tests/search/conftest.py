"""Fixtures of the search tests (defined in the test support modules)."""

from tests.search.outbox_support import (  # noqa: F401  (fixtures)
    celery_app,
    celery_worker,
    search_requests,
    search_server,
    site_root,
)
