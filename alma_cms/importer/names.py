"""People's names as documents write them: matching a speaker named in a report to an existing
speaker whatever the initials, patronymic, word order or transliteration.

"Svetlana A. Gorokhova", "S. Gorokhova", "Svetlana Gorokhova", "Gorokhova, S. A.",
"Горохова Светлана Александровна" and "С. А. Горохова" are one person; "A. Ivanova" and
"B. Ivanova", or "Ivanov" and "Ivanova", are not. Pure Python, no Django.

Public API:

- :func:`parse_name` (text → :class:`PersonName`),
- :func:`name_key` (text → ``"family:i"``, a cheap lookup key),
- :func:`name_key_variants` (text → every key a matching name may have),
- :func:`same_person` (two names → bool).

Use: index existing speakers by :func:`name_key`, look a new name up by
:func:`name_key_variants`, confirm each candidate with :func:`same_person`. The contract, tested
on every positive pair: ``same_person(a, b)`` implies ``name_key(b) in name_key_variants(a)``
when ``b``'s word order is certain, as it is for a speaker page's fields:
``name_key(PersonName(given=page.given_name, middle=page.middle_name,
family=page.family_name))``.

Transliteration. Russian names reach documents in several romanisations: GOST 7.79-2000 system
B ("Afanas`ev", "Gorohova"), BGN/PCGN 1947 ("Afanas'yev", "Gorokhova"), ICAO Doc 9303 part 3
(passports since 2013: "Afanasev", "Iuliia", "Tatiana"), ISO 9 with diacritics ("Čalova"),
the Library of Congress table ("Belia︠k︡ova") and the popular "y" spellings ("Belyakova",
"Yulia"). Rather than guess which system a name used, :func:`canonical` maps Cyrillic through
one table and then folds *every* Latin spelling to one form, so that all of them meet:

====================  =====================  ==========================================
Cyrillic              variants               canonical (why)
====================  =====================  ==========================================
я, ю, е (after vowel) ya/ia/ja, yu/iu/ju,    ia, iu, e ("y" and "j" → "i"; "ie" → "e"
                      ye/ie/je/e             inside a word: BGN "ye" after vowels/ь)
й, ий, ый             y/i/j, iy/ii/ij/y      i (then doubled letters collapse)
ё                     yo/io/e/ë              e (ICAO and GOST write "e")
х                     kh/h/x                 h
ц                     ts/tc/tz               ts
щ                     shch/sch/ŝ             sh (щ and ш meet: "Shchukin" = "Schukin")
ь, ъ                  ' ʹ ’ ` or nothing     dropped
кс                    ks/x                   ks
doubled letters       "Larissa"/"Larisa"     one letter ("Маккензи" = "Mackenzie")
====================  =====================  ==========================================

Names of other languages written in Cyrillic ("Гарсия-Фебо", "Мигель Х. Паласио") meet their
Latin spelling through a few more Latin rules: "c" before e/i/y → "s", other "c" → "k",
"gu"/"qu" before e/i → "g"/"k", "ph" → "f", "w" → "v", a final "ie" → "i". An initial in the
other script is compared through :data:`LATIN_INITIAL_CYRILLIC` (Spanish "J." is "Х.").
Translated given names ("Christine"/"Кристина") are not transliterations and do not meet.
"""

import re
import unicodedata
from dataclasses import dataclass, replace

__all__ = [
    "LATIN_INITIAL_CYRILLIC",
    "PersonName",
    "canonical",
    "name_key",
    "name_key_variants",
    "parse_name",
    "same_person",
]

# Cyrillic → Latin, one choice a letter (BGN/PCGN-like); canonical() folds the alternatives.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "і": "i", "ї": "yi", "є": "ye", "ґ": "g", "ў": "u",
}  # fmt: skip
# ISO 9 / GOST 7.79 system A letters whose diacritic carries the sound (stripping it would
# turn "č" into "c").
_ISO9 = {"č": "ch", "š": "sh", "ž": "zh", "ŝ": "shch", "ë": "e", "è": "e", "û": "yu", "â": "ya"}
_SOFT_MARKS = "'’ʹʺʼ`′\u2018\ufe20\ufe21"

