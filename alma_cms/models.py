"""Snippets shared by every alma-cms page type."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.models import TranslatableMixin
from wagtail.search import index

from .api_fields import CountryAPIField, ImageAPIField


class Organization(TranslatableMixin, index.Indexed, models.Model):
    class Kind(models.TextChoices):
        LIBRARY = "library", _("Library")
        ASSOCIATION = "association", _("Association")
        GOVERNMENT = "government", _("Government body")
        MEDIA = "media", _("Media")
        COMPANY = "company", _("Company")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(
        _("short name"),
        max_length=50,
        blank=True,
        help_text=_("Abbreviation, e.g. LFL, IFLA, RLA."),
    )
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=Kind.choices,
        default=Kind.OTHER,
        help_text=_("What the organization is; lists of organizations can be filtered by it."),
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = CountryField(
        _("country"), blank=True, help_text=_("The country the organization is based in.")
    )
    url = models.URLField(_("website"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("short_name")]),
        FieldPanel("kind"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("city"), FieldPanel("country")])], heading=_("Location")
        ),
        FieldPanel("url"),
        FieldPanel("logo"),
    ]

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("short_name"),
        index.AutocompleteField("short_name"),
        index.SearchField("city"),
        index.FilterField("kind"),
        index.FilterField("locale_id"),
    ]

    api_fields = [
        APIField("name"),
        APIField("short_name"),
        APIField("kind"),
        APIField("city"),
        APIField("country", serializer=CountryAPIField()),
        APIField("url"),
        APIField("logo", serializer=ImageAPIField()),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.short_name})" if self.short_name else self.name

    @property
    def display_name(self):
        return self.short_name or self.name
