"""Chooser and rich-text blocks whose API output resolves the reference they hold."""

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from .. import representations as rep
from ..conf import alma_settings
from ..representations.prefetch import chosen_objects
from ..scope import scope_from_context

# The button texts of the package's choosers, in the language of each request.
SPEAKER_CHOOSER_TEXTS = {
    "choose_one_text": _("Choose a speaker"),
    "choose_another_text": _("Choose another speaker"),
}
QUOTATION_CHOOSER_TEXTS = {
    "choose_one_text": _("Choose a quotation"),
    "choose_another_text": _("Choose another quotation"),
}
ORGANIZATION_CHOOSER_TEXTS = {
    "choose_one_text": _("Choose an organization"),
    "choose_another_text": _("Choose another organization"),
    "link_to_chosen_text": _("Edit this organization"),
}


def set_chooser_texts(widget, texts):
    """Give a Wagtail chooser ``widget`` the lazy button ``texts`` (attribute name → text);
    returns the widget.

    Wagtail's chooser widgets fill the model's name into their texts when they are built
    ("Choose a page (Speaker)", "Choose organization"), in the language active then, and a
    block builds its widget once per process: the first request's language would stay for
    every later one. Lazy texts are translated each time the widget is rendered."""
    for name, text in texts.items():
        setattr(widget, name, text)
    return widget


class ChooserTextsMixin:
    """A chooser block whose widget shows ``chooser_texts`` (see :func:`set_chooser_texts`)."""

    chooser_texts = {}

    @cached_property
    def widget(self):
        return set_chooser_texts(super().widget, self.chooser_texts)


class SharedChoicesMixin:
    """A chooser block whose bulk conversion reuses the objects other chooser blocks of the
    model loaded in the same bulk conversion (see ``chosen_objects``): same values."""

    shares_chosen_objects = True

    def bulk_to_python(self, values):
        return chosen_objects(self.model_class.objects, values, super().bulk_to_python)


class AlmaRichTextBlock(blocks.RichTextBlock):
    """Rich text served to the API as front-end HTML (not Wagtail's internal link format), or in
    the ``rich_text_format`` the request asks for."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("features", list(alma_settings.RICH_TEXT_FEATURES))
        super().__init__(*args, **kwargs)

    def get_api_representation(self, value, context=None):
        return rep.rich_text(scope_from_context(context), value)

    class Meta:
        icon = "pilcrow"


class AlmaImageChooserBlock(SharedChoicesMixin, ImageChooserBlock):
    def get_api_representation(self, value, context=None):
        return rep.image_representation(scope_from_context(context), value)


class AlmaDocumentChooserBlock(SharedChoicesMixin, DocumentChooserBlock):
    def get_api_representation(self, value, context=None):
        return rep.document_representation(scope_from_context(context), value)


class LinkedPageChooserBlock(SharedChoicesMixin, blocks.PageChooserBlock):
    def get_api_representation(self, value, context=None):
        return rep.page_link_representation(scope_from_context(context), value)


class SpeakerChooserBlock(SharedChoicesMixin, ChooserTextsMixin, blocks.PageChooserBlock):
    chooser_texts = SPEAKER_CHOOSER_TEXTS

    def __init__(self, **kwargs):
        kwargs.setdefault("page_type", alma_settings.SPEAKER_PAGE_MODEL)
        super().__init__(**kwargs)

    def get_api_representation(self, value, context=None):
        return rep.speaker_representation(scope_from_context(context), value)

    class Meta:
        icon = "user"


class QuotationChooserBlock(SharedChoicesMixin, ChooserTextsMixin, blocks.PageChooserBlock):
    chooser_texts = QUOTATION_CHOOSER_TEXTS

    def __init__(self, **kwargs):
        kwargs.setdefault("page_type", alma_settings.QUOTATION_PAGE_MODEL)
        super().__init__(**kwargs)

    def get_api_representation(self, value, context=None):
        return rep.quotation_representation(scope_from_context(context), value)

    class Meta:
        icon = "openquote"


class OrganizationChooserBlock(SharedChoicesMixin, ChooserTextsMixin, SnippetChooserBlock):
    chooser_texts = ORGANIZATION_CHOOSER_TEXTS

    def __init__(self, **kwargs):
        super().__init__("alma_cms.Organization", **kwargs)

    def deconstruct(self):
        # The target model is fixed; keep migrations free of a positional argument.
        path, args, kwargs = super().deconstruct()
        return path, (), kwargs

    def get_api_representation(self, value, context=None):
        return rep.organization_representation(scope_from_context(context), value)

    class Meta:
        icon = "group"
