"""Base blocks: children and rules that several blocks of the library share.

A base block here declares no children of its own. Its subclasses declare the shared children
where they belong among their own, by unpacking the base block's factory in the class body::

    class LinkBlock(PageOrURLBlock):
        title = blocks.CharBlock(...)
        page, url = PageOrURLBlock.page_and_url()
        description = blocks.CharBlock(...)

because the order of a StructBlock's children is part of its definition in migrations, and
children a base class declared would always come first.

Two rules every block of the library keeps, so that a block an editor has just added never
stands in the way of saving (tests/test_blocks.py walks every block of the streams):

- every ``ListBlock`` starts empty (``default=[]``): Wagtail's own default is one empty row,
  which fails its own validation and would block saving until the editor deletes it;
- a rule that asks for one of several children (:func:`require_one_of`) is a "required" rule:
  like Wagtail's ``required``, it waits for publishing and lets a draft (and autosave) through.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from .choosers import LinkedPageChooserBlock, SpeakerChooserBlock


def child_error(name, message):
    """The error a StructBlock's ``clean`` raises to show ``message`` on its child ``name``."""
    return StructBlockValidationError(block_errors={name: ValidationError(message)})


def require_one_of(block, value, names, message):
    """Raise :func:`child_error` with ``message`` on the last of ``names`` when none of these
    children of ``value`` (a StructBlock ``block``'s value) is filled, unless ``block`` is being
    cleaned for a draft (Wagtail's deferred validation: required rules wait for publishing).
    The last name is the child the editor fills in most often (a name, a URL, a title)."""
    if block.is_deferred_validation:
        return
    if not any(value.get(name) for name in names):
        raise child_error(names[-1], message)


class PageOrURLBlock(blocks.StructBlock):
    """A block that leads to a page of the site or to a URL: exactly one of its ``page`` and
    ``url`` children is filled (the error shows on ``url``)."""

    @staticmethod
    def page_and_url():
        """The ``page`` and ``url`` children, both optional, in that order."""
        return (
            LinkedPageChooserBlock(
                label=_("Page"),
                required=False,
                help_text=_("A page of this site; or enter a URL instead, not both."),
            ),
            blocks.URLBlock(
                label=_("URL"),
                required=False,
                help_text=_("An address on another site, when no page is chosen."),
            ),
        )

    def clean(self, value):
        value = super().clean(value)
        require_one_of(self, value, ("page", "url"), _("Choose a page or enter a URL, not both."))
        if value.get("page") and value.get("url"):
            raise child_error("url", _("Choose a page or enter a URL, not both."))
        return value


class SpeakerOrNameBlock(blocks.StructBlock):
    """A block that names a person: a chosen speaker page, or a name (with a role) for someone
    without one. Either ``speaker`` or ``name`` is filled (the error shows on ``name``)."""

    @staticmethod
    def speaker_name_and_role(role_help_text):
        """The ``speaker``, ``name`` and ``role`` children, all optional, in that order;
        ``role_help_text`` says when the role held (at the time of speaking, of the event)."""
        return (
            SpeakerChooserBlock(
                label=_("Speaker"),
                required=False,
                help_text=_("The person's speaker page; or enter a name instead."),
            ),
            blocks.CharBlock(
                label=_("Name"),
                required=False,
                max_length=255,
                help_text=_("For someone without a speaker page."),
            ),
            blocks.CharBlock(
                label=_("Role"),
                required=False,
                max_length=255,
                help_text=role_help_text,
            ),
        )

    def clean(self, value):
        value = super().clean(value)
        require_one_of(self, value, ("speaker", "name"), _("Choose a speaker or enter a name."))
        return value
