"""Typing alma-cms content in Wagtail's API v3 OpenAPI document.

Wagtail generates one read schema per model from its ``api_fields``: a StreamField becomes an
array of anything, a field with a custom (API v2) serializer becomes "anything or null", a
property becomes "anything". :func:`type_openapi_schema` rewrites, in the generated document,
the read schemas of every alma-cms model (pages, speaker positions, organizations):

- each StreamField refers to a component that lists its blocks, each item
  ``{type: <const>, id: <uuid>, value: <block schema>}`` in a ``oneOf`` discriminated by
  ``type`` (see :mod:`alma_cms.api.schemas`); directions carry their computed numbers;
- fields rendered by alma-cms's DRF fields (``alma_cms.api_fields``: image, organization,
  speaker, page link, rich text, country, any kind of reference) get the shape their kind of
  reference declares;
- properties get their type, fields with choices their ``enum``;
- and documents the ``/alma/`` operations.

It works on the generated document (not on Wagtail's pydantic classes), so it does not depend
on when Wagtail built its schemas, and runs when the document is requested, with the blocks
hooks add at that time.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from wagtail.api.v3.registry import registry
from wagtail.fields import StreamField

from ...api_fields import ReferenceAPIField
from ...page_types import alma_page_models
from ...translation.status import STATES
from ..guidelines import REFERENCE_PATTERN
from ..schemas import (
    SchemaGenerator,
    _default_language,
    alma_models,
    guideline_citation_schema,
    nullable,
    problem_schema,
)
from .routes import GUIDELINE_OPERATION_ID
from .search import document_search_type

COMPONENT_PREFIX = "#/components/schemas/"

# Properties (api_fields that are no model field) of the alma-cms mixins.
PROPERTY_SCHEMAS = {
    "full_name": {"type": "string"},
    "display_series_title": {"type": "string"},
    "organization_display": {"type": "string"},
    "label": {"type": "string"},
    "is_current": {"type": "boolean"},
}


def type_openapi_schema(document):
    """Type alma-cms content in the OpenAPI ``document`` (a dict, changed in place and
    returned)."""
    components = document.setdefault("components", {}).setdefault("schemas", {})
    generator = SchemaGenerator(ref_template=COMPONENT_PREFIX + "{name}", reserved=components)
    page_models = set(alma_page_models())
    with _default_language():
        for model in alma_models():
            for name in read_schema_names(model, components):
                _type_model_schema(components[name], model, generator)
                if model in page_models:
                    _document_translations(components[name], components)
        _document_alma_operations(document, generator)
    components.update(generator.definitions)
    anonymous_access_as_optional_security(document)
    document_search_type(document)
    return document


ANONYMOUS_SCHEME = "AllowAnonymous"


def anonymous_access_as_optional_security(document):
    """Wagtail 8.0 documents anonymous access as a security scheme ``AllowAnonymous`` of type
    ``http`` without the ``scheme`` OpenAPI requires, which makes the document invalid. OpenAPI's
    own way to say "no credentials needed" is an empty security requirement: each
    ``{"AllowAnonymous": []}`` becomes ``{}`` and the scheme goes. (Changed in place.)"""
    schemes = document.get("components", {}).get("securitySchemes", {})
    scheme = schemes.get(ANONYMOUS_SCHEME)
    if scheme is None or "scheme" in scheme:
        return document
    del schemes[ANONYMOUS_SCHEME]
    for path_item in document.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "security" not in operation:
                continue
            operation["security"] = [
                {} if ANONYMOUS_SCHEME in requirement else requirement
                for requirement in operation["security"]
            ]
    return document


def _resolve(schema, components):
    ref = (schema or {}).get("$ref", "")
    if ref.startswith(COMPONENT_PREFIX):
        return components.get(ref[len(COMPONENT_PREFIX) :], {})
    return schema or {}


def _meta_type(schema, components):
    meta = _resolve(schema.get("properties", {}).get("meta"), components)
    type_schema = meta.get("properties", {}).get("type", {})
    return type_schema.get("const") or (type_schema.get("enum") or [None])[0]


def read_schema_names(model, components):
    """Names of the components that are Wagtail's read schema of ``model`` (its detail schema,
    or the nested schema of a reverse relation): named after the model (or the registered read
    schema class), with ``meta.type`` the model's label."""
    names = {f"{model._meta.object_name}Schema"}
    registration = registry.get(model._meta.label)
    if registration is not None and registration.read_schema is not None:
        names.add(registration.read_schema.__name__)
    return [
        name
        for name, schema in components.items()
        if (name in names or schema.get("title") in names)
        and _meta_type(schema, components) == model._meta.label
    ]


PAGE_TRANSLATION = "AlmaPageTranslation"
PAGE_TRANSLATION_SCHEMA = {
    "type": "object",
    "title": "AlmaPageTranslation",
    "description": "Another translation of the page that the caller may see.",
    "properties": {
        "locale": {"type": "string", "description": "Language code, e.g. `ru`."},
        "id": {"type": "integer"},
        "title": {"type": "string"},
        "url": {"type": ["string", "null"], "description": "Its front-end URL."},
        "detail_url": {"type": "string", "description": "Its API v3 detail."},
        "live": {"type": "boolean"},
        "translation_status": {
            "oneOf": [{"$ref": COMPONENT_PREFIX + "AlmaTranslationStatus"}, {"type": "null"}],
            "description": "Where this translation stands against its source; null for the "
            'source itself (docs/translation.md, "Translation status").',
        },
    },
    "required": ["locale", "id", "title", "url", "detail_url", "live", "translation_status"],
    "additionalProperties": False,
}

