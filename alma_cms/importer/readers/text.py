"""Plain text files: UTF-8 (with or without a BOM), UTF-16 with a BOM, or cp1251 (Windows
Cyrillic), detected. One block per non-blank line; blank lines mark ``gap_before``."""

import codecs

from ..blocks import PARAGRAPH, Block
from ..errors import DocumentError

# Bytes that never occur in text (NUL and the C0 controls other than tab, newlines and form
# feed): their presence means a binary file, whatever its name.
_BINARY = set(range(0, 9)) | {11, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28}


def decode(data, name):
    """The text of ``data``; :class:`DocumentError` for a binary file."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    for offset, byte in enumerate(data[:65536]):
        if byte in _BINARY:
            raise DocumentError(
                f"{name} is not a text file (it has binary data at byte {offset}): save the "
                "document as plain text (.txt), Markdown (.md) or Word (.docx)."
            )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        # cp1251 maps every byte but 0x98; a file that is not UTF-8 is taken as Cyrillic
        # Windows text, the other encoding editors' files come in.
        return data.decode("cp1251")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            f"{name} is neither UTF-8 nor cp1251 text (byte {exc.start}): save it as UTF-8."
        ) from exc


def lines_to_blocks(text):
    blocks = []
    gap = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            gap = True
            continue
        blocks.append(Block(PARAGRAPH, line.rstrip(), f"line {number}", gap_before=gap))
        gap = False
    return blocks


def read(path):
    return lines_to_blocks(decode(path.read_bytes(), path.name))
