"""DRF fields that render model relations the same way blocks do (see ``representations``).

Each field represents its value for the scope of the serializer's request
(``scope_from_context``); where the caller gives no request (Wagtail's API v3 binds these fields
without a context), for the scope the API activated.
"""

from rest_framework.fields import Field

from . import representations as rep
from .scope import scope_from_context


class _RepresentationField(Field):
    represent = None

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        # Keep None values flowing to to_representation instead of DRF's skip.
        return getattr(instance, self.source_attrs[-1], None) if self.source_attrs else instance

    def to_representation(self, value):
        if value is None:
            return None
        return type(self).represent(scope_from_context(self.context), value)


class ImageField(_RepresentationField):
    represent = staticmethod(rep.image_representation)


class OrganizationField(_RepresentationField):
    represent = staticmethod(rep.organization_representation)


class SpeakerField(_RepresentationField):
    represent = staticmethod(rep.speaker_representation)


class PageLinkField(_RepresentationField):
    represent = staticmethod(rep.page_link_representation)


class RichTextField(_RepresentationField):
    represent = staticmethod(rep.rich_text)


class CountryAPIField(_RepresentationField):
    represent = staticmethod(
        lambda scope, value: {"code": value.code, "name": str(value.name)} if value else None
    )
