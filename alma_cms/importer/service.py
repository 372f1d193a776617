"""One entry point for the command and the admin view: a file → a plan → a result.

``prepare(path, ...)`` reads, detects or takes the kind, parses and plans (reads the database,
writes nothing); ``run(prepared, progress)`` writes the plan in one transaction. Every problem
with the input is a :class:`~alma_cms.importer.errors.DocumentError`."""

from dataclasses import dataclass
from pathlib import Path

from django.apps import apps

# The built-in kinds register themselves when imported.
from . import final_document_kind, forum_report_kind  # noqa: F401
from .errors import DocumentError
from .kinds import get_kind, kinds
from .readers import read_blocks


@dataclass
class Prepared:
    """A document ready to import: its ``kind`` (an ``ImportKind``), the parsed ``document``
    and the ``plan`` (``plan.describe()`` lists what would be done)."""

    source_name: str
    kind: object
    document: object
    plan: object


def detect_kind(blocks, name=""):
    """The kind the blocks look most like; :class:`DocumentError` when none fits."""
    known = kinds()
    if len(known) == 1:
        return next(iter(known.values()))
    scored = sorted(((kind.detect(blocks), kind.name) for kind in known.values()), reverse=True)
    if not scored or scored[0][0] < 0.5:
        names = ", ".join(kinds())
        raise DocumentError(
            f"no recognisable structure: {name or 'the document'} looks like none of the kinds "
            f"of document; name its kind with --kind ({names}).",
            blocks[0].ref if blocks else None,
        )
    return get_kind(scored[0][1])


def prepare(
    path,
    *,
    kind=None,
    parent=None,
    locale=None,
    translation_of=None,
    source_name=None,
    progress=None,
):
    """Read, parse and plan the file at ``path`` (``kind``: a kind's name, or None to
    detect; ``parent``: a page id or path; ``locale``: a language code; ``translation_of``: a
    page id or path of the source-language page this document translates). Writes nothing."""
    progress = progress or (lambda message: None)
    path = Path(path)
    name = source_name or path.name
    progress(f"reading {name}")
    blocks = read_blocks(path)
    if kind is None:
        found = detect_kind(blocks, name)
    else:
        try:
            found = get_kind(kind)
        except KeyError:
            raise DocumentError(
                f"there is no kind of document {kind!r} (kinds: {', '.join(kinds())})."
            ) from None
    progress(f"parsing {len(blocks)} blocks as {found.name}")
    document = found.parse(blocks, name)
    if translation_of is not None:
        _check_translation(parent)
    plan = found.plan(
        document,
        source_name=name,
        parent=parent,
        locale=locale,
        translation_of=translation_of,
    )
    return Prepared(name, found, document, plan)


def _check_translation(parent):
    """What a translation of any kind needs: wagtail-localize (the package runs without it,
    check E001), and no parent of its own."""
    if not apps.is_installed("wagtail_localize"):
        raise DocumentError(
            "importing a translation needs wagtail-localize (wagtail_localize in INSTALLED_APPS)."
        )
    if parent is not None:
        raise DocumentError(
            "--parent cannot be used with --translation-of: a translation goes under the "
            "translation of the source page's parent."
        )


def run(prepared, progress=None):
    """Write ``prepared.plan`` (one transaction, never publishing); the kind's result."""
    return prepared.kind.write(prepared.plan, progress)
