"""JSON Schema for what alma-cms blocks and StreamFields return to the API.

Every block's ``get_api_representation`` output is described by a *schema function*, looked up
in a registry keyed by block class. The generic Wagtail blocks (``StructBlock``, ``ListBlock``,
``StreamBlock``, the field blocks) are described by recursion over their children, so a block a
site adds through the ``alma_cms_register_blocks`` hook is covered as long as it is built from
known blocks. A block that changes its API output (it overrides ``get_api_representation``
below the class whose schema function would apply) needs a schema of its own, either:

- a ``get_api_schema()`` method on the block (``get_api_schema(self)`` returning a JSON Schema
  dict, or ``get_api_schema(self, generator)`` to reuse :class:`SchemaGenerator` helpers for its
  children and the shared components), or
- ``register_block_schema(BlockClass)`` on a function ``fn(block, generator) -> dict``, for
  blocks you don't own.

Anything else is *untyped*: its value is described as ``{}`` with ``x-alma-untyped: true`` and
it is listed by :func:`find_untyped_blocks`, which the test suite asserts is empty.

Shapes shared by many blocks (an image, a speaker, an organization, a page link, ...) are the
kinds of reference of :mod:`alma_cms.representations`, each declaring its JSON Schema and the
name of its component: :class:`SchemaGenerator` collects them in ``definitions``
(``generator.reference(kind)``) and refers to them with ``$ref`` built from ``ref_template``
(``#/components/schemas/{name}`` in OpenAPI, ``#/$defs/{name}`` in the stand-alone schemas of
:func:`block_json_schema` and :func:`stream_field_json_schema`).

This module needs no particular Wagtail API version; ``alma_cms.api.v3`` publishes these
schemas in Wagtail 8's OpenAPI document.
"""

import inspect
import re
from contextlib import nullcontext

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import translation
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageBlock as WagtailImageBlock

from ..blocks import choosers as alma_choosers
from ..blocks import content as alma_content
from ..blocks import guidelines as alma_guidelines
from ..blocks import people as alma_people
from ..page_types import alma_page_models
from ..representations import get_kind, kind_for_component
from ..representations.json_schema import HTML, INTEGER_ID, NULL, UUID, nullable, object_schema

__all__ = [
    "SchemaGenerator",
    "alma_models",
    "alma_stream_fields",
    "block_json_schema",
    "find_untyped_blocks",
    "register_block_schema",
    "stream_field_json_schema",
]

UNTYPED_KEY = "x-alma-untyped"
# Blocks give a local time of day without a UTC offset ("14:30:00"), as pydantic and DRF write
# Python ``time`` values: RFC 3339's ``partial-time``. JSON Schema's ``format: time`` is RFC
# 3339's ``full-time``, which requires the offset, so standard validators would reject these
# values; the schema says ``format: partial-time`` (an annotation validators ignore) and
# constrains the value with a pattern.
TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?$"
ROMAN_PATTERN = r"^[IVXLCDM]+$"
GUIDELINE_NUMBER_PATTERN = r"^[IVXLCDM]+\.[1-9][0-9]*$"

# --- the registry ----------------------------------------------------------------------------

_registry = {}


def register_block_schema(block_class, fn=None):
    """Register ``fn(block, generator) -> dict`` as the schema of ``block_class`` and its
    subclasses (unless they change their API output). Usable as a decorator."""

    def decorator(fn):
        _registry[block_class] = fn
        return fn

    return decorator(fn) if fn is not None else decorator


def _defining_class(mro, attribute):
    for cls in mro:
        if attribute in cls.__dict__:
            return cls
    return None


def schema_function(block):
    """The schema function for ``block``, or ``None`` when its API output is unknown.

    A ``get_api_schema`` method or a registry entry applies only if no class between the
    block's own class and it overrides ``get_api_representation``: a subclass that changes
    the output needs a schema of its own.
    """
    mro = type(block).__mro__
    api_class = _defining_class(mro, "get_api_representation")
    schema_class = _defining_class(mro, "get_api_schema")
    if schema_class is not None and (
        api_class is None or mro.index(schema_class) <= mro.index(api_class)
    ):
        method = block.get_api_schema
        if _accepts_generator(method):
            return lambda block, generator: block.get_api_schema(generator)
        return lambda block, generator: block.get_api_schema()
    for cls in mro:
        if cls in _registry:
            if api_class is not None and mro.index(api_class) < mro.index(cls):
                return None
            return _registry[cls]
    return None


