"""The sandbox URLs without the optional alma_cms.ical pattern (calendar feeds at calendar/)."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import LocalePrefixPattern, include, path
from wagtail import urls as wagtail_urls

from sandbox.urls import urlpatterns as sandbox_urlpatterns

urlpatterns = [
    pattern
    for pattern in sandbox_urlpatterns
    if not isinstance(getattr(pattern, "pattern", None), LocalePrefixPattern)
] + i18n_patterns(path("", include(wagtail_urls)))
