from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import ObjectList, TabbedInterface


def tabbed_edit_handler(page_class, tabs):
    """Editor tabs: the page type's own ``(heading, panels)`` tabs, then the base page's
    Promote and Settings tabs, so custom base page models keep their own panels."""
    return TabbedInterface(
        [ObjectList(panels, heading=heading) for heading, panels in tabs]
        + [
            ObjectList(page_class.promote_panels, heading=_("Promote")),
            ObjectList(page_class.settings_panels, heading=_("Settings")),
        ]
    )
