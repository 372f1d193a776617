"""Every list item of every StreamField has a stored, stable id and translatable segments
(issue 9). Wagtail's older plain-list storage (no ids) is converted on save
(``alma_cms.blocks.ids``) and by the data migration alma_cms_pages 0005."""

import copy
import importlib

import pytest
from django.apps import apps as django_apps
from wagtail import blocks
from wagtail_localize.segments.extract import extract_segments

from alma_cms.blocks.ids import store_stable_list_ids, stream_fields
from tests.test_localize import translate_page, translated
from tests.testapp.factories import PAGE_TYPES, page_of_type, reload

pytestmark = pytest.mark.django_db


def plain(block, raw):
    """``raw`` (stored JSON of ``block``) with every ListBlock value in the plain-list format."""
    if isinstance(block, blocks.StreamBlock):
        return [
            {**item, "value": plain(block.child_blocks[item["type"]], item["value"])}
            for item in raw
            if item["type"] in block.child_blocks
        ]
    if isinstance(block, blocks.StructBlock) and isinstance(raw, dict):
        return {
            name: plain(block.child_blocks[name], value) if name in block.child_blocks else value
            for name, value in raw.items()
        }
    if isinstance(block, blocks.ListBlock):
        child = block.child_block
        return [
            plain(child, item["value"] if block._item_is_in_block_format(item) else item)
            for item in raw
        ]
    return raw


def list_item_ids(block, raw, found):
    """Append to ``found`` the id of every stored list item; ``None`` for an item without one."""
    if isinstance(block, blocks.StreamBlock):
        for item in raw:
            list_item_ids(block.child_blocks[item["type"]], item["value"], found)
    elif isinstance(block, blocks.StructBlock) and isinstance(raw, dict):
        for name, value in raw.items():
            if name in block.child_blocks:
                list_item_ids(block.child_blocks[name], value, found)
    elif isinstance(block, blocks.ListBlock):
        for item in raw:
            if block._item_is_in_block_format(item):
                found.append(item["id"])
                list_item_ids(block.child_block, item["value"], found)
            else:
                found.append(None)
                list_item_ids(block.child_block, item, found)
    return found


def stored(page, field):
    """The stored JSON of ``field`` of ``page`` (no conversion)."""
    raw = type(page).objects.filter(pk=page.pk).values_list(field.attname, flat=True).get()
    return raw.raw_data if hasattr(raw, "raw_data") else raw


PLAIN_STATISTICS = {
    "type": "statistics",
    "id": "0b7a4d0e-5c1f-4d55-9b7e-3d2a7f0c1a01",
    "value": {
        "title": "In figures",
        "items": [
            {"label": "participants", "value": 147, "qualifier": "exact"},
            {"label": "countries", "value": 12, "qualifier": "exact"},
        ],
    },
}


PLAIN_LINK_LIST = {
    "type": "link_list",
    "id": "0b7a4d0e-5c1f-4d55-9b7e-3d2a7f0c1a02",
    "value": {
        "title": "Read more",
        "links": [
            {"title": "IFLA", "page": None, "url": "https://www.ifla.org/", "description": ""},
            {"title": "RLA", "page": None, "url": "https://www.rba.ru/", "description": ""},
        ],
    },
}


def has_list_block(block):
    if isinstance(block, blocks.ListBlock):
        return True
    children = getattr(block, "child_blocks", None) or {}
    if isinstance(block, blocks.ListBlock):
        children = {"item": block.child_block}
    return any(has_list_block(child) for child in children.values())


def store_plain(page, add_statistics=False):
    """Rewrite the page's stored StreamFields in plain-list format, bypassing save();
    ``add_statistics``: append a statistics block to the fields that offer one."""
    model = type(page)
    for field in stream_fields(model):
        raw = list(stored(page, field))
        for extra in (PLAIN_STATISTICS, PLAIN_LINK_LIST):
            if add_statistics and extra["type"] in field.stream_block.child_blocks:
                raw.append(copy.deepcopy(extra))
        model.objects.filter(pk=page.pk).update(
            **{field.attname: plain(field.stream_block, copy.deepcopy(raw))}
        )


