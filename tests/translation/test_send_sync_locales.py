"""The debounce of ``tasks.send_sync`` keeps syncs of different locales apart (issue 9): the
report's "Sync selected" sends a sync of the locales ticked; a publish, within
``TRANSLATION_SYNC_DELAY`` before it, sent one of every locale. Folding the two would leave the
other locales unsynced. Celery runs eagerly here (tests/testapp/settings.py): each send's task
runs at once, and a message a worker would take later is replayed with ``sync_task.apply``."""

import pytest
from celery.signals import task_prerun
from django.db import transaction
from django.test import override_settings

from alma_cms.translation import tasks

# Real commits: sends wait for them (``on_commit_once`` keys a send to its transaction).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def org_with_translation(locale_ru):
    """An English Organization with a Russian translation made by wagtail-localize."""
    from wagtail.models import Locale
    from wagtail_localize.models import Translation, TranslationSource

    from alma_cms.models import Organization

    with override_settings(ALMA_CMS={"TRANSLATION_SYNC_ON_PUBLISH": "off"}):
        en, _ = Locale.objects.get_or_create(language_code="en")
        org = Organization.objects.create(name="Library", locale=en)
        source, _ = TranslationSource.get_or_create_from_instance(org)
        Translation.objects.create(source=source, target_locale=locale_ru).save_target()
    return org


@pytest.fixture
def sent():
    """``[(args, kwargs)]`` of each ``alma_cms.translation.sync`` task run: its message."""
    messages = []

    def record(sender=None, args=None, kwargs=None, **_):
        if sender.name == tasks.SYNC_TASK_NAME:
            messages.append((list(args), dict(kwargs)))

    task_prerun.connect(record, weak=False)
    yield messages
    task_prerun.disconnect(record)


def test_a_sync_of_some_locales_does_not_supersede_one_of_every_locale(org_with_translation, sent):
    # Outside a transaction (autocommit): each send goes at once.
    tasks.send_sync(org_with_translation)  # a publish: every locale
    tasks.send_sync(org_with_translation, locales=["ru"])  # "Sync selected", within the delay
    (args_all, kwargs_all), (_args_ru, kwargs_ru) = sent
    assert (kwargs_all["locales"], kwargs_ru["locales"]) == (None, ["ru"])

    # A worker takes the publish's (delayed) message only now: it still syncs.
    result = tasks.sync_task.apply(args=args_all, kwargs=kwargs_all).get()
    assert result != "superseded" and [outcome[0] for outcome in result] == ["ru"]

    # A later send for the same locales does supersede it: the debounce.
    tasks.send_sync(org_with_translation)
    assert tasks.sync_task.apply(args=args_all, kwargs=kwargs_all).get() == "superseded"


def test_one_transaction_sends_one_sync_per_set_of_locales(org_with_translation, sent):
    with transaction.atomic():
        tasks.send_sync(org_with_translation, locales=["ru"])
        tasks.send_sync(org_with_translation, locales=["ru"])
        tasks.send_sync(org_with_translation)
    assert [kwargs["locales"] for _args, kwargs in sent] == [["ru"], None]
