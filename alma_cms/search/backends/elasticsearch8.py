"""Elasticsearch 8 (elasticsearch-py 8): ``alma_cms.search.backends.elasticsearch8``.

Per-language analysis, explicit analyzers, ``_alma_language``/``_alma_fingerprint`` fields
and ``alma_search``: ``alma_cms.search.backends._external`` and docs/search.md.
"""

from modelsearch.backends.elasticsearch8 import (
    Elasticsearch8AutocompleteQueryCompiler,
    Elasticsearch8Index,
    Elasticsearch8Mapping,
    Elasticsearch8SearchBackend,
    Elasticsearch8SearchQueryCompiler,
    Elasticsearch8SearchResults,
)

from alma_cms.search.backends._external import (
    AlmaIndexMixin,
    AlmaMappingMixin,
    AlmaQueryCompilerMixin,
    AlmaSearchBackendMixin,
)


class Mapping(AlmaMappingMixin, Elasticsearch8Mapping):
    pass


class Index(AlmaIndexMixin, Elasticsearch8Index):
    pass


class SearchQueryCompiler(AlmaQueryCompilerMixin, Elasticsearch8SearchQueryCompiler):
    mapping_class = Mapping


class AutocompleteQueryCompiler(AlmaQueryCompilerMixin, Elasticsearch8AutocompleteQueryCompiler):
    mapping_class = Mapping


class SearchResults(Elasticsearch8SearchResults):
    pass


class SearchBackend(AlmaSearchBackendMixin, Elasticsearch8SearchBackend):
    """modelsearch's ``elasticsearch8`` backend with per-language analysis (see ``_external``)."""

    mapping_class = Mapping
    index_class = Index
    query_compiler_class = SearchQueryCompiler
    autocomplete_query_compiler_class = AutocompleteQueryCompiler
    results_class = SearchResults
