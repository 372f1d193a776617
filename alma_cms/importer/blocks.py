"""What a reader makes of a file: a flat list of blocks, in document order."""

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
