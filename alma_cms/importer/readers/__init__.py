"""Readers: a file → blocks. Chosen by the file's extension; the size limit is checked
before anything is read."""

from pathlib import Path

from ...conf import alma_settings
from ..errors import DocumentError
from . import docx, markdown, text

READERS = {".txt": text.read, ".text": text.read, ".md": markdown.read, ".docx": docx.read}


def _megabytes(size):
    return f"{size / (1024 * 1024):.1f} MB"


def read_blocks(path):
    """The blocks of the file at ``path``; :class:`DocumentError` if it cannot be read."""
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise DocumentError(
            f"{path.name}: files of type {path.suffix or '(none)'!r} cannot be imported; use "
            ".txt, .md or .docx."
        )
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocumentError(f"{path}: cannot be read ({exc.strerror}).") from exc
    limit = alma_settings.IMPORT_MAX_FILE_SIZE
    if size > limit:
        raise DocumentError(
            f"{path.name} is {_megabytes(size)}, more than the import limit of "
            f"{_megabytes(limit)} (ALMA_CMS['IMPORT_MAX_FILE_SIZE'])."
        )
    blocks = reader(path)
    if not any(block.text.strip() for block in blocks):
        raise DocumentError(f"{path.name} is empty: it has no text to import.", "line 1")
    return blocks
