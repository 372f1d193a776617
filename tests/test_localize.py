"""wagtail-localize round trips: translating a guideline document (and the other custom blocks)
to Russian with wagtail-localize's own machinery, then syncing after the source changes.

The flow is the one the "Translate" and "Sync translated pages" admin actions run:
``TranslationCreator`` submits the page and the snippets it references, translators fill in a
``StringTranslation`` for every ``String``, and ``Translation.save_target()`` writes and
publishes the Russian page. After an edit, ``TranslationSource.update_from_db()`` refreshes the
source and ``save_target()`` writes the target again.
"""

import json
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import translation as django_translation
from wagtail.models import Page
from wagtail.users.models import UserProfile
from wagtail_localize.models import (
    RelatedObjectSegment,
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)
from wagtail_localize.operations import TranslationCreator
from wagtail_localize.segments.extract import extract_segments
from wagtail_localize.strings import StringValue

from alma_cms.models import Organization
from alma_cms.pages.models import (
    AwardAnnouncementPage,
    ForumEditionPage,
    GuidelineDocumentPage,
)
from tests.testapp.factories import GUIDELINE_COUNTS, guideline_title, reload

pytestmark = pytest.mark.django_db

ROMAN = ["I", "II", "III", "IV", "V", "VI"]

# Translations a translator would type; anything else gets a visible "[ru] " prefix.
RUSSIAN = {
    "ALMA 2019 Final Document": "Итоговый документ ALMA 2019",
    "Russian Library Association": "Российская библиотечная ассоциация",
    "RLA": "РБА",
    "Visionary": "Визионер",
    guideline_title(1, 2): "Библиотеки и наука: пункт c",
}


def ru_text(source_text):
    return RUSSIAN.get(source_text, f"[ru] {source_text}")


def translate_strings(source, locale, user, only_missing=False):
    """Fill in a StringTranslation for every String of ``source`` (what translators do)."""
    count = 0
    for segment in StringSegment.objects.filter(source=source).select_related("string", "context"):
        existing = StringTranslation.objects.filter(
            translation_of=segment.string, locale=locale, context=segment.context
        )
        if only_missing and existing.exists():
            continue
        # Translate the text, keep the inline markup (links) the string carries.
        value = StringValue(segment.string.data)
        data = ru_text(value.render_text()) if "<" not in value.data else f"[ru] {value.data}"
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={"data": data, "translation_type": "manual", "last_translated_by": user},
        )
        count += 1
    return count


def save_target(translation, capture):
    """Write and publish the target; publishing waits for the transaction to commit."""
    with capture(execute=True):
        translation.save_target(publish=True)


def translate_page(page, locale, user, capture):
    """Submit ``page`` (and the snippets it references) for translation, translate every
    string, and publish the results. Snippets are written first: the page points at them."""
    creator = TranslationCreator(user, [locale])
    with capture(execute=True):
        creator.create_translations(page)
    translations = [t for ts in creator.mappings.values() for t in ts]
    page_source = TranslationSource.objects.get_for_instance(page.specific)
    ordered = sorted(translations, key=lambda t: t.source_id == page_source.pk)
    for tr in ordered:
        translate_strings(tr.source, locale, user)
        save_target(tr, capture)
    return Translation.objects.get(source=page_source, target_locale=locale)


def translated(page, locale):
    return page.get_translation(locale).specific


def guideline_ids(page):
    return [(d.number, d.id, g.number, g.id) for d, g in page.iter_guidelines()]


@pytest.fixture
def ru_document(alma, locale_ru, admin_user, capture):
    document = alma.final_document
    translation = translate_page(document, locale_ru, admin_user, capture)
    return document, translated(document, locale_ru), translation


# --- Segments ---------------------------------------------------------------------------------


def string_values(page):
    from wagtail_localize.segments import StringSegmentValue

    return {
        s.path: s.render_text() for s in extract_segments(page) if isinstance(s, StringSegmentValue)
    }


