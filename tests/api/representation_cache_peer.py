"""A second process for tests/api/test_representation_cache_processes.py: another server with
the same database and the same Redis cache. Reads one JSON command a line on stdin, answers one
JSON line on stdout:

- ``{"get": "/api/v2/pages/9/"}`` -> ``{"status": 200, "cache": "hit", "etag": ..., "body": ...}``
- ``{"rename_speaker": 7, "family_name": "X"}`` -> ``{"done": true}`` (publishes, commits)

Environment: ``DATABASE_URL`` (the test database), ``ALMA_PEER_CACHE_URL`` (the Redis cache).
"""

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.testapp.settings")

import django  # noqa: E402

django.setup()

from django.test import Client, override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def main():
    setup_test_environment()
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shared": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["ALMA_PEER_CACHE_URL"],
        },
    }
    alma = {"API_REPRESENTATION_CACHE": {"ENABLED": True, "CACHE": "shared"}}
    with override_settings(CACHES=caches, ALMA_CMS=alma, ROOT_URLCONF="tests.api.urls_v2"):
        client = Client()
        print(json.dumps({"ready": True}), flush=True)
        for line in sys.stdin:
            command = json.loads(line)
            if "get" in command:
                response = client.get(command["get"])
                answer = {
                    "status": response.status_code,
                    "cache": response.headers.get("X-Alma-Cache"),
                    "etag": response.headers.get("ETag"),
                    "body": response.content.decode(),
                }
            else:
                from alma_cms.pages.models import SpeakerPage

                speaker = SpeakerPage.objects.get(pk=command["rename_speaker"])
                speaker.family_name = command["family_name"]
                speaker.title = f"Christine {command['family_name']}"
                speaker.save_revision().publish()
                answer = {"done": True}
            print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
