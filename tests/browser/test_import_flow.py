"""An editor imports the ALMA 2019 final document from the admin in a real browser (Playwright
driving Debian's Chromium against ``live_server``): the menu item, the upload form with its
page chooser, the preview with the numbering, the confirmation and the link to the draft.
Without Chromium or playwright the test skips (fails with ALMA_REQUIRE_SERVICES=1)."""

import pytest

from alma_cms.models import ImportRecord
from alma_cms.pages.models import GuidelineDocumentIndexPage
from tests.importer.conftest import shared_file
from tests.testapp.factories import add_page, home_page

pytestmark = [
    pytest.mark.browser,
    # live_server needs committed data; serialized_rollback restores what migrations created
    # (root page, default site, locale) after another transactional test flushed it.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "pw-for-the-import-test"


def test_an_editor_uploads_previews_and_confirms(browser, django_user_model, settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    document = shared_file("reference/alma-2019-final-document.txt")
    index = add_page(home_page(), GuidelineDocumentIndexPage(title="Documents", slug="documents"))
    django_user_model.objects.create_superuser("editor", "editor@example.com", PASSWORD)
    page = browser.page
    page.goto("/admin/login/")
    page.fill("input[name=username]", "editor")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")

    page.locator("a[href='/admin/alma-cms/import/']").first.click()  # the sidebar's item
    page.wait_for_url("**/admin/alma-cms/import/")
    assert page.locator("h1").first.text_content().strip() == "Import documents"
    page.set_input_files("input[name=file]", str(document))
    page.select_option("select[name=kind]", "final-document")
    page.get_by_role("button", name="Preview the import").click()

    page.wait_for_url("**/admin/alma-cms/import/*/")
    plan = page.locator("[data-alma-import-plan]").text_content()
    assert "directions: 6, guidelines: 27 (5, 5, 6, 4, 4, 3)" in plan
    assert "    VI.3 " in plan and "    V.1 role 'Visionary'" in plan
    assert "under 'Documents'" in plan
    assert ImportRecord.objects.count() == 0  # the preview writes nothing

    page.get_by_role("button", name="Confirm the import").click()
    page.wait_for_url("**/admin/alma-cms/import/")
    message = page.locator(".messages").text_content()
    assert "Draft “ALMA 2019 Final Document” created from alma-2019-final-document.txt" in message
    record = ImportRecord.objects.get()
    draft = record.page.specific
    assert draft.get_parent().pk == index.pk and not draft.live

    page.locator(".messages").get_by_role("link", name="Edit").click()
    page.wait_for_url(f"**/admin/pages/{draft.pk}/edit/")
    page.wait_for_selector("[data-alma-number]")
    assert browser.failed_responses == [] and browser.page_errors == []
    assert list(tmp_path.glob("alma_cms_import/*")) == []  # the upload is gone
