"""Numbering markers at the start of a line."""

import pytest

from alma_cms.importer import numbering as nb


@pytest.mark.parametrize(
    ("text", "style", "number", "rest"),
    [
        ("IV. LIS education", nb.ROMAN, (4,), "LIS education"),
        ("XII) Money", nb.ROMAN, (12,), "Money"),
        ("3. Preventive actions", nb.ARABIC, (3,), "Preventive actions"),
        ("2) Forging partnerships", nb.ARABIC, (2,), "Forging partnerships"),
        ("1.2 Publishing a list", nb.DECIMAL, (1, 2), "Publishing a list"),
        ("10.11. Talks", nb.DECIMAL, (10, 11), "Talks"),
        ("b) Free cards", nb.LETTER, (2,), "Free cards"),
        ("(c) Gardens", nb.LETTER, (3,), "Gardens"),
        ("в) Волонтёры", nb.LETTER, (3,), "Волонтёры"),
        ("Section 2: Collections", nb.SECTION, (2,), "Collections"),
        ("Раздел 3. Люди", nb.SECTION, (3,), "Люди"),
        ("Part IV – Money", nb.SECTION, (4,), "Money"),
        ("- Quiet corners", nb.BULLET, (), "Quiet corners"),
    ],
)
def test_markers(text, style, number, rest):
    marker = nb.parse_marker(text)
    assert (marker.style, marker.number, marker.rest) == (style, number, rest)


@pytest.mark.parametrize(
    "text", ["25 April 2019", "2019 was a year", "Introduction", "M.I. Rudomino Library", "I am"]
)
def test_not_markers(text):
    assert nb.parse_marker(text) is None
