"""General content blocks: text, media, links, numbers."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from .choosers import (
    AlmaDocumentChooserBlock,
    AlmaImageChooserBlock,
    AlmaRichTextBlock,
    LinkedPageChooserBlock,
    SpeakerChooserBlock,
)


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


# Providers whose watch URLs map to an embeddable player URL without a network call.
_EMBED_PATTERNS = [
    (
        re.compile(r"(?:youtube\.com/watch\?(?:.*&)?v=|youtu\.be/)([\w-]{6,})"),
        "youtube",
        "https://www.youtube-nocookie.com/embed/{}",
    ),
    (re.compile(r"vimeo\.com/(\d+)"), "vimeo", "https://player.vimeo.com/video/{}"),
    (re.compile(r"rutube\.ru/video/([0-9a-f]{16,})"), "rutube", "https://rutube.ru/play/embed/{}"),
]


def video_embed_info(url):
    """``(provider, embed_url)`` for a known video URL, else ``("", "")``."""
    for pattern, provider, template in _EMBED_PATTERNS:
        match = pattern.search(url or "")
        if match:
            return provider, template.format(match.group(1))
    return "", ""


class VideoEmbedBlock(blocks.StructBlock):
    url = blocks.URLBlock(label=_("Video URL"))
    title = blocks.CharBlock(label=_("Title"), max_length=255)
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=500)

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


class QuoteBlock(blocks.StructBlock):
    """An inline quotation, by a chosen speaker or by a name and role."""

    text = blocks.TextBlock(label=_("Text"))
    speaker = SpeakerChooserBlock(label=_("Speaker"), required=False)
    name = blocks.CharBlock(
        label=_("Name"),
        required=False,
        max_length=255,
        help_text=_("For someone without a speaker page."),
    )
    role = blocks.CharBlock(
        label=_("Role"),
        required=False,
        max_length=255,
        help_text=_("Title at the time of speaking."),
    )

    def clean(self, value):
        value = super().clean(value)
        if not value.get("speaker") and not value.get("name"):
            raise StructBlockValidationError(
                block_errors={"name": ValidationError(_("Choose a speaker or enter a name."))}
            )
        return value

    class Meta:
        template = "alma_cms/blocks/quote.html"
        label = _("Quote")
        icon = "openquote"


class StatisticBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Label"), max_length=100)
    value = blocks.IntegerBlock(label=_("Number"), min_value=0)
    qualifier = blocks.ChoiceBlock(
        label=_("Qualifier"),
        choices=[
            ("exact", _("exactly")),
            ("about", _("about")),
            ("more_than", _("more than")),
        ],
        default="exact",
    )

    class Meta:
        label = _("Statistic")
        icon = "table"


class StatisticsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=255)
    items = blocks.ListBlock(StatisticBlock(), label=_("Figures"), min_num=1)

    class Meta:
        template = "alma_cms/blocks/statistics.html"
        label = _("Statistics")
        icon = "table"


class LinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=255)
    page = LinkedPageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("URL"), required=False)
    description = blocks.CharBlock(label=_("Description"), required=False, max_length=500)

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise StructBlockValidationError(
                block_errors={"url": ValidationError(_("Choose a page or enter a URL, not both."))}
            )
        return value

    class Meta:
        label = _("Link")
        icon = "link"


class LinkListBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=255)
    links = blocks.ListBlock(LinkBlock(), label=_("Links"), min_num=1)

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


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=255)
    text = AlmaRichTextBlock(label=_("Text"), required=False)
    button_label = blocks.CharBlock(label=_("Button label"), max_length=100)
    page = LinkedPageChooserBlock(label=_("Page"), required=False)
    url = blocks.URLBlock(label=_("URL"), required=False)

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise StructBlockValidationError(
                block_errors={"url": ValidationError(_("Choose a page or enter a URL, not both."))}
            )
        return value

    class Meta:
        template = "alma_cms/blocks/call_to_action.html"
        label = _("Call to action")
        icon = "pick"
