"""Deprecated: moved to :mod:`alma_cms.api.prefetch`, which API v2 and v3 share (removed in
alma-cms 0.3)."""

import warnings

from .. import prefetch as _prefetch

_MOVED = [
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
__all__ = list(_MOVED)


def __getattr__(name):
    if name in _MOVED:
        warnings.warn(
            f"alma_cms.api.v2.prefetch.{name} is deprecated: use alma_cms.api.prefetch.{name}; "
            "it will be removed in alma-cms 0.3.",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(_prefetch, name)
    raise AttributeError(f"module 'alma_cms.api.v2.prefetch' has no attribute {name!r}")
