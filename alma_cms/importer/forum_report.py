"""Forum reports: blocks → a :class:`ForumReport` (the edition's facts, its body, the people
with the position the report gives them, the quotations, the panels and an award).

Recognised (docs/import.md): the date, format, duration and counts in the prose; "moderated
the meeting"; the theme ("topic ... “...”" or "Theme: ..."); "hosted by X" / "X hosted";
quotations as "Quotation: “...”" with the speaker on the next line, a quotation alone on its
line with the speaker on the next, and "X said: “...”" in a paragraph; panels under headings
("Panel 1: ...", "Session ...") or programme lines ("10:00–11:30 Session ..."), with
"Moderator:" / "Chair:" and "Speakers:" lists; panels told in prose ("The next discussion panel
addressed X", "The moderator of the third discussion panel ... was Name, title", "At the
international level, ...") with the people named up to the next panel as speakers; an award
"established" or its "winners" with a numbered list."""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .blocks import HEADING, LIST_ITEM, normalise, with_text
from .errors import DocumentError
from .final_document import _MONTH, _MONTHS, find_date
from .forum_people import all_people_in, people_in, role_after, role_before, split_person
from .names import same_person
from .russian import city_nominative, role_nominative


@dataclass
class Participant:
    name: str
    role: str = ""
    topic: str = ""


@dataclass
class Panel:
    title: str
    ref: str
    moderator: Participant | None = None
    speakers: list = field(default_factory=list)
    summary: list = field(default_factory=list)
    prose: bool = False  # told in running prose: its paragraphs' people are its speakers


@dataclass
class Quotation:
    text: str
    speaker: str
    role: str
    ref: str


@dataclass
class Winner:
    place: int | None
    recipient: str
    project_title: str = ""
    citation: str = ""
    prize: str = ""


@dataclass
class Award:
    name: str
    kind: str  # established, call_for_nominations, shortlist, winners
    season: int
    ref: str
    summary: str = ""
    winners: list = field(default_factory=list)


@dataclass
class ForumReport:
    title: str
    theme: str = ""
    start_date: object = None
    end_date: object = None  # a multi-day edition's last day ("20–21 April 2022")
    format: str = "in_person"
    duration_hours: Decimal | None = None
    participant_count: int | None = None
    participant_qualifier: str = "exact"
    viewer_count: int | None = None
    viewer_qualifier: str = "exact"
    moderator: str = ""
    venue: str = ""
    city: str = ""
    host: str = ""  # the host organization's name as written
    host_short: str = ""  # its short name, when the report gives one ("LFL")
    language: str = "en"
    body: list = field(default_factory=list)  # [kind, value]: heading, paragraph, quotation, panel
    people: dict = field(default_factory=dict)  # name → role at the time ("" if none)
    quotations: list = field(default_factory=list)
    panels: list = field(default_factory=list)
    award: Award | None = None
    organizations: dict = field(default_factory=dict)  # short name → name ("LFL" → "Library…")
    notes: list = field(default_factory=list)


