"""The representation cache when its cache server is down, and what it never stores.

- A Redis that stops answering breaks no API request (v2, v3) and no publish: lookups and
  stores are skipped (logged), a failed bump is logged and retried on Celery.
- The browsable API (``text/html``) and any response whose request used its CSRF token are
  not stored (the body embeds the first caller's token).

The Redis tests start their own ``redis-server`` on a free port (never the shared one)."""

import logging
import re
import shutil
import socket
import subprocess
import time
from unittest import mock

import pytest
from django.core.cache import caches
from django.db import transaction
from django.test import Client, override_settings
from redis.exceptions import ConnectionError as RedisConnectionError

from alma_cms.api import representation_cache as rc
from alma_cms.pages import models as m
from tests.api.conftest import publish
from tests.api.helpers import API, HAS_API_V3, backdate_all, type_param

pytestmark = pytest.mark.django_db

ON = {"API_REPRESENTATION_CACHE": {"ENABLED": True}}
OFF = {"API_REPRESENTATION_CACHE": {"ENABLED": False}}
LOGGER = "alma_cms.api.representation_cache"


@pytest.fixture
def site(alma, settings):
    backdate_all()
    settings.ALMA_CMS = ON
    return alma


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(autouse=True)
def _every_warning_logged(monkeypatch):
    # The rate limit is per process: each test sees its first failure logged.
    monkeypatch.setattr(rc, "_last_warning", {"at": None, "suppressed": 0})


def state(response):
    return response.headers.get("X-Alma-Cache")


def uncached(client, url, **extra):
    with override_settings(ALMA_CMS=OFF):
        return client.get(url, **extra)


def detail(page):
    return f"{API}pages/{page.pk}/"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_alias(port):
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{port}/0",
        # A server that is down answers "connection refused" at once; bound the wait anyway.
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }


class RedisServer:
    """A ``redis-server`` of the test's own (no persistence) on a free port."""

    def __init__(self):
        self.port = free_port()
        subprocess.run(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
            ],
            check=True,
            capture_output=True,
        )
        for _ in range(50):
            if self.ping():
                return
            time.sleep(0.05)
        raise RuntimeError(f"redis-server on {self.port} did not start")

    def ping(self):
        done = subprocess.run(
            ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True
        )
        return done.stdout.strip() == "PONG"

    def stop(self):
        subprocess.run(
            ["redis-cli", "-p", str(self.port), "shutdown", "nosave"], capture_output=True
        )
        for _ in range(50):
            if not self.ping():
                return
            time.sleep(0.05)


@pytest.fixture
def redis(site, settings):
    """The representation cache on a Redis of the test's own (alias "api"); yields it."""
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server not installed")
    server = RedisServer()
    settings.CACHES = {**settings.CACHES, "api": redis_alias(server.port)}
    settings.ALMA_CMS = {"API_REPRESENTATION_CACHE": {"ENABLED": True, "CACHE": "api"}}
    yield server
    server.stop()


def urls(site):
    found = [detail(site.edition_2021), f"{API}pages/?type={type_param(m.SpeakerPage)}"]
    if HAS_API_V3:
        found += [
            f"/api/v3/pages/{site.edition_2021.pk}/",
            f"/api/v3/pages/?type={type_param(m.SpeakerPage)}",
        ]
    return found


# --- the cache server is down ----------------------------------------------------------------


@pytest.mark.usefixtures("v3_urls")
def test_the_api_answers_as_without_the_cache_while_its_server_is_down(site, redis, caplog):
    client = Client(raise_request_exception=False)
    checked = urls(site)
    for url in checked[::2]:  # details stored, listings never seen before
        assert state(client.get(url)) == "miss"
        assert state(client.get(url)) == "hit"
    redis.stop()
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        for url in checked:
            for _ in range(2):
                response, expected = client.get(url), uncached(client, url)
                assert (response.status_code, state(response)) == (200, None), url
                assert response.content == expected.content, url
                assert response["ETag"] == expected["ETag"], url
    warnings = [r for r in caplog.records if r.name == LOGGER]
    assert len(warnings) == 1  # rate-limited: not one per request
    assert "unavailable (lookup)" in warnings[0].getMessage()


def test_a_store_that_fails_answers_the_computed_body(site, redis, client, caplog):
    url = detail(site.edition_2021)
    real_set = caches["api"].set

    def failing_set(*args, **kwargs):
        redis.stop()
        return real_set(*args, **kwargs)

    with caplog.at_level(logging.WARNING, logger=LOGGER):
        with mock.patch.object(caches["api"], "set", failing_set):
            response = client.get(url)
    assert (response.status_code, state(response)) == (200, None)
    assert response.content == uncached(client, url).content
    assert "unavailable (store)" in caplog.records[-1].getMessage()


def test_publishing_works_while_the_cache_server_is_down(site, redis, client, commit, caplog):
    url = detail(site.lison)
    assert state(client.get(url)) == "miss"
    redis.stop()
    later = []
    speaker = m.SpeakerPage.objects.get(pk=site.lison.pk)
    sent = mock.Mock()
    with (
        caplog.at_level(logging.WARNING, logger=LOGGER),
        mock.patch.object(rc, "send_bump_retry", sent),
        commit(),
    ):
        speaker.family_name = "Lisonova"
        publish(speaker)
        transaction.on_commit(lambda: later.append(True))
    assert later == [True]  # the on-commit callbacks after the failed bump still ran
    retried = set().union(*(call.args[0] for call in sent.call_args_list))
    assert rc.page_dep(site.lison.pk) in retried  # every failed bump is sent to be retried
    assert any("Could not bump" in r.getMessage() for r in caplog.records)
    assert client.get(url).content == uncached(client, url).content


