"""Computed numbering of directions and guidelines, and their stable ids."""

import re

import pytest
from django.urls import reverse

from alma_cms.blocks.guidelines import from_roman, number_directions, to_roman
from alma_cms.pages.models import GuidelineDocumentPage
from tests.testapp.factories import (
    DIRECTION_TITLES,
    GUIDELINE_COUNTS,
    add_page,
    directions_raw,
    guideline_title,
    reload,
)

pytestmark = pytest.mark.django_db

ROMAN = ["I", "II", "III", "IV", "V", "VI"]


def raw_directions(page):
    """The directions as stored JSON (list of {type, value, id}), ids included."""
    field = GuidelineDocumentPage._meta.get_field("directions")
    return field.stream_block.get_prep_value(page.directions)


def ids_by_title(page):
    """{guideline heading: (direction id, guideline id)} for every guideline of ``page``."""
    return {g.heading: (d.id, g.id) for d, g in page.iter_guidelines()}


def publish_directions(page, raw):
    page.directions = raw
    page.save_revision().publish()
    return reload(page)


# --- Roman numerals ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number,numeral",
    [(1, "I"), (4, "IV"), (6, "VI"), (9, "IX"), (14, "XIV"), (40, "XL"), (399, "CCCXCIX")],
)
def test_roman_round_trip(number, numeral):
    assert to_roman(number) == numeral
    assert from_roman(numeral) == number
    assert from_roman(numeral.lower()) == number


@pytest.mark.parametrize("text", ["", "IIII", "VX", "A", "0"])
def test_from_roman_rejects_non_numerals(text):
    with pytest.raises(ValueError):
        from_roman(text)


def test_to_roman_rejects_zero():
    with pytest.raises(ValueError):
        to_roman(0)


# --- Numbering ---------------------------------------------------------------------------------


def test_directions_are_numbered_i_to_vi(alma):
    directions = alma.final_document.numbered_directions
    assert [d.number for d in directions] == ROMAN
    assert [d.position for d in directions] == [1, 2, 3, 4, 5, 6]
    assert [d.title for d in directions] == DIRECTION_TITLES
    assert [len(d.guidelines) for d in directions] == GUIDELINE_COUNTS


def test_guidelines_are_numbered_within_their_direction(alma):
    for d_index, direction in enumerate(alma.final_document.numbered_directions):
        assert [g.number for g in direction.guidelines] == [
            f"{ROMAN[d_index]}.{k}" for k in range(1, GUIDELINE_COUNTS[d_index] + 1)
        ]
        assert [g.position for g in direction.guidelines] == list(
            range(1, GUIDELINE_COUNTS[d_index] + 1)
        )


def test_ii_3_is_the_third_guideline_of_the_second_direction(alma):
    direction, guideline = alma.final_document.get_guideline("II.3")
    assert direction.number == "II"
    assert direction.title == "Libraries and research"
    assert guideline.number == "II.3"
    assert guideline.title == guideline_title(1, 2)


def test_role_guidelines_read_as_actor_acting_as_role(alma):
    direction_v = alma.final_document.numbered_directions[4]
    assert [g.heading for g in direction_v.guidelines] == [
        "RLA acting as Visionary",
        "RLA acting as Marketing Analyst",
        "RLA acting as Technologist",
        "RLA acting as Analyst",
    ]
    assert all(g.actor.pk == alma.rla.pk and g.title == "" for g in direction_v.guidelines)


def test_every_id_is_unique_and_looks_like_a_uuid(alma):
    ids = [d.id for d in alma.final_document.numbered_directions]
    ids += [g.id for _d, g in alma.final_document.iter_guidelines()]
    assert len(ids) == len(set(ids)) == 6 + sum(GUIDELINE_COUNTS)
    assert all(re.fullmatch(r"[0-9a-f-]{36}", i) for i in ids)


# --- Looking up a guideline --------------------------------------------------------------------


@pytest.mark.parametrize("reference", ["II.3", "ii.3", " II.3 ", "Ii.3", "II.03"])
def test_get_guideline_by_number(alma, reference):
    direction, guideline = alma.final_document.get_guideline(reference)
    assert (direction.number, guideline.number) == ("II", "II.3")