_QUOTE_OPEN = '“”"«„'
_QUOTE_CLOSE = '”“"»'
_QUOTED = re.compile(rf"^[{_QUOTE_OPEN}]\s*(?P<q>.+?)\s*[{_QUOTE_CLOSE}]\s*[.,]?\s*$")
_QUOTATION_LINE = re.compile(r"^(?:quotation|quote|цитата)\s*[:：]\s*(?P<q>.+)$", re.IGNORECASE)
_SAID = re.compile(
    rf"(?P<before>[^{_QUOTE_OPEN}{_QUOTE_CLOSE}]*?)\s*\b(?:said|noted|stressed|added|remarked|"
    r"emphasi[sz]ed|concluded|сказал|сказала|отметил|отметила|подчеркнул|подчеркнула|заявил|"
    rf"заявила)\s*:?\s*[{_QUOTE_OPEN}](?P<q>[^{_QUOTE_CLOSE}]+)[{_QUOTE_CLOSE}]"
)
_ENDS_SAID = re.compile(
    r"\b(?:said|noted|stressed|added|remarked|сказал\w*|отметил\w*|подчеркнул\w*)\s*:$"
)
_LABEL = re.compile(
    r"^(?P<label>moderator|moderated by|chair|chaired by|speakers|panellists|panelists|"
    r"модератор|председатель|ведущ(?:ий|ая)|спикеры|выступили|выступающие|theme|topic|"
    r"тема\s+форума|тема|"
    r"host|hosted by|venue|организатор|место проведения)(?![\w-])\s*[:：—–-]?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_PANEL = re.compile(
    r"^(?:(?:discussion\s+)?panel|session|round\s*table|workshop|дискуссионная панель|панель|"
    r"сессия|секция|круглый стол)\b[^:]*?(?::\s*(?P<title>.+))?$",
    re.IGNORECASE,
)
_TIME = re.compile(r"^\d{1,2}[:.]\d{2}\s*(?:[–—-]\s*\d{1,2}[:.]\d{2})?\s+")
_AWARD_HEADING = re.compile(r"\b(?:award|prize|премия|премии|награ)", re.IGNORECASE)
_NUMBERED = re.compile(r"^(?P<n>\d{1,2})[.)]\s+(?P<text>.+)$")
_BULLET = re.compile(r"^[-*•–]\s+(?P<text>.+)$")
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "один": 1, "два": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8,
}  # fmt: skip
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "перв": 1, "втор": 2, "трет": 3}
_COUNT = r"(?P<n>\d{1,3}(?:[ ,\u00a0]\d{3})+|\d+)"
_ABOUT = re.compile(
    r"(about|around|approximately|nearly|some|almost|около|почти|примерно)\W*$", re.I
)
_MORE = re.compile(r"(more than|over|более|свыше|больше)\W*$", re.I)
_ABBREVIATION = re.compile(
    r"(?P<name>[A-Z][\w'’-]*(?:\s+(?:[A-Z][\w'’-]*|of|the|for|and))*)\s+\((?P<short>[A-Z]{2,8})\)"
)

_RU_ABBREVIATION = re.compile(r"(?P<name>[А-ЯЁ][^.;:()«»]*?)\s*\((?P<short>[А-ЯЁ]{2,8})\)")


# A panel told in running prose: "The next discussion panel addressed X", "The moderator of the
# third discussion panel devoted to X was Name, Position", "At the international level, ...".
_PROSE_PANEL = re.compile(
    r"^(?:[^.]{0,40}?\b)?the\s+(?:first|second|third|fourth|fifth|next|last|final)\s+"
    r"(?:discussion\s+)?(?:panel|session|round\s*table)\b(?P<rest>[^.]*)",
    re.IGNORECASE,
)
_PROSE_TOPIC = re.compile(
    r"\b(?:addressed|discussed|examined|explored|covered|(?:was\s+)?(?:devoted|dedicated)\s+to|"
    r"focused\s+on)\s+(?:the\s+)?(?P<topic>.+?)(?:\s+was\b|\s*[,;]|$)"
)
_PROSE_MODERATOR = re.compile(r"^the\s+moderator\s+of\s+the\b[^.]*?\bwas\s+", re.IGNORECASE)
_LEVEL_PANEL = re.compile(r"^At the (?P<level>international|national|regional|local) level,")
# What ends a prose panel: the report's closing words.
_PROSE_CLOSING = re.compile(
    r"^(?:In conclusion|To conclude|Concluding|Finally|In closing|At the end|It was decided|"
    r"The tour|All participants)\b"
)
_PROSE_SPEAKER_TOPIC = re.compile(
    r"\b(?:spoke|talked)\s+(?:about|on)\s+|\b(?:described|presented|looked\s+into|discussed|"
    r"devoted\s+(?:her|his|their)\s+contribution\s+to)\s+"
)


@dataclass
class _Unit:
    kind: str  # heading, paragraph, item
    text: str
    ref: str
    level: int = 0


def _units(blocks):
    """Blocks → paragraphs: wrapped lines of a text or Markdown paragraph joined again."""
    units = []
    for block, text in with_text(blocks):
        if block.kind == HEADING:
            units.append(_Unit("heading", text.strip("#* "), block.ref, block.level))
            continue
        if block.kind == LIST_ITEM:
            number = block.marker.rstrip(".)") if block.marker not in ("", "-") else ""
            units.append(
                _Unit("item", f"{number}. {text}" if number.isdigit() else text, block.ref)
            )
            continue
        last = units[-1] if units else None
        starts_new = (
            last is None
            or block.whole
            or block.gap_before
            or last.kind != "paragraph"
            or _NUMBERED.match(text)
            or _BULLET.match(text)
            or _LABEL.match(text)
            or _TIME.match(text)
            or (last.text.endswith(":") and not _ENDS_SAID.search(last.text))
            or _QUOTED.match(last.text)
            or _QUOTATION_LINE.match(last.text)
        )
        if starts_new:
            bullet = _BULLET.match(text)
            units.append(
                _Unit(
                    "item" if bullet else "paragraph",
                    bullet.group("text") if bullet else text,
                    block.ref,
                )
            )
        else:
            last.text = f"{last.text} {text}"
    return units


