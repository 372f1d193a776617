"""Helpers of the API tests (fixtures are in ``tests/api/conftest.py``).

- the base URLs and the small tools of every API test module (``type_param``, ``marker``, ...);
- :func:`skip_without_api_v3`: modules that need Wagtail's API v3 call it first, so on Wagtail 7
  they are skipped instead of failing to import ``alma_cms.api.v3``;
- OpenAPI response validation, and a forum edition body with every block;
- the checks the v2 and v3 tests of caching and of query counts share (the privacy matrix they
  share is ``tests/api/privacy_matrix.py``).
"""

import datetime
import uuid
from contextlib import contextmanager

import pytest
import wagtail
from django.core.cache import caches
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils.http import parse_http_date

from tests.db_snapshot import build_once

API = "/api/v2/"
STOCK = "/stock/v2/"
V3_URLS = "tests.api.urls_v3"
HAS_API_V3 = wagtail.VERSION[0] >= 8
D = datetime.date
# A publication date in the past, so a publish during a test moves Last-Modified forward
# even within the same second as the fixture build.
PAST = datetime.datetime(2024, 1, 15, 12, 0, tzinfo=datetime.UTC)


def skip_without_api_v3():
    if not HAS_API_V3:
        pytest.skip(
            f"API v3 needs Wagtail 8 (this is Wagtail {wagtail.__version__})",
            allow_module_level=True,
        )


def type_param(model):
    return f"{model._meta.app_label}.{model.__name__}"


def marker(prefix="m"):
    """A word that appears nowhere else (to search for it, or to check it never leaks)."""
    return f"{prefix}{uuid.uuid4().hex[:10]}"


def clear_caches():
    for cache in caches.all():
        cache.clear()


@contextmanager
def module_transaction(django_db_blocker):
    """Build module-wide content inside a transaction that is rolled back afterwards."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        with django_db_blocker.unblock():
            yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
        clear_caches()


def load_demo():
    """What ``manage.py alma_load_demo`` leaves in the database and MEDIA_ROOT. Run for real
    once per test process, copied back after that (``tests/db_snapshot.py``): call it inside a
    transaction. tests/test_demo_loader.py runs the command itself."""
    from django.core.management import call_command

    build_once("demo", lambda: call_command("alma_load_demo", verbosity=0))


def load_demo_quietly():
    """:func:`load_demo` without updating the search and reference indexes: tests that only read
    the demo's pages don't look at them, and skipping them halves the load time."""
    build_once("demo-quietly", _load_demo_without_indexes)


def _load_demo_without_indexes():
    from django.core.management import call_command
    from wagtail.signal_handlers import disable_reference_index_auto_update

    no_search_updates = override_settings(
        WAGTAILSEARCH_BACKENDS={
            "default": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False}
        }
    )
    with no_search_updates, disable_reference_index_auto_update():
        call_command("alma_load_demo", verbosity=0)


def backdate_all():
    """Give every published page a publication date in the past (see PAST)."""
    from wagtail.models import Page

    Page.objects.filter(depth__gte=2, last_published_at__isnull=False).update(
        last_published_at=PAST, first_published_at=PAST
    )


# --- v2 requests ----------------------------------------------------------------------------


def listing(client, model, **params):
    """The v2 listing of ``model`` with every field (it must answer 200)."""
    response = client.get(f"{API}pages/", {"type": type_param(model), "fields": "*", **params})
    assert response.status_code == 200, response.content[:500]
    return response.json()


def detail(client, page):
    """The v2 detail of ``page`` (it must answer 200)."""
    response = client.get(f"{API}pages/{page.pk}/")
    assert response.status_code == 200, response.content[:500]
    return response.json()


# --- OpenAPI and response validation ------------------------------------------------------


def openapi_document(client):
    """The published OpenAPI document of API v3 (the client must use :data:`V3_URLS`)."""
    response = client.get("/api/v3/openapi.json")
    assert response.status_code == 200, response.content[:500]
    return response.json()


def format_checker():
    """Every JSON Schema format the validator knows is checked (date, date-time, time, uuid,
    email, ...), as client-side validators and schemathesis check them."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator.FORMAT_CHECKER


def response_validator(document, path, status="200", media_type="application/json"):
    """A JSON Schema validator for the ``GET path`` response ``status`` of ``document``."""
    from jsonschema import Draft202012Validator

    operation = document["paths"][path]["get"]
    schema = operation["responses"][status]["content"][media_type]["schema"]
    root = {**schema, "components": document["components"]}
    return Draft202012Validator(root, format_checker=format_checker())


def schema_validator(schema):
    """A validator for a stand-alone schema (``$defs``), with the same formats."""
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=format_checker())


def errors_of(validator, instance):
    """Readable validation errors: ``path: message`` (the deepest cause of a oneOf)."""
    found = []
    for error in validator.iter_errors(instance):
        causes = sorted(error.context or [], key=lambda e: len(e.absolute_path), reverse=True)
        deepest = causes[0] if causes else error
        where = "/".join(str(part) for part in deepest.absolute_path)
        found.append(f"{where}: {deepest.message[:300]}")
    return found


# --- HTTP caching, v2 and v3 --------------------------------------------------------------


def publish_new_family_name(speaker, name):
    speaker.family_name = name
    speaker.title = f"Christine {name}"
    speaker.save_revision().publish()


