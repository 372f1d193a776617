"""Directions and guidelines of a guideline document, with computed numbering.

Numbers are never stored: a direction's number is its position among the directions
(Roman numerals), a guideline's is "<direction>.<position>" (e.g. "II.3"). Each direction and
guideline is identified by its StreamField/ListBlock item id, which Wagtail keeps across edits
and wagtail-localize keeps across translations, so citations by id survive reordering.
"""

from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.telepath import register
from wagtail.blocks.struct_block import StructBlockAdapter

from .. import representations as rep
from ..scope import scope_from_context
from .base_blocks import child_error, require_one_of
from .choosers import AlmaRichTextBlock, OrganizationChooserBlock

_ROMAN = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
]


def to_roman(number):
    if number < 1:
        raise ValueError("Roman numerals start at 1")
    out = []
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


def from_roman(text):
    """Inverse of :func:`to_roman`; raises ValueError for anything that is not a numeral."""
    text = (text or "").strip().upper()
    for number in range(1, 400):
        if to_roman(number) == text:
            return number
    raise ValueError(f"not a Roman numeral: {text!r}")


class GuidelineBlock(blocks.StructBlock):
    title = blocks.CharBlock(
        label=_("Guideline"),
        required=False,
        max_length=500,
        help_text=_("The guideline in one line; may be empty when a role is given."),
    )
    actor = OrganizationChooserBlock(
        label=_("Actor"),
        required=False,
        help_text=_("The organization that takes the role, e.g. RLA."),
    )
    role = blocks.CharBlock(
        label=_("Role"),
        required=False,
        max_length=255,
        help_text=_('The role the actor plays, e.g. "Visionary"; needed with an actor.'),
    )
    text = AlmaRichTextBlock(label=_("Text"), required=False)

    def clean(self, value):
        value = super().clean(value)
        require_one_of(self, value, ("role", "title"), _("Enter the guideline or a role."))
        if value.get("actor") and not value.get("role"):
            raise child_error("role", _("An actor needs a role."))
        return value

    class Meta:
        label = _("Guideline")
        icon = "list-ol"
        # What the editor's numbering script looks for (DirectionBlockAdapter).
        form_classname = "alma-guideline"


class DirectionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Direction"), max_length=500)
    summary = AlmaRichTextBlock(label=_("Summary"), required=False)
    guidelines = blocks.ListBlock(GuidelineBlock(), label=_("Guidelines"), min_num=1, default=[])

    class Meta:
        template = "alma_cms/blocks/direction.html"
        label = _("Direction")
        icon = "list-ol"
        form_classname = "alma-direction"


class DirectionBlockAdapter(StructBlockAdapter):
    """The editor's form of a direction: Wagtail's StructBlock form, plus a script that shows
    each direction's and guideline's number in its block header ("Direction II",
    "Guideline II.3"), recounted from the blocks on screen whenever one is added, moved or
    deleted; nothing is stored (alma_cms/static/alma_cms/js/directions-editor.js)."""

    @property
    def media(self):
        # A plain property: the parent's is a cached_property of the same name.
        return super().media + forms.Media(js=["alma_cms/js/directions-editor.js"])


register(DirectionBlockAdapter(), DirectionBlock)


@dataclass
class NumberedGuideline:
    id: str
    number: str
    position: int
    title: str
    actor: object
    role: str
    text: object

    @property
    def heading(self):
        """The guideline's line: its title, or "<actor> acting as <role>"."""
        if self.title:
            return self.title
        actor_name = (self.actor.short_name or self.actor.name) if self.actor else ""
        return rep.acting_as_label(actor_name, self.role)


@dataclass
class NumberedDirection:
    id: str
    number: str
    position: int
    title: str
    summary: object
    guidelines: list = field(default_factory=list)


def number_directions(stream_value):
    """Numbered directions (and their guidelines) of a directions StreamField value."""
    directions = []
    for child in stream_value or []:
        if child.block_type != "direction":
            continue
        position = len(directions) + 1
        number = to_roman(position)
        direction = NumberedDirection(
            id=child.id,
            number=number,
            position=position,
            title=child.value.get("title"),
            summary=child.value.get("summary"),
        )
        for index, item in enumerate(child.value.get("guidelines").bound_blocks, start=1):
            value = item.value
            direction.guidelines.append(
                NumberedGuideline(
                    id=item.id,
                    number=f"{number}.{index}",
                    position=index,
                    title=value.get("title") or "",
                    actor=value.get("actor"),
                    role=value.get("role") or "",
                    text=value.get("text"),
                )
            )
        directions.append(direction)
    return directions


def numbers_by_id(stream_value):
    """``{id: number}`` for every direction ("II") and guideline ("II.3") of a directions
    StreamField value, by their stable ids (directions' and guidelines' ids never collide:
    they are UUIDs)."""
    numbers = {}
    for direction in number_directions(stream_value):
        numbers[direction.id] = direction.number
        numbers.update((guideline.id, guideline.number) for guideline in direction.guidelines)
    return numbers


def guideline_representation(scope, guideline):
    """A numbered guideline as the API serves it (``actor``: an organization or None)."""
    return {
        "id": guideline.id,
        "number": guideline.number,
        "position": guideline.position,
        "heading": guideline.heading,
        "title": guideline.title,
        "actor": rep.organization_representation(scope, guideline.actor),
        "role": guideline.role,
        "text": rep.rich_text(scope, guideline.text),
    }


def direction_representation(scope, direction):
    """A numbered direction with its guidelines, as the API serves it."""
    return {
        "number": direction.number,
        "position": direction.position,
        "title": direction.title,
        "summary": rep.rich_text(scope, direction.summary),
        "guidelines": [guideline_representation(scope, g) for g in direction.guidelines],
    }


class DirectionsStreamBlock(blocks.StreamBlock):
    direction = DirectionBlock()

    def get_api_representation(self, value, context=None):
        scope = scope_from_context(context)
        return [
            {"type": "direction", "id": d.id, "value": direction_representation(scope, d)}
            for d in number_directions(value)
        ]

    class Meta:
        block_counts = {}
