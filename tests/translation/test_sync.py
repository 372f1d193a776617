"""The sync engine (alma_cms.translation.sync): what becomes of translated pages, translators'
work kept in the five ways issue 9 lists, errors, and a query count independent of the number
of strings. Where a test pins a fault of stock wagtail-localize, a ``test_stock_*`` beside it
reproduces the fault, so the fix is shown to be needed."""

import inspect

import pytest
import wagtail
from django.db import connection
from wagtail.models import Page
from wagtail_localize.models import StringSegment, TranslationSource

from alma_cms.models import TranslationSyncState
from alma_cms.translation.sync import (
    SyncError,
    keep_edits_before_subtree,
    restart_sync,
    sync_translations,
    translate_page_subtree,
)

from .conftest import live, publish_change, ru

pytestmark = pytest.mark.django_db


def state(document, locale):
    return TranslationSyncState.objects.get(
        translatable_object_id=document.translation_key, locale=locale
    )


# --- Item 2: what becomes of the translated page ----------------------------------------------


def test_publish_complete_publishes_a_live_complete_translation(ru_doc, locale_ru):
    document, translation = ru_doc
    document = publish_change(document, audience="Libraries of every kind.")
    [outcome] = sync_translations(document)
    # "keep": the changed string keeps its previous translation, so the page is complete.
    assert (outcome.locale, outcome.action, outcome.error) == ("ru", "published", "")
    assert outcome.translation_id == translation.pk
    assert live(document, locale_ru).audience == ru("Every library.")
    assert state(document, locale_ru).synced_at is not None


def test_publish_complete_saves_an_incomplete_result_as_a_draft(ru_doc, locale_ru, settings):
    settings.ALMA_CMS = {"TRANSLATION_CHANGED_STRINGS": "fallback"}
    document, _translation = ru_doc
    document = publish_change(document, audience="Libraries of every kind.", title="Renamed")
    [outcome] = sync_translations(document)
    assert outcome.action == "draft"
    page = live(document, locale_ru)
    assert page.audience == ru("Every library.") and page.title == ru("Document of 3")
    draft = page.get_latest_revision_as_object()
    assert draft.audience == "Libraries of every kind."  # the source text, in a draft only
    assert page.has_unpublished_changes


def test_mode_publish_publishes_with_the_source_text(ru_doc, locale_ru, settings):
    settings.ALMA_CMS = {"TRANSLATION_CHANGED_STRINGS": "fallback"}
    document, _translation = ru_doc
    document = publish_change(document, audience="Libraries of every kind.")
    [outcome] = sync_translations(document, mode="publish", locales=["ru"])
    assert outcome.action == "published"
    assert live(document, locale_ru).audience == "Libraries of every kind."


# --- Case 4: a draft sync leaves the live page unchanged --------------------------------------


def test_stock_draft_sync_changes_the_live_page(ru_doc, locale_ru, capture):
    document, translation = ru_doc
    publish_change(document, audience="Libraries of every kind.")
    translation.source.update_from_db()
    with capture(execute=True):
        translation.save_target(publish=False)
    assert live(document, locale_ru).audience == "Libraries of every kind."  # the fault


def test_draft_sync_leaves_the_live_page_unchanged(ru_doc, locale_ru, settings):
    settings.ALMA_CMS = {"TRANSLATION_CHANGED_STRINGS": "fallback"}
    document, _translation = ru_doc
    before = live(document, locale_ru)
    document = publish_change(document, audience="Libraries of every kind.")
    [outcome] = sync_translations(document, mode="draft")
    assert outcome.action == "draft"
    page = live(document, locale_ru)
    assert page.audience == ru("Every library.")
    assert page.live_revision_id == before.live_revision_id
    assert page.get_latest_revision_as_object().audience == "Libraries of every kind."


# --- Case 5: syncing from the source's latest draft -------------------------------------------


