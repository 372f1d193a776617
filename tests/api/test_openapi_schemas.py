"""The JSON Schema of alma-cms blocks (alma_cms.api.schemas): complete, exact, and true to
what ``get_api_representation`` returns."""

import json
import re

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from wagtail import blocks, hooks

from alma_cms.api.schemas import (
    UNTYPED_KEY,
    _registry,
    alma_stream_fields,
    block_json_schema,
    find_untyped_blocks,
    register_block_schema,
    stream_field_json_schema,
)
from alma_cms.blocks import (
    DiscussionPanelBlock,
    HeadingBlock,
    ImageBlock,
    ProgrammeBlock,
    SpeakerChooserBlock,
    StatisticsBlock,
)
from alma_cms.pages.models import (
    AwardAnnouncementPage,
    AwardPage,
    ForumEditionPage,
    GuidelineDocumentPage,
)
from tests.api.helpers import errors_of, every_block_body, schema_validator

pytest.importorskip("jsonschema")

HOOK = "alma_cms_register_blocks"


def defs(schema):
    return schema.get("$defs", {})


def resolve(schema, root):
    ref = schema.get("$ref")
    return defs(root)[ref.rsplit("/", 1)[1]] if ref else schema


# --- completeness -------------------------------------------------------------------------------


def test_every_block_reachable_from_every_alma_stream_field_has_a_schema():
    fields = {f"{model.__name__}.{field.name}" for model, field in alma_stream_fields()}
    assert {
        "ForumEditionPage.body",
        "GuidelineDocumentPage.directions",
        "GuidelineDocumentPage.links",
        "AwardPage.partners",
        "AwardPage.body",
        "AwardAnnouncementPage.winners",
        "AwardAnnouncementPage.body",
    } <= fields
    # Includes the blocks hooks add (the test app's poll, whose schema the test app registers).
    assert find_untyped_blocks() == []


class OpinionBlock(blocks.StructBlock):
    """A site block that changes its API output and says nothing about it."""

    text = blocks.CharBlock()

    def get_api_representation(self, value, context=None):
        return {"opinion": value["text"].upper()}


class DeclaredOpinionBlock(OpinionBlock):
    def get_api_schema(self):
        return {
            "type": "object",
            "properties": {"opinion": {"type": "string"}},
            "required": ["opinion"],
        }


class LouderOpinionBlock(DeclaredOpinionBlock):
    """Changes the output again: the inherited schema no longer applies."""

    def get_api_representation(self, value, context=None):
        return {"opinion": value["text"].upper() + "!", "volume": 11}


def hook_adding(*named_blocks):
    def register(stream_key):
        return list(named_blocks) if stream_key == "edition_body" else []

    return hooks.register_temporarily(HOOK, register)


def test_a_hooked_block_without_a_schema_is_reported(fresh_stream_blocks):
    with hook_adding(("opinion", OpinionBlock())):
        untyped = find_untyped_blocks()
    assert untyped == [f"ForumEditionPage.body → opinion ({__name__}.OpinionBlock)"]


def test_a_schema_inherited_past_a_changed_representation_does_not_count(fresh_stream_blocks):
    with hook_adding(("declared", DeclaredOpinionBlock()), ("louder", LouderOpinionBlock())):
        untyped = find_untyped_blocks()
    assert untyped == [f"ForumEditionPage.body → louder ({__name__}.LouderOpinionBlock)"]


def test_an_untyped_block_is_left_open_and_marked_in_the_schema(fresh_stream_blocks):
    with hook_adding(("opinion", OpinionBlock())):
        schema = stream_field_json_schema(ForumEditionPage, "body")
    item = defs(schema)["OpinionItem"]
    assert item["properties"]["value"][UNTYPED_KEY] is True


def test_a_block_declares_its_own_schema(fresh_stream_blocks):
    with hook_adding(("declared", DeclaredOpinionBlock())):
        schema = stream_field_json_schema(ForumEditionPage, "body")
        assert find_untyped_blocks() == []
    value = defs(schema)["DeclaredItem"]["properties"]["value"]
    assert resolve(value, schema)["properties"] == {"opinion": {"type": "string"}}


def test_get_api_schema_may_use_the_generator_for_shared_shapes(fresh_stream_blocks):
    class HostBlock(blocks.StructBlock):
        host = SpeakerChooserBlock()

        def get_api_representation(self, value, context=None):
            return {"hosts": [super().get_api_representation(value, context)["host"]]}

        def get_api_schema(self, generator):
            return {"type": "array", "items": generator.shared("AlmaSpeaker")}

    schema = block_json_schema(HostBlock())
    assert schema["items"] == {"$ref": "#/$defs/AlmaSpeaker"}
    assert set(defs(schema)["AlmaSpeaker"]["properties"]) == {"id", "name", "url", "photo"}


