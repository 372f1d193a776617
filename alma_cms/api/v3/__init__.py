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

On a Wagtail without API v3 (7.x), importing this package does not raise: ``api.urls`` mounts
no route, ``install`` and ``router`` raise ``ImproperlyConfigured``, and the system check
``alma_cms.E008`` stops ``runserver``/``migrate``/``check`` with one clear message when the
URLconf mounts ``api.urls`` or ``INSTALLED_APPS`` lists this package (mount it only on Wagtail
8, as docs/examples/urls.py does). Nothing else in alma-cms imports it.
"""

from importlib.util import find_spec

import wagtail
from django.core.exceptions import ImproperlyConfigured


def unavailable_reason():
    """Why API v3 cannot run on this installation (one sentence), or ``None`` when it can."""
    version = ".".join(str(part) for part in wagtail.VERSION[:3])
    if wagtail.VERSION[0] < 8 or find_spec("wagtail.api.v3") is None:
        return (
            f"alma_cms.api.v3 needs Wagtail 8 or later, whose API v3 is built on django-ninja; "
            f"this site runs Wagtail {version}. Serve alma-cms through API v2 instead "
            f"(see docs/api-v3.md), or upgrade Wagtail."
        )
    if find_spec("ninja") is None:
        return (
            "alma_cms.api.v3 needs django-ninja, which Wagtail 8 installs with its API v3: "
            "reinstall wagtail (pip install 'wagtail>=8')."
        )
    return None


#: ``None``, or why API v3 cannot run here (read by the system check ``alma_cms.E008``).
UNAVAILABLE = unavailable_reason()
#: The namespace of ``api.urls`` where API v3 cannot run: how the check finds it mounted.
UNAVAILABLE_NAMESPACE = "alma_cms_api_v3_unavailable"


class UnavailableAPI:
    """What ``api`` is where API v3 cannot run: ``urls`` mounts nothing (so the URLconf loads
    and the system check can say what is wrong); anything else raises the reason."""

    def __init__(self, reason):
        self.reason = reason

    @property
    def urls(self):
        """``(patterns, app_name, namespace)`` as ``NinjaAPI.urls``, with no pattern."""
        return [], UNAVAILABLE_NAMESPACE, UNAVAILABLE_NAMESPACE

    def __getattr__(self, name):
        if name.startswith("_"):  # hasattr() and copy/pickle probes get the usual answer
            raise AttributeError(name)
        raise ImproperlyConfigured(self.reason)

    def __repr__(self):
        return "<alma_cms.api.v3.api: unavailable (see system check alma_cms.E008)>"


__all__ = [
    "UNAVAILABLE",
    "UNAVAILABLE_NAMESPACE",
    "api",
    "install",
    "router",
    "unavailable_reason",
]


def __getattr__(name):
    if UNAVAILABLE is not None and name in ("api", "install", "router"):
        if name == "api":
            return UnavailableAPI(UNAVAILABLE)
        raise ImproperlyConfigured(UNAVAILABLE)
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
