"""The kinds of document an import knows, a small registry: a kind's name → how to parse,
plan and write it. Each kind is one module; ``service`` uses only this registry.

A kind is an :class:`ImportKind`:

- ``parse(blocks, name)`` → a parsed document (a dataclass), or :class:`DocumentError`;
- ``plan(document, *, source_name, parent, locale, translation_of)`` → a plan with
  ``action`` (create, update, unchanged), ``conflicts`` (what an editor or translator
  changed), ``refused`` (True: the conflicts stop the import; ``run`` raises
  ``ImportConflict``), ``describe()`` (lines of text) and whatever its writer needs. With
  ``translation_of`` (a page id or path), a ``translation.TranslationPlan``: the kind builds
  the translated copy of the source page and ``translation.plan_translation`` matches the
  segments by structure (a translator's later edit is a conflict that is kept, not refused);
- ``write(plan, progress)`` → an ``ImportResult`` (action, page, revision), in one
  transaction, never publishing;
- ``detect(blocks)`` → a score in [0, 1]: how much the blocks look like this kind (used
  when no kind is named).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ImportKind:
    name: str
    label: str
    parse: Callable
    plan: Callable
    write: Callable
    detect: Callable


_KINDS: dict[str, ImportKind] = {}


def register(kind):
    """Add ``kind`` (an :class:`ImportKind`) under ``kind.name``; returns it."""
    _KINDS[kind.name] = kind
    return kind


def get_kind(name):
    """The kind called ``name``; ``KeyError`` when there is none."""
    return _KINDS[name]


def kinds():
    """All kinds, by name (the built-in ones register when ``service`` is imported)."""
    return dict(sorted(_KINDS.items()))
