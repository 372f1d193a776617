"""Schemathesis against API v3's published OpenAPI document, in process (Django's WSGI app, no
network): every GET operation, 25 generated requests each, plus explicit requests for every
page and a guideline of the test site. Fails on any 5xx and on any response that does not
match the document.

Nothing is skipped: the two Wagtail 8.0 defects generated requests used to hit (a 500 for
``find/?site=host:not-a-port`` and for a NUL character in ``search``) are answered by alma-cms's
installation with a 400 and a 422 (see ``test_v3_caching``'s bad-input tests).

Checks: ``not_a_server_error`` and ``response_schema_conformance`` (a response with a documented
status must match its schema). Status-code and content-type conformance are left out: Wagtail's
own operations answer 401/404/422 without documenting them.
"""

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from wagtail.models import Page

from tests.api.helpers import every_block_body, skip_without_api_v3

skip_without_api_v3()
schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import response_schema_conformance  # noqa: E402

pytestmark = pytest.mark.usefixtures("v3_urls")

CHECKS = [not_a_server_error, response_schema_conformance]
MAX_EXAMPLES = 25
# Wagtail 8.0 documents the snippet revision operations with an empty enum of snippet types
# (no snippet model has revisions here), from which nothing can be generated.
UNSATISFIABLE = {
    "GET /api/v3/snippets/{type}/{pk}/revisions/",
    "GET /api/v3/snippets/{type}/{pk}/revisions/{revision_id}/",
}


@pytest.fixture
def wsgi_app(db):
    """Django's WSGI application, as a server runs it, inside the test's transaction: like
    Django's test client, it must not close the database connection after each request."""
    from django.core.handlers.wsgi import WSGIHandler

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def v3_schema(wsgi_app, alma, ru_final_document):
    edition = alma.edition_2021
    edition.body = every_block_body(alma)
    edition.save_revision().publish()
    return schemathesis.openapi.from_wsgi("/api/v3/openapi.json", wsgi_app).include(method="GET")


def run_generated(operation):
    calls = []

    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case):
        response = case.call()
        calls.append(response.status_code)
        case.validate_response(response, checks=CHECKS)

    check()
    return calls


def test_every_get_operation_survives_generated_requests(v3_schema):
    labels, statuses = [], {}
    for result in v3_schema.get_all_operations():
        operation = result.ok()
        if operation.label in UNSATISFIABLE:
            continue
        calls = run_generated(operation)
        assert len(calls) >= MAX_EXAMPLES // 2, operation.label
        labels.append(operation.label)
        statuses[operation.label] = sorted(set(calls))
    assert "GET /api/v3/alma/guidelines/{document_id}/{reference}" in labels
    assert "GET /api/v3/pages/{page_id}/" in labels
    # Some generated requests did reach content, not only errors.
    assert 200 in statuses["GET /api/v3/pages/"]


def test_every_page_and_a_guideline_conform(v3_schema, alma, ru_final_document):
    detail = v3_schema["/api/v3/pages/{page_id}/"]["GET"]
    pages = Page.objects.live().filter(depth__gt=1)
    assert pages.count() > 15
    for page in pages:
        case = detail.Case(path_parameters={"page_id": page.pk})
        response = case.call()
        assert response.status_code == 200, page
        case.validate_response(response, checks=CHECKS)

    guideline = v3_schema["/api/v3/alma/guidelines/{document_id}/{reference}"]["GET"]
    for reference, query in [("II.3", {}), ("v.2", {"locale": "ru"}), ("II.3", {"locale": "ru"})]:
        case = guideline.Case(
            path_parameters={"document_id": alma.final_document.pk, "reference": reference},
            query=query,
        )
        response = case.call()
        assert response.status_code == 200, (reference, query)
        case.validate_response(response, checks=CHECKS)
