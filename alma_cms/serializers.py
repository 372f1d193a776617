"""Deprecated: the DRF fields moved to :mod:`alma_cms.api_fields` (removed in alma-cms 0.3).

Old names → new: ``ImageField`` → ``ImageAPIField``, ``RichTextField`` → ``RichTextAPIField``,
``OrganizationField`` → ``OrganizationAPIField``, ``SpeakerField`` → ``SpeakerAPIField``,
``PageLinkField`` → ``PageLinkAPIField``, ``CountryAPIField`` (same name); the base class
``_RepresentationField`` → ``ReferenceAPIField``.
"""

import warnings

from . import api_fields as _api_fields

_MOVED = {
    "ImageField": "ImageAPIField",
    "RichTextField": "RichTextAPIField",
    "OrganizationField": "OrganizationAPIField",
    "SpeakerField": "SpeakerAPIField",
    "PageLinkField": "PageLinkAPIField",
    "CountryAPIField": "CountryAPIField",
    "_RepresentationField": "ReferenceAPIField",
}
__all__ = [name for name in _MOVED if not name.startswith("_")]


def __getattr__(name):
    if name in _MOVED:
        new_name = _MOVED[name]
        warnings.warn(
            f"alma_cms.serializers.{name} is deprecated: use alma_cms.api_fields.{new_name}; "
            "it will be removed in alma-cms 0.3.",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(_api_fields, new_name)
    raise AttributeError(f"module 'alma_cms.serializers' has no attribute {name!r}")