def test_guideline_document_segments(alma):
    document = alma.final_document
    strings = string_values(document)
    texts = set(strings.values())
    for d, count in enumerate(GUIDELINE_COUNTS):
        if d != 4:
            for g in range(count):
                assert guideline_title(d, g) in texts
    assert {"Visionary", "Marketing Analyst", "Technologist", "Analyst"} <= texts
    assert "Libraries and research" in texts  # a direction title
    assert "What the association does as Visionary." in texts  # a guideline's rich text
    # Paths carry the stable ids: directions.<direction id>.guidelines.<guideline id>.title
    direction, guideline = document.get_guideline("II.3")
    assert strings[f"directions.{direction.id}.guidelines.{guideline.id}.title"] == guideline_title(
        1, 2
    )
    # The actor is a related snippet, to be translated as an object.
    related = [
        s for s in extract_segments(document) if type(s).__name__ == "RelatedObjectSegmentValue"
    ]
    assert {s.get_instance(alma.rla.locale).pk for s in related} == {alma.rla.pk}


def test_edition_body_segments(alma):
    texts = set(string_values(alma.edition_2021).values())
    assert {
        "Panels",
        "International panel",
        "Leadership in IFLA",
        "Leaders share their view.",
        "Figures",
        "participants",
        "Speakers",
        "ALMA 2021",
        "Is Library a Leader or a Non-Player Character?",
    } <= texts


def test_winners_segments(alma):
    texts = set(string_values(alma.winners).values())
    assert {
        "Regional libraries",
        "Open borders",
        "For opening the collections to the world.",
        "A diploma",
        "The first winners.",
    } <= texts


# --- The guideline document round trip --------------------------------------------------------


def test_translation_is_published_in_russian(ru_document, locale_ru):
    document, ru, _translation = ru_document
    assert ru.locale == locale_ru
    assert ru.live
    assert ru.translation_key == document.translation_key
    assert ru.title == "Итоговый документ ALMA 2019"
    assert ru.get_parent().specific.locale == locale_ru
    assert ru.audience == "[ru] The RLA and other library associations."
    assert ru.introduction == "<p>[ru] The participants drafted these guidelines.</p>"


def test_translation_keeps_numbering_and_ids(ru_document):
    document, ru, _translation = ru_document
    assert [d.number for d in ru.numbered_directions] == ROMAN
    assert [len(d.guidelines) for d in ru.numbered_directions] == GUIDELINE_COUNTS
    assert guideline_ids(ru) == guideline_ids(document)
    direction, guideline = ru.get_guideline("II.3")
    assert guideline.title == "Библиотеки и наука: пункт c"
    assert direction.title == "[ru] Libraries and research"
    assert guideline.id == document.get_guideline("II.3")[1].id
    assert ru.get_guideline(guideline.id)[1].number == "II.3"


def test_translated_role_guideline_points_at_the_translated_actor(ru_document, locale_ru):
    document, ru, _translation = ru_document
    ru_rla = Organization.objects.get(
        translation_key=document.get_guideline("V.1")[1].actor.translation_key, locale=locale_ru
    )
    assert ru_rla.name == "Российская библиотечная ассоциация"
    assert ru_rla.short_name == "РБА"
    _direction, guideline = ru.get_guideline("V.1")
    assert guideline.actor.pk == ru_rla.pk
    assert guideline.role == "Визионер"
    with django_translation.override("ru"):
        assert guideline.heading == "РБА в роли «Визионер»"
    assert guideline.heading == "РБА acting as Визионер"


def test_translated_directions_api_representation(ru_document):
    document, ru, _translation = ru_document
    field = GuidelineDocumentPage._meta.get_field("directions")
    en_data = field.stream_block.get_api_representation(document.directions, {})
    ru_data = field.stream_block.get_api_representation(ru.directions, {})
    assert [d["id"] for d in ru_data] == [d["id"] for d in en_data]
    assert [[g["id"] for g in d["value"]["guidelines"]] for d in ru_data] == [
        [g["id"] for g in d["value"]["guidelines"]] for d in en_data
    ]
    assert ru_data[4]["value"]["guidelines"][0]["actor"]["short_name"] == "РБА"


def edit_source(document):
    """Reword II.3 and add a fourth guideline to direction VI (with the new item id the
    editor's browser gives it), then publish."""
    field = GuidelineDocumentPage._meta.get_field("directions")
    raw = field.stream_block.get_prep_value(document.directions)
    raw[1]["value"]["guidelines"][2]["value"]["title"] = "Libraries and research: point c, reworded"
    raw[5]["value"]["guidelines"].append(
        {
            "type": "item",
            "value": {
                "title": "Working with other sectors: a new point",
                "actor": None,
                "role": "",
                "text": "",
            },
            "id": str(uuid.uuid4()),
        }
    )
    document.directions = raw
    document.save_revision().publish()
    return reload(document)


