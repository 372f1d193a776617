"""A request's view of the content: the bottom layer of alma-cms.

- ``visibility``: who may see which page, image and document (one rule, see its docstring);
- ``locales``: the site's locales and the active one;
- ``loader``: bulk loading of referenced pages, translations, images, documents, organizations;
- ``rich_text``: stored rich text rendered for the caller;
- ``last_modified``: what a response shows, for ``Last-Modified``;
- ``absolute_urls``: the address absolute URLs start with (docs/absolute-urls.md);
- ``scope``: :class:`RequestScope`, composing them, and :func:`get_scope`, the one entry point.

This package imports no other part of alma-cms but ``conf`` (models by ``apps.get_model``).
"""

from .loader import IMAGE_RENDITION_SPEC, prefetched_rendition
from .scope import RequestScope, get_scope, scope_from_context

__all__ = [
    "IMAGE_RENDITION_SPEC",
    "prefetched_rendition",
    "RequestScope",
    "get_scope",
    "scope_from_context",
]
