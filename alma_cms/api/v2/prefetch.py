"""Deprecated: moved to :mod:`alma_cms.api.prefetch`, which API v2 and v3 share (removed in
alma-cms 0.3)."""

from ...deprecation import moved
from .. import prefetch as _prefetch

__all__ = list(_prefetch.__all__)
__getattr__ = moved(__name__, {name: f"alma_cms.api.prefetch.{name}" for name in __all__})