def test_get_guideline_by_id(alma):
    document = alma.final_document
    for direction, guideline in document.iter_guidelines():
        found_direction, found = document.get_guideline(guideline.id)
        assert found.number == guideline.number
        assert found_direction.id == direction.id


@pytest.mark.parametrize(
    "reference",
    [
        "VII.1",
        "II.6",
        "II.0",
        "VI.4",
        "X",
        "II",
        "II.x",
        "",
        "IIII.1",
        "00000000-0000-0000-0000-000000000000",
    ],
)
def test_get_guideline_unknown_reference(alma, reference):
    with pytest.raises(LookupError):
        alma.final_document.get_guideline(reference)


def test_direction_id_is_not_a_guideline_reference(alma):
    direction_id = alma.final_document.numbered_directions[0].id
    with pytest.raises(LookupError):
        alma.final_document.get_guideline(direction_id)


# --- Reordering: numbers follow positions, ids follow content -----------------------------------


def test_moving_a_direction_renumbers_but_keeps_ids(alma):
    document = alma.final_document
    before = ids_by_title(document)
    direction_ids = [d.id for d in document.numbered_directions]
    raw = raw_directions(document)
    raw.insert(0, raw.pop(5))  # direction VI becomes the first
    document = publish_directions(document, raw)

    directions = document.numbered_directions
    assert [d.title for d in directions] == [DIRECTION_TITLES[5], *DIRECTION_TITLES[:5]]
    assert [d.number for d in directions] == ROMAN
    assert [d.id for d in directions] == [direction_ids[5], *direction_ids[:5]]
    assert ids_by_title(document) == before
    # The old VI.2 is now I.2; its id still finds it.
    old_vi_2_id = before[guideline_title(5, 1)][1]
    direction, guideline = document.get_guideline(old_vi_2_id)
    assert (direction.number, guideline.number) == ("I", "I.2")
    assert document.get_guideline("I.2")[1].id == old_vi_2_id
    # ... and the old II.3 is now III.3.
    assert document.get_guideline("III.3")[1].title == guideline_title(1, 2)


def test_moving_a_guideline_within_its_direction(alma):
    document = alma.final_document
    before = ids_by_title(document)
    raw = raw_directions(document)
    guidelines = raw[1]["value"]["guidelines"]
    guidelines.insert(0, guidelines.pop(2))  # II.3 becomes II.1
    document = publish_directions(document, raw)

    assert document.get_guideline("II.1")[1].title == guideline_title(1, 2)
    assert document.get_guideline("II.2")[1].title == guideline_title(1, 0)
    assert document.get_guideline("II.3")[1].title == guideline_title(1, 1)
    assert ids_by_title(document) == before


def test_moving_a_guideline_to_another_direction(alma):
    document = alma.final_document
    before = ids_by_title(document)
    raw = raw_directions(document)
    moved = raw[0]["value"]["guidelines"].pop(4)  # I.5 ...
    raw[5]["value"]["guidelines"].append(moved)  # ... becomes VI.4
    document = publish_directions(document, raw)

    direction, guideline = document.get_guideline(before[guideline_title(0, 4)][1])
    assert guideline.number == "VI.4"
    assert direction.id == before[guideline_title(5, 0)][0]
    assert len(document.numbered_directions[0].guidelines) == 4


def test_deleting_a_guideline_renumbers_the_following_ones(alma):
    document = alma.final_document
    before = ids_by_title(document)
    raw = raw_directions(document)
    del raw[2]["value"]["guidelines"][0]  # III.1 goes
    document = publish_directions(document, raw)

    assert [g.title for g in document.numbered_directions[2].guidelines] == [
        guideline_title(2, k) for k in range(1, 6)
    ]
    assert document.get_guideline("III.1")[1].id == before[guideline_title(2, 1)][1]
    with pytest.raises(LookupError):
        document.get_guideline(before[guideline_title(2, 0)][1])


# --- Ids survive revisions, publishing and reloading ------------------------------------------


def test_ids_survive_revision_publish_and_reload(alma):
    document = alma.final_document
    before = ids_by_title(document)
    numbers = {g.id: g.number for _d, g in document.iter_guidelines()}

    revision = document.save_revision()
    assert ids_by_title(revision.as_object()) == before
    revision.publish()
    assert ids_by_title(reload(document)) == before
    assert ids_by_title(reload(document)) == before  # a second load gives the same ids
    assert {g.id: g.number for _d, g in reload(document).iter_guidelines()} == numbers


