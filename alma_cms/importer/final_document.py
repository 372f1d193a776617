"""The final-document parser: blocks → :class:`FinalDocument`.

A final document (resolution, declaration, recommendations, guidelines, final document) is:
a header (title, theme, date and place), an introduction, directions holding numbered
guidelines, a conclusion and web links. Directions are recognised in these layouts:

- Roman numerals with Arabic or lettered items ("II." … "1.", "a)");
- decimal outlines ("2." … "2.1");
- "Section N:" (or "Direction", "Part", "Раздел", "Направление") headings with numbered,
  lettered or bulleted items;
- headings (Markdown "#", Word heading styles) with numbered or bulleted items;
- Arabic numbers with lettered items ("1." … "a)").

Guidelines must be numbered in order (1, 2, 3 or a, b, c from each direction, "2.1" under
"2."); a guideline's wrapped lines (starting in lower case) are joined to its title, the
lines after it that start a sentence are its paragraph. "X acting as Y" is a role.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from ..blocks.guidelines import to_roman
from . import numbering as nb
from .blocks import HEADING, LIST_ITEM, normalise, with_text
from .errors import DocumentError
from .links import clean_url, join_lines, quoted_title_before, urls_in
from .russian import role_nominative

FINAL_DOCUMENT = "final_document"
RESOLUTION = "resolution"
DECLARATION = "declaration"
RECOMMENDATIONS = "recommendations"
GUIDELINES = "guidelines"

# Title words → document type (the GuidelineDocumentPage's choices); first match wins.
_TYPES = [
    (r"final\s+document|итоговый\s+документ|outcome\s+document", FINAL_DOCUMENT),
    (r"resolution|резолюци", RESOLUTION),
    (r"declaration|декларац", DECLARATION),
    (r"recommendations|рекомендаци", RECOMMENDATIONS),
    (r"guidelines|руководящие\s+принципы|методические\s+указания", GUIDELINES),
]

_SECTIONS = {
    "intro": {"introduction", "preamble", "введение", "преамбула", "вступление"},
    "conclusion": {
        "conclusion",
        "conclusions",
        "closing provisions",
        "final provisions",
        "closing remarks",
        "заключение",
        "заключительные положения",
    },
    "links": {
        "links",
        "web-links",
        "web links",
        "weblinks",
        "useful links",
        "references",
        "ссылки",
        "веб-ссылки",
        "полезные ссылки",
    },
}

_THEME = re.compile(r"^(?:theme|тема)\s*[:：]\s*(.*)$", re.IGNORECASE)

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan", "января", "январь"),
            ("february", "feb", "февраля", "февраль"),
            ("march", "mar", "марта", "март"),
            ("april", "apr", "апреля", "апрель"),
            ("may", "мая", "май"),
            ("june", "jun", "июня", "июнь"),
            ("july", "jul", "июля", "июль"),
            ("august", "aug", "августа", "август"),
            ("september", "sep", "sept", "сентября", "сентябрь"),
            ("october", "oct", "октября", "октябрь"),
            ("november", "nov", "ноября", "ноябрь"),
            ("december", "dec", "декабря", "декабрь"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATES = [
    (re.compile(rf"\b(\d{{1,2}})\s+{_MONTH}\s+(\d{{4}})(?:\s*(?:г\.|года))?", re.I), "dmy"),
    (re.compile(rf"\b{_MONTH}\s+(\d{{1,2}}),?\s+(\d{{4}})", re.I), "mdy"),
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), "iso"),
    (re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b"), "dotted"),
]

_ROLE = re.compile(r"^(?P<actor>.+?)\s+(?:acting as|(?P<ru>в роли))\s+(?P<role>.+)$", re.IGNORECASE)
_ACTOR_SHORT = re.compile(r"^(?P<name>.+?)\s*\((?P<short>[^()]{1,50})\)$")
_TERMINAL = tuple('.!?:;…)»”"')


@dataclass
class Role:
    actor: str  # as written: "Russian Library Association (RLA)"
    name: str  # "Russian Library Association"
    short_name: str  # "RLA"
    role: str  # "Visionary"


@dataclass
class Guideline:
    label: str  # the number as written: "3", "1.2", "b"
    title: str
    ref: str
    paragraphs: list = field(default_factory=list)
    role: Role | None = None
    links: list = field(default_factory=list)  # (text, url) hyperlinks of the source


@dataclass
class Direction:
    label: str
    title: str
    ref: str
    summary: list = field(default_factory=list)
    guidelines: list = field(default_factory=list)


@dataclass
class Link:
    title: str
    url: str
    description: str = ""


@dataclass
class FinalDocument:
    title: str
    document_type: str
    layout: str  # how the directions were numbered, for the plan
    forum: str = ""
    theme: str = ""
    adopted_on: date | None = None
    place: str = ""
    introduction: list = field(default_factory=list)
    directions: list = field(default_factory=list)
    conclusion: list = field(default_factory=list)
    links: list = field(default_factory=list)
    nature: str = "recommendatory"
    status: str = "draft"
    approved_by: str = ""
    finalized_by: str = ""
    audience: str = ""
    notes: list = field(default_factory=list)  # what was read but has no place, for the plan


# --- lines ----------------------------------------------------------------------------------


@dataclass
class _Line:
    text: str
    ref: str
    gap: bool
    whole: bool
    heading: int | None
    marker: nb.Marker | None
    links: list


def _lines(blocks):
    lines = []
    for block, text in with_text(blocks):
        if block.marker:
            # Numbering from the file's structure (.docx lists, Markdown bullets).
            marker = nb.parse_marker(f"{block.marker} {text}") if block.marker != "-" else None
            if marker is None:
                marker = nb.Marker(nb.BULLET, (), "-", text)
        else:
            marker = nb.parse_marker(text)
        heading = block.level if block.kind == HEADING else None
        if block.kind == LIST_ITEM and marker is None:
            marker = nb.Marker(nb.BULLET, (), "-", text)
        lines.append(
            _Line(text, block.ref, block.gap_before, block.whole, heading, marker, block.links)
        )
    return lines


def _section_name(line):
    key = normalise(line.text.strip("#*_ ").rstrip(":.").lower())
    for name, words in _SECTIONS.items():
        if key in words:
            return name
    return None


def _document_type(text):
    for pattern, kind in _TYPES:
        if re.search(pattern, text, re.IGNORECASE):
            return kind
    return None


def find_date(text):
    """``(date, rest of the text)`` of the first date in ``text``, or ``(None, text)``."""
    for pattern, order in _DATES:
        match = pattern.search(text)
        if not match:
            continue
        groups = match.groups()
        try:
            if order == "dmy":
                value = date(int(groups[2]), _MONTHS[groups[1].lower()], int(groups[0]))
            elif order == "mdy":
                value = date(int(groups[2]), _MONTHS[groups[0].lower()], int(groups[1]))
            elif order == "iso":
                value = date(int(groups[0]), int(groups[1]), int(groups[2]))
            else:
                value = date(int(groups[2]), int(groups[1]), int(groups[0]))
        except ValueError:
            continue
        rest = (text[: match.start()] + " " + text[match.end() :]).strip(" ,;–—-")
        return value, normalise(rest)
    return None, text


# --- the layout -----------------------------------------------------------------------------


@dataclass
class _Layout:
    name: str
    direction_styles: tuple  # marker styles of a direction line ("heading": a heading)


def _choose_layout(lines):
    """Which lines are directions: decided from the markers of the whole body."""
    styles = {line.marker.style for line in lines if line.marker}
    if nb.SECTION in styles:
        return _Layout('"Section N" headings', (nb.SECTION,))
    if nb.ROMAN in styles and (styles & {nb.ARABIC, nb.LETTER, nb.DECIMAL, nb.BULLET}):
        return _Layout("Roman-numbered directions", (nb.ROMAN,))
    if nb.DECIMAL in styles and nb.ARABIC in styles:
        return _Layout('decimal outline ("1." and "1.1")', (nb.ARABIC,))
    headings = [
        line for line in lines[1:] if line.heading is not None and _section_name(line) is None
    ]
    if headings and styles & {nb.ARABIC, nb.LETTER, nb.BULLET, nb.DECIMAL}:
        return _Layout("headings with numbered items", ("heading",))
    if nb.ARABIC in styles and nb.LETTER in styles:
        return _Layout("numbered directions with lettered items", (nb.ARABIC,))
    return None


def _is_direction(line, layout):
    if "heading" in layout.direction_styles:
        return line.heading is not None and _section_name(line) is None
    return line.marker is not None and line.marker.style in layout.direction_styles


# --- paragraphs -----------------------------------------------------------------------------


def _add_text(paragraphs, line, *, force_new=False):
    """Add a line to a list of paragraphs: a new paragraph after a blank line that follows a
    finished sentence (or for a whole .docx paragraph), else the same paragraph continued."""
    starts_sentence = line.text[:1].isupper() or line.text[:1].isdigit() or line.text[:1] in '«“"'
    new = (
        force_new
        or not paragraphs
        or line.whole
        or (line.gap and paragraphs[-1].rstrip().endswith(_TERMINAL) and starts_sentence)
    )
    if new:
        paragraphs.append(line.text)
    else:
        paragraphs[-1] = join_lines(paragraphs[-1], line.text)


def _continues_title(line):
    """A wrapped title line: it does not start a sentence."""
    return not line.whole and line.text[:1].islower()


def _clean_title(text):
    text = text.strip()
    if text.endswith((".", ";")) and not text.endswith(("..", "etc.")):
        text = text[:-1].rstrip()
    return text


def _role(title):
    match = _ROLE.match(title)
    if not match:
        return None
    actor = match.group("actor").strip()
    short = _ACTOR_SHORT.match(actor)
    name, short_name = (short.group("name"), short.group("short")) if short else (actor, "")
    if not short and len(actor) <= 12 and " " not in actor:
        name, short_name = actor, actor  # "RLA acting as Analyst": the short name alone
    role = _clean_title(match.group("role")).strip('«»“”"')
    if match.group("ru"):
        role = role_nominative(role)  # "в роли" takes the genitive: "Координатора"
    return Role(actor, name.strip(), short_name.strip(), role)


# --- the parser -----------------------------------------------------------------------------


class _Parser:
    def __init__(self, blocks, name):
        self.name = name
        self.lines = _lines(blocks)
        self.header = []
        self.intro = []
        self.conclusion = []
        self.link_lines = []
        self.directions = []
        self.item_style = None

    def parse(self):
        if not self.lines:
            raise DocumentError("the document is empty: it has no text to import.", "line 1")
        body = self._before_closing_sections()
        layout = _choose_layout(body)
        if layout is None:
            last = self.lines[-1].ref
            raise DocumentError(
                "no recognisable structure: no numbered directions with numbered guidelines "
                '(e.g. "I." with "1.", "1." with "1.1", "Section 1:" with "a)") were found '
                f"({self.lines[0].ref} to {last}). See docs/import.md for the layouts read.",
                self.lines[0].ref,
            )
        self.layout = layout
        self._walk(layout)
        if not self.directions:
            raise DocumentError(
                "no directions were found before the conclusion.", self.lines[0].ref
            )
        for direction in self.directions:
            if not direction.guidelines:
                raise DocumentError(
                    f"direction {direction.label} ({direction.title!r}) has no numbered "
                    "guidelines under it.",
                    direction.ref,
                )
        return self._document()

    def _before_closing_sections(self):
        for index, line in enumerate(self.lines):
            if _section_name(line) in ("conclusion", "links"):
                return self.lines[:index]
        return self.lines

    # The walk: header → intro → directions → conclusion → links.
    def _walk(self, layout):
        state = "header"
        self.expected_direction = 1
        current = None  # the open direction or guideline
        title_open = False
        for index, line in enumerate(self.lines):
            if index == 0:
                # The first line opens the header (the title or the forum's name), even as a
                # heading in a layout whose directions are headings.
                self.header.append(line)
                continue
            section = _section_name(line)
            if section and not (state == "body" and line.marker):
                state = section
                current, title_open = None, False
                continue
            if state in ("header", "intro", "body") and _is_direction(line, layout):
                current = self._direction(line, layout)
                state, title_open = "body", True
                continue
            if state == "body":
                item = self._item(line, layout)
                if item is not None:
                    current, title_open = item, True
                    continue
                if title_open and _continues_title(line):
                    current.title = join_lines(current.title, line.text)
                    if isinstance(current, Guideline):
                        current.links.extend(line.links)
                    continue
                title_open = False
                target = current.paragraphs if isinstance(current, Guideline) else current.summary
                _add_text(target, line, force_new=not target)
                if isinstance(current, Guideline):
                    current.links.extend(line.links)
                continue
            if state == "header":
                self.header.append(line)
            elif state == "intro":
                _add_text(self.intro, line)
            elif state == "conclusion":
                _add_text(self.conclusion, line)
            elif state == "links":
                self.link_lines.append(line)

    def _direction(self, line, layout):
        if line.heading is not None and "heading" in layout.direction_styles:
            label, title = str(self.expected_direction), line.text
            marker = line.marker
            if marker and marker.style in (nb.ROMAN, nb.ARABIC, nb.SECTION):
                label, title = self._check_direction_number(line, marker)
        else:
            label, title = self._check_direction_number(line, line.marker)
        self.expected_direction += 1
        direction = Direction(label, _clean_title(title), line.ref)
        self.directions.append(direction)
        self.item_style = None
        return direction

    def _check_direction_number(self, line, marker):
        expected = self.expected_direction
        if marker.number[0] != expected:
            previous = self.directions[-1].label if self.directions else None
            after = f" after direction {previous}" if previous else " as the first direction"
            raise DocumentError(
                f"direction {marker.label} is numbered out of order: expected number "
                f"{expected}{after}.",
                line.ref,
            )
        return marker.label, marker.rest

    def _item(self, line, layout):
        """A new guideline if ``line`` is one of the open direction's items, else None."""
        marker = line.marker
        if marker is None or not self.directions:
            return None
        direction = self.directions[-1]
        style = marker.style
        if style in layout.direction_styles and "heading" not in layout.direction_styles:
            return None
        if self.item_style is None:
            if style not in (nb.ARABIC, nb.DECIMAL, nb.LETTER, nb.BULLET):
                return None
            self.item_style = style
        elif style != self.item_style:
            return None
        position = len(direction.guidelines) + 1
        if style == nb.BULLET:
            label = str(position)
        else:
            expected = (
                (self.expected_direction - 1, position) if style == nb.DECIMAL else (position,)
            )
            if marker.number != expected:
                expected_label = _label(style, expected, marker.label)
                previous = direction.guidelines[-1].label if direction.guidelines else None
                after = (
                    f" after {previous}" if previous else f" first in direction {direction.label}"
                )
                raise DocumentError(
                    f"guideline {marker.label} is numbered out of order: expected "
                    f"{expected_label}{after}.",
                    line.ref,
                )
            label = marker.label
        guideline = Guideline(label, marker.rest, line.ref, links=list(line.links))
        direction.guidelines.append(guideline)
        return guideline

    # --- the rest of the document ---------------------------------------------------------

    def _document(self):
        document = FinalDocument(title="", document_type=FINAL_DOCUMENT, layout=self.layout.name)
        self._read_header(document)
        for direction in self.directions:
            for guideline in direction.guidelines:
                guideline.title = _clean_title(guideline.title)
                guideline.role = _role(guideline.title)
        document.directions = self.directions
        document.conclusion = self.conclusion
        document.links = self._links()
        self._read_adoption(document)
        return document

    def _read_header(self, document):
        lines = list(self.header)
        title_index = next(
            (
                i
                for i, line in enumerate(lines)
                if _document_type(line.text) and not _THEME.match(line.text)
            ),
            None,
        )
        if title_index is None:
            title_index = 0 if lines else None
        if title_index is None:
            raise DocumentError(
                "the document has no title before its first direction.", self.lines[0].ref
            )
        document.title = _clean_title(lines[title_index].text)
        document.document_type = _document_type(document.title) or FINAL_DOCUMENT
        document.forum = " ".join(line.text for line in lines[:title_index])
        rest = lines[title_index + 1 :]
        expect = None
        leftovers = []
        for line in rest:
            if expect == "theme":
                document.theme, expect = line.text, None
                continue
            if match := _THEME.match(line.text):
                document.theme = match.group(1).strip()
                expect = None if document.theme else "theme"
                continue
            found, remainder = find_date(line.text) if document.adopted_on is None else (None, "")
            if found:
                document.adopted_on = found
                document.place = remainder
                expect = None if remainder else "place"
                continue
            if expect == "place":
                document.place, expect = line.text, None
                continue
            leftovers.append(line)
        for line in leftovers:
            if self.intro:
                document.notes.append(f"{line.ref}: not read: {line.text[:80]}")
            else:
                _add_text(document.introduction, line)
        document.introduction = self.intro or document.introduction

    def _links(self):
        """The links section's (title, URL) pairs, then URLs cited in the text; each URL once."""
        found = {}
        pending_title = ""
        text = ""
        entries = []
        for line in self.link_lines:
            for label, url in line.links:
                entries.append((label, clean_url(url), line.ref))
            if line.links:
                continue
            if text and (urls_in(text) and join_lines(text, line.text) == text + line.text):
                text += line.text
                continue
            if text:
                entries.extend((pending_title, url, "") for url in urls_in(text))
                pending_title, text = "", ""
            if urls_in(line.text):
                before = line.text.split("http", 1)[0].strip(" :–—-")
                pending_title = before or pending_title
                text = line.text[line.text.find("http") :]
            else:
                pending_title = _clean_title(line.text)
        if text:
            entries.extend((pending_title, url, "") for url in urls_in(text))
        for title, url, _ref in entries:
            if url not in found:
                found[url] = Link(title, url)
            elif title and not found[url].title:
                found[url].title = title
        # URLs cited in the guidelines: linked, with the guideline's number.
        for d_index, direction in enumerate(self.directions, start=1):
            for g_index, guideline in enumerate(direction.guidelines, start=1):
                text = " ".join(guideline.paragraphs)
                cited = [(quoted_title_before(text, url), url) for url in urls_in(text)]
                cited += [(label, clean_url(url)) for label, url in guideline.links]
                for title, url in cited:
                    number = f"{to_roman(d_index)}.{g_index}"
                    link = found.setdefault(url, Link(title, url))
                    link.title = link.title or title
                    link.description = link.description or f"Cited in guideline {number}."
        for link in found.values():
            link.title = (link.title or link.url)[:255]
        return list(found.values())

    def _read_adoption(self, document):
        text = " ".join(document.introduction + document.conclusion)
        lowered = text.lower()
        if re.search(r"\bbinding\b|обязательн", lowered):
            document.nature = "binding"
        if re.search(r"recommendatory|advisory|рекомендательн", lowered):
            document.nature = "recommendatory"
        approved = re.search(
            # English needs "by" ("adopted this declaration on ..." names no one); Russian
            # says who in the instrumental case, without a preposition.
            r"\b(?:(?:approved|adopted)\s+by|одобрен[аоы]?|принят[аоы]?)\s+"
            r"([^,.;]+?)(?:,|\.|;| and | и )",
            text,
            re.I,
        )
        finalized = re.search(
            r"\b(?:finali[sz]ed\s+by|доработан[аоы]?)\s+([^,.;]+?)(?:,|\.|;| and | и )", text, re.I
        )
        if approved:
            document.approved_by = _by(approved.group(1))
        if finalized:
            document.finalized_by = _by(finalized.group(1))
        if document.adopted_on:
            document.status = "finalized" if finalized else "approved" if approved else "draft"
        audience = re.search(
            r"(?:addressed to|intended for|used as guidelines by|адресован[аоы]?)\s+([^.]+)\.",
            text,
            re.I,
        )
        if audience:
            document.audience = _by(audience.group(1))


def _by(text):
    text = normalise(text)
    text = re.sub(r"^(?:the)\s+", "", text, flags=re.I)
    return (text[:1].upper() + text[1:])[:255]


def _label(style, number, written):
    """How a guideline number is written in ``style``: "1.2", "3", "c" (Cyrillic "в")."""
    if style == nb.DECIMAL:
        return f"{number[0]}.{number[1]}"
    if style == nb.LETTER:
        alphabet = nb.CYRILLIC if written.lower() in nb.CYRILLIC else nb.LATIN
        return alphabet[(number[0] - 1) % len(alphabet)]
    return str(number[0])


def parse_final_document(blocks, name=""):
    """The :class:`FinalDocument` the blocks hold; :class:`DocumentError` if none."""
    return _Parser(blocks, name).parse()
