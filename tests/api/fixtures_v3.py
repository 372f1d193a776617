"""Shared fixtures and helpers of the API v3 / OpenAPI / guideline tests.

Not a conftest: test modules import what they use (``from tests.api.fixtures_v3 import ...``);
fixtures are defined as ``fixture_<name>`` with ``name=<name>``, so importing them does not
shadow the test arguments that use them.
Modules that need Wagtail's API v3 call :func:`skip_without_api_v3` first, so on Wagtail 7 they
are skipped instead of failing to import ``alma_cms.api.v3``.
"""

import pytest
import wagtail
from django.db import transaction
from wagtail.models import Locale

from alma_cms.api.schemas import register_block_schema
from tests.testapp.blocks import PollBlock

V3_URLS = "tests.api.urls_v3"
HAS_API_V3 = wagtail.VERSION[0] >= 8


def skip_without_api_v3():
    if not HAS_API_V3:
        pytest.skip(
            f"API v3 needs Wagtail 8 (this is Wagtail {wagtail.__version__})",
            allow_module_level=True,
        )


# The test app stands for a site that adds a block through the alma_cms_register_blocks hook.
# Its PollBlock adds "option_count" to its API output, so alma-cms cannot infer its schema: the
# site registers one, as a site does for a block it cannot give a get_api_schema() method.
@register_block_schema(PollBlock)
def poll_block_schema(block, generator):
    schema = generator.struct(block, extra={"option_count": {"type": "integer", "minimum": 0}})
    return schema


# --- OpenAPI and response validation ------------------------------------------------------


@pytest.fixture(name="v3_urls")
def fixture_v3_urls(settings):
    """Serve :data:`V3_URLS`. Request it explicitly (``usefixtures``): explicit fixtures run
    after autouse ones, such as the v2 tests' URL setting in ``tests/api/conftest.py``."""
    settings.ROOT_URLCONF = V3_URLS


@pytest.fixture(scope="module", name="v3_document")
def fixture_v3_document():
    """The OpenAPI document /api/v3/openapi.json publishes, built once per module (Wagtail's
    part takes about a second). Tests that change hooks build their own with
    :func:`openapi_document`; test_openapi checks this one is the one served."""
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    from alma_cms.api.v3 import api

    schema = api.get_openapi_schema(path_prefix="/api/v3/")
    return json.loads(json.dumps(schema, cls=DjangoJSONEncoder))


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


# --- content ----------------------------------------------------------------------------------


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


@pytest.fixture(scope="module", name="ru_final_document")
def fixture_ru_final_document(alma_data, django_db_blocker):
    """The module's ALMA test site (``alma_data``) plus a published Russian translation of the
    final document whose guideline II.3 is translated. Returns the Russian document."""
    with django_db_blocker.unblock():
        locale = Locale.objects.get_or_create(language_code="ru")[0]
        source = alma_data.final_document.specific
        directions = source.directions.raw_data
        directions = [dict(item) for item in directions]
        second = directions[1]
        guidelines = [dict(g, value=dict(g["value"])) for g in second["value"]["guidelines"]]
        guidelines[2]["value"]["title"] = "Библиотеки и исследования: пункт c"
        directions[1] = dict(second, value=dict(second["value"], guidelines=guidelines))
        return translate_page(
            source, locale, title="Итоговый документ ALMA 2019", directions=directions
        )


@pytest.fixture(scope="module", name="v3_demo")
def fixture_v3_demo(django_db_setup, django_db_blocker, media_root):
    """The ALMA demo (``manage.py alma_load_demo``: both editions, the final document, both
    locales), loaded once for the module and rolled back after it."""
    from django.core.management import call_command
    from django.test import override_settings
    from wagtail.signal_handlers import disable_reference_index_auto_update

    # The search index and the reference index are not what these tests look at; skipping
    # their updates halves the load time.
    no_search_updates = override_settings(
        WAGTAILSEARCH_BACKENDS={
            "default": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False}
        }
    )
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with no_search_updates, disable_reference_index_auto_update():
                call_command("alma_load_demo", verbosity=0)
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


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
