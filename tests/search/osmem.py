"""Test support for alma's OpenSearch/Elasticsearch backends: osmem-server, real clusters.

Fixtures (imported by tests/search/conftest.py):

- ``osmem_backend``: ``WAGTAILSEARCH_BACKENDS["default"]`` = alma's ``opensearch3`` backend on
  a fresh osmem-server clone (osmem's pytest plugin, ``osmem_clone``); returns the backend.
- ``external_backend_factory``: ``make(backend_path, url, **options)`` configures any backend
  (alma or stock) the same way, for the comparisons and the real-cluster tests.

osmem-server differs from a real cluster in ways worked around here only, never in the package
(docs/search.md, "OpenSearch and Elasticsearch"):

- It ignores an index-level default analyzer: alma's mapping sets an analyzer on every text
  field anyway, so nothing to do.
- Writes are searchable without a refresh: tests call ``index.refresh()`` regardless, as a
  real cluster needs it.
- It rejects the ``application/vnd.elasticsearch+json; compatible-with=9`` Content-Type that
  the ``elasticsearch`` 8/9 clients always send (HTTP 406). ``JsonContentTypeNode`` is a
  transport node that sends plain ``application/json`` (``application/x-ndjson`` for
  ``_bulk``) instead; pass it as the client's ``node_class``, which the backends take from
  ``OPTIONS``: ``{"OPTIONS": {"node_class": JsonContentTypeNode}}``. Real Elasticsearch needs
  no such node; it is test support only.
"""

import os
import re

import pytest

_COMPAT_MIMETYPE = re.compile(
    r"application/vnd\.elasticsearch\+([\w.-]+)\s*;\s*compatible-with=\d+"
)


def _plain(value):
    return _COMPAT_MIMETYPE.sub(r"application/\1", value) if value else value


try:
    from elastic_transport import Urllib3HttpNode
except ImportError:  # the elasticsearch client is not installed: no ES-through-osmem tests
    JsonContentTypeNode = None
else:

    class JsonContentTypeNode(Urllib3HttpNode):
        """An ``elastic_transport`` node sending plain JSON media types (osmem; tests only)."""

        def perform_request(self, method, target, body=None, headers=None, **kwargs):
            if headers:
                headers = headers.copy()
                for name in ("content-type", "accept"):
                    if name in headers:
                        headers[name] = _plain(headers[name])
            return super().perform_request(method, target, body=body, headers=headers, **kwargs)


def backend_settings(backend_path, url, **options):
    """A ``WAGTAILSEARCH_BACKENDS`` entry for ``backend_path`` at ``url``: one index prefix per
    process (pytest-xdist workers may share a real cluster), no atomic rebuild, no automatic
    indexing on save (the tests index explicitly)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    entry = {
        "BACKEND": backend_path,
        "URLS": [url],
        "INDEX_PREFIX": f"almatest_{worker}_{os.getpid()}_",
        "ATOMIC_REBUILD": False,
        "AUTO_UPDATE": False,
    }
    entry.update(options)
    return entry


def index_everything(backend):
    """(Re)build every index of ``backend`` from the database, as ``update_index`` does, then
    refresh. Returns the number of documents sent."""
    from modelsearch.index import get_indexed_models
    from modelsearch.management.commands.rebuild_modelsearch_index import group_models_by_index

    count = 0
    for index, models in group_models_by_index(backend, get_indexed_models()).items():
        index.reset()
        for model in models:
            index.add_model(model)
        for model in models:
            objects = list(model.get_indexed_objects().order_by("pk"))
            if objects:
                index.add_items(model, objects)
                count += len(objects)
        index.refresh()
    return count


def delete_indexes(backend):
    for index in backend.all_indexes():
        index.delete()


@pytest.fixture
def external_backend_factory(settings):
    """``make(backend_path, url, name="default", **options)`` -> the configured backend."""
    from modelsearch.backends import get_search_backend

    made = []

    def make(backend_path, url, name="default", **options):
        backends = dict(getattr(settings, "WAGTAILSEARCH_BACKENDS", {}))
        backends[name] = backend_settings(backend_path, url, **options)
        settings.WAGTAILSEARCH_BACKENDS = backends
        # modelsearch builds a backend per get_search_backend() call (no cache to reset).
        backend = get_search_backend(name)
        made.append(backend)
        return backend

    yield make
    for backend in made:
        try:
            delete_indexes(backend)
        except Exception:  # osmem clone already closed, cluster gone: nothing left to clean
            pass


@pytest.fixture
def osmem_backend(osmem_clone, external_backend_factory):
    """alma's ``opensearch3`` backend on a fresh osmem clone, as ``WAGTAILSEARCH_BACKENDS
    ["default"]``."""
    return external_backend_factory("alma_cms.search.backends.opensearch3", osmem_clone.url)


def real_cluster_url(variable):
    """The URL in ``variable`` (ALMA_OPENSEARCH_URL / ALMA_ELASTICSEARCH_URL), or skip."""
    url = os.environ.get(variable, "")
    if not url:
        pytest.skip(f"{variable} not set (real-cluster tests are opt-in)")
    return url
