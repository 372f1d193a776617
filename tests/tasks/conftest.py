"""Tests here commit (``transaction=True``): Wagtail's tasks run at the commit."""

import pytest


@pytest.fixture(scope="module", autouse=True)
def _restore_migration_data(django_db_blocker):
    """Put back what migrations created (root page, Site, locale, root collection) when a module
    is done. Each ``transaction=True, serialized_rollback=True`` test gets it at its start, but
    the flush after the last one leaves the database empty, and with pytest-xdist
    (``--dist loadfile``) another file's ordinary tests may run next in the same process."""
    yield
    from django.db import connection  # the settings are configured once pytest-django is

    contents = getattr(connection, "_test_serialized_contents", None)
    if contents:
        with django_db_blocker.unblock():
            connection.creation.deserialize_db_from_string(contents)
