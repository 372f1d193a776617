"""Two processes sharing one Redis representation cache agree: what one stores the other
serves, and a publish committed in either makes the next response fresh in both.

The second process is ``tests/api/representation_cache_peer.py``, on the same (committed) test
database; the cache is Redis database 7 (``ALMA_PEER_REDIS_URL`` to change it)."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import override_settings

from tests.api.helpers import API

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("ALMA_PEER_REDIS_URL", "redis://127.0.0.1:6379/7")

pytestmark = [
    pytest.mark.celery,  # needs Redis
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def database_url():
    s = connection.settings_dict
    password = f":{quote(s['PASSWORD'])}" if s.get("PASSWORD") else ""
    host = f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    return f"postgres://{s['USER']}{password}@{host}/{s['NAME']}"


class Peer:
    def __init__(self):
        env = {**os.environ, "DATABASE_URL": database_url(), "ALMA_PEER_CACHE_URL": REDIS_URL}
        env["PYTHONPATH"] = str(ROOT)
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "api" / "representation_cache_peer.py")],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        assert self.read() == {"ready": True}

    def read(self):
        line = self.process.stdout.readline()
        assert line, "the peer process stopped"
        return json.loads(line)

    def ask(self, **command):
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()
        return self.read()

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture
def shared_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "shared": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
    }
    settings.ALMA_CMS = {"API_REPRESENTATION_CACHE": {"ENABLED": True, "CACHE": "shared"}}
    from django.core.cache import caches

    caches["shared"].clear()
    yield caches["shared"]
    caches["shared"].clear()


def test_two_processes_share_entries_and_invalidations(media_root, shared_cache, client):
    from alma_cms.pages.models import SpeakerPage
    from tests.testapp.factories import build_alma_site

    site = build_alma_site()
    peer = Peer()
    try:
        url = f"{API}pages/{site.edition_2021.pk}/"
        mine = client.get(url)
        assert (mine.status_code, mine["X-Alma-Cache"]) == (200, "miss")
        theirs = peer.ask(get=url)
        assert (theirs["status"], theirs["cache"]) == (200, "hit")
        assert (theirs["body"], theirs["etag"]) == (mine.content.decode(), mine["ETag"])

        # A publish committed in the other process: this one answers fresh.
        assert peer.ask(rename_speaker=site.mackenzie.pk, family_name="Peer-Renamed")["done"]
        mine = client.get(url)
        assert mine["X-Alma-Cache"] == "miss"
        assert "Peer-Renamed" in mine.content.decode()
        with override_settings(ALMA_CMS={}):
            assert client.get(url).content == mine.content
        theirs = peer.ask(get=url)
        assert (theirs["cache"], theirs["body"]) == ("hit", mine.content.decode())

        # A publish committed here: the other process answers fresh.
        speaker = SpeakerPage.objects.get(pk=site.mackenzie.pk)
        speaker.family_name = "Here-Renamed"
        speaker.title = "Christine Here-Renamed"
        speaker.save_revision().publish()
        theirs = peer.ask(get=url)
        assert theirs["cache"] == "miss"
        assert "Here-Renamed" in theirs["body"] and "Peer-Renamed" not in theirs["body"]
        mine = client.get(url)
        assert (mine["X-Alma-Cache"], mine.content.decode()) == ("hit", theirs["body"])
    finally:
        peer.close()
