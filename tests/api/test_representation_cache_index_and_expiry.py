"""The representation cache against what no signal of the change itself tells: the search index
written after the commit (Wagtail's search task on alma's Celery backend), the reference index
not updated yet when a page is published, and pages expiring that a listing counts or names but
does not show. Each change is followed by a comparison with the cache off."""

import datetime
import time

import pytest
import wagtail
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Page
from wagtail.search import index
from wagtail.signal_handlers import disable_reference_index_auto_update

from alma_cms.api import representation_cache as rc
from alma_cms.pages import models as m
from alma_cms.search.signals import index_written, send_index_written
from tests.api.helpers import API, HAS_API_V3, backdate_all, type_param

pytestmark = pytest.mark.django_db

ON = {"API_REPRESENTATION_CACHE": {"ENABLED": True}}
OFF = {"API_REPRESENTATION_CACHE": {"ENABLED": False}}
ALMA_TASKS = {"default": {"BACKEND": "alma_cms.tasks.backends.CeleryBackend"}}


@pytest.fixture
def site(alma, settings):
    backdate_all()
    settings.ALMA_CMS = ON
    return alma


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def state(response):
    return response.headers.get("X-Alma-Cache")


def uncached(client, url):
    with override_settings(ALMA_CMS=OFF):
        return client.get(url)


def warm(client, url):
    assert client.get(url).status_code == 200
    assert state(client.get(url)) == "hit"


def assert_fresh(client, url):
    cached, fresh = client.get(url), uncached(client, url)
    assert (cached.status_code, cached.content) == (fresh.status_code, fresh.content), (
        url,
        state(cached),
    )


def total(response):
    return response.json()["meta"]["total_count"]


# --- the search index, written after the commit -------------------------------------------


def _is_task_send(callback):
    """True for the on-commit callback of alma's CeleryBackend (wrapped by on_commit_once)."""
    from alma_cms.tasks.backends import _PendingSend

    return isinstance(getattr(callback, "func", callback), _PendingSend)


@pytest.mark.skipif(wagtail.VERSION < (8,), reason="Wagtail 7.4 indexes inline")
def test_a_search_follows_the_index_written_by_the_celery_task(
    site, client, django_capture_on_commit_callbacks
):
    """Wagtail's search task runs on Celery after the commit (docs/search.md): a search made
    between the commit and the task finds nothing and is stored; the task's index write (alma's
    ``run_task``, eager here as in the test settings) refreshes it."""
    url = f"{API}pages/?search=Zanzibarova&fields=_,id"
    lison = m.SpeakerPage.objects.get(pk=site.lison.pk)
    with override_settings(TASKS=ALMA_TASKS):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            lison.family_name = "Zanzibarova"
            lison.title = "Barbara Zanzibarova"
            publish(lison)
        sends = [cb for cb in callbacks if _is_task_send(cb)]
        assert sends  # the search (and reference index) tasks wait for the commit
        for callback in callbacks:
            if not _is_task_send(callback):
                callback()  # the commit: the generations are bumped, the index not written
        first = client.get(url)
        assert (state(first), total(first)) == ("miss", 0)
        assert state(client.get(url)) == "hit"
        for callback in sends:
            callback()  # the worker runs the tasks
    assert total(uncached(client, url)) == 1
    assert_fresh(client, url)
    assert state(client.get(url)) == "hit"  # stored again, with the new generation


def test_a_search_follows_an_index_written_later_in_any_way(site, client, commit):
    """Any write through modelsearch's ``insert_or_update_object`` (its task, its signal
    handlers, a direct call) refreshes the searches once it has written the index."""
    url = f"{API}pages/?search=Zanzibarova&fields=_,id"
    lison = m.SpeakerPage.objects.get(pk=site.lison.pk)
    index_not_written = override_settings(
        WAGTAILSEARCH_BACKENDS={
            "default": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False}
        }
    )
    with index_not_written, commit():
        lison.family_name = "Zanzibarova"
        lison.title = "Barbara Zanzibarova"
        publish(lison)
    assert total(client.get(url)) == 0
    assert state(client.get(url)) == "hit"
    index.insert_or_update_object(m.SpeakerPage.objects.get(pk=lison.pk))
    assert total(uncached(client, url)) == 1
    assert_fresh(client, url)


def test_an_index_write_refreshes_searches_only(site, client):
    """``index_written`` (the outbox drain, a rebuild, a task) bumps ``search``, not ``all``:
    listings that do not search stay cached."""
    search = f"{API}pages/?search=Lison&fields=_,id"
    listing = f"{API}pages/?type={type_param(m.SpeakerPage)}&fields=_,id"
    warm(client, search)
    warm(client, listing)
    send_index_written(sender=None)
    assert state(client.get(search)) == "miss"
    assert state(client.get(listing)) == "hit"


def test_a_search_computed_while_the_index_is_written_is_not_stored(site, client, monkeypatch):
    """The index written (and ``search`` bumped) while a search body is computed: that body may
    predate the write, so it is not stored."""
    url = f"{API}pages/?search=Lison&fields=_,id"
    original = rc.Lookup.store

    def store_after_a_write(self, *args, **kwargs):
        send_index_written(sender=None)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(rc.Lookup, "store", store_after_a_write)
    assert state(client.get(url)) is None
    monkeypatch.setattr(rc.Lookup, "store", original)
    assert state(client.get(url)) == "miss"
    assert state(client.get(url)) == "hit"