CASES = [(model, field.name) for model in PAGE_TYPES for field in stream_fields(model)]


@pytest.mark.parametrize(
    ("model", "field_name"), CASES, ids=[f"{m.__name__}.{f}" for m, f in CASES]
)
def test_plain_lists_get_stored_stable_ids_on_save(alma, model, field_name):
    page = page_of_type(alma, model)
    field = model._meta.get_field(field_name)
    store_plain(page, add_statistics=True)
    items = list_item_ids(field.stream_block, stored(page, field), [])
    assert all(item_id is None for item_id in items)
    if has_list_block(field.stream_block):
        assert items, "no list content to test"

    reload(page).save()

    first = list_item_ids(field.stream_block, stored(page, field), [])
    assert None not in first and len(first) == len(items)
    reload(page).save()  # idempotent: a second save keeps them
    assert list_item_ids(field.stream_block, stored(page, field), []) == first
    # and a load reads the stored ids
    loaded = list_item_ids(field.stream_block, getattr(reload(page), field_name).raw_data, [])
    assert loaded == first


def test_the_cases_cover_lists_in_most_fields(alma):
    """The factory content has list items in the body/directions fields the cases exercise."""
    with_lists = [
        (model.__name__, name)
        for model, name in CASES
        if list_item_ids(
            model._meta.get_field(name).stream_block,
            stored(page_of_type(alma, model), model._meta.get_field(name)),
            [],
        )
    ]
    assert ("ForumEditionPage", "body") in with_lists
    assert ("GuidelineDocumentPage", "directions") in with_lists


def test_plain_statistics_items_are_translatable(
    alma, locale_ru, admin_user, django_capture_on_commit_callbacks
):
    edition = alma.edition_2021
    store_plain(edition)
    edition = reload(edition)
    # The fault: two loads of the plain list give two sets of ids.
    statistics = [c for c in edition.body if c.block_type == "statistics"][0]
    again = [c for c in reload(edition).body if c.block_type == "statistics"][0]
    assert [i.id for i in statistics.value["items"].bound_blocks] != [
        i.id for i in again.value["items"].bound_blocks
    ]

    reload(edition).save_revision().publish()  # what an editor's publish does
    edition = reload(edition)
    statistics = [c for c in edition.body if c.block_type == "statistics"][0]
    item_ids = [i.id for i in statistics.value["items"].bound_blocks]
    again = [c for c in reload(edition).body if c.block_type == "statistics"][0]
    assert [i.id for i in again.value["items"].bound_blocks] == item_ids

    paths = {s.path for s in extract_segments(edition)}
    assert f"body.{statistics.id}.items.{item_ids[0]}.label" in paths

    translate_page(edition, locale_ru, admin_user, django_capture_on_commit_callbacks)
    ru = translated(edition, locale_ru)
    ru_statistics = [c for c in ru.body if c.block_type == "statistics"][0]
    assert ru_statistics.value["items"][0]["label"] == "[ru] participants"
    assert [i.id for i in ru_statistics.value["items"].bound_blocks] == item_ids


def test_data_migration_stores_ids_once(alma):
    """alma_cms_pages 0005 (``store_stable_list_ids``) converts stored rows, then nothing."""
    migration = importlib.import_module("alma_cms.pages.migrations.0005_stable_list_item_ids")
    edition = alma.edition_2021
    field = type(edition)._meta.get_field("body")
    store_plain(edition, add_statistics=True)
    assert None in list_item_ids(field.stream_block, stored(edition, field), [])

    migration.store_ids(django_apps, None)
    first = list_item_ids(field.stream_block, stored(edition, field), [])
    assert first and None not in first
    assert (
        sum(
            store_stable_list_ids(m)
            for m in django_apps.get_app_config("alma_cms_pages").get_models()
        )
        == 0
    )
    assert list_item_ids(field.stream_block, stored(edition, field), []) == first
    assert reload(edition).body.raw_data[0]["id"] == stored(edition, field)[0]["id"]
