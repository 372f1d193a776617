"""Deprecated: the DRF fields moved to :mod:`alma_cms.api_fields` (removed in alma-cms 0.3).

Old names → new: ``ImageField`` → ``ImageAPIField``, ``RichTextField`` → ``RichTextAPIField``,
``OrganizationField`` → ``OrganizationAPIField``, ``SpeakerField`` → ``SpeakerAPIField``,
``PageLinkField`` → ``PageLinkAPIField``, ``CountryAPIField`` (same name); the base class
``_RepresentationField`` → ``ReferenceAPIField``.
"""

from .deprecation import moved

_NEW_NAMES = {
    "ImageField": "ImageAPIField",
    "RichTextField": "RichTextAPIField",
    "OrganizationField": "OrganizationAPIField",
    "SpeakerField": "SpeakerAPIField",
    "PageLinkField": "PageLinkAPIField",
    "CountryAPIField": "CountryAPIField",
    "_RepresentationField": "ReferenceAPIField",
}
__all__ = [name for name in _NEW_NAMES if not name.startswith("_")]
__getattr__ = moved(
    __name__, {old: f"alma_cms.api_fields.{new}" for old, new in _NEW_NAMES.items()}
)