def test_sync_after_source_edit_keeps_ids_and_shows_new_guideline(
    ru_document, locale_ru, admin_user, capture
):
    document, ru_before, translation = ru_document
    ids_before = guideline_ids(ru_before)
    document = edit_source(document)
    new_id = document.get_guideline("VI.4")[1].id
    assert new_id not in {i for row in ids_before for i in row}

    source = translation.source
    source.update_from_db()
    # Nobody has translated the new strings yet: the target falls back to the source text.
    save_target(translation, capture)
    ru = translated(document, locale_ru)
    assert guideline_ids(ru) == guideline_ids(document)
    assert [row for row in guideline_ids(ru) if row[3] != new_id] == ids_before
    assert ru.get_guideline("VI.4")[1].id == new_id
    assert ru.get_guideline("VI.4")[1].title == "Working with other sectors: a new point"
    assert ru.get_guideline("II.3")[1].title == "Libraries and research: point c, reworded"
    # Untouched strings keep their translations.
    assert ru.get_guideline("II.2")[1].title == f"[ru] {guideline_title(1, 1)}"
    assert ru.title == "Итоговый документ ALMA 2019"

    # The translator catches up; the next sync shows Russian everywhere.
    assert translate_strings(source, locale_ru, admin_user, only_missing=True) == 2
    save_target(translation, capture)
    ru = translated(document, locale_ru)
    assert ru.get_guideline("VI.4")[1].title == "[ru] Working with other sectors: a new point"
    assert ru.get_guideline("II.3")[1].title == "[ru] Libraries and research: point c, reworded"
    assert [d.number for d in ru.numbered_directions] == ROMAN
    assert [len(d.guidelines) for d in ru.numbered_directions] == [5, 5, 6, 4, 4, 4]
    assert guideline_ids(ru) == guideline_ids(document)


def test_sync_after_reordering_follows_the_source(ru_document, locale_ru, capture):
    document, _ru, translation = ru_document
    field = GuidelineDocumentPage._meta.get_field("directions")
    raw = field.stream_block.get_prep_value(document.directions)
    raw.insert(0, raw.pop(1))  # II becomes I
    document.directions = raw
    document.save_revision().publish()
    document = reload(document)
    translation.source.update_from_db()
    save_target(translation, capture)
    ru = translated(document, locale_ru)
    assert guideline_ids(ru) == guideline_ids(document)
    assert ru.get_guideline("I.3")[1].title == "Библиотеки и наука: пункт c"


def test_untranslated_page_id_survives_reload(ru_document, locale_ru):
    document, ru, _translation = ru_document
    assert guideline_ids(reload(ru)) == guideline_ids(ru) == guideline_ids(document)


# --- The other custom blocks, translated and restored -----------------------------------------


def test_edition_body_translated_and_restored(alma, locale_ru, admin_user, capture):
    edition = alma.edition_2021
    translate_page(edition, locale_ru, admin_user, capture)
    ru = translated(edition, locale_ru)
    assert ru.live and ru.locale == locale_ru
    assert ru.theme == "[ru] Is Library a Leader or a Non-Player Character?"
    assert [c.id for c in ru.body] == [c.id for c in edition.body]
    assert [c.block_type for c in ru.body] == [c.block_type for c in edition.body]
    heading, panel, statistics, speaker_list = ru.body
    assert heading.value["text"] == "[ru] Panels"
    assert heading.value["anchor"] == "panels"
    assert panel.value["title"] == "[ru] International panel"
    assert panel.value["speakers"][0]["topic"] == "[ru] Leadership in IFLA"
    assert panel.value["speakers"][0]["speaker"].pk == alma.mackenzie.pk
    assert panel.value["summary"].source == "<p>[ru] Leaders share their view.</p>"
    assert statistics.value["items"][0]["label"] == "[ru] participants"
    assert statistics.value["items"][0]["value"] == 147
    assert [s.pk for s in speaker_list.value["speakers"]] == [alma.mackenzie.pk, alma.lison.pk]
    # The host snippet was translated first and the translation points at it.
    assert ru.host.locale == locale_ru
    assert ru.host.translation_key == alma.lfl.translation_key


