"""Per-language analysis for django-modelsearch's OpenSearch and Elasticsearch backends.

The mixins here are combined with each modelsearch backend family in ``opensearch2``,
``opensearch3``, ``elasticsearch8`` and ``elasticsearch9``. Design (docs/search.md, "OpenSearch
and Elasticsearch"):

- One index per root model, named as modelsearch names it (``INDEX_PREFIX`` + app label +
  model), ``_id`` = primary key: the outbox, rebuild and reconcile treat stock and alma backends
  alike.
- Every ``text`` field -- search fields, nested ones, ``_all_text`` and its
  ``_all_text_boost_*`` copies -- gets an explicit ``analyzer`` (``standard``, or the
  edge-n-gram analyzer for autocomplete fields) and one sub-field per configured language
  (``title.ru`` analysed with ``russian``, ``title.en`` with ``english``). An index-level default
  analyzer is never relied on.
- Each document carries ``_alma_language`` (keyword: its locale's language code, lower case)
  and ``_alma_fingerprint`` (keyword: SHA-256 of the rest of the document) for reconcile.
- A query in a language searches that language's sub-fields and, for translatable models,
  keeps to documents in that language.
"""

import hashlib
import json

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import prefetch_related_objects

try:
    from modelsearch.backends.elasticsearchbase import Field
except ImportError as error:  # Wagtail 7.4: its search has no modelsearch (check alma_cms.E030)
    raise ImportError(
        "alma_cms.search.backends need Wagtail 8 (django-modelsearch); "
        "use wagtail.search.backends on Wagtail 7"
    ) from error

LANGUAGE_FIELD = "_alma_language"
FINGERPRINT_FIELD = "_alma_fingerprint"

#: Longest query accepted by ``alma_search``, in characters. Longer ones raise ``ValueError``
#: instead of a search server error (Lucene's 1,024-clause limit is reached well before this
#: with autocomplete's edge n-grams on real clusters).
MAX_QUERY_LENGTH = 500

# TODO(helper B): use only alma_cms.search.languages.analyzer_for / opensearch_analyzer /
# language_of once that module is merged; this private fallback keeps the backends working
# until then with the minimal mapping {"ru": "russian", "en": "english"}.
try:
    from alma_cms.search.languages import analyzer_for, language_of, opensearch_analyzer
except ImportError:  # pragma: no cover - only before alma_cms.search.languages exists
    _FALLBACK_ANALYZERS = {"ru": "russian", "en": "english"}

    def analyzer_for(language_code):
        base = (language_code or "").lower().split("-")[0]
        return _FALLBACK_ANALYZERS.get(base, "standard")

    def opensearch_analyzer(name):
        return name if name in {"russian", "english", "standard", "simple"} else "standard"

    def language_of(obj):
        locale = getattr(obj, "locale", None)
        return locale.language_code if locale is not None else settings.LANGUAGE_CODE


def base_language(code):
    """``"en-gb"`` -> ``"en"``: the part of a language code that names the sub-field."""
    return (code or "").lower().replace("_", "-").split("-")[0]


def configured_languages():
    """``{base language code: OpenSearch analyzer name}`` for every content language.

    Source: ``WAGTAIL_CONTENT_LANGUAGES``, else ``LANGUAGES``; region variants share their base
    language's sub-field. The analyzer comes from ``alma_cms.search.languages`` (``standard`` for
    a language OpenSearch/Elasticsearch ship no analyzer for).
    """
    languages = getattr(settings, "WAGTAIL_CONTENT_LANGUAGES", None) or settings.LANGUAGES
    result = {}
    for code, _name in languages:
        base = base_language(code)
        if base and base not in result:
            result[base] = opensearch_analyzer(analyzer_for(base))
    return result


def document_language(obj):
    """The language code stored in ``_alma_language`` for ``obj`` (lower case, with region):
    its locale's, else (``alma_cms.search.languages.language_of``) ``LANGUAGE_CODE``."""
    return (language_of(obj) or settings.LANGUAGE_CODE).lower()


def query_language(language):
    """The language code a query filters on: ``language`` lower-cased, as documents store it."""
    return language.lower()


def is_translatable(model):
    """Whether ``model`` has a ``locale`` (Wagtail's ``TranslatableMixin``)."""
    try:
        model._meta.get_field("locale")
    except FieldDoesNotExist:
        return False
    return True


def fingerprint(document):
    """SHA-256 (hex) of ``document`` as canonical JSON, the fingerprint key itself excluded."""
    data = {key: value for key, value in document.items() if key != FINGERPRINT_FIELD}
    text = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


