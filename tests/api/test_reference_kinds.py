"""Kinds of reference (``alma_cms.representations``): one declaration each, from which the DRF
field, the OpenAPI component and the prefetch plan follow.

The throwaway kind here, a page's owner (``auth.User``, which no built-in kind loads), is
declared in this module only; the tests show that the DRF field, the v3 OpenAPI typing of an
``api_fields`` entry and the bulk loading (foreign keys, chooser blocks, dependencies) all work
from that declaration, and that the built-in kinds are declared the same way.
"""

import warnings

import pytest
from django.contrib.auth import get_user_model
from rest_framework import serializers
from wagtail.api import APIField
from wagtail.snippets.blocks import SnippetChooserBlock

from alma_cms import api_fields
from alma_cms.api.prefetch import collect_block, prefetch_for_api_fields, prefetch_for_serializer
from alma_cms.api.schemas import SchemaGenerator
from alma_cms.api_fields import ReferenceAPIField
from alma_cms.representations import (
    ReferenceKind,
    get_kind,
    kind_for_component,
    kind_for_model,
    register_kind,
    registered_kinds,
    unregister_kind,
)
from alma_cms.representations.base import setting_model
from alma_cms.representations.json_schema import object_schema
from alma_cms.scope import RequestScope
from tests.api.helpers import skip_without_api_v3

OWNER_SCHEMA = object_schema({"id": {"type": "integer"}, "username": {"type": "string"}})


class PageOwnerKind(ReferenceKind):
    """The whole declaration of a new kind of reference."""

    name = "page_owner"
    component = "TestPageOwner"

    def __init__(self):
        self.loaded = []  # what ``dependencies`` was called with

    def represent(self, scope, value):
        return {"id": value.pk, "username": value.get_username()}

    def json_schema(self, generator):
        return OWNER_SCHEMA

    def model(self):
        return get_user_model()

    def dependencies(self, scope, obj, locale_id):
        if isinstance(obj, self.model()):
            self.loaded.append(obj.pk)


@pytest.fixture
def owner_kind():
    kind = register_kind(PageOwnerKind())
    yield kind
    unregister_kind(kind.name)


@pytest.fixture
def owned_speakers(alma):
    """The site's speakers, each owned by a user of its own."""
    speaker_model = setting_model("SPEAKER_PAGE_MODEL")
    users = get_user_model().objects
    speakers = list(speaker_model.objects.order_by("pk"))
    for number, speaker in enumerate(speakers):
        owner = users.create_user(username=f"owner{number}", password="x")
        speaker_model.objects.filter(pk=speaker.pk).update(owner=owner)
    return list(speaker_model.objects.order_by("pk"))


class OwnerField(ReferenceAPIField):
    """A named field class for the kind, as ``alma_cms.api_fields`` has for the built-in ones."""

    kind_name = "page_owner"


class OwnerSerializer(serializers.Serializer):
    title = serializers.CharField()
    owner = ReferenceAPIField(kind="page_owner")


def test_a_new_kind_gives_a_drf_field_loaded_in_bulk(
    owner_kind, owned_speakers, django_assert_num_queries
):
    assert len(owned_speakers) >= 3
    scope = RequestScope(None)
    # One query for the locales, one for every owner: not one per page.
    with django_assert_num_queries(2):
        prefetch_for_serializer(scope, owned_speakers, OwnerSerializer())
    assert sorted(owner_kind.loaded) == sorted(page.owner_id for page in owned_speakers)
    with django_assert_num_queries(0), scope.activated():
        data = OwnerSerializer(owned_speakers, many=True).data
    assert [item["owner"]["username"] for item in data] == [
        f"owner{number}" for number in range(len(owned_speakers))
    ]


def test_a_new_kind_in_api_fields_is_loaded_in_bulk_for_api_v3(
    owner_kind, owned_speakers, monkeypatch, django_assert_num_queries
):
    model = type(owned_speakers[0])
    monkeypatch.setattr(model, "api_fields", [APIField("owner", serializer=OwnerField())])
    scope = RequestScope(None)
    with django_assert_num_queries(2):  # locales, owners
        prefetch_for_api_fields(scope, owned_speakers)
    with django_assert_num_queries(0):
        owners = [page.owner.get_username() for page in owned_speakers]
    assert owners == [f"owner{number}" for number in range(len(owned_speakers))]


