"""The final-document parser: the reference document, the samples, other layouts, and each
kind of bad input with the line it names."""

from datetime import date

import pytest

from alma_cms.importer.errors import DocumentError
from alma_cms.importer.final_document import find_date, parse_final_document
from alma_cms.importer.readers import read_blocks
from alma_cms.importer.readers.text import lines_to_blocks
from sandbox.demo import demo_content as demo
from sandbox.demo.i18n import t

from .conftest import DOCUMENTS
from .docx_builder import summer_school_docx


def parse_text(text):
    return parse_final_document(lines_to_blocks(text))


def parse_file(path):
    return parse_final_document(read_blocks(path), path.name)


# --- the 2019 reference document: the demo content's facts ----------------------------------


def test_reference_2019_header(reference_2019):
    doc = parse_file(reference_2019)
    assert doc.title == demo.FINAL_DOCUMENT["title"] == "ALMA 2019 Final Document"
    assert doc.document_type == demo.FINAL_DOCUMENT["document_type"]
    assert doc.adopted_on == demo.FINAL_DOCUMENT["adopted_on"]
    assert doc.status == demo.FINAL_DOCUMENT["status"] == "finalized"
    assert doc.nature == demo.FINAL_DOCUMENT["nature"] == "recommendatory"
    assert doc.theme == "Strong Professional Association – Strong Libraries – Strong Communities"
    assert doc.place == "M.I. Rudomino All-Russia State Library for Foreign Literature in Moscow"
    assert doc.approved_by.lower().startswith("participants in the third annual foresight")
    assert "Steering Committee" in doc.finalized_by
    assert "Russian Library Association" in doc.audience
    assert doc.layout == "Roman-numbered directions"


def test_reference_2019_directions_are_the_demo_directions(reference_2019):
    doc = parse_file(reference_2019)
    assert [len(d.guidelines) for d in doc.directions] == [5, 5, 6, 4, 4, 3]
    assert [d.title for d in doc.directions] == [title for title, _ in demo.DIRECTIONS]
    for direction, (_title, expected) in zip(doc.directions, demo.DIRECTIONS, strict=True):
        for guideline, demo_guideline in zip(direction.guidelines, expected, strict=True):
            if isinstance(demo_guideline, tuple):
                assert guideline.role.role == demo_guideline[0]
                assert guideline.paragraphs
            else:
                assert guideline.title == demo_guideline  # wrapped lines joined, "." dropped
                assert guideline.role is None and guideline.paragraphs == []


def test_reference_2019_roles_of_direction_v(reference_2019):
    direction_v = parse_file(reference_2019).directions[4]
    roles = [g.role for g in direction_v.guidelines]
    assert [r.role for r in roles] == ["Visionary", "Marketing Analyst", "Technologist", "Analyst"]
    assert (roles[0].name, roles[0].short_name) == ("Russian Library Association", "RLA")
    assert {r.short_name for r in roles} == {"RLA"}
    technologist = " ".join(direction_v.guidelines[2].paragraphs)
    # The URL that wraps over two lines is one URL again.
    assert demo.IFLA_CPD_GUIDELINES_URL in technologist


def test_reference_2019_introduction_conclusion_and_links(reference_2019):
    doc = parse_file(reference_2019)
    assert len(doc.introduction) == 2
    assert doc.introduction[0].startswith("On April 25, 2019, Library for Foreign Literature")
    assert "Christine Mackenzie" in doc.introduction[0]
    assert doc.introduction[1].endswith("each of the six core directions.")
    assert len(doc.conclusion) == 1 and "recommendatory nature" in doc.conclusion[0]
    assert [(link.title, link.url) for link in doc.links] == [
        (demo.INTERVIEW_MACKENZIE[1], demo.INTERVIEW_MACKENZIE[0]),
        (demo.INTERVIEW_GARCIA_FEBO[1], demo.INTERVIEW_GARCIA_FEBO[0]),
        (
            "IFLA Guidelines on Continuing Professional Development: Principles and Best Practices",
            demo.IFLA_CPD_GUIDELINES_URL,
        ),
    ]
    assert doc.links[2].description == "Cited in guideline V.3."


# --- the decimal sample, as its README says ---------------------------------------------------


