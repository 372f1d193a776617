"""The page editor shows each direction's and guideline's number ("Direction II",
"Guideline II.3") in its block header, and keeps it right as blocks are moved, deleted and
added (alma_cms/static/alma_cms/js/directions-editor.js), in a real browser: Playwright driving
Debian's Chromium against ``live_server``. Without Chromium or playwright the test skips (fails
with ALMA_REQUIRE_SERVICES=1)."""

import pytest

from alma_cms.pages.models import GuidelineDocumentIndexPage, GuidelineDocumentPage
from tests.testapp.factories import add_page, directions_raw, home_page

pytestmark = [
    pytest.mark.browser,
    # live_server needs committed data; serialized_rollback restores what migrations created
    # (root page, default site, locale) after another transactional test flushed it.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The numbers shown in the headers of the blocks that are not deleted, in page order.
SHOWN_NUMBERS = """() => Array.from(document.querySelectorAll('[data-alma-number]'))
    .filter((number) => !number.closest('[aria-hidden="true"]'))
    .map((number) => number.textContent)"""
DIRECTION = "[data-streamfield-child]:has(> .w-panel > .w-panel__content > .alma-direction)"
GUIDELINE = (
    "[data-streamfield-child]:not([aria-hidden='true'])"
    ":has(> .w-panel > .w-panel__content > .alma-guideline)"
)
PASSWORD = "pw-for-the-numbers-test"


@pytest.fixture
def editor_page(browser, django_user_model):
    """The shared Chromium session (tests/browser/conftest.py), logged in as a superuser."""
    django_user_model.objects.create_superuser("editor", "editor@example.com", PASSWORD)
    page = browser.page
    page.errors = browser.page_errors
    page.goto("/admin/login/")
    page.fill("input[name=username]", "editor")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")
    return page


def header_button(block, action):
    return block.locator(
        f":scope > .w-panel > .w-panel__header [data-streamfield-action='{action}']"
    )


def test_direction_and_guideline_numbers_follow_the_editor(editor_page):
    page = editor_page
    index = add_page(home_page(), GuidelineDocumentIndexPage(title="Documents", slug="documents"))
    document = add_page(
        index,
        GuidelineDocumentPage(
            title="Final document", slug="final", directions=directions_raw([2, 3])
        ),
    )
    page.goto(f"/admin/pages/{document.pk}/edit/")
    page.wait_for_selector("[data-alma-number]")

    def shown():
        page.wait_for_timeout(300)  # the numbers are recounted on the next animation frame
        return page.evaluate(SHOWN_NUMBERS)

    assert shown() == ["I", "I.1", "I.2", "II", "II.1", "II.2", "II.3"]
    directions = page.locator(DIRECTION)
    header = directions.nth(1).locator(":scope > .w-panel > .w-panel__header h2")
    assert header.text_content().split()[:2] == ["Direction", "II"]

    header_button(directions.nth(1), "MOVE_UP").click()
    assert shown() == ["I", "I.1", "I.2", "I.3", "II", "II.1", "II.2"]

    header_button(directions.nth(0).locator(GUIDELINE).nth(0), "DELETE").click()
    assert shown() == ["I", "I.1", "I.2", "II", "II.1", "II.2"]

    header_button(directions.nth(1), "DUPLICATE").click()
    assert shown() == ["I", "I.1", "I.2", "II", "II.1", "II.2", "III", "III.1", "III.2"]

    # A new direction is numbered at once, and starts without a guideline row.
    directions_stream = directions.nth(0).locator("xpath=..")
    directions_stream.locator(":scope > * > button.c-sf-add-button").last.click()
    assert shown()[-2:] == ["III.2", "IV"]
    assert page.errors == []
