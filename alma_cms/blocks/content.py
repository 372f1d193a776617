"""General content blocks: text, media, links, numbers."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from ..choices import COUNT_QUALIFIER_HELP_TEXT, CountQualifier
from .base_blocks import PageOrURLBlock, SpeakerOrNameBlock
from .choosers import AlmaDocumentChooserBlock, AlmaImageChooserBlock, AlmaRichTextBlock


class ParagraphBlock(AlmaRichTextBlock):
    class Meta:
        template = "alma_cms/blocks/paragraph.html"
        label = _("Paragraph")
        icon = "pilcrow"


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Text"), max_length=255)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("h2", _("Heading 2")), ("h3", _("Heading 3")), ("h4", _("Heading 4"))],
        default="h2",
        help_text=_("Heading 2 starts a section; 3 and 4 start its parts."),
    )
    anchor = blocks.RegexBlock(
        label=_("Anchor"),
        regex=r"^[a-z0-9][a-z0-9-]*$",
        required=False,
        help_text=_("Optional id for links to this heading: lower-case letters, digits, dashes."),
        error_messages={"invalid": _("Use lower-case letters, digits and dashes only.")},
    )

    class Meta:
        template = "alma_cms/blocks/heading.html"
        label = _("Heading")
        icon = "title"


class ImageBlock(blocks.StructBlock):
    image = AlmaImageChooserBlock(label=_("Image"))
    alt = blocks.CharBlock(
        label=_("Alternative text"),
        required=False,
        max_length=255,
        help_text=_("Describe the image for people who cannot see it; empty uses the image's own."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=500)
    credit = blocks.CharBlock(label=_("Credit"), required=False, max_length=255)

    def get_api_representation(self, value, context=None):
        data = super().get_api_representation(value, context)
        if data.get("image") and value.get("alt"):
            data["image"]["alt"] = value["alt"]
        return data

    class Meta:
        template = "alma_cms/blocks/image.html"
        label = _("Image")
        icon = "image"


@dataclass(frozen=True)
class VideoProvider:
    """A video host whose watch URLs map to an embeddable player URL without a network call."""

    name: str  # the ``provider`` a video block shows: "youtube"
    pattern: re.Pattern  # finds a watch URL of the host; its first group is the video's id
    player_url: str  # the player URL, with ``{}`` for the video's id

    def embed_url(self, url):
        """The player URL for ``url`` (a watch URL), or None when it is not one of this host's."""
        match = self.pattern.search(url)
        return self.player_url.format(match.group(1)) if match else None


# Tried in this order.
VIDEO_PROVIDERS = (
    VideoProvider(
        "youtube",
        re.compile(r"(?:youtube\.com/watch\?(?:.*&)?v=|youtu\.be/)([\w-]{6,})"),
        "https://www.youtube-nocookie.com/embed/{}",
    ),
    VideoProvider("vimeo", re.compile(r"vimeo\.com/(\d+)"), "https://player.vimeo.com/video/{}"),
    VideoProvider(
        "rutube", re.compile(r"rutube\.ru/video/([0-9a-f]{16,})"), "https://rutube.ru/play/embed/{}"
    ),
)


def video_embed_info(url):
    """``(provider, embed_url)`` for a known video URL, else ``("", "")``."""
    for provider in VIDEO_PROVIDERS:
        embed_url = provider.embed_url(url or "")
        if embed_url is not None:
            return provider.name, embed_url
    return "", ""


class VideoEmbedBlock(blocks.StructBlock):
    """A video from a known host (:data:`VIDEO_PROVIDERS`), played in an iframe; any other URL
    is shown as a link. Its template and API output add ``provider`` (a provider's name, or
    ``""`` for an unknown host) and ``embed_url`` (the player URL, or ``""``)."""

    url = blocks.URLBlock(label=_("Video URL"))
    title = blocks.CharBlock(label=_("Title"), max_length=255)
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=500)

    @staticmethod
    def provider_names():
        """The names ``provider`` may take besides ``""``, sorted."""
        return sorted({provider.name for provider in VIDEO_PROVIDERS})

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["provider"], context["embed_url"] = video_embed_info(value.get("url"))
        return context

    def get_api_representation(self, value, context=None):
        data = super().get_api_representation(value, context)
        data["provider"], data["embed_url"] = video_embed_info(value.get("url"))
        return data

    class Meta:
        template = "alma_cms/blocks/video.html"
        label = _("Video")
        icon = "media"


class QuoteBlock(SpeakerOrNameBlock):
    """An inline quotation, by a chosen speaker or by a name and role."""

    text = blocks.TextBlock(label=_("Text"))
    speaker, name, role = SpeakerOrNameBlock.speaker_name_and_role(
        role_help_text=_("Title at the time of speaking.")
    )

    class Meta:
        template = "alma_cms/blocks/quote.html"
        label = _("Quote")
        icon = "openquote"


class StatisticBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Label"), max_length=100)
    value = blocks.IntegerBlock(
        label=_("Number"), min_value=0, help_text=_("A whole number, 0 or more.")
    )
    qualifier = blocks.ChoiceBlock(
        label=_("Qualifier"),
        choices=CountQualifier.choices,
        default=CountQualifier.EXACT,
        help_text=COUNT_QUALIFIER_HELP_TEXT,
    )

    class Meta:
        label = _("Statistic")
        icon = "table"


class StatisticsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=255)
    items = blocks.ListBlock(StatisticBlock(), label=_("Figures"), min_num=1, default=[])

    class Meta:
        template = "alma_cms/blocks/statistics.html"
        label = _("Statistics")
        icon = "table"


class LinkBlock(PageOrURLBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=255)
    page, url = PageOrURLBlock.page_and_url()
    description = blocks.CharBlock(label=_("Description"), required=False, max_length=500)

    class Meta:
        label = _("Link")
        icon = "link"


class LinkListBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=255)
    links = blocks.ListBlock(LinkBlock(), label=_("Links"), min_num=1, default=[])

    class Meta:
        template = "alma_cms/blocks/link_list.html"
        label = _("Link list")
        icon = "list-ul"


class DocumentDownloadBlock(blocks.StructBlock):
    document = AlmaDocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(
        label=_("Title"),
        required=False,
        max_length=255,
        help_text=_("Empty uses the document's own title."),
    )
    description = blocks.TextBlock(label=_("Description"), required=False)

    class Meta:
        template = "alma_cms/blocks/document_download.html"
        label = _("Document download")
        icon = "doc-full"


class CallToActionBlock(PageOrURLBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=255)
    text = AlmaRichTextBlock(label=_("Text"), required=False)
    button_label = blocks.CharBlock(label=_("Button label"), max_length=100)
    page, url = PageOrURLBlock.page_and_url()

    class Meta:
        template = "alma_cms/blocks/call_to_action.html"
        label = _("Call to action")
        icon = "pick"
