"""URLs for the v2 API tests: alma-cms's router at /api/v2/ (mounted as a site would, in the
three lines of docs/api.md), stock Wagtail v2 at /stock/v2/ (the query-count baseline), a plain
Django view using ``alma_cms.api.caching.cache_api_response``, the documents' serve view and
the pages under language prefixes."""

from django.conf.urls.i18n import i18n_patterns
from django.http import JsonResponse
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.models import Page

from alma_cms.api import api_router
from alma_cms.api.caching import cache_api_response
from alma_cms.representations import page_link_representation
from alma_cms.scope import get_scope

stock_router = WagtailAPIRouter("stockapi")
stock_router.register_endpoint("pages", PagesAPIViewSet)


@cache_api_response
def page_link(request, pk):
    """A reference to page ``pk`` as the API shows it (or 404): the decorator for plain views."""
    page = Page.objects.filter(pk=pk).first()
    data = page_link_representation(get_scope(request), page) if page else None
    return JsonResponse(data or {"message": "not found"}, status=200 if data else 404)


urlpatterns = [
    path("api/v2/", api_router.urls),
    path("stock/v2/", stock_router.urls),
    path("page-link/<int:pk>/", page_link),
    path("documents/", include(wagtaildocs_urls)),
]
urlpatterns += i18n_patterns(path("", include(wagtail_urls)))
