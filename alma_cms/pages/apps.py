from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlmaCmsPagesConfig(AppConfig):
    """The concrete page types. Sites with their own WAGTAIL_PAGE_MODEL leave this app out
    and build their pages from ``alma_cms.pages.mixins`` instead."""

    name = "alma_cms.pages"
    label = "alma_cms_pages"
    verbose_name = _("ALMA CMS pages")
    default_auto_field = "django.db.models.BigAutoField"