def test_decimal_sample(decimal_sample):
    doc = parse_file(decimal_sample)
    assert doc.document_type == "recommendations"
    assert doc.title == "Recommendations of the Round Table"
    assert doc.forum == "Riverside Reading Forum 2022"
    assert doc.theme == "Libraries as Places of Trust"
    assert (doc.adopted_on, doc.place) == (date(2022, 9, 14), "Kazan")
    assert doc.nature == "recommendatory"
    assert len(doc.introduction) == 1 and doc.introduction[0].startswith("On 14 September 2022")
    assert [d.title for d in doc.directions] == [
        "Reading promotion",
        "Trusted information",
        "People",
    ]
    assert [len(d.guidelines) for d in doc.directions] == [3, 3, 4]
    assert [g.label for g in doc.directions[2].guidelines] == ["3.1", "3.2", "3.3", "3.4"]
    assert doc.directions[0].guidelines[1].title == (
        "Publishing an annual list of recommended books for teenagers, prepared together with "
        "school librarians"
    )
    g23 = doc.directions[1].guidelines[2]
    assert g23.title == "Library as a fact-checking partner"
    assert g23.paragraphs == [
        "The library works with regional newsrooms to check claims about local history and "
        "publishes the results on its website."
    ]
    assert len(doc.conclusion) == 1 and doc.conclusion[0].startswith("These recommendations")
    assert [(link.title, link.url) for link in doc.links] == [
        ("Programme of the Forum", "https://example.org/riverside-forum/2022/programme.html"),
        ("Recording of the round table", "https://example.org/riverside-forum/2022/recording"),
    ]


# --- other layouts ----------------------------------------------------------------------------


def test_section_headings_with_lettered_items():
    doc = parse_file(DOCUMENTS / "sections-lettered.txt")
    assert doc.layout == '"Section N" headings'
    assert (doc.title, doc.document_type) == (
        "Declaration of the Northern Libraries Meeting",
        "declaration",
    )
    assert (doc.adopted_on, doc.place, doc.theme) == (
        date(2024, 3, 3),
        "Tromsø",
        "Open Shelves, Open Minds",
    )
    assert doc.nature == "binding" and doc.status == "approved"
    assert [d.title for d in doc.directions] == ["Access", "Collections"]
    access = doc.directions[0].guidelines
    assert [g.label for g in access] == ["a", "b", "c"]
    assert access[1].title == (
        "Free library cards for newcomers to the region, issued on the day they apply"
    )
    assert (access[2].role.name, access[2].role.short_name, access[2].role.role) == (
        "Northern Library Union",
        "NLU",
        "Coordinator",
    )
    assert "https://example.org/northern-libraries/sundays." in access[2].paragraphs[0]
    assert [(link.title, link.url) for link in doc.links] == [
        ("Meeting page", "https://example.org/northern-libraries/2024"),
        ("Sunday opening list", "https://example.org/northern-libraries/sundays"),
    ]


def test_markdown_in_russian_with_section_headings():
    doc = parse_file(DOCUMENTS / "headings-ru.md")
    assert doc.document_type == "resolution"
    assert (doc.adopted_on, doc.place) == (date(2023, 10, 12), "Самара")
    assert doc.theme == "Библиотека как общественное пространство"
    assert [d.title for d in doc.directions] == ["Пространство", "Люди"]
    assert [len(d.guidelines) for d in doc.directions] == [2, 3]
    assert doc.directions[0].guidelines[1].title == "Создание зон тихого чтения"
    role = doc.directions[1].guidelines[1].role
    assert (role.name, role.short_name) == ("Российская библиотечная ассоциация", "РБА")
    assert doc.audience == "Библиотекам Самарской области"
    # The duplicate programme link is kept once; the guideline's link is cited with its text.
    assert [(link.title, link.url) for link in doc.links] == [
        ("Программа круглого стола", "https://example.org/samara/2023/programme"),
        ("сайте ассоциации", "https://example.org/rba/practices"),
    ]


def test_russian_roles_after_v_roli_are_stored_in_the_nominative():
    # "в роли" takes the genitive; the page stores the role as the demo does: "Визионер".
    doc = parse_file(DOCUMENTS / "alma-2019-final-document-ru.txt")
    roles = [g.role.role for g in doc.directions[4].guidelines]
    assert roles == [t.ru(role) for role, _text in demo.DIRECTIONS[4][1]]
    assert roles == ["Визионер", "Маркетолог-аналитик", "Технолог", "Аналитик"]
    assert parse_file(DOCUMENTS / "headings-ru.md").directions[1].guidelines[1].role.role == (
        "координатор"
    )


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("Координатора", "Координатор"),
        ("«Координатора»", "Координатор"),
        ("Хранителя", "Хранитель"),
        ("Наставника", "Наставник"),
        ("Эксперта", "Эксперт"),
        ("Творца", "Творец"),
        ("Площадки", "Площадка"),
        ("Школы", "Школа"),
        ("Центра компетенций", "Центр компетенций"),
        ("Ведущего партнёра", "Ведущий партнёр"),
        ("Ведущей площадки", "Ведущая площадка"),
        ("Российского оператора", "Российский оператор"),
        # An ending the rules do not know is kept as written, not guessed.
        ("Мостом", "Мостом"),
    ],
)
def test_a_russian_role_in_the_genitive(written, stored):
    doc = parse_text(
        "Резолюция\n\n12 октября 2023 г., Самара\n\nI. Люди\n\n"
        f"1. СОУНБ в роли {written}\nСОУНБ проводит встречи.\n"
    )
    role = doc.directions[0].guidelines[0].role
    assert (role.name, role.role) == ("СОУНБ", stored)


