"""Module-wide content built once per test process and copied back for every other module.

Loading the demo (``alma_load_demo``) takes 25-45 s on 2 cores; a dozen modules load it inside
their module transaction and roll it back afterwards. On PostgreSQL, :func:`build_once` runs the
builder for real the first time in a process (each pytest-xdist worker is one) and keeps, in
memory, the rows of every table the builder changed (``COPY ... TO STDOUT``) and the media files
it wrote; every later call replaces those tables' rows with the kept ones (``COPY ... FROM
STDIN``, well under a second) and copies the files into the module's ``MEDIA_ROOT``. The
database then holds exactly what a fresh build would leave, under the same ids. On other
databases (SQLite without ``DATABASE_URL``) the builder simply runs each time.

Call it inside the module's transaction (``tests.api.helpers.module_transaction``): the copied
rows are rolled back with it, as built rows are. Tests of the builder itself (such as
``tests/test_demo_loader.py``) call the builder directly.
"""

import copy
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection


@dataclass
class _Snapshot:
    # (table, column names, COPY text) of each table the builder changed, all rows of it
    tables: list = field(default_factory=list)
    # {table: COPY text} of those tables before the build: a copy replaces them whole, so it is
    # put back only onto the same rows (another module's own content would be lost otherwise)
    before: dict = field(default_factory=dict)
    media: Path | None = None  # the files the builder wrote, relative paths kept
    value: object = None  # what the builder returned


# key -> the snapshots taken for it, each on other rows than the others (see build_once)
_SNAPSHOTS = {}
# Snapshots kept per key: a module that builds other content first (another module fixture)
# gets one of its own; past this many, such modules build for real.
_MAX_PER_KEY = 3


def build_once(key, build):
    """``build()`` (it fills the database; may return a value) the first time ``key`` is asked
    for in this process; after that the same rows and media files, copied back. Returns
    ``build()``'s value, a deep copy of it after the first time. Must run inside a transaction.

    A copy replaces whole tables, so it is used only where the tables the builder changes hold
    the same rows as before the build it copies; otherwise ``build()`` runs, and what it leaves
    is kept too for modules that start from the same rows.
    """
    if connection.vendor != "postgresql":
        return build()
    if not connection.in_atomic_block:
        raise RuntimeError("build_once() copies rows in; call it inside a transaction")
    snapshots = _SNAPSHOTS.setdefault(key, [])
    for snapshot in snapshots:
        if _restore(snapshot):
            return copy.deepcopy(snapshot.value)
    if len(snapshots) >= _MAX_PER_KEY:
        return build()
    snapshot, value = _capture(build)
    snapshots.append(snapshot)
    return value


def _tables(cursor):
    """{table: [columns]} of every table of the schema, generated columns left out (COPY FROM
    cannot write them)."""
    cursor.execute(
        """
        SELECT c.relname, a.attname
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid
        WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()
          AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
        ORDER BY c.relname, a.attnum
        """
    )
    tables = {}
    for table, column in cursor.fetchall():
        tables.setdefault(table, []).append(column)
    return tables


def _quoted(table, columns):
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    return f"{connection.ops.quote_name(table)} ({names})"


def _copy_out(cursor, table, columns):
    with cursor.cursor.copy(f"COPY {_quoted(table, columns)} TO STDOUT") as copy_:
        return b"".join(bytes(block) for block in copy_)


def _same_rows(first, second):
    """Whether two COPY texts hold the same rows, in whatever order (one row a line)."""
    return first == second or sorted(first.split(b"\n")) == sorted(second.split(b"\n"))


def _files(root):
    root = Path(root)
    if not root.is_dir():
        return {}
    return {
        path.relative_to(root): path.stat().st_mtime_ns
        for path in root.rglob("*")
        if path.is_file()
    }


def _capture(build):
    media_root = Path(settings.MEDIA_ROOT)
    files_before = _files(media_root)
    with connection.cursor() as cursor:
        tables = _tables(cursor)
        before = {table: _copy_out(cursor, table, columns) for table, columns in tables.items()}
        value = build()
        snapshot = _Snapshot(value=copy.deepcopy(value))
        for table, columns in tables.items():
            rows = _copy_out(cursor, table, columns)
            if not _same_rows(rows, before[table]):
                snapshot.tables.append((table, columns, rows))
                snapshot.before[table] = before[table]
    written = [
        path for path, mtime in _files(media_root).items() if files_before.get(path) != mtime
    ]
    if written:
        snapshot.media = Path(tempfile.mkdtemp(prefix="alma-cms-test-snapshot-"))
        _remove_at_exit(snapshot.media)
        for path in written:
            (snapshot.media / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(media_root / path, snapshot.media / path)
    return snapshot, value


def _remove_at_exit(path):
    import atexit

    atexit.register(shutil.rmtree, path, ignore_errors=True)


def _restore(snapshot):
    """Copy the snapshot in; False (nothing done) if the tables it replaces hold other rows
    than before the build."""
    from django.contrib.contenttypes.models import ContentType

    with connection.cursor() as cursor:
        for table, columns, _rows in snapshot.tables:
            if not _same_rows(_copy_out(cursor, table, columns), snapshot.before[table]):
                return False
        # Django's foreign keys on PostgreSQL are DEFERRABLE INITIALLY DEFERRED: the tables can
        # be emptied and refilled in any order; the constraints are checked at the end.
        for table, columns, rows in snapshot.tables:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
            if rows:
                with cursor.cursor.copy(f"COPY {_quoted(table, columns)} FROM STDIN") as copy_:
                    copy_.write(rows)
        _advance_sequences(cursor, [table for table, _columns, _rows in snapshot.tables])
    if snapshot.media is not None:
        shutil.copytree(snapshot.media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    # Content types are cached by id; the copied rows may have replaced them.
    ContentType.objects.clear_cache()
    return True


def _advance_sequences(cursor, tables):
    """Move each id sequence of ``tables`` past the largest copied id (sequences are not rolled
    back, so they are normally past it already), so later inserts get fresh ids."""
    cursor.execute(
        """
        SELECT c.relname, a.attname, pg_get_serial_sequence(quote_ident(c.relname), a.attname)
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid
        WHERE n.nspname = current_schema() AND c.relname = ANY(%s)
          AND a.attnum > 0 AND NOT a.attisdropped
          AND pg_get_serial_sequence(quote_ident(c.relname), a.attname) IS NOT NULL
        """,
        [tables],
    )
    for table, column, sequence in cursor.fetchall():
        quoted_column = connection.ops.quote_name(column)
        cursor.execute(
            f"SELECT setval(%s, m) FROM (SELECT max({quoted_column}) AS m "
            f"FROM {connection.ops.quote_name(table)}) AS t "
            "WHERE m IS NOT NULL AND m >= COALESCE(pg_sequence_last_value(%s::regclass), 0)",
            [sequence, sequence],
        )
