"""What a response shows, for its ``Last-Modified``."""


class ShownPages:
    def __init__(self):
        self._shown = {}
        self._expiring = {}
        self._depended = set()

    def mark_shown(self, page):
        """Record that the response shows ``page`` (its own fields or a reference to it)."""
        if page is not None and page.pk is not None:
            self._shown[page.pk] = getattr(page, "last_published_at", None)
            expire_at = getattr(page, "expire_at", None)
            if expire_at is not None:
                self._expiring[page.pk] = expire_at

    def mark_depends_on(self, page_id):
        """Record that the response depends on page ``page_id`` without showing it: a parent or
        alias target hidden from the caller is null in ``meta``, until it is published again
        (the representation cache then refreshes the response; no ``Last-Modified``)."""
        if page_id is not None:
            self._depended.add(page_id)

    @property
    def depended_page_ids(self):
        """Ids of the pages the response depends on without showing them (a frozenset)."""
        return frozenset(self._depended)

    @property
    def shown_page_ids(self):
        """Ids of the pages the response shows (a frozenset)."""
        return frozenset(self._shown)

    @property
    def first_expiry(self):
        """The earliest ``expire_at`` (an aware datetime) of the pages shown, or None: no
        signal tells when a page expires, so a cache keeps the response no longer."""
        return min(self._expiring.values()) if self._expiring else None

    @property
    def last_modified(self):
        """The latest ``last_published_at`` (an aware datetime) of the pages the response
        shows, or None."""
        dates = [d for d in self._shown.values() if d is not None]
        return max(dates) if dates else None
