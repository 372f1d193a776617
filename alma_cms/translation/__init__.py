"""Translation syncing on Celery (docs/translation.md).

One concern per module:

- ``state``: the ``TranslationSyncState`` rows (last sync time, last error) of a translation.
- ``sync``: updating a translation from its source (draft or live, keeping translators' work).
- ``review``: carried-over translations of changed source strings ("needs review").
- ``status``: where each translation stands, in bulk (the report, the side panel, the API).
- ``jobs``: wagtail-localize's job backend on Celery (``WAGTAILLOCALIZE_JOBS``).
- ``tasks``: the Celery tasks and the on-publish receivers that send them after commit.
- ``subtree``: fixes of wagtail-localize's subtree translation (treebeard ``numchild``).
"""
