"""Chooser and rich-text blocks whose API output resolves the reference they hold."""

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from .. import representations as rep
from ..conf import alma_settings
from ..scope import scope_from_context


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


class AlmaImageChooserBlock(ImageChooserBlock):
    def get_api_representation(self, value, context=None):
        return rep.image_representation(scope_from_context(context), value)


class AlmaDocumentChooserBlock(DocumentChooserBlock):
    def get_api_representation(self, value, context=None):
        return rep.document_representation(scope_from_context(context), value)


class LinkedPageChooserBlock(blocks.PageChooserBlock):
    def get_api_representation(self, value, context=None):
        return rep.page_link_representation(scope_from_context(context), value)


class SpeakerChooserBlock(blocks.PageChooserBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("page_type", alma_settings.SPEAKER_PAGE_MODEL)
        super().__init__(**kwargs)

    def get_api_representation(self, value, context=None):
        return rep.speaker_representation(scope_from_context(context), value)

    class Meta:
        icon = "user"


class QuotationChooserBlock(blocks.PageChooserBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("page_type", alma_settings.QUOTATION_PAGE_MODEL)
        super().__init__(**kwargs)

    def get_api_representation(self, value, context=None):
        return rep.quotation_representation(scope_from_context(context), value)

    class Meta:
        icon = "openquote"


class OrganizationChooserBlock(SnippetChooserBlock):
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