def check_publishing_moves_validators(client, site, urls, unrelated_url):
    """Publishing the speaker Mackenzie under a new name changes the validators of ``urls``
    (responses that show her) and not those of ``unrelated_url``."""
    before = {name: client.get(url) for name, url in urls.items()}
    assert "Mackenzie" in before["referrer"].content.decode()
    unrelated = client.get(unrelated_url)

    publish_new_family_name(site.mackenzie, "MacKenzie-Renamed")

    for name, url in urls.items():
        old = before[name]
        # A client revalidating with the old validators gets the new content.
        response = client.get(
            url, HTTP_IF_NONE_MATCH=old["ETag"], HTTP_IF_MODIFIED_SINCE=old["Last-Modified"]
        )
        assert response.status_code == 200, name
        assert "MacKenzie-Renamed" in response.content.decode(), name
        assert response["ETag"] != old["ETag"], name
        assert parse_http_date(response["Last-Modified"]) > parse_http_date(old["Last-Modified"]), (
            name
        )
        # So does one that only sends If-Modified-Since.
        assert client.get(url, HTTP_IF_MODIFIED_SINCE=old["Last-Modified"]).status_code == 200
    # A page that does not show the speaker keeps its validators.
    assert client.get(unrelated_url, HTTP_IF_NONE_MATCH=unrelated["ETag"]).status_code == 304


# --- Query counts, v2 and v3 --------------------------------------------------------------


def steady_state_queries(client, url):
    """Number of queries of ``url`` once renditions exist and Wagtail's caches are warm."""
    first = client.get(url)
    assert first.status_code == 200, first.content[:500]
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def warm(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return response


# --- Content ----------------------------------------------------------------------------------


def item(block_type, value):
    import uuid

    return {"type": block_type, "value": value, "id": str(uuid.uuid4())}


def every_block_body(alma):
    """Raw data for a forum edition body with every block it offers (the test app's poll too),
    filled in every way the API output can differ: references set, empty, unpublished."""
    from tests.testapp.factories import make_document, make_speaker

    hidden = make_speaker(alma.speaker_index, "Hidden", "Speaker", publish=False)
    document = make_document("Programme (PDF)")
    nobody = {"speaker": None, "name": "", "role": "", "topic": ""}
    link = f'<p>See <a linktype="page" id="{alma.award.pk}">the award</a>.</p>'
    return [
        item("paragraph", link),
        item("heading", {"text": "Panels", "level": "h3", "anchor": "panels"}),
        item("heading", {"text": "Figures", "level": "h2", "anchor": ""}),
        item("image", {"image": alma.photo.pk, "alt": "On stage", "caption": "", "credit": "LFL"}),
        item("image", {"image": None, "alt": "", "caption": "", "credit": ""}),
        item(
            "video",
            {
                "url": "https://www.youtube.com/watch?v=abcdef12345",
                "title": "Stream",
                "caption": "",
            },
        ),
        item("video", {"url": "https://example.org/v/1", "title": "Elsewhere", "caption": "x"}),
        item("quote", {"text": "Lead.", "speaker": alma.mackenzie.pk, "name": "", "role": ""}),
        item("quote", {"text": "Read.", "speaker": None, "name": "A. Reader", "role": "Guest"}),
        item(
            "link_list",
            {
                "title": "",
                "links": [
                    {
                        "title": "IFLA",
                        "page": None,
                        "url": "https://www.ifla.org/",
                        "description": "",
                    },
                    {
                        "title": "Forum",
                        "page": alma.forum_index.pk,
                        "url": "",
                        "description": "All",
                    },
                ],
            },
        ),
        item("document", {"document": document.pk, "title": "", "description": "Timetable"}),
        item(
            "call_to_action",
            {
                "title": "Award",
                "text": link,
                "button_label": "Read",
                "page": None,
                "url": "https://libfl.ru/",
            },
        ),
        item("featured_quotation", {"quotation": alma.quotation.pk}),
        item(
            "discussion_panel",
            {
                "title": "Regional level",
                "scope": "",
                "moderator": dict(nobody),
                "speakers": [
                    dict(nobody, speaker=alma.lison.pk, topic="IFLA"),
                    dict(nobody, name="Anna R. Galeyeva", role="Director"),
                    dict(nobody, speaker=hidden.pk, topic="Not public yet"),
                ],
                "summary": "",
            },
        ),
        item(
            "programme",
            {
                "title": "Programme",
                "date": "2021-04-20",
                "slots": [
                    {
                        "start_time": "10:00:00",
                        "end_time": "11:30:00",
                        "title": "Opening",
                        "description": "Greetings",
                        "speakers": [dict(nobody, speaker=alma.gorokhova.pk)],
                    },
                    {
                        "start_time": "12:00:00",
                        "end_time": None,
                        "title": "Panels",
                        "description": "",
                        "speakers": [],
                    },
                ],
            },
        ),
        item("programme", {"title": "", "date": None, "slots": []}),
        item(
            "statistics",
            {"title": "", "items": [{"label": "participants", "value": 147, "qualifier": "about"}]},
        ),
        item("speaker_list", {"title": "Speakers", "speakers": [alma.mackenzie.pk, hidden.pk]}),
        item(
            "organization_list",
            {"title": "", "relation": "partners", "organizations": [alma.ifla.pk, alma.rla.pk]},
        ),
        item("testapp_poll", {"question": "Leader or NPC?", "options": ["Leader", "NPC"]}),
    ]


def translate_page(page, locale, **changes):
    """Publish a translation of ``page`` (and of its ancestors, as drafts where missing) in
    ``locale``, with ``changes`` applied; like wagtail-localize, it keeps StreamField ids."""
    translation = page.copy_for_translation(locale, copy_parents=True)
    for name, value in changes.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    translation.refresh_from_db()
    for ancestor in translation.get_ancestors().filter(depth__gt=1).specific():
        if not ancestor.live:
            ancestor.save_revision().publish()
    return translation.specific