def _accepts_generator(method):
    try:
        parameters = inspect.signature(method).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(
        p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL) for p in parameters
    )


# --- the generator ---------------------------------------------------------------------------


def camel(name):
    """``call_to_action`` → ``CallToAction``."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^0-9A-Za-z]+", name))


class SchemaGenerator:
    """Builds the JSON Schema of blocks, collecting named components in ``definitions``.

    ``reserved`` names (e.g. the components an OpenAPI document already has) are never
    reused for a different schema; a name is reused only for an identical schema, otherwise a
    number is appended (``LinkBlock2``). ``untyped`` lists ``(path, block)`` for every block
    without a schema.
    """

    def __init__(self, ref_template="#/components/schemas/{name}", reserved=()):
        self.ref_template = ref_template
        self.reserved = set(reserved)
        self.definitions = {}
        self.untyped = []
        self._components = {}
        self._path = []

    # components

    def ref(self, name):
        return {"$ref": self.ref_template.format(name=name)}

    def define(self, name, schema):
        """Name ``schema`` as a component and return a ``$ref`` to it."""
        candidate, number = name, 2
        while candidate in self.definitions or candidate in self.reserved:
            if self.definitions.get(candidate) == schema:
                return self.ref(candidate)
            candidate, number = f"{name}{number}", number + 1
        self.definitions[candidate] = schema
        return self.ref(candidate)

    def component(self, name, build):
        """A ``$ref`` to the component ``name``, built with ``build(generator)`` the first time.

        For the fixed shapes of the kinds of reference (an image, a speaker, ...) and the
        endpoints' schemas, whose names are part of the published schema."""
        if name not in self._components:
            self._components[name] = self.define(name, build(self))
        return self._components[name]

    def reference(self, kind):
        """The schema of a (non-null) representation of ``kind`` (a kind of reference or its
        name): a ``$ref`` to its component, or its schema inline when it names none."""
        kind = get_kind(kind)
        if kind.component is None:
            return kind.json_schema(self)
        return self.component(kind.component, kind.json_schema)

    def shared(self, name):
        """A ``$ref`` to the component ``name`` of a kind of reference (``"AlmaSpeaker"``)."""
        return self.reference(kind_for_component(name))

    # blocks

    def block(self, block, name=None):
        """The JSON Schema of ``block``'s API representation."""
        label = name or getattr(block, "name", "") or type(block).__name__
        self._path.append(label)
        try:
            fn = schema_function(block)
            if fn is None:
                self.untyped.append((" → ".join(self._path), block))
                return {
                    UNTYPED_KEY: True,
                    "description": f"No API schema is known for {_qualname(type(block))}.",
                }
            schema = fn(block, self)
            if _is_named_class(type(block)) and schema.get("type") == "object":
                schema = self.define(type(block).__name__, schema)
            return schema
        finally:
            self._path.pop()

    def struct(self, block, overrides=None, extra=None):
        """An object with one property per child block (all always present)."""
        overrides = overrides or {}
        properties = {}
        for child_name, child in block.child_blocks.items():
            if child_name in overrides:
                properties[child_name] = overrides[child_name]
            else:
                properties[child_name] = _described(self.block(child, child_name), child)
        properties.update(extra or {})
        return {
            "type": "object",
            "properties": properties,
            "required": list(properties),
            "additionalProperties": False,
        }

    def stream(self, stream_block):
        """An array of ``{type, id, value}`` items, one item schema per child block,
        discriminated by ``type``."""
        items = {}
        for child_name, child in stream_block.child_blocks.items():
            value = _described(self.block(child, child_name), child)
            items[child_name] = self.stream_item(child_name, value)
        return self.stream_of(items)

    def stream_item(self, type_name, value):
        """A ``$ref`` to the item schema ``{type: <type_name>, id: <uuid>, value: <value>}``."""
        return self.define(
            f"{camel(type_name)}Item",
            {
                "type": "object",
                "properties": {
                    "type": {"type": "string", "const": type_name},
                    "id": UUID,
                    "value": value,
                },
                "required": ["type", "id", "value"],
                "additionalProperties": False,
            },
        )

    @staticmethod
    def stream_of(items):
        """An array of the item ``$ref``s in ``items`` (``{type name: $ref}``)."""
        if not items:
            return {"type": "array", "maxItems": 0}
        return {
            "type": "array",
            "items": {
                "oneOf": list(items.values()),
                "discriminator": {
                    "propertyName": "type",
                    "mapping": {name: ref["$ref"] for name, ref in items.items()},
                },
            },
        }

    def stream_field(self, model, field):
        """A ``$ref`` to the schema of a StreamField of ``model``, named after both."""
        with _default_language():
            schema = self.block(field.stream_block, f"{model.__name__}.{field.name}")
        return self.define(f"{model.__name__}{camel(field.name)}", schema)


