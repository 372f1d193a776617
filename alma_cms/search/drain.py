"""Sending recorded index changes (``SearchIndexChange`` rows) to the search servers.

``drain()`` reads rows in ``id`` order, a batch at a time, under a lock so two drainers never
interleave; per batch it coalesces the changes of one document (the last action wins; an
"upsert" reads the object's current state, and an object that is gone or no longer in its
model's ``get_indexed_objects()`` is deleted from the index), sends one ``_bulk`` request per
index, checks each item of the response and deletes the rows whose item succeeded. Redoing a
batch is harmless (a document is written from the database as it is now).
"""

import logging
from collections import defaultdict

from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction

from ..conf import alma_settings
from ..models import SearchIndexChange
from .outbox import AVAILABLE, DELETE
from .signals import send_index_written

if AVAILABLE:
    from modelsearch.backends import get_search_backend
    from modelsearch.conf import get_app_config
    from modelsearch.index import get_indexed_models

logger = logging.getLogger(__name__)

# PostgreSQL advisory lock keys (two bigints unique to alma): one drainer at a time, and one
# rebuild at a time (a rebuild also holds the drain lock, so drains wait while it runs).
DRAIN_LOCK = 0x616C6D61_0001
REBUILD_LOCK = 0x616C6D61_0002
# Other databases: a cache key (use a cache shared by every process, e.g. Redis).
CACHE_LOCK_PREFIX = "alma_cms:search:lock:"


class SearchServerUnavailable(Exception):
    """The search server could not be reached or refused a request; the drain is retried."""


class IndexingError(Exception):
    """Some documents of a batch were rejected; their changes stay in the outbox."""


class DrainBusy(Exception):
    """Another drainer (or a rebuild) holds the lock; try again later."""


