"""Markdown files: "#" headings, "-"/"*" bullets, inline ``[text](url)`` links; other lines
are read as text lines (a numbered line such as "1. ..." keeps its number in its text, for
the parser: Markdown renumbers lists, the document's numbers are what the author wrote)."""

import re

from ..blocks import HEADING, LIST_ITEM, PARAGRAPH, Block
from .text import decode

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^(\s*)[-*+]\s+(.*)$")
_LINK = re.compile(r"\[([^\]]+)\]\((\S+?)\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(\S(?:.*?\S)?)\1")


def _inline(text):
    """The plain text of a Markdown line and its links."""
    links = [(label, url) for label, url in _LINK.findall(text)]
    text = _LINK.sub(lambda m: m.group(1), text)
    text = _EMPHASIS.sub(lambda m: m.group(2), text)
    text = re.sub(r"\\(.)", r"\1", text)  # backslash escapes
    return text, links


def read(path):
    blocks = []
    gap = False
    for number, line in enumerate(decode(path.read_bytes(), path.name).splitlines(), start=1):
        if not line.strip():
            gap = True
            continue
        ref = f"line {number}"
        if match := _HEADING.match(line):
            text, links = _inline(match.group(2))
            block = Block(HEADING, text, ref, level=len(match.group(1)), links=links)
        elif match := _BULLET.match(line):
            text, links = _inline(match.group(2))
            level = len(match.group(1).expandtabs(4)) // 2
            block = Block(LIST_ITEM, text, ref, level=level, marker="-", links=links)
        else:
            text, links = _inline(line.rstrip())
            block = Block(PARAGRAPH, text, ref, links=links)
        block.gap_before = gap
        blocks.append(block)
        gap = False
    return blocks
