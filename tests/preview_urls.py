"""The test URLconf plus the headless-preview API endpoint, for tests/test_preview.py.

``@pytest.mark.urls("tests.preview_urls")`` mounts, the way a project's ``urls.py`` does (see
docs/preview.md):

- ``/api/v2/preview/`` beside the test site's own API router (``/api/v2/``);
- alma-cms's API router at ``/alma-api/v2/`` and its preview endpoint at
  ``/alma-api/v2/preview/`` (own URL namespace, so links don't collide).
"""

from django.urls import path

from alma_cms.api import build_api_router
from alma_cms.preview_views import page_preview_view
from tests.testapp import urls as test_urls

urlpatterns = [
    path(
        "api/v2/preview/",
        page_preview_view(getattr(test_urls, "api_router", None)),
        name="alma_cms_preview",
    ),
]

# A router of its own, so its URL namespace doesn't collide with the test site's.
alma_router = build_api_router(namespace="alma_preview_tests")
urlpatterns += [
    path("alma-api/v2/preview/", page_preview_view(alma_router)),
    path("alma-api/v2/", alma_router.urls),
]

urlpatterns += test_urls.urlpatterns
