"""Elasticsearch 9 (elasticsearch-py 9): ``alma_cms.search.backends.elasticsearch9``.

Per-language analysis, explicit analyzers, ``_alma_language``/``_alma_fingerprint`` fields
and ``alma_search``: ``alma_cms.search.backends._external`` and docs/search.md.
"""

from modelsearch.backends.elasticsearch9 import (
    Elasticsearch9AutocompleteQueryCompiler,
    Elasticsearch9Index,
    Elasticsearch9Mapping,
    Elasticsearch9SearchBackend,
    Elasticsearch9SearchQueryCompiler,
    Elasticsearch9SearchResults,
)

from alma_cms.search.backends._external import (
    AlmaIndexMixin,
    AlmaMappingMixin,
    AlmaQueryCompilerMixin,
    AlmaSearchBackendMixin,
)


class Mapping(AlmaMappingMixin, Elasticsearch9Mapping):
    pass


class Index(AlmaIndexMixin, Elasticsearch9Index):
    pass


class SearchQueryCompiler(AlmaQueryCompilerMixin, Elasticsearch9SearchQueryCompiler):
    mapping_class = Mapping


class AutocompleteQueryCompiler(AlmaQueryCompilerMixin, Elasticsearch9AutocompleteQueryCompiler):
    mapping_class = Mapping


class SearchResults(Elasticsearch9SearchResults):
    pass


class SearchBackend(AlmaSearchBackendMixin, Elasticsearch9SearchBackend):
    """modelsearch's ``elasticsearch9`` backend with per-language analysis (see ``_external``)."""

    mapping_class = Mapping
    index_class = Index
    query_compiler_class = SearchQueryCompiler
    autocomplete_query_compiler_class = AutocompleteQueryCompiler
    results_class = SearchResults
