"""``?search=`` in API v3 listings with alma-cms's rules (:mod:`alma_cms.api.search`): one
language (``locale`` or the active one) unless ``search_locale`` says otherwise,
``search_operator``, ``search_type=autocomplete``,
``order`` winning over relevance, and bad input answered with a 422 naming the parameter (as
Wagtail's API v3 reports bad parameters), never a 500.

Installed on Wagtail's ``SearchSchema`` (shared by every v3 listing that searches), so URLs and
parameters stay Wagtail's; ``search_type`` is read from the query string and documented in the
OpenAPI document (:func:`document_search_type`).
"""

from django.conf import settings
from wagtail.api.v3.errors import as_validation_error
from wagtail.api.v3.schemas import params
from wagtail.search.backends.base import FilterFieldError, OrderByFieldError
from wagtail.search.index import class_is_indexed

from .. import search as api_search

INSTALLED_ATTRIBUTE = "_alma_cms_search"


def _validation_error(exc, parameter):
    return as_validation_error(exc, str(exc), loc=("query", parameter))


def search_queryset(self, request, queryset):
    """``SearchSchema.search_queryset`` (``self``: its parsed ``search`` and
    ``search_operator``), searching with :func:`alma_cms.api.search.search_listing`."""
    search_type = request.GET.get("search_type")
    search_locale = request.GET.get("search_locale")
    if self.search is None:
        if search_type is not None or search_locale is not None:
            try:
                api_search.check_parameters("", None, search_type, search_locale)
            except api_search.SearchParameterError as exc:
                raise _validation_error(exc, exc.parameter) from exc
        return queryset
    if not class_is_indexed(queryset.model):
        error = AssertionError(f"{queryset.model._meta.object_name} is not indexed for search.")
        raise as_validation_error(error, str(error)) from error
    try:
        api_search.check_window(request.GET.get("offset"), request.GET.get("limit"))
        return api_search.search_listing(
            queryset,
            self.search,
            locale_code=request.GET.get("locale"),
            operator=self.search_operator,
            search_type=search_type,
            search_locale=search_locale,
            ordered="order" in request.GET,
        )
    except api_search.SearchParameterError as exc:
        raise _validation_error(exc, exc.parameter) from exc
    except api_search.SearchUnavailable as exc:
        from ninja.errors import HttpError  # v3 runs on django-ninja (Wagtail 8)

        raise HttpError(503, str(exc)) from exc
    except (FilterFieldError, OrderByFieldError) as exc:
        doing = "filter" if isinstance(exc, FilterFieldError) else "order"
        message = f"Cannot {doing} by '{exc.field_name}' while searching (field is not indexed)."
        raise as_validation_error(exc, message, loc=(exc.field_name,)) from exc


def install_search():
    """Give Wagtail's API v3 ``SearchSchema`` alma-cms's search (idempotent)."""
    schema = params.SearchSchema
    if getattr(schema, INSTALLED_ATTRIBUTE, False):
        return
    schema.search_queryset = search_queryset
    setattr(schema, INSTALLED_ATTRIBUTE, True)


SEARCH_LOCALE_PARAMETER = {
    "in": "query",
    "name": "search_locale",
    "required": False,
    "description": (
        "The language searched: `all` (every language; each page matched in its own) or a "
        "language code of the site. Default: `locale`, else the request's active language."
    ),
    "schema": {"anyOf": [{"type": "string"}, {"type": "null"}], "title": "Search Locale"},
}

SEARCH_TYPE_PARAMETER = {
    "in": "query",
    "name": "search_type",
    "required": False,
    "description": (
        "`full_text` (default) or `autocomplete` (the last word matches as a prefix). The "
        "search runs in the language of `locale`, else the request's active language "
        "(Accept-Language), and orders by relevance unless `order` is given."
    ),
    "schema": {
        "anyOf": [{"enum": list(api_search.SEARCH_TYPES), "type": "string"}, {"type": "null"}],
        "title": "Search Type",
    },
}


def document_search_type(document):
    """Add ``search_type`` and ``search_locale`` to every operation of ``document`` (an
    OpenAPI dict, changed in place) that takes Wagtail's ``search`` parameter, right after
    ``search_operator``."""
    if not getattr(settings, "WAGTAILAPI_SEARCH_ENABLED", True):
        return document
    for path_item in document.get("paths", {}).values():
        for operation in path_item.values():
            parameters = operation.get("parameters") if isinstance(operation, dict) else None
            if not parameters:
                continue
            names = [p.get("name") for p in parameters if p.get("in") == "query"]
            if "search" not in names or "search_type" in names:
                continue
            after = "search_operator" if "search_operator" in names else "search"
            index = next(i for i, p in enumerate(parameters) if p.get("name") == after)
            parameters.insert(index + 1, dict(SEARCH_TYPE_PARAMETER))
            parameters.insert(index + 2, dict(SEARCH_LOCALE_PARAMETER))
    return document
