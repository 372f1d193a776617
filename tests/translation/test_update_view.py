"""wagtail-localize's "Sync translated pages" in the admin goes through alma's sync engine
(alma_cms.translation_admin.install_update_translations; issue 9, case 3 in the UI).

Every test posts to the real URL (``wagtail_localize:update_translations``) with Django's test
client, logged in as a superuser (or as the user a test is about). A ``test_stock_*`` beside the
first test runs wagtail-localize's own ``form_valid`` through the same URL and shows the fault
the wrapper fixes."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import resolve, reverse
from wagtail_localize.machine_translators.dummy import translate_string
from wagtail_localize.models import Translation, TranslationSource
from wagtail_localize.views.update_translations import UpdateTranslationsView

from alma_cms.models import TranslationReview, TranslationSyncState
from alma_cms.translation.review import reviews_for
from alma_cms.translation.sync import refresh_source

from .conftest import live, publish_change, ru, translate

pytestmark = pytest.mark.django_db

NEW = "Libraries of every kind."
PUBLISH = {"publish_translations": "on"}


def sync_url(instance):
    source = TranslationSource.objects.get_for_instance(instance)
    return reverse("wagtail_localize:update_translations", args=[source.pk])


def messages_of(response):
    return [(m.level_tag, str(m)) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def superuser_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_the_url_runs_alma_s_form_valid(ru_doc):
    document, _translation = ru_doc
    view_class = resolve(sync_url(document)).func.view_class
    assert view_class is UpdateTranslationsView
    assert getattr(view_class.form_valid, "alma_keeps_translations", False)


def test_stock_sync_button_loses_the_translation_of_a_changed_string(
    ru_doc, locale_ru, superuser_client, capture, monkeypatch
):
    """wagtail-localize's own view (``update_from_db`` + ``save_target(publish=True)``): the
    changed string gets a new ``String`` without a translation, so the Russian page shows the
    English text and nothing is marked for review. The test below fails on it."""
    monkeypatch.setattr(
        UpdateTranslationsView, "form_valid", UpdateTranslationsView.form_valid.__wrapped__
    )
    document, _translation = ru_doc
    document = publish_change(document, audience=NEW)
    with capture(execute=True):
        response = superuser_client.post(sync_url(document), PUBLISH)
    assert response.status_code == 302
    assert live(document, locale_ru).audience == NEW
    assert not TranslationReview.objects.exists()


def test_a_changed_string_keeps_its_translation_marked_for_review(
    ru_doc, locale_ru, superuser_client, capture
):
    """Through the button, with "Publish immediately": the Russian page keeps the previous
    translation of the changed string, and it is marked "needs review". Stock (test above)
    shows the English text and marks nothing."""
    document, translation = ru_doc
    document = publish_change(document, audience=NEW)
    url = sync_url(document)
    assert superuser_client.get(url).status_code == 200
    with capture(execute=True):
        response = superuser_client.post(url, PUBLISH)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_explore", args=[document.get_parent().pk])
    assert messages_of(response) == [
        ("success", f"Successfully updated translations for '{document.title}'")
    ]
    assert live(document, locale_ru).audience == ru("Every library.")
    [review] = reviews_for(translation)
    assert review.previous_source == "Every library."
    assert review.string_translation.translation_of.data == NEW


def test_publish_updates_the_live_translation(ru_doc, locale_ru, superuser_client, capture):
    document, _translation = ru_doc
    before = live(document, locale_ru)
    assert before.status == "finalized"
    document = publish_change(document, status="approved")  # synchronised from the source
    with capture(execute=True):
        response = superuser_client.post(sync_url(document), PUBLISH)
    assert response.status_code == 302
    after = live(document, locale_ru)
    assert after.status == "approved"
    assert after.live_revision_id != before.live_revision_id
    assert not after.has_unpublished_changes
    row = TranslationSyncState.objects.get(
        translatable_object_id=document.translation_key, locale=locale_ru
    )
    assert row.synced_at is not None and row.error == ""


def test_unchecked_updates_the_source_only(ru_doc, locale_ru, superuser_client, capture):
    """Without "Publish immediately" only the source is refreshed (stock behaviour), with the
    carry-over: the Russian page is not written, the changed string is already marked."""
    document, translation = ru_doc
    before = live(document, locale_ru)
    revisions = before.revisions.count()
    document = publish_change(document, audience=NEW, status="approved")
    with capture(execute=True):
        response = superuser_client.post(sync_url(document), {})
    assert response.status_code == 302
    after = live(document, locale_ru)
    assert (after.audience, after.status) == (ru("Every library."), "finalized")
    assert after.live_revision_id == before.live_revision_id
    assert after.revisions.count() == revisions and not after.has_unpublished_changes
    source = TranslationSource.objects.get(pk=translation.source_id)
    assert NEW in source.content_json  # the source was refreshed
    [review] = reviews_for(translation)
    assert review.string_translation.data == ru("Every library.")


def test_fallback_and_machine_translation(ru_doc, locale_ru, superuser_client, capture, settings):
    """``TRANSLATION_CHANGED_STRINGS = "fallback"``: nothing is carried over, so "Use machine
    translation" translates the changed string, and it is published."""
    settings.ALMA_CMS = {"TRANSLATION_CHANGED_STRINGS": "fallback"}
    settings.WAGTAILLOCALIZE_MACHINE_TRANSLATOR = {
        "CLASS": "wagtail_localize.machine_translators.dummy.DummyTranslator"
    }
    document, _translation = ru_doc
    document = publish_change(document, audience=NEW)
    with capture(execute=True):
        response = superuser_client.post(
            sync_url(document), {**PUBLISH, "use_machine_translation": "on"}
        )
    assert response.status_code == 302
    assert live(document, locale_ru).audience == translate_string(NEW)
    assert not TranslationReview.objects.exists()


