"""Stored, stable ids for every list item of a StreamField (issue 9).

Wagtail reads a ``ListBlock`` value stored in its older plain-list format (``[{"label": ...},
...]``, no ids) and gives each item a new random id at every load. wagtail-localize then offers
none of its items for translation (``extract_segments`` skips plain-format lists, so that the
segment ids don't change at every load), and a citation by item id breaks.

:func:`assign_stable_list_ids` converts such values in memory so that the next save stores the
items in the block format (``{"type": "item", "value": ..., "id": <uuid>}``): Wagtail converts
the raw JSON of a StreamField item only when it is read, stores an item never read back as it
came, and stores a converted ``ListValue`` with the ids of its items. Nested streams are lazy
too, so the walk goes down every StreamValue, StructValue and ListValue. An item that already
has an id keeps it (idempotent).
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from wagtail.blocks import ListBlock, StreamValue, StructValue
from wagtail.blocks.list_block import ListValue
from wagtail.fields import StreamField


def stream_fields(model):
    """The ``StreamField`` instances (``ExtensibleStreamField`` included) of ``model``."""
    return [field for field in model._meta.concrete_fields if isinstance(field, StreamField)]


def assign_stable_list_ids(instance):
    """Convert every item of every StreamField of ``instance`` (a model instance), so that each
    list item is stored with an id. Changes nothing stored; returns ``instance``."""
    for field in stream_fields(type(instance)):
        _walk(getattr(instance, field.attname))
    return instance


def _walk(value):
    if isinstance(value, StreamValue):
        for child in value:  # reading the item is what converts it
            _walk(child.value)
    elif isinstance(value, ListValue):
        for bound in value.bound_blocks:
            _walk(bound.value)
    elif isinstance(value, StructValue):
        for child in value.values():
            _walk(child)


def list_is_in_block_format(list_block, raw):
    """Whether ``raw`` (the stored JSON of a ``list_block`` value) has ids: empty or block
    format. For tests and checks."""
    assert isinstance(list_block, ListBlock)
    return not raw or all(list_block._item_is_in_block_format(item) for item in raw)


def store_stable_list_ids(model, batch_size=200):
    """Store ids for the list items of every row of ``model`` (a model class with
    StreamFields) that has list items without one; rows already in the block format are left
    alone (idempotent). Writes with ``QuerySet.update()``: no ``save()``, no revision, no
    signal. Returns the number of rows written.

    Used by the data migration alma_cms_pages 0005 with the *current* model classes: an
    ``ExtensibleStreamField``'s historical definition lacks the blocks sites register through
    the ``alma_cms_register_blocks`` hook, and converting with it would drop those blocks.
    """
    fields = stream_fields(model)
    if not fields:
        return 0
    written = 0
    names = [field.attname for field in fields]
    for instance in model._default_manager.only("pk", *names).iterator(chunk_size=batch_size):
        changes = {}
        for field in fields:
            value = getattr(instance, field.attname)
            before = json.loads(json.dumps(list(value.raw_data), cls=DjangoJSONEncoder))
            _walk(value)
            after = json.loads(
                json.dumps(field.stream_block.get_prep_value(value), cls=DjangoJSONEncoder)
            )
            if after != before:
                changes[field.attname] = value
        if changes:
            model._default_manager.filter(pk=instance.pk).update(**changes)
            written += 1
    return written
