"""``find/?html_path=`` for a multilingual site, in both API versions.

A front-end path may start with a language prefix, one of ``LANGUAGES`` (``/ru/alma/alma-2021/``):
it then names a page in that language's tree of the site, below the translation of the site's
root page; without one (``/alma/alma-2021/``), a page below the site's own root. Each version
finds the roots and answers in its own way (v2 looks up both kinds of path itself; v3 leaves the
unprefixed ones to Wagtail's ``find``); reading the path and looking the page up is this module.
"""

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit


class InvalidPath(ValueError):
    """``html_path`` is no URL or path (``urlsplit`` refuses it, e.g. ``http://[::1/``)."""


@dataclass(frozen=True)
class FrontEndPath:
    """A front-end path, read: the Locale its language prefix names (None without a prefix)
    and its components after the prefix (``("alma", "alma-2021")``)."""

    locale: object
    components: tuple

    @classmethod
    def parse(cls, scope, html_path):
        """``html_path`` (percent-encoded, query and fragment ignored) as the locales of
        ``scope`` (a :class:`~alma_cms.scope.RequestScope`) read it. Raises
        :class:`InvalidPath` for what is no URL or path."""
        try:
            path = urlsplit(html_path).path
        except ValueError as exc:
            raise InvalidPath(f"html_path: not a URL or a path ({exc})") from None
        components = [c for c in unquote(path).split("/") if c]
        locale = scope.locale_for_path_prefix(components[0]) if components else None
        if locale is not None:
            components = components[1:]
        return cls(locale, tuple(components))

    def page_below(self, root, queryset):
        """The page of ``queryset`` at this path below ``root`` (the site's root page or one of
        its translations), or None (one query)."""
        url_path = root.url_path + "".join(f"{c}/" for c in self.components)
        return queryset.filter(url_path=url_path, path__startswith=root.path).first()
