"""Translation syncing on Celery with a real worker on Redis (issue 9, items 1, 2, 7):
on-publish sends after commit only, debounce, retry on a transient error, SyncError not
retried, wagtail-localize's job backend with ids only."""

import pytest
from celery.signals import task_postrun
from django.db import transaction
from django.test import override_settings

from tests.search.outbox_support import QUEUE, celery_app, celery_worker, wait_for  # noqa: F401

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]

FAST = {"TRANSLATION_SYNC_DELAY": 0, "TASKS_RETRY_BACKOFF": 0, "TASKS_MAX_RETRIES": 3}


@pytest.fixture
def results():
    """Return values of the tasks the worker finished: ``[(task name, retval)]``."""
    seen = []

    def collect(sender=None, retval=None, state=None, **kwargs):
        seen.append((sender.name, state, retval))

    task_postrun.connect(collect, weak=False)
    yield seen
    task_postrun.disconnect(collect)


@pytest.fixture
def org_with_translation():
    """An English Organization with a Russian translation made by wagtail-localize."""
    from wagtail.models import Locale
    from wagtail_localize.models import (
        StringSegment,
        StringTranslation,
        Translation,
        TranslationSource,
    )

    from alma_cms.models import Organization

    en, _ = Locale.objects.get_or_create(language_code="en")
    ru, _ = Locale.objects.get_or_create(language_code="ru")
    with override_settings(ALMA_CMS={"TRANSLATION_SYNC_ON_PUBLISH": "off"}):
        org = Organization.objects.create(name="Library", locale=en)
        source, _ = TranslationSource.get_or_create_from_instance(org)
        translation = Translation.objects.create(source=source, target_locale=ru)
        # Every string translated: a complete translation, which a sync keeps publishing.
        for segment in StringSegment.objects.filter(source=source).select_related("string"):
            StringTranslation.objects.create(
                translation_of=segment.string,
                locale=ru,
                context=segment.context,
                data=f"[ru] {segment.string.data}",
            )
        translation.save_target()
    return org


def _queued(app):
    import redis

    client = redis.Redis.from_url(app.conf.broker_url)
    try:
        return client.llen(QUEUE)  # kombu's Redis transport keeps a queue as a list
    finally:
        client.close()


def _unacked(app):
    """Messages of the test queue a worker took and has not acknowledged (kombu's Redis
    transport keeps them in the ``unacked`` hash, as ``[message, exchange, routing key]``,
    until the ack, or until a consumer restores them to their queue)."""
    import json

    import redis

    client = redis.Redis.from_url(app.conf.broker_url)
    try:
        return sum(json.loads(v)[2] == QUEUE for v in client.hvals("unacked"))
    finally:
        client.close()


def test_rollback_sends_nothing_and_commit_sends_one(celery_app, org_with_translation):  # noqa: F811
    with override_settings(ALMA_CMS={**FAST, "TRANSLATION_SYNC_QUEUE": QUEUE}):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                org_with_translation.name = "Library 2"
                org_with_translation.save()
                raise RuntimeError("rolled back")
        assert _queued(celery_app) == 0
        with transaction.atomic():
            for n in range(3):  # several saves in one transaction: one send
                org_with_translation.name = f"Library {n}"
                org_with_translation.save()
        assert _queued(celery_app) == 1


def test_off_sends_nothing(celery_app, org_with_translation):  # noqa: F811
    settings = {**FAST, "TRANSLATION_SYNC_QUEUE": QUEUE, "TRANSLATION_SYNC_ON_PUBLISH": "off"}
    with override_settings(ALMA_CMS=settings):
        org_with_translation.save()
    assert _queued(celery_app) == 0


def test_untranslated_object_sends_nothing(celery_app):  # noqa: F811
    from wagtail.models import Locale

    from alma_cms.models import Organization

    en, _ = Locale.objects.get_or_create(language_code="en")
    with override_settings(ALMA_CMS={**FAST, "TRANSLATION_SYNC_QUEUE": QUEUE}):
        Organization.objects.create(name="Alone", locale=en)
    assert _queued(celery_app) == 0


