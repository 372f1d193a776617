"""Fixtures for tests/search; the external backends' support is in tests/search/osmem.py."""

from tests.search.osmem import external_backend_factory, osmem_backend  # noqa: F401