# Latin spelling → the Cyrillic letters a name or initial starting so may begin with in Russian
# (longest prefix wins). Used only between scripts: "J. Palacio" = "Х. Паласио" (Spanish j),
# "J. Smith" ≠ "H. Smith".
LATIN_INITIAL_CYRILLIC = {
    "shch": "щ", "sch": "щш", "tch": "ч", "dzh": "д", "dj": "д",
    "sh": "шщ", "ch": "чкх", "zh": "ж", "kh": "х", "ts": "ц", "tc": "ц", "ph": "ф", "th": "т",
    "yu": "ю", "iu": "ю", "ju": "юх", "ya": "я", "ia": "я", "ja": "я", "ye": "е", "je": "е",
    "yo": "ёе", "io": "ёи", "jo": "хжё",
    "a": "а", "b": "б", "c": "кцсч", "d": "д", "e": "еэё", "f": "ф", "g": "гжх", "h": "хг",
    "i": "ийюяе", "j": "йюяеёжхд", "k": "кх", "l": "л", "m": "м", "n": "н", "o": "о",
    "p": "пф", "q": "к", "r": "р", "s": "сшщ", "t": "тц", "u": "уюа", "v": "в", "w": "ву",
    "x": "кх", "y": "йюяеёы", "z": "зж",
}  # fmt: skip

_HONORIFICS = re.compile(
    r"^(?:dr|prof|professor|mr|mrs|ms|miss|mx|sir|dame|madam|mme|hon|rev|"
    r"г-н|г-жа|господин|госпожа|д-р|проф|профессор|доктор|акад|академик)\.?(?=\s|$)\s*",
    re.IGNORECASE,
)
_DEGREES = re.compile(
    r"(?:,?\s+(?:ph\.?\s?d\.?|mlis|mls|msc|mba|jr\.?|sr\.?|[кд]\.\s?[а-я]{1,3}\.\s?н\.))+$",
    re.IGNORECASE,
)
_INITIAL = re.compile(
    r"^(?:[A-ZА-ЯЁ]\.?|(?:Shch|Yu|Ya|Ye|Yo|Iu|Ia|Ju|Ja|Je|Zh|Kh|Ch|Sh|Ts|Tc|Th|Ph|Дж)\.)"
    r"(?:-[A-ZА-ЯЁ][a-zа-яё]{0,3}\.)?$"
)
_CYRILLIC_LETTER = re.compile(r"[а-яёіїєґў]", re.IGNORECASE)
# Patronymic endings (Russian order "Горохова Светлана Александровна" is told by them).
_PATRONYMIC = re.compile(
    r"(?:ович|евич|ьич|ич|овна|евна|ична|ovich|evich|ovitch|evitch|ovna|evna|ichna|yich)$",
    re.IGNORECASE,
)
# Canonical endings of Russian family names; "strong" ones decide the order of two words.
_FAMILY_STRONG = ("ova", "eva", "ov", "ev", "ski", "skaia", "skaa", "enko", "uk", "ih")
_FAMILY_WEAK = ("ina", "in")
_GIVEN_LOOKING_FAMILY = {"lev", "iakov"}  # given names with a family ending
_PARTICLES = {
    "van", "von", "der", "den", "de", "la", "le", "del", "della", "da", "di", "du", "dos",
    "das", "ter", "ten", "bin", "ibn", "al", "el", "y",
}  # fmt: skip