def _count(text, nouns):
    for match in re.finditer(rf"{_COUNT}\s+(?:\w+\s+){{0,2}}?(?:{nouns})", text, re.IGNORECASE):
        value = int(re.sub(r"\D", "", match.group("n")))
        before = text[max(0, match.start() - 25) : match.start()]
        if _ABOUT.search(before):
            return value, "about"
        if _MORE.search(before):
            return value, "more_than"
        return value, "exact"
    return None, "exact"


_RANGE = re.compile(rf"\b(\d{{1,2}})\s*[–—-]\s*(\d{{1,2}})\s+{_MONTH}\s+(\d{{4}})", re.I)


def _dates(text):
    """``(first day, last day or None)`` of the first date or day range in ``text``."""
    day, _rest = find_date(text)
    match = _RANGE.search(text)
    if match and day is not None:
        month, year = _MONTHS[match.group(3).lower()], int(match.group(4))
        try:
            first = date(year, month, int(match.group(1)))
            last = date(year, month, int(match.group(2)))
        except ValueError:
            return day, None
        if last == day and first < last:  # the date found is the range's last day
            return first, last
    return day, None


def _duration(text):
    numbers = "|".join(_NUMBER_WORDS)
    match = re.search(
        rf"\b(?P<n>\d+(?:[.,]\d)?|{numbers})[- ](?:hours?\b|час)", text, re.IGNORECASE
    )
    if not match:
        return None
    value = match.group("n").lower()
    return Decimal(_NUMBER_WORDS.get(value, value.replace(",", ".")))


def _format(text):
    if re.search(r"hybrid|гибридн", text, re.IGNORECASE):
        return "hybrid"
    if re.search(
        r"\b(?:held|took place|was|were|met|gathered)\s+(?:\w+\s+){0,2}online\b|online format|"
        r"\b(?:held|took place)[^.]{0,40}\bonline\b|"
        r"\bonline (?:meeting|forum|event)|онлайн|дистанционн",
        text,
        re.IGNORECASE,
    ):
        return "online"
    return "in_person"


def _theme(text):
    match = re.search(
        rf"\b(?:topic|theme|тема)\b[^{_QUOTE_OPEN}{_QUOTE_CLOSE}.]{{0,40}}?[{_QUOTE_OPEN}]\s*"
        rf"(?P<t>[^{_QUOTE_OPEN}{_QUOTE_CLOSE}]+?)\s*[{_QUOTE_CLOSE}]",
        text,
        re.IGNORECASE,
    )
    return match.group("t").strip() if match else ""


_ORG = r"[A-ZА-ЯЁ][\w'’-]*(?:\s+(?:[A-ZА-ЯЁ][\w'’-]*|of|the|for|and))*"


_ABBR = r"\((?P<short>[A-ZА-ЯЁ]{2,8})\)"
_RU_HOSTED = r"(?:провел[аи]?|провёл|организовал[аи]?|принимал[аи]?|проводил[аи]?)"
_RU_EVENT = r"(?:(?:форум|встречу|конференцию|мероприятие|семинар|сессию|круглый стол)\s+)?"
_RU_CITY = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё][а-яё]+)*"


@dataclass
class _Host:
    name: str = ""  # as written, or the short name alone ("LFL hosts")
    short: str = ""
    city: str = ""
    at_host: bool = False  # the text places the event at the host ("на базе X")


def _trim_to_initials(name, short):
    """ "Форум провела Новосибирская ... библиотека" before "(НОНБ)": the name starts after the
    sentence's last past-tense verb ("провела", "участвовала") and at the word with the short
    name's first letter, so a sentence's opening words are not kept."""
    words = name.split()
    verbs = [i for i, word in enumerate(words) if re.search(r"(?:ла|ли|ло|[аиеяё]л)$", word)]
    if verbs and verbs[-1] < len(words) - 1:
        words = words[verbs[-1] + 1 :]
    if not short:
        return " ".join(words)
    for index, word in enumerate(words[: max(len(words) - len(short) + 1, 1)]):
        if word[:1] == short[:1] and len(words) - index <= len(short) + 3:
            return " ".join(words[index:])
    return " ".join(words)


