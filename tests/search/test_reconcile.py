"""alma_search_reconcile: ids and fingerprints compared per index, drift repaired through the
outbox, --check for monitoring (alma_cms.search.reconcile)."""

import io
import re

import pytest
from wagtail.models import Page

pytest.importorskip("modelsearch", reason="the search outbox needs Wagtail 8 (modelsearch)")

from django.core.management import CommandError, call_command  # noqa: E402

from .outbox_support import INDEX_PREFIX, add_page, outbox_empty, rebuild  # noqa: E402

# No worker and not eager: the command drains in-process.
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.celery,
    pytest.mark.postgres,
    pytest.mark.usefixtures("celery_app"),
]


def _client(url):
    from opensearchpy import OpenSearch

    return OpenSearch(hosts=[url])


def test_check_reports_drift_and_reconcile_repairs_it(search_server, site_root):
    kept = add_page(site_root, "Kept")
    lost = add_page(site_root, "Lost")
    changed = add_page(site_root, "Changed")
    rebuild()
    call_command("alma_search_reconcile", "--check", verbosity=0)

    index = INDEX_PREFIX + "wagtailcore_page"
    es = _client(search_server.url)
    es.delete(index=index, id=str(lost.pk))
    # A missed update: the row changes with no signal and nothing recorded (QuerySet.update()),
    # so the index keeps the old document and the fingerprint stored with it.
    Page.objects.filter(pk=changed.pk).update(title="Changed again")
    es.index(index=index, id="999999", body={"pk": "999999", "title": "Ghost"})

    with pytest.raises(CommandError) as error:
        call_command("alma_search_reconcile", "--check", verbosity=0)
    message = str(error.value)
    assert "missing 1, stale 1, extra 1" in message
    assert "\n" not in message

    out, err = io.StringIO(), io.StringIO()
    call_command("alma_search_reconcile", stdout=out, stderr=err)
    assert re.search(
        rf"default/{index}: \d+ documents in the database, missing 1, stale 1, extra 1",
        out.getvalue(),
    ), out.getvalue()
    assert "objects read" in err.getvalue()
    assert outbox_empty()
    call_command("alma_search_reconcile", "--check", verbosity=0)
    source = es.get(index=index, id=str(changed.pk))["_source"]
    assert source["title"] == "Changed again"
    assert kept.pk


def test_bad_arguments_are_one_line_errors(search_server):
    with pytest.raises(CommandError, match="not an external backend"):
        call_command("alma_search_reconcile", "--backend", "nope", verbosity=0)
    with pytest.raises(CommandError, match="not an installed model"):
        call_command("alma_search_reconcile", "--model", "nope.Nope", verbosity=0)


def test_model_option_limits_to_its_index(search_server, site_root):
    add_page(site_root, "One")
    rebuild()
    out = io.StringIO()
    call_command("alma_search_reconcile", "--check", "--model", "wagtailcore.Page", stdout=out)
    assert out.getvalue().count("documents in the database") == 1


def test_model_option_compares_only_that_models_documents(search_server, site_root):
    """``--model`` reads the model's objects and, in its index, only its documents
    (``_django_content_type``): drift elsewhere in the index is not its business."""
    from alma_cms.pages.models import SpeakerPage

    plain = add_page(site_root, "Plain page")
    speaker = site_root.add_child(
        instance=SpeakerPage(
            title="Ann Reader", slug="ann-reader", given_name="Ann", family_name="Reader"
        )
    )
    speaker.save_revision().publish()
    rebuild()
    _client(search_server.url).delete(index=INDEX_PREFIX + "wagtailcore_page", id=str(plain.pk))
    out = io.StringIO()
    label = "alma_cms_pages.SpeakerPage"
    call_command("alma_search_reconcile", "--check", "--model", label, stdout=out)
    assert re.search(r": 1 documents in the database, missing 0, stale 0, extra 0", out.getvalue())
    with pytest.raises(CommandError, match="missing 1, stale 0, extra 0"):
        call_command("alma_search_reconcile", "--check", "--model", "wagtailcore.Page")
    # A speaker document gone: --model finds it and repairs only that.
    _client(search_server.url).delete(index=INDEX_PREFIX + "wagtailcore_page", id=str(speaker.pk))
    with pytest.raises(CommandError, match="missing 1"):
        call_command("alma_search_reconcile", "--check", "--model", label, verbosity=0)
    call_command("alma_search_reconcile", "--model", label, verbosity=0)
    call_command("alma_search_reconcile", "--check", "--model", label, verbosity=0)


def test_reconcile_task_repairs(search_server, site_root):
    from alma_cms.search.tasks import reconcile_indexes

    page = add_page(site_root, "Task")
    rebuild()
    _client(search_server.url).delete(index=INDEX_PREFIX + "wagtailcore_page", id=str(page.pk))
    counts = reconcile_indexes()
    assert counts[INDEX_PREFIX + "wagtailcore_page"]["missing"] == 1
    call_command("alma_search_reconcile", "--check", verbosity=0)


def test_server_down_is_a_command_error(site_root, settings):
    from .outbox_support import backend_settings

    settings.WAGTAILSEARCH_BACKENDS = backend_settings("http://127.0.0.1:9")
    with pytest.raises(CommandError, match="search server unavailable"):
        call_command("alma_search_reconcile", "--check", verbosity=0)
