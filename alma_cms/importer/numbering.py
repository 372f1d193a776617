"""Numbering markers at the start of a line: "IV.", "3.", "2)", "1.2", "b)", "Section 2:",
bullets. :func:`parse_marker` says which style a line's number has and its value."""

import re
from dataclasses import dataclass

ROMAN = "roman"
ARABIC = "arabic"
DECIMAL = "decimal"  # "1.2": direction 1, item 2
LETTER = "letter"
SECTION = "section"
BULLET = "bullet"

_SECTION = re.compile(
    r"^(?:section|direction|part|chapter|раздел|направление|часть|глава)\s+"
    r"(\d+|[IVXLC]+)\s*[:.\-–—)]?\s+(.+)$",
    re.IGNORECASE,
)
_ROMAN = re.compile(r"^([IVXLC]+)[.)]\s+(.+)$")
_DECIMAL = re.compile(r"^(\d{1,2})\.(\d{1,3})\.?\)?\s+(.+)$")
_ARABIC = re.compile(r"^(\d{1,3})[.)]\s+(.+)$")
_LETTER = re.compile(r"^\(?([a-zа-я])[.)]\s+(.+)$")
_BULLET = re.compile(r"^[-–•*●▪]\s+(.+)$")

LATIN = "abcdefghijklmnopqrstuvwxyz"
CYRILLIC = "абвгдежзиклмнопрстуфхцчшщэюя"  # Russian list letters: no ё, й, ъ, ы, ь

_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman_value(text):
    total = 0
    for index, letter in enumerate(text):
        value = _ROMAN_VALUES[letter]
        following = _ROMAN_VALUES[text[index + 1]] if index + 1 < len(text) else 0
        total += -value if value < following else value
    return total


def letter_value(letter):
    letter = letter.lower()
    for alphabet in (LATIN, CYRILLIC):
        if letter in alphabet:
            return alphabet.index(letter) + 1
    return 0


@dataclass
class Marker:
    style: str
    number: tuple  # (n,) or (direction, item) for DECIMAL; () for BULLET
    label: str  # as written: "IV", "1.2", "b"
    rest: str  # the text after the marker


def parse_marker(text):
    """The :class:`Marker` at the start of ``text``, or None."""
    if match := _SECTION.match(text):
        number = match.group(1)
        value = int(number) if number.isdigit() else roman_value(number.upper())
        return Marker(SECTION, (value,), number, match.group(2).strip())
    if match := _ROMAN.match(text):
        return Marker(ROMAN, (roman_value(match.group(1)),), match.group(1), match.group(2))
    if match := _DECIMAL.match(text):
        first, second = int(match.group(1)), int(match.group(2))
        label = f"{first}.{second}"
        return Marker(DECIMAL, (first, second), label, match.group(3))
    if match := _ARABIC.match(text):
        return Marker(ARABIC, (int(match.group(1)),), match.group(1), match.group(2))
    if match := _LETTER.match(text):
        letter = match.group(1)
        return Marker(LETTER, (letter_value(letter),), letter, match.group(2))
    if match := _BULLET.match(text):
        return Marker(BULLET, (), "-", match.group(1))
    return None