def _host(text):
    """The host from "hosted by X (ABBR) in City", "X in City hosted", "LFL hosts", and in
    Russian "Форум провела X (ABBR) в Городе", "X (ABBR) провела форум", "на базе X (ABBR)"."""
    for pattern in (
        rf"hosted by (?:the )?(?P<org>{_ORG}?)(?:\s+{_ABBR})?"
        rf"(?: in (?P<city>[A-Z][a-z-]+))?[,.;]",
        rf"(?P<org>{_ORG}?)(?:\s+{_ABBR})?(?: in (?P<city>[A-Z][a-z-]+))? hosted\b",
        r"\b(?P<org>[A-Z]{2,8}) hosts\b",
    ):
        match = re.search(pattern, text)
        if match:
            org = re.sub(r"^(?:On|In|The|the)\s+", "", match.group("org")).strip()
            found = match.groupdict()
            return _Host(org, found.get("short") or "", found.get("city") or "")
    match = re.search(
        rf"\b{_RU_HOSTED}\s+{_RU_EVENT}(?P<org>[А-ЯЁ][^.;:()«»]*?)(?:\s*{_ABBR})?"
        rf"(?:\s+в\s+(?P<city>{_RU_CITY}))?(?=\s*[.,;]|\s*$)",
        text,
    ) or re.search(
        rf"(?P<org>[А-ЯЁ][^.;:()«»]*?)\s*{_ABBR}(?:\s+в\s+(?P<city>{_RU_CITY}))?"
        rf"\s+{_RU_HOSTED}\b",
        text,
    )
    if match:
        short = match.group("short") or ""
        city = city_nominative(match.group("city") or "")
        return _Host(_trim_to_initials(match.group("org").strip(), short), short, city)
    match = re.search(rf"на базе\s+(?P<org>[^.;:()«»]+?)(?:\s*{_ABBR})?(?=\s*[.,;]|\s*$)", text)
    if match:
        # "на базе" takes the genitive: the short name when there is one, else the nominative
        # by the same rules as a role ("Новосибирской областной научной библиотеки").
        short = match.group("short") or ""
        org = match.group("org").strip()
        nominative = role_nominative(org)
        if short:
            return _Host(short, short, at_host=True)
        if nominative != org:
            return _Host(nominative, at_host=True)
    return _Host()


_NOT_CITIES = set(_MONTHS) | {"english", "russian", "french", "german", "spanish", "chinese"}
_CITY_PREFIX = r"(?:(?:New|Saint|St\.|San|Santa|Los|Las|Le|La|Rio)\s+)?"


def _city(text):
    """``(city, note)`` from "held in Leeds" / "12 March 2024 in Leeds" / "прошёл в
    Новосибирске" / "12 марта 2024 г. в Новосибирске": a capitalised place right after the date
    or after held / took place / прошёл / состоялся. A Russian locative whose nominative is not
    certain gives no city and a note."""
    match = re.search(
        r"(?:\b(?:held|took place|met|gathered|convened)|\b\d{4})\s*,?\s+in\s+"
        rf"(?P<city>{_CITY_PREFIX}[A-Z][a-z]+(?:-[A-Za-z][a-z]+)*)\b(?!\s+[A-Z])",
        text,
    )
    if match and match.group("city").lower() not in _NOT_CITIES:
        return match.group("city"), ""
    match = re.search(
        r"(?:\b(?:прош[её]л|прошла|прошло|прошли|состоял(?:ся|ась|ось|ись)|проходил\w*)|"
        r"\b\d{4}(?:\s*(?:г\.|года))?)\s*,?\s+в\s+"
        rf"(?P<city>{_RU_CITY})(?=[\s.,;:]|$)",
        text,
    )
    # "в Областной научной библиотеке": an adjective's ending, a place but not a city.
    if match and not re.search(r"(?:ой|ей|ом|ем|ых|их)$", match.group("city")):
        written = match.group("city")
        city = city_nominative(written)
        if city:
            return city, ""
        return "", f"city «в {written}» not read: its nominative is not certain; enter it by hand"
    return "", ""