def test_winners_translated_and_restored(alma, locale_ru, admin_user, capture):
    announcement = alma.winners
    translate_page(announcement, locale_ru, admin_user, capture)
    ru = translated(announcement, locale_ru)
    assert isinstance(ru, AwardAnnouncementPage)
    winner = ru.winners[0]
    assert winner.id == announcement.winners[0].id
    citation = winner.value["citation"].source
    assert citation == "<p>[ru] For opening the collections to the world.</p>"
    assert winner.value["project_title"] == "[ru] Open borders"
    assert winner.value["category"] == "[ru] Regional libraries"
    assert winner.value["place"] == 1
    assert winner.value["recipient_organization"].locale == locale_ru
    assert ru.award.locale == locale_ru  # the parent award was copied for the translation


def test_every_string_of_the_document_is_translated(ru_document, locale_ru):
    """No source string is left without a Russian translation after the round trip."""
    _document, _ru, translation = ru_document
    segments = StringSegment.objects.filter(source=translation.source)
    assert segments.count() > 40
    untranslated = [
        s.string.data
        for s in segments
        if not StringTranslation.objects.filter(
            translation_of=s.string, locale=locale_ru, context=s.context
        ).exists()
    ]
    assert untranslated == []
    assert RelatedObjectSegment.objects.filter(source=translation.source).count() >= 1


def test_source_page_is_untouched(ru_document):
    document, _ru, _translation = ru_document
    fresh = reload(document)
    assert fresh.title == "ALMA 2019 Final Document"
    assert fresh.get_guideline("II.3")[1].title == guideline_title(1, 2)
    assert Page.objects.filter(translation_key=document.translation_key).count() == 2
    assert ForumEditionPage.objects.filter(locale__language_code="ru").count() == 0


# --- References follow the active language ------------------------------------------------------


def test_speaker_reference_follows_the_active_language(alma, locale_ru, admin_user, capture):
    from alma_cms.blocks import SpeakerChooserBlock

    translate_page(alma.mackenzie, locale_ru, admin_user, capture)
    ru_mackenzie = translated(alma.mackenzie, locale_ru)
    block = SpeakerChooserBlock()
    assert block.get_api_representation(alma.mackenzie, {})["id"] == alma.mackenzie.pk
    with django_translation.override("ru"):
        data = block.get_api_representation(alma.mackenzie, {})
        # Lison has no Russian page: her English page is served.
        assert block.get_api_representation(alma.lison, {})["id"] == alma.lison.pk
    assert data["id"] == ru_mackenzie.pk
    assert data["url"] == ru_mackenzie.url
    assert data["url"].startswith("/ru/")
    assert data["photo"]["id"] == alma.photo.pk


def test_draft_translation_is_not_served_in_its_language(alma, locale_ru, admin_user, capture):
    from alma_cms.blocks import SpeakerChooserBlock

    translate_page(alma.mackenzie, locale_ru, admin_user, capture)
    translated(alma.mackenzie, locale_ru).unpublish()
    with django_translation.override("ru"):
        data = SpeakerChooserBlock().get_api_representation(alma.mackenzie, {})
    assert data["id"] == alma.mackenzie.pk  # the live English page, never the Russian draft


def test_translated_speaker_positions(alma, locale_ru, admin_user, capture):
    translate_page(alma.mackenzie, locale_ru, admin_user, capture)
    ru = translated(alma.mackenzie, locale_ru)
    positions = list(ru.positions.all())
    assert [p.locale for p in positions] == [locale_ru, locale_ru]
    assert [p.role_title for p in positions] == ["[ru] President-elect", "[ru] President"]
    assert all(p.organization.locale == locale_ru for p in positions)
    assert [p.start_date for p in positions] == [
        p.start_date for p in alma.mackenzie.positions.all()
    ]


