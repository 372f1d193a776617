"""alma-cms's rules on Wagtail's own API v3 page endpoints (``/pages/``, ``/pages/find/``,
``/pages/{id}/`` and the rest of Wagtail's pages router).

Installed with alma-cms (:func:`alma_cms.api.v3.installation.install`), on Wagtail's pages
router itself, so the URLs, parameters and response shapes stay Wagtail's:

- **visibility**: an anonymous caller gets the pages :mod:`alma_cms.scope` calls visible,
  as in API v2: Wagtail's own rule (live, no failed view restriction on the page or an
  ancestor) plus the expiry date, which Wagtail only applies when ``publish_scheduled`` runs.
  Callers with a bearer token keep Wagtail's rule for them (the pages they may edit);
- **one request scope** per request, so every reference a response shows (speakers,
  organizations, images, documents, page links, rich-text links) is checked against the same
  rules and loaded in bulk before serialization: a page detail costs the same number of queries
  for 5 blocks as for 50;
- **HTTP caching**: ``ETag``, ``Last-Modified`` and ``Cache-Control`` on successful reads, 304 to
  conditional requests, ``private`` for callers with a token (``Vary: Authorization``);
- ``find`` also takes the language-prefixed paths of a multilingual site
  (``html_path=/ru/forum/alma-2021/``), as in API v2;
- the detail of an alma-cms page lists its translations in ``meta.translations`` (those the
  caller may see), as in API v2.
"""

import json
from functools import wraps

from django.core.exceptions import FieldDoesNotExist
from django.http import Http404, HttpRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from ninja.errors import HttpError
from wagtail.api.v2.utils import get_full_url
from wagtail.api.v3.errors import as_validation_error
from wagtail.api.v3.routers import pages
from wagtail.api.validators import SiteFilterValidator
from wagtail.models import Page

from ...page_types import is_alma_page_model
from ...scope import get_scope
from .. import representation_cache
from ..caching import apply_http_caching
from ..find import FrontEndPath, InvalidPath
from ..nul import NUL, NULL_CHARACTERS_MESSAGE, parameter_holding_nul
from ..prefetch import prefetch_for_api_fields
from ..translations import translation_items

READ_METHODS = ("GET", "HEAD")
INSTALLED_ATTRIBUTE = "_alma_cms_installed"
DETAIL_ATTRIBUTE = "_alma_cms_v3_detail"  # on the request: the alma-cms page a detail shows


def is_anonymous(request):
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def filters_on_hidden_pages(request, model, scope):
    """True if a query parameter filters ``model`` on a foreign key to a page the caller may
    not see (``?speaker=9`` where speaker 9 is restricted). One query, only when such a
    parameter is given; a value that is no id is left to Wagtail's validation."""
    ids = set()
    for name, value in request.GET.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        related = getattr(field, "related_model", None)
        if field.many_to_one and related and issubclass(related, Page) and value.isdigit():
            ids.add(int(value))
    ids = {i for i in ids if i < 2**63}  # larger ones are no database id
    if not ids:
        return False
    visible = Page.objects.filter(pk__in=ids).filter(scope.visible_q())
    return len(visible.values_list("pk", flat=True)) < len(ids)


def visible_pages_queryset(wagtail_get_pages_queryset):
    """Wrap Wagtail's ``get_pages_queryset(request, model)`` so an anonymous caller also loses
    expired pages (``expire_at`` passed), whatever the publishing cron has done, and a filter
    on a page the caller may not see matches nothing, as for a page that does not exist."""

    @wraps(wagtail_get_pages_queryset)
    def get_pages_queryset(request: HttpRequest, model=Page):
        queryset = wagtail_get_pages_queryset(request, model)
        if not is_anonymous(request):
            return queryset
        scope = get_scope(request)
        if filters_on_hidden_pages(request, queryset.model, scope):
            return queryset.none()
        # As a subquery on ids, so that the result can still be searched: expire_at is not
        # a search filter field.
        visible = queryset.model._default_manager.filter(scope.visible_q())
        return queryset.filter(pk__in=visible.values("pk"))

    get_pages_queryset._alma_cms_wrapped = wagtail_get_pages_queryset
    return get_pages_queryset


