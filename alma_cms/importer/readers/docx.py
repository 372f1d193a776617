"""Word files (.docx), read with python-docx from the document's structure: heading styles
("Title", "Heading N"), list numbering (a paragraph's or its style's ``numPr``, numbered as
Word numbers it from the numbering definitions) and hyperlinks. Tables are not read."""

import re
import zipfile

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn

from ..blocks import HEADING, LIST_ITEM, PARAGRAPH, Block
from ..errors import DocumentError

_HEADING_STYLE = re.compile(r"^(?:heading|заголовок)\s*(\d)$", re.IGNORECASE)

_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L")]
_ROMAN += [(40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


_RUSSIAN_LETTERS = "абвгдежзиклмнопрстуфхцчшщэюя"


def _roman(number):
    out = []
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


def _format(number, fmt):
    if fmt == "upperRoman":
        return _roman(number)
    if fmt == "lowerRoman":
        return _roman(number).lower()
    if fmt == "upperLetter":
        return chr(ord("A") + (number - 1) % 26)
    if fmt == "lowerLetter":
        return chr(ord("a") + (number - 1) % 26)
    # Word's Russian lettered lists ("а)", "б)"): its alphabet skips ё, й, ъ, ы, ь.
    if fmt == "russianLower":
        return _RUSSIAN_LETTERS[(number - 1) % len(_RUSSIAN_LETTERS)]
    if fmt == "russianUpper":
        return _RUSSIAN_LETTERS[(number - 1) % len(_RUSSIAN_LETTERS)].upper()
    return str(number)


def _val(element, tag):
    child = element.find(qn(tag)) if element is not None else None
    return child.get(qn("w:val")) if child is not None else None


class _Numbering:
    """Word's list numbering: ``numId`` → its levels' format, text and start; counters per
    list (``numId``), a level's counter restarting when a higher level moves on."""

    def __init__(self, document):
        self.levels = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            root = None
        if root is None:
            return
        abstract = {}
        for node in root.findall(qn("w:abstractNum")):
            levels = {}
            for lvl in node.findall(qn("w:lvl")):
                levels[int(lvl.get(qn("w:ilvl")))] = {
                    "fmt": _val(lvl, "w:numFmt") or "decimal",
                    "text": _val(lvl, "w:lvlText") or "",
                    "start": int(_val(lvl, "w:start") or 1),
                }
            abstract[node.get(qn("w:abstractNumId"))] = levels
        for num in root.findall(qn("w:num")):
            levels = {k: dict(v) for k, v in abstract.get(_val(num, "w:abstractNumId"), {}).items()}
            for override in num.findall(qn("w:lvlOverride")):
                start = _val(override, "w:startOverride")
                level = int(override.get(qn("w:ilvl")))
                if start is not None and level in levels:
                    levels[level]["start"] = int(start)
            self.levels[num.get(qn("w:numId"))] = levels
        self.counters = {}

    def marker(self, num_id, ilvl):
        """The marker Word shows for the next item of list ``num_id`` at level ``ilvl``
        ("II.", "1.2.", "a)"; "-" for a bullet)."""
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[ilvl] = counters.get(ilvl, levels[ilvl]["start"] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        level = levels[ilvl]
        if level["fmt"] == "bullet" or level["fmt"] == "none":
            return "-"

        def number(match):
            index = int(match.group(1)) - 1
            fmt = levels.get(index, {}).get("fmt", "decimal")
            default = levels.get(index, {}).get("start", 1)
            return _format(counters.get(index, default), fmt)

        return re.sub(r"%(\d)", number, level["text"]).strip()


def _num_pr(paragraph):
    """``(numId, ilvl)`` of a list paragraph, from the paragraph or its style chain."""
    p_pr = paragraph._p.pPr
    num_pr = p_pr.numPr if p_pr is not None else None
    style = paragraph.style
    while num_pr is None and style is not None:
        s_pr = style.element.pPr
        num_pr = s_pr.numPr if s_pr is not None else None
        style = style.base_style
    if num_pr is None or num_pr.numId is None:
        return None
    ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else 0
    num_id = str(num_pr.numId.val)
    return None if num_id == "0" else (num_id, ilvl)


def read(path):
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DocumentError(
            f"{path.name} is not a Word document (.docx) that can be read "
            f"({exc.__class__.__name__}): save it again from Word as .docx."
        ) from exc
    numbering = _Numbering(document)
    blocks = []
    for number, paragraph in enumerate(document.paragraphs, start=1):
        text = paragraph.text
        if not text.strip():
            continue
        ref = f"paragraph {number}"
        links = [(link.text, link.address) for link in paragraph.hyperlinks if link.address]
        style = paragraph.style.name if paragraph.style is not None else ""
        heading = _HEADING_STYLE.match(style or "")
        if style == "Title":
            blocks.append(Block(HEADING, text, ref, level=0, links=links, whole=True))
        elif heading:
            blocks.append(
                Block(HEADING, text, ref, level=int(heading.group(1)), links=links, whole=True)
            )
        elif (num := _num_pr(paragraph)) is not None:
            marker = numbering.marker(*num)
            blocks.append(
                Block(LIST_ITEM, text, ref, level=num[1], marker=marker, links=links, whole=True)
            )
        else:
            blocks.append(Block(PARAGRAPH, text, ref, links=links, whole=True))
    return blocks