def test_a_new_kind_types_the_openapi_document(owner_kind, monkeypatch):
    skip_without_api_v3()
    # Here, not at the top: alma_cms.api.v3 refuses to load on Wagtail 7.4 (API v2 only).
    from alma_cms.api.v3.openapi import type_openapi_schema

    model = setting_model("SPEAKER_PAGE_MODEL")
    monkeypatch.setattr(model, "api_fields", [APIField("owner", serializer=OwnerField())])
    document = {
        "components": {
            "schemas": {
                "SpeakerPageSchema": {
                    "type": "object",
                    "properties": {
                        "meta": {"properties": {"type": {"const": model._meta.label}}},
                        "owner": {"title": "Owner"},
                    },
                }
            }
        }
    }
    schemas = type_openapi_schema(document)["components"]["schemas"]
    assert schemas["SpeakerPageSchema"]["properties"]["owner"] == {
        "anyOf": [{"$ref": "#/components/schemas/TestPageOwner"}, {"type": "null"}],
        "title": "Owner",
    }
    assert "owner" in schemas["SpeakerPageSchema"]["required"]
    assert schemas["TestPageOwner"] == OWNER_SCHEMA


def test_a_new_kind_is_a_component_other_schemas_refer_to(owner_kind):
    generator = SchemaGenerator(ref_template="#/$defs/{name}")
    assert generator.reference("page_owner") == {"$ref": "#/$defs/TestPageOwner"}
    assert generator.shared("TestPageOwner") == {"$ref": "#/$defs/TestPageOwner"}
    assert generator.definitions == {"TestPageOwner": OWNER_SCHEMA}


def test_a_chooser_block_of_a_new_kind_is_collected(
    owner_kind, owned_speakers, django_assert_num_queries
):
    owner = owned_speakers[0].owner
    block = SnippetChooserBlock(get_user_model())
    scope = RequestScope(None)
    with django_assert_num_queries(0):
        collect_block(scope, block, owner, None)
        scope.resolve()
        assert owner_kind.cached(scope, owner.pk, get_user_model()) is owner
    assert owner_kind.loaded == [owner.pk]


def test_the_registry_finds_kinds_by_model_and_component(owner_kind):
    user_model = get_user_model()
    assert kind_for_model(user_model) is owner_kind
    assert kind_for_component("TestPageOwner") is owner_kind
    assert get_kind("page_owner") is owner_kind is get_kind(owner_kind)
    unregister_kind("page_owner")
    assert kind_for_model(user_model) is None
    with pytest.raises(LookupError):
        get_kind("page_owner")
    with pytest.raises(LookupError):
        ReferenceAPIField(kind="page_owner").kind  # noqa: B018


# --- the built-in kinds ------------------------------------------------------------------------


BUILT_IN = {
    "image": ("AlmaImage", api_fields.ImageAPIField),
    "document": ("AlmaDocument", api_fields.DocumentAPIField),
    "page_link": ("AlmaPageLink", api_fields.PageLinkAPIField),
    "speaker": ("AlmaSpeaker", api_fields.SpeakerAPIField),
    "quotation": ("AlmaQuotation", api_fields.QuotationAPIField),
    "organization": ("AlmaOrganization", api_fields.OrganizationAPIField),
    "rich_text": (None, api_fields.RichTextAPIField),
    "country": ("AlmaCountry", api_fields.CountryAPIField),
}


def test_every_built_in_kind_is_registered_with_its_component_and_field():
    assert {kind.name for kind in registered_kinds()} == set(BUILT_IN)
    for name, (component, field_class) in BUILT_IN.items():
        assert get_kind(name).component == component
        assert field_class().kind is get_kind(name)


def test_page_references_go_to_the_most_specific_page_kind(db):
    from wagtail.models import Page

    assert kind_for_model(setting_model("SPEAKER_PAGE_MODEL")).name == "speaker"
    assert kind_for_model(setting_model("QUOTATION_PAGE_MODEL")).name == "quotation"
    assert kind_for_model(setting_model("FORUM_EDITION_PAGE_MODEL")).name == "page_link"
    assert kind_for_model(Page).name == "page_link"


# --- the old import paths ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("ImageField", api_fields.ImageAPIField),
        ("RichTextField", api_fields.RichTextAPIField),
        ("OrganizationField", api_fields.OrganizationAPIField),
        ("SpeakerField", api_fields.SpeakerAPIField),
        ("PageLinkField", api_fields.PageLinkAPIField),
        ("CountryAPIField", api_fields.CountryAPIField),
    ],
)
def test_alma_cms_serializers_is_a_deprecated_alias(old, new):
    from alma_cms import serializers as old_module

    with pytest.warns(DeprecationWarning, match="alma_cms.api_fields"):
        assert getattr(old_module, old) is new


def test_api_v2_prefetch_is_a_deprecated_alias():
    from alma_cms.api import prefetch
    from alma_cms.api.v2 import prefetch as old_module

    with pytest.warns(DeprecationWarning, match="alma_cms.api.prefetch"):
        assert old_module.prefetch_for_serializer is prefetch.prefetch_for_serializer
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        from alma_cms.api.v2.serializers import translation_items  # still importable

    from alma_cms.api.translations import translation_items as moved

    assert translation_items is moved