def _named_place(text, report):
    """The place named in "held at the Riverbend Central Library", "took place at X", "hosted
    the forum at X": the venue (the host's full name when it is the host's short name)."""
    match = re.search(
        rf"\b(?:held|took place|met|hosted\b[^.]{{0,60}}?)\s+at\s+(?:the\s+)?(?P<place>{_ORG})",
        text,
    )
    if not match:
        return ""
    place = match.group("place").strip()
    return report.host if report.host_short and place == report.host_short else place


def _at_host(text, report):
    """Whether the text places the event at the host: "at the Library for Foreign Literature",
    "at LFL", "в НОНБ", "hosted ... at" it."""
    names = [name for name in (report.host, report.host_short) if name]
    if not names:
        return False
    alternatives = "|".join(re.escape(name) for name in names)
    return bool(re.search(rf"(?:\bat|\bв|на базе)\s+(?:the\s+)?(?:{alternatives})\b", text))


def _title(units):
    first = units[0]
    title = first.text
    if first.kind != "heading" and (len(title) > 200 or title.endswith(".")):
        raise DocumentError(
            "no title: a forum report starts with its title (a heading or a short first line).",
            first.ref,
        )
    # "ALMA 2021: ... by Svetlana A. Gorokhova and Daria Beliakova": the byline is not the title.
    title = re.sub(r"\s+by\s+[A-ZА-ЯЁ][\w.\s-]*(?:\s+and\s+[A-ZА-ЯЁ][\w.\s-]*)?$", "", title)
    return title.strip(), units[1:]


def _strip_quotes(text):
    match = _QUOTED.match(text.strip())
    return normalise(match.group("q")) if match else None


