from importlib.util import find_spec

from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class AlmaCmsConfig(AppConfig):
    name = "alma_cms"
    label = "alma_cms"
    verbose_name = _("ALMA CMS")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import checks  # noqa: F401  (registers system checks)
        from .api import representation_cache  # its receivers need the models loaded
        from .scope import site_structure  # its receivers need the page models loaded
        from .search.wiring import install as install_search_outbox
        from .translation.subtree import install as install_subtree_fix
        from .translation.wiring import install as install_translation_sync

        install_search_outbox()
        install_subtree_fix()
        install_translation_sync()
        # First: at a commit, Wagtail's site root paths must be dropped (site_structure)
        # before the representation cache's generations move on and it stores bodies again.
        site_structure.install()
        representation_cache.install()
        if find_spec("celery") is not None:  # Celery is optional (alma-cms[celery])
            from .api import representation_cache_tasks  # noqa: F401  (registers the task)
        if apps.is_installed("wagtail_localize"):  # the E001 check tells when it is missing
            from .translation import review  # noqa: F401  (connects the "needs review" receiver)
