"""Web links in a document: URLs found in text, URLs wrapped over two lines joined again,
trailing punctuation dropped, duplicates dropped."""

import re

URL = re.compile(r"https?://[^\s<>\"“”«»]+")
# A line that may continue a URL the line before broke off: one "word" of URL characters
# with a character that words of prose lack.
_URL_TAIL = re.compile(r"^[\w\-./?=&%#~+:;,()]+$")
_TRAILING = ".,;:)]}>»”'\""


def clean_url(url):
    url = url.strip()
    while url and url[-1] in _TRAILING:
        # A ")" that closes a "(" inside the URL belongs to it (Wikipedia-style URLs).
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def continues_url(previous, line):
    """True when ``line`` (stripped) continues a URL that ends ``previous``."""
    words = previous.split()
    if not words or "://" not in words[-1] or not line:
        return False
    first = line.split()[0]
    if URL.match(first):
        return False
    if not _URL_TAIL.match(first) or not any(c in first for c in "./-_=?&%#"):
        return False
    return words[-1][-1] in "/-_.?=&#%" or len(line.split()) == 1


def join_lines(previous, line):
    """``previous`` and the wrapped line ``line`` as one text: a URL broken over the two
    joins without a space."""
    if continues_url(previous, line):
        return previous + line
    return f"{previous} {line}" if previous else line


def urls_in(text):
    return [clean_url(url) for url in URL.findall(text)]


def quoted_title_before(text, url):
    """The last “quoted” title before ``url`` in ``text`` (what the URL is cited for)."""
    position = text.find(url)
    before = text[:position] if position >= 0 else text
    titles = re.findall(r"[“«\"]([^”»\"]{3,255})[”»\"]", before)
    return titles[-1].strip() if titles else ""
