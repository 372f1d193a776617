"""``alma_import --translation-of`` for forum reports: the Russian "said:" sample becomes the
wagtail-localize translation of the English edition, of its two quotations (by position) and
of its speakers; the same file again changes nothing; a structural mismatch writes nothing."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError
from wagtail.models import Page
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from alma_cms.importer import service
from alma_cms.models import ImportRecord
from alma_cms.pages.models import ForumEditionPage, QuotationPage, SpeakerPage

from .conftest import DOCUMENTS, run_import, shared_file

pytestmark = pytest.mark.django_db

RUSSIAN = DOCUMENTS / "forum-report-said-ru.md"


@pytest.fixture
def english(alma, locale_ru):
    run_import(shared_file("samples/forum-report-said.md"))
    return ForumEditionPage.objects.get(
        pk__in=ImportRecord.objects.filter(kind="forum-report").values("page")
    )


def import_russian(source, path=RUSSIAN, *args):
    return run_import(path, "--locale", "ru", "--translation-of", str(source.pk), *args)


def english_quotations(edition):
    return list(
        QuotationPage.objects.filter(forum_edition=edition, locale=edition.locale).order_by("pk")
    )


def written():
    """What a translation import may write."""
    return (
        Page.objects.count(),
        sorted(Page.objects.values_list("pk", "latest_revision_id")),
        TranslationSource.objects.count(),
        Translation.objects.count(),
        sorted(StringTranslation.objects.values_list("pk", "data", "updated_at")),
        sorted(ImportRecord.objects.values_list("pk", "content_hash", "revision_id")),
    )


def localized(page, locale):
    """The wagtail-localize translation of ``page`` into ``locale``: (source, translation)."""
    source = TranslationSource.objects.get(object_id=page.translation_key, locale=page.locale)
    return source, Translation.objects.get(source=source, target_locale=locale)


def test_the_russian_report_translates_the_edition_and_its_quotations(english, locale_ru):
    out, _err = import_russian(english)
    russian = english.get_translation(locale_ru).specific
    assert out.strip().endswith("not published.")
    assert f"Created draft page {russian.pk}" in out
    assert not russian.live
    draft = russian.get_latest_revision_as_object()
    assert draft.title == "Форум «Чтение у реки» 2023: доверие, чтение и новое поколение"
    assert draft.theme == "доверие, чтение и новое поколение"
    _source, translation = localized(english, locale_ru)
    assert translation.enabled
    en = english.get_latest_revision_as_object()
    assert [c.id for c in draft.body] == [c.id for c in en.body]
    paragraphs = [c.value.source for c in draft.body if c.block_type == "paragraph"]
    assert paragraphs[1] == (
        "<p>Айгуль Р. Сафина, заместитель директора по программам чтения, модерировала встречу.</p>"
    )
    panels = [c.value for c in draft.body if c.block_type == "discussion_panel"]
    assert [p["title"] for p in panels] == ["Чтение и семья", "Молодые специалисты"]
    assert [s["topic"] for s in panels[0]["speakers"]] == [
        "клубы семейного чтения в малых городах",
        "о чём говорят исследования чтения 2022 года",
    ]
    assert draft.start_date == en.start_date and draft.participant_count == 96
    # The two quotations, by position, as wagtail-localize translations.
    quotations = english_quotations(english)
    assert len(quotations) == 2
    texts = []
    for quotation in quotations:
        _source, translation = localized(quotation, locale_ru)
        ru = quotation.get_translation(locale_ru).get_latest_revision_as_object()
        texts.append((ru.text, ru.speaker_role, ru.speaker.get_translation(locale_ru).title))
        # A page link is synchronised (wagtail-localize localises page links when shown).
        assert ru.forum_edition_id == english.pk
        assert translation.get_progress()[0] == translation.get_progress()[1]
    assert texts == [
        (
            "Доверие — это капитал библиотеки. Мы зарабатываем его по одному читателю, а "
            "потерять его можем за один день",
            "директор Национальной библиотеки",
            "Ильдар М. Гайнутдинов",
        ),
        (
            "Дети читают, когда читают взрослые вокруг них. Наши исследования показывают это "
            "год за годом",
            "библиотековед",
            "Мария С. Белова",
        ),
    ]
    # The speakers the edition and quotations name, translated (none had a Russian version).
    belova = SpeakerPage.objects.get(title="Maria S. Belova", locale=english.locale)
    ru_belova = belova.get_translation(locale_ru).get_latest_revision_as_object()
    assert (ru_belova.given_name, ru_belova.family_name) == ("Мария", "Белова")
    assert [p.role_title for p in ru_belova.positions.all()] == ["библиотековед"]
    assert draft.moderator.get_translation(locale_ru).title == "Айгуль Р. Сафина"
    assert set(StringTranslation.objects.values_list("tool_name", flat=True)) == {"alma_import"}


def test_the_same_file_again_changes_nothing(english, locale_ru, django_assert_num_queries):
    import_russian(english)
    before = written()
    out, _err = import_russian(english)
    assert f"Unchanged: page {english.get_translation(locale_ru).pk}" in out
    assert written() == before
    with django_assert_num_queries(QUERIES):
        prepared = service.prepare(RUSSIAN, locale="ru", translation_of=str(english.pk))
    assert prepared.plan.action == "unchanged"


# Planning the 2023 sample again: the edition, 2 quotations and 8 speakers, each matched.
QUERIES = 254


def test_a_structural_mismatch_is_one_error_and_writes_nothing(english, tmp_path):
    text = RUSSIAN.read_text(encoding="utf-8")
    path = tmp_path / "ru.md"
    path.write_text(
        text.replace(
            "## Премия",
            "## Панель 3: Библиотеки и школы\n\nМодератор: Анна Б. Ветрова, методист.\n\n"
            "Выступающие:\n\n- Иван Г. Долгов, учитель: школьные библиотеки\n\n## Премия",
        ),
        encoding="utf-8",
    )
    before = written()
    with pytest.raises(CommandError, match="the source has 2 panels, this document 3"):
        import_russian(english, path)
    assert written() == before


def test_a_translators_later_edit_is_kept_and_listed(english, locale_ru, tmp_path):
    import_russian(english)
    translator = get_user_model().objects.create(username="translator")
    edited = StringTranslation.objects.get(
        locale=locale_ru, data="библиотековед", context__path="speaker_role"
    )
    # What wagtail-localize's editor does when a translator saves a string.
    edited.data = "исследователь чтения"
    edited.tool_name = ""
    edited.last_translated_by = translator
    edited.save()
    path = tmp_path / "ru.md"
    path.write_text(
        RUSSIAN.read_text(encoding="utf-8").replace("Чтение и семья", "Чтение в семье"),
        encoding="utf-8",
    )
    out, _err = import_russian(english, path)
    assert "Note: speaker_role: changed by translator on " in out
    edited.refresh_from_db()
    assert edited.data == "исследователь чтения"
    russian = english.get_translation(locale_ru).specific.get_latest_revision_as_object()
    panels = [c.value["title"] for c in russian.body if c.block_type == "discussion_panel"]
    assert panels == ["Чтение в семье", "Молодые специалисты"]
    out, _err = import_russian(english, path, "--dry-run")
    assert "  kept: speaker_role: changed by translator on " in out


def test_a_speaker_already_translated_is_left_as_it_is(english, locale_ru):
    belova = SpeakerPage.objects.get(title="Maria S. Belova", locale=english.locale)
    # A Russian version made before, by hand (an alias copy stands in for it).
    existing = belova.copy_for_translation(locale_ru, copy_parents=True)
    out, _err = import_russian(english, RUSSIAN, "--dry-run")
    assert (
        f"  left: speaker Maria S. Belova: page {existing.pk} ('Maria S. Belova') is its ru "
        "version already; its name and positions are left as they are"
    ) in out
    import_russian(english)
    existing.refresh_from_db()
    assert existing.title == "Maria S. Belova"
    assert not ImportRecord.objects.filter(parent=belova, kind="forum-report-speaker-translation")


def ru_file(tmp_path, old, new):
    text = RUSSIAN.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "ru.md"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_a_speaker_name_unlike_the_sources_is_a_note_matched_by_position(
    english, locale_ru, tmp_path
):
    """A translated given name (Марина for Maria here, as Кристина for Christine) is not the
    same name to ``same_person``: the quotation is still matched by its position."""
    path = ru_file(tmp_path, "Мария С. Белова сказала", "Марина С. Белова сказала")
    out, _err = import_russian(english, path)
    assert (
        "Note: quotation 2: 'Марина С. Белова' here, 'Maria S. Belova' in the source "
        "(matched by position)"
    ) in out
    second = english_quotations(english)[1].get_translation(locale_ru)
    ru = second.get_latest_revision_as_object()
    assert ru.text.startswith("Дети читают, когда читают взрослые")
    assert ru.title.startswith("Марина С. Белова: “Дети читают")


@pytest.mark.parametrize(
    "old, new, message",
    [
        (
            "директор Национальной библиотеки Ильдар М. Гайнутдинов сказал:\n«Доверие",
            "директор Национальной библиотеки Ильдар М. Гайнутдинов сказал, что\nдоверие",
            "the source has 2 quotations, this document 1",
        ),
        (
            "\n- Даниил И. Смирнов, IT-специалист Национальной библиотеки: чат-бот для каталога",
            "",
            r"panel 2 \(line 33\): the source has 2 speakers, this document 1",
        ),
        ("## Открытие\n\n", "", "the source has 1 headings, this document 0"),
    ],
)
def test_other_structural_mismatches_name_the_first_difference(
    english, tmp_path, old, new, message
):
    path = ru_file(tmp_path, old, new)
    before = written()
    with pytest.raises(CommandError, match=message):
        import_russian(english, path)
    assert written() == before
