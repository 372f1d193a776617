"""The test site's URLs (the sandbox's) with API v3 mounted as a site mounts it (on Wagtail 8),
the guideline view for API v2, and stock Wagtail v2 at /stock/v2/ (the query-count baseline)."""

import wagtail
from django.urls import include, path

from tests.api.urls_v2 import stock_router
from tests.testapp.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    path("api/v2/guidelines/", include("alma_cms.api.guidelines")),
    path("stock/v2/", stock_router.urls),
    *site_urlpatterns,
]

if wagtail.VERSION[0] >= 8:
    from alma_cms.api.v3 import api

    urlpatterns.insert(0, path("api/v3/", api.urls))