def test_stock_sync_reads_the_published_source_only(ru_doc, locale_ru):
    document, translation = ru_doc
    document.audience = "A draft audience."
    document.save_revision()
    translation.source.update_from_db()
    assert "A draft audience." not in translation.source.content_json  # the fault


@pytest.mark.parametrize("mode", ["publish", "publish-complete", "publish-if-complete", None])
def test_from_draft_syncs_the_latest_revision_as_a_draft_only(ru_doc, locale_ru, settings, mode):
    """The source's draft is not published: whatever the mode, the translation gets a draft
    revision with it, and the live Russian page keeps what it showed."""
    settings.ALMA_CMS = {"TRANSLATION_CHANGED_STRINGS": "fallback"}
    document, _translation = ru_doc
    before = live(document, locale_ru)
    page = live(document)
    page.audience = "A draft audience."
    page.save_revision()
    [outcome] = sync_translations(page, mode=mode, from_draft=True)
    assert outcome.action == "draft"
    ru_page = live(document, locale_ru)
    assert ru_page.audience == ru("Every library.")
    assert ru_page.live_revision_id == before.live_revision_id
    assert ru_page.get_latest_revision_as_object().audience == "A draft audience."
    assert live(document).audience == "Every library."  # the source's live page untouched


# --- Case 1: a stopped translation keeps its manual edits -------------------------------------


def edit_by_hand(document, locale, text):
    """A translator stops the sync and edits the Russian page by hand (and publishes it)."""
    page = live(document, locale)
    page.audience = text
    page.save_revision().publish()


def test_stock_restart_overwrites_manual_edits(ru_doc, locale_ru, capture):
    document, translation = ru_doc
    translation.enabled = False
    translation.save()
    edit_by_hand(document, locale_ru, "Ручная правка.")
    translation.enabled = True
    translation.save()
    with capture(execute=True):
        translation.save_target(publish=True)
    assert live(document, locale_ru).audience == ru("Every library.")  # the edit is lost


def test_a_stopped_translation_is_skipped(ru_doc, locale_ru):
    document, translation = ru_doc
    translation.enabled = False
    translation.save()
    edit_by_hand(document, locale_ru, "Ручная правка.")
    document = publish_change(document, audience="Libraries of every kind.")
    [outcome] = sync_translations(document)
    assert outcome.action == "skipped"
    assert live(document, locale_ru).audience == "Ручная правка."


def test_restart_reports_then_keeps_manual_edits(ru_doc, locale_ru, admin_user):
    document, translation = ru_doc
    translation.enabled = False
    translation.save()
    edit_by_hand(document, locale_ru, "Ручная правка.")

    dry = restart_sync(translation, dry_run=True)
    assert [(c.path, c.current, c.synced) for c in dry.changes] == [
        ("audience", "Ручная правка.", ru("Every library."))
    ]
    translation.refresh_from_db()
    assert not translation.enabled and not dry.restarted

    report = restart_sync(translation, user=admin_user)
    assert report.restarted and [c.path for c in report.kept] == ["audience"]
    [outcome] = sync_translations(document)
    assert outcome.action == "published"
    assert live(document, locale_ru).audience == "Ручная правка."


def test_restart_with_overwrite_replaces_manual_edits(ru_doc, locale_ru):
    document, translation = ru_doc
    translation.enabled = False
    translation.save()
    edit_by_hand(document, locale_ru, "Ручная правка.")
    report = restart_sync(translation, overwrite=True)
    assert [c.current for c in report.changes] == ["Ручная правка."] and not report.kept
    sync_translations(document)
    assert live(document, locale_ru).audience == ru("Every library.")


# --- Errors: recorded, logged once, nothing else changed --------------------------------------


