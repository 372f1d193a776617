"""Changed source strings (TRANSLATION_CHANGED_STRINGS, alma_cms.translation.review): case 3 of
issue 9. wagtail-localize orphans the translation of a changed string and the translated page
falls back to the source text (#838, #502); "keep" keeps the previous translation, marked for
review until a translator saves a new one."""

import pytest
from wagtail_localize.models import StringTranslation, TranslationSource

from alma_cms.models import TranslationReview
from alma_cms.translation.review import reviews_for, strings_needing_review
from alma_cms.translation.sync import sync_translations

from .conftest import live, publish_change, ru

pytestmark = pytest.mark.django_db

NEW = "Libraries of every kind."


def carried(translation):
    [review] = reviews_for(translation)
    return review


def test_stock_sync_falls_back_to_the_source_text(ru_doc, locale_ru, capture):
    document, translation = ru_doc
    publish_change(document, audience=NEW)
    translation.source.update_from_db()
    with capture(execute=True):
        translation.save_target(publish=True)
    assert live(document, locale_ru).audience == NEW  # the Russian page shows English


def test_a_changed_string_keeps_its_translation_marked_for_review(ru_doc, locale_ru):
    document, translation = ru_doc
    document = publish_change(document, audience=NEW)
    [outcome] = sync_translations(document)
    assert outcome.action == "published"
    assert live(document, locale_ru).audience == ru("Every library.")
    review = carried(translation)
    assert review.previous_source == "Every library."
    assert review.string_translation.translation_of.data == NEW
    assert review.string_translation.data == ru("Every library.")
    source = TranslationSource.objects.get_for_instance(document)
    assert strings_needing_review([source.pk], [locale_ru.pk]) == {(source.pk, locale_ru.pk): 1}
    assert strings_needing_review([source.pk]) == {(source.pk, locale_ru.pk): 1}


def test_a_translators_save_ends_the_review(ru_doc, locale_ru):
    document, translation = ru_doc
    document = publish_change(document, audience=NEW)
    sync_translations(document)
    string_translation = carried(translation).string_translation
    string_translation.data = "Библиотеки всех видов."
    string_translation.save()  # what wagtail-localize's editor does
    assert not TranslationReview.objects.exists()
    source = TranslationSource.objects.get_for_instance(document)
    assert strings_needing_review([source.pk], [locale_ru.pk]) == {}
    sync_translations(document)
    assert live(document, locale_ru).audience == "Библиотеки всех видов."


def test_deleting_the_translation_ends_the_review(ru_doc):
    document, translation = ru_doc
    document = publish_change(document, audience=NEW)
    sync_translations(document)
    carried(translation).string_translation.delete()
    assert not TranslationReview.objects.exists()


def test_an_unchanged_string_is_not_marked(ru_doc):
    document, translation = ru_doc
    document = publish_change(document, approved_by="Someone else")  # not a translated field
    sync_translations(document)
    document = publish_change(document, title="Renamed")
    sync_translations(document)
    assert [r.previous_source for r in reviews_for(translation)] == ["Document of 3"]


def test_fallback_is_wagtail_localizes_behaviour(ru_doc, locale_ru, settings):
    settings.ALMA_CMS = {"TRANSLATION_CHANGED_STRINGS": "fallback"}
    document, _translation = ru_doc
    document = publish_change(document, audience=NEW)
    [outcome] = sync_translations(document, mode="publish")
    assert live(document, locale_ru).audience == NEW
    assert not TranslationReview.objects.exists()
    assert not StringTranslation.objects.filter(translation_of__data=NEW).exists()


def _status(document, locale_ru):
    from alma_cms.translation import status  # the status helper is the API's and the report's

    return status.statuses([document], [locale_ru])[(document, "ru")]


def test_only_strings_the_source_holds_now_count_for_review(ru_doc, locale_ru):
    """Three edits of one field with a sync after each: three carried translations, but one
    string in the source. Translating it clears the count (it stayed at 2)."""
    document, translation = ru_doc
    for n in range(3):
        document = publish_change(document, audience=f"{NEW} Edit {n}.")
        sync_translations(document)
    assert TranslationReview.objects.count() == 3
    source = TranslationSource.objects.get_for_instance(document)
    assert _status(document, locale_ru).strings_needing_review == 1
    assert _status(document, locale_ru).state == "needs_review"
    assert strings_needing_review([source.pk], [locale_ru.pk]) == {(source.pk, locale_ru.pk): 1}
    string_translation = carried(translation).string_translation
    assert string_translation.translation_of.data == f"{NEW} Edit 2."
    string_translation.data = "Библиотеки всех видов."
    string_translation.save()  # the translator translates the current string
    result = _status(document, locale_ru)
    assert result.strings_needing_review == 0
    # Saved in the editor, not yet on the live page: in progress until published.
    assert result.state == "in_progress"
    assert strings_needing_review([source.pk], [locale_ru.pk]) == {}
    assert list(reviews_for(translation)) == []


def test_a_string_changed_back_needs_no_review(ru_doc, locale_ru):
    """ "Document of 3" → "... (EN edit)" → back: the original string's translation is there
    again; the mark of the edited string does not count (it stayed at 1)."""
    document, translation = ru_doc
    document = publish_change(document, title="Document of 3 (EN edit)")
    sync_translations(document)
    assert _status(document, locale_ru).strings_needing_review == 1
    document = publish_change(document, title="Document of 3")
    sync_translations(document)
    result = _status(document, locale_ru)
    assert result.strings_needing_review == 0
    assert result.state == "in_sync"
    assert list(reviews_for(translation)) == []
    assert live(document, locale_ru).title == ru("Document of 3")
