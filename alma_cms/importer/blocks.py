"""What a reader makes of a file: a flat list of blocks, in document order; and the one way
both parsers (final documents, forum reports) read a block's text (:func:`normalise`)."""

import re
from dataclasses import dataclass, field

HEADING = "heading"
PARAGRAPH = "paragraph"
LIST_ITEM = "list_item"


@dataclass
class Block:
    """One heading, paragraph (a line of a text file) or list item.

    ``marker`` is numbering taken from the file's structure (a .docx list's "II.", "1.2.",
    "a)"; a Markdown bullet "-"), empty when the numbering, if any, is part of ``text``.
    ``gap_before``: blank lines came before it (text files). ``links``: ``(text, url)`` of
    the hyperlinks in it. ``whole``: the block is a whole paragraph (a .docx paragraph), not
    a line that may be wrapped text continued on the next one."""

    kind: str
    text: str
    ref: str
    level: int = 0
    marker: str = ""
    gap_before: bool = False
    links: list = field(default_factory=list)
    whole: bool = False


def normalise(text):
    """``text`` as one line: no-break spaces and runs of white space (line breaks, tabs) as
    one space, none at either end."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def with_text(blocks):
    """``(block, text)`` for each block that has text, ``text`` normalised."""
    for block in blocks:
        text = normalise(block.text)
        if text:
            yield block, text
