"""API v3's published OpenAPI document: alma-cms content is typed, and true to the responses."""

import copy
import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from wagtail import blocks, hooks

from alma_cms.page_types import alma_page_models
from tests.api.helpers import (
    errors_of,
    every_block_body,
    openapi_document,
    response_validator,
    skip_without_api_v3,
)

skip_without_api_v3()
pytest.importorskip("jsonschema")
pytestmark = pytest.mark.usefixtures("v3_urls")

DETAIL = "/api/v3/pages/{page_id}/"
GUIDELINE = "/api/v3/alma/guidelines/{document_id}/{reference}"


@pytest.fixture(scope="module")
def document(v3_document):
    return v3_document


def test_the_published_document_is_this_one(client, db, document):
    assert openapi_document(client) == document


def component(document, ref_or_name):
    name = (
        ref_or_name.get("$ref", "").rsplit("/", 1)[-1]
        if isinstance(ref_or_name, dict)
        else ref_or_name
    )
    return document["components"]["schemas"][name]


def untyped_spots(schema, where=""):
    """Places where the schema accepts anything: ``{}``, or arrays of anything."""
    spots = []
    if schema == {}:
        spots.append(where)
    if isinstance(schema, dict):
        for key, value in schema.items():
            if isinstance(value, dict):
                spots.extend(untyped_spots(value, f"{where}/{key}"))
            elif isinstance(value, list):
                for index, entry in enumerate(value):
                    spots.extend(untyped_spots(entry, f"{where}/{key}/{index}"))
    return spots


def test_the_document_is_valid_openapi(document):
    validators = pytest.importorskip("openapi_spec_validator")
    assert document["openapi"].startswith("3.1")
    errors = [
        (list(error.absolute_path), error.message)
        for error in validators.OpenAPIV31SpecValidator(document).iter_errors()
    ]
    assert errors == []


def test_anonymous_access_is_an_empty_security_requirement(document):
    """Wagtail 8.0's "AllowAnonymous" http scheme (no ``scheme``: invalid OpenAPI) becomes the
    empty requirement OpenAPI uses for "no credentials needed"."""
    assert "AllowAnonymous" not in document["components"].get("securitySchemes", {})
    paths = document["paths"]
    for path in (
        "/api/v3/pages/",
        "/api/v3/pages/{page_id}/",
        "/api/v3/pages/find/",
        "/api/v3/alma/guidelines/{document_id}/{reference}",
    ):
        assert {} in paths[path]["get"]["security"], path
    # Token-only operations keep their scheme alone.
    assert {} not in paths["/api/v3/pages/"]["post"]["security"]
    assert "AllowAnonymous" not in json.dumps(paths)


def test_alma_page_schemas_accept_nothing_untyped(document):
    for model in alma_page_models():
        name = model.__name__
        schema = component(document, f"{name}Schema")
        assert schema["properties"]["meta"], name
        spots = [spot for spot in untyped_spots(schema) if not spot.startswith("/properties/meta")]
        assert spots == [], name
    for name in ("SpeakerPositionSchema", "OrganizationSchema"):
        assert untyped_spots(component(document, name)) == [], name


def test_our_components_accept_nothing_untyped(document):
    schemas = document["components"]["schemas"]
    ours = [name for name in schemas if name.startswith("Alma") or name.endswith(("Item", "Block"))]
    assert len(ours) > 30
    for name in ours:
        assert untyped_spots(schemas[name]) == [], name
        assert "x-alma-untyped" not in json.dumps(schemas[name]), name


