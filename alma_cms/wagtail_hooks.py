from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail.snippets.widgets import AdminSnippetChooser

from .blocks.choosers import ORGANIZATION_CHOOSER_TEXTS, set_chooser_texts
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
