"""alma_cms.commit.on_commit_once: one callback per key and transaction, after commit."""

import pytest
from django.db import transaction

from alma_cms.commit import on_commit_once

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_once_per_key_and_transaction_after_commit():
    ran = []
    with transaction.atomic():
        first = on_commit_once("a", lambda: ran.append("a1"))
        again = on_commit_once("a", lambda: ran.append("a2"))
        on_commit_once("b", lambda: ran.append("b"))
        assert again is first
        assert ran == []
    assert ran == ["a1", "b"]
    with transaction.atomic():  # a new transaction registers the key again
        on_commit_once("a", lambda: ran.append("a3"))
    assert ran == ["a1", "b", "a3"]


def test_a_rolled_back_savepoint_drops_the_callback():
    ran = []
    with transaction.atomic():
        try:
            with transaction.atomic():
                on_commit_once("a", lambda: ran.append("rolled back"))
                raise RuntimeError
        except RuntimeError:
            pass
        on_commit_once("a", lambda: ran.append("kept"))
        on_commit_once("a", lambda: ran.append("duplicate"))
    assert ran == ["kept"]


def test_a_rolled_back_transaction_runs_nothing_and_leaves_nothing():
    ran = []
    with pytest.raises(RuntimeError), transaction.atomic():
        on_commit_once("a", lambda: ran.append("rolled back"))
        raise RuntimeError
    with transaction.atomic():
        on_commit_once("a", lambda: ran.append("next"))
    assert ran == ["next"]


def test_outside_a_transaction_it_runs_at_once():
    ran = []
    on_commit_once("a", lambda: ran.append("now"))
    on_commit_once("a", lambda: ran.append("again"))
    assert ran == ["now", "again"]
