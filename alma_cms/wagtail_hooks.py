import functools

from django.apps import apps
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import VERSION as WAGTAIL_VERSION
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail.snippets.widgets import AdminSnippetChooser

from .blocks.choosers import ORGANIZATION_CHOOSER_TEXTS, set_chooser_texts
from .blocks.guidelines import DirectionsStreamBlock, numbers_by_id
from .conf import alma_settings
from .models import Organization


class OrganizationChooserWidget(AdminSnippetChooser):
    """The chooser of an organization field (a page's host, a position's organization), with
    the same translated button texts as the blocks' (see ``set_chooser_texts``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        set_chooser_texts(self, ORGANIZATION_CHOOSER_TEXTS)


class OrganizationChooserViewSet(SnippetChooserViewSet):
    base_widget_class = OrganizationChooserWidget

    if WAGTAIL_VERSION < (8,):

        @cached_property
        def widget_class(self):
            # Wagtail 7.4's SnippetChooserViewSet builds a plain AdminSnippetChooser here and
            # ignores base_widget_class.
            return OrganizationChooserWidget(model=self.model, icon=self.icon)


class OrganizationViewSet(SnippetViewSet):
    model = Organization
    chooser_viewset_class = OrganizationChooserViewSet
    icon = "group"
    menu_label = _("Organizations")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "short_name", "kind", "city", "country"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "city"]


register_snippet(OrganizationViewSet)


# --- Headless preview ----------------------------------------------------------------------
# With ALMA_CMS["PREVIEW_FRONTEND_URL"] set, editors who may edit a page get "Preview in
# front-end" in the page header menu (edit view, page listing) and in the page listing's "more"
# menu. It opens alma_cms.preview_views.frontend_preview in a new tab, which redirects to the
# front-end with a signed token for the page's latest revision.


@hooks.register("register_admin_urls")
def register_headless_preview_urls():
    from .preview_views import frontend_preview  # imports the API views: load only when needed

    return [
        path(
            "alma-cms/preview/<int:page_id>/",
            frontend_preview,
            name="alma_cms_frontend_preview",
        )
    ]


def headless_preview_buttons(page, user, priority):
    """The "Preview in front-end" button for ``page``, if ``user`` may use it."""
    if not alma_settings.PREVIEW_FRONTEND_URL or page.is_root():
        return
    if page.latest_revision_id is None:
        return
    if not page.permissions_for_user(user).can_edit():
        return
    yield Button(
        _("Preview in front-end"),
        reverse("alma_cms_frontend_preview", args=[page.pk]),
        icon_name="view",
        attrs={"target": "_blank", "rel": "noopener noreferrer"},
        priority=priority,
    )


@hooks.register("register_page_header_buttons")
def page_header_headless_preview_button(page, user, view_name=None, next_url=None, **kwargs):
    yield from headless_preview_buttons(page, user, priority=12)


@hooks.register("register_page_listing_more_buttons")
def page_listing_headless_preview_button(page, user, next_url=None, **kwargs):
    yield from headless_preview_buttons(page, user, priority=5)


# --- wagtail-localize: which direction and guideline a segment belongs to -------------------
# wagtail-localize's translation editor labels a segment of a StreamField by block *types*: a
# guideline's text shows under "Direction" / "Guidelines", so a translator told "fix II.3" has
# to count. The labels come from get_segment_location_info() in its edit_translation view,
# which offers no hook: it is wrapped here, once. Wagtail imports every wagtail_hooks module
# before any admin view runs (the translation editor is reached through its hooks).


def numbered_segment_location(source_instance, content_path, location):
    """``location`` (the dict wagtail-localize's editor shows a segment under: ``field`` heads
    the group of a block's segments, ``subField`` labels one) with, for a segment inside a
    directions StreamField, the direction's and guideline's numbers: the group "Direction II",
    the label "Guideline II.3" (the guideline's title) or "Guideline II.3: Text".

    ``content_path`` is the segment's path, ``<field>.<direction id>.guidelines.<guideline
    id>.<child>`` for a guideline's child. The numbers are those of ``source_instance``, the
    source page as it is now, which wagtail-localize labels against too; a segment whose
    direction or guideline it no longer has (deleted since the last sync) keeps its label, as
    does anything else."""
    field_name, *path = content_path.split(".")
    stream_block = getattr(source_instance._meta.get_field(field_name), "stream_block", None)
    if not isinstance(stream_block, DirectionsStreamBlock) or not path:
        return location
    numbers = numbers_by_id(getattr(source_instance, field_name))
    if path[0] not in numbers:
        return location
    location = {**location, "field": _("Direction %(number)s") % {"number": numbers[path[0]]}}
    if len(path) >= 4 and path[1] == "guidelines" and path[2] in numbers:
        number = numbers[path[2]]
        guideline_block = stream_block.child_blocks["direction"].child_blocks["guidelines"]
        child = guideline_block.child_block.child_blocks.get(path[3])
        if path[3] == "title" or child is None:
            location["subField"] = _("Guideline %(number)s") % {"number": number}
        else:
            location["subField"] = _("Guideline %(number)s: %(field)s") % {
                "number": number,
                "field": child.label,
            }
    return location


def _number_segment_locations():
    if not apps.is_installed("wagtail_localize"):
        return
    # Imported here: the view imports wagtail-localize's models, which exist only when the app
    # is installed (the package runs without it; checks.py says so).
    from wagtail_localize.views import edit_translation as view

    original = view.get_segment_location_info
    if getattr(original, "alma_cms_numbered", False):
        return

    @functools.wraps(original)
    def get_segment_location_info(source_instance, tab_helper, content_path, *args, **kwargs):
        location = original(source_instance, tab_helper, content_path, *args, **kwargs)
        return numbered_segment_location(source_instance, content_path, location)

    get_segment_location_info.alma_cms_numbered = True
    view.get_segment_location_info = get_segment_location_info


_number_segment_locations()


# --- Translation status (alma_cms.translation_admin; docs/translation.md) ---------------------


@hooks.register("register_admin_urls")
def register_translation_status_urls():
    if not apps.is_installed("wagtail_localize"):
        return []
    # Imported here: its report and filters read wagtail-localize's models, which exist only
    # when the app is installed (the package runs without it).
    from . import translation_admin

    report = translation_admin.TranslationStatusReportView
    return [
        path("alma-cms/translation-status/", report.as_view(), name="alma_cms_translation_status"),
        path(
            "alma-cms/translation-status/results/",
            report.as_view(results_only=True),
            name="alma_cms_translation_status_results",
        ),
        path(
            "alma-cms/translation-status/action/",
            translation_admin.translation_status_action,
            name="alma_cms_translation_status_action",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_translation_status_menu_item():
    if not apps.is_installed("wagtail_localize"):
        return None
    # Imported here: see register_translation_status_urls.
    from .translation_admin import report_menu_item

    return report_menu_item()


def _install_translation_admin():
    if not apps.is_installed("wagtail_localize"):
        return
    # Imported here: see register_translation_status_urls.
    from .translation_admin import (
        install_restart_translation,
        install_side_panel_section,
        install_submit_translation,
        install_update_translations,
    )

    install_side_panel_section()
    install_restart_translation()
    install_update_translations()
    install_submit_translation()


_install_translation_admin()


# --- Importing documents (alma_cms.import_admin; docs/import.md, "In the admin") ----------------


@hooks.register("register_admin_urls")
def register_import_urls():
    # Imported here: the views import the importer and its page models, needed only for these.
    from . import import_admin

    return [
        path("alma-cms/import/", import_admin.ImportView.as_view(), name="alma_cms_import"),
        path(
            "alma-cms/import/<str:token>/",
            import_admin.PreviewView.as_view(),
            name="alma_cms_import_preview",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    # Imported here: see register_import_urls.
    from .import_admin import menu_item

    return menu_item()
