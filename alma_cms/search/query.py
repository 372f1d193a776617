"""Searching a queryset in one language (docs/search.md).

# Placeholder until helper B's query.py merges: same signature and errors, no per-language
# analysis of its own (the configured backend analyses the query as it does every query).
"""

from wagtail.models import Locale, TranslatableMixin
from wagtail.search.backends import get_search_backend

NUL = "\x00"
# Longer queries are refused: no useful query is this long, and backends pay for every term.
MAX_QUERY_LENGTH = 1000
OPERATORS = ("and", "or")


class SearchError(ValueError):
    """Bad input :func:`search` can't handle; the message names the problem."""


def search(queryset, query, *, language, operator="and", partial=False, backend="default"):
    """``queryset`` searched for ``query`` (str), most relevant first.

    ``language``: a language code (``"ru"``, ``"en-gb"``) or None; when given and the model is
    translatable, only objects in that language's Locale are searched. ``operator``: ``"and"``
    (every term) or ``"or"`` (any term). ``partial``: match the last term as a prefix
    (autocomplete). ``backend``: a name in ``WAGTAILSEARCH_BACKENDS``.

    Returns the backend's search results (sliceable, with ``count()``). Raises
    :class:`SearchError` for a NUL character, a query longer than ``MAX_QUERY_LENGTH``, an
    unknown operator or a language with no Locale.
    """
    if not isinstance(query, str):
        raise SearchError("the query must be a string")
    if NUL in query:
        raise SearchError("null characters are not allowed")
    if len(query) > MAX_QUERY_LENGTH:
        raise SearchError(f"the query is longer than {MAX_QUERY_LENGTH} characters")
    if operator not in OPERATORS:
        raise SearchError("the operator must be one of: " + ", ".join(OPERATORS))
    if language is not None and issubclass(queryset.model, TranslatableMixin):
        locale = Locale.objects.filter(language_code__iexact=language).first()
        if locale is None:
            raise SearchError(f"no locale for the language '{language}'")
        queryset = queryset.filter(locale=locale)
    search_backend = get_search_backend(backend)
    if partial:
        return search_backend.autocomplete(query, queryset, operator=operator)
    return search_backend.search(query, queryset, operator=operator, order_by_relevance=True)
