"""Every integer query parameter of API v2 takes ASCII digits only, by one rule
(``alma_cms.api.v2.errors.is_ascii_digits``): Python's ``int()`` also takes other scripts'
digits ("٣" is 3), "+", "_" and spaces, and Wagtail's tree filters use it."""

import pytest

from alma_cms.api.v2.errors import is_ascii_digits
from alma_cms.pages import models as m
from tests.api.helpers import API, type_param

pytestmark = pytest.mark.django_db

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
EDITIONS = type_param(m.ForumEditionPage)


def arabic(number):
    return str(number).translate(ARABIC_INDIC)


def get(client, path="pages/", **params):
    return client.get(f"{API}{path}", params)


@pytest.mark.parametrize("parameter", ["child_of", "descendant_of", "ancestor_of"])
def test_tree_filters_take_ascii_digits_only(alma, client, parameter):
    page = alma.forum_index if parameter != "ancestor_of" else alma.edition_2021
    assert get(client, **{parameter: str(page.pk)}).status_code == 200
    for value in (arabic(page.pk), f"+{page.pk}", f" {page.pk}", f"{page.pk}_0"[:-2] + "_0"):
        response = get(client, **{parameter: value})
        assert response.status_code == 400, (value, response.content[:200])
        assert response.json()["parameter"] == parameter


def test_translation_of_takes_ascii_digits_only(alma, alma_ru, client):
    assert get(client, translation_of=alma.edition_2021.pk).status_code == 200
    response = get(client, translation_of=arabic(alma.edition_2021.pk))
    assert response.status_code == 400
    assert response.json()["parameter"] == "translation_of"


def test_root_is_still_a_parent(alma, client):
    assert get(client, child_of="root").status_code == 200
    assert get(client, descendant_of="root").status_code == 200


def test_integer_field_filters_take_ascii_digits_only(alma, client):
    ok = get(client, type=EDITIONS, year="2019")
    assert ok.status_code == 200
    assert [item["id"] for item in ok.json()["items"]] == [alma.edition_2019.pk]
    for value in (arabic(2019), "+2019", "2_019", "٢019"):
        response = get(client, type=EDITIONS, year=value)
        assert response.status_code == 400, value
        assert response.json()["parameter"] == "year"


def test_the_other_integer_parameters_agree(alma, client):
    """speaker=, offset=, limit= and the detail id already refused them: one rule for all."""
    three = arabic(3)
    assert get(client, type=type_param(m.QuotationPage), speaker=three).status_code == 400
    assert get(client, offset=three).status_code == 400
    assert get(client, limit=three).status_code == 400
    assert client.get(f"{API}pages/{three}/").status_code == 400
    assert get(client, site=f"localhost:{arabic(80)}").status_code == 400


@pytest.mark.parametrize(
    "text,expected",
    [("0", True), ("123", True), ("٣", False), ("³", False), ("", False), ("-1", False)],
)
def test_is_ascii_digits(text, expected):
    assert is_ascii_digits(text) is expected
