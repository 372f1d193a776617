"""Service gating for the test suite.

Locally, tests that need Redis, PostgreSQL or a search server are skipped with a
reason when the service isn't there, so `make test` passes with nothing running.
With ALMA_REQUIRE_SERVICES=1 (CI) a missing Redis/PostgreSQL fails those tests
instead, so a broken CI setup can't hide behind skips.

Markers (declared in setup.cfg):
  postgres        -- needs DATABASE_URL to point at PostgreSQL
  celery          -- needs Redis (CELERY_BROKER_URL / ALMA_REDIS_URL)
  search_backend  -- needs ALMA_SEARCH_URL (skipped when unset, even in CI;
                     when set, the server must answer)
  browser         -- needs /usr/bin/chromium and playwright (tests/browser/conftest.py)
"""

import functools
import os

import pytest

REQUIRE_SERVICES = os.environ.get("ALMA_REQUIRE_SERVICES", "").lower() in {"1", "true", "yes"}


def _unavailable(reason):
    """Skip locally; fail when the environment promises the service."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (ALMA_REQUIRE_SERVICES=1)", pytrace=False)
    pytest.skip(reason)


def _redis_url():
    url = os.environ.get("ALMA_REDIS_URL") or os.environ.get("CELERY_BROKER_URL", "")
    # The default broker is memory://; then try a local Redis on a scratch db.
    return url if url.startswith(("redis://", "rediss://")) else "redis://127.0.0.1:6379/15"


@functools.cache
def _redis_error(url):
    """None if Redis at `url` answers PING, else a short reason. Checked once per run."""
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        try:
            client.ping()
        finally:
            client.close()
    except Exception as exc:  # ImportError, connection refused, auth, ...
        return f"Redis not reachable at {url}: {exc}"
    return None


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    """``django_capture_on_commit_callbacks``, shorter: ``with capture(execute=True): ...``."""
    return django_capture_on_commit_callbacks


@pytest.fixture(scope="session")
def redis_url():
    """URL of a reachable Redis; skips (or fails under ALMA_REQUIRE_SERVICES) otherwise."""
    url = _redis_url()
    if error := _redis_error(url):
        _unavailable(error)
    return url


# Files that take a minute or more on 2 cores, longest first (durations of CI's first line).
# pytest-xdist (`--dist loadfile --no-loadscope-reorder`, as .ci/run and `make test` run it)
# hands out whole files in collection order: started first, they run beside the many short
# files instead of one of them keeping a worker busy after the other has finished (by default
# xdist starts files with the most tests first, which put these last).
LONG_FILES = (
    "tests/api/test_v2_queries.py",
    "tests/test_demo_loader.py",
    "tests/test_bench_search.py",
    "tests/search/test_faults.py",
    "tests/test_localize.py",
    "tests/importer/test_forum_translation_of.py",
    "tests/test_translations.py",
    "tests/test_bench_load.py",
    "tests/install/test_wagtail_start.py",
    "tests/translation/test_celery_sync.py",
    "tests/browser/test_editor_flow.py",
    "tests/search/test_outbox.py",
    "tests/translation/test_subtree.py",
)


def _django_group(item):
    """pytest-django's order group of ``item``: 0 ordinary database tests, 1 transactional
    ones, 2 the rest (``pytest_django.plugin.pytest_collection_modifyitems``)."""
    from pytest_django.plugin import validate_django_db

    fixtures = getattr(item, "fixturenames", [])
    marker = item.get_closest_marker("django_db")
    transactional = "transactional_db" in fixtures or "live_server" in fixtures
    if marker:
        transaction, reset_sequences, *_rest = validate_django_db(marker)
        transactional = transactional or transaction or reset_sequences
    if transactional:
        return 1
    return 0 if marker or "db" in fixtures else 2


def pytest_configure(config):
    # Every query alma-cms compiles once and reuses is compiled afresh too and compared: a
    # builder that reads more than its key and values fails the test that runs it.
    from alma_cms.scope import compiled

    compiled.VERIFY = True


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Run the files of LONG_FILES first, in its order, within each of pytest-django's groups
    (ordinary database tests, transactional ones, the rest): a transactional test's flush must
    not come before ordinary tests in the same process (seen: the ALMA site could not be built
    after tests/translation/test_celery_sync.py; a Celery test worker also leaves the root
    logger's level raised). The rest keep their order."""
    rank = {path: index for index, path in enumerate(LONG_FILES)}
    items.sort(
        key=lambda item: (
            _django_group(item),
            rank.get(item.nodeid.split("::", 1)[0], len(rank)),
        )
    )


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres"):
        from django.db import connection

        if connection.vendor != "postgresql":
            _unavailable(f"needs PostgreSQL, DATABASE_URL gives {connection.vendor}")

    if item.get_closest_marker("celery") and (error := _redis_error(_redis_url())):
        _unavailable(error)

    # No search server in CI; setting ALMA_SEARCH_URL opts in (and then it must work).
    if item.get_closest_marker("search_backend") and not os.environ.get("ALMA_SEARCH_URL"):
        pytest.skip("ALMA_SEARCH_URL not set")


# --- Content fixtures ------------------------------------------------------------------------
# Builders live in tests/testapp/factories.py; these fixtures wire them to pytest-django.


