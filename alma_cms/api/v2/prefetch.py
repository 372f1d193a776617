"""Deprecated: moved to :mod:`alma_cms.api.prefetch`, which API v2 and v3 share (removed in
alma-cms 0.3)."""

from ...deprecation import moved

_NAMES = [
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
__all__ = list(_NAMES)
__getattr__ = moved(__name__, {name: f"alma_cms.api.prefetch.{name}" for name in _NAMES})
