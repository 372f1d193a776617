"""The editor's first hour in a real browser (issue 7, item 8): Chromium drives Wagtail's admin
on ``live_server`` as an editor would.

1. Log in, add a discussion panel (a speaker chosen through the page chooser) and a statistics
   block to a forum edition, save a draft, see both in the preview panel, publish, and see both
   on the live page.
2. With the admin in Russian, the edition editor (every tab, one block of each of the package's
   types, the "add block" menu) shows none of the package's English strings (the msgids its
   Russian catalogue translates) and no English name of a locale.

Selectors are Wagtail's own data attributes (``data-contentpath``, ``data-streamfield-*``,
``data-side-panel*``) and form field names, so they hold in any admin language.
"""

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

import polib
import pytest
from django.conf import settings as django_settings
from django.utils import translation
from wagtail.users.models import UserProfile

import alma_cms
from alma_cms.pages.models import ForumEditionPage, ForumIndexPage, SpeakerIndexPage
from tests.testapp.factories import add_page, home_page, make_speaker, reload

pytestmark = [
    pytest.mark.browser,
    # live_server needs committed data. serialized_rollback restores what migrations created
    # (root page, default site, locale) after another transactional test flushed it.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "correct horse battery staple"
PANEL_TITLE = "Readers of tomorrow"
STATISTIC_LABEL = "reading circles"
STATISTIC_VALUE = 120  # with the "about" qualifier: "about 120"


@dataclass
class Content:
    editor: object
    edition: ForumEditionPage
    speaker: object


@pytest.fixture
def content(django_user_model):
    """A superuser, a published forum edition with an empty body and a speaker to choose."""
    editor = django_user_model.objects.create_superuser("editor", "editor@example.com", PASSWORD)
    home = home_page()
    forum = add_page(home, ForumIndexPage(title="Forum", slug="forum"))
    speakers = add_page(home, SpeakerIndexPage(title="Speakers", slug="speakers"))
    speaker = make_speaker(speakers, "Christine", "Mackenzie")
    edition = add_page(
        forum,
        ForumEditionPage(
            title="ALMA 2022",
            slug="alma-2022",
            year=2022,
            theme="Libraries that read together",
            start_date=datetime.date(2022, 4, 21),
        ),
    )
    return Content(editor, edition, speaker)


# --- Wagtail admin helpers ---------------------------------------------------------------------


def log_in(page, username="editor", password=PASSWORD):
    page.goto("/admin/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()
    assert "/admin/login/" not in page.url, "the login form did not accept the superuser"


def stream_children(page, field="body", block_type=None):
    """The blocks of the StreamField ``field`` (of type ``block_type`` if given)."""
    selector = f"#{field}-root > [data-streamfield-stream-container] > [data-streamfield-child]"
    if block_type:
        selector += f':has(> input[name$="-type"][value="{block_type}"])'
    return page.locator(selector)


def open_block_menu(page, field="body"):
    """Open the "add block" menu at the end of ``field``; return the menu (its search field
    and the listbox of block types)."""
    add_buttons = page.locator(
        f"#{field}-root > [data-streamfield-stream-container] > div > button.c-sf-add-button"
    )
    add_buttons.last.click()
    menu = page.locator("[data-tippy-root]:has([role=listbox]):visible")
    menu.wait_for()
    return menu


def append_block(page, block_name, language="en", field="body", model=ForumEditionPage):
    """Add a block of type ``block_name`` at the end of ``model.field``, picking it from the
    menu by its label in ``language`` (the admin's); return the new block."""
    before = stream_children(page, field, block_name).count()
    menu = open_block_menu(page, field)
    label = block_label(model, field, block_name, language)
    menu.get_by_role("option", name=label, exact=True).click()
    menu.wait_for(state="hidden")
    block = stream_children(page, field, block_name)
    block.nth(before).wait_for()
    return block.nth(before)


def block_label(model, field, block_name, language):
    """The label the admin shows for a block type of ``model.field`` in ``language``."""
    block = model._meta.get_field(field).stream_block.child_blocks[block_name]
    with translation.override(language):
        return str(block.label)


def list_rows(block, child):
    """The items of the ListBlock ``child`` of a StructBlock ``block``."""
    return block.locator(
        f'[data-contentpath="{child}"] [data-streamfield-list-container] > [data-streamfield-child]'
    )


def one_list_row(block, child):
    """The first item of the ListBlock ``child``, adding one if the list starts empty (a new
    list may start with one empty item or none, as the block defines)."""
    container = f'[data-contentpath="{child}"] [data-streamfield-list-container]'
    # Count only once the list is drawn: a count taken before would add a second row.
    block.locator(container).first.wait_for(state="attached")
    # Imported here: without playwright the module still collects (and the tests skip).
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    rows = list_rows(block, child)
    add = block.locator(f"{container} > [data-streamfield-list-add]").first
    # The add button slides in (a jQuery animation); on a loaded CI machine a click landed while
    # it did and added nothing within 30 s (CI, stop 13). Click again only while the list is
    # still empty, so a slow first click cannot leave two rows.
    for _attempt in range(3):
        if rows.count():
            break
        add.click()
        try:
            rows.first.wait_for(timeout=10_000)
        except PlaywrightTimeoutError:
            continue
    rows.first.wait_for(timeout=10_000)
    return rows.first


def field_input(scope, name):
    """The visible input or the select of the struct child ``name`` inside ``scope``."""
    return scope.locator(f'[data-contentpath="{name}"]').first.locator("input:visible, select")


def form_errors(page):
    """Wagtail's messages and every field error on the page, for assertion messages."""
    texts = page.locator(".messages, [data-field-errors]").all_inner_texts()
    return [t.strip() for t in texts if t.strip()]


def live_url(live_server, page_obj):
    _site_id, _root_url, path = page_obj.get_url_parts()
    return live_server.url + path


# --- 1. The editing flow -----------------------------------------------------------------------


def test_editor_adds_a_panel_and_statistics_previews_and_publishes(
    browser, live_server, content, settings
):
    # The test saves with the button. Autosave would race it (its requests and the button's
    # reach the server in either order), so what the draft holds would depend on timing.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    page, edition, speaker = browser.page, content.edition, content.speaker
    log_in(page)
    page.goto(f"/admin/pages/{edition.pk}/edit/")

    # A discussion panel with a title and one participant chosen through the page chooser.
    panel = append_block(page, "discussion_panel")
    field_input(panel, "title").fill(PANEL_TITLE)
    participant = one_list_row(panel, "speakers")
    participant.locator('[data-contentpath="speaker"] [data-chooser-action-choose]').click()
    page.locator(f'.modal a.choose-page[data-id="{speaker.pk}"]').click()
    page.locator(".modal").wait_for(state="hidden")
    assert participant.locator('input[name$="-value-speaker"]').input_value() == str(speaker.pk)

    # A statistics block with one figure.
    statistics = append_block(page, "statistics")
    figure = one_list_row(statistics, "items")
    field_input(figure, "label").fill(STATISTIC_LABEL)
    field_input(figure, "value").fill(str(STATISTIC_VALUE))
    field_input(figure, "qualifier").select_option("about")

    with page.expect_navigation():
        page.locator("footer button.action-save").click()
    draft = reload(edition).get_latest_revision_as_object()
    blocks = {block.block_type: block.value for block in draft.body}
    assert "discussion_panel" in blocks, f"the draft was not saved: {form_errors(page)}"
    assert blocks["discussion_panel"]["title"] == PANEL_TITLE
    assert blocks["discussion_panel"]["speakers"][0]["speaker"].pk == speaker.pk
    figure = blocks["statistics"]["items"][0]
    assert (figure["label"], figure["value"], figure["qualifier"]) == (
        STATISTIC_LABEL,
        STATISTIC_VALUE,
        "about",
    )
    # A draft: the live page does not show it yet.
    assert PANEL_TITLE not in page.request.get(live_url(live_server, edition)).text()

    # Wagtail's preview panel renders the draft with the package's templates.
    page.locator('[data-side-panel-toggle="preview"]').click()
    preview = page.frame_locator('[data-side-panel="preview"] iframe').last
    expect_rendered_blocks(preview, speaker)

    page.locator("footer [data-w-dropdown-target=toggle]").click()
    with page.expect_navigation():
        page.locator('footer button[name="action-publish"]').click()
    published = reload(edition)
    assert published.live and not published.has_unpublished_changes, form_errors(page)

    page.goto(live_url(live_server, published))
    expect_rendered_blocks(page, speaker)
    assert not browser.failed_responses, browser.failed_responses
    assert not browser.page_errors, browser.page_errors


def expect_rendered_blocks(scope, speaker):
    """The panel (title, speaker) and the figure as the package's block templates render them,
    in ``scope`` (a page or the preview's frame)."""
    from playwright.sync_api import expect  # here: the module must import without playwright

    expect(scope.locator(".panel .panel__title")).to_have_text(PANEL_TITLE)
    expect(scope.locator(".panel .participants")).to_contain_text(speaker.title)
    figure = scope.locator(".statistics .figure")
    expect(figure.locator("dt")).to_have_text(STATISTIC_LABEL)
    expect(figure.locator("dd")).to_have_text(f"about {STATISTIC_VALUE}")


# --- 2. The Russian admin ----------------------------------------------------------------------

# Everything the editor can read: text nodes, labels given as attributes, the options of selects.
VISIBLE_STRINGS_JS = """
root => {
  const out = [];
  const visible = el => el && el.checkVisibility({visibilityProperty: true});
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode()); ) {
    const parent = node.parentElement;
    const text = node.textContent.trim();
    if (text && visible(parent) && !parent.closest("script, style, template")) out.push(text);
  }
  for (const el of root.querySelectorAll("[aria-label], [title], [placeholder]")) {
    if (!visible(el)) continue;
    for (const name of ["aria-label", "title", "placeholder"]) {
      const value = (el.getAttribute(name) || "").trim();
      if (value) out.push(value);
    }
  }
  for (const select of root.querySelectorAll("select")) {
    if (visible(select)) for (const option of select.options) out.push(option.text.trim());
  }
  return out;
}
"""


def language_names():
    """The English names of the site's languages (``WAGTAIL_CONTENT_LANGUAGES``) that Django's
    Russian catalogue translates: the admin names locales with them ("English")."""
    names = set()
    for _code, name in django_settings.WAGTAIL_CONTENT_LANGUAGES:
        with translation.override("en"):
            english = str(name)
        with translation.override("ru"):
            if translation.gettext(english) != english:
                names.add(english)
    return names


# "%(name)s", "%s", "%d", "{name}": any text in the rendered string.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sdfr]|\{\w*\}")


def package_english_strings():
    """The package's English msgids that its Russian catalogues translate to something else
    (or not at all), at least 3 characters besides placeholders and with a lowercase letter,
    from every ``ru`` .po file under ``alma_cms/``."""
    package_dir = Path(alma_cms.__file__).parent
    strings = set()
    for po_path in package_dir.glob("**/locale/ru/LC_MESSAGES/*.po"):
        for entry in polib.pofile(str(po_path)):
            if entry.obsolete:
                continue
            translated = entry.msgstr or (entry.msgstr_plural or {}).get(0, "")
            for msgid in filter(None, (entry.msgid, entry.msgid_plural)):
                words = PLACEHOLDER.sub("", msgid).strip()  # "%(role)s, %(org)s" has none
                # With a lowercase letter: acronyms ("URL") read the same in Russian.
                if translated != msgid and len(words) >= 3 and re.search(r"[a-z]", words):
                    strings.add(msgid)
    return strings


def msgid_pattern(msgid):
    """A case-insensitive pattern matching ``msgid`` as rendered (placeholders filled in)."""
    return re.compile(".+?".join(map(re.escape, PLACEHOLDER.split(msgid.strip()))), re.I)


LATIN_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")


def fragments(text):
    """``text``, its parts around brackets, colons and asterisks, and the trailing words of its
    runs of Latin words: Wagtail writes a model's or block's name into its own strings
    ("Выберите страницу (Speaker)", "Title*", "Выбрать organization", "Choose organization")."""
    parts = re.split(r"[()\[\]:*«»\"“”]", text)
    tails = []
    for part in parts:
        run = []
        for word in [*part.split(), ""]:
            word = word.strip(".,;!?…")
            if LATIN_WORD.fullmatch(word):
                run.append(word)
                continue
            tails += [" ".join(run[i:]) for i in range(len(run))]
            run = []
    return {f for f in (p.strip(" .,;-–—…") for p in [text, *parts, *tails]) if f}


def english_package_strings_in(texts, msgids):
    """``{shown text: [msgid, ...]}`` for every shown text that is (or has a fragment that is)
    one of the package's English ``msgids``, compared case-insensitively."""
    patterns = {msgid: msgid_pattern(msgid) for msgid in msgids}
    found = {}
    for text in texts:
        pieces = fragments(text)
        matches = sorted(m for m, p in patterns.items() if any(p.fullmatch(f) for f in pieces))
        if matches:
            found[text] = matches
    return found


def test_russian_admin_shows_no_english_string_of_the_package_on_the_edition_editor(
    browser, content
):
    page, edition = browser.page, content.edition
    msgids = package_english_strings()
    assert len(msgids) > 50, f"the Russian catalogue gave only {len(msgids)} strings"
    msgids |= language_names()
    # What the test itself wrote is content, not the admin's text: it must not look like it.
    written = [edition.title, edition.theme, content.speaker.title, content.editor.username]
    assert not english_package_strings_in(written, msgids), "choose other test content"

    # An editor using the English admin first: whatever Wagtail builds once per process from
    # the package's blocks (their form widgets) must not keep that language.
    log_in(page)
    page.goto(f"/admin/pages/{edition.pk}/edit/")
    assert page.locator("html").get_attribute("lang") == "en"
    profile = UserProfile.get_for_user(content.editor)
    profile.preferred_language = "ru"
    profile.save()
    page.goto(f"/admin/pages/{edition.pk}/edit/")
    assert page.locator("html").get_attribute("lang") == "ru", "the admin is not in Russian"

    menu = open_block_menu(page)
    shown = menu.evaluate(VISIBLE_STRINGS_JS)
    page.keyboard.press("Escape")
    menu.wait_for(state="hidden")

    # One block of each of the package's types (blocks a site adds through the hook are not).
    for name in ForumEditionPage._meta.get_field("body").base_stream_block.child_blocks:
        append_block(page, name, language="ru")
    expand_empty_lists(page)

    # Every tab, with the status side panel (page type, locale) open.
    page.locator('[data-side-panel-toggle="status"]').click()
    tabs = page.locator("main [role=tab]")
    assert tabs.count() >= 3, "the edition editor has tabs: Content, Event, Figures, ..."
    for index in range(tabs.count()):
        tabs.nth(index).click()
        shown += page.locator("main").evaluate(VISIBLE_STRINGS_JS)

    found = english_package_strings_in(set(shown), msgids)
    assert not found, (
        f"{len(found)} English strings of the package in the Russian edition editor "
        "(shown text -> msgids):\n"
        + "\n".join(
            f"  {text!r} -> {', '.join(map(repr, ids))}" for text, ids in sorted(found.items())
        )
    )


def expand_empty_lists(page, passes=3):
    """Give every empty ListBlock one item, so its item's labels show too (lists in new items,
    such as a time slot's speakers, need another pass)."""
    empty_lists = page.locator(
        "main [data-streamfield-list-container]:not(:has(> [data-streamfield-child]))"
    )
    for _ in range(passes):
        count = empty_lists.count()
        if not count:
            return
        for _ in range(count):
            empty_lists.first.locator(":scope > [data-streamfield-list-add]").first.click()