def run_in_request_scope(run):
    """A django-ninja "view" decorator (around an operation's ``run``): the operation runs in
    its request's scope, and a successful read gets HTTP caching headers."""

    @wraps(run)
    def wrapped(request, *args, **kwargs):
        scope = get_scope(request)
        with scope.activated():
            # Anonymous reads may come from the representation cache (off by default); a
            # response that is no page detail depends on every change (``listing``).
            return representation_cache.serve(
                request,
                "v3",
                lambda: answer(request, scope, *args, **kwargs),
                listing=lambda response: getattr(request, DETAIL_ATTRIBUTE, None) is None,
                scope=scope,
            )

    def answer(request, scope, *args, **kwargs):
        response = run(request, *args, **kwargs)
        if request.method not in READ_METHODS:
            return response
        page = getattr(request, DETAIL_ATTRIBUTE, None)
        if page is not None and response.status_code == 200:
            add_translations(request, response, scope, page)
        public = is_anonymous(request) and not scope.sees_restricted_content
        response = apply_http_caching(
            request,
            response,
            last_modified=scope.last_modified if response.status_code == 200 else None,
            public=public,
        )
        # The same URL answers differently with a token.
        patch_vary_headers(response, ["Authorization"])
        return response

    return wrapped


def site_for(request, site=None):
    """The Site a ``site`` parameter (``hostname`` or ``hostname:port``) names, else the
    request's; a 400 naming ``site`` when it names none or several, as Wagtail's listing
    answers (its ``find`` lets the error through as a 500)."""
    try:
        return SiteFilterValidator(site=site, request=request).site_obj
    except ValueError as exc:
        raise HttpError(400, f"site: {exc}") from exc


def find_by_language_prefixed_path(request, html_path, site=None):
    """For ``find/?html_path=/ru/alma/alma-2021/``: the visible page at that front-end path in
    the site's tree for that language, as a redirect to its detail (the parameters other than
    ``html_path`` and ``id`` kept, as Wagtail's ``find`` does). None when the path has no
    language prefix (Wagtail's own ``find`` handles it); 404 when nothing visible is there."""
    try:
        path = FrontEndPath.parse(get_scope(request), html_path)
    except InvalidPath as exc:
        raise HttpError(400, str(exc)) from None
    if path.locale is None:
        return None
    site_obj = site_for(request, site)
    root = site_obj.root_page.get_translation_or_none(path.locale) if site_obj else None
    page = None
    if root is not None:
        page = path.page_below(root, pages.get_pages_queryset(request))
    if page is None:
        raise Http404("No page matches the given query.")
    url = reverse("wagtailapi_v3:detail_page", kwargs={"page_id": page.pk})
    query = request.GET.copy()
    query.pop("id", None)
    query.pop("html_path", None)
    return redirect(f"{url}?{query.urlencode()}")


def load_in_bulk(view_func):
    """A django-ninja "operation" decorator (around the view function, before its result is
    serialized): the pages a read returns are recorded as shown (for ``Last-Modified``) and
    everything a page's representation refers to is loaded in one pass. Also gives Wagtail's
    ``find`` the language-prefixed paths of a multilingual site (``/ru/...``)."""
    operation = getattr(view_func, "__name__", "")
    is_find, is_detail = operation == "find_page", operation == "get_page"

    @wraps(view_func)
    def wrapped(request, *args, **kwargs):
        if is_find:
            site_for(request, kwargs.get("site"))  # a bad site parameter is a 400
            if kwargs.get("html_path"):
                found = find_by_language_prefixed_path(
                    request, kwargs["html_path"], kwargs.get("site")
                )
                if found is not None:
                    return found
        result = view_func(request, *args, **kwargs)
        if request.method not in READ_METHODS:
            return result
        scope = get_scope(request)
        if isinstance(result, Page):
            scope.mark_shown(result)
            if is_detail and is_alma_page(result):
                setattr(request, DETAIL_ATTRIBUTE, result)
                # alma-cms rich text follows an explicit ?rich_text_format= (validated by
                # Wagtail) like Wagtail's own; without one it stays front-end HTML.
                scope.rich_text_format = kwargs.get("rich_text_format")
                scope.want_translations([result])  # loaded with the rest, below
            prefetch_for_api_fields(scope, [result])
            if is_anonymous(request):
                hide_hidden_relatives(scope, result)
        elif isinstance(result, dict) and isinstance(result.get("items"), list):
            for item in result["items"]:  # a listing page: base fields only
                if isinstance(item, Page):
                    scope.mark_shown(item)
        return result

    return wrapped


