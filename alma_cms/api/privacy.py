"""Deprecated: moved to :mod:`alma_cms.scope` (removed in alma-cms 0.3).

``RequestScope`` and ``get_scope`` live in ``alma_cms.scope``; the helpers map as follows:
``public_pages(qs, request)`` → ``qs.filter(_get_scope(request).visible_q())``,
``is_visible(page, request)`` → ``_get_scope(request).is_visible(page)``,
``restricted_page_ids(request)`` → ``_get_scope(request).restricted_page_ids``,
``request_scope(request)`` → ``_get_scope(request).activated()``,
``anonymous_scope(request)`` → ``_get_scope(request).anonymous()``,
``current_scope()`` → ``get_scope()``.
"""

import warnings
from contextlib import contextmanager

from ..scope import RequestScope as _RequestScope
from ..scope import get_scope as _get_scope


def _public_pages(queryset, request=None):
    return queryset.filter(_get_scope(request).visible_q())


def _restricted_page_ids(request=None):
    return _get_scope(request).restricted_page_ids


def _is_visible(page, request=None):
    return _get_scope(request).is_visible(page)


def _anonymous_scope(request=None):
    return _get_scope(request).anonymous()


def _current_scope():
    return _get_scope()


@contextmanager
def _request_scope(request=None):
    with _get_scope(request).activated() as scope:
        yield scope


_MOVED = {
    "RequestScope": _RequestScope,
    "get_scope": _get_scope,
    "public_pages": _public_pages,
    "restricted_page_ids": _restricted_page_ids,
    "is_visible": _is_visible,
    "anonymous_scope": _anonymous_scope,
    "current_scope": _current_scope,
    "request_scope": _request_scope,
}
__all__ = list(_MOVED)


def __getattr__(name):
    if name in _MOVED:
        warnings.warn(
            f"alma_cms.api.privacy.{name} is deprecated: use alma_cms.scope "
            "(see this module's docstring); it will be removed in alma-cms 0.3.",
            DeprecationWarning,
            stacklevel=2,
        )
        return _MOVED[name]
    raise AttributeError(f"module 'alma_cms.api.privacy' has no attribute {name!r}")