class _Parser:
    def __init__(self, units, title):
        self.units = units
        self.report = ForumReport(title=title)
        self.panel = None
        self.in_award = False
        self.speakers_list = False
        self.at_host = False

    def person(self, name, role=""):
        """Record a person (the first position given stays); their name as first written."""
        for known in self.report.people:
            if same_person(known, name):
                if role and not self.report.people[known]:
                    self.report.people[known] = role
                return known
        self.report.people[name] = role
        return name

    def quotation(self, text, speaker_text, ref, quote_ref):
        found = split_person(speaker_text) if speaker_text else None
        if found is None:
            raise DocumentError(
                "a quotation with no speaker: put the speaker's name (and title) on the line "
                "after the quotation.",
                quote_ref,
            )
        name, role, _topic = found
        name = self.person(name, role)
        role = role or self.report.people.get(name, "")
        self.report.quotations.append(Quotation(normalise(text), name, role, quote_ref))
        return len(self.report.quotations) - 1

    def run(self):
        units = self.units
        index = 0
        while index < len(units):
            unit = units[index]
            index += 1
            if unit.kind == "heading":
                self.heading(unit)
                continue
            text = unit.text
            if re.match(r"^(?:quotation|quote|цитата)\s*:?$", text, re.IGNORECASE):
                continue  # a label alone: the quotation is on the next line
            quote = _QUOTATION_LINE.match(text)
            quoted = _strip_quotes(quote.group("q")) if quote else _strip_quotes(text)
            if quote and quoted is None:
                quoted = quote.group("q").strip(_QUOTE_OPEN + _QUOTE_CLOSE + " ")
            if quoted is not None and unit.kind == "paragraph":
                following = units[index] if index < len(units) else None
                speaker = following.text if following and following.kind != "heading" else ""
                if not (quote or (following and split_person(speaker))):
                    self.paragraph(unit)
                    continue
                number = self.quotation(quoted, speaker, following and following.ref, unit.ref)
                self.report.body.append(["quotation", number])
                index += 1  # the speaker's line
                continue
            if self.label(unit) or self.award_item(unit) or self.panel_line(unit):
                continue
            if unit.kind == "item" and self.panel is not None and self.speakers_list:
                found = split_person(text)
                if found:
                    name, role, topic = found
                    name = self.person(name, role)
                    self.panel.speakers.append(Participant(name, role, topic))
                    continue
            self.paragraph(unit)
        return self.report

    def heading(self, unit):
        self.speakers_list = False
        panel = _PANEL.match(_TIME.sub("", unit.text))
        if panel and unit.text.lower() not in ("programme", "program", "программа"):
            self.start_panel(panel.group("title") or unit.text, unit.ref)
            return
        self.panel = None
        self.in_award = bool(_AWARD_HEADING.search(unit.text))
        if not self.in_award:
            self.report.body.append(["heading", unit.text])

    def start_panel(self, title, ref):
        self.panel = Panel(title.strip().rstrip("."), ref)
        self.report.panels.append(self.panel)
        self.report.body.append(["panel", len(self.report.panels) - 1])
        self.in_award = False

    def panel_line(self, unit):
        """A programme line that opens a panel: "10:00–11:30 Session 2: Title"."""
        text = _TIME.sub("", unit.text)
        if text == unit.text and unit.kind != "item":
            return False
        match = _PANEL.match(text.lstrip("0123456789.) "))
        if not match:
            return False
        self.speakers_list = False
        self.start_panel(match.group("title") or text, unit.ref)
        return True

    def label(self, unit):
        match = _LABEL.match(unit.text)
        if not match:
            return False
        label, rest = match.group("label").lower(), match.group("rest").strip()
        if label.startswith(("theme", "topic", "тема")):
            self.report.theme = rest.strip(_QUOTE_OPEN + _QUOTE_CLOSE + " .")
        elif label in ("host", "hosted by", "venue", "организатор", "место проведения"):
            if label in ("venue", "место проведения"):
                self.report.venue = rest.rstrip(".")
            else:
                self.abbreviations(rest)
                # "Host: Riverbend Public Libraries (RPL)": the name, its short name told apart.
                self.report.host = re.sub(r"\s+\([A-ZА-ЯЁ]{2,8}\)$", "", rest.rstrip("."))
        elif label in (
            "speakers",
            "panellists",
            "panelists",
            "спикеры",
            "выступили",
            "выступающие",
        ):
            self.speakers_list = True
            for part in filter(None, (p.strip() for p in rest.split(";"))):
                self.panel_speaker(part)
        else:
            found = split_person(rest)
            if found is None:
                raise DocumentError(
                    f"{match.group('label')}: no person's name in {rest!r}.", unit.ref
                )
            name, role, topic = found
            name = self.person(name, role)
            if self.panel is not None:
                self.panel.moderator = Participant(name, role, topic)
            else:
                self.report.moderator = name
        return True

    def panel_speaker(self, text):
        found = split_person(text)
        if found and self.panel is not None:
            name, role, topic = found
            self.panel.speakers.append(Participant(self.person(name, role), role, topic))

    def award_item(self, unit):
        award = self.report.award
        if award is None or award.kind == "established":
            return False
        match = _NUMBERED.match(unit.text)
        if not match and not (unit.kind == "item" and self.in_award):
            citation = re.match(r"^(?:citation|обоснование)\s*:\s*(.+)$", unit.text, re.I)
            if citation and award.winners:
                award.winners[-1].citation = citation.group(1).strip()
                return True
            return False
        text = match.group("text") if match else unit.text
        place = int(match.group("n")) if match else None
        prize = ""
        head = re.match(r"^(?P<prize>[^:]{1,40}?(?:prize|place|премия|место))\s*:\s*", text, re.I)
        if head:
            prize = head.group("prize").strip()
            for stem, number in _ORDINALS.items():
                if prize.lower().startswith(stem):
                    place = number
            text = text[head.end() :]
        project = re.search(
            rf",?\s*(?:for the project|for|за проект)\s*[{_QUOTE_OPEN}](?P<p>[^{_QUOTE_CLOSE}]+)"
            rf"[{_QUOTE_CLOSE}]\.?\s*(?P<rest>.*)$",
            text,
            re.IGNORECASE,
        ) or re.search(
            rf"\s*[—–:]\s*[{_QUOTE_OPEN}](?P<p>[^{_QUOTE_CLOSE}]+)[{_QUOTE_CLOSE}]\.?\s*(?P<rest>.*)$",
            text,
        )
        recipient, title, citation = text, "", ""
        if project:
            recipient, title = text[: project.start()], project.group("p")
            citation = project.group("rest").lstrip(" .—–").strip()
            citation = re.sub(r"^(?:citation|обоснование)\s*:\s*", "", citation, flags=re.I)
        award.winners.append(
            Winner(place, recipient.strip(" ,.—–"), title.strip(), citation, prize)
        )
        return True

    def abbreviations(self, text):
        for match in _ABBREVIATION.finditer(text):
            name = re.sub(r"^(?:The|the)\s+", "", match.group("name"))
            last = re.sub(r"^(?:The|the)\s+", "", re.split(r"\s+(?:and|the)\s+", name)[-1])
            name = last if " " in last else name
            self.report.organizations.setdefault(match.group("short"), name)
        for match in _RU_ABBREVIATION.finditer(text):
            # "на базе Новосибирской ... библиотеки (НОНБ)": kept in the nominative.
            name = _trim_to_initials(match.group("name").strip(), match.group("short"))
            self.report.organizations.setdefault(match.group("short"), role_nominative(name))

    def paragraph(self, unit):
        text = unit.text
        report = self.report
        if re.match(r"^(?:by|автор[ыа]?:?)\s", text, re.IGNORECASE) and len(text) < 120:
            return  # the byline
        self.abbreviations(text)
        self.prose_panel(unit)
        people = all_people_in(text)
        for name, role, _start, _end in people:
            self.person(name, role)
        if self.panel is not None and self.panel.prose:
            self.prose_speakers(text, people)
        for match in _SAID.finditer(text):
            before = match.group("before")
            speaker = self.said_by(before)
            if speaker is None:
                raise DocumentError(
                    "a quotation with no speaker: name who said it before “said”.", unit.ref
                )
            name, role = speaker
            report.quotations.append(Quotation(normalise(match.group("q")), name, role, unit.ref))
        self.facts(text, unit.ref)
        if self.panel is not None:
            self.panel.summary.append(text)
        else:
            report.body.append(["paragraph", text])

    def prose_panel(self, unit):
        """Open the panel a paragraph announces in prose ("The next discussion panel addressed
        X", "The moderator of the third discussion panel devoted to X was Name, Position", "At
        the international level, ..."), or close a prose panel at the report's closing words."""
        text = unit.text
        if self.panel is not None and self.panel.prose and _PROSE_CLOSING.match(text):
            self.panel = None
            return
        level = _LEVEL_PANEL.match(text)
        opener = _PROSE_PANEL.match(text)
        if level:
            title = f"{level.group('level').capitalize()} level"
        elif opener and (_PROSE_TOPIC.search(opener.group("rest")) or _PROSE_MODERATOR.match(text)):
            # "The next session will be held in May" names no panel: a topic or a moderator does.
            topic = _PROSE_TOPIC.search(opener.group("rest"))
            title = topic.group("topic") if topic else "Discussion panel"
            title = title[:1].upper() + title[1:]
        else:
            return
        self.start_panel(title, unit.ref)
        self.panel.prose = True
        moderator = _PROSE_MODERATOR.match(text)
        if moderator:
            found = all_people_in(text[moderator.end() :])
            if found and found[0][2] == 0:
                name, role = found[0][0], found[0][1]
                self.panel.moderator = Participant(self.person(name, role), role)

    def prose_speakers(self, text, people):
        """The people a prose panel's paragraph names are its speakers (not its moderator), each
        with the topic of the sentence that names them ("spoke about X", "described X")."""
        panel = self.panel
        for index, (name, role, _start, end) in enumerate(people):
            name = self.person(name, role)
            taken = [s.name for s in panel.speakers]
            if panel.moderator is not None:
                taken.append(panel.moderator.name)
            if any(same_person(known, name) for known in taken):
                continue
            stop = people[index + 1][2] if index + 1 < len(people) else len(text)
            sentence = re.split(r"(?<![A-Z])\.(?:\s|$)", text[end:stop])[0]
            verb = _PROSE_SPEAKER_TOPIC.search(sentence)
            topic = sentence[verb.end() :].strip(" ,") if verb else ""
            panel.speakers.append(Participant(name, role, topic[:1].upper() + topic[1:]))

    def said_by(self, before):
        found = people_in(before)
        if found:
            name, role, start, end = found[-1]
            role = role_after(before, end) or role_before(before, start) or role
            name = self.person(name, role)
            return name, role or self.report.people.get(name, "")
        found = split_person(re.split(r"[,.;]\s", before)[-1])
        if found:
            name = self.person(found[0], found[1])
            return name, found[1] or self.report.people.get(name, "")
        return None

    def facts(self, text, ref):
        report = self.report
        if report.start_date is None:
            report.start_date, report.end_date = _dates(text)
        if report.participant_count is None:
            report.participant_count, report.participant_qualifier = _count(
                text,
                r"participants|attendees|delegates|people\s+(?:took part|attended)|участник\w*|"
                r"человек\w*\s+(?:приняли участие|участвовал\w*)",
            )
        if report.viewer_count is None:
            report.viewer_count, report.viewer_qualifier = _count(
                text,
                r"people\s+(?:viewed|watched)|viewers|online viewers|зрител\w*|"
                r"человек\w*\s+(?:посмотрел|смотрел)\w*",
            )
        if report.duration_hours is None:
            report.duration_hours = _duration(text)
        if not report.theme:
            report.theme = _theme(text)
        if not report.host:
            host = _host(text)
            report.host, report.host_short = host.name, host.short
            report.city = report.city or host.city
            self.at_host = self.at_host or host.at_host
        if not report.city:
            report.city, note = _city(text)
            if note and note not in report.notes:
                report.notes.append(note)
        moderated_by = re.search(
            r"\b(?:moderated|chaired) by (?P<who>(?:[A-ZА-ЯЁ]\.|[^.;])+)", text
        )
        if not report.moderator and self.panel is None and moderated_by:
            found = split_person(moderated_by.group("who"))
            if found:
                report.moderator = self.person(found[0], found[1])
        if not report.moderator and re.search(
            r"moderated the (?:meeting|forum|event|conference)|модерировал\w* (?:встречу|форум)|"
            r"модератор\w* (?:встречи|форума)",
            text,
            re.IGNORECASE,
        ):
            found = people_in(text)
            if found:
                report.moderator = self.person(found[0][0], found[0][1])
        award = _award(text, ref, report)
        if award is not None and report.award is None:
            report.award = award
            self.in_award = True


