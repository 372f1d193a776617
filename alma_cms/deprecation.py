"""Moved public names: the old import path keeps working for one release, with a warning.

A module whose names moved ends with ``__getattr__ = moved(__name__, {old: new, ...})``, where
``new`` is the dotted path of the name's new home (``"alma_cms.scope.get_scope"``), or a pair
``(dotted path, advice)`` when the replacement is not a plain rename (the advice is what the
warning tells callers to write instead).
"""

import warnings
from importlib import import_module

REMOVED_IN = "0.3"


def _load(dotted_path):
    module_path, _, name = dotted_path.rpartition(".")
    return getattr(import_module(module_path), name)


def moved(old_module, names):
    """A module-level ``__getattr__`` for ``old_module`` (its ``__name__``) that returns each
    name of ``names`` from its new home and warns with a ``DeprecationWarning`` naming the
    replacement; any other name raises ``AttributeError``."""

    def __getattr__(name):
        if name not in names:
            raise AttributeError(f"module {old_module!r} has no attribute {name!r}")
        target = names[name]
        target, advice = target if isinstance(target, tuple) else (target, target)
        warnings.warn(
            f"{old_module}.{name} is deprecated: use {advice}; it will be removed in "
            f"alma-cms {REMOVED_IN}.",
            DeprecationWarning,
            stacklevel=2,
        )
        return _load(target)

    return __getattr__
