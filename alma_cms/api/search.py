"""Full-text search in the listings of API v2 and v3 (docs/api.md, docs/api-v3.md).

Both versions take the same parameters on their listings:

- ``search``: the query, any text (Wagtail's parameter);
- ``search_operator``: ``and`` (every term, the default) or ``or`` (any term) (Wagtail's);
- ``search_type``: ``full_text`` (the default) or ``autocomplete`` (the last word is matched as
  a prefix: for a search box that suggests as the user types). Named after Wagtail's parameters;
  Wagtail's API has no autocomplete of its own.

**Language.** The query is analysed in, and the results restricted to, one language: the
``locale`` parameter when given, else the request's active language (Django's
``LocaleMiddleware``: the language cookie, then ``Accept-Language``, then ``LANGUAGE_CODE``),
mapped to a Locale of the site as Wagtail maps it (``Locale.get_active()``). So "библиотеки"
with ``locale=ru`` finds Russian pages saying "библиотека". ``search_locale`` asks otherwise:
``all`` searches every language (the query analysed in each; each object matched in its own),
a language code of the site searches that one. Models that are not translatable (images,
documents) are searched whole.

**Order.** Most relevant first, unless ``order`` is given: then ``order`` wins (as in
Wagtail's API) and the search only selects.

**Visibility.** The search runs on the listing's queryset, which holds only what the caller may
see (:mod:`alma_cms.scope.visibility`), as a filter on ids computed from the database at query
time: a stale search index (a page unpublished, restricted or expired since it was indexed, a
draft's text) never brings a hidden object back.

Errors: a NUL character, more than ``MAX_LENGTH`` characters or ``MAX_WORDS`` words, and
:class:`alma_cms.search.query.SearchError` become :class:`SearchParameterError` naming
``search``; each API version turns it into its own error answer (v2: 400, v3: 422).
"""

import re

from django.db import DatabaseError, transaction
from django.utils import translation
from wagtail.models import Locale, TranslatableMixin

from ..search.query import SearchError, search

OPERATORS = ("and", "or")
SEARCH_TYPES = ("full_text", "autocomplete")
PARAMETERS = ("search", "search_operator", "search_type", "search_locale")
# ``search_locale=all``: every language of the site.
ALL_LOCALES = "all"
# More words than this are refused (400/422 naming ``search``): backends build one nested
# condition per word, and 200 words exceed Python's recursion limit on PostgreSQL.
MAX_WORDS = 50
# Longer queries are refused rather than cut (alma_cms.search.query would cut them at 500
# characters): a caller sending more has a bug worth seeing.
MAX_LENGTH = 1000


# OpenSearch's and Elasticsearch's default ``index.max_result_window``: a search never pages
# past it (the server would refuse with an error), on any backend, so clients see one rule.
MAX_RESULT_WINDOW = 10_000
# The clients of the search servers: their errors mean the server could not answer.
SEARCH_CLIENT_PACKAGES = ("opensearchpy", "elasticsearch", "elastic_transport", "urllib3")


class SearchUnavailable(RuntimeError):
    """The search server did not answer (down, unreachable, timed out): the API answers 503."""


def check_window(offset, limit):
    """Raise SearchParameterError naming ``offset`` when ``offset + limit`` (the raw query
    parameters; what does not parse is left to the paginator) passes ``MAX_RESULT_WINDOW``."""
    try:
        end = int(offset or 0) + int(limit or 0)
    except (TypeError, ValueError):
        return
    if end > MAX_RESULT_WINDOW:
        raise SearchParameterError(
            f"offset: a search pages through its first {MAX_RESULT_WINDOW:,} results at most "
            "(offset + limit)",
            "offset",
        )


class SearchParameterError(ValueError):
    """A bad search parameter: ``parameter`` (its name) and a message naming it."""

    def __init__(self, message, parameter):
        super().__init__(message)
        self.parameter = parameter