def test_three_publishes_make_one_sync(celery_worker, results, org_with_translation):  # noqa: F811
    from alma_cms.models import Organization

    settings = {**FAST, "TRANSLATION_SYNC_QUEUE": QUEUE, "TRANSLATION_SYNC_DELAY": 2}
    with override_settings(ALMA_CMS=settings):
        # A synchronised field (the website): the translation stays complete, so the sync
        # publishes it (a changed name would be a new string, and the snippet has no drafts).
        for n in range(3):
            org_with_translation.url = f"https://library.example/v{n}"
            org_with_translation.save()  # its own commit each time
        syncs = lambda: [r for r in results if r[0] == "alma_cms.translation.sync"]  # noqa: E731
        wait_for(lambda: len(syncs()) == 3, timeout=30, message="three sync tasks")
    ran = [r for r in syncs() if r[2] != "superseded"]
    assert len(ran) == 1, syncs()
    assert ran[0][2] == [["ru", "published"]]
    ru = Organization.objects.get(locale__language_code="ru")
    assert ru.url == "https://library.example/v2"


def test_transient_error_is_retried(celery_worker, results, org_with_translation, monkeypatch):  # noqa: F811
    from alma_cms.translation import sync

    real = sync.sync_translations
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("database went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(sync, "sync_translations", flaky)
    with override_settings(ALMA_CMS={**FAST, "TRANSLATION_SYNC_QUEUE": QUEUE}):
        org_with_translation.name = "Retried"
        org_with_translation.save()
        wait_for(lambda: any(r[1] == "SUCCESS" for r in results), timeout=30, message="a success")
    assert len(calls) == 2
    assert [r[1] for r in results] == ["RETRY", "SUCCESS"]


def test_sync_error_is_not_retried(celery_worker, results, org_with_translation, monkeypatch):  # noqa: F811
    from alma_cms.translation import sync

    calls = []

    def broken(*args, **kwargs):
        calls.append(1)
        raise sync.SyncError("The locale no longer exists.")

    monkeypatch.setattr(sync, "sync_translations", broken)
    with override_settings(ALMA_CMS={**FAST, "TRANSLATION_SYNC_QUEUE": QUEUE}):
        org_with_translation.save()
        wait_for(lambda: results, timeout=30, message="the task")
    assert len(calls) == 1
    assert results[0][1] == "SUCCESS"
    assert results[0][2] == [["", "error", "The locale no longer exists."]]


def test_job_backend_refuses_unknown_callables():
    from alma_cms.translation.jobs import CeleryJobBackend, UnknownJob

    with pytest.raises(UnknownJob, match="translate_page_subtree and synchronize_tree"):
        CeleryJobBackend({}).enqueue(print, ["x"], {})


def test_synchronize_tree_job_runs_on_the_worker_after_commit(celery_app, celery_worker, results):  # noqa: F811
    """LocaleSynchronization's save enqueues synchronize_tree: ids only, after commit."""
    from wagtail.models import Locale, Page
    from wagtail_localize import tasks as localize_tasks
    from wagtail_localize.models import LocaleSynchronization

    from alma_cms.translation.jobs import CeleryJobBackend

    en, _ = Locale.objects.get_or_create(language_code="en")
    fr, _ = Locale.objects.get_or_create(language_code="fr")
    root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
    home = root.add_child(instance=Page(title="Home", slug="home-en", locale=en))
    jobs = {"BACKEND": "alma_cms.translation.jobs.CeleryJobBackend", "OPTIONS": {"QUEUE": QUEUE}}
    with (
        override_settings(WAGTAILLOCALIZE_JOBS=jobs),
        pytest.MonkeyPatch.context() as mp,
    ):
        mp.setattr(localize_tasks, "background", CeleryJobBackend())
        # wagtail_localize.models imported `background` by name at its import.
        import wagtail_localize.models as localize_models

        mp.setattr(localize_models, "background", localize_tasks.background)
        with transaction.atomic():
            LocaleSynchronization.objects.create(locale=fr, sync_from=en)
            assert _queued(celery_app) == 0  # not before commit
        wait_for(
            lambda: any(r[0] == "alma_cms.translation.job" for r in results),
            timeout=30,
            message="the job",
        )
    assert [r[1] for r in results] == ["SUCCESS"]
    assert home.get_translations().filter(locale=fr).exists()


def test_synchronize_tree_on_the_worker_leaves_a_sound_tree(
    celery_app,  # noqa: F811
    celery_worker,  # noqa: F811
    results,
    media_root,
    client,
    django_user_model,
):
    """A site operator adds Russian synchronised from English (wagtail-localize's locale form)
    over the package's nested page types: the worker's ``synchronize_tree`` leaves a tree that
    treebeard finds sound and whose every Russian page serves."""
    from django.contrib.contenttypes.models import ContentType
    from django.urls import reverse
    from wagtail.models import Collection, Locale, Page, Site

    from tests.testapp.factories import build_alma_site
    from tests.translation.test_subtree import ALL_LIVE_PAGES, NO_PROBLEMS, assert_locale_serves

    ContentType.objects.clear_cache()  # ids change when a transactional test flushes
    en, _ = Locale.objects.get_or_create(language_code="en")
    if not Site.objects.filter(is_default_site=True).exists():  # flushed by an earlier test
        root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
        home = root.add_child(instance=Page(title="Home", slug="home", locale=en))
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    if not Collection.objects.exists():  # the site's images go to the root collection
        Collection.add_root(name="Root")
    with override_settings(ALMA_CMS={"TRANSLATION_SYNC_ON_PUBLISH": "off"}):
        alma = build_alma_site()
    # Nested three deep: forum index → edition → guideline document.
    alma.final_document.move(alma.edition_2019, "last-child")
    client.force_login(django_user_model.objects.create_superuser("admin", "a@example.com", "pw"))
    prefix = "component-wagtail_localize_localesynchronization"
    jobs = {"BACKEND": "alma_cms.translation.jobs.CeleryJobBackend", "OPTIONS": {"QUEUE": QUEUE}}
    with override_settings(WAGTAILLOCALIZE_JOBS=jobs):
        response = client.post(
            reverse("wagtaillocales:add"),
            {"language_code": "ru", f"{prefix}-enabled": "on", f"{prefix}-sync_from": en.id},
        )
        assert response.status_code == 302, response.content[:500]
        jobs_done = lambda: [r for r in results if r[0] == "alma_cms.translation.job"]  # noqa: E731
        wait_for(jobs_done, timeout=60, message="the synchronize_tree job")
    assert [r[1] for r in jobs_done()] == ["SUCCESS"]
    client.logout()

    ru = Locale.objects.get(language_code="ru")
    assert Page.find_problems() == NO_PROBLEMS
    assert assert_locale_serves(client, en, ru) == ALL_LIVE_PAGES
    ru_document = alma.final_document.get_translation(ru)
    assert ru_document.get_parent().get_parent().specific_class.__name__ == "ForumIndexPage"


def test_translate_subtree_through_the_admin_runs_on_the_worker(
    celery_app,  # noqa: F811
    celery_worker,  # noqa: F811
    results,
    client,
    django_user_model,
):
    """ "Translate this page" with "Include subtree" (the real view): the subtree job is sent
    after the view's transaction commits, with ids only, and the worker translates the child."""
    import json

    import wagtail_localize.views.submit_translations as submit_view
    from django.urls import reverse
    from wagtail.models import Locale, Page

    from alma_cms.translation.jobs import CeleryJobBackend

    en, _ = Locale.objects.get_or_create(language_code="en")
    fr, _ = Locale.objects.get_or_create(language_code="fr")
    root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
    parent = root.add_child(instance=Page(title="Forum", slug="forum", locale=en))
    child = parent.add_child(instance=Page(title="Edition", slug="edition", locale=en))
    user = django_user_model.objects.create_superuser("admin", "a@example.com", "pw")
    client.force_login(user)
    sent = []
    original = CeleryJobBackend.enqueue

    def spy(self, func, args, kwargs):
        from alma_cms.translation.jobs import job_payload

        sent.append(json.dumps(job_payload(func, args, kwargs)))  # JSON: ids only
        return original(self, func, args, kwargs)

    jobs = {"BACKEND": "alma_cms.translation.jobs.CeleryJobBackend", "OPTIONS": {"QUEUE": QUEUE}}
    with override_settings(WAGTAILLOCALIZE_JOBS=jobs), pytest.MonkeyPatch.context() as mp:
        mp.setattr(CeleryJobBackend, "enqueue", spy)
        mp.setattr(submit_view, "background", CeleryJobBackend())
        response = client.post(
            reverse("wagtail_localize:submit_page_translation", args=[parent.id]),
            {"locales": [fr.id], "include_subtree": "on"},
        )
        assert response.status_code == 302
        wait_for(
            lambda: any(r[0] == "alma_cms.translation.job" for r in results),
            timeout=30,
            message="the subtree job",
        )
    assert json.loads(sent[0])[1]["page_id"] == parent.id
    assert json.loads(sent[0])[1]["locale_ids"] == [fr.id]
    assert [r[1] for r in results] == ["SUCCESS"]
    assert child.get_translations().filter(locale=fr).exists()


def test_worker_killed_mid_sync(celery_app, org_with_translation, tmp_path):  # noqa: F811
    """SIGKILL during a sync: nothing of it is committed, the message is delivered again to a
    new worker, and the redone sync gives the same result as one sync."""
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    from django.db import connection

    from alma_cms.models import Organization, TranslationSyncState

    root = Path(__file__).resolve().parents[2]
    hold, started = tmp_path / "hold", tmp_path / "started"
    hold.touch()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.translation.worker_settings",
        "ALMA_TEST_QUEUE": QUEUE,
        "ALMA_TEST_HOLD": str(hold),
        "ALMA_TEST_STARTED": str(started),
        "CELERY_BROKER_URL": celery_app.conf.broker_url,
        "DATABASE_URL": "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(
            **{k: connection.settings_dict[k] or "" for k in ("USER", "HOST", "PORT", "NAME")}
        ),
        "PYTHONPATH": f"{root}{os.pathsep}{os.environ.get('PYTHONPATH', '')}",
    }
    command = [sys.executable, "-m", "celery", "-A", "sandbox.celery_app", "worker", "-Q",
               QUEUE, "-P", "solo", "-c", "1", "-l", "warning", "--without-heartbeat",
               "--without-gossip", "--without-mingle"]  # fmt: skip
    with override_settings(ALMA_CMS={**FAST, "TRANSLATION_SYNC_QUEUE": QUEUE}):
        org_with_translation.url = "https://library.example/after-the-kill"
        org_with_translation.save()
    worker = subprocess.Popen(command, cwd=root, env=env)
    try:
        wait_for(started.exists, timeout=60, message="a sync in flight")
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    ru = Organization.objects.get(locale__language_code="ru")
    assert ru.url == ""  # the killed sync's transaction rolled back
    assert not TranslationSyncState.objects.exists()
    # The message is neither on the queue nor done: kombu keeps it among the unacknowledged.
    assert _queued(celery_app) == 0
    assert _unacked(celery_app) == 1
    hold.unlink()
    # Nothing here puts the message back: the new worker's kombu does, once it is older than
    # the worker's visibility_timeout (worker_settings.py).
    worker = subprocess.Popen(command, cwd=root, env=env)
    try:
        wait_for(
            lambda: TranslationSyncState.objects.exists(), timeout=90, message="the redone sync"
        )
        wait_for(lambda: _unacked(celery_app) == 0, timeout=30, message="the redone sync's ack")
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    ru.refresh_from_db()
    assert ru.url == "https://library.example/after-the-kill"
    assert TranslationSyncState.objects.count() == 1
    assert Organization.objects.filter(locale__language_code="ru").count() == 1
