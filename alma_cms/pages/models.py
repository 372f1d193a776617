"""Concrete alma-cms pages on Wagtail's default ``Page`` model.

Each class is its mixin plus ``Page``, with the parent/child rules of the content tree:
forum index → editions (→ their guideline documents), speaker index → speakers, quotation index
→ quotations, guideline document index → documents, award → announcements.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.models import Orderable, Page

from . import mixins
from .panels import tabbed_edit_handler


class ForumIndexPage(mixins.ForumIndexPageMixin, Page):
    template = "alma_cms/pages/forum_index_page.html"
    subpage_types = ["alma_cms_pages.ForumEditionPage"]
    search_fields = Page.search_fields + mixins.ForumIndexPageMixin.alma_search_fields
    api_fields = mixins.ForumIndexPageMixin.alma_api_fields

    class Meta:
        verbose_name = _("forum index")
        verbose_name_plural = _("forum indexes")


class ForumEditionPage(mixins.ForumEditionPageMixin, Page):
    template = "alma_cms/pages/forum_edition_page.html"
    parent_page_types = ["alma_cms_pages.ForumIndexPage"]
    subpage_types = ["alma_cms_pages.GuidelineDocumentPage"]
    search_fields = Page.search_fields + mixins.ForumEditionPageMixin.alma_search_fields
    api_fields = mixins.ForumEditionPageMixin.alma_api_fields
    edit_handler = tabbed_edit_handler(Page, mixins.ForumEditionPageMixin.edit_tabs)

    class Meta:
        verbose_name = _("forum edition")
        verbose_name_plural = _("forum editions")


class SpeakerIndexPage(mixins.SpeakerIndexPageMixin, Page):
    template = "alma_cms/pages/speaker_index_page.html"
    subpage_types = ["alma_cms_pages.SpeakerPage"]
    search_fields = Page.search_fields + mixins.SpeakerIndexPageMixin.alma_search_fields
    api_fields = mixins.SpeakerIndexPageMixin.alma_api_fields

    class Meta:
        verbose_name = _("speaker index")
        verbose_name_plural = _("speaker indexes")


class SpeakerPage(mixins.SpeakerPageMixin, Page):
    template = "alma_cms/pages/speaker_page.html"
    parent_page_types = ["alma_cms_pages.SpeakerIndexPage"]
    subpage_types = []
    search_fields = Page.search_fields + mixins.SpeakerPageMixin.alma_search_fields
    api_fields = mixins.SpeakerPageMixin.alma_api_fields
    edit_handler = tabbed_edit_handler(Page, mixins.SpeakerPageMixin.edit_tabs)

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")


class SpeakerPosition(Orderable, mixins.SpeakerPositionMixin):
    page = ParentalKey(SpeakerPage, on_delete=models.CASCADE, related_name="positions")

    class Meta(mixins.SpeakerPositionMixin.Meta, Orderable.Meta):
        verbose_name = _("position")
        verbose_name_plural = _("positions")


class QuotationIndexPage(mixins.QuotationIndexPageMixin, Page):
    template = "alma_cms/pages/quotation_index_page.html"
    subpage_types = ["alma_cms_pages.QuotationPage"]
    search_fields = Page.search_fields + mixins.QuotationIndexPageMixin.alma_search_fields
    api_fields = mixins.QuotationIndexPageMixin.alma_api_fields

    class Meta:
        verbose_name = _("quotation index")
        verbose_name_plural = _("quotation indexes")


class QuotationPage(mixins.QuotationPageMixin, Page):
    template = "alma_cms/pages/quotation_page.html"
    parent_page_types = ["alma_cms_pages.QuotationIndexPage"]
    subpage_types = []
    search_fields = Page.search_fields + mixins.QuotationPageMixin.alma_search_fields
    api_fields = mixins.QuotationPageMixin.alma_api_fields
    edit_handler = tabbed_edit_handler(Page, mixins.QuotationPageMixin.edit_tabs)

    class Meta:
        verbose_name = _("quotation")
        verbose_name_plural = _("quotations")


class GuidelineDocumentIndexPage(mixins.GuidelineDocumentIndexPageMixin, Page):
    template = "alma_cms/pages/guideline_document_index_page.html"
    subpage_types = ["alma_cms_pages.GuidelineDocumentPage"]
    search_fields = Page.search_fields + mixins.GuidelineDocumentIndexPageMixin.alma_search_fields
    api_fields = mixins.GuidelineDocumentIndexPageMixin.alma_api_fields

    class Meta:
        verbose_name = _("guideline document index")
        verbose_name_plural = _("guideline document indexes")


class GuidelineDocumentPage(mixins.GuidelineDocumentPageMixin, Page):
    template = "alma_cms/pages/guideline_document_page.html"
    parent_page_types = [
        "alma_cms_pages.GuidelineDocumentIndexPage",
        "alma_cms_pages.ForumEditionPage",
    ]
    subpage_types = []
    search_fields = Page.search_fields + mixins.GuidelineDocumentPageMixin.alma_search_fields
    api_fields = mixins.GuidelineDocumentPageMixin.alma_api_fields
    edit_handler = tabbed_edit_handler(Page, mixins.GuidelineDocumentPageMixin.edit_tabs)

    class Meta:
        verbose_name = _("guideline document")
        verbose_name_plural = _("guideline documents")


class AwardPage(mixins.AwardPageMixin, Page):
    template = "alma_cms/pages/award_page.html"
    subpage_types = ["alma_cms_pages.AwardAnnouncementPage"]
    search_fields = Page.search_fields + mixins.AwardPageMixin.alma_search_fields
    api_fields = mixins.AwardPageMixin.alma_api_fields
    edit_handler = tabbed_edit_handler(Page, mixins.AwardPageMixin.edit_tabs)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")


class AwardAnnouncementPage(mixins.AwardAnnouncementPageMixin, Page):
    template = "alma_cms/pages/award_announcement_page.html"
    parent_page_types = ["alma_cms_pages.AwardPage"]
    subpage_types = []
    search_fields = Page.search_fields + mixins.AwardAnnouncementPageMixin.alma_search_fields
    api_fields = mixins.AwardAnnouncementPageMixin.alma_api_fields
    edit_handler = tabbed_edit_handler(Page, mixins.AwardAnnouncementPageMixin.edit_tabs)

    class Meta:
        verbose_name = _("award announcement")
        verbose_name_plural = _("award announcements")
