"""Rendering stored rich text for one caller: links to pages and documents it may not see keep
their text but lose their target; page links lead to the page's translation in the active
language. Rewriters are bound to the scope, so no ambient state is involved."""

from django.utils.html import escape
from wagtail.rich_text import features
from wagtail.rich_text.rewriters import EmbedRewriter, LinkRewriter, MultiRuleRewriter

try:
    from wagtail.api.rich_text import APIRichText
except ImportError:  # Wagtail 7.4: no rich_text_format, only front-end HTML is served
    APIRichText = None


def _ids(attrs_list):
    """The numeric ``id`` of each link's attributes, or None."""
    return [
        int(raw_id) if raw_id and str(raw_id).isdigit() else None
        for raw_id in (attrs.get("id") for attrs in attrs_list)
    ]


def _links_kept(attrs_list):
    return [
        "<a " + " ".join(f'{name}="{escape(value)}"' for name, value in attrs.items()) + ">"
        for attrs in attrs_list
    ]


class RichTextRendering:
    """``expand_rich_text`` (front-end HTML) and ``render_rich_text`` (the scope's
    ``rich_text_format``), cached per scope, text and active language."""

    def __init__(self):
        self._expanded = {}
        self._rewriters = {}
        # The format alma-cms rich text is served in: None (front-end HTML) unless an API
        # endpoint was asked for one of Wagtail 8's ``rich_text_format`` values.
        self.rich_text_format = None

    # --- link rules ---------------------------------------------------------------------------

    def _visible_link_pages(self, attrs_list):
        """The visible, localized page each ``<a linktype="page">`` links to, or None."""
        ids = _ids(attrs_list)
        for page_id in ids:
            self.want_page(page_id)
        self.resolve()
        return [self.public_localized(self.page(i)) if i is not None else None for i in ids]

    def _visible_link_documents(self, attrs_list):
        return [self.document(i) if i is not None else None for i in _ids(attrs_list)]

    def _page_links(self, attrs_list):
        urls = [
            self.page_url(page) if page is not None else None
            for page in self._visible_link_pages(attrs_list)
        ]
        return [f'<a href="{escape(url)}">' if url else "<a>" for url in urls]

    def _document_links(self, attrs_list):
        return [
            f'<a href="{escape(document.url)}">' if document else "<a>"
            for document in self._visible_link_documents(attrs_list)
        ]

    def _page_links_in_database_form(self, attrs_list):
        return [
            f'<a linktype="page" id="{page.pk}">' if page is not None else "<a>"
            for page in self._visible_link_pages(attrs_list)
        ]

    def _document_links_in_database_form(self, attrs_list):
        return [
            f'<a linktype="document" id="{document.pk}">' if document else "<a>"
            for document in self._visible_link_documents(attrs_list)
        ]

    def _rewriter(self, kind):
        """``"front-end"``: Wagtail's front-end rewriter with page and document links served
        from this scope; ``"filter-db"`` / ``"filter-href"``: a rewriter that only treats page
        and document links (the rest stays as stored, for ``APIRichText`` to convert), keeping
        them in database form (for ``db_html``/``db_markdown``) or giving them their ``href``
        (for ``markdown``)."""
        if kind not in self._rewriters:
            link_types = features.get_link_types()
            if kind == "front-end":
                link_rules = {
                    name: handler.expand_db_attributes_many for name, handler in link_types.items()
                }
                link_rules.update(page=self._page_links, document=self._document_links)
                embed_rules = {
                    name: handler.expand_db_attributes_many
                    for name, handler in features.get_embed_types().items()
                }
                rewriter = MultiRuleRewriter(
                    [LinkRewriter(bulk_rules=link_rules), EmbedRewriter(bulk_rules=embed_rules)]
                )
            else:
                link_rules = dict.fromkeys(link_types, _links_kept)
                if kind == "filter-db":
                    link_rules.update(
                        page=self._page_links_in_database_form,
                        document=self._document_links_in_database_form,
                    )
                else:
                    link_rules.update(page=self._page_links, document=self._document_links)
                rewriter = LinkRewriter(bulk_rules=link_rules)
            self._rewriters[kind] = rewriter
        return self._rewriters[kind]

    # --- rendering ----------------------------------------------------------------------------

    def expand_rich_text(self, html):
        """Front-end HTML of stored rich text (a string; "" for nothing), like Wagtail's
        ``expand_db_html``; a link to a page or document the caller may not see keeps its text
        but loses its ``href``."""
        if not html:
            return ""
        if "<a" not in html and "<embed" not in html:
            # Nothing the rewriter matches (its patterns start with these): stored as served.
            return html
        key = (html, self.active_locale_id())
        if key not in self._expanded:
            self._expanded[key] = self._rewriter("front-end")(html)
        return self._expanded[key]

    def render_rich_text(self, html):
        """Stored rich text in the scope's ``rich_text_format``: front-end HTML by default (see
        ``expand_rich_text``); ``markdown``, ``db_html`` or ``db_markdown`` (Wagtail 8's
        ``APIRichText``) after links to pages and documents the caller may not see lose their
        target, and page links point at the page's translation in the active language."""
        rich_text_format = self.rich_text_format
        if rich_text_format in (None, "html"):
            return self.expand_rich_text(html)
        if not html:
            return ""
        key = (html, self.active_locale_id(), rich_text_format)
        if key not in self._expanded:
            kind = "filter-href" if rich_text_format == "markdown" else "filter-db"
            filtered = self._rewriter(kind)(html)
            self._expanded[key] = APIRichText.serialize(filtered, format=rich_text_format)
        return self._expanded[key]
