"""OpenSearch 3 (opensearch-py 3): ``alma_cms.search.backends.opensearch3``.

Per-language analysis, explicit analyzers, ``_alma_language``/``_alma_fingerprint`` fields
and ``alma_search``: ``alma_cms.search.backends._external`` and docs/search.md.
"""

from modelsearch.backends.opensearch3 import (
    OpenSearch3AutocompleteQueryCompiler,
    OpenSearch3Index,
    OpenSearch3Mapping,
    OpenSearch3SearchBackend,
    OpenSearch3SearchQueryCompiler,
    OpenSearch3SearchResults,
)

from alma_cms.search.backends._external import (
    AlmaIndexMixin,
    AlmaMappingMixin,
    AlmaQueryCompilerMixin,
    AlmaSearchBackendMixin,
)


class Mapping(AlmaMappingMixin, OpenSearch3Mapping):
    pass


class Index(AlmaIndexMixin, OpenSearch3Index):
    pass


class SearchQueryCompiler(AlmaQueryCompilerMixin, OpenSearch3SearchQueryCompiler):
    mapping_class = Mapping


class AutocompleteQueryCompiler(AlmaQueryCompilerMixin, OpenSearch3AutocompleteQueryCompiler):
    mapping_class = Mapping


class SearchResults(OpenSearch3SearchResults):
    pass


class SearchBackend(AlmaSearchBackendMixin, OpenSearch3SearchBackend):
    """modelsearch's ``opensearch3`` backend with per-language analysis (see ``_external``)."""

    mapping_class = Mapping
    index_class = Index
    query_compiler_class = SearchQueryCompiler
    autocomplete_query_compiler_class = AutocompleteQueryCompiler
    results_class = SearchResults
