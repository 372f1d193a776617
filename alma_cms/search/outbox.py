"""The outbox: external search index changes recorded in the changing transaction.

For every search backend alma owns (modelsearch's Elasticsearch/OpenSearch backends and
their subclasses, see ``owned_backends``), a save, delete, publish, unpublish or move of an
indexed object adds ``SearchIndexChange`` rows in the same database transaction; after commit
the Celery task ``alma_cms.search.drain_outbox`` sends them to the search server in bulk
(``alma_cms.search.drain``). A rolled-back change leaves no row, and no request ever calls
the search server: modelsearch's own signal path skips the owned backends (``install``).

Changes that fire no signal -- ``QuerySet.update()``, ``bulk_create()``, raw SQL, treebeard
rewrites of ``path``/``depth`` -- are recorded by the caller with ``record()``.
"""

import logging
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.db.models.signals import post_delete, post_save

from ..commit import on_commit_once
from ..conf import alma_settings
from ..models import SearchIndexChange
from . import beat
from .signals import send_index_written

logger = logging.getLogger(__name__)

UPSERT = SearchIndexChange.Action.UPSERT
DELETE = SearchIndexChange.Action.DELETE

try:
    from modelsearch import index as modelsearch_index
    from modelsearch.backends import get_search_backend, import_backend
    from modelsearch.backends.elasticsearchbase import ElasticsearchBaseSearchBackend
    from modelsearch.conf import get_app_config
except ImportError:  # Wagtail 7.x: search lives in wagtail.search, no outbox (docs/search.md)
    modelsearch_index = None

AVAILABLE = modelsearch_index is not None


def _backend_config():
    return get_app_config().get_search_backend_config() if AVAILABLE else {}


def owned_backends():
    """Names (list of str, settings order) of the search backends whose writes alma owns.

    An owned backend is an entry of ``WAGTAILSEARCH_BACKENDS`` whose class is modelsearch's
    ``ElasticsearchBaseSearchBackend`` or a subclass (Elasticsearch 7-9, OpenSearch 2-3 and
    alma's own) and whose ``AUTO_UPDATE`` is not ``False`` (modelsearch's option: no automatic
    updates at all). The database backends stay on modelsearch's path (their writes are part
    of the transaction anyway). Reads the settings, never instantiates a backend.
    """
    names = []
    for name, params in _backend_config().items():
        if params.get("AUTO_UPDATE", True) is False:
            continue
        try:
            backend_class = import_backend(params["BACKEND"])
        except (ImportError, KeyError):
            continue  # modelsearch reports a broken entry when it is used
        if isinstance(backend_class, type) and issubclass(
            backend_class, ElasticsearchBaseSearchBackend
        ):
            names.append(name)
    return names


def is_indexed(model):
    return AVAILABLE and modelsearch_index.class_is_indexed(model)


def _concrete_model(obj):
    """The model an object is indexed as: a page's specific class, else its own class."""
    if not hasattr(type(obj), "specific_class") or getattr(obj, "content_type_id", None) is None:
        return type(obj)
    try:
        return obj.specific_class or type(obj)
    except ObjectDoesNotExist:  # a stale content type id
        return type(obj)


def _rows_for_queryset(queryset):
    """(model, pk) pairs of a queryset, pages under their specific class; one query."""
    model = queryset.model
    if hasattr(model, "specific_class") and any(
        f.name == "content_type" for f in model._meta.concrete_fields
    ):
        pairs = []
        for pk, content_type_id in queryset.values_list("pk", "content_type_id").iterator():
            specific = ContentType.objects.get_for_id(content_type_id).model_class()
            pairs.append((specific or model, pk))
        return pairs
    return [(model, pk) for pk in queryset.values_list("pk", flat=True).iterator()]


def record(objects, action=UPSERT, *, backends=None):
    """Record index changes for ``objects`` in the current transaction; returns the row count.

    ``objects``: a model instance, an iterable of instances, a ``QuerySet`` (its primary keys
    are read in one query; pages are recorded under their specific class) or a model class
    (all its rows). ``action``: ``"upsert"`` (the drain reads the object's current state; an
    object that no longer exists or is no longer indexed is removed from the index) or
    ``"delete"``. ``backends``: names, default ``owned_backends()``.

    Call it after changes that fire no ``post_save``/``post_delete`` signal --
    ``QuerySet.update()``, ``bulk_create()``, raw SQL, treebeard moves done without
    ``Page.move`` -- in the same transaction. Models that are not indexed are skipped. All
    rows go in one ``INSERT``; the drain task is sent once, after commit
    (``transaction.on_commit``). Raises ``ValueError`` for an unknown ``action``.
    """
    if action not in (UPSERT, DELETE):
        raise ValueError(f"action must be {UPSERT!r} or {DELETE!r}, not {action!r}")
    names = owned_backends() if backends is None else list(backends)
    if not names:
        return 0
    if isinstance(objects, type) and issubclass(objects, Model):
        objects = objects._default_manager.all()
    if isinstance(objects, QuerySet):
        pairs = _rows_for_queryset(objects) if is_indexed(objects.model) else []
    else:
        if isinstance(objects, Model):
            objects = [objects]
        pairs = [(_concrete_model(obj), obj.pk) for obj in objects]
    rows = [
        SearchIndexChange(
            backend=name,
            app_label=model._meta.app_label,
            model_name=model._meta.model_name,
            object_pk=str(pk),
            action=action,
        )
        for model, pk in pairs
        if pk is not None and is_indexed(model)
        for name in names
    ]
    if not rows:
        return 0
    SearchIndexChange.objects.bulk_create(rows)
    schedule_drain()
    return len(rows)