def _restore_migration_data(django_db_blocker):
    """Put back what migrations created (root page, Site, locale, root collection) when a
    ``transaction=True`` test's flush left the test database without it. A flush without
    ``serialized_rollback`` recreates content types and permissions under new ids, so the
    database is flushed again first and then loaded as pytest-django serialized it."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection
    from wagtail.models import Page, Site

    if connection.settings_dict["NAME"] != connection.creation._get_test_db_name():
        return  # no collected test uses the database, so pytest-django created none
    with django_db_blocker.unblock():
        intact = Page.objects.filter(depth=1).exists() and Site.objects.exists()
        contents = getattr(connection, "_test_serialized_contents", None)
        if intact:
            if not contents:
                # pytest-django serializes only when a collected test asks for
                # serialized_rollback: keep the migrations' data for later restores anyway.
                connection._test_serialized_contents = connection.creation.serialize_db_to_string()
            return
        if not contents:
            return
        # Sequences kept, as Django's TransactionTestCase keeps them: ids loaded below stay free.
        call_command(
            "flush",
            verbosity=0,
            interactive=False,
            reset_sequences=False,
            inhibit_post_migrate=True,
        )
        ContentType.objects.clear_cache()
        _load_serialized(connection, contents)


def _load_serialized(connection, contents):
    """``deserialize_db_from_string`` with the content types cache filled from ``contents``
    first: a lookup while the rows load (a receiver of a raw save) would otherwise create a
    content type under another id (seen: ``wagtailcore.groupapprovaltask``) and the serialized
    row would then collide with it."""
    import json

    from django.contrib.contenttypes.models import ContentType

    for row in json.loads(contents):
        if row["model"] == "contenttypes.contenttype":
            content_type = ContentType(pk=row["pk"], **row["fields"])
            content_type._state.db = connection.alias
            ContentType.objects._add_to_cache(connection.alias, content_type)
    connection.creation.deserialize_db_from_string(contents)


@pytest.fixture(scope="module", autouse=True)
def _migration_data_around_each_module(django_db_setup, django_db_blocker):
    """With pytest-xdist (``--dist loadfile``) a file's ordinary tests may run right after
    another file's committing tests, whose last flush empties the database: restore it before
    and after each module (one query when nothing is missing)."""
    _restore_migration_data(django_db_blocker)
    yield
    _restore_migration_data(django_db_blocker)


@pytest.fixture(scope="module")
def media_root(tmp_path_factory):
    """Uploaded images and documents go to a temporary MEDIA_ROOT, one per test module (the
    module-wide ``alma_data`` keeps its files there while its tests run)."""
    from django.test import override_settings

    path = str(tmp_path_factory.mktemp("media"))
    with override_settings(MEDIA_ROOT=path):
        yield path


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language. LocaleMiddleware activates the language of a
    test client request (e.g. Accept-Language: ru) for the rest of the thread otherwise."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _clear_caches():
    """Wagtail caches site root paths and image renditions by primary key; ids are reused
    after a rollback, so every test starts with empty caches."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture(scope="module")
def alma_data(django_db_setup, django_db_blocker, media_root):
    """The ALMA test site, in each test module inside a transaction that is rolled back when
    the module is done (built once per test process, copied in later: tests/db_snapshot.py).
    Each test still runs in its own (nested) transaction, so changes a test makes are undone
    before the next test. Use the ``alma`` fixture, not this one."""
    from django.db import transaction

    from tests.db_snapshot import build_once
    from tests.testapp.factories import build_alma_site

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            # Built for real once per test process, copied back for later modules.
            site = build_once("alma", build_alma_site)
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    try:
        yield site
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def alma(alma_data, db):
    """A small live ALMA site with every page type (see factories.build_alma_site), as fresh
    instances loaded from the database."""
    return alma_data.fresh()


@pytest.fixture
def image(db, media_root):
    from tests.testapp.factories import make_image

    return make_image("Forum hall", width=64, height=48, description="The forum hall")


@pytest.fixture
def locale_ru(db):
    from tests.testapp.factories import ensure_locale

    return ensure_locale("ru")


def extensible_stream_fields():
    """Every ExtensibleStreamField of every installed model."""
    from django.apps import apps as django_apps

    from alma_cms.fields import ExtensibleStreamField

    return [
        field
        for model in django_apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, ExtensibleStreamField)
    ]


@pytest.fixture
def fresh_stream_blocks():
    """Drop the cached hook-extended stream blocks before and after a test that changes hooks,
    so the test sees its own hooks and later tests see the normal ones again."""
    fields = extensible_stream_fields()
    saved = {id(f): f.__dict__.pop("_extended_stream_block", None) for f in fields}
    yield fields
    for f in fields:
        f.__dict__.pop("_extended_stream_block", None)
        if saved[id(f)] is not None:
            f.__dict__["_extended_stream_block"] = saved[id(f)]


@pytest.fixture(scope="module")
def growing_data(django_db_setup, django_db_blocker, media_root):
    """Two sites built alike (``factories.build_growing_site``), one with 2 and one with 4 of
    everything a page lists, keyed by that number: for query budgets that must not grow. In
    each test module (built once per test process, see alma_data), rolled back after it."""
    from django.db import transaction

    from tests.db_snapshot import build_once
    from tests.testapp.factories import build_growing_site

    def build():
        return {count: build_growing_site(count, 8000 + count) for count in (2, 4)}

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            sites = build_once("growing", build)
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    try:
        yield sites
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def growing(growing_data, db):
    """``growing_data``: ``{2: site, 4: site}``."""
    return growing_data
