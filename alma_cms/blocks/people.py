"""Blocks about people and organizations: panels, programmes, lists, featured quotations."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .base_blocks import SpeakerOrNameBlock, child_error
from .choosers import (
    AlmaRichTextBlock,
    OrganizationChooserBlock,
    QuotationChooserBlock,
    SpeakerChooserBlock,
)


class FeaturedQuotationBlock(blocks.StructBlock):
    quotation = QuotationChooserBlock(label=_("Quotation"))

    class Meta:
        template = "alma_cms/blocks/featured_quotation.html"
        label = _("Featured quotation")
        icon = "openquote"


class ParticipantBlock(SpeakerOrNameBlock):
    """A person in a panel or a programme slot: a speaker page, or a name and role."""

    speaker, name, role = SpeakerOrNameBlock.speaker_name_and_role(
        role_help_text=_("Title at the time.")
    )
    topic = blocks.CharBlock(label=_("Topic"), required=False, max_length=500)

    class Meta:
        label = _("Participant")
        icon = "user"


class OptionalParticipantBlock(ParticipantBlock):
    """A participant that may be left empty (e.g. a panel without its own moderator)."""

    def clean(self, value):
        if not any(value.get(k) for k in ("speaker", "name", "role", "topic")):
            return blocks.StructBlock.clean(self, value)
        return super().clean(value)


class DiscussionPanelBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=255)
    scope = blocks.ChoiceBlock(
        label=_("Scope"),
        choices=[
            ("international", _("International")),
            ("national", _("National")),
            ("regional", _("Regional")),
            ("other", _("Other")),
        ],
        required=False,
        help_text=_('Shown under the panel\'s title; "Other" shows nothing.'),
    )
    moderator = OptionalParticipantBlock(label=_("Moderator"), required=False)
    speakers = blocks.ListBlock(ParticipantBlock(), label=_("Speakers"), min_num=0, default=[])
    summary = AlmaRichTextBlock(label=_("Summary"), required=False)

    class Meta:
        template = "alma_cms/blocks/discussion_panel.html"
        label = _("Discussion panel")
        icon = "group"


class ProgrammeSlotBlock(blocks.StructBlock):
    start_time = blocks.TimeBlock(label=_("Starts"))
    end_time = blocks.TimeBlock(
        label=_("Ends"), required=False, help_text=_("Optional; after the start.")
    )
    title = blocks.CharBlock(label=_("Title"), max_length=255)
    description = blocks.TextBlock(label=_("Description"), required=False)
    speakers = blocks.ListBlock(ParticipantBlock(), label=_("Speakers"), min_num=0, default=[])

    def clean(self, value):
        value = super().clean(value)
        start, end = value.get("start_time"), value.get("end_time")
        if start and end and end <= start:
            raise child_error("end_time", _("The end must be after the start."))
        return value

    class Meta:
        label = _("Time slot")
        icon = "time"


class ProgrammeBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=255)
    date = blocks.DateBlock(label=_("Date"), required=False)
    slots = blocks.ListBlock(ProgrammeSlotBlock(), label=_("Time slots"), min_num=1, default=[])

    class Meta:
        template = "alma_cms/blocks/programme.html"
        label = _("Programme")
        icon = "date"


class SpeakerListBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=255)
    speakers = blocks.ListBlock(SpeakerChooserBlock(), label=_("Speakers"), min_num=1, default=[])

    def get_api_representation(self, value, context=None):
        data = super().get_api_representation(value, context)
        # Unpublished or private speakers resolve to None: drop them rather than leave holes.
        data["speakers"] = [s for s in data["speakers"] if s]
        return data

    class Meta:
        template = "alma_cms/blocks/speaker_list.html"
        label = _("Speaker list")
        icon = "user"


class OrganizationListBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=255)
    relation = blocks.ChoiceBlock(
        label=_("Relation"),
        choices=[
            ("organizers", _("Organizers")),
            ("partners", _("Partners")),
            ("sponsors", _("Sponsors")),
            ("participants", _("Participating organizations")),
        ],
        default="partners",
        help_text=_("How they took part; it is the list's heading when the title is empty."),
    )
    organizations = blocks.ListBlock(
        OrganizationChooserBlock(), label=_("Organizations"), min_num=1, default=[]
    )

    class Meta:
        template = "alma_cms/blocks/organization_list.html"
        label = _("Organization list")
        icon = "group"
