"""Deprecated: moved to :mod:`alma_cms.representations` (removed in alma-cms 0.3).

The functions there take the :class:`~alma_cms.scope.RequestScope` as their first argument
(``speaker_representation(scope, page)``) instead of an optional serializer context.
"""

import warnings

from .. import representations as _representations


def __getattr__(name):
    if name in _representations.__all__:
        warnings.warn(
            f"alma_cms.blocks.representations.{name} is deprecated: use "
            f"alma_cms.representations.{name} (the scope is its first argument); it will be "
            "removed in alma-cms 0.3.",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(_representations, name)
    raise AttributeError(f"module 'alma_cms.blocks.representations' has no attribute {name!r}")
