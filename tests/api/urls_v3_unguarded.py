"""A site URLconf that mounts API v3 without the Wagtail 8 guard of docs/examples/urls.py: on a
Wagtail without API v3 the system check alma_cms.E008 must name the problem (test_v3_guard)."""

from django.urls import path

from alma_cms.api.v3 import api
from tests.testapp.urls import urlpatterns as site_urlpatterns

urlpatterns = [path("api/v3/", api.urls), *site_urlpatterns]