def test_ids_survive_an_unrelated_edit(alma):
    document = alma.final_document
    before = ids_by_title(document)
    document.title = "ALMA 2019 Final Document (revised)"
    document.conclusion = "<p>Reviewed in 2020.</p>"
    document.save_revision().publish()
    assert ids_by_title(reload(document)) == before


def test_draft_revision_keeps_ids_of_the_live_page(alma):
    document = alma.final_document
    before = ids_by_title(document)
    raw = raw_directions(document)
    raw[0]["value"]["guidelines"][0]["value"]["title"] = "Advocacy: a reworded point"
    document.directions = raw
    revision = document.save_revision()  # a draft, not published
    draft = revision.as_object()
    live = reload(document)
    assert draft.get_guideline("I.1")[1].title == "Advocacy: a reworded point"
    assert live.get_guideline("I.1")[1].title == guideline_title(0, 0)
    assert (
        draft.get_guideline("I.1")[1].id
        == live.get_guideline("I.1")[1].id
        == before[guideline_title(0, 0)][1]
    )


def test_number_directions_of_an_empty_stream(alma):
    assert number_directions(None) == []
    document = alma.final_document
    document.directions = []
    assert number_directions(document.directions) == []


def test_ids_stable_when_directions_are_given_as_plain_lists(alma):
    """Directions written as raw data in Wagtail's older plain-list format (as a loader or a
    fixture may) still get stored ids: the same on every load, in revisions, and visible to
    wagtail-localize (which only extracts list items that have stored ids)."""
    from wagtail_localize.segments.extract import extract_segments

    document = add_page(
        alma.guideline_index,
        GuidelineDocumentPage(
            title="Hand-made document", slug="hand-made", directions=directions_raw(legacy=True)
        ),
    )
    first = [(d.id, g.id) for d, g in reload(document).iter_guidelines()]
    second = [(d.id, g.id) for d, g in reload(document).iter_guidelines()]
    assert first == second
    assert len(first) == sum(GUIDELINE_COUNTS)
    assert all(i for pair in first for i in pair)
    revision = reload(document).save_revision()
    assert [(d.id, g.id) for d, g in revision.as_object().iter_guidelines()] == first
    stored = GuidelineDocumentPage.objects.get(pk=document.pk).directions.raw_data
    assert all(
        item["type"] == "item" and item["id"]
        for child in stored
        for item in child["value"]["guidelines"]
    )
    paths = [s.path for s in extract_segments(reload(document))]
    guideline_id = reload(document).get_guideline("II.3")[1].id
    assert any(f".guidelines.{guideline_id}.title" in p for p in paths)


def test_plain_list_revision_without_save_keeps_ids(alma):
    """A revision serialised straight from an unsaved edit also stores the ids."""
    document = alma.final_document
    document.directions = directions_raw(legacy=True)
    revision = document.save_revision()
    a = [(d.id, g.id) for d, g in revision.as_object().iter_guidelines()]
    b = [
        (d.id, g.id)
        for d, g in type(revision).objects.get(pk=revision.pk).as_object().iter_guidelines()
    ]
    assert a == b


def test_materialise_directions_is_a_deprecated_name(alma):
    document = alma.final_document
    with pytest.warns(DeprecationWarning, match="assign_stable_direction_ids"):
        document.materialise_directions()


# --- In the page editor --------------------------------------------------------------------
# tests/test_editor_numbers_browser.py checks the numbers the script shows in a real browser.


def test_the_editor_numbers_directions_where_they_are_edited(alma, admin_client):
    script = "alma_cms/js/directions-editor.js"
    document = admin_client.get(reverse("wagtailadmin_pages:edit", args=[alma.final_document.pk]))
    assert document.status_code == 200
    html = document.content.decode()
    assert script in html
    # The blocks carry the class names the script counts.
    assert "alma-direction" in html and "alma-guideline" in html
    edition = admin_client.get(reverse("wagtailadmin_pages:edit", args=[alma.edition_2021.pk]))
    assert script not in edition.content.decode()
