"""Deprecated: moved to :mod:`alma_cms.scope` (removed in alma-cms 0.3).

``RequestScope`` and ``get_scope`` live in ``alma_cms.scope``; the helpers map as follows:
``public_pages(qs, request)`` → ``qs.filter(_get_scope(request).visible_q())``,
``is_visible(page, request)`` → ``_get_scope(request).is_visible(page)``,
``restricted_page_ids(request)`` → ``_get_scope(request).restricted_page_ids``,
``request_scope(request)`` → ``_get_scope(request).activated()``,
``anonymous_scope(request)`` → ``_get_scope(request).anonymous()``,
``current_scope()`` → ``get_scope()``.
"""

from contextlib import contextmanager

from ..deprecation import moved
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


_ADVICE = {
    "RequestScope": "alma_cms.scope.RequestScope",
    "get_scope": "alma_cms.scope.get_scope",
    "public_pages": "queryset.filter(get_scope(request).visible_q())",
    "restricted_page_ids": "get_scope(request).restricted_page_ids",
    "is_visible": "get_scope(request).is_visible(page)",
    "anonymous_scope": "get_scope(request).anonymous()",
    "current_scope": "get_scope()",
    "request_scope": "get_scope(request).activated()",
}
_TARGETS = {"RequestScope": "alma_cms.scope.RequestScope", "get_scope": "alma_cms.scope.get_scope"}
__all__ = list(_ADVICE)
__getattr__ = moved(
    __name__,
    {name: (_TARGETS.get(name, f"{__name__}._{name}"), advice) for name, advice in _ADVICE.items()},
)
