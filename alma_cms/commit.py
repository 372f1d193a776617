"""Running a callback once per transaction, after it commits: the task backend's sends, the
search outbox's drain, the translation syncs, the scope's site structure token. At the bottom
of the layers (Django only), so that the scope may use it too."""

from django.db import transaction


class _Once:
    """An on_commit callback tagged with ``key``, the identity of its duplicates."""

    def __init__(self, key, func):
        self.key = key
        self.func = func
        # Django logs a failed robust callback by its __qualname__ (BaseDatabaseWrapper.
        # run_and_clear_commit_hooks); without one, the logging itself raised.
        self.__qualname__ = getattr(func, "__qualname__", type(func).__qualname__)

    def __call__(self):
        self.func()


def _pending(connection):
    """``{key: callback}`` of the keyed callbacks still waiting in ``connection``'s transaction.

    Django drops the callbacks of a rolled-back savepoint (or transaction) by replacing
    ``connection.run_on_commit`` with a new list, and commits by swapping in an empty one;
    between those it only appends. So the map is kept with the list it describes and built
    again from the list when that list is no longer the same object: O(1) per call, however
    many callbacks the transaction holds. The map lives on the connection, which Django keeps
    per thread (and per async context)."""
    current = connection.run_on_commit
    cached = getattr(connection, "_alma_on_commit_once", None)
    if cached is not None and cached[0] is current:
        return cached[1]
    pending = {func.key: func.func for _sids, func, _robust in current if isinstance(func, _Once)}
    connection._alma_on_commit_once = (current, pending)
    return pending


def on_commit_once(key, callback, *, using=None, robust=False):
    """Register ``callback`` (no arguments) with ``transaction.on_commit`` unless a callback
    registered under ``key`` (any hashable) is still pending in the current transaction of
    ``using``; return the pending callback (``callback`` itself when it was registered).

    A callback registered in a savepoint that is rolled back is no longer pending: the next
    call registers it again. Outside a transaction ``callback`` runs at once, as
    ``on_commit`` runs it."""
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        callback()
        return callback
    pending = _pending(connection)
    if key in pending:
        return pending[key]
    pending[key] = callback
    transaction.on_commit(_Once(key, callback), using=using, robust=robust)
    return callback