def test_api_serves_russian_references_for_russian_readers(
    alma, locale_ru, admin_user, capture, client
):
    translate_page(alma.mackenzie, locale_ru, admin_user, capture)
    translate_page(alma.edition_2021, locale_ru, admin_user, capture)
    ru_edition = translated(alma.edition_2021, locale_ru)
    ru_mackenzie = translated(alma.mackenzie, locale_ru)
    response = client.get(f"/api/v2/pages/{ru_edition.pk}/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    data = response.json()
    assert data["meta"]["locale"] == "ru"
    assert data["theme"] == "[ru] Is Library a Leader or a Non-Player Character?"
    speakers = {b["type"]: b for b in data["body"]}["speaker_list"]["value"]["speakers"]
    assert [s["id"] for s in speakers] == [ru_mackenzie.pk, alma.lison.pk]
    assert (
        data["host"]["name"] == "[ru] M.I. Rudomino All-Russia State Library for Foreign Literature"
    )


# --- The translation editor: where a segment belongs ------------------------------------------


def translation_editor(client, page):
    """The segments wagtail-localize's translation editor shows for ``page`` (a translation):
    the ``props`` its edit view hands to the editor, ``{"type", "source", "location", ...}``."""
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    return json.loads(response.context["props"])["segments"]


def located(segments):
    """``{source text: (group heading, label)}`` of the string segments."""
    return {
        s["source"]: (s["location"]["field"], s["location"]["subField"])
        for s in segments
        if s["type"] == "string"
    }


def test_translation_editor_shows_direction_and_guideline_numbers(ru_document, admin_client):
    document, ru, _translation = ru_document
    segments = translation_editor(admin_client, ru)
    where = located(segments)
    assert where[guideline_title(1, 2)] == ("Direction II", "Guideline II.3")
    assert where["Libraries and research"] == ("Direction II", "Direction")  # its title
    assert where["Why libraries and research matters."] == ("Direction II", "Summary")
    assert where["Visionary"] == ("Direction V", "Guideline V.1: Role")
    assert where["What the association does as Visionary."] == (
        "Direction V",
        "Guideline V.1: Text",
    )
    assert where[guideline_title(5, 2)] == ("Direction VI", "Guideline VI.3")
    # Every segment of a direction says which one, every segment of a guideline which one;
    # the actors (related snippets) too.
    for segment in segments:
        path = segment["contentPath"].split(".")
        if path[0] == "directions":
            assert re.fullmatch(r"Direction [IV]+", segment["location"]["field"])
            if len(path) > 3:
                assert re.match(r"Guideline [IV]+\.\d\b", segment["location"]["subField"])
    actors = [s for s in segments if s["type"] == "related_object"]
    assert {s["location"]["subField"] for s in actors} <= {
        f"Guideline V.{n}: Actor" for n in range(1, 5)
    }
    # Other fields keep wagtail-localize's own labels.
    assert where["ALMA 2019 Final Document"][0] == "Title"


def test_translation_editor_numbers_are_those_of_the_source_page(ru_document, admin_client):
    """The editor labels segments against the source page as it is now (wagtail-localize's own
    labels do too): reordered, its numbers show at once; a guideline deleted from it since the
    last sync keeps wagtail-localize's plain label."""
    document, ru, translation = ru_document
    field = GuidelineDocumentPage._meta.get_field("directions")
    raw = field.stream_block.get_prep_value(document.directions)
    raw.insert(0, raw.pop(1))  # II becomes I
    del raw[2]["value"]["guidelines"][0]  # III.1, not synced yet
    document.directions = raw
    document.save_revision().publish()
    where = located(translation_editor(admin_client, ru))
    assert where[guideline_title(1, 2)] == ("Direction I", "Guideline I.3")
    assert where[guideline_title(0, 0)] == ("Direction II", "Guideline II.1")
    assert where[guideline_title(2, 0)] == ("Direction III", "Guidelines")
    assert where[guideline_title(2, 1)] == ("Direction III", "Guideline III.1")
    translation.source.update_from_db()
    where = located(translation_editor(admin_client, ru))
    assert guideline_title(2, 0) not in where
    assert where[guideline_title(1, 2)] == ("Direction I", "Guideline I.3")


def test_translation_editor_numbers_in_russian(ru_document, admin_user, client):
    _document, ru, _translation = ru_document
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "ru"
    profile.save()
    client.force_login(admin_user)
    where = located(translation_editor(client, ru))
    assert where[guideline_title(1, 2)] == ("Направление II", "Рекомендация II.3")
    assert where["Visionary"] == ("Направление V", "Рекомендация V.1: Роль")


def test_quotation_original_language_is_synchronised_not_translated(
    alma, locale_ru, admin_user, capture
):
    """A language code is no text: translators are not offered it, and the translation keeps the
    source's value (``QuotationPageMixin.override_translatable_fields``)."""
    quotation = alma.quotation
    assert "original_language" not in string_values(quotation)
    assert "text" in string_values(quotation)  # the words themselves are translated

    translate_page(quotation, locale_ru, admin_user, capture)
    russian = translated(quotation, locale_ru)
    assert russian.original_language == "en"
    assert russian.text == "[ru] Libraries lead when they listen."