def test_a_site_registers_a_schema_for_a_block_it_does_not_own(fresh_stream_blocks):
    class VendorBlock(blocks.StructBlock):
        code = blocks.CharBlock()

        def get_api_representation(self, value, context=None):
            return value["code"]

    with hook_adding(("vendor", VendorBlock())):
        assert len(find_untyped_blocks()) == 1
        register_block_schema(VendorBlock, lambda block, generator: {"type": "string"})
        try:
            assert find_untyped_blocks() == []
            schema = stream_field_json_schema(ForumEditionPage, "body")
        finally:
            _registry.pop(VendorBlock)
    assert defs(schema)["VendorItem"]["properties"]["value"] == {"type": "string"}


def test_blocks_built_from_known_blocks_need_nothing(fresh_stream_blocks):
    faq = blocks.StructBlock(
        [
            ("question", blocks.CharBlock(max_length=200)),
            ("answers", blocks.ListBlock(blocks.RichTextBlock())),
            ("asked_on", blocks.DateBlock(required=False)),
        ]
    )
    with hook_adding(("faq", faq)):
        assert find_untyped_blocks() == []
        schema = stream_field_json_schema(ForumEditionPage, "body")
    value = defs(schema)["FaqItem"]["properties"]["value"]
    assert value["properties"]["question"] == {"type": "string", "maxLength": 200}
    assert value["properties"]["answers"] == {
        "type": "array",
        "items": {
            "type": "string",
            "description": value["properties"]["answers"]["items"]["description"],
        },
    }
    assert value["properties"]["asked_on"] == {
        "anyOf": [{"type": "string", "format": "date"}, {"type": "null"}]
    }


# --- exact shapes -------------------------------------------------------------------------------


def test_stream_items_are_discriminated_by_type():
    schema = stream_field_json_schema(ForumEditionPage, "body")
    body = resolve(schema, schema)
    assert body["type"] == "array"
    one_of = body["items"]["oneOf"]
    mapping = body["items"]["discriminator"]["mapping"]
    assert body["items"]["discriminator"]["propertyName"] == "type"
    names = set(ForumEditionPage._meta.get_field("body").stream_block.child_blocks)
    assert set(mapping) == names
    assert sorted(ref["$ref"] for ref in one_of) == sorted(mapping.values())
    heading = resolve(mapping_ref(mapping["heading"]), schema)
    assert heading["required"] == ["type", "id", "value"]
    assert heading["properties"]["type"] == {"type": "string", "const": "heading"}
    assert heading["properties"]["id"] == {"type": "string", "format": "uuid"}
    assert heading["additionalProperties"] is False


def mapping_ref(ref):
    return {"$ref": ref}


def test_references_have_the_shape_representations_give():
    schema = block_json_schema(DiscussionPanelBlock())
    d = defs(schema)
    assert d["AlmaSpeaker"]["required"] == ["id", "name", "url", "photo"]
    assert d["AlmaSpeaker"]["properties"]["photo"] == {
        "anyOf": [{"$ref": "#/$defs/AlmaImage"}, {"type": "null"}]
    }
    assert d["AlmaImage"]["required"] == ["id", "title", "alt", "width", "height", "url"]
    participant = d["ParticipantBlock"]["properties"]
    assert participant["speaker"] == {
        "anyOf": [{"$ref": "#/$defs/AlmaSpeaker"}, {"type": "null"}],
        "description": "The person's speaker page; or enter a name instead.",  # its help text
    }
    panel = d["DiscussionPanelBlock"]["properties"]
    assert panel["scope"] == {
        "anyOf": [
            {"type": "string", "enum": ["international", "national", "regional", "other", ""]},
            {"type": "null"},
        ],
        "description": 'Shown under the panel\'s title; "Other" shows nothing.',
    }
    assert panel["speakers"] == {"type": "array", "items": {"$ref": "#/$defs/ParticipantBlock"}}
    assert panel["summary"]["type"] == "string"
    assert panel["summary"]["contentMediaType"] == "text/html"


def test_field_blocks_have_their_types_and_formats():
    programme = defs(block_json_schema(ProgrammeBlock()))
    assert programme["ProgrammeBlock"]["properties"]["date"]["anyOf"][0] == {
        "type": "string",
        "format": "date",
    }
    start = programme["ProgrammeSlotBlock"]["properties"]["start_time"]
    # A local time of day: "10:00:00" is RFC 3339 partial-time, not JSON Schema's "time".
    assert start["type"] == "string" and start["format"] == "partial-time"
    assert re.match(start["pattern"], "10:00:00") and not re.match(start["pattern"], "25:00")
    heading = defs(block_json_schema(HeadingBlock()))["HeadingBlock"]["properties"]
    assert heading["level"] == {
        "type": "string",
        "enum": ["h2", "h3", "h4"],
        "description": "Heading 2 starts a section; 3 and 4 start its parts.",
    }
    assert heading["text"] == {"type": "string", "maxLength": 255}
    statistic = defs(block_json_schema(StatisticsBlock()))["StatisticBlock"]["properties"]
    assert statistic["value"] == {
        "type": "integer",
        "minimum": 0,
        "description": "A whole number, 0 or more.",
    }
    image = defs(block_json_schema(ImageBlock()))["ImageBlock"]["properties"]
    assert image["image"] == {"anyOf": [{"$ref": "#/$defs/AlmaImage"}, {"type": "null"}]}


