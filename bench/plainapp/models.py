"""``PlainEditionPage``: a forum edition as a plain Wagtail site would model it.

The same columns as ``ForumEditionPage`` that the benchmark fills, and a body StreamField with
the same block names and the same stored data, but built from stock Wagtail blocks: the stock
API serialises a chosen speaker as its page id and rich text in Wagtail's internal format,
where alma-cms resolves every reference (``{id, name, url, photo}``) and expands the HTML.
"""

from django.db import models
from wagtail import blocks
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Page


class ParticipantBlock(blocks.StructBlock):
    speaker = blocks.PageChooserBlock(required=False)
    name = blocks.CharBlock(required=False)
    role = blocks.CharBlock(required=False)
    topic = blocks.CharBlock(required=False)


class DiscussionPanelBlock(blocks.StructBlock):
    title = blocks.CharBlock()
    scope = blocks.CharBlock(required=False)
    moderator = ParticipantBlock(required=False)
    speakers = blocks.ListBlock(ParticipantBlock())
    summary = blocks.RichTextBlock(required=False)


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock()
    level = blocks.CharBlock()
    anchor = blocks.CharBlock(required=False)


class StatisticBlock(blocks.StructBlock):
    label = blocks.CharBlock()
    value = blocks.IntegerBlock()
    qualifier = blocks.CharBlock(required=False)


class StatisticsBlock(blocks.StructBlock):
    title = blocks.CharBlock(required=False)
    items = blocks.ListBlock(StatisticBlock())


class SpeakerListBlock(blocks.StructBlock):
    title = blocks.CharBlock(required=False)
    speakers = blocks.ListBlock(blocks.PageChooserBlock())


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt = blocks.CharBlock(required=False)
    caption = blocks.CharBlock(required=False)
    credit = blocks.CharBlock(required=False)


class PlainEditionPage(Page):
    year = models.PositiveSmallIntegerField()
    edition_number = models.PositiveSmallIntegerField(null=True, blank=True)
    theme = models.CharField(max_length=500)
    start_date = models.DateField()
    format = models.CharField(max_length=20, default="in_person")
    venue = models.CharField(max_length=255, blank=True)
    city = models.CharField(max_length=100, blank=True)
    host = models.ForeignKey(
        "alma_cms.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderator = models.ForeignKey(
        "alma_cms_pages.SpeakerPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    participant_count = models.PositiveIntegerField(null=True, blank=True)
    summary = models.TextField(blank=True)
    body = StreamField(
        [
            ("paragraph", blocks.RichTextBlock()),
            ("heading", HeadingBlock()),
            ("image", ImageBlock()),
            ("discussion_panel", DiscussionPanelBlock()),
            ("statistics", StatisticsBlock()),
            ("speaker_list", SpeakerListBlock()),
        ],
        blank=True,
    )

    api_fields = [
        APIField("year"),
        APIField("edition_number"),
        APIField("theme"),
        APIField("start_date"),
        APIField("format"),
        APIField("venue"),
        APIField("city"),
        APIField("host"),
        APIField("moderator"),
        APIField("participant_count"),
        APIField("summary"),
        APIField("body"),
    ]