def canonical(text):
    """The folded Latin form of a name or a part of one: ``"Горохова"`` → ``"gorohova"``,
    ``"Belyakova"``/``"Beliakova"``/``"Белякова"`` → ``"beliakova"``.

    Lower case, letters and hyphens only (spaces become hyphens). The rules are in the module
    docstring; they are applied to both sides of every comparison, so they need not be a
    faithful transliteration, only the same for every spelling of a name.
    """
    text = unicodedata.normalize("NFC", text.lower())
    text = "".join(_CYRILLIC.get(ch, _ISO9.get(ch, ch)) for ch in text)
    text = "".join(ch for ch in text if ch not in _SOFT_MARKS)
    text = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[\s\-‐‑–]+", "-", text)
    text = re.sub(r"[^a-z\-]", "", text).strip("-")
    for pattern, repl in (
        (r"tch", "ch"),
        (r"dj", "dzh"),
        (r"s?shch|sch", "sh"),
        (r"ph", "f"),
        (r"w", "v"),
        (r"x", "ks"),
        (r"kh", "h"),
        (r"ck", "k"),
        (r"qu(?=[eiy])", "k"),
        (r"gu(?=[eiy])", "g"),
        (r"t[cz]", "ts"),
        (r"c(?=[eiy])", "s"),
        (r"c(?!h)", "k"),
        (r"[yj]", "i"),
        (r"ie\b", "i"),  # "Mackenzie" = "Маккензи"
        (r"ie", "e"),  # "Afanasiev" = "Afanasyev" = "Afanasev", "Yelena" = "Elena"
        (r"(?<=[^aeiou\-])io(?=[^aeiou\-])", "e"),  # "Fyodor"/"Fiodor" = "Фёдор"
        (r"(.)\1+", r"\1"),  # "Larissa" = "Larisa", "Dmitrii" = "Dmitry"
    ):
        text = re.sub(pattern, repl, text)
    return text


@dataclass(frozen=True)
class PersonName:
    """A name split into its parts, each as written (whitespace tidied, all-capital words
    title-cased): ``PersonName(given="Svetlana", middle="A.", family="Gorokhova",
    initials="S. A.")``.

    ``given`` and ``middle`` may be initials ("S.", "Yu."); ``middle`` holds a patronymic or
    a Western middle name (several words joined by spaces), ``family`` may be hyphenated or
    carry particles ("van Beethoven"). Empty parts are "". ``initials`` are the given and
    middle initials ("S. A.", "С. А."), ``honorific`` what was stripped ("Dr", "Prof.").
    ``order_certain`` is False for two words whose order nothing told ("Polina Ilyina"):
    :func:`same_person` then also tries them swapped.
    """

    given: str = ""
    middle: str = ""
    family: str = ""
    initials: str = ""
    honorific: str = ""
    order_certain: bool = True

    @property
    def patronymic_or_middle(self):
        return self.middle

    @property
    def full_name(self):
        """Western order, as ``SpeakerPage.full_name`` without the honorific."""
        return " ".join(p for p in (self.given, self.middle, self.family) if p)

    @property
    def script(self):
        """``"cyrillic"`` when any part has a Cyrillic letter, else ``"latin"``."""
        return "cyrillic" if _CYRILLIC_LETTER.search(self.full_name) else "latin"

    @property
    def given_is_initial(self):
        return _is_initial(self.given)

    def swapped(self):
        return replace(self, given=self.family, family=self.given, initials=_initials(self.family))


def _is_initial(token):
    return bool(token) and bool(_INITIAL.match(token))


def _script(text):
    return "cyrillic" if _CYRILLIC_LETTER.search(text) else "latin"


def _tidy_initial(token):
    # "S" → "S.", "S.-P." kept
    return token if token.endswith(".") else token + "."


def _initials(*parts):
    out = []
    for part in parts:
        for word in part.split():
            if _is_initial(word):
                out.append(_tidy_initial(word))
            elif word:
                out.append("-".join(p[:1].upper() + "." for p in word.split("-") if p))
    return " ".join(out)


def _title(word):
    # Only all-capital words: "GOROKHOVA" → "Gorokhova"; "McDonald", "van" stay.
    if len(word) > 1 and word.isupper() and not _is_initial(word):
        return "-".join(p.capitalize() for p in word.split("-"))
    return word