def test_directions_carry_their_computed_numbers():
    schema = stream_field_json_schema(GuidelineDocumentPage, "directions")
    d = defs(schema)
    item = d["DirectionItem"]["properties"]
    assert item["type"] == {"type": "string", "const": "direction"}
    direction = d["AlmaNumberedDirection"]
    assert direction["required"] == ["number", "position", "title", "summary", "guidelines"]
    assert direction["properties"]["number"]["pattern"] == "^[IVXLCDM]+$"
    guideline = d["AlmaNumberedGuideline"]
    assert guideline["required"] == [
        "id",
        "number",
        "position",
        "heading",
        "title",
        "actor",
        "role",
        "text",
    ]
    assert guideline["properties"]["number"]["pattern"] == r"^[IVXLCDM]+\.[1-9][0-9]*$"


# --- true to the representations ----------------------------------------------------------------


def as_json(data):
    """The representation as the API writes it (dates and times become strings)."""
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def validate_stream(model, field_name, raw, context=None):
    field = model._meta.get_field(field_name)
    value = field.stream_block.to_python(raw)
    data = as_json(field.stream_block.get_api_representation(value, context or {}))
    validator = schema_validator(stream_field_json_schema(model, field_name))
    return data, errors_of(validator, data)


def test_every_edition_body_block_validates_against_its_schema(alma):
    raw = every_block_body(alma)
    data, errors = validate_stream(ForumEditionPage, "body", raw)
    assert errors == []
    assert [item["type"] for item in data] == [item["type"] for item in raw]
    # The cases that make the schema nullable or short did occur.
    by_type = {}
    for entry in data:
        by_type.setdefault(entry["type"], []).append(entry["value"])
    assert by_type["image"][1]["image"] is None
    assert by_type["discussion_panel"][0]["speakers"][2]["speaker"] is None  # unpublished
    assert len(by_type["speaker_list"][0]["speakers"]) == 1  # unpublished one dropped
    assert by_type["programme"][0]["slots"][1]["end_time"] is None
    assert by_type["video"][0]["provider"] == "youtube"
    assert by_type["testapp_poll"][0]["option_count"] == 2


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(lambda data: data[1]["value"].update(level="h5"), id="choice"),
        pytest.param(lambda data: data[3]["value"]["image"].pop("alt"), id="image"),
        pytest.param(lambda data: data[7]["value"].update(speaker=7), id="speaker"),
        pytest.param(lambda data: data[0].update(id="id-1"), id="uuid"),
        pytest.param(lambda data: data[14]["value"].update(date="20 April"), id="date"),
        pytest.param(lambda data: data[14]["value"]["slots"][0].update(end_time="noon"), id="time"),
        pytest.param(lambda data: data[-1]["value"].pop("option_count"), id="hooked block"),
        pytest.param(lambda data: data.append({"type": "table", "id": data[0]["id"]}), id="type"),
    ],
)
def test_the_schema_rejects_other_shapes(alma, mutate):
    data, errors = validate_stream(ForumEditionPage, "body", every_block_body(alma))
    assert errors == []
    mutate(data)
    validator = schema_validator(stream_field_json_schema(ForumEditionPage, "body"))
    assert errors_of(validator, data)


def test_the_other_stream_fields_validate(alma):
    for page, field_name in [
        (alma.final_document, "directions"),
        (alma.final_document, "links"),
        (alma.award, "partners"),
        (alma.winners, "winners"),
    ]:
        field = type(page)._meta.get_field(field_name)
        data = as_json(field.stream_block.get_api_representation(getattr(page, field_name), {}))
        assert data, field_name
        validator = schema_validator(stream_field_json_schema(type(page), field_name))
        assert errors_of(validator, data) == [], field_name


def test_award_stream_fields_validate_with_every_block(alma):
    raw = [
        entry
        for entry in every_block_body(alma)
        if entry["type"]
        in {
            "paragraph",
            "heading",
            "image",
            "video",
            "quote",
            "link_list",
            "document",
            "call_to_action",
            "featured_quotation",
            "organization_list",
            "statistics",
        }
    ]
    for model in (AwardPage, AwardAnnouncementPage):
        allowed = set(model._meta.get_field("body").stream_block.child_blocks)
        data, errors = validate_stream(model, "body", [e for e in raw if e["type"] in allowed])
        assert errors == [] and data