def _award(text, ref, report):
    year = report.start_date.year if report.start_date else None
    established = re.search(
        r"established the (?P<name>(?:[A-Z][\w-]*\s+)+(?:Award|Prize))|"
        r"учредил\w* (?P<ru>премию[^,.]*)",
        text,
    )
    if established:
        name = established.group("name") or established.group("ru").replace("премию", "Премия", 1)
        return Award(name.strip(), "established", year, ref, text)
    winners = re.search(
        r"(?P<kind>winners|shortlist|laureates|лауреат\w*|победител\w*|шорт-лист\w*) of the "
        r"(?P<name>[A-Z][\w' ]*?(?:Award|Prize)(?: for [A-Z][\w ]*?)?)(?: (?P<year>\d{4}))?"
        r"(?:\s+[a-z][^:.]{0,40})?[:.]|"
        r"(?P<kind_ru>лауреат\w*|победител\w*|шорт-лист\w*) (?P<ru>премии\s+«[^»]+»)"
        r"(?: (?P<year_ru>\d{4}))?",
        text,
    )
    if winners:
        kind_word = (winners.group("kind") or winners.group("kind_ru")).lower()
        kind = "shortlist" if "short" in kind_word or "шорт" in kind_word else "winners"
        name = winners.group("name") or winners.group("ru").replace("премии", "Премия", 1)
        season = winners.group("year") or winners.group("year_ru")
        return Award(name.strip(), kind, int(season) if season else year, ref, text)
    return None


