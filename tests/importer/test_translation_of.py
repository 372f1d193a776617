"""``alma_import --translation-of``: a Russian final document becomes the wagtail-localize
translation of the English page imported before (strings matched by structure)."""

import html
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError
from wagtail.models import Page
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)

from alma_cms.importer.service import prepare
from alma_cms.models import ImportRecord, TranslationReview
from alma_cms.pages.models import GuidelineDocumentPage
from alma_cms.translation.sync import refresh_source

from .conftest import DOCUMENTS, run_import

pytestmark = pytest.mark.django_db

RUSSIAN = DOCUMENTS / "alma-2019-final-document-ru.txt"


@pytest.fixture
def english(alma, locale_ru, reference_2019):
    run_import(reference_2019)
    return GuidelineDocumentPage.objects.get(
        title="ALMA 2019 Final Document", pk__in=ImportRecord.objects.values("page")
    )


def import_russian(source, path=RUSSIAN, *args):
    return run_import(path, "--locale", "ru", "--translation-of", str(source.pk), *args)


def written():
    """What a translation import may write."""
    return (
        Page.objects.count(),
        sum(p.revisions.count() for p in GuidelineDocumentPage.objects.all()),
        TranslationSource.objects.count(),
        Translation.objects.count(),
        sorted(StringTranslation.objects.values_list("pk", "data", "updated_at")),
        sorted(ImportRecord.objects.values_list("pk", "content_hash", "revision_id")),
    )


def russian_file(tmp_path, old, new, count=1):
    text = RUSSIAN.read_text(encoding="utf-8")
    assert text.count(old) >= count, old
    path = tmp_path / "ru.txt"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


def test_the_russian_document_becomes_the_localize_translation(english, locale_ru):
    out, _err = import_russian(english)
    russian = english.get_translation(locale_ru).specific
    assert out.startswith(f"Created draft page {russian.pk} ('Итоговый документ ALMA 2019')")
    assert not russian.live
    source = TranslationSource.objects.get(object_id=english.translation_key, locale=english.locale)
    assert Translation.objects.filter(source=source, target_locale=locale_ru, enabled=True).exists()
    # Every string of the source has its translation, saved by the import.
    segments = StringSegment.objects.filter(source=source)
    wanted = {(s.string_id, s.context_id) for s in segments}
    saved = StringTranslation.objects.filter(locale=locale_ru)
    assert {(t.translation_of_id, t.context_id) for t in saved} == wanted
    assert saved.count() == len(wanted) > 40
    assert set(saved.values_list("tool_name", flat=True)) == {"alma_import"}
    # The page is the translation: same block ids, Russian texts, synchronised fields.
    draft = russian.get_latest_revision_as_object()
    en = english.get_latest_revision_as_object()
    assert [d.id for d in draft.directions] == [d.id for d in en.directions]
    assert [len(d.value["guidelines"]) for d in draft.directions] == [5, 5, 6, 4, 4, 3]
    first = draft.directions[0].value
    assert first["title"] == "Развитие деятельности по продвижению интересов библиотек"
    assert first["guidelines"][1]["title"] == "Развитие партнёрства с органами власти и бизнесом"
    visionary = draft.directions[4].value["guidelines"][0]
    assert visionary["role"] == "Визионер"  # "в роли Визионера": the nominative
    assert visionary["actor"] == en.directions[4].value["guidelines"][0]["actor"]
    assert "РБА прогнозирует" in visionary["text"].source
    # A link in a translated paragraph keeps the source's address (wagtail-localize's attrs).
    technologist = draft.directions[4].value["guidelines"][2]["text"].source
    assert "знакомство с «Руководством ИФЛА" in technologist
    assert '<a href="https://www.ifla.org/files/assets/cpdwl/guidelines/' in technologist
    assert "Кристина Маккензи" in draft.introduction
    assert draft.adopted_on == en.adopted_on and draft.status == en.status
    assert [link.value["title"] for link in draft.links][:2] == [
        "Интервью Кристины Маккензи",
        "Интервью Лоиды Гарсиа-Фебо",
    ]
    # wagtail-localize's editor counts every string as translated.
    translation = Translation.objects.get(source=source, target_locale=locale_ru)
    assert translation.get_progress() == (len(wanted), len(wanted))
    record = ImportRecord.objects.get(kind="final-document-translation")
    plan = prepare(RUSSIAN, locale="ru", translation_of=str(english.pk)).plan
    assert plan.action == "unchanged" and plan.parent.pk == russian.get_parent().pk
    assert (record.page_id, record.parent_id, record.locale) == (russian.pk, english.pk, locale_ru)


