"""Per-language search and durable index updates (docs/search.md).

Modules: ``languages`` (the language -> analyzer mapping), ``query`` (searching a queryset in a
locale), ``backends/`` (Wagtail search backends with per-language analysis), ``outbox``
(index changes recorded in the changing transaction), ``tasks`` (the Celery tasks that drain
the outbox), ``reconcile`` and ``rebuild`` (both read tables by key: ``keyset``), ``signals``
(``index_written``: a search index was written after the commit).
"""