def test_an_english_role_is_kept_as_written():
    doc = parse_text(
        "Recommendations\n\n12 October 2023, Leeds\n\nI. People\n\n"
        "1. RPL acting as Coordinatora\nRPL runs meetings.\n"
    )
    assert doc.directions[0].guidelines[0].role.role == "Coordinatora"


def test_markdown_headings_as_directions_with_bullets(tmp_path):
    path = tmp_path / "bullets.md"
    path.write_text(
        "# Guidelines for School Libraries\n\n2 May 2024\n\n## Reading\n\n- Daily reading time\n"
        "- A shelf of new books\n\n## Space\n\n- Quiet corners\n"
    )
    doc = parse_file(path)
    assert doc.layout == "headings with numbered items"
    assert [(d.title, [g.title for g in d.guidelines]) for d in doc.directions] == [
        ("Reading", ["Daily reading time", "A shelf of new books"]),
        ("Space", ["Quiet corners"]),
    ]


def test_adopted_without_by_names_no_approver():
    # "adopted this declaration on ..." says what was adopted, not by whom.
    doc = parse_text(
        "Declaration of the Coastal Libraries Assembly\n\nBergen, 3 April 2025\n\n"
        "Introduction\n\nThe Assembly adopted this declaration on 3 April 2025.\n\n"
        "Section 1: Access\n\n1. Ferry libraries\n\n"
        "Conclusion\n\nThe declaration was adopted by the Assembly and is recommendatory.\n"
    )
    assert (doc.approved_by, doc.status) == ("Assembly", "approved")


def test_cp1251_russian_and_bom_decimal_documents():
    ru = parse_file(DOCUMENTS / "recommendations-ru-cp1251.txt")
    assert ru.title == "Рекомендации по работе с молодёжью"
    assert ru.adopted_on == date(2024, 5, 15)
    # "приняты участниками форума и направлены ...": the approver stops at "и".
    assert ru.approved_by == "Участниками форума"
    assert [len(d.guidelines) for d in ru.directions] == [3, 4, 1]
    en = parse_file(DOCUMENTS / "decimal-bom.txt")
    assert en.title == "Guidelines for Community Archives"
    assert [len(d.guidelines) for d in en.directions] == [3, 3, 1]
    assert en.directions[1].guidelines[1].title == (
        "Holding an annual open archive day in every branch, with volunteers who help "
        "visitors find family records"
    )
    assert [link.url for link in en.links] == [
        "https://example.org/eastern-shore/2023/programme.html",
        "https://example.org/toolkit/oral-history",
    ]


def test_arabic_directions_with_lettered_items():
    doc = parse_text(
        "Resolution of the Forum\n\n1. Access\n\na) Longer hours\nb) Free cards\n\n"
        "2. Staff\n\na) Training\n"
    )
    assert doc.layout == "numbered directions with lettered items"
    assert [[g.label for g in d.guidelines] for d in doc.directions] == [["a", "b"], ["a"]]


