"""The demo site's own page type: its home page, which shows what the sections below it hold.

The sections are alma-cms pages (the forum index, the quotations, the documents, the award);
the home page finds them among its children and shows the newest of each, through the request's
scope (``alma_cms.scope``): the package's visibility rule and bulk loading, so that a hidden
page never shows and the page costs the same number of queries however much the site holds.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page, Site

from alma_cms.api_fields import RichTextAPIField
from alma_cms.conf import alma_settings
from alma_cms.pages.models import (
    AwardAnnouncementPage,
    AwardPage,
    ForumIndexPage,
    GuidelineDocumentIndexPage,
    QuotationIndexPage,
    QuotationPage,
)
from alma_cms.pages.prefetch import prefetch_for_html
from alma_cms.scope import get_scope

# The sections the home page shows, by page type.
SECTION_TYPES = (ForumIndexPage, QuotationIndexPage, GuidelineDocumentIndexPage, AwardPage)


class HomePage(Page):
    """The site's root page: an introduction, then the newest forum editions, quotations and
    documents, and the award with its latest announcement."""

    # How many editions, quotations and documents the home page shows (newest first).
    LATEST = 3

    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=list(alma_settings.RICH_TEXT_FEATURES),
        help_text=_("One or two paragraphs under the site's title."),
    )

    template = "alma_demo/home_page.html"
    parent_page_types = ["wagtailcore.Page"]
    page_description = _(
        "The site's home page: it shows the newest editions, quotations and documents of the "
        "sections below it, and the award."
    )
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    api_fields = [APIField("intro", serializer=RichTextAPIField())]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")

    def get_sections(self, scope):
        """``{page type: section}`` for the first child of each of ``SECTION_TYPES`` that
        anyone may see (the listings' rule: ``scope.anonymous()``), as its specific class."""
        everyone = scope.anonymous()
        sections = {}
        children = self.get_children().filter(everyone.visible_q()).type(*SECTION_TYPES)
        for child in children.specific():
            for section_type in SECTION_TYPES:
                if isinstance(child, section_type):
                    sections.setdefault(section_type, child)
        return sections

    @staticmethod
    def newest(model, parent, scope, order, count):
        """The ``count`` newest children of ``parent`` of ``model`` that anyone may see, by
        ``order`` (field names: newest first, then tree order); ``[]`` without a parent."""
        if parent is None:
            return []
        visible = model.objects.child_of(parent).filter(scope.anonymous().visible_q())
        return list(visible.order_by(*order)[:count])

    def get_context(self, request, *args, **kwargs):
        """The template's context: ``sections`` (see ``get_sections``), ``editions``,
        ``quotations``, ``documents`` (up to ``LATEST`` each, newest first) and
        ``announcement`` (the award's latest, or None); what their teasers show is loaded in
        bulk (``alma_cms.pages.prefetch``)."""
        context = super().get_context(request, *args, **kwargs)
        if self.pk is None:  # the preview of a home page not created yet: no sections
            return context
        scope = get_scope(request)
        sections = self.get_sections(scope)
        forum_index = sections.get(ForumIndexPage)
        document_index = sections.get(GuidelineDocumentIndexPage)
        editions = scope.listing_of(forum_index)[: self.LATEST] if forum_index else []
        documents = scope.listing_of(document_index)[: self.LATEST] if document_index else []
        quotations = self.newest(
            QuotationPage,
            sections.get(QuotationIndexPage),
            scope,
            ("-said_on", "path"),
            self.LATEST,
        )
        announcements = self.newest(
            AwardAnnouncementPage,
            sections.get(AwardPage),
            scope,
            ("-announced_on", "-season_year", "path"),
            1,
        )
        site = Site.find_for_request(request)  # cached on the request by Wagtail's routing
        # This page is the site's root (or its translation, which the header links): known
        # already, as its class, so the scope does not load it again.
        scope.remember(self)
        prefetch_for_html(
            scope,
            self,
            [*editions, *quotations, *documents, *announcements],
            site_root=site.root_page if site is not None else None,
        )
        context.update(
            sections=sections,
            forum_index=forum_index,
            quotation_index=sections.get(QuotationIndexPage),
            document_index=document_index,
            award=sections.get(AwardPage),
            editions=editions,
            quotations=quotations,
            documents=documents,
            announcement=announcements[0] if announcements else None,
        )
        return context
