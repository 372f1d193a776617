"""alma-cms on Wagtail's API v3 (Wagtail 8, django-ninja).

Serve it at ``/api/v3/`` in a site's ``urls.py``::

    from alma_cms.api.v3 import api

    urlpatterns = [path("api/v3/", api.urls), ...]

``api`` *is* Wagtail's own v3 API (``wagtail.api.v3.urls.api``), with alma-cms installed on it
(see :func:`~alma_cms.api.v3.installation.install`): the ``/alma/`` routes (one guideline, cited on
its own) and an OpenAPI document in which every alma-cms StreamField, reference and choice is
typed. Everything else Wagtail and other apps add to that API stays as it is. Sites that list
``"alma_cms.api.v3"`` in ``INSTALLED_APPS`` get the same installation at start-up and can mount
``wagtail.api.v3.urls.api`` as Wagtail documents.

Importing this package on Wagtail 7 (no API v3) raises ``ImproperlyConfigured``; nothing else in
alma-cms imports it.
"""

from importlib.util import find_spec

import wagtail
from django.core.exceptions import ImproperlyConfigured


def _check_wagtail_api_v3():
    version = ".".join(str(part) for part in wagtail.VERSION[:3])
    if wagtail.VERSION[0] < 8 or find_spec("wagtail.api.v3") is None:
        raise ImproperlyConfigured(
            f"alma_cms.api.v3 needs Wagtail 8 or later, whose API v3 is built on django-ninja; "
            f"this site runs Wagtail {version}. Serve alma-cms through API v2 instead "
            f"(see docs/api-v3.md), or upgrade Wagtail."
        )
    if find_spec("ninja") is None:
        raise ImproperlyConfigured(
            "alma_cms.api.v3 needs django-ninja, which Wagtail 8 installs with its API v3: "
            "reinstall wagtail (pip install 'wagtail>=8')."
        )


_check_wagtail_api_v3()

__all__ = ["api", "install", "router"]


def __getattr__(name):
    # Lazy: this package is imported while Django loads apps (INSTALLED_APPS), before Wagtail's
    # API v3 can be built, and the import must stay free of side effects until then.
    if name == "api":
        from .installation import installed_wagtail_api

        return installed_wagtail_api()
    if name == "install":
        from .installation import install  # lazy, as above

        return install
    if name == "router":
        from .routes import router  # lazy, as above

        return router
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
