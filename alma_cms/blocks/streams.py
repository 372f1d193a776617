"""The StreamBlocks behind the package's body fields."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .awards import AwardWinnerBlock
from .content import (
    CallToActionBlock,
    DocumentDownloadBlock,
    HeadingBlock,
    ImageBlock,
    LinkListBlock,
    ParagraphBlock,
    QuoteBlock,
    StatisticsBlock,
    VideoEmbedBlock,
)
from .people import (
    DiscussionPanelBlock,
    FeaturedQuotationBlock,
    OrganizationListBlock,
    ProgrammeBlock,
    SpeakerListBlock,
)


def common_blocks():
    return [
        ("paragraph", ParagraphBlock()),
        ("heading", HeadingBlock()),
        ("image", ImageBlock()),
        ("video", VideoEmbedBlock()),
        ("quote", QuoteBlock()),
        ("link_list", LinkListBlock()),
        ("document", DocumentDownloadBlock()),
        ("call_to_action", CallToActionBlock()),
    ]


def edition_body_blocks():
    return common_blocks() + [
        ("featured_quotation", FeaturedQuotationBlock()),
        ("discussion_panel", DiscussionPanelBlock()),
        ("programme", ProgrammeBlock()),
        ("statistics", StatisticsBlock()),
        ("speaker_list", SpeakerListBlock()),
        ("organization_list", OrganizationListBlock()),
    ]


def announcement_body_blocks():
    return common_blocks() + [
        ("featured_quotation", FeaturedQuotationBlock()),
        ("organization_list", OrganizationListBlock()),
        ("statistics", StatisticsBlock()),
    ]


def award_body_blocks():
    return common_blocks() + [("organization_list", OrganizationListBlock())]


class AwardWinnersStreamBlock(blocks.StreamBlock):
    winner = AwardWinnerBlock()

    class Meta:
        label = _("Winners")
