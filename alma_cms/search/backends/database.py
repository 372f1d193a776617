"""Database search backend with per-language analysis: ``alma_cms.search.backends.database``.

Use it in ``WAGTAILSEARCH_BACKENDS`` like Wagtail's ``wagtail.search.backends.database``::

    WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "alma_cms.search.backends.database"}}

- PostgreSQL: each object is analysed with the text search configuration of its own language
  (``postgres_config(analyzer_for(language_of(obj)))``: ``russian``, ``english``, ...,
  ``simple``), in modelsearch's one ``IndexEntry`` table. A query is analysed with the
  configuration of the requested language (``alma_search(..., language="ru")``), or, with no
  language (Wagtail's own ``search()``, the admin), with the configurations of all content
  languages OR-ed together. ``SEARCH_CONFIG`` is ignored (system check ``alma_cms.W020``): the
  configuration of a row follows from its object, not from the backend, so several backends
  writing the same table write the same rows (wagtail#9253).
- SQLite (FTS5), MySQL and databases without full-text search: modelsearch's backend for that
  database, unchanged. SQLite's FTS5 ``unicode61`` tokenizer does not stem: "libraries" does not
  find "library" there.

Needs Wagtail 8 (django-modelsearch); on Wagtail 7.4 system check ``alma_cms.E030`` reports it.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import connection

try:
    import modelsearch
except ImportError:  # Wagtail 7.4: search lives in wagtail.search, no modelsearch
    modelsearch = None


def SearchBackend(params):  # noqa: N802  (modelsearch loads a module's ``SearchBackend``)
    """The backend for the default database's vendor (as modelsearch's own factory does)."""
    if modelsearch is None:
        raise ImproperlyConfigured(
            "alma_cms.search.backends.database needs Wagtail 8 (django-modelsearch)."
        )

    if connection.vendor == "postgresql":
        # Imports django.contrib.postgres.search: only where the database is PostgreSQL.
        from ._postgres import AlmaPostgresSearchBackend

        return AlmaPostgresSearchBackend(params)
    # SQLite FTS5 / MySQL / fallback: stock analysis (no per-language stemming); imported
    # here so that this module imports on Wagtail 7.4 (no modelsearch).
    from modelsearch.backends.database import SearchBackend as stock_backend

    return stock_backend(params)
