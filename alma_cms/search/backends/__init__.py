"""Wagtail search backends with per-language analysis (docs/search.md).

``database``: modelsearch's database backend; on PostgreSQL each object is analysed with the
text search configuration of its locale's language (``alma_cms.search.languages``).
"""
