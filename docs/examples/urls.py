# The urls.py of a `wagtail start` project with alma-cms: replaces <project>/urls.py, as it is:
#   cp docs/examples/urls.py mysite/urls.py
# Every route of Wagtail's template stays (django-admin/, admin/, documents/, search/, static
# and media files under DEBUG); alma-cms adds its APIs, and the pages and their calendar feeds
# move under a language prefix: /en/..., /ru/... ("/" redirects to the visitor's language).
import wagtail
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from search import views as search_views
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from alma_cms.api import api_router  # API v2: pages, images, documents, organizations
from alma_cms.preview_views import page_preview_view

urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", search_views.search, name="search"),
    # Headless preview of drafts, and one guideline cited on its own: before the router's routes.
    path("api/v2/preview/", page_preview_view(api_router), name="alma_cms_preview"),
    path("api/v2/guidelines/", include("alma_cms.api.guidelines")),
    path("api/v2/", api_router.urls),
]

if wagtail.VERSION >= (8,):  # API v3 is Wagtail 8's; on Wagtail 7.4, API v2 serves the same
    from alma_cms.api.v3 import api as api_v3

    urlpatterns.append(path("api/v3/", api_v3.urls))

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    # Serve static and media files from development server
    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Pages last, under a language prefix. Nothing may follow: Wagtail's catch-all would answer
# every URL, including the unprefixed ones that must redirect to /en/... .
urlpatterns += i18n_patterns(
    path("", include("alma_cms.ical")),  # <page URL>calendar.ics, before the page catch-all
    path("", include(wagtail_urls)),
)