def _clean(text):
    text = unicodedata.normalize("NFC", str(text))
    text = re.sub(r"[\u00a0\u2000-\u200b\u202f\u205f\u3000\t\r\n]", " ", text)
    text = re.sub(r"\([^)]*\)", " ", text)  # "(LFL)"
    text = re.sub(r"\s+[–—]\s+.*$", "", text)  # "Name – role"
    text = text.strip().strip("\"“”«»„'").strip()
    text = re.sub(r"(?<=\w)\s*[-‐‑]\s*(?=\w)", "-", text)  # "Garcia - Febo"
    text = re.sub(r"\s+", " ", text)
    honorifics = []
    while match := _HONORIFICS.match(text):
        if not text[match.end() :].strip():
            break
        honorifics.append(match.group(0).strip())
        text = text[match.end() :]
    text = _DEGREES.sub("", text).strip(" ,;:")
    return text, " ".join(honorifics)


def _split_tokens(text):
    # "С.А.Горохова", "V.V. Mayakovsky": split after a dot glued to a letter.
    text = re.sub(r"(?<=\.)(?=[^\W\d_])", " ", text)
    return text.split()


def _family_score(word, capitals):
    form = canonical(word)
    if capitals:
        return 3
    if form in _GIVEN_LOOKING_FAMILY:
        return 0
    if len(form) >= 4 and form.endswith(_FAMILY_STRONG):
        return 2
    return 1 if form.endswith(_FAMILY_WEAK) else 0


def _join_family(tokens, end):
    """The family name ending at ``tokens[end]`` with the particles before it: its start."""
    start = end
    while start > 1 and tokens[start - 1].lower() in _PARTICLES:
        start -= 1
    return start


def _parse_words(text, honorific):
    comma = text.split(",")
    if len(comma) > 1:
        left, right = comma[0].strip(), comma[1].strip()
        right_tokens = [_title(t) for t in _split_tokens(right)]
        left_tokens = [_title(t) for t in _split_tokens(left)]
        # "Gorokhova, S. A.", "Gorokhova, Svetlana"; not "Svetlana Gorokhova, Director"
        if (
            1 <= len(right_tokens) <= 3
            and 1 <= len(left_tokens) <= 3
            and not any(_is_initial(t) for t in left_tokens)
            and all(t[:1].isupper() for t in right_tokens)
            and (_is_initial(right_tokens[0]) or len(left_tokens) == 1)
        ):
            given, middle = right_tokens[0], " ".join(right_tokens[1:])
            return _build(given, middle, " ".join(left_tokens), honorific)
        text = left  # "Svetlana A. Gorokhova, RLA Board Member"
    raw = _split_tokens(text)
    if not raw:
        return None
    capitals = [len(t) > 1 and t.isupper() and not _is_initial(t) for t in raw]
    tokens = [_title(t) for t in raw]
    kinds = [_is_initial(t) for t in tokens]
    words = [i for i, k in enumerate(kinds) if not k]
    if not words:  # initials only: not a name
        return None
    if any(kinds):
        if min(i for i, k in enumerate(kinds) if k) > max(words):
            # "Горохова С. А.", "Garcia Febo L."
            initials = [t for t, k in zip(tokens, kinds, strict=True) if k]
            family = " ".join(t for t, k in zip(tokens, kinds, strict=True) if not k)
            return _build(initials[0], " ".join(initials[1:]), family, honorific)
        last = max(words)
        start = _join_family(tokens, last)
        front = tokens[:start]  # "Svetlana A.", "S. A."
        given, middle = (front[0] if front else ""), " ".join(front[1:])
        return _build(given, middle, " ".join(tokens[start:]), honorific)
    if len(tokens) == 1:
        return _build("", "", tokens[0], honorific)
    if len(tokens) == 3 and not _PATRONYMIC.search(tokens[1]) and _PATRONYMIC.search(tokens[2]):
        return _build(tokens[1], tokens[2], tokens[0], honorific)  # Family Given Patronymic
    scores = [_family_score(t, capital) for t, capital in zip(tokens, capitals, strict=True)]
    if scores[0] == 3 and 3 not in scores[1:]:
        # "GOROKHOVA Svetlana Aleksandrovna": a family name in capitals comes first
        return _build(tokens[1], " ".join(tokens[2:]), tokens[0], honorific)
    if len(tokens) == 2:
        first, second = scores
        if first >= 2 and second < 2:
            return _build(tokens[1], "", tokens[0], honorific)  # "Ivanova Irina"
        name = _build(tokens[0], "", tokens[1], honorific)
        if second >= 2 and first < 2:
            return name
        return replace(name, order_certain=False)
    start = _join_family(tokens, len(tokens) - 1)
    return _build(tokens[0], " ".join(tokens[1:start]), " ".join(tokens[start:]), honorific)