def test_translators_see_translated_strings_in_the_editor(english, locale_ru, admin_client):
    """wagtail-localize's translation editor (what opens for the Russian page) shows the
    source strings with the imported translations."""
    import_russian(english)
    russian = english.get_translation(locale_ru)
    response = admin_client.get(f"/admin/pages/{russian.pk}/edit/")
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "translation-editor" in page  # wagtail-localize's editor, not Wagtail's page form

    def shown(text):  # the editor's props are JSON: non-ASCII letters may be \u-escaped
        return text in page or json.dumps(text)[1:-1] in page

    assert shown("Preventive actions in the legal environment")
    assert shown("Превентивные действия в правовой среде")
    assert not shown("Превентивные меры")


def test_the_same_file_again_changes_nothing(english):
    import_russian(english)
    before = written()
    out, _err = import_russian(english)
    assert out.startswith("Unchanged: page ")
    assert written() == before


def test_dry_run_lists_segments_per_direction(english, tmp_path):
    before = written()
    # Guideline V.4 given one paragraph instead of two: its second stays untranslated.
    path = russian_file(tmp_path, "деятельность.\n\nРБА вводит", "деятельность. РБА вводит")
    out, _err = import_russian(english, path, "--dry-run")
    assert written() == before
    lines = out.splitlines()
    assert lines[0] == "ru.txt: Итоговый документ ALMA 2019"
    assert lines[1] == (
        f"  action: create the ru translation of page {english.pk} "
        "('ALMA 2019 Final Document') through wagtail-localize, as a draft"
    )
    assert "    direction I: 6" in lines  # its title and five guideline titles
    # Its title, four roles and four of the five paragraphs of their texts.
    assert "    direction V: 9" in lines
    assert "  segments: 49 of 50 source segments translated; 49 to save, 0 unchanged, 0 kept" in (
        lines
    )
    assert "  untranslated (the source text stays): guideline V.4: text (paragraph 2)" in lines
    assert "Documents" in lines[-2]  # the English parents, to be copied: no Russian version
    assert lines[-1] == "Dry run: nothing was written."


def test_a_revised_translation_updates_strings_and_keeps_a_translators_edit(
    english, locale_ru, tmp_path
):
    import_russian(english)
    russian = english.get_translation(locale_ru)
    translator = get_user_model().objects.create(username="translator")
    edited = StringTranslation.objects.get(
        locale=locale_ru, data="Превентивные действия в правовой среде"
    )
    # What wagtail-localize's editor does when a translator saves a string.
    edited.data = "Превентивные меры в правовой сфере"
    edited.tool_name = ""
    edited.last_translated_by = translator
    edited.save()
    path = russian_file(tmp_path, "3. Превентивные действия", "3. Профилактические действия")
    text = path.read_text(encoding="utf-8").replace("Фандрайзинг", "Привлечение средств")
    path.write_text(text, encoding="utf-8")
    revisions = russian.revisions.count()
    out, _err = import_russian(english, path)
    assert out.splitlines()[0].startswith("Note: guideline I.3: title: changed by translator on ")
    assert out.splitlines()[1].startswith(f"Updated draft page {russian.pk} ")
    edited.refresh_from_db()
    assert edited.data == "Превентивные меры в правовой сфере"
    assert StringTranslation.objects.filter(locale=locale_ru, data="Привлечение средств").exists()
    assert not StringTranslation.objects.filter(locale=locale_ru, data="Фандрайзинг").exists()
    assert russian.revisions.count() == revisions + 1
    draft = GuidelineDocumentPage.objects.get(pk=russian.pk).get_latest_revision_as_object()
    guidelines = [g["title"] for d in draft.directions for g in d.value["guidelines"]]
    assert "Превентивные меры в правовой сфере" in guidelines
    assert "Привлечение средств" in guidelines
    # Dry run again: the kept string is listed.
    out, _err = import_russian(english, path, "--dry-run")
    assert "  kept: guideline I.3: title: changed by translator on " in out


