"""Unknown URLs under an API's mount (alma_cms.api.not_found): a JSON 404 from the API, never a
fall-through to the page routes (a language redirect to an HTML 404); the real endpoints answer
as before.

``/api/v2/`` alone: ``tests.api.urls_v2`` (the router, then the pages under i18n_patterns). The
sandbox's layout (preview, guidelines, router, API v3, pages): ``v3_urls``."""

import pytest
from django.test import Client

from tests.api.helpers import API, HAS_API_V3

pytestmark = pytest.mark.django_db

V2_MESSAGE = "No API endpoint at this URL (endpoints: pages/, images/, documents/, organizations/)."
GUIDELINE_MESSAGE = (
    "No guideline at this URL: cite one as <document id>/<number or guideline id> under this "
    "prefix, e.g. 12/II.3."
)
needs_v3 = pytest.mark.skipif(not HAS_API_V3, reason="API v3 needs Wagtail 8")

MISTYPED_V2 = [
    "nothing/",
    "nothing",
    "",
    "page/",
    "Pages/",
    "pages/1/extra/",
    "pages/find/extra/",
    "images/1/2/",
    "organisations/",
    "guidelines/",  # no guideline URLs in tests.api.urls_v2: the router's catch-all answers
    "nothing/deeper/still/?format=json",
]
METHODS = ["post", "put", "patch", "delete", "options"]


def assert_json_404(response, message, media_type="application/json"):
    assert response.status_code == 404, (response.status_code, response.content[:300])
    assert response["Content-Type"].split(";")[0] == media_type
    assert "Location" not in response
    data = response.json()
    if media_type == "application/json":
        assert data == {"message": message}
    else:  # API v3: RFC 7807
        assert data["status"] == 404
        assert data["detail"] == message
    return response


# --- API v2 -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", MISTYPED_V2)
def test_a_mistyped_v2_path_is_a_json_404(client, path):
    response = assert_json_404(client.get(API + path), V2_MESSAGE)
    assert "no-cache" in response["Cache-Control"]
    assert response["Content-Language"] == "en"


@pytest.mark.parametrize("method", METHODS)
def test_other_methods_on_an_unknown_v2_path_are_json_404s_too(method):
    client = Client(enforce_csrf_checks=True)  # no CSRF token: still the 404, not a 403
    response = getattr(client, method)(API + "nothing/", data="{}", content_type="application/json")
    assert_json_404(response, V2_MESSAGE)


def test_head_of_an_unknown_v2_path_is_a_404(client):
    response = client.head(API + "nothing/")
    assert response.status_code == 404
    assert "Location" not in response


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("pages", "/api/v2/pages/"),
        ("pages?limit=1", "/api/v2/pages/?limit=1"),
        ("pages/5", "/api/v2/pages/5/"),
        ("pages/find", "/api/v2/pages/find/"),
        ("images", "/api/v2/images/"),
    ],
)
def test_a_real_endpoint_without_its_slash_still_redirects_to_it(client, path, location):
    """Django's APPEND_SLASH, as before the catch-all (CommonMiddleware no longer sees a 404)."""
    response = client.get(API + path)
    assert response.status_code == 301
    assert response["Location"] == location


def test_other_methods_on_a_real_endpoint_without_its_slash_are_json_404s(client):
    assert_json_404(client.post(API + "pages"), V2_MESSAGE)


def test_the_real_v2_endpoints_still_answer(alma, client, image):
    for path in ("pages/", "images/", "documents/", "organizations/"):
        response = client.get(API + path)
        assert response.status_code == 200, path
        assert "items" in response.json(), path
    edition = alma.edition_2021
    assert client.get(f"{API}pages/{edition.pk}/").json()["id"] == edition.pk
    assert client.get(f"{API}images/{image.pk}/").json()["id"] == image.pk
    assert client.get(f"{API}organizations/{alma.lfl.pk}/").json()["id"] == alma.lfl.pk
    found = client.get(f"{API}pages/find/", {"html_path": edition.url})
    assert found.status_code == 302
    assert found["Location"].split("?")[0].endswith(f"/api/v2/pages/{edition.pk}/")


