"""DRF fields for the ``api_fields`` of alma-cms models: a model relation or value rendered the
way blocks render it, by its kind of reference (see :mod:`alma_cms.representations.base`).

``ReferenceAPIField(kind="speaker")`` works for any registered kind; the classes below name the
built-in ones. Each field represents its value for the scope of the serializer's request
(``scope_from_context``); where the caller gives no request (Wagtail's API v3 binds these fields
without a context), for the scope the API activated.
"""

from rest_framework.fields import Field

from .representations import get_kind
from .scope import scope_from_context

__all__ = [
    "CountryAPIField",
    "DocumentAPIField",
    "ImageAPIField",
    "OrganizationAPIField",
    "PageLinkAPIField",
    "QuotationAPIField",
    "ReferenceAPIField",
    "RichTextAPIField",
    "SpeakerAPIField",
]


class ReferenceAPIField(Field):
    """A read-only field rendered by a kind of reference. ``kind``: its name or the kind itself
    (default: the class's ``kind_name``). The value null stays null."""

    kind_name = None

    def __init__(self, kind=None, **kwargs):
        if kind is not None:
            self.kind_name = kind
        if self.kind_name is None:
            raise TypeError(f"{type(self).__name__} needs a kind of reference")
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    @property
    def kind(self):
        """The :class:`~alma_cms.representations.ReferenceKind` this field renders (looked up
        when used, so a kind may be registered after the field is declared)."""
        return get_kind(self.kind_name)

    def get_attribute(self, instance):
        # Keep None values flowing to to_representation instead of DRF's skip.
        return getattr(instance, self.source_attrs[-1], None) if self.source_attrs else instance

    def to_representation(self, value):
        if value is None:
            return None
        return self.kind.represent(scope_from_context(self.context), value)


class ImageAPIField(ReferenceAPIField):
    kind_name = "image"


class DocumentAPIField(ReferenceAPIField):
    kind_name = "document"


class PageLinkAPIField(ReferenceAPIField):
    kind_name = "page_link"


class SpeakerAPIField(ReferenceAPIField):
    kind_name = "speaker"


class QuotationAPIField(ReferenceAPIField):
    kind_name = "quotation"


class OrganizationAPIField(ReferenceAPIField):
    kind_name = "organization"


class RichTextAPIField(ReferenceAPIField):
    kind_name = "rich_text"


class CountryAPIField(ReferenceAPIField):
    kind_name = "country"
