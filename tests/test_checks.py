"""System checks (alma_cms.E001–E007, W001–W005) and the ALMA_CMS settings reader."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import wagtail
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from alma_cms.checks import (
    check_alma_settings,
    check_api_v3_docs_offline,
    check_extra_blocks,
    check_import_settings,
    check_installed_apps,
)
from alma_cms.conf import DEFAULTS, alma_settings

REPO_ROOT = Path(__file__).resolve().parent.parent


def alma_ids(messages):
    return sorted(m.id for m in messages if m.id and m.id.startswith("alma_cms."))


def test_defaults_give_no_alma_messages():
    assert alma_ids(run_checks()) == []
    assert check_installed_apps() == []
    assert check_alma_settings() == []
    assert check_extra_blocks() == []


def test_check_command_reports_nothing_for_alma():
    out = io.StringIO()
    call_command("check", stdout=out, stderr=out)
    assert "alma_cms." not in out.getvalue()


def test_check_command_fails_on_alma_error():
    """The checks are registered: ``manage.py check`` itself reports them."""
    with override_settings(ALMA_CMS=["AwardPage"]):
        with pytest.raises(SystemCheckError) as exc:
            call_command("check", stdout=io.StringIO(), stderr=io.StringIO())
    assert "alma_cms.E002" in str(exc.value)


# --- E001 / W001 / W003 ------------------------------------------------------------------------


def test_e001_without_wagtail_localize():
    """Installed apps can't be changed in-process (Wagtail's apps can't be made ready twice),
    so ``manage.py check`` runs in a subprocess with settings that leave wagtail-localize out."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.testapp.settings_nolocalize", PYTHONPATH=str(REPO_ROOT)
    )
    result = subprocess.run(
        [sys.executable, "-m", "django", "check"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "alma_cms.E001" in output
    assert "wagtail-localize is not in INSTALLED_APPS" in output
    # Nothing else of ours fires in that configuration.
    assert "alma_cms.W001" not in output and "alma_cms.E002" not in output
    # In this process wagtail-localize is installed: no E001.
    assert check_installed_apps() == []


def test_w003_without_django_countries():
    """As for E001: ``manage.py check`` in a subprocess, with settings that leave
    django_countries out (its catalogues translate country names)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.testapp.settings_nocountries", PYTHONPATH=str(REPO_ROOT)
    )
    result = subprocess.run(
        [sys.executable, "-m", "django", "check"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output  # a warning: the site still runs
    assert "alma_cms.W003" in output
    assert "django_countries is not in INSTALLED_APPS" in output
    # In this process django_countries is installed: no W003.
    assert "alma_cms.W003" not in [m.id for m in check_installed_apps()]


def test_w001_without_i18n():
    with override_settings(WAGTAIL_I18N_ENABLED=False):
        messages = check_installed_apps()
    assert [m.id for m in messages] == ["alma_cms.W001"]
    assert not messages[0].is_serious()


# --- E002 / W002 / E003 / E004 / E005 ------------------------------------------------------------


@pytest.mark.parametrize(
    "value,type_name", [(["AwardPage"], "list"), (None, "NoneType"), ("AwardPage", "str")]
)
def test_e002_settings_not_a_dict(value, type_name):
    with override_settings(ALMA_CMS=value):
        messages = check_alma_settings()
        # The reader falls back to the defaults rather than crash.
        assert alma_settings.DISABLED_PAGE_TYPES == []
    assert [m.id for m in messages] == ["alma_cms.E002"]
    assert type_name in messages[0].msg


def test_w002_unknown_key():
    with override_settings(ALMA_CMS={"DISABLE_PAGE_TYPES": ["AwardPage"]}):
        messages = check_alma_settings()
    assert [m.id for m in messages] == ["alma_cms.W002"]
    assert "DISABLE_PAGE_TYPES" in messages[0].msg
    assert "DISABLED_PAGE_TYPES" in messages[0].hint


@pytest.mark.parametrize(
    "key,value",
    [
        ("DISABLED_PAGE_TYPES", "AwardPage"),
        ("DISABLED_PAGE_TYPES", {"AwardPage"}),
        ("RICH_TEXT_FEATURES", "bold"),
        ("SPEAKER_PAGE_MODEL", 42),
        ("API_CACHE_MAX_AGE", "60"),
    ],
)
def test_e003_wrong_type(key, value):
    with override_settings(ALMA_CMS={key: value}):
        messages = check_alma_settings()
    assert [m.id for m in messages] == ["alma_cms.E003"]
    assert key in messages[0].msg


def test_e003_accepts_tuples_for_lists():
    with override_settings(
        ALMA_CMS={"DISABLED_PAGE_TYPES": ("AwardPage",), "RICH_TEXT_FEATURES": ("bold", "italic")}
    ):
        assert check_alma_settings() == []


def test_e004_unknown_page_type():
    with override_settings(ALMA_CMS={"DISABLED_PAGE_TYPES": ["AwardPage", "PollPage"]}):
        messages = check_alma_settings()
    assert [m.id for m in messages] == ["alma_cms.E004"]
    assert "PollPage" in messages[0].msg
    assert "AwardPage" not in messages[0].msg


def test_every_known_page_type_may_be_disabled():
    from alma_cms.page_types import alma_page_type_names
    from alma_cms.pages import models as page_models

    names = alma_page_type_names()
    assert len(names) == 10
    for name in names:
        assert hasattr(page_models, name)
    with override_settings(ALMA_CMS={"DISABLED_PAGE_TYPES": names}):
        assert check_alma_settings() == []


def test_page_type_names_is_deprecated():
    from alma_cms import checks
    from alma_cms.page_types import alma_page_type_names

    with pytest.warns(DeprecationWarning, match="alma_page_type_names"):
        assert list(checks.PAGE_TYPE_NAMES) == alma_page_type_names()


@pytest.mark.parametrize(
    "key,label",
    [
        ("SPEAKER_PAGE_MODEL", "alma_cms_pages.Speaker"),
        ("QUOTATION_PAGE_MODEL", "nonsense"),
        ("FORUM_EDITION_PAGE_MODEL", "missing_app.ForumEditionPage"),
        ("SPEAKER_PAGE_MODEL", "too.many.dots"),
    ],
)
def test_e005_bad_model_label(key, label):
    with override_settings(ALMA_CMS={key: label}):
        messages = check_alma_settings()
    assert [m.id for m in messages] == ["alma_cms.E005"]
    assert label in messages[0].msg and key in messages[0].msg


def test_valid_custom_settings_give_no_messages():
    with override_settings(
        ALMA_CMS={
            "DISABLED_PAGE_TYPES": ["AwardPage", "AwardAnnouncementPage"],
            "SPEAKER_PAGE_MODEL": "alma_cms_pages.SpeakerPage",
            "API_CACHE_MAX_AGE": 300,
            "RICH_TEXT_FEATURES": ["bold"],
        }
    ):
        assert check_alma_settings() == []


def test_w005_removed_setting():
    """A setting that was removed is named as such, with what to do instead (not as a typo),
    and is not read."""
    with override_settings(ALMA_CMS={"DEFAULT_SERIES_TITLE": "Our forum"}):
        messages = check_alma_settings()
        with pytest.raises(AttributeError):
            alma_settings.DEFAULT_SERIES_TITLE  # noqa: B018 (the read is the test)
    assert [m.id for m in messages] == ["alma_cms.W005"]
    assert "DEFAULT_SERIES_TITLE" in messages[0].msg and "removed" in messages[0].msg
    assert "forum index" in messages[0].hint


def test_unknown_key_does_not_hide_other_errors():
    with override_settings(
        ALMA_CMS={"TYPO": 1, "DISABLED_PAGE_TYPES": ["PollPage"], "SPEAKER_PAGE_MODEL": "nope.Nope"}
    ):
        messages = check_alma_settings()
    assert sorted(m.id for m in messages) == ["alma_cms.E004", "alma_cms.E005", "alma_cms.W002"]


def test_type_error_reported_with_unknown_key_warning():
    with override_settings(ALMA_CMS={"TYPO": 1, "DISABLED_PAGE_TYPES": "AwardPage"}):
        messages = check_alma_settings()
    assert sorted(m.id for m in messages) == ["alma_cms.E003", "alma_cms.W002"]


# --- W004 ----------------------------------------------------------------------------------------

# Run with "ninja" left out of INSTALLED_APPS (tests/testapp/settings_noninja.py): W004 in the
# test site (API v3 mounted by the sandbox's urls.py), with API v3's docs switched off, and on a
# site without API v3; then what /api/v3/docs/ loads.
W004_SCRIPT = """
import json

import django

django.setup()

from django.test import Client, override_settings
from django.test.utils import setup_test_environment

from alma_cms.checks import check_api_v3_docs_offline

setup_test_environment()  # "testserver" in ALLOWED_HOSTS
with override_settings(WAGTAILAPI_DOCS_ENABLED=False):
    docs_disabled = check_api_v3_docs_offline()
with override_settings(ROOT_URLCONF="tests.api.urls_v2"):
    no_api_v3 = check_api_v3_docs_offline()
print(json.dumps({
    "mounted": [[m.id, m.msg, m.hint] for m in check_api_v3_docs_offline()],
    "docs_disabled": [m.id for m in docs_disabled],
    "no_api_v3": [m.id for m in no_api_v3],
    "docs_html": Client().get("/api/v3/docs/").content.decode(),
}))
"""


@pytest.mark.skipif(wagtail.VERSION[0] < 8, reason="API v3 (django-ninja) is Wagtail 8's")
def test_w003_api_v3_docs_from_a_cdn_without_the_ninja_app():
    """Installed apps can't change in-process (as for E001): a subprocess runs the check and
    renders the docs page without "ninja" in INSTALLED_APPS."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="tests.testapp.settings_noninja", PYTHONPATH=str(REPO_ROOT))
    result = subprocess.run(
        [sys.executable, "-c", W004_SCRIPT],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    # What the warning is about: django-ninja's CDN template.
    assert "https://cdn.jsdelivr.net/" in found["docs_html"]
    [(check_id, msg, hint)] = found["mounted"]
    assert check_id == "alma_cms.W004"
    assert "/api/v3/docs/" in msg and "CDN" in msg
    assert 'Add "ninja" to INSTALLED_APPS' in hint
    assert found["docs_disabled"] == []  # WAGTAILAPI_DOCS_ENABLED = False: no docs page
    assert found["no_api_v3"] == []


def test_w003_not_with_the_ninja_app():
    """The test site (the sandbox's settings) lists "ninja" where django-ninja is installed; on
    Wagtail 7.4 without django-ninja there is no API v3 to warn about."""
    assert check_api_v3_docs_offline() == []


# --- The settings reader -----------------------------------------------------------------------


def test_alma_settings_follow_override_settings_and_reset():
    assert alma_settings.API_CACHE_MAX_AGE == DEFAULTS["API_CACHE_MAX_AGE"]  # now cached
    with override_settings(
        ALMA_CMS={"API_CACHE_MAX_AGE": 300, "DISABLED_PAGE_TYPES": ["AwardPage"]}
    ):
        assert alma_settings.API_CACHE_MAX_AGE == 300
        assert alma_settings.DISABLED_PAGE_TYPES == ["AwardPage"]
        # Keys left out keep their defaults.
        assert alma_settings.SPEAKER_PAGE_MODEL == "alma_cms_pages.SpeakerPage"
    assert alma_settings.API_CACHE_MAX_AGE == 60
    assert alma_settings.DISABLED_PAGE_TYPES == []


def test_alma_settings_with_the_settings_fixture(settings):
    assert alma_settings.DISABLED_PAGE_TYPES == []
    settings.ALMA_CMS = {"DISABLED_PAGE_TYPES": ["QuotationPage"]}
    assert alma_settings.DISABLED_PAGE_TYPES == ["QuotationPage"]


def test_alma_settings_reset_after_the_settings_fixture():
    """Runs after the test above: its change must not leak."""
    assert alma_settings.DISABLED_PAGE_TYPES == []


def test_alma_settings_ignore_unrelated_setting_changes():
    before = alma_settings.RICH_TEXT_FEATURES
    with override_settings(WAGTAIL_SITE_NAME="Other"):
        assert alma_settings.RICH_TEXT_FEATURES == before


def test_unknown_alma_setting_is_an_attribute_error():
    with pytest.raises(AttributeError):
        _ = alma_settings.NOT_A_SETTING


# --- E010 / E011 / E012 / W010 / W011 (Wagtail's tasks on Celery) --------------------------------

ALMA_TASKS = {"default": {"BACKEND": "alma_cms.tasks.backends.CeleryBackend"}}


def tasks_check_ids(**settings):
    from alma_cms.checks import check_tasks_backend

    with override_settings(**settings):
        return sorted(m.id for m in check_tasks_backend())


@pytest.mark.skipif(wagtail.VERSION < (8,), reason="Wagtail 7.4 runs no django-tasks tasks")
def test_alma_tasks_backend_with_celery_is_fine():
    assert tasks_check_ids(TASKS=ALMA_TASKS) == []
    assert tasks_check_ids(TASKS=ALMA_TASKS, ALMA_CMS={"TASKS_QUEUE": "indexing"}) == []


@pytest.mark.skipif(wagtail.VERSION >= (8,), reason="Wagtail 8 runs its indexing as tasks")
def test_alma_tasks_backend_on_wagtail_7_warns_or_errors():
    assert tasks_check_ids(TASKS=ALMA_TASKS) in (["alma_cms.W011"], ["alma_cms.E010"])


E010_SCRIPT = """
import sys, types
sys.modules["celery"] = None  # Celery not installed
stub = types.ModuleType("sandbox.celery_app")
stub.app = None
sys.modules["sandbox.celery_app"] = stub  # the sandbox's Celery app needs Celery
import django
from django.conf import settings
django.setup()
settings.TASKS = {"default": {"BACKEND": "alma_cms.tasks.backends.CeleryBackend"}}
from alma_cms.checks import check_tasks_backend
for message in check_tasks_backend():
    print(message.id, message.msg)
"""


def test_alma_tasks_backend_without_celery_is_an_error():
    """Celery can't be uninstalled in-process: a subprocess hides it."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.testapp.settings"}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT), env.get("PYTHONPATH", "")])
    done = subprocess.run(
        [sys.executable, "-c", E010_SCRIPT], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    expected = (
        "alma_cms.E010 TASKS['default'] uses alma_cms.tasks.backends.CeleryBackend, but Celery "
        "is not installed"
    )
    assert expected in done.stdout


@pytest.mark.parametrize(
    "alma,ids",
    [
        ({"TASKS_QUEUE": " "}, ["alma_cms.E011"]),
        ({"TASKS_QUEUE": None}, []),
        ({"TASKS_MAX_RETRIES": -1}, ["alma_cms.E012"]),
        ({"TASKS_RETRY_BACKOFF": 10, "TASKS_RETRY_BACKOFF_MAX": 5}, ["alma_cms.E012"]),
        ({"TASKS_RETRY_BACKOFF": -1}, ["alma_cms.E012"]),
        ({"TASKS_RETRY_BACKOFF": "2"}, []),  # a type error: E003 (check_alma_settings)
    ],
)
def test_tasks_settings_values(alma, ids):
    assert tasks_check_ids(ALMA_CMS=alma) == ids


@pytest.mark.skipif(wagtail.VERSION < (8,), reason="Wagtail 7.4 indexes inline, not as tasks")
@pytest.mark.parametrize(
    "tasks,ids",
    [
        (None, ["alma_cms.W010"]),
        (
            {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
            ["alma_cms.W010"],
        ),
        (ALMA_TASKS, []),
    ],
)
def test_search_server_with_immediate_tasks_warns(tasks, ids):
    search = {"default": {"BACKEND": "wagtail.search.backends.opensearch3", "URLS": ["http://x"]}}
    settings = {"WAGTAILSEARCH_BACKENDS": search, "TASKS": tasks}
    assert tasks_check_ids(**settings) == ids
    # The database backend indexes in the database, in the same transaction: no warning.
    assert tasks_check_ids(TASKS=tasks) == []


@pytest.mark.parametrize(
    "alma, ids",
    [
        ({"SEARCH_OUTBOX_BATCH_SIZE": 500, "SEARCH_OUTBOX_BEAT_INTERVAL": 30.5}, []),
        ({"SEARCH_OUTBOX_BATCH_SIZE": 0}, ["alma_cms.E040"]),
        ({"SEARCH_OUTBOX_BATCH_SIZE": 10**30}, ["alma_cms.E040"]),
        ({"SEARCH_OUTBOX_BEAT_INTERVAL": 0}, ["alma_cms.E041"]),
        ({"SEARCH_OUTBOX_BEAT_INTERVAL": float("nan")}, ["alma_cms.E041"]),
        ({"SEARCH_OUTBOX_BEAT_INTERVAL": float("inf")}, ["alma_cms.E041"]),
        ({"SEARCH_OUTBOX_QUEUE": " "}, ["alma_cms.E042"]),
    ],
)
def test_search_outbox_settings(alma, ids):
    from alma_cms.checks import check_search_outbox_settings

    with override_settings(ALMA_CMS=alma):
        assert sorted(m.id for m in check_search_outbox_settings()) == ids


@pytest.mark.parametrize("key", ["SEARCH_OUTBOX_BATCH_SIZE", "TASKS_RETRY_BACKOFF"])
def test_a_boolean_is_not_a_number(key):
    from alma_cms.checks import check_alma_settings

    with override_settings(ALMA_CMS={key: True}):
        messages = check_alma_settings()
    assert [m.id for m in messages] == ["alma_cms.E003"]
    assert "must be of type int" in messages[0].msg and "not bool" in messages[0].msg


OPENSEARCH = {"default": {"BACKEND": "wagtail.search.backends.opensearch3", "URLS": ["http://x"]}}
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "x"}}


@pytest.mark.skipif(wagtail.VERSION < (8,), reason="the outbox needs modelsearch (Wagtail 8)")
@pytest.mark.parametrize(
    "search, caches, vendor, ids",
    [
        (OPENSEARCH, LOCMEM, "sqlite", ["alma_cms.W041"]),
        (OPENSEARCH, REDIS, "sqlite", []),
        (OPENSEARCH, LOCMEM, "postgresql", []),  # advisory locks
        (None, LOCMEM, "sqlite", []),  # no external backend: no outbox, no lock
    ],
)
def test_rebuild_lock_needs_a_shared_cache_off_postgresql(search, caches, vendor, ids, monkeypatch):
    from alma_cms import checks

    # The database under test is one vendor; the check is asked about the other too (overriding
    # DATABASES would swap the test database's connection).
    monkeypatch.setattr(checks, "_database_vendor", lambda: vendor)
    overrides = {"CACHES": caches}
    if search:
        overrides["WAGTAILSEARCH_BACKENDS"] = search
    with override_settings(**overrides):
        assert [m.id for m in checks.check_search_outbox_worker()] == ids


@pytest.mark.skipif(wagtail.VERSION < (8,), reason="the outbox needs modelsearch (Wagtail 8)")
def test_outbox_without_celery_warns(monkeypatch):
    from alma_cms import checks

    real_find_spec = checks.find_spec
    # Celery is installed here: the check is asked about an environment without it.
    monkeypatch.setattr(
        checks, "find_spec", lambda name: None if name == "celery" else real_find_spec(name)
    )
    with override_settings(WAGTAILSEARCH_BACKENDS=OPENSEARCH, CACHES=REDIS):
        assert [m.id for m in checks.check_search_outbox_worker()] == ["alma_cms.W040"]
    # Registered: `manage.py check` runs it.
    from django.core.checks.registry import registry

    assert checks.check_search_outbox_worker in registry.get_checks()


@pytest.mark.parametrize(
    "alma, ids",
    [
        ({}, []),
        ({"TRANSLATION_SYNC_ON_PUBLISH": "draft", "TRANSLATION_CHANGED_STRINGS": "fallback"}, []),
        ({"TRANSLATION_SYNC_ON_PUBLISH": "publish"}, []),
        ({"TRANSLATION_SYNC_ON_PUBLISH": "off"}, []),
        ({"TRANSLATION_SYNC_ON_PUBLISH": "publish_complete"}, ["alma_cms.E050"]),
        ({"TRANSLATION_CHANGED_STRINGS": "keep-old"}, ["alma_cms.E051"]),
        ({"TRANSLATION_SYNC_ON_PUBLISH": 1}, []),  # a wrong type is E003's
    ],
)
def test_translation_sync_settings(alma, ids):
    from alma_cms.checks import check_translation_sync_settings

    with override_settings(ALMA_CMS=alma):
        assert sorted(m.id for m in check_translation_sync_settings()) == ids


# --- E055 / E056 / E057 / E058 (translation syncing on Celery) ---------------------------------

JOBS = {"BACKEND": "alma_cms.translation.jobs.CeleryJobBackend", "OPTIONS": {"QUEUE": "t"}}


@pytest.mark.parametrize(
    "alma, jobs, ids",
    [
        ({"TRANSLATION_SYNC_DELAY": 0, "TRANSLATION_SYNC_QUEUE": "translation"}, JOBS, []),
        ({"TRANSLATION_SYNC_DELAY": -1}, None, ["alma_cms.E056"]),
        ({"TRANSLATION_SYNC_DELAY": float("nan")}, None, ["alma_cms.E056"]),
        ({"TRANSLATION_SYNC_DELAY": float("inf")}, None, ["alma_cms.E056"]),
        ({"TRANSLATION_SYNC_QUEUE": ""}, None, ["alma_cms.E057"]),
        ({}, {**JOBS, "OPTIONS": {"QUEUE": " "}}, ["alma_cms.E058"]),
    ],
)
def test_translation_celery_settings(alma, jobs, ids):
    from alma_cms.checks import check_translation_celery

    extra = {"WAGTAILLOCALIZE_JOBS": jobs} if jobs else {}
    with override_settings(ALMA_CMS=alma, **extra):
        assert [m.id for m in check_translation_celery()] == ids


def test_translation_job_backend_without_celery(monkeypatch):
    from alma_cms import checks

    monkeypatch.setattr(checks, "_celery_installed", lambda: False)
    with override_settings(WAGTAILLOCALIZE_JOBS=JOBS):
        assert [m.id for m in checks.check_translation_celery()] == ["alma_cms.E055"]
    with override_settings(WAGTAILLOCALIZE_JOBS={"BACKEND": "x.Y"}):
        assert checks.check_translation_celery() == []


@pytest.mark.parametrize(
    "caches, eager, on_publish, ids",
    [
        (LOCMEM, False, "publish-complete", ["alma_cms.W055"]),
        (REDIS, False, "publish-complete", []),
        (LOCMEM, True, "publish-complete", []),  # eager (the demo): one process
        (LOCMEM, False, "off", []),
    ],
)
def test_sync_debounce_needs_a_shared_cache(caches, eager, on_publish, ids):
    from alma_cms.checks import check_translation_celery

    alma = {"TRANSLATION_SYNC_ON_PUBLISH": on_publish}
    with override_settings(CACHES=caches, CELERY_TASK_ALWAYS_EAGER=eager, ALMA_CMS=alma):
        found = [m.id for m in check_translation_celery() if m.id == "alma_cms.W055"]
    assert found == ids


# --- E060 (alma_import's file size limit) ------------------------------------------------------


@pytest.mark.parametrize(
    "alma, ids",
    [
        ({"IMPORT_MAX_FILE_SIZE": 1}, []),
        ({"IMPORT_MAX_FILE_SIZE": 50 * 1024 * 1024}, []),
        ({"IMPORT_MAX_FILE_SIZE": 0}, ["alma_cms.E060"]),
        ({"IMPORT_MAX_FILE_SIZE": -10}, ["alma_cms.E060"]),
    ],
)
def test_import_max_file_size(alma, ids):
    with override_settings(ALMA_CMS=alma):
        assert [m.id for m in check_import_settings()] == ids


def test_import_max_file_size_of_another_type_is_e003():
    with override_settings(ALMA_CMS={"IMPORT_MAX_FILE_SIZE": "10 MB"}):
        assert [m.id for m in check_alma_settings()] == ["alma_cms.E003"]
        assert check_import_settings() == []
