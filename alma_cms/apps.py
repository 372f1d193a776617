from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlmaCmsConfig(AppConfig):
    name = "alma_cms"
    label = "alma_cms"
    verbose_name = _("ALMA CMS")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks  # noqa: F401  (registers system checks)
        from .search.wiring import install as install_search_outbox

        install_search_outbox()
        from .translation.wiring import install as install_translation_sync  # apps loaded

        install_translation_sync()
