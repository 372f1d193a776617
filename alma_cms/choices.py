"""Choices shared by blocks and page fields (one list each, so they cannot drift apart)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CountQualifier(models.TextChoices):
    """How exact a count is: "exactly 147", "about 1500", "more than 20"."""

    EXACT = "exact", _("exactly")
    ABOUT = "about", _("about")
    MORE_THAN = "more_than", _("more than")
