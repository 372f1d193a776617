"""People in a forum report: names as written ("Svetlana A. Gorokhova", "Светлана
Александровна Горохова", "Barbara Lison") and the position written beside them ("Barbara
Lison, IFLA President-elect"; "Deputy Minister of Culture Olga S. Yarilova")."""

import re

_LAT_WORD = r"[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?"
_CYR_WORD = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
_PATRONYMIC = r"[А-ЯЁ][а-яё]+(?:овна|евна|ична|ович|евич|ич)"
# A name with a middle initial or a patronymic: found anywhere in running text.
NAME_IN_TEXT = re.compile(
    rf"(?<![\w.])(?:{_LAT_WORD}\s+(?:[A-Z]\.\s?){{1,2}}\s*{_LAT_WORD}"
    rf"|{_CYR_WORD}\s+(?:[А-ЯЁ]\.\s?|{_PATRONYMIC}\s+){_CYR_WORD})(?![\w])"
)
# Any name of two to four words (initials allowed): only where a name is expected.
_ANY_NAME = (
    # Initials may come first and be written together: "H.J. Tamsin", "И.С. Бахтин".
    rf"(?:{_LAT_WORD}|[A-Z]\.(?:\s?[A-Z]\.)?)(?:\s+(?:{_LAT_WORD}|[A-Z]\.(?:\s?[A-Z]\.)?)){{1,3}}"
    rf"|(?:{_CYR_WORD}|[А-ЯЁ]\.(?:\s?[А-ЯЁ]\.)?)(?:\s+(?:{_CYR_WORD}|[А-ЯЁ]\.(?:\s?[А-ЯЁ]\.)?)){{1,3}}"
)
_NAME_ONLY = re.compile(rf"^(?:{_ANY_NAME})$")
_NAME_AT_END = re.compile(rf"(?:{NAME_IN_TEXT.pattern}|(?:{_LAT_WORD}\s+{_LAT_WORD}))$")

# A position names one of these (filters out "Opening the meeting" and the like).
_ROLE_WORD = re.compile(
    r"direct|presiden|head|minister|deputy|chair|member|editor|librar|scholar|expert|manager|"
    r"secretar|professor|specialist|coordinat|curator|dean|rector|chief|officer|founder|"
    r"governor|ambassador|research|teacher|author|writer|journalist|consultant|lead|archiv|"
    r"historian|translator|illustrator|designer|engineer|analyst|volunteer|student|"
    r"директор|президент|руководител|министр|заместител|председател|член|редактор|"
    r"библиотек|эксперт|профессор|специалист|заведующ|начальник|основател|исследовател|"
    r"координатор|куратор|ректор|декан|автор|писател|журналист|архив|историк|переводчик|"
    r"методист|аналитик|волонт|студент",
    re.IGNORECASE,
)
_VERB = re.compile(r"^(?:[a-z]+ed|said|spoke|led|gave|took|made|was|were|is|has|had)\b")
_NOT_ROLE = re.compile(
    r"^(?:[a-z]+ed\b|said|spoke|led|gave|took|made|was|were|is|has|had|who|which|whose|"
    r"котор\w+|выступил\w*|сказал\w*)\b"
)
_CONNECTORS = {"of", "the", "for", "and", "in", "at", "on", "de"}
_ROLE_AFTER = re.compile(r"^\s*,\s*(?P<role>(?:[A-ZА-ЯЁ]\.|[^,.;:()])+)")


def clean_name(name):
    return re.sub(r"\s+", " ", re.sub(r"\.(?=\S)", ". ", name)).strip()


def is_role(text):
    text = text.strip()
    return bool(text) and bool(_ROLE_WORD.search(text)) and not _VERB.match(text)


def role_after(text, end):
    """The position written after a name ending at ``end``: ", Director of ..."."""
    match = _ROLE_AFTER.match(text[end:])
    if match and is_role(match.group("role")):
        return match.group("role").strip()
    return ""


