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


class SearchIndexChange(models.Model):
    """One pending change to an external search index (the outbox, docs/search.md).

    Written in the transaction that changes the object (``alma_cms.search.outbox``), so a
    rolled-back change leaves no row; read and deleted in ``id`` order by the Celery task
    ``alma_cms.search.drain_outbox`` once the change has reached the search server.
    ``object_pk`` is the primary key as a string (modelsearch's document id).
    """

    class Action(models.TextChoices):
        UPSERT = "upsert", _("Add or update")
        DELETE = "delete", _("Delete")

    backend = models.CharField(_("search backend"), max_length=100)
    app_label = models.CharField(_("app label"), max_length=100)
    model_name = models.CharField(_("model name"), max_length=100)
    object_pk = models.CharField(_("object primary key"), max_length=255)
    action = models.CharField(
        _("action"),
        max_length=6,
        choices=Action.choices,
        help_text=_("Add or update the document, or delete it from the index."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("search index change")
        verbose_name_plural = _("search index changes")
        # Draining reads a backend's rows in id order (the primary key index serves the order).
        indexes = [models.Index(fields=["backend", "id"], name="alma_sic_backend_id")]

    def __str__(self):
        return f"{self.action} {self.app_label}.{self.model_name} {self.object_pk} ({self.backend})"


class TranslationSyncState(models.Model):
    """Where the sync of one translation stands: a translatable object (wagtail-localize's
    ``TranslatableObject``, the page or snippet in every locale) in one target locale.

    Written by ``alma_cms.translation.state`` (``record_synced`` / ``record_error``) after each
    sync, read by ``alma_cms.translation.status`` for the report, the editor's side panel and
    ``meta.translations[].translation_status`` of the API (docs/translation.md). ``error`` is
    empty after a successful sync.
    """

    translatable_object = models.ForeignKey(
        "wagtail_localize.TranslatableObject",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("translatable object"),
    )
    locale = models.ForeignKey(
        "wagtailcore.Locale",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("locale"),
    )
    synced_at = models.DateTimeField(
        _("synced at"),
        null=True,
        blank=True,
        help_text=_("When the translation was last updated from its source."),
    )
    error = models.TextField(
        _("sync error"),
        blank=True,
        help_text=_("Why the last sync failed; empty when it succeeded."),
    )
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("translation sync state")
        verbose_name_plural = _("translation sync states")
        constraints = [
            models.UniqueConstraint(
                fields=["translatable_object", "locale"], name="alma_tss_object_locale"
            )
        ]

    def __str__(self):
        return f"{self.translatable_object_id} → {self.locale_id}"


class TranslationReview(models.Model):
    """A string translation carried over from a source string that changed, shown on the
    translated page until a translator saves a new one (``TRANSLATION_CHANGED_STRINGS`` =
    "keep"; docs/translation.md). ``previous_source`` is the source text it translated."""

    string_translation = models.OneToOneField(
        "wagtail_localize.StringTranslation",
        on_delete=models.CASCADE,
        related_name="alma_review",
        verbose_name=_("string translation"),
    )
    previous_source = models.TextField(_("previous source text"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("translation needing review")
        verbose_name_plural = _("translations needing review")

    def __str__(self):
        return f"review of {self.string_translation_id}"


class ImportRecord(models.Model):
    """The draft page an import created from a document (``alma_import``; docs/import.md), so
    that importing the same document again finds that page instead of making another one.

    A document is known by its kind, its normalised title, the locale and the parent page.
    ``content_hash`` is the hash of what was read from the file: the same hash again means
    nothing to do. ``revision`` is the revision the import saved: a later revision of the page
    was made by someone else, and the import will not overwrite it."""

    kind = models.CharField(_("kind"), max_length=40)
    source_key = models.CharField(_("document key"), max_length=255)
    locale = models.ForeignKey(
        "wagtailcore.Locale", on_delete=models.CASCADE, related_name="+", verbose_name=_("locale")
    )
    parent = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name=_("parent")
    )
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name=_("page")
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("revision"),
    )
    content_hash = models.CharField(_("content hash"), max_length=64)
    source_name = models.CharField(_("file name"), max_length=255, blank=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        verbose_name = _("import record")
        verbose_name_plural = _("import records")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "source_key", "locale", "parent"], name="alma_import_document"
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.source_key!r} → page {self.page_id}"