def test_a_translation_carried_over_onto_a_revised_source_string_is_the_imports(
    english, locale_ru, reference_2019, tmp_path
):
    """A revised English guideline: a sync carries the import's Russian text over to the new
    string (marked for review); a revised Russian file then updates it (not a conflict)."""
    import_russian(english)
    english_path = tmp_path / "en.txt"
    english_path.write_text(
        reference_2019.read_text(encoding="utf-8").replace(
            "2. Additional sources of income", "2. Further sources of income"
        ),
        encoding="utf-8",
    )
    run_import(english_path)
    # What a sync from the draft does (the on-publish sync does it from the live page).
    refresh_source(GuidelineDocumentPage.objects.get(pk=english.pk).get_latest_revision_as_object())
    carried = StringTranslation.objects.get(
        locale=locale_ru,
        translation_of__data="Further sources of income for RLA activities",
    )
    assert TranslationReview.objects.filter(string_translation=carried).exists()
    path = russian_file(tmp_path, "2. Дополнительные источники", "2. Иные источники")
    out, _err = import_russian(english, path)
    assert "Note:" not in out
    carried.refresh_from_db()
    assert carried.data == "Иные источники доходов для деятельности РБА"
    assert not TranslationReview.objects.filter(string_translation=carried).exists()


def test_a_structure_mismatch_names_the_first_difference(english, locale_ru, tmp_path):
    before = written()
    path = russian_file(tmp_path, "5. Методическая поддержка в рамках правового поля\n", "")
    path.write_text(
        path.read_text(encoding="utf-8").replace("6. Содействие", "5. Содействие"),
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as error:
        import_russian(english, path)
    assert str(error.value) == (
        "ru.txt: direction III has 6 guidelines in the source page, 5 in this document."
    )
    assert written() == before


def test_errors_name_the_source_page(english, alma, locale_ru):
    def error(*args):
        with pytest.raises(CommandError) as raised:
            run_import(RUSSIAN, *args)
        return str(raised.value)

    prefix = "alma-2019-final-document-ru.txt: --translation-of"
    assert error("--locale", "ru", "--translation-of", "999999") == (
        f"{prefix} 999999: no page found."
    )
    assert error("--locale", "en", "--translation-of", str(english.pk)) == (
        f"{prefix} {english.pk}: page {english.pk} ('ALMA 2019 Final Document') is in locale "
        "en, the language of this document: name the page in the language it is translated from."
    )
    edition = alma.edition_2019
    assert error("--locale", "ru", "--translation-of", str(edition.pk)).startswith(
        f"{prefix} {edition.pk}: page {edition.pk} ('{edition.title}') is a "
    )
    assert error("--translation-of", str(english.pk), "--locale", "ru", "--parent", "1") == (
        "alma-2019-final-document-ru.txt: --parent cannot be used with --translation-of: a "
        "translation goes under the translation of the source page's parent."
    )


def test_naming_the_translation_itself_is_refused(english, locale_ru):
    import_russian(english)
    russian = english.get_translation(locale_ru)
    with pytest.raises(CommandError) as error:
        run_import(RUSSIAN, "--locale", "en", "--translation-of", str(russian.pk))
    assert str(error.value) == (
        f"alma-2019-final-document-ru.txt: --translation-of {russian.pk}: page {russian.pk} "
        f"('Итоговый документ ALMA 2019') is the translation of page {english.pk} "
        "('ALMA 2019 Final Document'), which is in en, the language of this document."
    )


def test_a_stopped_sync_gets_the_strings_not_the_page(english, locale_ru, tmp_path):
    import_russian(english)
    russian = english.get_translation(locale_ru)
    Translation.objects.filter(target_locale=locale_ru).update(enabled=False)
    revisions = russian.revisions.count()
    path = russian_file(tmp_path, "Фандрайзинг", "Привлечение средств")
    out, _err = import_russian(english, path)
    assert "Note: the sync of this translation is stopped in wagtail-localize" in out
    assert StringTranslation.objects.filter(locale=locale_ru, data="Привлечение средств").exists()
    assert russian.revisions.count() == revisions


def test_a_russian_copy_made_without_localize_is_refused(english, locale_ru):
    copy = english.copy_for_translation(locale_ru, copy_parents=True)
    before = written()
    with pytest.raises(CommandError) as error:
        import_russian(english)
    assert str(error.value) == (
        f"alma-2019-final-document-ru.txt: page {copy.pk} ({copy.title!r}) is already the ru "
        f"version of page {english.pk} but was not made with wagtail-localize (a copy): its "
        "text is not translated strings. Delete it and import again."
    )
    assert written() == before


def test_an_unchanged_import_reads_in_a_fixed_number_of_queries(english, django_assert_num_queries):
    """Planning reads the existing string translations in one query, not one per segment."""
    import_russian(english)
    with django_assert_num_queries(21):
        out, _err = import_russian(english)
    assert out.startswith("Unchanged: ")
