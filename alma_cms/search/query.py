"""Search a queryset in one language: ``search(queryset, query, language=...)``.

The one entry point the API and the site's search page call (docs/search.md, "Per-language
search"). It

- restricts a translatable model's queryset (Wagtail's ``TranslatableMixin``: pages, snippets
  with a locale) to the locale of ``language``; ``language=None`` searches every locale;
- analyses the query with that language's analyzer (``alma_cms.search.languages``);
- orders by relevance;
- takes any user input: the query is plain text (quotes, ``&``, ``|``, ``!``, ``:``, ``*``,
  parentheses are not operators), NUL and other control characters are removed, and only the
  first ``MAX_QUERY_LENGTH`` (500) characters are used, cut at a space. A query of only stop
  words or punctuation finds nothing. Bad parameters raise ``SearchError``.

Backend contract (the hook for per-language backends). The backend named ``backend`` (a
``WAGTAILSEARCH_BACKENDS`` alias) is asked for a method::

    alma_search(queryset, query: str, *, language: str | None, operator: str,
                partial: bool) -> SearchResults

``queryset`` is already restricted to the locale; ``query`` already cleaned (not empty);
``language`` is the requested language code (analyse the query with ``analyzer_for(language)``;
None: every language); ``operator`` is ``"and"`` or ``"or"``; ``partial=True`` is an
autocomplete (the last word a prefix). Results are ordered by relevance and lazy (sliceable,
``count()``). Alma's backends (``alma_cms.search.backends.database``, and the OpenSearch /
Elasticsearch ones) implement it. A backend without it gets Wagtail's stock
``backend.search(query, queryset, operator=...)`` or ``backend.autocomplete(...)``: the
locale restriction still applies, the analysis is the backend's own.
"""

import re
import unicodedata

from django.db import models
from wagtail.models import Locale, TranslatableMixin
from wagtail.search.backends import get_search_backend

MAX_QUERY_LENGTH = 500
OPERATORS = ("and", "or")

# Characters removed from a query: NUL and the other control characters (category Cc), which
# PostgreSQL rejects in text ("invalid byte sequence" / "cannot contain NUL") and which no one
# means to search for. Tabs and newlines become spaces first.
_WHITESPACE = re.compile(r"[\t\n\r\f\v]+")


class SearchError(ValueError):
    """A search parameter that cannot be used; the message names it (``language``,
    ``operator``, ``query``)."""


def _is_word(text, index):
    return 0 <= index < len(text) and unicodedata.category(text[index])[0] in "LN"


def clean_query(query):
    """The text actually searched for: a str without control characters, whitespace collapsed,
    at most ``MAX_QUERY_LENGTH`` characters (cut at the last space before the limit when there
    is one). Raises SearchError when ``query`` is not a string."""
    if not isinstance(query, str):
        raise SearchError(f"query must be a string, not {type(query).__name__}.")
    # NFC: a letter typed as base + combining mark ("и" + U+0306) is one word character ("й").
    query = unicodedata.normalize("NFC", _WHITESPACE.sub(" ", query))
    query = "".join(ch for ch in query if unicodedata.category(ch) != "Cc")
    query = " ".join(query.split())
    if len(query) > MAX_QUERY_LENGTH:
        cut = query[: MAX_QUERY_LENGTH + 1]
        space = cut.rfind(" ")
        query = cut[:space] if space > 0 else cut[:MAX_QUERY_LENGTH]
    # Only words (letters, digits and their marks: Devanagari or Thai vowel signs are marks)
    # can match; a query of punctuation finds nothing, and backends that parse the text
    # (SQLite FTS5, PostgreSQL to_tsquery) never see their syntax. An apostrophe inside a
    # word stays ("O'Brien").
    kept = []
    for index, ch in enumerate(query):
        if unicodedata.category(ch)[0] in "LNM":
            kept.append(ch)
        elif ch in "'’" and _is_word(query, index - 1) and _is_word(query, index + 1):
            kept.append(ch)
        else:
            kept.append(" ")
    query = " ".join("".join(kept).split())
    return query


def _locale_for(language):
    try:
        return Locale.objects.get_for_language(language)
    except (Locale.DoesNotExist, LookupError):
        raise SearchError(f"language {language!r} is not a locale of this site.") from None


def _translatable(model):
    return issubclass(model, TranslatableMixin)


def search(queryset, query, *, language, operator="and", partial=False, backend="default"):
    """Search ``queryset`` for ``query`` in ``language``; results ordered by relevance.

    ``queryset``: a QuerySet (or model) of an indexed model. ``query``: user text, any length
    (see the module docstring). ``language``: a language code of a site locale (``"ru"``,
    ``"en-gb"`` finds ``"en"``) or None for every locale. ``operator``: ``"and"`` (every word)
    or ``"or"``. ``partial``: autocomplete, the last word matched as a prefix. ``backend``: a
    ``WAGTAILSEARCH_BACKENDS`` alias.

    Returns Wagtail's lazy SearchResults. Raises SearchError for a query that is not a string,
    an operator other than "and"/"or", or a language with no locale.
    """
    if isinstance(queryset, type) and issubclass(queryset, models.Model):
        queryset = queryset._default_manager.all()
    if operator not in OPERATORS:
        raise SearchError(f"operator must be 'and' or 'or', not {operator!r}.")
    text = clean_query(query)
    if language is not None:
        if not isinstance(language, str):
            raise SearchError(f"language must be a string or None, not {language!r}.")
        locale = _locale_for(language)
        if _translatable(queryset.model):
            queryset = queryset.filter(locale=locale)
        language = locale.language_code

    search_backend = get_search_backend(backend)
    # --- Hook: alma's per-language backends (database here; OpenSearch/Elasticsearch in
    # alma_cms.search.backends.opensearch*/elasticsearch*) implement ``alma_search``.
    alma_search = getattr(search_backend, "alma_search", None)
    if alma_search is not None and text:
        return alma_search(queryset, text, language=language, operator=operator, partial=partial)
    # --- Stock backends (and the empty query, which every backend answers with no results).
    method = search_backend.autocomplete if partial else search_backend.search
    return method(text, queryset, operator=operator, order_by_relevance=True)
