"""Rebuilding external search indexes without losing the changes made meanwhile.

Per index of an owned backend: create a new index named ``<alias>_<UTC timestamp>`` with the
mappings, load every indexed object by key (``pk > last ORDER BY pk LIMIT n``, never
``OFFSET``, so concurrent inserts and deletes cannot shift a page), one ``_bulk`` request per
page; then apply the outbox rows recorded so far to the new index, point the alias at it in
one ``_aliases`` request and delete the old index. Drains wait while a rebuild runs (it holds
their lock), so every change recorded before the swap reaches the new index, and the rows
recorded after the swap are drained into it afterwards. A failed rebuild deletes the index it
was building. Two rebuilds cannot run at once (``RebuildLocked``).
"""

import contextlib
from datetime import UTC, datetime

from django.core.cache import cache
from django.db import connection

from ..models import SearchIndexChange
from .drain import (
    CACHE_LOCK_PREFIX,
    DRAIN_LOCK,
    REBUILD_LOCK,
    SearchServerUnavailable,
    _send_bulk,
    apply_changes,
)
from .keyset import chunks_by_key
from .outbox import AVAILABLE, owned_backends, send_drain
from .reconcile import group_models_by_index
from .signals import send_index_written

if AVAILABLE:
    from modelsearch.backends import get_search_backend

DEFAULT_BATCH_SIZE = 1000
# A cache lock (databases other than PostgreSQL) expires after this many seconds, so a
# crashed rebuild cannot block the drains for ever.
CACHE_LOCK_TIMEOUT = 6 * 3600


class RebuildError(Exception):
    """The rebuild failed; its half-built index was deleted. The message says why."""


class RebuildLocked(RebuildError):
    """Another rebuild is running."""


@contextlib.contextmanager
def rebuild_lock():
    """Hold the rebuild lock and the drain lock (waiting for a drain batch in flight)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [REBUILD_LOCK])
            if not cursor.fetchone()[0]:
                raise RebuildLocked(
                    "another alma_search_rebuild is running (PostgreSQL advisory lock "
                    f"{REBUILD_LOCK}); wait for it to finish"
                )
            try:
                cursor.execute("SELECT pg_advisory_lock(%s)", [DRAIN_LOCK])
                try:
                    yield
                finally:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [DRAIN_LOCK])
            finally:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [REBUILD_LOCK])
        return
    key = f"{CACHE_LOCK_PREFIX}{REBUILD_LOCK}"
    if not cache.add(key, 1, CACHE_LOCK_TIMEOUT):
        raise RebuildLocked("another alma_search_rebuild is running (cache lock); wait for it")
    cache.set(f"{CACHE_LOCK_PREFIX}{DRAIN_LOCK}", 1, CACHE_LOCK_TIMEOUT)
    try:
        yield
    finally:
        cache.delete_many([key, f"{CACHE_LOCK_PREFIX}{DRAIN_LOCK}"])


def _load(backend, models, target, batch_size, progress, total):
    count = 0
    for model in models:
        mapping = backend.mapping_class(model)
        for chunk in chunks_by_key(model.get_indexed_objects(), batch_size):
            actions = []
            for obj in chunk:
                instance = obj.get_indexed_instance()
                if instance is None:
                    continue
                actions.append(
                    {
                        "_op_type": "index",
                        "_id": mapping.get_document_id(instance),
                        "_source": mapping.get_document(instance),
                    }
                )
            if actions:
                failed = _send_bulk(backend, target, actions)
                if failed:
                    raise RebuildError(f"{target}: {len(failed)} document(s) rejected")
            count += len(actions)
            progress(count, total)
    return count


def _apply_outbox(backend, backend_name, alias_name, target, batch_size):
    """Apply this backend's pending outbox rows to ``target`` (rows are kept: the drain
    applies them again to the alias after the swap, which is harmless)."""
    last = 0
    while True:
        rows = list(
            SearchIndexChange.objects.filter(backend=backend_name, id__gt=last).order_by("id")[
                :batch_size
            ]
        )
        if not rows:
            return
        last = rows[-1].id
        _done, failed, _counts = apply_changes(
            backend, rows, index_name_for=lambda model: target, only_index=alias_name
        )
        if failed:
            raise RebuildError(f"{target}: {len(failed)} recorded change(s) rejected")


def _swap(backend, alias, new_index):
    es = backend.es
    if alias.is_alias():
        old = [index.name for index in alias.aliased_indices()]
        actions = [{"remove": {"index": name, "alias": alias.name}} for name in old]
        actions.append({"add": {"index": new_index.name, "alias": alias.name}})
        es.indices.update_aliases(body={"actions": actions})
        for name in old:
            if name != new_index.name:
                backend.index_class(backend, name).delete()
    else:
        # First rebuild: a concrete index (or nothing) has the alias's name.
        alias.delete()
        new_index.put_alias(alias.name)


def rebuild(*, backend_name=None, batch_size=DEFAULT_BATCH_SIZE, progress=None):
    """Rebuild the selected owned backends' indexes; returns ``{"backend/alias": count}``.

    ``progress(label, done, total)`` after every batch. Raises ``RebuildLocked`` when another
    rebuild runs, ``RebuildError`` (the new index deleted) when a request or document fails,
    ``ValueError`` for an unknown backend or a batch size below 1.
    """
    owned = owned_backends()
    if backend_name is not None and backend_name not in owned:
        raise ValueError(
            f"search backend {backend_name!r} is not an external backend alma keeps up to date "
            f"(these are: {', '.join(owned) or 'none'})"
        )
    if batch_size < 1:
        raise ValueError(f"the batch size must be at least 1, not {batch_size}")
    counts = {}
    with rebuild_lock():
        for name in [backend_name] if backend_name else owned:
            backend = get_search_backend(name)
            for alias_name, models in group_models_by_index(backend).items():
                alias = backend.get_index_for_model(models[0])
                stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")
                new_index = backend.index_class(backend, f"{alias_name}_{stamp}")
                label = f"{name}/{alias_name}"
                total = sum(model.get_indexed_objects().count() for model in models)
                try:
                    new_index.put()
                    for model in models:
                        new_index.add_model(model)
                    count = _load(
                        backend,
                        models,
                        new_index.name,
                        batch_size,
                        lambda done, total, label=label: progress and progress(label, done, total),
                        total,
                    )
                    _apply_outbox(backend, name, alias_name, new_index.name, batch_size)
                    _swap(backend, alias, new_index)
                except KeyboardInterrupt:
                    # Ctrl-C: the half-built index goes too, then the interrupt goes on.
                    with contextlib.suppress(Exception):
                        new_index.delete()
                    raise
                except Exception as exc:
                    with contextlib.suppress(Exception):
                        new_index.delete()
                    if isinstance(exc, RebuildError):
                        raise
                    if isinstance(exc, SearchServerUnavailable):
                        raise RebuildError(f"{label}: search server unavailable: {exc}") from exc
                    raise RebuildError(f"{label}: {type(exc).__name__}: {exc}") from exc
                counts[label] = count
                send_index_written(rebuild)  # the alias now points at the new index
    # Changes recorded during the rebuild (already in the new index) leave the outbox.
    send_drain()
    return counts
