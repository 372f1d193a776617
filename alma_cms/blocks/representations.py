"""Deprecated: moved to :mod:`alma_cms.representations` (removed in alma-cms 0.3).

The functions there take the :class:`~alma_cms.scope.RequestScope` as their first argument
(``speaker_representation(scope, page)``) instead of an optional serializer context.
"""

from .. import representations as _representations
from ..deprecation import moved

__getattr__ = moved(
    __name__,
    {
        name: (f"alma_cms.representations.{name}", f"alma_cms.representations.{name} (scope first)")
        for name in _representations.__all__
    },
)
