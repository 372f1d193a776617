"""``meta.translations`` of a page, as API v2 and v3 serve it."""


def translation_items(scope, page, detail_url):
    """``[{locale, id, title, url, detail_url, live}]``: the other translations of ``page``
    that the caller may see (so ``live`` is always true), each recorded as shown (for
    ``Last-Modified``). ``detail_url(other)``: its URL in the API answering (v2 or v3)."""
    items = []
    for other in scope.translations_of(page):
        scope.mark_shown(other)
        items.append(
            {
                "locale": scope.language_of(other),
                "id": other.pk,
                "title": other.title,
                "url": scope.page_url(other),
                "detail_url": detail_url(other),
                "live": other.live,
            }
        )
    return items
