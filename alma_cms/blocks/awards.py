from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from .base_blocks import require_one_of
from .choosers import AlmaRichTextBlock, OrganizationChooserBlock


class AwardWinnerBlock(blocks.StructBlock):
    place = blocks.IntegerBlock(
        label=_("Place"),
        required=False,
        min_value=1,
        help_text=_("1 for first place; empty if unranked."),
    )
    category = blocks.CharBlock(label=_("Category"), required=False, max_length=255)
    recipient_name = blocks.CharBlock(
        label=_("Recipient name"),
        required=False,
        max_length=255,
        help_text=_("A person or team; may be left empty when an organization is chosen."),
    )
    recipient_organization = OrganizationChooserBlock(
        label=_("Recipient organization"),
        required=False,
        help_text=_("The organization that won; a recipient name or an organization is needed."),
    )
    project_title = blocks.CharBlock(label=_("Project title"), required=False, max_length=255)
    citation = AlmaRichTextBlock(label=_("Citation"), required=False)
    prize = blocks.CharBlock(label=_("Prize"), required=False, max_length=255)

    def clean(self, value):
        value = super().clean(value)
        require_one_of(
            self,
            value,
            ("recipient_organization", "recipient_name"),
            _("Enter a recipient name or choose a recipient organization."),
        )
        return value

    class Meta:
        template = "alma_cms/blocks/award_winner.html"
        label = _("Award winner")
        icon = "trophy"
