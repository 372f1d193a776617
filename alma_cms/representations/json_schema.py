"""JSON Schema building blocks for the shapes of representations (and for
``alma_cms.api.schemas``, which describes blocks with them)."""

NULL = {"type": "null"}
UUID = {"type": "string", "format": "uuid"}
HTML = {"type": "string", "contentMediaType": "text/html"}
INTEGER_ID = {"type": "integer"}
URL_OR_PATH = {"type": "string", "description": "Absolute URL, or a path on the same site."}


def nullable(schema):
    """``schema`` or null."""
    if schema == NULL or schema == {}:
        return schema
    return {"anyOf": [schema, NULL]}


def object_schema(properties, description=None):
    """An object with exactly ``properties`` (a dict of schemas), all always present."""
    schema = {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema
