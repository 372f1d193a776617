"""URLs in text: joined over line breaks, trailing punctuation dropped, quoted titles."""

import pytest

from alma_cms.importer.links import clean_url, join_lines, quoted_title_before, urls_in


@pytest.mark.parametrize(
    ("previous", "line", "joined"),
    [
        # Broken after "/" or "-": joined without a space.
        (
            "https://example.org/forum/2022/",
            "programme.html",
            "https://example.org/forum/2022/programme.html",
        ),
        (
            "(https://www.ifla.org/cpd-guidelines-",
            "summary-ru.pdf).",
            "(https://www.ifla.org/cpd-guidelines-summary-ru.pdf).",
        ),
        # A title after a URL, a second URL, prose: separate.
        (
            "https://example.org/recording",
            "Recording of the round table",
            "https://example.org/recording Recording of the round table",
        ),
        (
            "https://example.org/a",
            "https://example.org/b",
            "https://example.org/a https://example.org/b",
        ),
        ("see https://example.org/", "and more", "see https://example.org/ and more"),
        ("Library as a place", "for everyone", "Library as a place for everyone"),
    ],
)
def test_join_lines(previous, line, joined):
    assert join_lines(previous, line) == joined


def test_clean_url_keeps_balanced_parentheses():
    assert clean_url("https://example.org/x).") == "https://example.org/x"
    assert clean_url("https://en.wikipedia.org/wiki/Foo_(bar)") == (
        "https://en.wikipedia.org/wiki/Foo_(bar)"
    )
    assert urls_in("at https://a.org/x, and «https://b.org/y».") == [
        "https://a.org/x",
        "https://b.org/y",
    ]


def test_quoted_title_before_a_url():
    text = "see “IFLA Guidelines” and “CPD: Principles” (https://ifla.org/cpd.pdf)."
    assert quoted_title_before(text, "https://ifla.org/cpd.pdf") == "CPD: Principles"
    assert quoted_title_before("no quotes https://a.org", "https://a.org") == ""