def test_a_broken_segment_is_an_error_outcome_and_changes_nothing(ru_doc, locale_ru, caplog):
    document, _translation = ru_doc
    before = live(document, locale_ru)
    document = publish_change(document, audience="Libraries of every kind.")
    source = TranslationSource.objects.get_for_instance(document)
    sync_translations(document, mode="draft")  # the source is now up to date
    StringSegment.objects.filter(source=source).update(attrs="{broken")
    caplog.clear()
    [outcome] = sync_translations(document, mode="publish")
    assert outcome.action == "error" and "JSONDecodeError" in outcome.error
    row = state(document, locale_ru)
    assert row.error == outcome.error and row.failed_at is not None
    assert row.synced_at is not None  # the last successful sync is kept
    after = live(document, locale_ru)
    assert (after.audience, after.live_revision_id) == (before.audience, before.live_revision_id)
    assert len([r for r in caplog.records if r.name == "alma_cms.translation"]) == 1


def test_a_deleted_source_raises_and_is_recorded(ru_doc, locale_ru, caplog, settings):
    # wagtail-localize keeps the translation data of a deleted source with this setting (by
    # default it deletes it, sync states included: then there is nothing to record on).
    settings.WAGTAILLOCALIZE_DISABLE_ON_DELETE = True
    document, _translation = ru_doc
    key = document.translation_key
    Page.objects.get(pk=document.pk).delete()
    caplog.clear()
    with pytest.raises(SyncError, match="was deleted"):
        sync_translations(document)
    row = TranslationSyncState.objects.get(translatable_object_id=key, locale=locale_ru)
    assert "was deleted" in row.error and row.failed_at is not None
    assert len([r for r in caplog.records if r.name == "alma_cms.translation"]) == 1


def test_a_deleted_source_with_its_data_cleaned_up_raises(ru_doc, caplog):
    document, _translation = ru_doc
    Page.objects.get(pk=document.pk).delete()
    with pytest.raises(SyncError, match="was deleted"):
        sync_translations(document)
    assert not TranslationSyncState.objects.exists()
    assert len([r for r in caplog.records if r.name == "alma_cms.translation"]) == 1


def test_a_locale_that_does_not_exist_raises(ru_doc):
    document, _translation = ru_doc
    with pytest.raises(SyncError, match="'xx' does not exist"):
        sync_translations(document, locales=["xx"])


# --- Item 6: queries per sync do not grow with the number of strings --------------------------


def changed_document(make_document, locale_ru, admin_user, capture, guidelines):
    from .conftest import translate

    document = make_document(guidelines)
    translate(document, locale_ru, admin_user, capture)
    page = live(document)
    page.directions[0].value["guidelines"][0]["title"] = "A new title"
    return publish_change(page, audience="Libraries of every kind.", directions=page.directions)


@pytest.mark.parametrize("guidelines", [10, 100])
def test_sync_queries_do_not_grow_with_the_strings(
    guidelines, make_document, locale_ru, admin_user, capture, django_assert_num_queries
):
    document = changed_document(make_document, locale_ru, admin_user, capture, guidelines)
    with django_assert_num_queries(SYNC_QUERIES[connection.vendor] + (wagtail.VERSION < (8,))):
        [outcome] = sync_translations(document)
    assert outcome.action == "published"
    page = live(document, locale_ru)
    assert page.audience == ru("Every library.")
    titles = [g["title"] for g in page.directions[0].value["guidelines"]]
    assert titles[0] == ru("Guideline 0") and len(titles) == 10


# Most are Wagtail's own save_revision() + publish(); PostgreSQL's search backend does two fewer.
# One more: the publish's sync-on-publish receiver asks whether the translated page is itself a
# synced source (alma_cms.translation.wiring). Wagtail 7.4's publish runs one more.
SYNC_QUERIES = {"postgresql": 116, "sqlite": 118}


# --- Case 2: "Translate this page" with subtree keeps stopped children's edits -----------------


def stopped_and_edited(ru_doc, locale_ru):
    document, translation = ru_doc
    translation.enabled = False
    translation.save()
    edit_by_hand(document, locale_ru, "Ручная правка.")
    return document, Page.objects.get(pk=document.pk).get_parent()