def _role_before_ru(segment):
    """Russian: from the first position word of the clause before the name, with an adjective
    before it ("генеральный директор ВГБИЛ")."""
    clause = re.split(r"[,.;:!?()«»—–]", segment)[-1]
    words = clause.split()
    for index, word in enumerate(words):
        if _ROLE_WORD.match(word.lower()) or _ROLE_WORD.search(word.lower()[:10]):
            if index and re.search(r"(?:ый|ий|ой|ая|яя)$", words[index - 1]):
                index -= 1
            role = " ".join(words[index:])
            return role if is_role(role) else ""
    return ""


def role_before(text, start, stop=0):
    """The position written just before a name starting at ``start`` (not before ``stop``):
    capitalised words and "of", "the", "for", "and" ("The LFL Director General"); in Russian
    the words from the first position word of the clause ("генеральный директор ВГБИЛ")."""
    if re.match(r"[А-ЯЁ]", text[start : start + 1]):
        return _role_before_ru(text[stop:start])
    words = text[stop:start].split()
    taken = []
    for word in reversed(words):
        bare = word.strip('“”"«»')
        if bare != word or not bare or bare[-1] in ",;:)(":
            break
        if bare.endswith(".") and not re.fullmatch(r"(?:[A-ZА-ЯЁ]\.)+", bare):
            break  # the end of the sentence before
        if bare[0].isupper() or bare in _CONNECTORS:
            taken.append(bare)
            continue
        break
    taken.reverse()
    while taken and (taken[0].lower() in _CONNECTORS):
        taken.pop(0)
    role = " ".join(taken)
    return role if is_role(role) else ""


def split_person(text):
    """``(name, role, topic)`` of a line that names one person ("Name, role: topic", "Name,
    role — topic", "Role Name"); None when it names nobody."""
    text = re.sub(r"\s+", " ", text).strip().lstrip("—–-•* ").strip()
    text = text.rstrip(".")
    topic = ""
    for separator in (": ", " — ", " – "):
        head, found, tail = text.partition(separator)
        if found and (_NAME_ONLY.match(head.split(",")[0].strip()) or "," in head):
            text, topic = head.strip(), tail.strip()
            break
    first, _, rest = text.partition(",")
    first, rest = first.strip(), rest.strip()
    if _NAME_ONLY.match(first):
        # "Name, who ..." names no position; "Name, librarian at ..." does.
        return clean_name(first), "" if _NOT_ROLE.match(rest) else rest, topic
    match = _NAME_AT_END.search(text)
    if match and (match.start() == 0 or is_role(text[: match.start()])):
        return clean_name(match.group(0)), text[: match.start()].strip(" ,"), topic
    return None


def people_in(text):
    """``[(name, role, start, end)]`` of the names with an initial or patronymic in a
    paragraph, each with the position written beside it (or "")."""
    found = []
    stop = 0
    for match in NAME_IN_TEXT.finditer(text):
        role = role_after(text, match.end()) or role_before(text, match.start(), stop)
        found.append((clean_name(match.group(0)), role, match.start(), match.end()))
        stop = match.end()
    return found


