"""OpenSearch 2 (opensearch-py 2): ``alma_cms.search.backends.opensearch2``.

Per-language analysis, explicit analyzers, ``_alma_language``/``_alma_fingerprint`` fields
and ``alma_search``: ``alma_cms.search.backends._external`` and docs/search.md.
"""

from modelsearch.backends.opensearch2 import (
    OpenSearch2AutocompleteQueryCompiler,
    OpenSearch2Mapping,
    OpenSearch2SearchBackend,
    OpenSearch2SearchQueryCompiler,
    OpenSearch2SearchResults,
)
from modelsearch.backends.opensearch3 import OpenSearch3Index

from alma_cms.search.backends._external import (
    AlmaIndexMixin,
    AlmaMappingMixin,
    AlmaQueryCompilerMixin,
    AlmaSearchBackendMixin,
)


class Mapping(AlmaMappingMixin, OpenSearch2Mapping):
    pass


class Index(AlmaIndexMixin, OpenSearch3Index):
    """modelsearch's OpenSearch 3 index calls (keyword arguments), which opensearch-py 2 takes
    too; modelsearch's OpenSearch 2 index passes the index name positionally, which
    opensearch-py 3 rejects."""


class SearchQueryCompiler(AlmaQueryCompilerMixin, OpenSearch2SearchQueryCompiler):
    mapping_class = Mapping


class AutocompleteQueryCompiler(AlmaQueryCompilerMixin, OpenSearch2AutocompleteQueryCompiler):
    mapping_class = Mapping


class SearchResults(OpenSearch2SearchResults):
    pass


class SearchBackend(AlmaSearchBackendMixin, OpenSearch2SearchBackend):
    """modelsearch's ``opensearch2`` backend with per-language analysis (see ``_external``)."""

    mapping_class = Mapping
    index_class = Index
    query_compiler_class = SearchQueryCompiler
    autocomplete_query_compiler_class = AutocompleteQueryCompiler
    results_class = SearchResults
