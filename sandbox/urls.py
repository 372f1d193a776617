import wagtail
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from alma_cms.api import api_router  # pages, images, documents, organizations
from alma_cms.preview_views import page_preview_view
from alma_cms.search_views import search_view

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Headless preview of drafts through signed tokens (before the router's own routes).
    path("api/v2/preview/", page_preview_view(api_router), name="alma_cms_preview"),
    # A single guideline, cited by number or stable id (before the router's own routes).
    path("api/v2/guidelines/", include("alma_cms.api.guidelines")),
    path("api/v2/", api_router.urls),
]

if wagtail.VERSION[0] >= 8:  # API v3 exists from Wagtail 8; CI also runs 7.4
    from alma_cms.api.v3 import api as api_v3

    urlpatterns.append(path("api/v3/", api_v3.urls))

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Pages last (catch-all), under a language prefix: /en/..., /ru/...
urlpatterns += i18n_patterns(
    path("", include("alma_cms.ical")),  # <page URL>calendar.ics, before the page catch-all
    path("search/", search_view, name="alma_cms_search"),  # /en/search/?q=..., /ru/search/
    path("", include(wagtail_urls)),
)