def test_a_translators_change_while_the_cache_server_is_down_is_sent_to_be_retried(
    site, redis, caplog
):
    # The translation-status bump runs on commit like a publish's: it must not raise either.
    redis.stop()
    rc._translation_work.keys = {site.lison.translation_key}
    sent = mock.Mock()
    with (
        caplog.at_level(logging.WARNING, logger=LOGGER),
        mock.patch.object(rc, "send_bump_retry", sent),
    ):
        rc._flush_translation_work()
    assert sent.call_args.args[0] == {rc.page_dep(site.lison.pk)}
    assert any("Could not bump" in r.getMessage() for r in caplog.records)


def test_a_failed_bump_is_retried_on_celery_once_the_server_is_back(site, redis, commit):
    """The bump fails against a server that cannot be reached; the retry task sent then runs
    when it is back and makes the entries stored before stale."""
    client = Client()
    url = detail(site.lison)
    assert state(client.get(url)) == "miss"
    assert state(client.get(url)) == "hit"
    speaker = m.SpeakerPage.objects.get(pk=site.lison.pk)
    task = rc_task()
    sent = []
    unreachable = {"api": redis_alias(free_port())}  # same data, server out of reach
    with (
        override_settings(CACHES={**caches.settings, **unreachable}),
        mock.patch.object(task, "apply_async", lambda args, **kw: sent.append(args)),
        commit(),
    ):
        speaker.family_name = "Lisonova"
        publish(speaker)
    assert len(sent) == 1
    assert state(client.get(url)) == "hit"  # stale: the bump was lost for now
    task.apply(args=sent[0]).get()  # the worker runs the retry
    response = client.get(url)
    assert state(response) == "miss"
    assert b"Lisonova" in response.content
    assert response.content == uncached(client, url).content


def rc_task():
    from celery import current_app  # noqa: PLC0415  (Celery is an optional extra)

    return current_app.tasks[rc.BUMP_TASK]


def test_the_retry_task_retries_while_the_server_is_down(site, redis, caplog):
    from celery.exceptions import Retry  # noqa: PLC0415  (Celery is an optional extra)

    redis.stop()
    task = rc_task()
    with pytest.raises(Retry):
        task.apply(args=[[rc.ALL]], throw=True)
    last = task.max_retries
    with caplog.at_level(logging.ERROR, logger=LOGGER), pytest.raises(RedisConnectionError):
        task.apply(args=[[rc.ALL]], retries=last, throw=True)
    assert f"after {last + 1} attempts" in caplog.records[-1].getMessage()


def test_a_lost_bump_is_logged_as_an_error(site, redis, caplog, commit):
    redis.stop()
    with caplog.at_level(logging.WARNING, logger=LOGGER), commit():
        publish(m.SpeakerPage.objects.get(pk=site.lison.pk))  # eager Celery: every retry fails
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR and r.name == LOGGER]
    assert errors and "Lost representation cache bump" in errors[-1].getMessage()


# --- what is never stored ----------------------------------------------------------------------


def test_the_browsable_api_is_not_stored_nor_its_csrf_token_shared(site):
    url = f"{detail(site.edition_2021)}?fields=title"
    first = Client().get(url, HTTP_ACCEPT="text/html")
    assert first.status_code == 200 and "csrftoken" in first.cookies
    assert state(first) is None
    second = Client().get(url, HTTP_ACCEPT="text/html")
    assert state(second) is None
    token = re.search(rb'csrfToken": "([^"]+)"', second.content)
    assert token is None or second.cookies["csrftoken"].value != first.cookies["csrftoken"].value
    # JSON is still kept.
    assert state(Client().get(url)) == "miss"
    assert state(Client().get(url)) == "hit"


def test_a_json_response_whose_request_used_its_csrf_token_is_not_stored(site, monkeypatch):
    """Whatever the renderer: a view that asked for the token may have put it in the body."""
    from django.middleware.csrf import get_token  # noqa: PLC0415  (only this test)

    real_dispatch = rc.Lookup.store

    def store_after_get_token(self, response, deps, expires_at=None):
        get_token(self.request)
        return real_dispatch(self, response, deps, expires_at)

    monkeypatch.setattr(rc.Lookup, "store", store_after_get_token)
    url = detail(site.edition_2021)
    client = Client()
    assert state(client.get(url)) is None
    assert state(client.get(url)) is None
    monkeypatch.setattr(rc.Lookup, "store", real_dispatch)
    assert state(client.get(url)) == "miss"


def test_uses_csrf_token_reads_both_flags(rf):
    request = rf.get("/")
    assert not rc.uses_csrf_token(request)
    request.META["CSRF_COOKIE_USED"] = True  # Django < 4.1
    assert rc.uses_csrf_token(request)
    request = rf.get("/")
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    assert rc.uses_csrf_token(request)