def parse_forum_report(blocks, name=""):
    """The :class:`ForumReport` in ``blocks``; :class:`DocumentError` naming the line when a
    quotation has no speaker, or when the document has no date, or nothing a report has."""
    units = _units(blocks)
    if not units:
        raise DocumentError(f"{name or 'the document'} is empty.", "line 1")
    title, rest = _title(units)
    parser = _Parser(rest, title)
    report = parser.run()
    text = " ".join(unit.text for unit in units)
    report.format = _format(text)
    if len(re.findall(r"[а-яё]", text, re.I)) > len(re.findall(r"[a-z]", text, re.I)):
        report.language = "ru"
    if report.start_date is None:
        raise DocumentError(
            "no date found: a forum report says when the meeting took place "
            '("On 12 September 2023", "20 апреля 2021 г.").',
            units[0].ref,
        )
    if not (report.participant_count or report.quotations or report.panels or report.people):
        raise DocumentError(
            "no recognisable forum report structure: no participants, speakers, quotations or "
            "panels were found (see docs/import.md).",
            units[0].ref,
        )
    if not report.theme:
        subtitle = title.partition(":")[2].strip()
        report.theme = subtitle or title
        report.notes.append("no theme named: the title is used")
    if report.host in report.organizations:
        report.host_short, report.host = report.host, report.organizations[report.host]
    for short, full in report.organizations.items():
        if full == report.host:
            report.host_short = short
    # The host organises; it is the venue only when the text places the event there.
    if report.host and not report.venue and (parser.at_host or _at_host(text, report)):
        report.venue = report.host
    if not report.venue:
        report.venue = _named_place(text, report)
    return report
