import pytest


@pytest.mark.django_db
def test_api_404_stays_json_instead_of_a_language_redirect(client):
    response = client.get("/api/v2/pages/987654/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "Accept-Language" in response["Vary"]


@pytest.mark.django_db
def test_html_404_still_redirects_to_the_language_prefixed_url(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 302
    assert response["Location"] == "/en/no-such-page/"
