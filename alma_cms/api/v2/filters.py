"""Listing filters of the v2 endpoints.

Wagtail's own filters (``child_of``, ``ancestor_of``, ``descendant_of``, ``translation_of``,
``order``, ``search``) are kept and only made to name the parameter at fault in their errors.
Field filters (``?year=2021``, ``?status=finalized``, ``?speaker=12``) are validated against the
model field before they reach the database, so a malformed value is a 400, never a 500.

A filter on a reference to a translatable object (a page or an organization) matches the object
*and its translations*: ``?speaker=8`` finds the quotations of speaker 8 in every language
(combine it with ``locale=`` for one language). A page id must be a page the caller may see.

Every filter narrows the queryset with ``pk__in=<subquery>``, so filters combine freely with
``search`` (the search backend only ever sees an ``id`` filter).
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import Q, Subquery
from rest_framework.exceptions import APIException
from rest_framework.filters import BaseFilterBackend
from rest_framework.settings import api_settings
from taggit.managers import TaggableManager
from wagtail.api.v2 import filters as wagtail_filters
from wagtail.api.v2.utils import BadRequestError, parse_boolean
from wagtail.models import Page, TranslatableMixin
from wagtail.search import index
from wagtail.search.backends.base import FilterFieldError, OrderByFieldError

from ...models import Organization
from ...pages import mixins
from ...scope import get_scope
from .. import search as api_search
from .errors import ApiBadRequest, is_ascii_digits, parse_id, refuse_nul, with_parameter

RENDERER_FORMATS = {"json", "api"}


def renderer_formats(view):
    return {renderer.format for renderer in view.renderer_classes} or RENDERER_FORMATS


def format_is_renderer(request, view):
    """True when ``?format=`` selects a renderer (json, api) rather than filtering a field."""
    param = api_settings.URL_FORMAT_OVERRIDE
    value = request.GET.get(param) if param else None
    return bool(value) and value in renderer_formats(view)


# --- custom page filters ------------------------------------------------------------------


@dataclass(frozen=True)
class PageFilter:
    """A query parameter that only applies when ``type=`` selects a subclass of ``mixin``."""

    name: str
    mixin: type
    apply: object  # callable(queryset, value, view) -> queryset
    help: str = ""


def filter_announcements_by_award(queryset, value, view):
    """Announcements that are children of award ``value`` or of one of its translations."""
    pk = parse_id(value, "award")
    base = view.get_base_queryset()
    rows = list(
        base.filter(
            translation_key=Subquery(Page.objects.filter(pk=pk).values("translation_key")[:1])
        ).values("pk", "path", "depth", "content_type_id")
    )
    own = next((row for row in rows if row["pk"] == pk), None)
    model = None
    if own is not None:
        model = ContentType.objects.get_for_id(own["content_type_id"]).model_class()
    if model is None or not issubclass(model, mixins.AwardPageMixin):
        raise ApiBadRequest(f"award: no award page with id {pk}", "award")
    query = reduce(or_, (Q(path__startswith=row["path"], depth=row["depth"] + 1) for row in rows))
    return queryset.filter(pk__in=queryset.model.objects.filter(query).values("pk"))


def filter_speakers_by_organization(queryset, value, view):
    """Speakers with a position (past or current) at organization ``value`` or a translation."""
    pk = parse_id(value, "organization")
    key = Organization.objects.filter(pk=pk).values_list("translation_key", flat=True).first()
    if key is None:
        raise ApiBadRequest(f"organization: no organization with id {pk}", "organization")
    position_model = queryset.model._meta.get_field("positions").related_model
    page_ids = position_model.objects.filter(organization__translation_key=key).values("page_id")
    return queryset.filter(pk__in=page_ids)


PAGE_FILTERS = [
    PageFilter(
        "award",
        mixins.AwardAnnouncementPageMixin,
        filter_announcements_by_award,
        "id of the award page (announcements are its children)",
    ),
    PageFilter(
        "organization",
        mixins.SpeakerPageMixin,
        filter_speakers_by_organization,
        "id of an organization in any of the speaker's positions",
    ),
]


def page_filters_for(model):
    """The custom filters that apply to ``model`` (by name)."""
    return {
        f.name: f for f in PAGE_FILTERS if isinstance(model, type) and issubclass(model, f.mixin)
    }


class PageTypeFilter(BaseFilterBackend):
    """Custom filters for one page type: ``award`` (announcements), ``organization`` (speakers)."""

    def filter_queryset(self, request, queryset, view):
        for name, page_filter in page_filters_for(queryset.model).items():
            if name in request.GET:
                queryset = _keep_child_of(
                    queryset, page_filter.apply(queryset, request.GET[name], view)
                )
        return queryset


# --- field filters ------------------------------------------------------------------------


def _id_is_filterable(model):
    """True if the search backend accepts an ``id`` filter on ``model`` (pages: always)."""
    if not issubclass(model, index.Indexed):
        return True
    return any(
        isinstance(field, index.FilterField) and field.field_name in ("id", "pk")
        for field in model.get_search_fields()
    )


def narrow(queryset, condition):
    """``queryset`` filtered by ``condition``: as ``pk__in=<subquery>`` where the search
    backend accepts an id filter (any field may be filtered while searching), else directly
    (then only the model's search FilterFields may be, as in Wagtail)."""
    model = queryset.model
    if _id_is_filterable(model):
        return queryset.filter(pk__in=model._default_manager.filter(condition).values("pk"))
    return queryset.filter(condition)


def _keep_child_of(old, new):
    parent = getattr(old, "_filtered_by_child_of", None)
    if parent is not None:
        new._filtered_by_child_of = parent
    return new


def _first_message(error):
    messages = getattr(error, "messages", None) or [str(error)]
    return " ".join(str(m) for m in messages)


def _python_value(model, field, name, value):
    """``value`` converted for ``field`` (a concrete, non-relation field), or a 400."""
    if isinstance(field, models.BooleanField):
        try:
            return parse_boolean(value)
        except ValueError as e:
            raise ApiBadRequest(f"{name}: {e}", name) from e
    if isinstance(field, (models.IntegerField, models.AutoField)):
        # ``to_python`` would take other scripts' digits, "+", "_" and spaces.
        text = str(value)
        if not is_ascii_digits(text.removeprefix("-")):
            raise ApiBadRequest(f"{name}: '{value}' is not a valid value (an integer)", name)
    try:
        python = field.to_python(value)
    except (ValidationError, ValueError, TypeError) as e:
        detail = _first_message(e) if isinstance(e, ValidationError) else str(e)
        raise ApiBadRequest(f"{name}: '{value}' is not a valid value ({detail})", name) from e
    if field.choices:
        allowed = [str(choice) for choice, _label in field.flatchoices]
        if str(python) not in allowed:
            raise ApiBadRequest(f"{name} must be one of: {', '.join(allowed)}", name)
    if isinstance(python, int) and isinstance(field, (models.IntegerField, models.AutoField)):
        # The column ranges Django documents, whatever the database enforces (SQLite takes
        # any 64-bit integer): the same request gets the same answer everywhere.
        low, high = BaseDatabaseOperations.integer_field_ranges.get(
            field.get_internal_type(), (None, None)
        )
        if (low is not None and python < low) or (high is not None and python > high):
            raise ApiBadRequest(f"{name}: {python} is out of range", name)
    if python is None:
        raise ApiBadRequest(f"{name}: a value is required", name)
    return python


def _reference_condition(field, name, value, view):
    """The filter condition for a foreign key ``field`` and an id: the object and every
    translation of it (for translatable targets); a page must be visible to the caller."""
    pk = parse_id(value, name)
    target = field.related_model
    label = target._meta.verbose_name
    if issubclass(target, Page):
        row = (
            target.objects.filter(pk=pk)
            .filter(get_scope(view.request).visible_q())
            .values("translation_key")
            .first()
        )
        if row is None:
            raise ApiBadRequest(f"{name}: no {label} with id {pk}", name)
        return Q(**{f"{name}__translation_key": row["translation_key"]})
    if issubclass(target, TranslatableMixin):
        key = target._default_manager.filter(pk=pk).values_list("translation_key", flat=True)
        key = key.first()
        if key is None:
            raise ApiBadRequest(f"{name}: no {label} with id {pk}", name)
        return Q(**{f"{name}__translation_key": key})
    return Q(**{field.attname: pk})


def field_condition(model, name, value, view):
    """A Q object for ``?<name>=<value>`` on ``model`` (validated), or a 400."""
    refuse_nul(name, value)
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        field = None
    if isinstance(field, TaggableManager):
        tagged = model._default_manager.all()
        for tag in (tag for tag in value.split(",") if tag):
            tagged = tagged.filter(**{f"{name}__name": tag})  # every tag (one join each)
        return Q(pk__in=tagged.values("pk"))
    if field is not None and field.many_to_one:
        return _reference_condition(field, name, value, view)
    if field is None or field.is_relation:
        # A non-field attribute or a to-many relation: compare as given, like Wagtail does.
        return Q(**{name: value})
    return Q(**{name: _python_value(model, field, name, value)})


class FieldsFilter(BaseFilterBackend):
    """``?<field>=<value>`` for every database field the endpoint exposes (like Wagtail's
    FieldsFilter), validated, and search-safe."""

    def filter_queryset(self, request, queryset, view):
        model = queryset.model
        names = set(view.get_available_fields(model, db_fields_only=True))
        # Served by their own filters.
        names -= {"locale", *page_filters_for(model)}
        if "format" in names and format_is_renderer(request, view):
            names.discard("format")
        for name, value in request.GET.items():
            if name not in names:
                continue
            condition = field_condition(model, name, value, view)
            queryset = _keep_child_of(queryset, narrow(queryset, condition))
            if isinstance(model._meta.get_field(name), TaggableManager):
                queryset._filtered_by_tag = True
        return queryset


class LocaleFilter(BaseFilterBackend):
    """``?locale=ru``: objects in that locale. An unknown language code is a 400."""

    def filter_queryset(self, request, queryset, view):
        if "locale" not in request.GET:
            return queryset
        code = request.GET["locale"]
        locales = get_scope(request).locales.values()
        locale = next((loc for loc in locales if loc.language_code == code), None)
        if locale is None:
            available = ", ".join(sorted(loc.language_code for loc in locales))
            raise ApiBadRequest(
                f"locale: unknown locale '{code}' (available: {available})", "locale"
            )
        return _keep_child_of(queryset, queryset.filter(locale_id=locale.pk))


class SnippetTranslationOfFilter(BaseFilterBackend):
    """``?translation_of=<id>`` for translatable snippets: the other translations of it."""

    def filter_queryset(self, request, queryset, view):
        if "translation_of" not in request.GET:
            return queryset
        pk = parse_id(request.GET["translation_of"], "translation_of")
        model = queryset.model
        key = model._default_manager.filter(pk=pk).values_list("translation_key", flat=True).first()
        if key is None:
            raise ApiBadRequest(
                f"translation_of: no {model._meta.verbose_name} with id {pk}", "translation_of"
            )
        return queryset.filter(translation_key=key).exclude(pk=pk)


# --- Wagtail's filters, naming their parameter -------------------------------------------


def _naming(wagtail_filter, parameter, *, id_parameter=False, root=False):
    """``wagtail_filter`` naming ``parameter`` in its errors; ``id_parameter``: its value is a
    page id (``root`` also takes "root"), checked first by alma's rule (ASCII digits: Wagtail's
    ``int()`` takes "٣" as 3, and "+3", "3_0", " 3")."""

    class Filter(wagtail_filter):
        def filter_queryset(self, request, queryset, view):
            value = request.GET.get(parameter)
            if id_parameter and value is not None and not (root and value == "root"):
                if not is_ascii_digits(value):
                    raise ApiBadRequest(f"{parameter} must be a positive integer", parameter)
            try:
                return super().filter_queryset(request, queryset, view)
            except BadRequestError as e:
                raise with_parameter(e, parameter) from e

    Filter.__name__ = Filter.__qualname__ = wagtail_filter.__name__
    Filter.__doc__ = wagtail_filter.__doc__
    return Filter


ChildOfFilter = _naming(wagtail_filters.ChildOfFilter, "child_of", id_parameter=True, root=True)
AncestorOfFilter = _naming(wagtail_filters.AncestorOfFilter, "ancestor_of", id_parameter=True)
DescendantOfFilter = _naming(
    wagtail_filters.DescendantOfFilter, "descendant_of", id_parameter=True, root=True
)
TranslationOfFilter = _naming(
    wagtail_filters.TranslationOfFilter, "translation_of", id_parameter=True, root=True
)
OrderingFilter = _naming(wagtail_filters.OrderingFilter, "order")


class SearchFilter(BaseFilterBackend):
    """``?search=``: Wagtail's search, in one language, by relevance (see
    :mod:`alma_cms.api.search`: ``locale``, ``search_operator``, ``search_type``,
    ``search_locale``, ``order``),
    with its parameters checked first and errors naming them."""

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            for name in ("search_operator", "search_type", "search_locale"):
                if name in request.GET:
                    check_search_parameters(**{name: request.GET[name]})
            return queryset
        if not getattr(settings, "WAGTAILAPI_SEARCH_ENABLED", True):
            raise ApiBadRequest("search is disabled", "search")
        if getattr(queryset, "_filtered_by_tag", False):
            raise ApiBadRequest("filtering by tag with a search query is not supported", "search")
        query = request.GET["search"]
        refuse_nul("search", query)
        try:
            api_search.check_window(request.GET.get("offset"), request.GET.get("limit"))
            return api_search.search_listing(
                queryset,
                query,
                locale_code=request.GET.get("locale"),
                operator=request.GET.get("search_operator"),
                search_type=request.GET.get("search_type"),
                search_locale=request.GET.get("search_locale"),
                ordered="order" in request.GET,
            )
        except api_search.SearchParameterError as e:
            raise ApiBadRequest(str(e), e.parameter) from e
        except api_search.SearchUnavailable as e:
            raise SearchServiceUnavailable(str(e)) from e
        except (FilterFieldError, OrderByFieldError) as e:
            doing = "filter" if isinstance(e, FilterFieldError) else "order"
            raise ApiBadRequest(
                f"cannot {doing} by '{e.field_name}' while searching (field is not indexed)",
                "order" if doing == "order" else e.field_name,
            ) from e


class SearchServiceUnavailable(APIException):
    """503: the search server did not answer; the client may try again."""

    status_code = 503
    default_detail = "The search server did not answer; try again later."
    default_code = "search_unavailable"


def check_search_parameters(search_operator=None, search_type=None, search_locale=None):
    """400 for a bad ``search_operator``, ``search_type`` or ``search_locale``, even without
    ``search``."""
    try:
        api_search.check_parameters("", search_operator, search_type, search_locale)
    except api_search.SearchParameterError as e:
        raise ApiBadRequest(str(e), e.parameter) from e
