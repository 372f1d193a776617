"""The writer (through the plan): one draft page, never published, the demo's facts;
re-imports that change nothing, revised files that update the draft, editors' changes kept."""

from datetime import date

import pytest
from django.urls import reverse
from wagtail.models import Page

from alma_cms.importer.errors import ImportConflict
from alma_cms.importer.final_document import parse_final_document
from alma_cms.importer.plan import CREATE, UNCHANGED, UPDATE, plan_import
from alma_cms.importer.readers import read_blocks
from alma_cms.importer.readers.text import lines_to_blocks
from alma_cms.importer.writer import write
from alma_cms.models import ImportRecord, Organization
from alma_cms.pages.models import GuidelineDocumentPage
from sandbox.demo import demo_content as demo

from .conftest import counts

pytestmark = pytest.mark.django_db


def import_file(path, **options):
    document = parse_final_document(read_blocks(path), path.name)
    plan = plan_import(document, source_name=path.name, **options)
    return plan, write(plan)


def import_text(text, name="doc.txt", **options):
    document = parse_final_document(lines_to_blocks(text), name)
    plan = plan_import(document, source_name=name, **options)
    return plan, write(plan)


def test_reference_2019_imports_to_the_demo_facts(alma, reference_2019):
    plan, result = import_file(reference_2019)
    assert plan.action == CREATE and result.action == CREATE
    page = GuidelineDocumentPage.objects.get(pk=result.page.pk)
    assert page.get_parent().pk == alma.guideline_index.pk
    assert not page.live and page.has_unpublished_changes
    assert page.revisions.count() == 1 and page.live_revision is None
    draft = page.get_latest_revision_as_object()
    assert draft.title == "ALMA 2019 Final Document"
    assert (draft.document_type, draft.status, draft.nature) == (
        "final_document",
        "finalized",
        "recommendatory",
    )
    assert draft.adopted_on == date(2019, 4, 25)
    assert draft.adopted_at.pk == alma.edition_2019.pk  # the edition of that date
    directions = draft.numbered_directions
    assert [d.number for d in directions] == ["I", "II", "III", "IV", "V", "VI"]
    assert [len(d.guidelines) for d in directions] == [5, 5, 6, 4, 4, 3]
    assert [d.title for d in directions] == [title for title, _ in demo.DIRECTIONS]
    assert draft.get_guideline("II.3")[1].title == (
        "Strategic planning and supplementary financing of library services"
    )
    direction_v = directions[4]
    assert [g.heading for g in direction_v.guidelines] == [
        "RLA acting as Visionary",
        "RLA acting as Marketing Analyst",
        "RLA acting as Technologist",
        "RLA acting as Analyst",
    ]
    assert {g.actor.pk for g in direction_v.guidelines} == {alma.rla.pk}  # matched, not new
    assert all(g.title == "" for g in direction_v.guidelines)
    technologist = direction_v.guidelines[2].text.source
    assert f'<a href="{demo.IFLA_CPD_GUIDELINES_URL}">' in technologist
    assert [link.value["url"] for link in draft.links] == [
        demo.INTERVIEW_MACKENZIE[0],
        demo.INTERVIEW_GARCIA_FEBO[0],
        demo.IFLA_CPD_GUIDELINES_URL,
    ]
    assert "Christine Mackenzie" in draft.introduction
    assert "recommendatory nature" in draft.conclusion
    record = ImportRecord.objects.get()
    assert (record.page_id, record.revision_id) == (page.pk, page.latest_revision_id)


def test_the_same_file_again_changes_nothing(alma, reference_2019):
    _plan, first = import_file(reference_2019)
    before = counts()
    record = ImportRecord.objects.get()
    plan, second = import_file(reference_2019)
    assert plan.action == UNCHANGED and second.action == UNCHANGED
    assert second.page.pk == first.page.pk
    assert counts() == before
    assert ImportRecord.objects.get().imported_at == record.imported_at


REVISED = """Recommendations of the Library Day

Kazan, 14 September 2022

1. Reading

1.1 Family reading clubs
1.2 Book lists for teenagers

2. People

2.1 Mentoring for young librarians
"""