def test_stream_fields_are_arrays_of_items_discriminated_by_type(document):
    edition = component(document, "ForumEditionPageSchema")
    body = component(document, edition["properties"]["body"])
    items = body["items"]
    assert items["discriminator"]["propertyName"] == "type"
    mapping = items["discriminator"]["mapping"]
    assert {"paragraph", "heading", "discussion_panel", "programme", "testapp_poll"} <= set(mapping)
    assert [ref["$ref"] for ref in items["oneOf"]] == list(mapping.values())
    for block_type, ref in mapping.items():
        item = component(document, {"$ref": ref})
        assert item["properties"]["type"] == {"type": "string", "const": block_type}
        assert item["properties"]["id"] == {"type": "string", "format": "uuid"}
        assert item["required"] == ["type", "id", "value"]
    paragraph = component(document, {"$ref": mapping["paragraph"]})["properties"]["value"]
    assert paragraph["type"] == "string"
    assert "body" in edition["required"]
    for model, field in [
        ("AwardPage", "body"),
        ("AwardPage", "partners"),
        ("AwardAnnouncementPage", "winners"),
        ("AwardAnnouncementPage", "body"),
        ("GuidelineDocumentPage", "links"),
    ]:
        stream = component(document, component(document, f"{model}Schema")["properties"][field])
        assert stream["items"]["discriminator"]["mapping"], (model, field)


def test_directions_are_typed_with_their_numbers(document):
    schema = component(document, "GuidelineDocumentPageSchema")
    directions = component(document, schema["properties"]["directions"])
    item = component(document, directions["items"]["oneOf"][0])
    assert item["properties"]["type"]["const"] == "direction"
    direction = component(document, item["properties"]["value"])
    assert {"number", "position", "title", "summary", "guidelines"} == set(direction["required"])
    guideline = component(document, direction["properties"]["guidelines"]["items"])
    assert guideline["properties"]["number"]["pattern"] == r"^[IVXLCDM]+\.[1-9][0-9]*$"
    assert guideline["properties"]["actor"]["anyOf"][0] == {
        "$ref": "#/components/schemas/AlmaOrganization"
    }


def test_references_properties_and_choices_are_typed(document):
    edition = component(document, "ForumEditionPageSchema")["properties"]
    assert edition["host"]["anyOf"] == [
        {"$ref": "#/components/schemas/AlmaOrganization"},
        {"type": "null"},
    ]
    assert edition["moderator"]["anyOf"][0] == {"$ref": "#/components/schemas/AlmaSpeaker"}
    assert edition["display_series_title"]["type"] == "string"
    assert edition["format"]["enum"] == ["in_person", "online", "hybrid"]
    assert edition["outcome"]["contentMediaType"] == "text/html"
    speaker = component(document, "SpeakerPageSchema")["properties"]
    assert speaker["photo"]["anyOf"][0] == {"$ref": "#/components/schemas/AlmaImage"}
    assert speaker["full_name"] == {"type": "string", "title": "Full Name"}
    position = component(document, "SpeakerPositionSchema")["properties"]
    assert position["is_current"]["type"] == "boolean"
    assert position["date_precision"]["enum"] == ["day", "month", "year"]
    document_page = component(document, "GuidelineDocumentPageSchema")["properties"]
    assert document_page["status"]["enum"] == ["draft", "approved", "finalized"]
    assert document_page["adopted_at"]["anyOf"][0] == {"$ref": "#/components/schemas/AlmaPageLink"}
    quotation = component(document, "QuotationPageSchema")["properties"]
    assert quotation["said_on"]["anyOf"][0] == {"format": "date", "type": "string"}
    image = component(document, "AlmaImage")
    assert image["required"] == ["id", "title", "alt", "width", "height", "url"]
    speaker_ref = component(document, "AlmaSpeaker")
    assert speaker_ref["required"] == ["id", "name", "url", "photo"]