def _qualname(cls):
    return f"{cls.__module__}.{cls.__qualname__}"


def _is_named_class(cls):
    """Block classes written for a purpose get a component of their own; Wagtail's generic
    ones (a plain ``StructBlock([...])``) are described inline."""
    return not cls.__module__.startswith("wagtail.")


def _described(schema, block):
    """``schema`` with the block's help text as its description (``$ref``s stay bare)."""
    help_text = getattr(block.meta, "help_text", None) or getattr(
        getattr(block, "field", None), "help_text", None
    )
    if help_text and "$ref" not in schema and "description" not in schema:
        return {**schema, "description": str(help_text)}
    return schema


def _default_language():
    """Labels and help texts in the site's default language, whatever the request's."""
    code = getattr(settings, "LANGUAGE_CODE", None)
    return translation.override(code) if code else nullcontext()


# --- schema functions: Wagtail's blocks --------------------------------------------------------


def _field(block):
    return getattr(block, "field", None)


def _optional(block, schema):
    """Optional field blocks give null (or an empty value) when left empty."""
    return schema if getattr(block, "required", True) else nullable(schema)


def _string_schema(block, generator):
    schema = {"type": "string"}
    max_length = getattr(_field(block), "max_length", None)
    if max_length:
        schema["maxLength"] = max_length
    return _optional(block, schema)


for _cls in (blocks.CharBlock, blocks.TextBlock, blocks.RegexBlock, blocks.RawHTMLBlock):
    register_block_schema(_cls, _string_schema)


@register_block_schema(blocks.EmailBlock)
def _email_schema(block, generator):
    if block.required:
        return {"type": "string", "format": "email"}
    return nullable({"type": "string", "anyOf": [{"format": "email"}, {"maxLength": 0}]})


@register_block_schema(blocks.URLBlock)
def _url_schema(block, generator):
    if block.required:
        return {"type": "string", "format": "uri"}
    return nullable({"type": "string", "anyOf": [{"format": "uri"}, {"maxLength": 0}]})


def _bounded(schema, block):
    field = _field(block)
    for attribute, keyword in (("min_value", "minimum"), ("max_value", "maximum")):
        value = getattr(field, attribute, None)
        if value is not None:
            schema[keyword] = value
    return schema


@register_block_schema(blocks.IntegerBlock)
def _integer_schema(block, generator):
    return _optional(block, _bounded({"type": "integer"}, block))


@register_block_schema(blocks.FloatBlock)
def _float_schema(block, generator):
    return _optional(block, _bounded({"type": "number"}, block))


