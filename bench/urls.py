"""URLs of the benchmark site: the APIs compared side by side, and the HTML pages (for
``html_url``/page URLs in the payloads).

- ``/api/v2/``: stock Wagtail API v2 (``PagesAPIViewSet``), serving both the alma page types and
  the bench's plain page type.
- ``/alma/api/v2/``: the alma-cms API (``alma_cms.api.api_router``), only when that module
  provides it.
- ``/alma/api/v3/``: Wagtail 8's API v3 with alma-cms installed (``alma_cms.api.v3.api``), on
  Wagtail 8 only.
- ``/floor/<type>/`` and ``/floor/<type>/<id>/``: the alma-cms API's bytes for editions,
  speakers, quotations and guideline documents, built by one raw SQL query and a JSON dump
  (bench/floor.py).
"""

import wagtail
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from bench import floor
from bench.targets import alma_api_router

stock_router = WagtailAPIRouter("stockapi")
stock_router.register_endpoint("pages", PagesAPIViewSet)
stock_router.register_endpoint("images", ImagesAPIViewSet)
stock_router.register_endpoint("documents", DocumentsAPIViewSet)

urlpatterns = [
    path("api/v2/", stock_router.urls),
    path("floor/<str:kind>/", floor.listing, name="floor_listing"),
    path("floor/<str:kind>/<int:pk>/", floor.detail, name="floor_detail"),
]

if (router := alma_api_router()) is not None:
    urlpatterns.append(path("alma/api/v2/", router.urls))

if wagtail.VERSION[0] >= 8:
    from alma_cms.api.v3 import api as api_v3

    urlpatterns.append(path("alma/api/v3/", api_v3.urls))

urlpatterns += i18n_patterns(path("", include(wagtail_urls)))