def test_the_guideline_operation_is_documented(document):
    operation = document["paths"][GUIDELINE]["get"]
    assert operation["operationId"] == "alma_guideline_detail"
    ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
    citation = component(document, ok)
    assert set(citation["required"]) == {"document", "direction", "guideline", "locale", "citation"}
    guideline = citation["properties"]["guideline"]
    assert set(guideline["required"]) >= {
        "id",
        "number",
        "heading",
        "title",
        "role",
        "actor",
        "text",
    }
    problem = operation["responses"]["404"]["content"]["application/problem+json"]["schema"]
    assert component(document, problem)["required"] == ["type", "title", "status"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert parameters["reference"]["schema"]["pattern"].startswith("^(")
    assert parameters["locale"]["in"] == "query"


# --- the document is true to the responses -----------------------------------------------------


def test_a_page_with_every_block_validates_against_the_document(alma, client):
    edition = alma.edition_2021
    edition.body = every_block_body(alma)
    edition.save_revision().publish()
    document = openapi_document(client)
    response = client.get(f"/api/v3/pages/{edition.pk}/")
    assert response.status_code == 200, response.content[:500]
    data = response.json()
    validator = response_validator(document, DETAIL)
    assert errors_of(validator, data) == []
    assert len(data["body"]) == len(edition.body)
    # Each wrong shape is caught: the validation is not vacuous.
    for mutate in [
        lambda d: d["body"][1]["value"].update(level="h1"),
        lambda d: d["body"][3]["value"]["image"].update(width="64"),
        lambda d: d["body"][14]["value"]["slots"][0].update(start_time="10 am"),
        lambda d: d.update(host={"id": 1}),
        lambda d: d["body"].append({"type": "unknown", "id": d["body"][0]["id"], "value": 1}),
    ]:
        broken = copy.deepcopy(data)
        mutate(broken)
        assert errors_of(validator, broken), mutate


def test_directions_of_a_document_validate(alma, client):
    document = openapi_document(client)
    response = client.get(f"/api/v3/pages/{alma.final_document.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert errors_of(response_validator(document, DETAIL), data) == []
    assert [d["value"]["number"] for d in data["directions"]] == ["I", "II", "III", "IV", "V", "VI"]
    assert data["directions"][1]["value"]["guidelines"][2]["number"] == "II.3"


def test_blocks_hooks_add_later_are_in_the_document(client, db, fresh_stream_blocks):
    faq = blocks.StructBlock([("question", blocks.CharBlock()), ("answer", blocks.TextBlock())])

    def register(stream_key):
        return [("faq", faq)] if stream_key == "award_body" else []

    with hooks.register_temporarily("alma_cms_register_blocks", register):
        for field in fresh_stream_blocks:
            field.__dict__.pop("_extended_stream_block", None)
        document = openapi_document(client)
    award = component(document, "AwardPageSchema")["properties"]["body"]
    mapping = component(document, award)["items"]["discriminator"]["mapping"]
    faq_item = component(document, {"$ref": mapping["faq"]})
    assert faq_item["properties"]["value"]["properties"]["question"] == {"type": "string"}


# --- installation ------------------------------------------------------------------------------


def test_the_api_is_wagtails_own_with_alma_installed():
    from wagtail.api.v3.urls import api as wagtail_api

    from alma_cms.api.v3 import api, install

    assert api is wagtail_api
    assert install(api) is api  # idempotent
    prefixes = [prefix for prefix, _router in api._routers]
    assert prefixes.count("/alma/") == 1
    assert {"/pages/", "/alma/"} <= set(prefixes)


def test_alma_installs_on_a_site_s_own_ninja_api(client, settings):
    from ninja import NinjaAPI

    from alma_cms.api.v3 import install

    own = install(NinjaAPI(title="Own", urls_namespace="alma_test_own_api"))
    schema = own.get_openapi_schema(path_prefix="/own/")
    assert "/own/alma/guidelines/{document_id}/{reference}" in schema["paths"]
    assert "AlmaGuidelineCitation" in schema["components"]["schemas"]


def test_installing_after_the_urls_were_read_fails_clearly():
    from ninja import NinjaAPI

    from alma_cms.api.v3 import install

    late = NinjaAPI(title="Late", urls_namespace="alma_test_late_api")
    late.urls  # noqa: B018 - django-ninja freezes its routers here
    with pytest.raises(ImproperlyConfigured, match="before `api.urls` is read"):
        install(late)


def test_the_app_config_installs_alma_on_wagtails_api():
    import alma_cms.api.v3
    from alma_cms.api.v3.apps import AlmaCmsApiV3Config
    from alma_cms.api.v3.installation import INSTALLED_ATTRIBUTE

    config = AlmaCmsApiV3Config("alma_cms.api.v3", alma_cms.api.v3)
    config.ready()
    assert getattr(alma_cms.api.v3.api, INSTALLED_ATTRIBUTE)
    schema = alma_cms.api.v3.api.get_openapi_schema(path_prefix="/api/v3/")
    assert "AlmaGuidelineCitation" in schema["components"]["schemas"]
