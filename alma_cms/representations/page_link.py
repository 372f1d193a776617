"""Links to pages: ``{id, title, url}``."""

from .base import PageKind, register_kind
from .json_schema import INTEGER_ID, URL_OR_PATH, nullable, object_schema


def page_link_representation(scope, page):
    """``{id, title, url}`` of the page the caller sees for ``page``, or None."""
    page = scope.public_localized(page)
    if page is None:
        return None
    return {"id": page.pk, "title": page.title, "url": scope.page_url(page)}


class PageLinkKind(PageKind):
    """Any page (the most general page kind: more specific kinds claim their page types)."""

    name = "page_link"
    component = "AlmaPageLink"

    def represent(self, scope, value):
        return page_link_representation(scope, value)

    def json_schema(self, generator):
        return object_schema(
            {"id": INTEGER_ID, "title": {"type": "string"}, "url": nullable(URL_OR_PATH)},
            "A live, public page, in the language of the response where a translation exists.",
        )


PAGE_LINK = register_kind(PageLinkKind())