TRANSLATION_STATUS = "AlmaTranslationStatus"
TRANSLATION_STATUS_SCHEMA = {
    "type": "object",
    "title": "AlmaTranslationStatus",
    "description": "Where a translation stands against its source "
    "(alma_cms.translation.status.TranslationStatus).",
    "properties": {
        "state": {
            "type": "string",
            "enum": list(STATES),
            "description": "The first that applies, in this order: not_translated, "
            "sync_stopped, out_of_date, needs_review, in_progress, in_sync.",
        },
        "strings_total": {
            "type": "integer",
            "minimum": 0,
            "description": "Translatable strings of the source.",
        },
        "strings_translated": {
            "type": "integer",
            "minimum": 0,
            "description": "Strings with a translation in this language.",
        },
        "strings_needing_review": {
            "type": "integer",
            "minimum": 0,
            "description": "Translations kept from a source string that changed since.",
        },
        "synced_at": {
            "type": ["string", "null"],
            "format": "date-time",
            "description": "When the translation was last updated from its source.",
        },
    },
    "required": [
        "state",
        "strings_total",
        "strings_translated",
        "strings_needing_review",
        "synced_at",
    ],
    "additionalProperties": False,
}


def _document_translations(schema, components):
    """``meta.translations`` (added to the detail of alma-cms pages by
    :func:`alma_cms.api.v3.pages.add_translations`) in the page type's meta schema."""
    meta_ref = schema.get("properties", {}).get("meta", {}).get("$ref", "")
    if not meta_ref.startswith(COMPONENT_PREFIX):
        return
    meta = components.get(meta_ref[len(COMPONENT_PREFIX) :])
    if meta is None or "parent" not in meta.get("properties", {}):
        return  # not a detail meta schema
    components.setdefault(PAGE_TRANSLATION, PAGE_TRANSLATION_SCHEMA)
    components.setdefault(TRANSLATION_STATUS, TRANSLATION_STATUS_SCHEMA)
    meta["properties"]["translations"] = {
        "type": "array",
        "items": {"$ref": COMPONENT_PREFIX + PAGE_TRANSLATION},
        "description": "The page's other translations that the caller may see.",
    }


def _api_fields(model):
    for field in getattr(model, "api_fields", None) or []:
        if isinstance(field, str):
            yield field, None
        else:
            yield field.name, getattr(field, "serializer", None)


def _type_model_schema(schema, model, generator):
    properties = schema.get("properties", {})
    typed = []
    for name, serializer in _api_fields(model):
        if name not in properties:
            continue
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            field = None
        new = None
        if isinstance(field, StreamField):
            new = generator.stream_field(model, field)
        elif serializer is not None:
            new = _serializer_schema(serializer, field, generator)
        elif field is None:
            new = PROPERTY_SCHEMAS.get(name)
        elif getattr(field, "choices", None) and isinstance(field, models.CharField):
            new = _with_enum(properties[name], field)
        if new is not None:
            properties[name] = _keep_annotations(properties[name], new)
            typed.append(name)
    if typed:
        required = schema.setdefault("required", [])
        required.extend(name for name in typed if name not in required)


def _serializer_schema(serializer, field, generator):
    """The schema of what ``serializer`` renders, when it renders a kind of reference: null
    too where the kind may hide the object, or the model field (``field``; None for a
    property) may be null."""
    if not isinstance(serializer, ReferenceAPIField):
        return None
    kind = serializer.kind
    schema = generator.reference(kind)
    return nullable(schema) if kind.nullable or field is None or field.null else schema


def _with_enum(schema, field):
    values = [str(value) for value in dict(field.flatchoices)]
    if field.blank and "" not in values:
        values.append("")
    if "anyOf" in schema:
        return {
            **schema,
            "anyOf": [
                {**branch, "enum": values} if branch.get("type") == "string" else branch
                for branch in schema["anyOf"]
            ],
        }
    return {**schema, "enum": values}


def _keep_annotations(old, new):
    """``new``, with the title, description and default Wagtail gave the property."""
    result = dict(new)
    for key in ("title", "description"):
        if key in old and key not in result:
            result[key] = old[key]
    return result


def _document_alma_operations(document, generator):
    for path_item in document.get("paths", {}).values():
        operation = path_item.get("get") or {}
        if operation.get("operationId") != GUIDELINE_OPERATION_ID:
            continue
        for parameter in operation.get("parameters", []):
            if parameter.get("in") == "path" and parameter.get("name") == "reference":
                parameter["schema"] = {
                    **parameter.get("schema", {}),
                    "pattern": REFERENCE_PATTERN,
                    "examples": ["II.3"],
                }
                parameter["description"] = "A guideline number (II.3) or a guideline id."
            if parameter.get("in") == "query" and parameter.get("name") == "locale":
                parameter["description"] = "Language code of the translation to cite from."
        problem = {
            "application/problem+json": {
                "schema": generator.component("ProblemDetail", problem_schema)
            }
        }
        operation["responses"] = {
            "200": {
                "description": "The guideline and its citation.",
                "content": {
                    "application/json": {
                        "schema": generator.component(
                            "AlmaGuidelineCitation", guideline_citation_schema
                        )
                    }
                },
            },
            "404": {
                "description": "No such (visible) document, locale or guideline.",
                "content": problem,
            },
            "422": {"description": "Invalid parameters.", "content": problem},
        }
