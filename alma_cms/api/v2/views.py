"""The v2 endpoints: Wagtail's API v2 viewsets with alma-cms fields, filters, privacy, bulk
loading and HTTP caching. URL layout and response shape are Wagtail's."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.http.request import split_domain_port
from django.urls import path
from django.utils.functional import SimpleLazyObject, classproperty
from rest_framework import status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer as DRFJSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from wagtail.api.v2 import views as wagtail_views
from wagtail.api.v2.utils import (
    BadRequestError,
    page_models_from_string,
    parse_fields_parameter,
)
from wagtail.documents.api.v2.views import DocumentsAPIViewSet as WagtailDocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet as WagtailImagesAPIViewSet
from wagtail.models import Page, Site

from ...models import Organization
from ...scope import get_scope, site_structure
from ...scope.compiled import any_of, run_compiled
from ...scope.visibility import Visibility, under
from ..caching import HTTPCacheMixin
from ..find import FrontEndPath, InvalidPath
from ..nul import parameter_holding_nul
from ..prefetch import parent_content_type_annotation, prefetch_for_serializer
from ..rendering import JSONRenderer
from . import filters
from .errors import (
    MAX_ID,
    ApiBadRequest,
    is_ascii_digits,
    null_characters_error,
    parse_id,
    refuse_nul,
    with_parameter,
)
from .pagination import Pagination
from .serializers import (
    AlmaDocumentSerializer,
    AlmaImageSerializer,
    AlmaPageSerializer,
    OrganizationSerializer,
)

# Serializer classes by the arguments of ``_get_serializer_class`` (``fields=`` varies: bounded).
_SERIALIZER_CLASSES = {}
_MAX_SERIALIZER_CLASSES = 2000


def _find_site(request):
    """``Site.find_for_request(request)``, from the process's copy of the sites (no query when
    it is current, see ``alma_cms.scope.site_structure``); cached on the request as Wagtail
    does."""
    if not hasattr(request, "_wagtail_site"):
        structure = site_structure.current()
        hostname = split_domain_port(request._get_raw_host())[0]
        try:
            port = int(request.get_port())
        except (TypeError, ValueError):
            port = None  # matches no site's port, as in Wagtail's query
        site = structure.site_for(hostname, port)
        if site is not None:
            site._alma_structure = structure
        request._wagtail_site = site
    return request._wagtail_site


class ContentNegotiation(DefaultContentNegotiation):
    """``?format=`` picks a renderer only when it names one (``json``, ``api``); any other value
    is a field filter (an edition's ``format``), not a 404 as in plain DRF."""

    def select_renderer(self, request, renderers, format_suffix=None):
        param = self.settings.URL_FORMAT_OVERRIDE
        value = request.query_params.get(param) if param else None
        if value and not format_suffix and value not in {r.format for r in renderers}:
            request = _WithoutQueryParameter(request, param)
        return super().select_renderer(request, renderers, format_suffix)


class _WithoutQueryParameter:
    """``request`` as content negotiation sees it, without one query parameter."""

    def __init__(self, request, name):
        self._wrapped = request
        self.query_params = request.query_params.copy()
        self.query_params.pop(name, None)

    def __getattr__(self, attribute):
        return getattr(self._wrapped, attribute)


class AlmaAPIViewMixin(HTTPCacheMixin):
    """Shared by every alma-cms v2 endpoint: 400s that name their parameter, strict query
    parameter checks, bulk loading before serialization, HTTP caching."""

    content_negotiation_class = ContentNegotiation
    pagination_class = Pagination
    representation_cache_api = "v2"

    @classproperty
    def renderer_classes(cls):
        # Wagtail's renderers, with DRF's JSON renderer written by orjson (same bytes).
        return [
            JSONRenderer if renderer is DRFJSONRenderer else renderer
            for renderer in super().renderer_classes
        ]

    def handle_exception(self, exc):
        if isinstance(exc, BadRequestError):
            data = {"message": str(exc)}
            parameter = getattr(exc, "parameter", None)
            if parameter:
                data["parameter"] = parameter
            return Response(data, status=status.HTTP_400_BAD_REQUEST)
        return super().handle_exception(exc)

    def extra_query_parameters(self, model):
        """Query parameter names accepted for ``model`` beyond Wagtail's."""
        return set()

    def check_query_parameters(self, queryset):
        params = self.request.GET
        name = parameter_holding_nul(params)
        if name is not None:
            raise null_characters_error(name)
        model = queryset.model
        db_fields = set(self.get_available_fields(model, db_fields_only=True))
        allowed = db_fields | self.known_query_parameters | self.extra_query_parameters(model)
        # alma-cms's autocomplete and language choice (alma_cms.api.search)
        allowed |= {"search_type", "search_locale"}
        unknown = sorted(set(params) - allowed)
        if unknown:
            raise ApiBadRequest(
                "query parameter is not an operation or a recognised field: " + ", ".join(unknown),
                unknown[0],
            )
        param = api_settings.URL_FORMAT_OVERRIDE
        value = params.get(param) if param else None
        if value and "format" not in db_fields:
            formats = filters.renderer_formats(self)
            if value not in formats:
                raise ApiBadRequest(f"{param} must be one of: {', '.join(sorted(formats))}", param)

    def get_serializer_class(self):
        try:
            return super().get_serializer_class()
        except BadRequestError as e:
            raise with_parameter(e, "fields") from e

    @classmethod
    def _get_serializer_class(cls, router, model, fields_config, show_details=False, nested=False):
        # Wagtail makes a new serializer class (and its children's) on every request, from
        # arguments only: one per set of arguments is kept, so that its fields are built once
        # (``AlmaPageSerializer.get_fields``).
        key = (cls, router, model, repr(fields_config), show_details, nested)
        found = _SERIALIZER_CLASSES.get(key)
        if found is None:
            found = super()._get_serializer_class(
                router, model, fields_config, show_details=show_details, nested=nested
            )
            if len(_SERIALIZER_CLASSES) >= _MAX_SERIALIZER_CLASSES:
                _SERIALIZER_CLASSES.clear()
            _SERIALIZER_CLASSES[key] = found
        return found

    def resolve_rich_text_format(self):
        try:
            return super().resolve_rich_text_format()
        except BadRequestError as e:
            raise with_parameter(e, "rich_text_format") from e

    def serialize(self, instances, many):
        """Serialize after loading, in bulk, everything the serializer will read."""
        serializer = self.get_serializer(instances if many else instances[0], many=many)
        scope = get_scope(self.request)
        scope.urls_follow(self.request)  # DRF's request, where Wagtail's fields cache the Site
        if "rich_text_format" in self.request.GET and hasattr(
            wagtail_views.BaseAPIViewSet, "resolve_rich_text_format"
        ):  # Wagtail 8: alma-cms rich text follows an explicit ?rich_text_format= too
            scope.rich_text_format = self.resolve_rich_text_format()
        prefetch_for_serializer(scope, instances, serializer.child if many else serializer)
        return serializer.data

    def listing_view(self, request):
        queryset = self.get_queryset()
        self.check_query_parameters(queryset)
        queryset = self.filter_queryset(queryset)
        objects = list(self.paginate_queryset(queryset))
        return self.get_paginated_response(self.serialize(objects, many=True))

    def detail_view(self, request, pk):
        instance = self.get_object()
        return Response(self.serialize([instance], many=False))

    @classmethod
    def get_urlpatterns(cls):
        # After Wagtail's own: any other id is a 400 naming "id" (Django would otherwise
        # fall through to the page routes: a 404 page or a language redirect).
        return super().get_urlpatterns() + [
            path("<str:pk>/", cls.as_view({"get": "detail_view"}), name="detail-invalid")
        ]

    def requested_pk(self):
        """The id in the URL (400 unless digits; 404 out of range)."""
        raw = str(self.kwargs.get("pk", ""))
        if not is_ascii_digits(raw):
            raise ApiBadRequest("id must be a positive integer", "id")
        pk = int(raw)
        if pk < 1 or pk > MAX_ID:
            raise Http404("not found")
        return pk

    def get_object(self):
        if not hasattr(self, "_cached_object"):
            pk = self.requested_pk()
            try:
                self._cached_object = self.get_queryset().get(pk=pk)
            except self.get_queryset().model.DoesNotExist as e:
                raise Http404("not found") from e
        return self._cached_object

    def find_object(self, queryset, request):
        if "id" in request.GET:
            return queryset.filter(pk=parse_id(request.GET["id"], "id")).first()
        return None


class PagesAPIViewSet(AlmaAPIViewMixin, wagtail_views.PagesAPIViewSet):
    """``/pages/``: every page the caller may see, in its live version.

    Beyond Wagtail: page-type filters (see ``filters``), ``meta.translations``, language-prefixed
    ``find/?html_path=/ru/...``, references resolved in the page's own language, 400s naming the
    parameter, a constant number of queries, ``ETag``/``Last-Modified``/``Cache-Control``.
    """

    base_serializer_class = AlmaPageSerializer
    filter_backends = [
        filters.FieldsFilter,
        filters.PageTypeFilter,
        filters.ChildOfFilter,
        filters.AncestorOfFilter,
        filters.DescendantOfFilter,
        filters.OrderingFilter,
        filters.TranslationOfFilter,
        filters.LocaleFilter,
        filters.SearchFilter,  # last: search results cannot be filtered further
    ]
    meta_fields = wagtail_views.PagesAPIViewSet.meta_fields + ["translations"]
    # Left out of ``fields=*`` in listings (ask for them by name): json_ld (schema.org) is
    # built page by page, and listings keep a number of queries independent of their size.
    listing_star_excluded_fields = ["json_ld"]
    listing_default_fields = wagtail_views.PagesAPIViewSet.listing_default_fields + ["translations"]

    def extra_query_parameters(self, model):
        return set(filters.page_filters_for(model))

    # --- site and visibility ---

    def get_site(self):
        if not hasattr(self, "_site"):
            value = self.request.GET.get("site")
            if not value:
                # The Django request: Wagtail caches the site there (page URLs read it).
                site = _find_site(getattr(self.request, "_request", self.request))
            else:
                hostname, _sep, port = value.partition(":")
                lookup = {"hostname": hostname}
                if port:
                    if not is_ascii_digits(port) or len(port) > 5:
                        raise ApiBadRequest("site: the port must be a number", "site")
                    lookup["port"] = int(port)
                sites = list(Site.objects.filter(**lookup).select_related("root_page")[:2])
                if len(sites) != 1:
                    message = "no site" if not sites else "more than one site (add the port)"
                    raise ApiBadRequest(f"site: {message} matches '{value}'", "site")
                site = sites[0]
            self._site = site
        return self._site

    def get_site_roots(self):
        """The site's root page and its translations (one query)."""
        if not hasattr(self, "_site_roots"):
            site = self.get_site()
            if site is None:
                roots = []
            elif getattr(site, "_alma_structure", None) is not None:
                roots = site._alma_structure.roots_of(site)  # read with the site, per process
            elif getattr(settings, "WAGTAIL_I18N_ENABLED", False):
                roots = list(
                    Page.objects.filter(translation_key=site.root_page.translation_key).only(
                        "id", "path", "depth", "url_path", "locale_id", "translation_key"
                    )
                )
            else:
                roots = [site.root_page]
            self._site_roots = roots
        return self._site_roots

    def in_site(self, page):
        return any(page.path.startswith(root.path) for root in self.get_site_roots())

    def get_root_page(self):
        return self.get_site().root_page

    def get_base_queryset(self):
        """Every page in the site (all its languages) that the caller may see."""
        roots = self.get_site_roots()
        if not roots:
            return Page.objects.none()
        in_site = under([root.path for root in roots])
        return Page.objects.filter(in_site).filter(get_scope(self.request).visible_q())

    def get_queryset(self):
        value = self.request.GET.get("type")
        try:
            models = page_models_from_string(value) if value else ()
        except (LookupError, ValueError) as e:
            raise ApiBadRequest(f"type doesn't exist: {value}", "type") from e
        visible = self.get_base_queryset().values("pk")
        if not models:
            return Page.objects.filter(pk__in=visible)
        if len(models) == 1:
            return models[0].objects.filter(pk__in=visible)
        return Page.objects.filter(pk__in=visible).type(*models)

    def _listing_model(self):
        """``self.get_queryset().model`` without building the queryset (a listing has built
        it already): the one type ``?type=`` names, else Page."""
        value = self.request.GET.get("type")
        try:
            models = page_models_from_string(value) if value else ()
        except (LookupError, ValueError) as e:
            raise ApiBadRequest(f"type doesn't exist: {value}", "type") from e
        return models[0] if len(models) == 1 else Page

    def get_serializer_class(self):
        if self.action != "listing_view" or "fields" not in self.request.GET:
            return super().get_serializer_class()
        try:
            config = parse_fields_parameter(self.request.GET["fields"])
        except ValueError as e:
            raise ApiBadRequest(f"fields error: {e}", "fields") from e
        model = self._listing_model()
        if config and config[0][0] == "*":
            available = set(self.get_available_fields(model))
            mentioned = {name for name, _negated, _sub in config}
            config = config + [
                (name, True, None)
                for name in self.listing_star_excluded_fields
                if name in available and name not in mentioned
            ]
        try:
            return self._get_serializer_class(
                self.request.wagtailapi_router, model, config, show_details=False
            )
        except BadRequestError as e:
            raise with_parameter(e, "fields") from e

    def get_object(self):
        if not hasattr(self, "_specific_object"):
            if "type" in self.request.GET:  # the page must be of that type: filtered in SQL
                self._specific_object = super().get_object().specific
            else:
                self._specific_object = self._visible_page(self.requested_pk())
        return self._specific_object

    def _visible_page(self, pk):
        """Page ``pk`` as its specific class if the caller may see it in this site, else 404:
        what ``get_queryset().get(pk=pk).specific`` gives, in fewer round trips. The page is
        read with whether any view restriction exists (none: no restriction query follows) and
        its parent's type (the parent is then read at once as its class), and checked in
        Python by the visibility rule; its class, known from an earlier request in this process,
        saves the query for the base row."""
        scope = get_scope(self.request)
        roots = self.get_site_roots()
        if not roots:
            raise Http404("not found")
        structure = getattr(self.get_site(), "_alma_structure", None)
        page = None
        content_type_id = structure.page_classes.get(pk) if structure is not None else None
        if content_type_id is not None:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            if model is not None:
                found = run_compiled(
                    ("detail page", model),
                    model,
                    lambda pks, model=model: model._default_manager.filter(
                        any_of("pk", pks)
                    ).annotate(**_detail_annotations()),
                    [pk],
                )
                page = found[0] if found else None
                if page is not None and page.content_type_id != content_type_id:
                    page = None
        if page is None:
            page = Page.objects.filter(pk=pk).annotate(**_detail_annotations()).first()
            if page is None:
                raise Http404("not found")
            if structure is not None:
                structure.remember_page_class(pk, page.content_type_id)
            page = page.specific  # keeps the annotations
        scope.take_restriction_flags(page)
        if not (self.in_site(page) and scope.is_visible(page)):
            raise Http404("not found")
        return page

    def get_serializer_context(self):
        # Wagtail's PagesAPIViewSet adds ``base_queryset`` for its parent field, which alma-cms
        # replaces (ScopedPageParentField): built only when something reads it (~0.5 ms).
        context = wagtail_views.BaseAPIViewSet.get_serializer_context(self)
        context["base_queryset"] = SimpleLazyObject(self.get_base_queryset)
        context["view"] = self
        return context

    # --- find ---

    def find_object(self, queryset, request):
        if "html_path" in request.GET:
            return self.find_by_html_path(queryset, request.GET["html_path"])
        if "id" in request.GET:
            return super().find_object(queryset, request)
        raise ApiBadRequest("find needs html_path or id", "html_path")

    def find_by_html_path(self, queryset, html_path):
        """The page at a front-end path: ``/ru/alma/alma-2021/`` is looked up in the Russian
        tree of the site, ``/alma/alma-2021/`` (no language prefix) in the site's own root."""
        refuse_nul("html_path", html_path)
        roots = self.get_site_roots()
        site = self.get_site()
        if site is None or not roots:
            return None
        try:
            path = FrontEndPath.parse(get_scope(self.request), html_path)
        except InvalidPath as exc:
            raise ApiBadRequest(str(exc), "html_path") from None
        if path.locale is None:
            root = next((r for r in roots if r.pk == site.root_page_id), roots[0])
        else:
            root = next((r for r in roots if r.locale_id == path.locale.pk), None)
        return path.page_below(root, queryset) if root is not None else None


def _detail_annotations():
    # The same for every caller and request (the query is compiled once per process).
    return {**Visibility.restriction_flags(), **parent_content_type_annotation()}


class OrganizationsAPIViewSet(AlmaAPIViewMixin, wagtail_views.BaseAPIViewSet):
    """``/organizations/``: the Organization snippets (hosts, partners, employers), in every
    language; filter with ``locale``, ``translation_of``, ``kind``, ``country``, ``search``."""

    base_serializer_class = OrganizationSerializer
    filter_backends = [
        filters.FieldsFilter,
        filters.LocaleFilter,
        filters.SnippetTranslationOfFilter,
        filters.OrderingFilter,
        filters.SearchFilter,
    ]
    known_query_parameters = wagtail_views.BaseAPIViewSet.known_query_parameters.union(
        ["locale", "translation_of"]
    )
    meta_fields = wagtail_views.BaseAPIViewSet.meta_fields + ["locale"]
    listing_default_fields = wagtail_views.BaseAPIViewSet.listing_default_fields + [
        "locale",
        "name",
        "short_name",
        "kind",
    ]
    nested_default_fields = wagtail_views.BaseAPIViewSet.nested_default_fields + ["name"]
    name = "organizations"
    model = Organization
    representation_cache_lists = True  # an organization shows no page: any change may matter

    def get_queryset(self):
        return Organization.objects.all().order_by("id")

    def get_last_modified(self, request, response):
        # Snippets carry no modification time.
        return None

    def is_public_response(self, request, response):
        return True


class _CollectionRestrictedMixin:
    representation_cache_lists = True  # images and documents show no page

    def get_queryset(self):
        restricted = get_scope(self.request).restricted_collection_ids()
        queryset = self.model.objects.all().order_by("id")
        if restricted:
            queryset = queryset.exclude(collection__in=restricted)
        return queryset.prefetch_related("tags")

    def get_last_modified(self, request, response):
        return None

    def is_public_response(self, request, response):
        return not get_scope(request).sees_restricted_collections


class ImagesAPIViewSet(_CollectionRestrictedMixin, AlmaAPIViewMixin, WagtailImagesAPIViewSet):
    base_serializer_class = AlmaImageSerializer
    filter_backends = [filters.FieldsFilter, filters.OrderingFilter, filters.SearchFilter]


class DocumentsAPIViewSet(_CollectionRestrictedMixin, AlmaAPIViewMixin, WagtailDocumentsAPIViewSet):
    base_serializer_class = AlmaDocumentSerializer
    filter_backends = [filters.FieldsFilter, filters.OrderingFilter, filters.SearchFilter]
