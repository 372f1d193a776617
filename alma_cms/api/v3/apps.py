from django.apps import AppConfig

from . import UNAVAILABLE


class AlmaCmsApiV3Config(AppConfig):
    """Optional: list ``"alma_cms.api.v3"`` in INSTALLED_APPS to install alma-cms on Wagtail's
    API v3 at start-up, as Wagtail's own apps add their routers, and mount Wagtail's
    ``wagtail.api.v3.urls.api`` as usual."""

    name = "alma_cms.api.v3"
    label = "alma_cms_api_v3"
    verbose_name = "alma-cms API v3"

    def ready(self):
        if UNAVAILABLE is not None:  # Wagtail 7: the system check alma_cms.E008 says so
            return
        # Here, not at import: Wagtail's API v3 is built from models, loaded only now.
        from .installation import installed_wagtail_api

        installed_wagtail_api()