# Names written without an initial ("The IFLA President Christine Mackenzie", "Loida Garcia
# Febo, an international library expert") are taken only beside a position: right after a
# title word, or before ", a/an/the <position>". Capitalised words of organisations and places
# are not names ("President Russian Library Association").
_TITLE_WORD = (
    r"(?:President(?:-elect)?|Vice-President|Director(?:\s+General)?|Minister|Head|Chair(?:man|"
    r"woman|person)?|Secretary(?:\s+General)?|Dean|Rector|Editor(?:-in-Chief)?|Professor|"
    r"Librarian|Ambassador|Governor|[Ee]xpert|[Ss]cholar|[Ll]ibrarian|[Pp]resident(?:-elect)?)"
)
_PLAIN_NAME = rf"{_LAT_WORD}(?:\s+{_LAT_WORD}){{1,2}}"
_AFTER_TITLE = re.compile(rf"\b{_TITLE_WORD}\s+(?P<name>{_PLAIN_NAME})(?![\w'’-]|\s+[A-Z]|\s*\()")
_BEFORE_ROLE = re.compile(
    rf"(?<![\w.’'-])(?P<name>{_PLAIN_NAME}),\s+(?:a|an|the)\s+(?P<role>[^,.;:()]+)"
)
_NOT_NAME_WORDS = {
    "Library", "Libraries", "Association", "Federation", "Council", "Center", "Centre",
    "Ministry", "University", "Institute", "Society", "Oblast", "State", "National", "Russian",
    "Culture", "System", "Cluster", "Academy", "Foundation", "Museum", "Committee", "Board",
    "Section", "Union", "Portal", "Agency", "Department", "Service", "Press", "Magazine",
    "Company", "Group", "International", "Public", "Universal", "Scientific", "Central", "City",
    "Federal", "Regional", "Foreign", "Literature", "General", "Governing", "American", "The",
    "Of", "Deputy", "Director", "President", "Minister", "Head", "Member", "Project", "Projects",
    "Forum", "Meeting", "Conference", "Award", "Prize", "Programme", "Program", "Day", "Week",
    "Librarian", "Editor", "Professor", "Chair", "Secretary", "Dean", "Rector", "Ambassador",
    "Governor", "Expert", "Scholar", "Vice", "Elect", "In", "At", "On", "For", "With", "During",
    "After", "Before", "Saint", "St", "New", "North", "South", "East", "West", "Moscow",
    "Russia", "Petersburg", "Region", "Republic", "Street", "Hall", "Office",
}  # fmt: skip
# After ", a/an/the": a person's position names a person within its first words ("an
# international library expert"), unlike "the libraries of the region".
_PERSON_NOUN = re.compile(
    r"^(?:\S+\s+){0,3}?(?:expert|scholar|librarian|president|director|head|member|professor|"
    r"editor|researcher|consultant|writer|journalist|author|specialist|manager|curator|chair|"
    r"founder|minister|coordinator|historian|translator|archivist|teacher|lecturer)s?\b",
    re.IGNORECASE,
)


def _plain_name(name):
    return not any(word.strip("’'") in _NOT_NAME_WORDS for word in re.split(r"[\s-]+", name))


def titled_people_in(text):
    """``[(name, role, start, end)]`` of the names without an initial that a paragraph writes
    beside a position: "IFLA President-elect Barbara Lison", "Loida Garcia Febo, an
    international library expert" (the role without its article)."""
    found = []
    for match in _AFTER_TITLE.finditer(text):
        # "Head Librarian Anna Smith": the title's own words are not the name's.
        start, end = match.span("name")
        words = match.group("name").split()
        while words and words[0] in _NOT_NAME_WORDS:
            start += len(words.pop(0))
            start += len(text[start:]) - len(text[start:].lstrip())
        if len(words) >= 2 and _plain_name(" ".join(words)):
            role = role_after(text, end) or role_before(text, start)
            found.append((text[start:end], role, start, end))
    for match in _BEFORE_ROLE.finditer(text):
        role = match.group("role").strip()
        if _plain_name(match.group("name")) and _PERSON_NOUN.match(role):
            found.append((match.group("name"), role, *match.span("name")))
    return sorted(found, key=lambda person: person[2])


def all_people_in(text):
    """:func:`people_in` and :func:`titled_people_in` together, in the order written; a plain
    name inside a name with an initial is not counted twice."""
    found = people_in(text)
    spans = [(start, end) for _name, _role, start, end in found]
    for person in titled_people_in(text):
        if not any(start < person[3] and person[2] < end for start, end in spans):
            found.append(person)
    return sorted(found, key=lambda person: person[2])
