"""The translation sends with the broker down: a publish's sync and a wagtail-localize job are
logged as lost, never raised into the request that committed (it would answer 500 for a
change that stands); the translation stays "out of date" in the report, where it can be
synced again."""

import logging

import pytest
from django.db import transaction
from django.test import override_settings

from alma_cms.translation import tasks
from alma_cms.translation.jobs import CeleryJobBackend
from tests.broker_down import broker_down  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_content_types():
    # A committing test module run before this one (tests/tasks) may leave content type ids
    # cached that its last flush and restore changed.
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


def _lost(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "alma_cms.translation"]


def test_a_sync_sent_with_the_broker_down_is_logged(broker_down, caplog, locale_ru):  # noqa: F811
    from wagtail.models import Locale

    from alma_cms.models import Organization

    en, _ = Locale.objects.get_or_create(language_code="en")
    with override_settings(ALMA_CMS={"TRANSLATION_SYNC_ON_PUBLISH": "off"}):
        org = Organization.objects.create(name="Library", locale=en)
    with caplog.at_level(logging.ERROR, logger="alma_cms.translation"):
        with transaction.atomic():
            org.name = "Library of the year"
            org.save()
            tasks.send_sync(org, delay=0)
    assert Organization.objects.get(pk=org.pk).name == "Library of the year"
    assert _lost(caplog) == [
        f"Could not send the translation sync of alma_cms.Organization {org.pk} to Celery; "
        "its translations stay out of date until synced from the report or "
        "alma_sync_translations."
    ]


def test_a_job_sent_with_the_broker_down_is_logged(broker_down, caplog, locale_ru):  # noqa: F811
    from wagtail.models import Locale
    from wagtail_localize.synctree import synchronize_tree

    en, _ = Locale.objects.get_or_create(language_code="en")
    with caplog.at_level(logging.ERROR, logger="alma_cms.translation"):
        with transaction.atomic():
            CeleryJobBackend().enqueue(synchronize_tree, [en, locale_ru], {})
    [message] = _lost(caplog)
    assert message.startswith("Could not send wagtail-localize job ")
    assert message.endswith("to Celery; it will not run: submit it again when the broker is back.")


def test_sync_selected_with_the_broker_down_says_it_was_not_sent(
    broker_down,  # noqa: F811
    admin_client,
    caplog,
    locale_ru,
):
    """The report's "Sync selected" runs outside a transaction here (no ATOMIC_REQUESTS), so
    the send happens in the request: its failure is shown, not "sent"."""
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.messages import get_messages
    from wagtail.models import Locale

    from alma_cms.models import Organization

    en, _ = Locale.objects.get_or_create(language_code="en")
    with override_settings(ALMA_CMS={"TRANSLATION_SYNC_ON_PUBLISH": "off"}):
        org = Organization.objects.create(name="Library", locale=en)
    content_type = ContentType.objects.get_for_model(Organization)
    with caplog.at_level(logging.ERROR, logger="alma_cms.translation"):
        response = admin_client.post(
            "/admin/alma-cms/translation-status/action/",
            {"action": "sync", "rows": [f"{content_type.pk}:{org.pk}:ru"]},
        )
    assert response.status_code == 302
    shown = [(m.level_tag, str(m).strip()) for m in get_messages(response.wsgi_request)]
    assert shown == [
        (
            "error",
            "The sync of 1 source could not be sent: the Celery broker cannot be reached. "
            "Nothing changed; sync it again when the broker is back.",
        )
    ]
    assert len(_lost(caplog)) == 1


def test_send_sync_says_whether_it_was_sent(broker_down, locale_ru):  # noqa: F811
    from wagtail.models import Locale

    from alma_cms.models import Organization

    en, _ = Locale.objects.get_or_create(language_code="en")
    with override_settings(ALMA_CMS={"TRANSLATION_SYNC_ON_PUBLISH": "off"}):
        org = Organization.objects.create(name="Library", locale=en)
    assert tasks.send_sync(org, delay=0) is False  # outside a transaction: sent at once
    with transaction.atomic():
        assert tasks.send_sync(org, delay=0) is None  # waits for the commit