def _build(given, middle, family, honorific):
    given = _tidy_initial(given) if _is_initial(given) else given
    middle = " ".join(_tidy_initial(t) if _is_initial(t) else t for t in middle.split())
    return PersonName(
        given=given,
        middle=middle,
        family=family,
        initials=_initials(given, middle),
        honorific=honorific,
    )


def parse_name(text):
    """A person's name → :class:`PersonName`.

    Reads "Given M. Family", "G. M. Family", "G.M.Family", "Given Middle Family", "Family, G.
    M.", "Family G. M.", Russian order "Family Given Patronymic" (told by the patronymic's
    ending: -ович/-евич/-ич/-овна/-евна/-ична and their Latin forms, or by a family name in
    capitals), "Family Given" when only the first word has a Russian family ending
    ("Ivanova Irina"). Strips honorifics (Dr, Prof., Mr, Ms, г-жа, д-р, проф. ...), degrees
    (PhD, к.п.н.), anything in parentheses and a role after a comma or a spaced dash
    ("Svetlana A. Gorokhova, RLA Board Member"). Tolerates odd spacing and "Garcia - Febo".

    Raises ValueError when ``text`` holds no name (no letters, or initials only).
    """
    text, honorific = _clean(text)
    has_letters = re.search(r"[^\W\d_]", text)
    name = _parse_words(text, honorific) if has_letters else None
    if name is None or not name.family:
        raise ValueError(f"No person's name in {text!r}.")
    return name


def _as_name(value):
    return value if isinstance(value, PersonName) else parse_name(value)


def _readings(name):
    return [name, name.swapped()] if not name.order_certain else [name]


def _family_key(family):
    return canonical(family).replace("-", "")


def _prefix_match(a, b):
    return bool(a) and bool(b) and (a.startswith(b) or b.startswith(a))


def _latin_start_letters(word):
    lower = unicodedata.normalize("NFKD", word.lower())
    lower = "".join(ch for ch in lower if ch.isalpha() and not unicodedata.combining(ch))
    for length in (4, 3, 2, 1):
        if lower[:length] in LATIN_INITIAL_CYRILLIC:
            return LATIN_INITIAL_CYRILLIC[lower[:length]]
    return ""


def _raw(word):
    word = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in word if ch.isalpha() and not unicodedata.combining(ch))


def _part_compatible(a, b):
    """Two given names or two middles: equal, or one is an initial of the other."""
    if not (_is_initial(a) or _is_initial(b)):
        return canonical(a) == canonical(b)
    ca, cb = canonical(a), canonical(b)
    if _prefix_match(ca, cb):
        return True
    sa, sb = _script(a), _script(b)
    if sa == sb == "latin":
        return _prefix_match(_raw(a), _raw(b))  # "C." = "Cecilia" (canonical "s...")
    if sa != sb:
        latin, cyrillic = (a, b) if sa == "latin" else (b, a)
        first = _raw(cyrillic)[:1].replace("ё", "е")
        return bool(first) and first in _latin_start_letters(latin)
    return False


