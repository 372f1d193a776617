"""The translator's flow in a real browser (issue 9, item 8): Chromium drives Wagtail's admin,
alma's "Translation status" report and wagtail-localize's translation editor on
``live_server``.

An English forum edition has a Russian translation made with wagtail-localize (sync on, every
string translated, published). Then, all in the browser:

1. an editor (a superuser) changes the edition's theme and publishes it;
2. a translator (not a superuser: a group with wagtail-localize's "Can submit translations"
   and editing and publishing pages) logs in; the report (Reports → Translation status) shows
   the Russian translation "Out of date";
3. the translator ticks it and runs "Sync selected" (``send_sync`` → Celery, eager in tests:
   the task runs in the request once it commits); the Russian page, complete, is published
   with the changed string still showing its previous translation, marked for review;
4. the translator opens the Russian page's translation editor (wagtail-localize's), translates
   the changed string and publishes;
5. the new Russian text is on the Russian page's URL (``/ru/...``), and the report says
   "In sync".

The on-publish sync is off here (``TRANSLATION_SYNC_ON_PUBLISH = "off"``): with eager Celery it
would sync at the publish itself, and the translation would never be seen out of date. A site
with on-publish syncing sees this state between a publish and the worker's run, or when the
worker is down.
"""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from wagtail.models import GroupPagePermission, Page
from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource
from wagtail_localize.operations import TranslationCreator

from alma_cms.pages.models import ForumEditionPage, ForumIndexPage
from tests.browser.test_editor_flow import PASSWORD, form_errors, live_url, log_in
from tests.testapp.factories import add_page, ensure_locale, home_page, reload

pytestmark = [
    pytest.mark.browser,
    # live_server needs committed data. serialized_rollback restores what migrations created
    # (root page, default site, locale) after another transactional test flushed it.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REPORT = "/admin/alma-cms/translation-status/"

THEME = "Libraries that read together"
NEW_THEME = "Libraries that read aloud"
NEW_THEME_RU = "Библиотеки, которые читают вслух"
# What the Russian translation says before the change; any other string gets "[ru] ".
RUSSIAN = {
    "ALMA 2022": "АЛМА 2022",
    THEME: "Библиотеки, которые читают вместе",
}


def translate_into(page, locale, user):
    """wagtail-localize's own flow, as "Translate this page" and a translator run it: submit
    ``page`` (its parents are copied into ``locale`` on the first save), translate every
    string, publish. Returns the Russian page."""
    TranslationCreator(user, [locale]).create_translations(page)
    source = TranslationSource.objects.get_for_instance(page)
    segments = StringSegment.objects.filter(source=source).select_related("string", "context")
    for segment in segments:
        text = segment.string.data
        # The slug stays as it is: /ru/forum/alma-2022/.
        data = text if segment.context.path == "slug" else RUSSIAN.get(text, f"[ru] {text}")
        StringTranslation.objects.create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            data=data,
            translation_type="manual",
            last_translated_by=user,
        )
    translation = source.translations.get(target_locale=locale)
    assert translation.enabled, "the translation is synced (wagtail-localize's default)"
    # Not in a transaction (live_server tests autocommit): the deferred publish runs at once.
    translation.save_target(user=user, publish=True)
    return page.get_translation(locale).specific


def make_translator(django_user_model):
    """A translator, not a superuser: the admin, wagtail-localize's "Can submit translations"
    (what the report asks for) and editing and publishing pages in every locale."""
    group = Group.objects.create(name="Translators")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(
            content_type__app_label="wagtail_localize", codename="submit_translation"
        ),
    )
    root = Page.get_first_root_node()
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group,
            page=root,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
    translator = django_user_model.objects.create_user(
        "translator", "translator@example.com", PASSWORD
    )
    translator.groups.add(group)
    return translator


def row_id(obj, code):
    """The report's row id (``Row.id``) of ``obj`` translated into ``code``."""
    content_type = ContentType.objects.get_for_model(type(obj), for_concrete_model=False)
    return f"{content_type.pk}:{obj.pk}:{code}"


def report_state(page, row):
    """The state cell (``data-alma-state``) of the report's row ``row`` (a row id)."""
    return page.locator(f'tr:has(input[name=rows][value="{row}"]) [data-alma-state]')