def test_stock_subtree_translation_overwrites_stopped_children(ru_doc, locale_ru, admin_user):
    from wagtail_localize import operations

    # wagtail-localize's own operation, under alma's wrappers (alma_cms.translation.subtree).
    stock = inspect.unwrap(operations.translate_page_subtree)
    document, parent = stopped_and_edited(ru_doc, locale_ru)
    stock(parent.pk, [locale_ru], None, admin_user)
    assert live(document, locale_ru).audience == ru("Every library.")  # the edit is lost


def test_subtree_translation_keeps_stopped_childrens_edits(ru_doc, locale_ru, admin_user):
    document, parent = stopped_and_edited(ru_doc, locale_ru)
    told = keep_edits_before_subtree(parent.pk, [locale_ru.pk], dry_run=True)
    assert [[c.current for c in r.changes] for r in told.values()] == [["Ручная правка."]]
    translate_page_subtree(parent.pk, [locale_ru.pk], None, admin_user)
    assert live(document, locale_ru).audience == "Ручная правка."
    _document, translation = ru_doc
    translation.refresh_from_db()
    assert translation.enabled  # the subtree translation restarted its sync


# --- Snippets ---------------------------------------------------------------------------------


def test_a_snippet_without_drafts_is_published_or_left_alone(alma, locale_ru, admin_user, capture):
    from alma_cms.models import Organization

    from .conftest import translate

    translate(alma.final_document, locale_ru, admin_user, capture)  # the RLA comes along
    rla = Organization.objects.get(pk=alma.rla.pk)
    rla_ru = rla.get_translation(locale_ru)
    rla.name = "Russian Library Association (RLA)"
    rla.save()
    [outcome] = sync_translations(rla, mode="draft")
    assert outcome.action == "skipped"  # no draft to save into: the live snippet stays
    [outcome] = sync_translations(rla)
    assert outcome.action == "published"
    rla_ru.refresh_from_db()
    assert rla_ru.name == ru("Russian Library Association")  # kept, marked for review
    assert state(rla, locale_ru).synced_at is not None


# --- Synchronised fields and overrides, as wagtail-localize documents --------------------------


def test_synchronised_fields_follow_and_overrides_stay(alma, locale_ru, admin_user, capture):
    from wagtail_localize.models import OverridableSegment, SegmentOverride

    from .conftest import translate

    document = alma.final_document
    translate(document, locale_ru, admin_user, capture)
    source = TranslationSource.objects.get_for_instance(document)
    url = OverridableSegment.objects.get(source=source, context__path__endswith=".url")
    SegmentOverride.objects.create(
        locale=locale_ru, context_id=url.context_id, data_json='"https://www.ifla.org/ru/"'
    )
    document = publish_change(document, status="approved")
    [outcome] = sync_translations(document)
    assert outcome.action == "published"
    page = live(document, locale_ru)
    assert page.status == "approved"  # a choice: synchronised from the source
    assert [link.value["url"] for link in page.links] == ["https://www.ifla.org/ru/"]


def test_restart_keeps_a_manually_edited_url_as_an_override(alma, locale_ru, admin_user, capture):
    from .conftest import translate

    document = alma.final_document
    translation = translate(document, locale_ru, admin_user, capture)
    translation.enabled = False
    translation.save()
    page = live(document, locale_ru)
    page.links[0].value["url"] = "https://www.ifla.org/ru/"
    page.save_revision().publish()

    report = restart_sync(translation, user=admin_user)
    assert [(c.kind, c.current) for c in report.kept] == [("override", "https://www.ifla.org/ru/")]
    [outcome] = sync_translations(document)
    assert outcome.action == "published"
    assert [link.value["url"] for link in live(document, locale_ru).links] == [
        "https://www.ifla.org/ru/"
    ]
