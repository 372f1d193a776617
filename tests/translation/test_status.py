"""``alma_cms.translation.status``: the state of each translation, in bulk, and its precedence
(docs/translation.md, "Translation status")."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource
from wagtail_localize.operations import TranslationCreator

from alma_cms.models import TranslationReview
from alma_cms.translation import state, status
from tests.test_localize import translate_page

pytestmark = pytest.mark.django_db


def one(page, code="ru"):
    return status.statuses([page], [code])[(page, code)]


def test_not_translated(alma, locale_ru):
    result = one(alma.forum_index)
    assert result.state == status.NOT_TRANSLATED
    assert result.translation_id is None and result.synced_at is None


def test_in_sync_after_a_full_translation(alma, locale_ru, admin_user, capture):
    translation = translate_page(alma.speaker_index, locale_ru, admin_user, capture)
    result = one(alma.speaker_index)
    assert result.state == status.IN_SYNC
    assert result.strings_total == StringSegment.objects.filter(source=translation.source).count()
    assert result.strings_total > 0
    assert result.strings_translated == result.strings_total
    assert result.strings_needing_review == 0
    # No alma-cms sync yet: the last sync is wagtail-localize's record of writing the target.
    assert result.synced_at is not None
    assert result.translation_id == translation.pk
    assert result.target_pk == alma.speaker_index.get_translation(locale_ru).pk
    assert result.is_complete


def test_in_progress_counts_translated_strings(alma, locale_ru, admin_user, capture):
    translation = translate_page(alma.speaker_index, locale_ru, admin_user, capture)
    segment = StringSegment.objects.filter(source=translation.source).first()
    StringTranslation.objects.filter(
        translation_of=segment.string, context=segment.context, locale=locale_ru
    ).delete()
    result = one(alma.speaker_index)
    assert result.state == status.IN_PROGRESS
    assert result.strings_translated == result.strings_total - 1
    assert not result.is_complete


def test_needs_review_counts_review_rows(alma, locale_ru, admin_user, capture):
    translation = translate_page(alma.speaker_index, locale_ru, admin_user, capture)
    segment = StringSegment.objects.filter(source=translation.source).first()
    string_translation = StringTranslation.objects.get(
        translation_of=segment.string, context=segment.context, locale=locale_ru
    )
    TranslationReview.objects.create(
        string_translation=string_translation, previous_source="The old text"
    )
    result = one(alma.speaker_index)
    assert result.state == status.NEEDS_REVIEW
    assert result.strings_needing_review == 1
    # Other locales' reviews do not count (none here): the Russian count only.
    assert result.strings_translated == result.strings_total


def test_out_of_date_when_the_source_is_published_after_the_last_read(
    alma, locale_ru, admin_user, capture
):
    translate_page(alma.speaker_index, locale_ru, admin_user, capture)
    page = alma.speaker_index
    # Sync on publish off: with it on, the (eager) sync would bring the translation up to date.
    with override_settings(ALMA_CMS={"TRANSLATION_SYNC_ON_PUBLISH": "off"}):
        with capture(execute=True):
            page.save_revision(user=admin_user).publish()
    assert one(page).state == status.OUT_OF_DATE


def test_out_of_date_when_the_source_was_read_after_the_last_sync(
    alma, locale_ru, admin_user, capture
):
    translation = translate_page(alma.speaker_index, locale_ru, admin_user, capture)
    TranslationSource.objects.filter(pk=translation.source_id).update(
        last_updated_at=timezone.now() + datetime.timedelta(minutes=1)
    )
    assert one(alma.speaker_index).state == status.OUT_OF_DATE


def test_a_later_alma_sync_brings_it_back_in_sync(alma, locale_ru, admin_user, capture):
    translation = translate_page(alma.speaker_index, locale_ru, admin_user, capture)
    later = timezone.now() + datetime.timedelta(minutes=1)
    TranslationSource.objects.filter(pk=translation.source_id).update(last_updated_at=later)
    state.record_synced(
        alma.speaker_index.translation_key, locale_ru.pk, at=later + datetime.timedelta(seconds=1)
    )
    result = one(alma.speaker_index)
    assert result.state == status.IN_SYNC
    assert result.synced_at == later + datetime.timedelta(seconds=1)


def test_sync_stopped(alma, locale_ru, admin_user, capture):
    translation = translate_page(alma.speaker_index, locale_ru, admin_user, capture)
    Translation.objects.filter(pk=translation.pk).update(enabled=False)
    # Stopped wins over out of date.
    TranslationSource.objects.filter(pk=translation.source_id).update(
        last_updated_at=timezone.now() + datetime.timedelta(minutes=1)
    )
    assert one(alma.speaker_index).state == status.SYNC_STOPPED


def test_out_of_date_wins_over_needs_review_and_in_progress(alma, locale_ru, admin_user, capture):
    translation = translate_page(alma.speaker_index, locale_ru, admin_user, capture)
    segments = list(StringSegment.objects.filter(source=translation.source))
    first = StringTranslation.objects.get(
        translation_of=segments[0].string, context=segments[0].context, locale=locale_ru
    )
    TranslationReview.objects.create(string_translation=first, previous_source="old")
    assert one(alma.speaker_index).state == status.NEEDS_REVIEW
    TranslationSource.objects.filter(pk=translation.source_id).update(
        last_updated_at=timezone.now() + datetime.timedelta(minutes=1)
    )
    assert one(alma.speaker_index).state == status.OUT_OF_DATE


def test_error_is_shown_with_the_state(alma, locale_ru, admin_user, capture):
    translate_page(alma.speaker_index, locale_ru, admin_user, capture)
    state.record_error(alma.speaker_index.translation_key, locale_ru.pk, "The locale is gone")
    result = one(alma.speaker_index)
    assert result.error == "The locale is gone"
    assert result.state == status.IN_SYNC
    assert one(alma.forum_index).error == ""


def test_translated_without_wagtail_localize_is_sync_stopped(alma, locale_ru):
    alma.forum_index.copy_for_translation(locale_ru, copy_parents=True)
    result = one(alma.forum_index)
    assert result.state == status.SYNC_STOPPED
    assert result.translation_id is None


def test_alias_is_not_translated(alma, locale_ru):
    alma.forum_index.copy_for_translation(locale_ru, copy_parents=True, alias=True)
    assert one(alma.forum_index).state == status.NOT_TRANSLATED


def test_the_source_locale_is_left_out_for_a_translation(alma, locale_ru, admin_user, capture):
    translate_page(alma.speaker_index, locale_ru, admin_user, capture)
    ru_page = alma.speaker_index.get_translation(locale_ru)
    assert status.statuses([ru_page]) == {}


def test_snippet(alma, locale_ru, admin_user):
    organization = alma.lfl
    creator = TranslationCreator(admin_user, [locale_ru])
    creator.create_translations(organization)
    result = one(organization)
    assert result.translation_id is not None
    assert result.target_pk == organization.get_translation(locale_ru).pk
    assert result.state in (status.IN_PROGRESS, status.IN_SYNC)
    assert result.strings_total > 0


def test_as_api():
    at = timezone.now()
    result = status.TranslationStatus(status.IN_PROGRESS, 4, 3, 1, at, "boom", 7, 8, 9)
    assert result.as_api() == {
        "state": "in_progress",
        "strings_total": 4,
        "strings_translated": 3,
        "strings_needing_review": 1,
        "synced_at": at.isoformat(),
    }


def test_every_state_has_a_label_and_a_place():
    assert set(status.STATE_LABELS) == set(status.STATES)


@pytest.mark.parametrize("count", [2, 4])
def test_queries_do_not_grow_with_the_objects(
    alma, locale_ru, admin_user, capture, count, django_assert_num_queries
):
    pages = [alma.speaker_index, alma.forum_index, alma.quotation_index, alma.guideline_index]
    for page in pages[:count]:
        translate_page(page, locale_ru, admin_user, capture)
    pages = pages[:count]
    state.record_error(pages[0].translation_key, locale_ru.pk, "boom")
    # Locales, translations with their counts, sources, pages, sync states.
    with django_assert_num_queries(5):
        result = status.statuses(pages)
    assert len(result) == count
    assert {item.state for item in result.values()} == {status.IN_SYNC}


def test_queries_for_pages_and_a_snippet(alma, locale_ru, django_assert_num_queries):
    with django_assert_num_queries(6):  # one more for the snippet model
        result = status.statuses([alma.forum_index, alma.speaker_index, alma.lfl, alma.ifla])
    assert len(result) == 4
