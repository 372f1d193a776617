"""Fixtures of the search tests: external backends on osmem (tests/search/osmem.py) and the
outbox with a real Celery worker (tests/search/outbox_support.py)."""

from tests.search.osmem import external_backend_factory, osmem_backend  # noqa: F401
from tests.search.outbox_support import (  # noqa: F401  (fixtures)
    celery_app,
    celery_worker,
    search_requests,
    search_server,
    site_root,
)
