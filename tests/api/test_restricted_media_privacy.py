"""HTTP caching of responses that show images or documents of a restricted collection: a
caller who passes the collection's view restriction gets ``Cache-Control: private`` (as for a
restricted page, docs/api.md), an anonymous caller ``public``."""

import pytest
from wagtail.models import Collection, CollectionViewRestriction

from alma_cms.pages import models as m
from alma_cms.scope import RequestScope
from tests.api.helpers import API, backdate_all, type_param

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret_photo(alma):
    backdate_all()
    secret = Collection.get_first_root_node().add_child(name="Secret")
    CollectionViewRestriction.objects.create(collection=secret, restriction_type="login")
    photo = alma.mackenzie.photo
    photo.collection = secret
    photo.save()
    return photo


def test_a_caller_shown_a_restricted_collections_image_gets_a_private_response(
    alma, secret_photo, client, django_user_model
):
    url = f"{API}pages/{alma.mackenzie.pk}/"
    anonymous = client.get(url)
    assert anonymous.json()["photo"] is None
    assert "public" in anonymous["Cache-Control"]
    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    response = client.get(url)
    assert response.json()["photo"] is not None  # the restricted image is shown
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_a_listing_showing_a_restricted_collections_image_is_private(
    alma, secret_photo, client, django_user_model
):
    url = f"{API}pages/?type={type_param(m.SpeakerPage)}&fields=photo"
    assert "public" in client.get(url)["Cache-Control"]
    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    response = client.get(url)
    photos = [item["photo"] for item in response.json()["items"] if item["photo"]]
    assert any(photo["id"] == secret_photo.pk for photo in photos)
    assert "private" in response["Cache-Control"]


def test_sees_restricted_content_reads_no_collection_restrictions_itself(
    alma, secret_photo, rf, django_user_model, django_assert_num_queries
):
    """The flag adds no query: only a response that looked up images or documents (and so
    read the collection restrictions) can have shown one."""
    request = rf.get("/")
    request.user = django_user_model.objects.create_user("reader", password="x")
    scope = RequestScope(request)
    scope.take_restriction_flags(type("Row", (), {"alma_any_page_restriction": False})())
    with django_assert_num_queries(0):
        assert scope.sees_restricted_content is False
    scope.restricted_collection_ids()
    assert scope.sees_restricted_content is True
