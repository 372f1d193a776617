"""Choices shared by blocks and page fields (one list each, so they cannot drift apart)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CountQualifier(models.TextChoices):
    """How exact a count is: "exactly 147", "about 1500", "more than 20"."""

    EXACT = "exact", _("exactly")
    ABOUT = "about", _("about")
    MORE_THAN = "more_than", _("more than")


# The help text of every field and block that takes a CountQualifier.
COUNT_QUALIFIER_HELP_TEXT = _(
    'How exact the number is: "exactly 147", "about 1500" or "more than 20".'
)