def search_language(model, locale_code=None, search_locale=None):
    """The language code a search of ``model`` uses: ``search_locale`` (checked by
    :func:`check_parameters`; ``"all"``: None, every language), else ``locale_code`` (the
    ``locale`` parameter, already validated by the listing), else the active language's
    Locale; None for a model that is not translatable. One query (the Locale) at most."""
    if not (isinstance(model, type) and issubclass(model, TranslatableMixin)):
        return None
    if search_locale == ALL_LOCALES:
        return None
    if search_locale:
        return search_locale
    if locale_code:
        return locale_code
    try:
        return Locale.get_active().language_code
    except Locale.DoesNotExist:  # no Locale at all: nothing translatable to find either
        return translation.get_language()


def check_parameters(query, operator=None, search_type=None, search_locale=None):
    """Validate the search parameters (strings or None); raise SearchParameterError naming the
    first bad one. ``search_locale``: ``"all"`` or a language code of a Locale of the site (one
    query). Returns ``(operator, partial)``."""
    operator = operator or "and"
    if operator not in OPERATORS:
        raise SearchParameterError(
            "search_operator must be one of: " + ", ".join(OPERATORS), "search_operator"
        )
    search_type = search_type or "full_text"
    if search_type not in SEARCH_TYPES:
        raise SearchParameterError(
            "search_type must be one of: " + ", ".join(SEARCH_TYPES), "search_type"
        )
    if search_locale is not None and search_locale != ALL_LOCALES:
        try:
            Locale.objects.get_for_language(search_locale)
        except (Locale.DoesNotExist, LookupError):
            raise SearchParameterError(
                f"search_locale must be '{ALL_LOCALES}' or a language code of this site's locales",
                "search_locale",
            ) from None
    return operator, search_type == "autocomplete"


def search_listing(
    queryset,
    query,
    *,
    locale_code=None,
    operator=None,
    search_type=None,
    search_locale=None,
    ordered=False,
):
    """``queryset`` (a listing, already filtered to what the caller may see) searched for
    ``query``, in the language :func:`search_language` picks (``search_locale``: ``"all"`` or
    a language code, the ``search_locale`` parameter).

    ``ordered``: the caller gave ``order`` and ``queryset`` is ordered by it; the result is then
    ``queryset`` narrowed to the matches (a queryset, same order), else the backend's results
    by relevance. Raises SearchParameterError."""
    operator, partial = check_parameters(query, operator, search_type, search_locale)
    language = search_language(queryset.model, locale_code, search_locale)
    if "\x00" in query:
        raise SearchParameterError("search: must not contain NUL characters", "search")
    if len(query) > MAX_LENGTH:
        raise SearchParameterError(f"search: at most {MAX_LENGTH} characters", "search")
    if not query.strip():
        return queryset.none()  # nothing to look for (some backends fail on it)
    if len(query.split()) > MAX_WORDS:
        raise SearchParameterError(f"search: at most {MAX_WORDS} words", "search")
    try:
        try:
            results = _run(queryset, query, language, operator, partial)
        except DatabaseError:
            # A query the database's full-text syntax refuses (SQLite FTS: an unbalanced
            # quote): searched again as plain words.
            words = WORDS.sub(" ", query).strip()
            if not words:
                return queryset.none()
            results = _run(queryset, words, language, operator, partial)
        if not ordered:
            return results
        # The search selects, ``order`` orders: every match is read (ids only are kept).
        return queryset.filter(pk__in=[obj.pk for obj in results])
    except SearchError as exc:
        raise SearchParameterError(f"search: {exc}", "search") from exc
    except (DatabaseError, RecursionError) as exc:
        raise SearchParameterError("search: the query cannot be searched", "search") from exc


WORDS = re.compile(r"[^\w\s]+")


def _run(queryset, query, language, operator, partial):
    """The search results, counted once (cached by the results) inside a savepoint, so that a
    query the database refuses fails here, where it can be answered, and not while the
    response is built."""
    try:
        results = search(queryset, query, language=language, operator=operator, partial=partial)
        with transaction.atomic():
            results.count()
    except Exception as exc:
        if type(exc).__module__.split(".")[0] in SEARCH_CLIENT_PACKAGES:
            reason = f"the search server did not answer: {type(exc).__name__}"
            raise SearchUnavailable(reason) from exc
        raise
    return results
