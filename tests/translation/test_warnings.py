"""What the translation admin tells the translator before it replaces their work (issue 9,
item 3): "Translate this page" with "Include subtree" names the manual edits of stopped child
translations it cannot keep and goes ahead only on a second submit; the restart warning lists
each field once by its label and names wagtail-localize's button as it is labelled; string
counts are pluralised."""

import pytest
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation as django_translation
from wagtail.models import Page
from wagtail.users.models import UserProfile
from wagtail_localize.models import Translation

from alma_cms.translation.status import TranslationStatus
from alma_cms.translation.sync import keep_edits_before_subtree

from .conftest import live, publish_change, translate

pytestmark = pytest.mark.django_db

INTRODUCTION = "<p>One.</p><p>Two.</p>"
APPENDED = "<p>[ru] One.</p><p>[ru] Two.</p><p>Добавленный абзац.</p>"
CONCLUSION = "<p>End.</p>"


@pytest.fixture
def stopped(make_document, locale_ru, admin_user, capture):
    """A document with a two-paragraph introduction and a one-paragraph conclusion, translated
    into Russian; then its sync is stopped. Returns (source document, Translation, Russian
    page)."""
    document = publish_change(make_document(3), introduction=INTRODUCTION, conclusion=CONCLUSION)
    translation = translate(document, locale_ru, admin_user, capture)
    Translation.objects.filter(pk=translation.pk).update(enabled=False)
    return document, translation, live(document, locale_ru)


def edit_by_hand(page, **fields):
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()


def set_admin_language(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


def texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- "Translate this page" with "Include subtree" ---------------------------------------------


def submit_subtree(client, page, locale, capture):
    url = reverse("wagtail_localize:submit_page_translation", args=[page.pk])
    with capture(execute=True):
        return client.post(url, {"locales": [locale.pk], "include_subtree": "on"})


def test_subtree_translation_warns_first_then_replaces_on_a_second_submit(
    stopped, locale_ru, admin_client, capture
):
    document, translation, ru_page = stopped
    edit_by_hand(ru_page, introduction=APPENDED)
    parent = Page.objects.get(pk=document.pk).get_parent()
    [report] = keep_edits_before_subtree(parent.pk, [locale_ru.pk], dry_run=True).values()
    assert report.unkept  # the case: an edit that cannot be kept

    response = submit_subtree(admin_client, parent, locale_ru, capture)
    assert response.status_code == 200  # the form again, nothing done
    [warning] = texts(response)
    assert "Translating the subtree will replace" in warning
    assert f"“{ru_page.title}” (Russian): Introduction (2 changes)" in warning
    assert "in 1 page:" in warning and "choose “Submit” again" in warning
    assert "Добавленный абзац" in live(document, locale_ru).introduction
    translation.refresh_from_db()
    assert not translation.enabled
    assert parent.get_translation(locale_ru).alias_of_id == parent.pk  # still an alias
    assert 'name="include_subtree"' in response.content.decode()
    assert warning in response.content.decode()  # shown on the form

    response = submit_subtree(admin_client, parent, locale_ru, capture)
    assert response.status_code == 302
    translation.refresh_from_db()
    assert translation.enabled
    assert "Добавленный абзац" not in live(document, locale_ru).introduction
    assert parent.get_translation(locale_ru).alias_of_id is None
    assert admin_client.session["alma_cms_subtree_confirm"] == {}


def test_a_changed_edit_after_the_warning_is_warned_about_again(
    stopped, locale_ru, admin_client, capture
):
    document, translation, ru_page = stopped
    edit_by_hand(ru_page, introduction=APPENDED)
    parent = Page.objects.get(pk=document.pk).get_parent()
    assert submit_subtree(admin_client, parent, locale_ru, capture).status_code == 200
    # Another translator adds a field the first warning did not name.
    edit_by_hand(live(document, locale_ru), conclusion="<p>[ru] End.</p><p>Ещё.</p>")
    response = submit_subtree(admin_client, parent, locale_ru, capture)
    assert response.status_code == 200
    translation.refresh_from_db()
    assert not translation.enabled


def test_subtree_translation_with_keepable_edits_goes_straight_through(
    stopped, locale_ru, admin_client, capture
):
    document, translation, ru_page = stopped
    edit_by_hand(ru_page, audience="Ручная правка.")
    parent = Page.objects.get(pk=document.pk).get_parent()
    response = submit_subtree(admin_client, parent, locale_ru, capture)
    assert response.status_code == 302
    assert not any("replace" in text for text in texts(response))
    translation.refresh_from_db()
    assert translation.enabled
    assert live(document, locale_ru).audience == "Ручная правка."


def test_subtree_warning_in_russian(stopped, locale_ru, admin_client, admin_user, capture):
    document, _translation, ru_page = stopped
    edit_by_hand(ru_page, introduction=APPENDED)
    set_admin_language(admin_user, "ru")
    parent = Page.objects.get(pk=document.pk).get_parent()
    response = submit_subtree(admin_client, parent, locale_ru, capture)
    [warning] = texts(response)
    assert warning.startswith("Перевод поддерева заменит")
    assert "на 1 странице:" in warning and "«Отправить»" in warning
    assert "(2 изменения)" in warning


# --- "Start Synced translation" (restart) -----------------------------------------------------


def restart(client, page, capture):
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    with capture(execute=True):
        return client.post(url, {"localize-restart-translation": "Restart"})


def test_restart_warning_names_each_field_once_and_the_button_as_labelled(
    stopped, admin_client, capture
):
    _document, translation, ru_page = stopped
    edit_by_hand(ru_page, introduction=APPENDED)
    response = restart(admin_client, ru_page, capture)
    assert response.status_code == 302
    [warning] = texts(response)
    assert "in 1 field: Introduction (2 changes)." in warning
    assert "introduction, introduction" not in warning
    assert "choose “Start Synced translation” again" in warning
    translation.refresh_from_db()
    assert not translation.enabled

    response = restart(admin_client, ru_page, capture)
    translation.refresh_from_db()
    assert translation.enabled


def test_restart_warning_counts_fields(stopped, admin_client, capture):
    _document, _translation, ru_page = stopped
    edit_by_hand(ru_page, introduction=APPENDED, conclusion="<p>[ru] End.</p><p>Ещё.</p>")
    response = restart(admin_client, ru_page, capture)
    [warning] = texts(response)
    assert "in 2 fields: Introduction (2 changes); Conclusion. Nothing" in warning


def test_restart_warning_in_russian(stopped, admin_client, admin_user, capture):
    _document, _translation, ru_page = stopped
    edit_by_hand(ru_page, introduction=APPENDED)
    set_admin_language(admin_user, "ru")
    [warning] = texts(restart(admin_client, ru_page, capture))
    assert "в 1 поле: Введение (2 изменения)." in warning  # the field's label translated
    assert "«Начать синхронизированный перевод»" in warning


# --- String counts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "total", "expected"),
    [
        ("en", 1, "1 of 1 string"),
        ("en", 2, "1 of 2 strings"),
        ("ru", 1, "1 из 1 строки"),
        ("ru", 3, "1 из 3 строк"),
        ("ru", 5, "1 из 5 строк"),
        ("ru", 21, "1 из 21 строки"),
    ],
)
def test_string_counts_are_pluralised(language, total, expected):
    status = TranslationStatus(state="in_progress", strings_total=total, strings_translated=1)
    with django_translation.override(language):
        html = render_to_string("alma_cms/translation/state.html", {"status": status})
    assert expected in " ".join(html.split())
    if total == 1 and language == "en":
        assert "strings" not in html
