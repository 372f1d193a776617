"""The site's search page: ``/<lang>/search/?q=...`` lists the pages of the current language
that match, most relevant first, each with its type, title (a link) and a short excerpt.

Mount it inside ``i18n_patterns`` (the language prefix chooses the language searched), before
Wagtail's page catch-all::

    from alma_cms.search_views import search_view

    urlpatterns += i18n_patterns(
        path("search/", search_view, name="alma_cms_search"),
        path("", include(wagtail_urls)),
    )

Only pages the visitor may see are listed (:mod:`alma_cms.scope.visibility`, checked in the
database at query time, whatever the search index holds), within the current Site. Bad input
(a NUL character, a query longer than :data:`alma_cms.search.query.MAX_QUERY_LENGTH`) gives the
page with a message and status 400; a page number past the end gives the last page.
"""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from .api.search import SearchParameterError, SearchUnavailable, search_listing
from .scope import get_scope
from .scope.visibility import under

TEMPLATE = "alma_cms/search/results.html"
PER_PAGE = 10
EXCERPT_WORDS = 30
# Fields read for an excerpt when a page has no search_description, in this order (the main
# text of each alma-cms page type; StreamFields give their first text).
EXCERPT_FIELDS = ("intro", "summary", "text", "theme", "biography", "body", "audience")


def site_pages(request):
    """The pages of the request's Site, in every language, that the visitor may see."""
    site = Site.find_for_request(request)
    if site is None:
        return Page.objects.none()
    roots = Page.objects.filter(translation_key=site.root_page.translation_key)
    paths = list(roots.values_list("path", flat=True))
    visible = Page.objects.filter(under(paths)).filter(get_scope(request).visible_q())
    # As ids: the search backend filters on indexed fields only (expiry is none of them).
    return Page.objects.filter(pk__in=visible.values("pk"))


def _text_of(value):
    """Plain text of a field value: a string, rich text, or the first text of a StreamField."""
    if value is None:
        return ""
    if isinstance(value, str):
        return strip_tags(value)
    source = getattr(value, "source", None)  # RichText
    if isinstance(source, str):
        return strip_tags(source)
    if hasattr(value, "raw_data"):  # StreamValue: its first block that has text
        for block in value:
            text = _text_of(block.value)
            if text.strip():
                return text
        return ""
    if isinstance(value, dict) or hasattr(value, "items"):  # StructValue
        for item in value.values():
            text = _text_of(item)
            if text.strip():
                return text
    return ""


def excerpt(page, words=EXCERPT_WORDS):
    """A short plain-text excerpt of ``page`` (specific): its search description, else the
    first text of its main fields, truncated to ``words`` words (escape it when rendering)."""
    text = page.search_description or ""
    for name in EXCERPT_FIELDS:
        if text.strip():
            break
        text = _text_of(getattr(page, name, None))
    return Truncator(" ".join(text.split())).words(words, truncate="…")


def search_view(request):
    """GET ``?q=<query>&page=<n>``: the search page of the active language."""
    query = request.GET.get("q", "")
    context = {"query": query, "results": None, "error": None, "page_obj": None}
    status = 200
    if query.strip():
        try:
            # The active language (the URL's prefix), as the API does without ``locale``.
            results = search_listing(site_pages(request), query)
            page_obj = Paginator(results, PER_PAGE).get_page(request.GET.get("page"))
            ids = [result.pk for result in page_obj]
            # One query per page type on this page of results.
            specific = {p.pk: p for p in Page.objects.filter(pk__in=ids).specific()}
            context["page_obj"] = page_obj
            context["results"] = [
                {
                    "page": page,
                    "type": page._meta.verbose_name,
                    "url": page.get_url(request),
                    "excerpt": excerpt(page),
                }
                for page in (specific[pk] for pk in ids if pk in specific)
            ]
        except SearchParameterError as exc:
            reason = str(exc).removeprefix("search: ")
            context["error"] = _("The search could not be run: %(reason)s.") % {"reason": reason}
            status = 400
        except SearchUnavailable:
            context["error"] = _("The search is unavailable for a moment; please try again.")
            status = 503
    return render(request, TEMPLATE, context, status=status)