def test_a_stopped_translation_is_untouched(ru_doc, locale_ru, superuser_client, capture):
    document, translation = ru_doc
    Translation.objects.filter(pk=translation.pk).update(enabled=False)
    page = live(document, locale_ru)
    page.audience = "Ручная правка."
    page.save_revision().publish()
    before = live(document, locale_ru)
    revisions = before.revisions.count()
    states = TranslationSyncState.objects.filter(
        translatable_object_id=document.translation_key, locale=locale_ru
    )
    assert not states.exists()
    document = publish_change(document, audience=NEW, status="approved")
    with capture(execute=True):
        response = superuser_client.post(sync_url(document), PUBLISH)
    assert response.status_code == 302
    after = live(document, locale_ru)
    assert (after.audience, after.status) == ("Ручная правка.", "finalized")
    assert after.live_revision_id == before.live_revision_id
    assert after.revisions.count() == revisions
    translation.refresh_from_db()
    assert not translation.enabled
    assert not states.exists()  # no sync recorded for it


def test_a_user_without_the_permission_is_turned_away(
    ru_doc, locale_ru, client, django_user_model, capture
):
    """An editor without ``wagtail_localize.submit_translation``: the view's PermissionDenied,
    which Wagtail's admin turns into its redirect with a message (a 403 for XHR)."""
    document, translation = ru_doc
    user = django_user_model.objects.create_user("editor", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    document = publish_change(document, audience=NEW)
    content_json = TranslationSource.objects.get(pk=translation.source_id).content_json
    url = sync_url(document)
    with capture(execute=True):
        response = client.post(url, PUBLISH)
        xhr = client.post(url, PUBLISH, headers={"x-requested-with": "XMLHttpRequest"})
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert [level for level, _text in messages_of(response)] == ["error"]
    assert xhr.status_code == 403
    assert live(document, locale_ru).audience == ru("Every library.")
    assert TranslationSource.objects.get(pk=translation.source_id).content_json == content_json
    assert not TranslationReview.objects.exists()


def test_a_failed_translation_is_reported_and_changes_nothing(
    ru_doc, locale_ru, superuser_client, capture
):
    from wagtail_localize.models import StringSegment

    document, translation = ru_doc
    before = live(document, locale_ru)
    document = publish_change(document, audience=NEW)
    refresh_source(document)  # the source is now up to date
    StringSegment.objects.filter(source_id=translation.source_id).update(attrs="{broken")
    with capture(execute=True):
        response = superuser_client.post(sync_url(document), PUBLISH)
    assert response.status_code == 302
    [(level, text)] = messages_of(response)
    assert level == "error" and "JSONDecodeError" in text and "into ru" in text
    after = live(document, locale_ru)
    assert (after.audience, after.live_revision_id) == (before.audience, before.live_revision_id)
    row = TranslationSyncState.objects.get(
        translatable_object_id=document.translation_key, locale=locale_ru
    )
    assert "JSONDecodeError" in row.error


def test_an_organization_keeps_its_translation_marked_for_review(
    alma, locale_ru, admin_user, superuser_client, capture
):
    from alma_cms.models import Organization

    translate(alma.final_document, locale_ru, admin_user, capture)  # the RLA comes along
    rla = Organization.objects.get(pk=alma.rla.pk)
    rla_ru = rla.get_translation(locale_ru)
    rla.name = "Russian Library Association (RLA)"
    rla.save()
    url = sync_url(rla)
    assert superuser_client.get(url).status_code == 200
    with capture(execute=True):
        response = superuser_client.post(url, PUBLISH)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "wagtailsnippets_alma_cms_organization:edit", args=[rla.pk]
    )
    rla_ru.refresh_from_db()
    assert rla_ru.name == ru("Russian Library Association")
    translation = Translation.objects.get(
        source=TranslationSource.objects.get_for_instance(rla), target_locale=locale_ru
    )
    [review] = reviews_for(translation)
    assert review.previous_source == "Russian Library Association"