def test_a_revised_file_updates_the_draft_it_made(alma):
    _plan, first = import_text(REVISED)
    draft = first.page.get_latest_revision_as_object()
    ids = [g.id for d in draft.numbered_directions for g in d.guidelines]
    revised = REVISED.replace(
        "1.2 Book lists for teenagers", "1.2 Book lists for teenagers, yearly"
    )
    revised += "2.2 Exchange visits\n"
    plan, second = import_text(revised)
    assert plan.action == UPDATE and second.action == UPDATE
    assert second.page.pk == first.page.pk
    assert GuidelineDocumentPage.objects.filter(title__startswith="Recommendations").count() == 1
    page = GuidelineDocumentPage.objects.get(pk=first.page.pk)
    assert page.revisions.count() == 2 and not page.live
    draft = page.get_latest_revision_as_object()
    assert draft.get_guideline("I.2")[1].title == "Book lists for teenagers, yearly"
    assert [len(d.guidelines) for d in draft.numbered_directions] == [2, 2]
    # Guidelines keep their ids (and so their citations) across the update.
    new_ids = [g.id for d in draft.numbered_directions for g in d.guidelines]
    assert new_ids[:3] == ids and len(set(new_ids)) == 4
    assert ImportRecord.objects.get().revision_id == page.latest_revision_id


def test_an_editors_change_is_not_overwritten(alma):
    _plan, first = import_text(REVISED)
    page = GuidelineDocumentPage.objects.get(pk=first.page.pk)
    edited = page.get_latest_revision_as_object()
    edited.title = "Recommendations of the Library Day (edited)"
    edited.save_revision()
    before = counts()
    plan, _ = None, None
    document = parse_final_document(lines_to_blocks(REVISED + "2.2 Exchange visits\n"))
    plan = plan_import(document, source_name="doc.txt")
    assert plan.action == UPDATE and plan.conflicts == ["title"]
    assert "refused: the draft was changed after the import; fields changed: title" in (
        "\n".join(plan.describe())
    )
    with pytest.raises(
        ImportConflict, match=r"was changed after it was imported \(fields: title\)"
    ):
        write(plan)
    assert counts() == before
    latest = GuidelineDocumentPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert latest.title.endswith("(edited)")


def test_a_later_revision_without_changes_is_no_conflict(alma):
    _plan, first = import_text(REVISED)
    GuidelineDocumentPage.objects.get(pk=first.page.pk).save_revision()  # saved, nothing changed
    plan, result = import_text(REVISED + "2.2 Exchange visits\n")
    assert plan.conflicts == [] and result.action == UPDATE


def test_a_new_organization_is_created_once(alma):
    text = (
        "Final Document of the Meeting\n\nI. Roles\n\n"
        "1. Northern Library Union (NLU) acting as Coordinator\n"
        "2. NLU acting as Publisher\n"
    )
    plan, result = import_text(text)
    organization = Organization.objects.get(short_name="NLU")
    assert organization.name == "Northern Library Union"
    assert organization.kind == Organization.Kind.OTHER
    draft = result.page.get_latest_revision_as_object()
    assert [g.actor.pk for g in draft.numbered_directions[0].guidelines] == [organization.pk] * 2
    assert "organization to create: Northern Library Union (NLU)" in plan.describe()[-1]


def test_locale_and_parent(alma, locale_ru):
    ru_index = alma.guideline_index.copy_for_translation(locale_ru, copy_parents=True)
    _plan, result = import_text(REVISED, locale="ru")
    page = Page.objects.get(pk=result.page.pk)
    assert page.get_parent().pk == ru_index.pk and page.locale == locale_ru
    _plan, under_edition = import_text(REVISED, parent=str(alma.edition_2019.pk))
    assert under_edition.page.get_parent().pk == alma.edition_2019.pk
    # Imported under two parents: two records, one page each.
    assert ImportRecord.objects.count() == 2


def test_a_failure_while_writing_leaves_nothing_behind(alma, monkeypatch):
    """All or nothing: the page is refused when its revision is saved (a fault injected
    there), after the new organization was created; neither stays."""
    from django.core.exceptions import ValidationError

    def refuse(self, *args, **kwargs):
        raise ValidationError("adopted on: not within the edition's dates")

    monkeypatch.setattr(GuidelineDocumentPage, "save_revision", refuse)
    before = counts()
    with pytest.raises(Exception) as error:
        import_text("Final Document\n\nI. Roles\n1. Northern Library Union (NLU) acting as Host\n")
    assert str(error.value) == (
        "the page would not be valid: adopted on: not within the edition's dates"
    )
    assert counts() == before
    assert not Organization.objects.filter(short_name="NLU").exists()


def test_the_draft_opens_in_the_editor_and_previews(alma, admin_client, reference_2019):
    """What an editor does next: open the draft, preview it; both work on what was imported."""
    _plan, result = import_file(reference_2019)
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[result.page.pk]))
    assert response.status_code == 200
    assert "RLA" in response.content.decode()
    draft = result.page.get_latest_revision_as_object()
    preview = draft.make_preview_request()
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Library as a center of international scholarly communication" in html
    assert "Visionary" in html
