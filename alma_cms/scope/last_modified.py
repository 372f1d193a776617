"""What a response shows, for its ``Last-Modified``."""


class ShownPages:
    def __init__(self):
        self._shown = {}

    def mark_shown(self, page):
        """Record that the response shows ``page`` (its own fields or a reference to it)."""
        if page is not None and page.pk is not None:
            self._shown[page.pk] = getattr(page, "last_published_at", None)

    @property
    def last_modified(self):
        """The latest ``last_published_at`` (an aware datetime) of the pages the response
        shows, or None."""
        dates = [d for d in self._shown.values() if d is not None]
        return max(dates) if dates else None
