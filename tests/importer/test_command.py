"""``alma_import``: dry runs, one-line errors with nothing written, progress, formats."""

import codecs

import pytest
from django.core.management import CommandError

from alma_cms.pages.models import GuidelineDocumentPage

from .conftest import DOCUMENTS, counts, run_import
from .docx_builder import summer_school_docx

pytestmark = pytest.mark.django_db


def test_dry_run_prints_the_plan_and_writes_nothing(alma, reference_2019):
    before = counts()
    out, _err = run_import(reference_2019, "--dry-run")
    assert counts() == before
    lines = out.splitlines()
    assert lines[0] == "alma-2019-final-document.txt: ALMA 2019 Final Document"
    assert "  action: create a draft guideline document under 'Documents'" in out
    assert "  directions: 6, guidelines: 27 (5, 5, 6, 4, 4, 3)" in lines
    assert "  I. Furthering library advocacy work" in lines
    assert "    I.1 Promoting positive image of library and librarian in the public perception" in (
        lines
    )
    assert "    III.6 Assisting libraries in their efforts to facilitate social and cultural " in (
        out
    )
    visionary = (
        "    V.1 role 'Visionary', actor Russian Library Association (RLA) "
        f"(organization {alma.rla.pk}) [+1 paragraph]"
    )
    assert visionary in lines
    assert f"  adopted at: ALMA 2019 (page {alma.edition_2019.pk}, by date)" in lines
    # The test site's hand-made final document is under the same parent: said, not merged.
    assert (
        f"  note: page {alma.final_document.pk} under the parent already has this title and was "
        "not made by an import: a second page will be created beside it"
    ) in lines
    assert lines[-1] == "Dry run: nothing was written."


def test_import_then_again(alma, decimal_sample):
    out, err = run_import(decimal_sample)
    page = GuidelineDocumentPage.objects.get(title="Recommendations of the Round Table")
    assert out.startswith(f"Created draft page {page.pk} ('Recommendations of the Round Table')")
    assert "not published" in out
    assert "  reading final-document-decimal.txt" in err  # progress
    assert "  direction 3/3: 4 guidelines" in err
    assert not page.live
    before = counts()
    out, _err = run_import(decimal_sample)
    assert out == f"Unchanged: page {page.pk} already holds this document.\n"
    assert counts() == before


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1251"])
def test_bom_and_cp1251_files(alma, tmp_path, encoding):
    text = (DOCUMENTS / "headings-ru.md").read_text(encoding="utf-8")
    path = tmp_path / "resolution.md"
    path.write_bytes(text.encode(encoding))
    assert encoding != "utf-8-sig" or path.read_bytes().startswith(codecs.BOM_UTF8)
    run_import(path)
    page = GuidelineDocumentPage.objects.get(title="Резолюция круглого стола «Библиотека и город»")
    draft = page.get_latest_revision_as_object()
    assert [d.title for d in draft.numbered_directions] == ["Пространство", "Люди"]
    assert draft.document_type == "resolution"


def test_docx(alma, tmp_path):
    path = summer_school_docx(tmp_path / "school.docx")
    out, _err = run_import(path, "--dry-run")
    assert "    I.2 role 'Mentor', actor Baltic Library Network (BLN) (new organization) " in out
    assert "    II.2 Talks with scientists" in out
    run_import(path)
    page = GuidelineDocumentPage.objects.get(title="Guidelines of the Baltic Library Summer School")
    draft = page.get_latest_revision_as_object()
    mentor = draft.get_guideline("I.2")[1]
    assert mentor.heading == "BLN acting as Mentor"
    assert '<a href="https://example.org/bln/mentoring">mentoring programme</a>' in (
        mentor.text.source
    )


def bad(tmp_path, name, content):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    return path


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "line 1: empty.txt is empty: it has no text to import."),
        (
            "letter.txt",
            "Dear colleagues,\n\nthank you.\n",
            "line 1: no recognisable structure: letter.txt looks like none of the kinds",
        ),
        (
            "order.txt",
            "Final Document\n\nI. Access\n1. Hours\n3. Cards\n",
            "order.txt: line 5: guideline 3 is numbered out of order: expected 2 after 1.",
        ),
        ("image.txt", b"GIF89a\x01\x00\x01\x00\x00\xff", "image.txt is not a text file"),
        ("notes.rtf", "{\\rtf1}", "notes.rtf: files of type '.rtf' cannot be imported"),
    ],
)
def test_bad_input_one_line_and_nothing_written(alma, tmp_path, name, content, message):
    path = bad(tmp_path, name, content)
    before = counts()
    with pytest.raises(CommandError) as error:
        run_import(path)
    assert str(error.value).startswith(message)
    assert "\n" not in str(error.value)
    assert str(error.value).count(name) == 1  # named once, not "x.txt: x.txt is …"
    assert counts() == before


def test_a_50_mb_file(alma, tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(CommandError) as error:
        run_import(path)
    assert str(error.value) == (
        "huge.txt is 50.0 MB, more than the import limit of 10.0 MB "
        "(ALMA_CMS['IMPORT_MAX_FILE_SIZE'])."
    )


def test_parent_and_locale_errors(alma, decimal_sample):
    with pytest.raises(CommandError, match=r"--parent /nowhere/: no page found in locale en"):
        run_import(decimal_sample, "--parent", "/nowhere/")
    with pytest.raises(CommandError, match=r"a guideline document cannot go under 'Speakers'"):
        run_import(decimal_sample, "--parent", str(alma.speaker_index.pk))
    with pytest.raises(CommandError, match=r"there is no locale 'de' \(locales: en"):
        run_import(decimal_sample, "--locale", "de")
    out, _err = run_import(decimal_sample, "--parent", "/documents/", "--dry-run")
    assert "under 'Documents' (/home/documents/), locale en" in out


def test_editor_changes_refused_even_in_a_dry_run(alma, decimal_sample, tmp_path):
    run_import(decimal_sample)
    page = GuidelineDocumentPage.objects.get(title="Recommendations of the Round Table")
    draft = page.get_latest_revision_as_object()
    draft.audience = "Every library of the region"
    draft.save_revision()
    revised = tmp_path / "final-document-decimal.txt"
    revised.write_text(decimal_sample.read_text().replace("Exchange visits", "Study visits"))
    before = counts()
    for args in ((), ("--dry-run",)):
        with pytest.raises(CommandError, match=r"\(fields: audience\); the import does not"):
            run_import(revised, *args)
    assert counts() == before
