"""A tiny bilingual catalogue for the demo content.

Every translatable string of the demo is written once, as ``t("English", "Русский")``: the call
records the pair and returns the English text, so the content modules read like plain English
data while the loader can look up the Russian text of any segment that wagtail-localize extracts.
"""

from html import escape


class Catalogue:
    def __init__(self):
        self._ru = {}

    def __call__(self, en, ru):
        en, ru = en.strip(), ru.strip()
        if not en or not ru:
            raise ValueError(f"empty catalogue entry: {en!r} / {ru!r}")
        known = self._ru.get(en)
        if known is not None and known != ru:
            raise ValueError(f"two Russian texts for {en!r}: {known!r} and {ru!r}")
        self._ru[en] = ru
        return en

    def ru(self, en):
        """The Russian text of ``en``; ``KeyError`` if the demo never wrote one."""
        return self._ru[en.strip()]

    def __contains__(self, en):
        return en.strip() in self._ru

    def __len__(self):
        return len(self._ru)


t = Catalogue()


def rich(*paragraphs):
    """Rich-text HTML from plain paragraphs (each one a catalogue entry)."""
    return "".join(f"<p>{escape(p, quote=False)}</p>" for p in paragraphs)