def _family_match(a, b):
    """Family names equal, or one the other's middle and family together ("Loida Garcia
    Febo" = "Loida Garcia-Febo"): (matched, middle of a, middle of b) to compare next."""
    fa, fb = _family_key(a.family), _family_key(b.family)
    if fa and fa == fb:
        return True, a.middle, b.middle
    if a.middle and not _is_initial(a.middle) and _family_key(a.middle) + fa == fb:
        return True, "", b.middle
    if b.middle and not _is_initial(b.middle) and _family_key(b.middle) + fb == fa:
        return True, a.middle, ""
    return False, "", ""


def _match(a, b, allow_missing_given):
    matched, middle_a, middle_b = _family_match(a, b)
    if not matched:
        return False
    if not a.given and not b.given:
        return True
    if not a.given or not b.given:
        return allow_missing_given
    if not _part_compatible(a.given, b.given):
        return False
    if middle_a and middle_b:
        return _part_compatible(middle_a.split()[0], middle_b.split()[0]) and (
            len(middle_a.split()) == 1
            or len(middle_b.split()) == 1
            or canonical(middle_a) == canonical(middle_b)
        )
    return True


def same_person(a, b, *, allow_missing_given=False):
    """Whether names ``a`` and ``b`` (text or :class:`PersonName`) name one person.

    Yes when the family names are equal after :func:`canonical` (hyphens and spaces ignored;
    "Loida Garcia Febo" = "Loida Garcia-Febo"), the given names are compatible (equal after
    :func:`canonical`, or one is an initial the other starts with, across scripts through
    :data:`LATIN_INITIAL_CYRILLIC`), and the middle names or patronymics, when both are
    given, are compatible the same way ("A." = "Александровна"; "Aleksandrovna" ≠
    "Alekseevna"). A name with no given name matches only one with none, unless
    ``allow_missing_given``. Text with no name is never the same person as anything.
    """
    try:
        a, b = _as_name(a), _as_name(b)
    except ValueError:
        return False
    return any(_match(ra, rb, allow_missing_given) for ra in _readings(a) for rb in _readings(b))


def name_key(text):
    """A cheap lookup key: ``"<canonical family, no hyphens>:<first letter of the canonical
    given name>"``: ``"Svetlana A. Gorokhova"`` and ``"Горохова С. А."`` → ``"gorohova:s"``;
    ``"Gorokhova"`` → ``"gorohova:"``. Store it for each existing speaker and look a new name
    up with :func:`name_key_variants`. Raises ValueError as :func:`parse_name`."""
    name = _as_name(text)
    return f"{_family_key(name.family)}:{canonical(name.given)[:1]}"


def _given_letters(given):
    if not given:
        return {""}
    letters = {canonical(given)[:1]}
    if _script(given) == "latin":
        raw = _raw(given)[:1]
        letters |= {raw, canonical(raw)[:1]}
        letters |= {canonical(ch)[:1] for ch in _latin_start_letters(given)}
    else:
        first = _raw(given)[:1].replace("ё", "е")
        for start, cyrillic in LATIN_INITIAL_CYRILLIC.items():
            if first in cyrillic:
                letters |= {start[:1], canonical(start)[:1]}
    return {letter for letter in letters if letter} or {""}


def name_key_variants(text):
    """Every :func:`name_key` a name :func:`same_person` accepts may have: a set of strings.
    Covers swapped readings of two uncertain words, compound family names ("garsiafebo:l",
    "febo:l") and the letters an initial stands for in either script. Always holds the
    family-only key (``"gorohova:"``). Raises ValueError as :func:`parse_name`."""
    name = _as_name(text)
    keys = set()
    for reading in _readings(name):
        parts = [p for p in re.split(r"[\s\-]+", canonical(reading.family)) if p]
        families = {"".join(parts[i:]) for i in range(len(parts))}
        if reading.middle and not _is_initial(reading.middle):
            families.add(_family_key(reading.middle) + _family_key(reading.family))
        for family in families:
            keys.add(f"{family}:")
            keys |= {f"{family}:{letter}" for letter in _given_letters(reading.given)}
    return keys
