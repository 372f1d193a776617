"""tests/conftest.py's LONG_FILES (the files run first) name files that exist: a renamed file
would silently lose its place at the front."""

from pathlib import Path

from tests.conftest import LONG_FILES

ROOT = Path(__file__).resolve().parent.parent


def test_every_long_file_exists():
    assert [path for path in LONG_FILES if not (ROOT / path).is_file()] == []
    assert len(set(LONG_FILES)) == len(LONG_FILES)