def test_the_v2_errors_of_real_endpoints_are_unchanged(client):
    missing = client.get(f"{API}pages/999999/")
    assert missing.status_code == 404
    assert missing.json() != {"message": V2_MESSAGE}
    assert set(missing.json()) == {"message"}
    invalid = client.get(f"{API}pages/abc/")
    assert invalid.status_code == 400
    assert invalid.json()["parameter"] == "id"


def test_unknown_pages_outside_the_api_still_redirect_to_their_language(client):
    response = client.get("/nowhere/")
    assert response.status_code == 302
    assert response["Location"] == "/en/nowhere/"


def test_every_router_built_gets_the_catch_all():
    from alma_cms.api import build_api_router

    patterns = build_api_router("other").urls[0]
    assert patterns[-1].name == "not-found"


# --- The sandbox's layout: preview, guidelines, router, API v3 ------------------------------------


@pytest.mark.usefixtures("v3_urls")
@pytest.mark.parametrize(
    "path",
    [
        "/api/v2/guidelines/",
        "/api/v2/guidelines/12/",
        "/api/v2/guidelines/abc/II.3",
        "/api/v2/guidelines/12/II.3/",
        "/api/v2/guidelines/12/II.3/extra",
    ],
)
def test_a_guideline_url_without_its_parts_is_a_json_404(client, path):
    assert_json_404(client.get(path), GUIDELINE_MESSAGE)


@pytest.mark.usefixtures("v3_urls")
@pytest.mark.parametrize("method", METHODS)
def test_other_methods_on_a_guideline_url_without_its_parts_are_json_404s(method):
    client = Client(enforce_csrf_checks=True)
    assert_json_404(getattr(client, method)("/api/v2/guidelines/"), GUIDELINE_MESSAGE)


@pytest.mark.usefixtures("v3_urls")
@pytest.mark.parametrize("path", ["/api/v2/nothing/", "/api/v2/guidelines", "/api/v2/"])
def test_a_mistyped_v2_path_is_a_json_404_in_the_sandbox_layout(client, path):
    assert_json_404(client.get(path), V2_MESSAGE)


@pytest.mark.usefixtures("v3_urls")
def test_the_routes_before_the_router_still_answer(alma, client):
    document = alma.final_document
    cited = client.get(f"/api/v2/guidelines/{document.pk}/II.3")
    assert cited.status_code == 200
    assert cited.json()["guideline"]["number"] == "II.3"
    unknown = client.get(f"/api/v2/guidelines/{document.pk}/IX.9")
    assert unknown.status_code == 404
    assert unknown.json()["message"] != GUIDELINE_MESSAGE
    preview = client.get("/api/v2/preview/")  # no token: the preview's own 400
    assert preview.status_code == 400
    assert client.get(f"/api/v2/pages/{alma.edition_2021.pk}/").status_code == 200


@needs_v3
@pytest.mark.usefixtures("v3_urls")
@pytest.mark.parametrize(
    "path",
    ["/api/v3/nothing/", "/api/v3/nothing", "/api/v3/alma/guidelines/", "/api/v3/pages/1/x/"],
)
def test_a_mistyped_v3_path_is_the_apis_own_404(client, path):
    assert_json_404(client.get(path), "No API endpoint at this URL.", "application/problem+json")


@needs_v3
@pytest.mark.usefixtures("v3_urls")
@pytest.mark.parametrize("method", METHODS)
def test_other_methods_on_an_unknown_v3_path_are_404s_too(method):
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)("/api/v3/nothing/")
    assert_json_404(response, "No API endpoint at this URL.", "application/problem+json")


@needs_v3
@pytest.mark.usefixtures("v3_urls")
def test_the_real_v3_endpoints_still_answer(alma, client):
    assert client.get("/api/v3/pages/").status_code == 200
    document = alma.final_document
    assert client.get(f"/api/v3/alma/guidelines/{document.pk}/II.3").status_code == 200
    assert client.get("/api/v3/openapi.json").status_code == 200
    missing = client.get("/api/v3/pages/999999/")
    assert missing.status_code == 404
    assert missing.json()["detail"] != "No API endpoint at this URL."
