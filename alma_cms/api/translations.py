"""``meta.translations`` of a page, as API v2 and v3 serve it."""

from wagtail.models import Page

from ..translation.status import statuses_by_key

_STATUS_CACHE = "alma_cms.api.translation_status"


def translation_items(scope, page, detail_url):
    """``[{locale, id, title, url, detail_url, live, translation_status}]``: the other
    translations of ``page`` that the caller may see (so ``live`` is always true), each recorded
    as shown (for ``Last-Modified``). ``detail_url(other)``: its URL in the API answering (v2 or
    v3). ``translation_status``: ``TranslationStatus.as_api()`` of that translation
    (docs/translation.md, "Translation status"), or None for the source itself and without
    wagtail-localize."""
    items = []
    others = scope.translations_of(page)
    table = _status_table(scope, page) if others else {}
    for other in others:
        scope.mark_shown(other)
        status = table.get((page.translation_key, other.locale_id))
        items.append(
            {
                "locale": scope.language_of(other),
                "id": other.pk,
                "title": other.title,
                "url": scope.page_url(other),
                "detail_url": detail_url(other),
                "live": other.live,
                "translation_status": status.as_api() if status is not None else None,
            }
        )
    return items


def _status_table(scope, page):
    """The statuses of every translation the scope has loaded, computed together the first time
    one is asked for (a listing costs what one page costs: ``statuses_by_key``'s 4 queries)."""
    cache = scope.computed_once(_STATUS_CACHE, lambda: {"keys": set(), "statuses": {}})
    if page.translation_key not in cache["keys"]:
        loaded = scope.loaded_translations()
        keys = [key for key in loaded if key not in cache["keys"]] or [page.translation_key]
        locale_ids = {other.locale_id for key in keys for other in loaded.get(key, ())}
        cache["statuses"].update(statuses_by_key(dict.fromkeys(keys, Page), locale_ids))
        cache["keys"].update(keys)
    return cache["statuses"]