DRAIN_TASK = beat.DRAIN_TASK


def _send_drain():
    """Send the drain task (by name: ``alma_cms.search.tasks`` defines it) to
    ``ALMA_CMS["SEARCH_OUTBOX_QUEUE"]`` (None: Celery's default queue).

    Runs in ``transaction.on_commit``: a broker that is down must not turn a committed save
    into an error page, so a failed send is logged and left to the beat entry (the changes
    are safe in the outbox).
    """
    from celery import current_app  # here: only a commit that recorded changes needs Celery

    try:
        # The registered task honours CELERY_TASK_ALWAYS_EAGER (send_task does not).
        task = current_app.tasks.get(DRAIN_TASK)
        send = task.apply_async if task is not None else partial(current_app.send_task, DRAIN_TASK)
        send(
            queue=alma_settings.SEARCH_OUTBOX_QUEUE,
            retry=True,
            retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.2},
        )
    except Exception:  # kombu's OperationalError, connection refused, ...
        logger.warning(
            "could not send %s; the beat entry will drain the outbox", DRAIN_TASK, exc_info=True
        )


send_drain = _send_drain


def schedule_drain(using=None):
    """Send ``alma_cms.search.drain_outbox`` once after the current transaction commits.

    A transaction that records many changes sends one task: the callback is registered only
    if it is not already pending on the connection (a rolled-back savepoint drops it, and the
    next change registers it again). Outside a transaction it is sent at once.
    """
    on_commit_once(DRAIN_TASK, _send_drain, using=using)


# --- Receivers ------------------------------------------------------------------------------


def _post_save(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: the object may be incomplete; `alma_search_reconcile` catches up
        return
    record(instance, UPSERT)


def _post_delete(sender, instance, **kwargs):
    record(instance, DELETE)


def _page_moved(sender, instance, **kwargs):
    # A move rewrites the descendants' path/depth/url_path with no signal: all of them.
    from wagtail.models import Page  # here: wagtail.models imports this app's models

    record(Page.objects.descendant_of(instance, inclusive=True), UPSERT)


def _auto_update_backends(with_auto_update=False):
    """modelsearch's ``get_search_backends_with_name`` without the backends alma owns.

    ``modelsearch.index.insert_or_update_object``/``remove_object`` (its signal handlers, its
    task, Wagtail's image and document forms) call it with ``with_auto_update=True``; leaving
    the owned backends out is what keeps every request from calling the search server.

    When their loop comes back for more after a backend, that backend was written (a failure
    that is raised ends the loop there): then ``index_written`` is sent, in the process that
    wrote, e.g. the worker that ran modelsearch's task.
    """
    owned = set(owned_backends()) if with_auto_update else set()
    wrote = False
    for name, params in _backend_config().items():
        if with_auto_update and (params.get("AUTO_UPDATE", True) is False or name in owned):
            continue
        yield name, get_search_backend(name)
        wrote = with_auto_update
    if wrote:
        send_index_written(modelsearch_index)


def connect():
    """Connect the receivers and leave the owned backends out of modelsearch's auto-update
    path (``alma_cms.search.wiring.install`` calls it); a no-op without modelsearch."""
    if not AVAILABLE:
        return
    # Here: wagtail.signals imports wagtail.models, which needs the app registry.
    from wagtail.signals import post_page_move

    modelsearch_index.get_search_backends_with_name = _auto_update_backends
    for model in modelsearch_index.get_indexed_models():
        if not getattr(model, "search_auto_update", True):
            continue
        post_save.connect(_post_save, sender=model, dispatch_uid=f"alma-outbox-save-{model}")
        post_delete.connect(_post_delete, sender=model, dispatch_uid=f"alma-outbox-delete-{model}")
    # Publishing and unpublishing save the page (post_save records it); a second row per
    # publish would cost an INSERT on every publish for nothing (measured: +4 ms of 30).
    post_page_move.connect(_page_moved, dispatch_uid="alma-outbox-moved")


def pending(backend=None):
    """Count of recorded, not yet drained changes (of one backend, or all)."""
    queryset = SearchIndexChange.objects.all()
    return queryset.filter(backend=backend).count() if backend else queryset.count()


__all__ = ["DELETE", "UPSERT", "connect", "owned_backends", "pending", "record", "send_drain"]
