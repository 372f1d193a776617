"""Rich text: front-end HTML (or the ``rich_text_format`` the request asks for)."""

from .base import ReferenceKind, register_kind
from .json_schema import HTML

RICH_TEXT_DESCRIPTION = (
    "Front-end HTML (links resolved to page URLs), or the format ?rich_text_format= names."
)


def rich_text(scope, value):
    """Rich text (a ``RichText`` or a stored string) as the API serves it: front-end HTML, or
    the ``rich_text_format`` the request asked for (Wagtail 8: ``markdown``, ``db_html``,
    ``db_markdown``), links to what the caller may not see stripped either way."""
    return scope.render_rich_text(getattr(value, "source", value) or "")


def rich_text_html(scope, value):
    """Front-end HTML of a ``RichText`` or a stored rich-text string ("" for nothing)."""
    return scope.expand_rich_text(getattr(value, "source", value) or "")


class RichTextKind(ReferenceKind):
    """A value, not an object: what it refers to are the pages and documents it links to."""

    name = "rich_text"
    nullable = False

    def represent(self, scope, value):
        return rich_text(scope, value)

    def json_schema(self, generator):
        return dict(HTML, description=RICH_TEXT_DESCRIPTION)

    def want_value(self, scope, value, model, locale_id):
        scope.want_rich_text(getattr(value, "source", value), locale_id)


RICH_TEXT = register_kind(RichTextKind())
