"""Wagtail search backends with per-language analysis (docs/search.md).

``database`` (PostgreSQL/SQLite; on PostgreSQL each object is analysed with the text search
configuration of its locale's language, ``alma_cms.search.languages``), ``opensearch2``,
``opensearch3``, ``elasticsearch8`` and ``elasticsearch9``: each module exposes
``SearchBackend``, a subclass of django-modelsearch's backend of the same name, for
``WAGTAILSEARCH_BACKENDS[...]["BACKEND"]``. They need Wagtail 8 (django-modelsearch); on
Wagtail 7.4 the system check ``alma_cms.E030`` says so.
"""
