"""Labels representations share."""

from django.utils.translation import gettext as _


def acting_as_label(actor_name, role):
    """'RLA acting as Visionary', in the active language."""
    if actor_name:
        return _("%(actor)s acting as %(role)s") % {"actor": actor_name, "role": role}
    return role
