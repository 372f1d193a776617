"""DRF fields that render model relations the same way blocks do (see blocks.representations)."""

from rest_framework.fields import Field

from .blocks import representations as rep


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
        return type(self).represent(value, self.context)


class ImageField(_RepresentationField):
    represent = staticmethod(rep.image_representation)


class OrganizationField(_RepresentationField):
    represent = staticmethod(rep.organization_representation)


class SpeakerField(_RepresentationField):
    represent = staticmethod(rep.speaker_representation)


class PageLinkField(_RepresentationField):
    represent = staticmethod(rep.page_link_representation)


class RichTextField(_RepresentationField):
    represent = staticmethod(lambda value, context: rep.rich_text(value))


class CountryAPIField(_RepresentationField):
    represent = staticmethod(
        lambda value, context: {"code": value.code, "name": str(value.name)} if value else None
    )
