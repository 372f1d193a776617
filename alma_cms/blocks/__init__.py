"""The alma-cms block library. Import blocks from here; submodules are an implementation detail."""

from .awards import AwardWinnerBlock
from .choosers import (
    AlmaDocumentChooserBlock,
    AlmaImageChooserBlock,
    AlmaRichTextBlock,
    LinkedPageChooserBlock,
    OrganizationChooserBlock,
    QuotationChooserBlock,
    SpeakerChooserBlock,
)
from .content import (
    CallToActionBlock,
    DocumentDownloadBlock,
    HeadingBlock,
    ImageBlock,
    LinkBlock,
    LinkListBlock,
    ParagraphBlock,
    QuoteBlock,
    StatisticBlock,
    StatisticsBlock,
    VideoEmbedBlock,
)
from .guidelines import DirectionBlock, DirectionsStreamBlock, GuidelineBlock, number_directions
from .people import (
    DiscussionPanelBlock,
    FeaturedQuotationBlock,
    OrganizationListBlock,
    ParticipantBlock,
    ProgrammeBlock,
    ProgrammeSlotBlock,
    SpeakerListBlock,
)
from .streams import AwardWinnersStreamBlock

__all__ = [
    "AlmaDocumentChooserBlock",
    "AlmaImageChooserBlock",
    "AlmaRichTextBlock",
    "AwardWinnerBlock",
    "AwardWinnersStreamBlock",
    "CallToActionBlock",
    "DirectionBlock",
    "DirectionsStreamBlock",
    "DiscussionPanelBlock",
    "DocumentDownloadBlock",
    "FeaturedQuotationBlock",
    "GuidelineBlock",
    "HeadingBlock",
    "ImageBlock",
    "LinkBlock",
    "LinkListBlock",
    "LinkedPageChooserBlock",
    "OrganizationChooserBlock",
    "OrganizationListBlock",
    "ParagraphBlock",
    "ParticipantBlock",
    "ProgrammeBlock",
    "ProgrammeSlotBlock",
    "QuotationChooserBlock",
    "QuoteBlock",
    "SpeakerChooserBlock",
    "SpeakerListBlock",
    "StatisticBlock",
    "StatisticsBlock",
    "VideoEmbedBlock",
    "number_directions",
]
