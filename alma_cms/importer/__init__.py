"""Importing documents into draft pages (docs/import.md).

A pipeline, one concern a module, so that other kinds of document, the admin view and
translations can be added beside it:

- ``readers/``: a file → a list of :class:`~alma_cms.importer.blocks.Block` (headings,
  paragraphs, list items with their numbering, each with its line or paragraph number);
- ``final_document``: blocks → a :class:`~alma_cms.importer.final_document.FinalDocument`
  (title, type, directions with their guidelines, ...), using ``numbering`` and ``links``;
- ``names``: people's names (initials, patronymics, word order, transliteration) parsed,
  keyed and compared, to match a speaker named in a document to an existing one;
- ``plan``: a parsed document and a target (parent page, locale) → an
  :class:`~alma_cms.importer.plan.ImportPlan` (create, update or nothing), reading the
  database only; printed by ``--dry-run``;
- ``writer``: carries a plan out, in one transaction, as a draft (never published).

Every problem with the input is a :class:`~alma_cms.importer.errors.DocumentError` naming
the line or paragraph.
"""
