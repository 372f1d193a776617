"""How referenced objects appear in API output: one module per kind of reference, shared by every
block, DRF field, JSON-LD builder and template tag.

Every function takes the :class:`~alma_cms.scope.RequestScope` it answers for as its first
argument: pages are represented only when the scope's caller may see them (in the active
language where a visible translation exists), images and documents only when their collection
is not restricted for the caller; otherwise the reference is ``None`` so nothing private leaks
through a public page. Lookups are served from the scope's request-wide caches.

Each module also declares its kind of reference (:class:`~.base.ReferenceKind`: representation,
JSON Schema, model, bulk loading), from which the DRF fields, the OpenAPI components and the
prefetch plan are derived; see :mod:`.base`. Adding a kind is one module here (imported below)
plus its test.
"""

from ..scope import IMAGE_RENDITION_SPEC
from .base import (
    ReferenceKind,
    get_kind,
    kind_for_component,
    kind_for_model,
    register_kind,
    registered_kinds,
    unregister_kind,
)
from .country import country_representation
from .document import document_representation
from .image import image_representation
from .labels import acting_as_label
from .organization import organization_representation
from .page_link import page_link_representation
from .quotation import quotation_representation
from .rich_text import rich_text, rich_text_html
from .speaker import speaker_representation

__all__ = [
    "IMAGE_RENDITION_SPEC",
    "ReferenceKind",
    "acting_as_label",
    "country_representation",
    "document_representation",
    "get_kind",
    "image_representation",
    "kind_for_component",
    "kind_for_model",
    "organization_representation",
    "page_link_representation",
    "quotation_representation",
    "register_kind",
    "registered_kinds",
    "rich_text",
    "rich_text_html",
    "speaker_representation",
    "unregister_kind",
]