def test_docx_from_its_structure(tmp_path):
    doc = parse_file(summer_school_docx(tmp_path / "school.docx"))
    assert doc.title == "Guidelines of the Baltic Library Summer School"
    assert doc.document_type == "guidelines"
    assert (doc.adopted_on, doc.place, doc.theme) == (
        date(2025, 6, 5),
        "Riga",
        "Libraries and Climate",
    )
    # Two .docx paragraphs are two paragraphs, whatever their last character.
    assert len(doc.introduction) == 2
    assert [d.title for d in doc.directions] == ["Green buildings", "Climate literacy"]
    assert [[g.label for g in d.guidelines] for d in doc.directions] == [
        ["1", "2", "3"],
        ["1", "2"],
    ]
    mentor = doc.directions[0].guidelines[1]
    assert (mentor.role.name, mentor.role.role) == ("Baltic Library Network", "Mentor")
    assert mentor.paragraphs == [
        "The network pairs libraries with a mentoring programme for their first energy audit."
    ]
    assert [(link.title, link.url, link.description) for link in doc.links] == [
        ("Summer School programme", "https://example.org/bls/2025", ""),
        ("mentoring programme", "https://example.org/bln/mentoring", "Cited in guideline I.2."),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25 April 2019", (date(2019, 4, 25), "")),
        ("Kazan, 14 September 2022", (date(2022, 9, 14), "Kazan")),
        ("April 25, 2019, Moscow", (date(2019, 4, 25), "Moscow")),
        ("Москва, 20 апреля 2021 г.", (date(2021, 4, 20), "Москва")),
        ("2024-03-03", (date(2024, 3, 3), "")),
        ("03.03.2024 Tromsø", (date(2024, 3, 3), "Tromsø")),
        ("no date here", (None, "no date here")),
    ],
)
def test_dates(text, expected):
    assert find_date(text) == expected


# --- bad input: one message naming the line ---------------------------------------------------


def test_no_recognisable_structure():
    with pytest.raises(DocumentError) as error:
        parse_text("Dear colleagues,\n\nthank you for coming.\nSee you next year.\n")
    assert str(error.value).startswith("line 1: no recognisable structure")
    assert "(line 1 to line 4)" in str(error.value)


def test_a_guideline_numbered_out_of_order():
    with pytest.raises(DocumentError) as error:
        parse_text(
            "Final Document\n\nI. Access\n1. Longer hours\n2. Free cards\n4. Mobile libraries\n"
        )
    assert str(error.value) == ("line 6: guideline 4 is numbered out of order: expected 3 after 2.")


def test_a_decimal_guideline_under_the_wrong_direction():
    with pytest.raises(DocumentError) as error:
        parse_text("Recommendations\n\n1. Access\n1.1 Hours\n\n2. Staff\n1.2 Training\n")
    assert str(error.value) == (
        "line 7: guideline 1.2 is numbered out of order: expected 2.1 first in direction 2."
    )


def test_a_direction_numbered_out_of_order():
    with pytest.raises(DocumentError) as error:
        parse_text("Final Document\n\nI. Access\n1. Hours\n\nIII. Staff\n1. Training\n")
    assert str(error.value) == (
        "line 6: direction III is numbered out of order: expected number 2 after direction I."
    )


def test_a_lettered_guideline_out_of_order():
    with pytest.raises(DocumentError, match=r"^line 5: guideline c .* expected b after a\.$"):
        parse_text("Declaration\n\nSection 1: Access\na) Hours\nc) Cards\n")


def test_a_direction_without_guidelines():
    with pytest.raises(DocumentError) as error:
        parse_text("Final Document\n\nI. Access\n1. Hours\n\nII. Staff\n\nIII. Money\n1. Funds\n")
    assert str(error.value) == "line 6: direction II ('Staff') has no numbered guidelines under it."


def test_docx_guideline_typed_out_of_order(tmp_path):
    """A number typed by hand in a .docx is read too, and checked."""
    with pytest.raises(DocumentError) as error:
        parse_file(summer_school_docx(tmp_path / "school.docx", swap=True))
    assert str(error.value) == (
        "paragraph 14: guideline 3 is numbered out of order: expected 2 after 1."
    )


def test_docx_with_word_russian_letters_and_a_word_decimal_outline():
    # Built with python-docx: real Word numbering, no numbers typed. Word's Russian lettered
    # lists use numFmt "russianLower" ("а)", "б)"), read as letters, not as "1)", "2)".
    ru = parse_file(DOCUMENTS / "declaration-ru-word-letters.docx")
    assert ru.layout == "numbered directions with lettered items"
    assert [d.title for d in ru.directions] == ["Доступ", "Кадры"]
    assert [[g.label for g in d.guidelines] for d in ru.directions] == [["а", "б"], ["а"]]
    # Levels "%1." and "%1.%2" of one multilevel list: a decimal outline.
    en = parse_file(DOCUMENTS / "recommendations-word-outline.docx")
    assert en.layout == 'decimal outline ("1." and "1.1")'
    assert [len(d.guidelines) for d in en.directions] == [2, 3]
    assert en.directions[0].guidelines[1].paragraphs == [
        "Books are sent free of charge and returned in the same parcel."
    ]
    role = en.directions[1].guidelines[1].role
    assert (role.name, role.short_name, role.role) == (
        "Northern Fjord Library Alliance",
        "NFLA",
        "Trainer",
    )
