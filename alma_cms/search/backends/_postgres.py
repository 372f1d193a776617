"""PostgreSQL part of ``alma_cms.search.backends.database``: a text search configuration per
row (the object's language) and per query (the requested language). Subclasses modelsearch
1.3's PostgreSQL backend; only the vector building and the query's configuration change."""

import operator
from copy import copy
from functools import reduce

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from modelsearch.backends.database.postgres.postgres import (
    PostgresAutocompleteQueryCompiler,
    PostgresIndex,
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
    PostgresSearchResults,
)
from modelsearch.query import Phrase, PlainText
from wagtail.coreutils import get_content_languages
from wagtail.models import TranslatableMixin

from ..languages import analyzer_for, languages_of, postgres_config


def config_for_language(language_code):
    """PostgreSQL configuration for a language code (``"ru"`` -> ``"russian"``)."""
    return postgres_config(analyzer_for(language_code))


def query_configs(language, model):
    """Configurations a query is analysed with, as a tuple (OR-ed together).

    A translatable model searched in one language: that language's configuration only (its
    rows in that locale were analysed with it). Otherwise (no language, or a model without a
    locale, analysed with LANGUAGE_CODE's configuration): the requested language's first, then
    those of every content language and of LANGUAGE_CODE.
    """
    configs = []
    if language:
        configs.append(config_for_language(language))
        if issubclass(model, TranslatableMixin):
            return tuple(configs)
    for code in [*get_content_languages(), settings.LANGUAGE_CODE]:
        config = config_for_language(code)
        if config not in configs:
            configs.append(config)
    return tuple(configs)


class AlmaPostgresIndex(PostgresIndex):
    def add_items(self, model, objs):
        if not model.get_search_fields():
            return
        objs = list(objs)
        groups = {}
        for obj, code in zip(objs, languages_of(objs), strict=True):
            groups.setdefault(config_for_language(code), []).append(obj)
        # modelsearch's add_items reads the configuration from the backend: one INSERT ... ON
        # CONFLICT per configuration, through a copy of the backend that names it.
        for config, group in groups.items():
            backend = copy(self.backend)
            backend.config = config
            index = copy(self)
            index.backend = backend
            PostgresIndex.add_items(index, model, group)


class _LanguageMixin:
    """Accepts ``language=`` (a language code or None for all) from ``alma_search``."""

    def __init__(self, *args, language=None, **kwargs):
        self.language = language
        super().__init__(*args, **kwargs)


class AlmaPostgresSearchQueryCompiler(_LanguageMixin, PostgresSearchQueryCompiler):
    def get_config(self, backend):
        return query_configs(self.language, self.queryset.model)

    def build_tsquery_content(self, query, config=None, invert=False):
        if isinstance(config, tuple) and isinstance(query, (PlainText, Phrase)):
            parts = [
                super(AlmaPostgresSearchQueryCompiler, self).build_tsquery_content(
                    query, config=one, invert=invert
                )
                for one in config
            ]
            parts = [part for part in parts if part is not None]
            if not parts:
                return None
            # A word matches in any configuration; an excluded word in none.
            return reduce(operator.and_ if invert else operator.or_, parts)
        return super().build_tsquery_content(query, config=config, invert=invert)

    def get_fields_vectors(self, search_query):
        # search(fields=[...]) analyses the model's fields at query time: the first
        # configuration (the requested language's) is the one that fits them best.
        config = self.get_config(None)[0]
        return [
            (SearchVector(field_lookup, config=config), search_field.boost)
            for field_lookup, search_field in self.search_fields.items()
        ]


class AlmaPostgresAutocompleteQueryCompiler(_LanguageMixin, PostgresAutocompleteQueryCompiler):
    """Autocomplete stays on ``simple`` (prefixes of unstemmed words) for every language."""


class AlmaPostgresSearchBackend(PostgresSearchBackend):
    query_compiler_class = AlmaPostgresSearchQueryCompiler
    autocomplete_query_compiler_class = AlmaPostgresAutocompleteQueryCompiler
    index_class = AlmaPostgresIndex
    results_class = PostgresSearchResults

    def __init__(self, params):
        super().__init__(params)
        # Per row and per query instead (module docstring of .database).
        self.config = None

    def alma_search(self, queryset, query, *, language, operator="and", partial=False):
        """``search()``/``autocomplete()`` with the query analysed in ``language`` (a code, or
        None for every content language). The contract is in alma_cms.search.query."""
        compiler = self.autocomplete_query_compiler_class if partial else self.query_compiler_class
        return self._search(
            compiler,
            query,
            queryset,
            fields=None,
            operator=operator,
            order_by_relevance=True,
            language=language,
        )
