"""``manage.py alma_sync_translations``: bulk sync through Celery or inline, --root, --locale,
--dry-run, --publish, and one-line errors."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from alma_cms.models import TranslationSyncState

from .conftest import live, publish_change, ru

OFF = {"TRANSLATION_SYNC_ON_PUBLISH": "off"}


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("alma_sync_translations", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def changed_doc(ru_doc, locale_ru):
    """The Russian document, out of date: its source's synchronised date changed and was
    published with sync on publish off."""
    import datetime

    document, translation = ru_doc
    with override_settings(ALMA_CMS=OFF):
        publish_change(document, adopted_on=datetime.date(2020, 5, 1))
    assert live(document, locale_ru).adopted_on != datetime.date(2020, 5, 1)
    return document


def test_bad_arguments_are_one_line_errors(ru_doc):
    with pytest.raises(CommandError, match="--locale 'xx': no such locale") as error:
        run("--locale", "xx")
    assert "\n" not in str(error.value)
    with pytest.raises(CommandError, match="--root '/en/nowhere/': no such page"):
        run("--root", "/en/nowhere/")
    with pytest.raises(CommandError, match="no such page"):
        run("--root", "999999")
    with pytest.raises(CommandError, match="--publish and --from-draft cannot be combined"):
        run("--inline", "--publish", "--from-draft")


def test_from_draft_saves_drafts_and_publishes_nothing(ru_doc, locale_ru, capture, settings):
    """An English draft, synced with --from-draft: the Russian page gets a draft revision with
    it; the live Russian page is unchanged (issue 9: unpublished content must not go live)."""
    settings.ALMA_CMS = {"TRANSLATION_CHANGED_STRINGS": "fallback"}  # the English text shows
    document, _translation = ru_doc
    before = live(document, locale_ru)
    page = live(document)
    page.audience = "A draft audience."
    page.save_revision()
    with capture(execute=True):
        out, _err = run("--inline", "--from-draft", "--locale", "ru")
    assert "0 published, 1 draft" in out
    ru_page = live(document, locale_ru)
    assert ru_page.audience == ru("Every library.")
    assert ru_page.live_revision_id == before.live_revision_id
    assert ru_page.get_latest_revision_as_object().audience == "A draft audience."


def test_dry_run_lists_and_changes_nothing(changed_doc, locale_ru):
    out, _err = run("--dry-run")
    assert f"{changed_doc.pk} ({changed_doc.title})" in out and "into ru" in out
    assert "(dry run: nothing changed)" in out
    assert live(changed_doc, locale_ru).adopted_on.year == 2019
    assert not TranslationSyncState.objects.exists()


def test_inline_syncs_with_progress_and_a_summary(changed_doc, locale_ru, capture):
    with capture(execute=True):
        out, err = run("--inline", "--locale", "ru")
    assert "sources synced:" in out and "0 error" in out
    assert "syncing [" in err
    # A complete, live translation: published with the new synchronised date.
    assert live(changed_doc, locale_ru).adopted_on.year == 2020
    assert live(changed_doc, locale_ru).audience == ru("Every library.")
    assert TranslationSyncState.objects.filter(locale=locale_ru, error="").exists()


def test_default_sends_one_celery_task_per_source(changed_doc, locale_ru, capture):
    # CELERY_TASK_ALWAYS_EAGER in the test settings: the task runs after the command's commit.
    with capture(execute=True) as callbacks:
        out, _err = run()
    assert callbacks, "sent after commit"
    sources = int(out.split()[0])
    assert sources >= 1 and out.endswith("sync tasks sent\n")
    assert live(changed_doc, locale_ru).adopted_on.year == 2020


def test_root_limits_to_a_subtree(changed_doc, alma, locale_ru):
    out, _err = run("--dry-run", "--root", str(alma.speaker_index.pk))
    assert f"({changed_doc.title})" not in out
    out, _err = run("--dry-run", "--root", changed_doc.get_parent().url)
    assert f"({changed_doc.title})" in out


def test_an_empty_root_is_an_error(ru_doc):
    with pytest.raises(CommandError, match=r"--root '': empty") as error:
        run("--dry-run", "--root", "")
    assert "\n" not in str(error.value)
    with pytest.raises(CommandError, match=r"--root '  ': empty"):
        run("--root", "  ")


def test_a_root_in_a_translated_locale_names_the_source_page(ru_doc, locale_ru):
    document, _translation = ru_doc
    ru_path = live(document, locale_ru).get_url_parts()[2]
    en_path = document.get_url_parts()[2]
    assert ru_path.startswith("/ru/") and en_path.startswith("/en/")
    with pytest.raises(CommandError) as error:
        run("--dry-run", "--root", ru_path)
    assert str(error.value) == (
        f"--root {ru_path!r}: {ru_path} is in ru, a translation of en; give the source page "
        f"{en_path}"
    )
    out, _err = run("--dry-run", "--root", en_path)  # the source page works
    assert out.endswith("1 sources would be synced (dry run: nothing changed)\n")


def test_the_source_locale_says_nothing_translates_into_it(ru_doc):
    out, _err = run("--dry-run", "--locale", "en")
    assert out == (
        "en is the source locale of every page; nothing translates into it\n"
        "0 sources would be synced (dry run: nothing changed)\n"
    )


def test_a_logged_sync_error_starts_on_its_own_line(
    ru_doc, make_document, locale_ru, admin_user, capture
):
    import logging

    from wagtail_localize.models import StringSegment, TranslationSource

    from .conftest import translate

    second = make_document(4)
    translate(second, locale_ru, admin_user, capture)
    # A broken segment: the second source's sync fails and logs it while the bar is at 1/2.
    StringSegment.objects.filter(source=TranslationSource.objects.get_for_instance(second)).update(
        attrs="{broken"
    )
    out, err = io.StringIO(), io.StringIO()
    handler = logging.StreamHandler(err)  # the console handler, on the bar's stream
    logger = logging.getLogger("alma_cms.translation")
    # Whatever an earlier test's logging set-up left (a dictConfig disables existing loggers;
    # a Celery worker sets levels), warnings reach the console here, as on a site.
    saved = logger.disabled, logger.level, logging.root.manager.disable
    logger.disabled = False
    logger.setLevel(logging.WARNING)
    logging.disable(logging.NOTSET)
    logger.addHandler(handler)
    try:
        with capture(execute=True), pytest.raises(CommandError, match="1 sync errors"):
            call_command("alma_sync_translations", "--inline", "--publish", stdout=out, stderr=err)
    finally:
        logger.removeHandler(handler)
        logger.disabled, logger.level = saved[:2]
        logging.disable(saved[2])
    lines = err.getvalue().split("\n")  # not splitlines: the bar redraws with "\r"
    failed = [line for line in lines if "translation sync failed" in line]
    assert len(failed) == 1 and failed[0].startswith("translation sync failed: ")
    assert lines[0].endswith("1/2")
    assert "2/2" in lines[2]
    assert "2 sources synced: 1 published, 0 draft, 0 skipped, 1 error" in out.getvalue()