def is_alma_page(page):
    return is_alma_page_model(type(page))


def add_translations(request, response, scope, page):
    """Add ``meta.translations`` to the JSON body of a page detail (Wagtail's detail schema
    has no place for it; alma-cms documents it in the meta schema of its page types)."""
    if not response.get("Content-Type", "").startswith("application/json"):
        return
    data = json.loads(response.content)
    if not isinstance(data.get("meta"), dict):
        return

    def detail_url(other):
        path = reverse("wagtailapi_v3:detail_page", kwargs={"page_id": other.pk})
        return get_full_url(request, path)

    data["meta"]["translations"] = translation_items(scope, page, detail_url)
    response.content = json.dumps(data)


def hide_hidden_relatives(scope, page):
    """Wagtail's detail ``meta`` shows the page's parent and the page it is an alias of, by
    title: neither may name a page the caller may not see (a live announcement under an award
    that is a draft, expired or restricted; an alias of a draft), nor the tree's root, which no
    API serves (its ``detail_url`` would answer 404; v2 shows no parent there either)."""
    parent = page.get_parent()  # cached by the bulk load when a field needed it
    if parent is not None and parent.depth > 1:
        # Shown or hidden, the parent's publishing changes meta.parent (cached responses).
        scope.mark_depends_on(parent.pk)
    if parent is not None and (parent.depth <= 1 or not scope.is_visible(parent)):
        page._cached_parent_obj = None  # what treebeard's get_parent() returns from now on
    elif parent is not None:
        scope.mark_shown(parent)
    if page.alias_of_id is not None:
        scope.mark_depends_on(page.alias_of_id)
        alias_field = type(page)._meta.get_field("alias_of")
        target = page.alias_of
        if target is not None and not scope.is_visible(target):
            alias_field.set_cached_value(page, None)
        elif target is not None:
            scope.mark_shown(target)


def reject_null_characters(view_func):
    """A django-ninja "operation" decorator for the whole API: a query parameter holding a NUL
    character is refused with a validation error naming it (422, as Wagtail's API v3 reports
    bad parameters), before any view passes it to a database or search backend that would
    fail on it with a 500."""

    @wraps(view_func)
    def wrapped(request, *args, **kwargs):
        name = parameter_holding_nul(request.GET)
        if name is not None:
            error = ValueError(NULL_CHARACTERS_MESSAGE)
            raise as_validation_error(error, str(error), loc=("query", name.strip(NUL)))
        return view_func(request, *args, **kwargs)

    return wrapped


def install_on_pages_router():
    """Apply the rules above to Wagtail's API v3 pages router (idempotent). Every API that
    mounts that router afterwards gets them."""
    router = pages.router
    if getattr(router, INSTALLED_ATTRIBUTE, False):
        return
    if not getattr(pages.get_pages_queryset, "_alma_cms_wrapped", None):
        pages.get_pages_queryset = visible_pages_queryset(pages.get_pages_queryset)
    router.add_decorator(run_in_request_scope, mode="view")
    router.add_decorator(load_in_bulk, mode="operation")
    setattr(router, INSTALLED_ATTRIBUTE, True)