@pytest.mark.skipif(not HAS_API_V3, reason="API v3 needs Wagtail 8")
@pytest.mark.usefixtures("v3_urls")
def test_a_v3_search_is_refreshed_by_an_index_write(site, client):
    search = "/api/v3/pages/?search=Lison"
    detail = f"/api/v3/pages/{site.edition_2021.pk}/"
    warm(client, search)
    warm(client, detail)
    send_index_written(sender=None)
    assert state(client.get(search)) == "miss"
    assert state(client.get(detail)) == "hit"


def test_a_failing_cache_does_not_fail_the_index_writer(site, monkeypatch, caplog):
    def down():
        raise ConnectionError("cache server down")

    monkeypatch.setattr(rc, "bump_search", down)
    send_index_written(sender=None)  # no exception
    assert "Could not refresh cached search responses" in caplog.text


def test_the_drain_sends_index_written_only_after_writing(monkeypatch):
    from alma_cms.search import drain as drain_module

    sent = []

    def receiver(sender, **kwargs):
        sent.append(sender)

    index_written.connect(receiver, weak=False)
    try:
        monkeypatch.setattr(drain_module, "_drain_batches", lambda *args: None)
        drain_module.drain()
        assert sent == []

        def wrote(batch_size, max_batches, configured, totals, *rest):
            totals["upserted"] += 1

        monkeypatch.setattr(drain_module, "_drain_batches", wrote)
        drain_module.drain()
        assert sent == [drain_module.drain]
    finally:
        index_written.disconnect(receiver)


# --- objects a detail shows, before the reference index knows ------------------------------


def test_an_organization_edited_before_the_reference_index_task_ran(site, client, commit):
    """The reference index is updated by a task after the commit; the organization a page
    detail shows refreshes it even before that."""
    url = f"{API}pages/{site.edition_2019.pk}/"
    edition = m.ForumEditionPage.objects.get(pk=site.edition_2019.pk)
    with disable_reference_index_auto_update(), commit():  # the task has not run yet
        edition.host = site.rla
        publish(edition)
    warm(client, url)
    site.rla.name = "Russian Library Association (renamed)"
    with commit():
        site.rla.save()
    assert b"(renamed)" in uncached(client, url).content
    assert_fresh(client, url)


def test_a_detail_depends_on_the_objects_it_loaded(site, client):
    edition = m.ForumEditionPage.objects.get(pk=site.edition_2019.pk)
    edition.host = site.rla
    publish(edition)
    url = f"{API}pages/{edition.pk}/"
    client.get(url)
    entry = rc._cache().get(rc.request_key(client.get(url).wsgi_request, "v2"))
    assert rc.object_dep(type(site.rla), site.rla.pk) in entry["deps"]


# --- pages that expire without being shown ---------------------------------------------------


def _expire_soon(page, seconds=2):
    Page.objects.filter(pk=page.pk).update(
        expire_at=timezone.now() + datetime.timedelta(seconds=seconds)
    )


def test_a_listing_counts_a_page_that_expired_off_its_page(site, client):
    """The last speaker, beyond ``limit``, expires: the count must not stay."""
    url = f"{API}pages/?type={type_param(m.SpeakerPage)}&limit=1&order=id&fields=_,id"
    last = m.SpeakerPage.objects.order_by("-id").first()
    _expire_soon(last)
    warm(client, url)
    before = total(client.get(url))
    time.sleep(3)
    assert total(uncached(client, url)) == before - 1
    assert_fresh(client, url)


@pytest.mark.parametrize("parameter", ["child_of", "descendant_of"])
def test_a_filter_value_that_expired(site, client, parameter):
    """A page a filter names (not shown) expires: the cached 200 must not stay (fresh: 400)."""
    url = f"{API}pages/?{parameter}={site.speaker_index.pk}&fields=_,id"
    _expire_soon(site.speaker_index)
    warm(client, url)
    time.sleep(3)
    assert uncached(client, url).status_code == 400
    assert_fresh(client, url)


def test_a_listing_is_kept_no_longer_than_the_first_page_expiry(site, client, monkeypatch):
    """The entry's timeout is the time left until the earliest future ``expire_at`` of a live
    page; without one, ``TIMEOUT``."""
    timeouts = []
    cache = rc._cache()
    real_set = cache.set

    def recording_set(key, value, timeout=None, **kwargs):
        if key.startswith(rc.KEY_PREFIX):
            timeouts.append(timeout)
        return real_set(key, value, timeout=timeout, **kwargs)

    monkeypatch.setattr(cache, "set", recording_set)
    url = f"{API}pages/?type={type_param(m.SpeakerPage)}&limit=1&order=id&fields=_,id"
    client.get(url)
    assert timeouts == [rc.DEFAULTS["TIMEOUT"]]
    _expire_soon(m.SpeakerPage.objects.order_by("-id").first(), seconds=600)
    rc.bump({rc.ALL})
    client.get(url)
    assert 590 <= timeouts[-1] <= 600


def test_no_expiry_query_while_the_cache_is_off(site, client):
    url = f"{API}pages/?type={type_param(m.SpeakerPage)}&limit=1&order=id&fields=_,id"
    with override_settings(ALMA_CMS=OFF):
        client.get(url)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            client.get(url)
    assert not any("MIN(" in q["sql"].upper() for q in queries.captured_queries)