class AlmaMappingMixin:
    """Explicit analyzers and per-language sub-fields on every text field; language and
    fingerprint keyword fields."""

    #: Analyzer of the plain (language-neutral) text fields.
    neutral_analyzer = "standard"

    def _language_subfields(self):
        return {
            code: {"type": "text", "analyzer": analyzer}
            for code, analyzer in configured_languages().items()
        }

    def _set_analyzers(self, properties):
        edgengram = self.edgengram_analyzer_config["analyzer"]
        for field_mapping in properties.values():
            if field_mapping.get("type") == "nested":
                self._set_analyzers(field_mapping.get("properties", {}))
                continue
            if field_mapping.get("type") != "text":
                continue
            field_mapping.setdefault("analyzer", self.neutral_analyzer)
            if field_mapping["analyzer"] != edgengram:
                field_mapping.setdefault("fields", {}).update(self._language_subfields())

    def get_mapping(self):
        mapping = super().get_mapping()
        properties = mapping["properties"]
        self._set_analyzers(properties)
        properties[LANGUAGE_FIELD] = {"type": "keyword"}
        properties[FINGERPRINT_FIELD] = {"type": "keyword"}
        return mapping

    def get_document(self, obj):
        document = super().get_document(obj)
        document[LANGUAGE_FIELD] = document_language(obj)
        document[FINGERPRINT_FIELD] = fingerprint(document)
        return document


class AlmaIndexMixin:
    def add_items(self, model, items):
        # One query for the locales of the batch, not one per document (_alma_language).
        items = list(items)
        if items and is_translatable(model):
            prefetch_related_objects(items, "locale")
        return super().add_items(model, items)

    def exists(self):
        # modelsearch passes the name positionally, which the elasticsearch 8/9 and
        # opensearch-py 3 clients reject (keyword-only arguments).
        return self.es.indices.exists(index=self.name)


class AlmaQueryCompilerMixin:
    """``language``: search that language's sub-fields (and, for translatable models, only its
    documents unless ``filter_language`` is false). ``language=None``: the neutral fields and
    every language's sub-fields, no language filter (what Wagtail's admin search gets)."""

    def __init__(self, *args, language=None, filter_language=True, **kwargs):
        self.language = language
        self.filter_language = filter_language
        super().__init__(*args, **kwargs)

    def _text_columns(self):
        properties = self.mapping.get_mapping()["properties"]
        return {name for name, value in properties.items() if value.get("type") == "text"}

    def _remap_fields(self, fields):
        remapped = super()._remap_fields(fields)
        languages = configured_languages()
        text_columns = self._text_columns()

        def is_text(name):
            return name.startswith("_all_text") or name in text_columns

        if self.language is None:
            result = []
            for field in remapped:
                result.append(field)
                if is_text(field.field_name):
                    result.extend(
                        Field(f"{field.field_name}.{code}", field.boost) for code in languages
                    )
            return result
        code = base_language(self.language)
        if code not in languages:
            # No sub-field for this language: the neutral (standard-analysed) fields.
            return remapped
        return [
            Field(f"{field.field_name}.{code}", field.boost) if is_text(field.field_name) else field
            for field in remapped
        ]

    def get_filters(self):
        filters = super().get_filters()
        if (
            self.language is not None
            and self.filter_language
            and is_translatable(self.queryset.model)
        ):
            filters.append({"term": {LANGUAGE_FIELD: query_language(self.language)}})
        return filters


class AlmaSearchBackendMixin:
    """Indexing errors propagate (the outbox retries them); ``alma_search`` searches in one
    language."""

    # modelsearch's Elasticsearch/OpenSearch backends log and drop indexing errors; alma's
    # outbox (alma_cms.search.outbox) must see them to retry.
    catch_indexing_errors = False

    def alma_search(
        self,
        queryset,
        query,
        *,
        language,
        operator="and",
        partial=False,
        filter_language=True,
    ):
        """Search ``queryset`` for ``query`` analysed as ``language``, by relevance.

        :param queryset: a queryset (or model) of an indexed model; its filters and ordering
            apply as in modelsearch (``order_by_relevance`` is on).
        :param query: free text; NUL and other control characters are dropped, quotes and
            operators are plain text. Empty (after cleaning) -> no results.
        :param language: a language code (``"ru"``, ``"en-gb"``): the sub-fields searched and,
            for translatable models, the ``_alma_language`` kept; ``None`` searches every
            language.
        :param operator: ``"and"`` (every word must match) or ``"or"``.
        :param partial: autocomplete (edge n-grams; matches word prefixes).
        :param filter_language: ``False`` searches ``language``'s sub-fields in every language.
        :returns: modelsearch ``SearchResults`` (lazy, sliceable, ``.count()``).
        :raises ValueError: an unknown ``operator``, or a query over ``MAX_QUERY_LENGTH``
            characters.
        """
        if operator not in ("and", "or"):
            raise ValueError(f'operator must be "and" or "or", not {operator!r}')
        query = clean_query(query)
        compiler = self.autocomplete_query_compiler_class if partial else self.query_compiler_class
        return self._search(
            compiler,
            query,
            queryset,
            fields=None,
            operator=operator,
            order_by_relevance=True,
            language=language,
            filter_language=filter_language,
        )


def clean_query(query):
    """``query`` without control characters, whitespace collapsed.

    :raises ValueError: longer than ``MAX_QUERY_LENGTH`` characters after cleaning.
    """
    text = "".join(" " if (ord(char) < 32 or ord(char) == 127) else char for char in str(query))
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_LENGTH:
        raise ValueError(
            f"the search query is {len(text)} characters long; at most {MAX_QUERY_LENGTH} allowed"
        )
    return text
