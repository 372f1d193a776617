"""The API's JSON renderer (``alma_cms.api.rendering``): orjson writes DRF's bytes exactly, and
image representations read the rendition the scope prefetched."""

import datetime
import decimal
import uuid

import pytest
from django.utils.functional import lazy
from rest_framework.renderers import JSONRenderer as DRFJSONRenderer

from alma_cms.api import rendering
from alma_cms.api.rendering import JSONRenderer
from alma_cms.pages import models as m
from alma_cms.scope import IMAGE_RENDITION_SPEC, prefetched_rendition
from tests.api.helpers import API, type_param, warm

pytest.importorskip("orjson")

LAZY = lazy(lambda: "lazy text", str)()

PAYLOAD = {
    "id": 7,
    "title": 'Форум «ALMA» — 2021 \u2028 line\u2029 paragraph " \\ \n \t \x01 \x7f é 😀',
    "empty_list": [],
    "empty_dict": {},
    "nested": [1, [2, [3, {"a": None, "b": True, "c": False}]], {"d": [{}]}],
    "when": datetime.datetime(2021, 4, 20, 10, 30, 5, 123456, tzinfo=datetime.UTC),
    "naive": datetime.datetime(2021, 4, 20, 10, 30),
    "day": datetime.date(2021, 4, 20),
    "time": datetime.time(9, 15),
    "hours": decimal.Decimal("2.5"),
    "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "lazy": LAZY,
    "floats": [0.1, 2.5, 1e16, 1e22, 123456789.123, -0.0],
    "big": 2**63 - 1,
    "tuple": (1, "two"),
}


@pytest.mark.parametrize("indent", [None, 2, 4])
def test_orjson_writes_drfs_bytes(indent):
    context = {"indent": indent} if indent else {}
    ours = JSONRenderer().render(PAYLOAD, "application/json", context)
    drf = DRFJSONRenderer().render(PAYLOAD, "application/json", context)
    assert ours == drf
    assert b"\\u2028" in ours  # escaped, as DRF does


def test_orjson_is_what_writes(monkeypatch):
    calls = []
    real = rendering.dumps
    monkeypatch.setattr(rendering, "dumps", lambda *a, **k: calls.append(1) or real(*a, **k))
    JSONRenderer().render({"a": 1}, "application/json", {"indent": 4})
    assert calls == [1]


@pytest.mark.parametrize(
    "data, media_type",
    [
        ({1: "integer key"}, "application/json"),  # orjson refuses non-string keys
        ({"big": 2**70}, "application/json"),  # and integers over 64 bits
        (PAYLOAD, "application/json; indent=3"),  # DRF honours any indent in Accept
    ],
    ids=["int-key", "big-int", "indent-3"],
)
def test_what_orjson_cannot_write_drf_does(data, media_type):
    context = {"indent": 4}
    assert JSONRenderer().render(data, media_type, context) == DRFJSONRenderer().render(
        data, media_type, context
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model",
    [m.ForumEditionPage, m.SpeakerPage, m.QuotationPage, m.GuidelineDocumentPage],
    ids=lambda c: c.__name__,
)
def test_api_responses_are_the_same_bytes_without_orjson(bulk, client, monkeypatch, model):
    first = model.objects.live().order_by("pk").first()
    urls = [
        f"{API}pages/?type={type_param(model)}&fields=*&limit=20",
        f"{API}pages/{first.pk}/",
    ]
    fast = [warm(client, url).content for url in urls]
    monkeypatch.setattr(rendering, "orjson", None)
    slow = [warm(client, url).content for url in urls]
    assert fast == slow
    assert all(b'\n    "' in body for body in fast)  # indented by 4, as Wagtail renders


@pytest.mark.django_db
def test_prefetched_rendition_needs_no_query_and_no_cache_write(
    bulk, django_assert_num_queries, monkeypatch
):
    from wagtail.images import get_image_model
    from wagtail.images.models import Rendition

    image = get_image_model().objects.get(pk=bulk.speakers[0].photo_id)
    made = image.get_rendition(IMAGE_RENDITION_SPEC)
    image.prefetched_renditions = list(image.renditions.filter(filter_spec=IMAGE_RENDITION_SPEC))
    writes = []
    monkeypatch.setattr(Rendition.cache_backend, "set", lambda *a, **k: writes.append(a))
    with django_assert_num_queries(0):
        found = prefetched_rendition(image, IMAGE_RENDITION_SPEC)
    assert found.pk == made.pk and writes == []


@pytest.mark.django_db
def test_prefetched_rendition_falls_back_to_get_rendition(bulk):
    from wagtail.images import get_image_model

    image = get_image_model().objects.get(pk=bulk.speakers[0].photo_id)
    image.prefetched_renditions = []  # prefetched, but not this spec: made (or found) anyway
    rendition = prefetched_rendition(image, "width-37")
    assert rendition.width == 37 or rendition.filter_spec == "width-37"
