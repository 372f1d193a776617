"""Readers: text encodings, binary and oversized files, Markdown and Word structure."""

import codecs

import pytest
from django.test import override_settings

from alma_cms.importer.blocks import HEADING, LIST_ITEM, PARAGRAPH
from alma_cms.importer.errors import DocumentError
from alma_cms.importer.readers import read_blocks

from .conftest import DOCUMENTS
from .docx_builder import summer_school_docx

RUSSIAN = "Итоговый документ форума\n\nI. Чтение\n\n1. Семейные клубы чтения\n"


@pytest.mark.parametrize(
    "encoded",
    [
        RUSSIAN.encode("utf-8"),
        codecs.BOM_UTF8 + RUSSIAN.encode("utf-8"),
        RUSSIAN.encode("cp1251"),
        RUSSIAN.encode("utf-16"),
    ],
    ids=["utf-8", "utf-8-bom", "cp1251", "utf-16"],
)
def test_text_encodings_are_detected(tmp_path, encoded):
    path = tmp_path / "doc.txt"
    path.write_bytes(encoded)
    blocks = read_blocks(path)
    assert [b.text for b in blocks] == [
        "Итоговый документ форума",
        "I. Чтение",
        "1. Семейные клубы чтения",
    ]
    assert [b.ref for b in blocks] == ["line 1", "line 3", "line 5"]
    assert [b.gap_before for b in blocks] == [False, True, True]
    assert blocks[0].kind == PARAGRAPH


def test_a_binary_file_named_txt_is_refused(tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(DocumentError) as error:
        read_blocks(path)
    assert "photo.txt is not a text file" in str(error.value)
    assert "binary data at byte 6" in str(error.value)  # 0x1a (SUB) after the PNG signature


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # 50 MB of (sparse) zeros
    with pytest.raises(DocumentError) as error:
        read_blocks(path)
    assert str(error.value) == (
        "huge.txt is 50.0 MB, more than the import limit of 10.0 MB "
        "(ALMA_CMS['IMPORT_MAX_FILE_SIZE'])."
    )


def test_the_size_limit_is_a_setting(tmp_path):
    path = tmp_path / "small.txt"
    path.write_text("x" * 2048)
    with override_settings(ALMA_CMS={"IMPORT_MAX_FILE_SIZE": 1024}):
        with pytest.raises(DocumentError, match="more than the import limit of 0.0 MB"):
            read_blocks(path)
    assert read_blocks(path)[0].text == "x" * 2048


@pytest.mark.parametrize("content", [b"", b"   \n\n\t\n"])
def test_an_empty_file_is_refused(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(DocumentError) as error:
        read_blocks(path)
    assert str(error.value) == "line 1: empty.txt is empty: it has no text to import."


def test_other_file_types_are_refused(tmp_path):
    path = tmp_path / "document.pdf"
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(DocumentError, match=r"'\.pdf' cannot be imported; use \.txt, \.md"):
        read_blocks(path)


def test_markdown_headings_bullets_and_links():
    blocks = read_blocks(DOCUMENTS / "headings-ru.md")
    first = blocks[0]
    assert (first.kind, first.level, first.text) == (
        HEADING,
        1,
        "Резолюция круглого стола «Библиотека и город»",
    )
    emphasis = next(b for b in blocks if "тихого" in b.text)
    assert emphasis.text == "2. Создание зон тихого чтения"  # "**" dropped, number kept
    linked = next(b for b in blocks if b.links and b.kind == PARAGRAPH)
    assert linked.links == [("сайте ассоциации", "https://example.org/rba/practices")]
    assert linked.text.endswith("на сайте ассоциации.")
    bullets = [b for b in blocks if b.kind == LIST_ITEM]
    assert [b.marker for b in bullets] == ["-", "-"]
    assert bullets[0].ref == "line 30"


def test_docx_headings_numbering_and_hyperlinks(tmp_path):
    blocks = read_blocks(summer_school_docx(tmp_path / "school.docx"))
    assert (blocks[0].kind, blocks[0].level) == (HEADING, 0)
    assert blocks[3].kind == HEADING and blocks[3].text == "Introduction"
    items = [(b.marker, b.level, b.text) for b in blocks if b.kind == LIST_ITEM]
    assert items == [
        ("I.", 0, "Green buildings"),
        ("1.", 1, "Measuring the energy use of every branch"),
        ("2.", 1, "Baltic Library Network (BLN) acting as Mentor"),
        ("3.", 1, "Planting library gardens"),
        ("II.", 0, "Climate literacy"),
        ("1.", 1, "Reading lists on climate for young adults"),
        ("2.", 1, "Talks with scientists"),
    ]
    mentor = next(b for b in blocks if b.text.startswith("The network"))
    assert mentor.links == [("mentoring programme", "https://example.org/bln/mentoring")]
    assert mentor.text == (
        "The network pairs libraries with a mentoring programme for their first energy audit."
    )
    assert mentor.ref == "paragraph 10" and mentor.whole


def test_a_broken_docx_is_refused(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"not a zip file at all")
    with pytest.raises(DocumentError, match="broken.docx is not a Word document"):
        read_blocks(path)