@register_block_schema(blocks.DecimalBlock)
def _decimal_schema(block, generator):
    # Decimals are written as strings (pydantic and DRF both keep their precision that way).
    return _optional(block, {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"})


@register_block_schema(blocks.BooleanBlock)
def _boolean_schema(block, generator):
    return {"type": "boolean"} if block.required else nullable({"type": "boolean"})


@register_block_schema(blocks.DateBlock)
def _date_schema(block, generator):
    return _optional(block, {"type": "string", "format": "date"})


@register_block_schema(blocks.TimeBlock)
def _time_schema(block, generator):
    return _optional(
        block,
        {
            "type": "string",
            "format": "partial-time",
            "pattern": TIME_PATTERN,
            "description": "Local time of day, HH:MM[:SS], without a UTC offset.",
        },
    )


@register_block_schema(blocks.DateTimeBlock)
def _datetime_schema(block, generator):
    return _optional(block, {"type": "string", "format": "date-time"})


def _choice_values(block):
    values = []
    for value, label in block.field.choices:
        if isinstance(label, (list, tuple)):  # an option group
            values.extend(str(v) for v, _label in label)
        else:
            values.append(str(value))
    return [v for v in values if v != ""]


@register_block_schema(blocks.ChoiceBlock)
def _choice_schema(block, generator):
    values = _choice_values(block)
    if block.required:
        return {"type": "string", "enum": values}
    return nullable({"type": "string", "enum": [*values, ""]})


@register_block_schema(blocks.MultipleChoiceBlock)
def _multiple_choice_schema(block, generator):
    return {"type": "array", "items": {"type": "string", "enum": _choice_values(block)}}


@register_block_schema(blocks.RichTextBlock)
def _rich_text_schema(block, generator):
    return {
        "type": "string",
        "description": "Rich text in the format chosen by ?rich_text_format (default: the "
        "WAGTAILAPI_RICH_TEXT_FORMAT setting).",
    }


@register_block_schema(blocks.StaticBlock)
def _static_schema(block, generator):
    return NULL


@register_block_schema(blocks.ChooserBlock)
def _chooser_schema(block, generator):
    """Wagtail's choosers give the chosen object's primary key."""
    pk = block.target_model._meta.pk
    is_integer = isinstance(pk, (models.AutoField, models.IntegerField)) or isinstance(
        getattr(pk, "target_field", None), (models.AutoField, models.IntegerField)
    )
    return nullable({"type": "integer"} if is_integer else {"type": "string"})


@register_block_schema(blocks.StructBlock)
def _struct_schema(block, generator):
    return generator.struct(block)


@register_block_schema(blocks.ListBlock)
def _list_schema(block, generator):
    return {"type": "array", "items": generator.block(block.child_block, "item")}


@register_block_schema(blocks.StreamBlock)
def _stream_schema(block, generator):
    return generator.stream(block)


# get_prep_value: the URL, or "" when empty.
register_block_schema(EmbedBlock, lambda block, generator: {"type": "string"})
# get_api_representation turns the image into a struct of its child blocks.
register_block_schema(WagtailImageBlock, _struct_schema)

# --- schema functions: alma-cms blocks -------------------------------------------------------


def _represented_as(kind_name):
    """The schema of a block whose API output is the representation of ``kind_name``."""

    def schema(block, generator):
        kind = get_kind(kind_name)
        value = generator.reference(kind)
        return nullable(value) if kind.nullable else value

    return schema


register_block_schema(alma_choosers.AlmaRichTextBlock, _represented_as("rich_text"))
register_block_schema(alma_choosers.AlmaImageChooserBlock, _represented_as("image"))
register_block_schema(alma_choosers.AlmaDocumentChooserBlock, _represented_as("document"))
register_block_schema(alma_choosers.LinkedPageChooserBlock, _represented_as("page_link"))
register_block_schema(alma_choosers.SpeakerChooserBlock, _represented_as("speaker"))
register_block_schema(alma_choosers.QuotationChooserBlock, _represented_as("quotation"))
register_block_schema(alma_choosers.OrganizationChooserBlock, _represented_as("organization"))

# ImageBlock only replaces the image's alt text: same shape as its children.
register_block_schema(alma_content.ImageBlock, _struct_schema)


@register_block_schema(alma_content.VideoEmbedBlock)
def _video_schema(block, generator):
    return generator.struct(
        block,
        extra={
            "provider": {
                "type": "string",
                "enum": [*block.provider_names(), ""],
                "description": "The video host, when the URL is one the site can embed.",
            },
            "embed_url": {
                "type": "string",
                "description": "Player URL for an iframe; empty for an unknown host.",
            },
        },
    )


@register_block_schema(alma_people.SpeakerListBlock)
def _speaker_list_schema(block, generator):
    # Unpublished or private speakers are dropped, never null.
    return generator.struct(
        block, overrides={"speakers": {"type": "array", "items": generator.reference("speaker")}}
    )


def numbered_guideline_schema(generator):
    return object_schema(
        {
            "id": dict(UUID, description="Stable across edits and translations."),
            "number": {"type": "string", "pattern": GUIDELINE_NUMBER_PATTERN, "examples": ["II.3"]},
            "position": {"type": "integer", "minimum": 1},
            "heading": {
                "type": "string",
                "description": 'The title, or "<actor> acting as <role>" in the language of '
                "the response.",
            },
            "title": {"type": "string"},
            "actor": nullable(generator.reference("organization")),
            "role": {"type": "string"},
            "text": HTML,
        },
        "A guideline with its computed number.",
    )


def numbered_direction_schema(generator):
    return object_schema(
        {
            "number": {"type": "string", "pattern": ROMAN_PATTERN, "examples": ["II"]},
            "position": {"type": "integer", "minimum": 1},
            "title": {"type": "string"},
            "summary": HTML,
            "guidelines": {
                "type": "array",
                "items": generator.component("AlmaNumberedGuideline", numbered_guideline_schema),
            },
        },
        "A direction with its computed Roman numeral and numbered guidelines.",
    )


@register_block_schema(alma_guidelines.DirectionsStreamBlock)
def _directions_schema(block, generator):
    value = generator.component("AlmaNumberedDirection", numbered_direction_schema)
    return generator.stream_of({"direction": generator.stream_item("direction", value)})


# --- which fields are alma-cms's ---------------------------------------------------------------


def alma_models():
    """Every alma-cms page type (``alma_page_models()``), every installed model built on the
    speaker position mixin, and Organization, in the order of ``apps.get_models()``."""
    # Imported here: a site may import this module (register_block_schema) from its own
    # models module, while the apps load, before alma-cms's models may be imported.
    from ..models import Organization
    from ..pages.mixins import SpeakerPositionMixin

    pages = set(alma_page_models())
    return [
        model
        for model in apps.get_models()
        if model in pages or issubclass(model, SpeakerPositionMixin) or model is Organization
    ]


def alma_stream_fields():
    """``(model, field)`` for every StreamField of every alma-cms model (with the blocks hooks
    add)."""
    return [
        (model, field)
        for model in alma_models()
        for field in model._meta.get_fields()
        if isinstance(field, StreamField)
    ]


def find_untyped_blocks(fields=None):
    """``"Model.field → child → ..."`` paths (with the block class) of every block, in
    ``fields`` (default: :func:`alma_stream_fields`), that has no API schema."""
    generator = SchemaGenerator()
    for model, field in fields if fields is not None else alma_stream_fields():
        generator.stream_field(model, field)
    return [f"{path} ({_qualname(type(block))})" for path, block in generator.untyped]


def block_json_schema(block):
    """A stand-alone JSON Schema (2020-12) for ``block``'s API representation."""
    generator = SchemaGenerator(ref_template="#/$defs/{name}")
    with _default_language():
        schema = generator.block(block)
    return _standalone(schema, generator)


def stream_field_json_schema(model, field_name):
    """A stand-alone JSON Schema (2020-12) for the API value of ``model.<field_name>``."""
    generator = SchemaGenerator(ref_template="#/$defs/{name}")
    schema = generator.stream_field(model, model._meta.get_field(field_name))
    return _standalone(schema, generator)


def _standalone(schema, generator):
    result = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
    if generator.definitions:
        result["$defs"] = generator.definitions
    return result


# --- endpoint schemas --------------------------------------------------------------------------


def guideline_citation_schema(generator):
    """What ``alma_cms.api.guidelines.cite`` returns (API v2 and v3)."""
    url = nullable({"type": "string", "format": "uri"})
    return object_schema(
        {
            "document": object_schema(
                {"id": INTEGER_ID, "title": {"type": "string"}, "url": url},
                "The guideline document, in the locale of the response.",
            ),
            "direction": object_schema(
                {
                    "id": UUID,
                    "number": {"type": "string", "pattern": ROMAN_PATTERN, "examples": ["II"]},
                    "title": {"type": "string"},
                }
            ),
            "guideline": object_schema(
                {
                    "id": dict(UUID, description="Stable across edits and translations."),
                    "number": {
                        "type": "string",
                        "pattern": GUIDELINE_NUMBER_PATTERN,
                        "examples": ["II.3"],
                    },
                    "heading": {
                        "type": "string",
                        "description": 'The title, or "<actor> acting as <role>".',
                    },
                    "title": {"type": "string"},
                    "role": {"type": "string"},
                    "actor": nullable(generator.reference("organization")),
                    "text": HTML,
                    "url": dict(url, description="The guideline's anchor on the document page."),
                }
            ),
            "locale": {"type": "string", "examples": ["en", "ru"]},
            "citation": {"type": "string", "examples": ["ALMA 2019 Final Document, II.3"]},
        },
        "One guideline of a guideline document, with what is needed to cite it.",
    )


def problem_schema(generator):
    """An RFC 7807 problem, as Wagtail's API v3 reports errors."""
    return {
        "type": "object",
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
        },
        "required": ["type", "title", "status"],
    }
