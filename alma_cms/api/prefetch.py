"""Bulk loading before a DRF serializer runs: the plan of API v2, derived from the serializer.

The generic part (the :class:`FieldPlan`, ``plan_for_api_fields``, ``prefetch``, StreamField
conversion, foreign keys) lives in :mod:`alma_cms.representations.prefetch`, below the pages,
which load what their HTML shows with it too; its public names are importable from here as
before. This module adds what only a DRF serializer knows: ``plan_for_serializer`` reads the
serializer's fields (Wagtail's StreamField, child relation and parent fields, alma-cms's
reference fields).
"""

from wagtail.api.v2.serializers import ChildRelationField, PageParentField
from wagtail.api.v2.serializers import StreamField as StreamFieldSerializer

from ..representations.prefetch import (
    PARENT_CONTENT_TYPE,
    FieldPlan,
    bulk_convert_streams,
    collect_block,
    parent_content_type_annotation,
    plan_for_api_fields,
    prefetch,
    prefetch_for_api_fields,
    reference_kind,
)

__all__ = [
    "PARENT_CONTENT_TYPE",
    "parent_content_type_annotation",
    "FieldPlan",
    "bulk_convert_streams",
    "collect_block",
    "plan_for_api_fields",
    "plan_for_serializer",
    "prefetch",
    "prefetch_for_api_fields",
    "prefetch_for_serializer",
    "reference_kind",
]


def plan_for_serializer(serializer):
    """The :class:`FieldPlan` of a DRF serializer (API v2)."""
    fields = serializer.fields
    plan = FieldPlan(fields)
    for name, field in fields.items():
        if isinstance(field, StreamFieldSerializer):
            plan.streams.append(name)
        elif isinstance(field, ChildRelationField):
            plan.children.append(name)
        elif isinstance(field, PageParentField):
            plan.parents = True
        else:
            plan.add_serializer(name, field)
    return plan


def prefetch_for_serializer(scope, instances, serializer, locale_id=None):
    """Bulk-load what ``serializer`` (a DRF serializer for one object; for a list, pass its
    ``child``) will read from ``instances``. ``locale_id``: the locale references localize to
    when an instance has none of its own."""
    instances = [obj for obj in instances if obj is not None]
    if not instances:
        return
    model = getattr(getattr(serializer, "Meta", None), "model", None) or type(instances[0])
    prefetch(scope, instances, model, plan_for_serializer(serializer), locale_id)