@pytest.fixture
def edition_ru(django_user_model, settings):
    settings.ALMA_CMS = {"TRANSLATION_SYNC_ON_PUBLISH": "off"}
    # Autosave would race the save buttons (see test_editor_flow).
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    user = django_user_model.objects.create_superuser("editor", "editor@example.com", PASSWORD)
    make_translator(django_user_model)
    locale_ru = ensure_locale("ru")
    forum = add_page(home_page(), ForumIndexPage(title="Forum", slug="forum"))
    edition = add_page(
        forum,
        ForumEditionPage(
            title="ALMA 2022",
            slug="alma-2022",
            year=2022,
            theme=THEME,
            start_date=datetime.date(2022, 4, 21),
        ),
    )
    ru_page = translate_into(edition, locale_ru, user)
    assert ru_page.live and ru_page.theme == RUSSIAN[THEME]
    return edition, ru_page


def test_translator_syncs_an_out_of_date_translation_translates_and_publishes(
    browser, live_server, edition_ru
):
    from playwright.sync_api import expect  # here: the module must import without playwright

    page = browser.page
    edition, ru_page = edition_ru
    row = row_id(edition, "ru")

    # 1. An editor changes the theme and publishes.
    log_in(page, username="editor")
    page.goto(f"/admin/pages/{edition.pk}/edit/")
    page.locator("input[name=theme]").fill(NEW_THEME)
    page.locator("footer [data-w-dropdown-target=toggle]").click()
    with page.expect_navigation():
        page.locator('footer button[name="action-publish"]').click()
    assert reload(edition).theme == NEW_THEME, form_errors(page)
    # Nothing synced it: the Russian page still shows the previous translation.
    assert reload(ru_page).theme == RUSSIAN[THEME]

    # 2. The translator logs in; the report shows the Russian translation out of date.
    page.context.clear_cookies()
    log_in(page, username="translator")
    page.goto(f"{REPORT}?locale=ru")
    state = report_state(page, row)
    expect(state).to_have_attribute("data-alma-state", "out_of_date")
    expect(state).to_have_text("Out of date")

    # 3. The translator ticks it and syncs.
    page.locator(f'input[name=rows][value="{row}"]').check()
    with page.expect_navigation():
        page.get_by_role("button", name="Sync selected", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Sync of 1 source sent.")
    # The changed string keeps its previous translation, marked for review; the page, complete
    # and live, was published with the source's new content.
    state = report_state(page, row)
    expect(state).to_have_attribute("data-alma-state", "needs_review")
    expect(page.locator(f'tr:has(input[name=rows][value="{row}"])')).to_contain_text("1 to review")

    # 4. The translator opens the Russian page's translation editor (wagtail-localize's:
    # the edit view of a synced translation), translates the changed string, publishes.
    page.goto(f"/admin/pages/{ru_page.pk}/edit/")
    segment = page.locator("li").filter(has=page.get_by_text(NEW_THEME, exact=True)).last
    segment.get_by_role("button", name="Edit", exact=True).click()
    editor = segment.locator("textarea")
    editor.fill(NEW_THEME_RU)
    segment.get_by_role("button", name="Save", exact=True).click()
    # Saved: the translation shows as text again (no editor, no "Saving...").
    expect(editor).to_have_count(0)
    expect(segment.get_by_text(NEW_THEME_RU, exact=True)).to_be_visible()
    with page.expect_navigation():
        page.locator('footer button[name=action][value="publish"]').click()
    assert reload(ru_page).theme == NEW_THEME_RU, form_errors(page)

    # 5. The new Russian text is on the Russian page, and the report says "In sync".
    url = live_url(live_server, reload(ru_page))
    assert "/ru/" in url, url
    page.goto(url)
    expect(page.locator(".theme")).to_contain_text(NEW_THEME_RU)
    page.goto(f"{REPORT}?locale=ru")
    expect(report_state(page, row)).to_have_attribute("data-alma-state", "in_sync")

    assert not browser.failed_responses, browser.failed_responses
    assert not browser.page_errors, browser.page_errors