def try_xact_lock(key):
    """Take lock ``key`` until the current transaction ends; False if someone holds it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [key])
            return cursor.fetchone()[0]
    # The cache lock is held while a rebuild runs; a drain only checks it.
    return cache.get(f"{CACHE_LOCK_PREFIX}{key}") is None


def _backends_by_name():
    return dict(get_app_config().get_search_backend_config()) if AVAILABLE else {}


def _index_models(backend):
    """{index name: [models]} of every indexed model, as modelsearch groups them."""
    grouped = defaultdict(list)
    for model in get_indexed_models():
        grouped[backend.get_index_for_model(model).name].append(model)
    return grouped


def _ensure_indexes(backend, indexes, checked):
    """Create (with mappings) an index that does not exist yet, so a drain before the first
    rebuild does not leave the server guessing the mapping. One request per index per drain."""
    for name, index in indexes.items():
        if (id(backend), name) in checked:
            continue
        checked.add((id(backend), name))
        if not index.exists():
            index.put()
            for model in _index_models(backend).get(name, []):
                index.add_model(model)


def _send_bulk(backend, index_name, actions):
    """One ``_bulk`` request; returns the set of ``_id`` values whose item failed."""
    try:
        _ok, errors = backend.bulk(
            backend.es,
            actions,
            index=index_name,
            chunk_size=len(actions),
            max_chunk_bytes=1 << 30,
            raise_on_error=False,
            raise_on_exception=True,
            stats_only=False,
        )
    except Exception as exc:  # the client's connection/transport errors, whatever its family
        raise SearchServerUnavailable(f"{index_name}: {exc}") from exc
    failed = set()
    for error in errors:
        ((op_type, item),) = error.items()
        if op_type == "delete" and item.get("status") == 404:
            continue  # already gone: what a delete wants
        logger.error("search index %s rejected document %s: %s", index_name, item.get("_id"), item)
        failed.add(str(item.get("_id")))
    return failed


def apply_changes(backend, rows, *, index_name_for=None, ensure=None, only_index=None):
    """Apply ``rows`` (SearchIndexChange, id order) to ``backend``'s indexes.

    Returns ``(done_ids, failed_ids, counts)``: ids of rows now reflected in the index, ids of
    rows whose document was rejected, and ``{"upserted": n, "deleted": n}``. Raises
    ``SearchServerUnavailable`` when a request fails (no row is done then).
    ``index_name_for(model) -> str`` redirects writes (a rebuild's new index);
    ``only_index``: apply only the rows of the models of that index (the others are neither
    done nor failed).
    """
    # Coalesce: the last action of each (index, document) wins.
    latest = {}
    row_ids = defaultdict(list)
    dropped = []
    for row in rows:
        try:
            model = apps.get_model(row.app_label, row.model_name)
        except LookupError:
            dropped.append(row.id)  # the model was removed: nothing to index
            continue
        index = backend.get_index_for_model(model)
        if only_index is not None and index.name != only_index:
            continue
        key = (index.name, row.object_pk)
        latest[key] = (model, row.action)
        row_ids[key].append(row.id)

    upsert_pks = defaultdict(list)
    for (_index_name, pk), (model, action) in latest.items():
        if action != DELETE:
            upsert_pks[model].append(pk)

    # Load the objects that still exist and are indexed, in bulk (one query per model).
    documents = {}
    for model, pks in upsert_pks.items():
        for obj in model.get_indexed_objects().filter(pk__in=pks):
            instance = obj.get_indexed_instance()
            if instance is not None:
                documents[(backend.get_index_for_model(model).name, str(obj.pk))] = instance

    actions = defaultdict(list)
    indexes = {}
    counts = {"upserted": 0, "deleted": 0}
    for key, (model, _action) in latest.items():
        index_name, pk = key
        index = backend.get_index_for_model(model)
        target = index_name_for(model) if index_name_for else index.name
        indexes[target] = index if target == index.name else backend.index_class(backend, target)
        instance = documents.get(key)
        mapping = backend.mapping_class(type(instance) if instance is not None else model)
        if instance is not None:
            actions[target].append(
                {
                    "_op_type": "index",
                    "_id": mapping.get_document_id(instance),
                    "_source": mapping.get_document(instance),
                }
            )
            counts["upserted"] += 1
        else:
            actions[target].append(
                {"_op_type": "delete", "_id": mapping.get_document_id(model(pk=pk))}
            )
            counts["deleted"] += 1

    if ensure is not None:
        try:
            _ensure_indexes(backend, indexes, ensure)
        except Exception as exc:  # the client's connection/transport errors
            raise SearchServerUnavailable(f"{', '.join(indexes)}: {exc}") from exc
    failed_docs = {}
    for target, index_actions in actions.items():
        failed_docs[target] = _send_bulk(backend, target, index_actions)

    done, failed = list(dropped), []
    for key, (model, _action) in latest.items():
        index_name, pk = key
        target = index_name_for(model) if index_name_for else index_name
        (failed if pk in failed_docs.get(target, ()) else done).extend(row_ids[key])
    return done, failed, counts


def drain(*, batch_size=None, max_batches=None):
    """Send every pending change to the search servers; returns counts.

    ``batch_size``: rows per batch (default ``ALMA_CMS["SEARCH_OUTBOX_BATCH_SIZE"]``).
    Returns ``{"batches", "upserted", "deleted", "failed"}``. Raises ``DrainBusy`` when another
    drainer or a rebuild holds the lock, ``SearchServerUnavailable`` when the server cannot
    be reached (the batch's rows stay), ``IndexingError`` when documents were rejected (their
    rows stay; the others are deleted).
    """
    batch_size = batch_size or alma_settings.SEARCH_OUTBOX_BATCH_SIZE
    configured = _backends_by_name()
    totals = {"batches": 0, "upserted": 0, "deleted": 0, "failed": 0}
    checked = set()
    backends = {}
    failed_ids = set()
    try:
        _drain_batches(batch_size, max_batches, configured, totals, checked, backends, failed_ids)
    finally:
        # Even when a later batch failed: what earlier ones wrote is in the index.
        if totals["upserted"] or totals["deleted"]:
            send_index_written(drain)
    totals["failed"] = len(failed_ids)
    if failed_ids:
        raise IndexingError(f"{len(failed_ids)} document(s) rejected by the search server")
    return totals


def _drain_batches(batch_size, max_batches, configured, totals, checked, backends, failed_ids):
    """The batches of :func:`drain`, counted in ``totals``."""
    while max_batches is None or totals["batches"] < max_batches:
        with transaction.atomic():
            # A rebuild holds the drain lock while it runs (alma_cms.search.rebuild).
            if not try_xact_lock(DRAIN_LOCK):
                raise DrainBusy("another drain or a rebuild is running")
            queryset = SearchIndexChange.objects.exclude(id__in=failed_ids).order_by("id")
            if connection.features.has_select_for_update:
                queryset = queryset.select_for_update()
            rows = list(queryset[:batch_size])
            if not rows:
                break
            totals["batches"] += 1
            by_backend = defaultdict(list)
            for row in rows:
                by_backend[row.backend].append(row)
            done = []
            for name, backend_rows in by_backend.items():
                if name not in configured:
                    logger.warning(
                        "search backend %r is no longer configured: dropping %d outbox rows",
                        name,
                        len(backend_rows),
                    )
                    done.extend(row.id for row in backend_rows)
                    continue
                if name not in backends:
                    backends[name] = get_search_backend(name)
                ok, failed, counts = apply_changes(backends[name], backend_rows, ensure=checked)
                done.extend(ok)
                failed_ids.update(failed)
                totals["upserted"] += counts["upserted"]
                totals["deleted"] += counts["deleted"]
            SearchIndexChange.objects.filter(id__in=done).delete()
