"""What listings convert and compute in bulk gives what Wagtail gives one page at a time:
StreamField values whose chooser blocks share the objects they load (one query per model), and
page URLs worked out from one URL reversal per language."""

import pytest
from django.db.models import Model
from django.test import RequestFactory
from django.utils import translation
from wagtail import blocks
from wagtail.models import Page

from alma_cms.pages import models as m
from alma_cms.representations.prefetch import bulk_convert_streams
from alma_cms.scope import get_scope
from alma_cms.scope.page_urls import UNHANDLED

pytestmark = pytest.mark.django_db


def chosen(block, value, out):
    """Append to ``out`` every model instance a native block value holds, in order."""
    if value is None:
        return out
    if isinstance(block, blocks.StreamBlock):
        for child in value:
            chosen(child.block, child.value, out)
    elif isinstance(block, blocks.ListBlock):
        for item in value:
            chosen(block.child_block, item, out)
    elif isinstance(block, blocks.StructBlock):
        for name, child_block in block.child_blocks.items():
            chosen(child_block, value.get(name), out)
    elif isinstance(value, Model):
        out.append(value)
    return out


def attributes(obj):
    return set(obj.__dict__) - {"_django_version"}


def editions(bulk):
    return list(m.ForumEditionPage.objects.filter(pk__in=[e.pk for e in bulk.editions]))


def test_bulk_conversion_gives_wagtails_values(bulk):
    one_by_one = editions(bulk)
    in_bulk = editions(bulk)
    bulk_convert_streams([page.body for page in in_bulk])
    all_chosen = []
    for alone, together in zip(one_by_one, in_bulk, strict=True):
        stream_block = alone.body.stream_block
        assert stream_block.get_prep_value(together.body) == stream_block.get_prep_value(alone.body)
        expected = chosen(stream_block, alone.body, [])
        got = chosen(stream_block, together.body, [])
        assert [(type(o), o.pk) for o in got] == [(type(o), o.pk) for o in expected]
        # The same attributes (a copy also carries the pickling mark ``_django_version``, as
        # Wagtail's own copies of a repeated id do).
        assert [attributes(o) for o in got] == [attributes(o) for o in expected]
        all_chosen.extend(got)
    # A speaker in a panel and in a speaker list: a distinct instance each time, as Wagtail's.
    assert len({id(o) for o in all_chosen}) == len(all_chosen)
    assert len({(type(o), o.pk) for o in all_chosen}) < len(all_chosen)


def test_bulk_conversion_costs_one_query_per_chosen_model(bulk, django_assert_num_queries):
    pages = editions(bulk)
    values = [page.body for page in pages]
    expected = {
        type(o) for page in editions(bulk) for o in chosen(page.body.stream_block, page.body, [])
    }
    # Speakers are held by three block types (panel moderators and speakers, speaker lists):
    # one query for them, not three.
    assert m.SpeakerPage in expected
    with django_assert_num_queries(len(expected)):
        bulk_convert_streams(values)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_page_urls_are_wagtails(bulk, language):
    request = RequestFactory().get("/")
    scope = get_scope(request)
    pages = list(Page.objects.all().specific())
    assert len(pages) > 100
    with translation.override(language):
        for page in pages:
            url = scope.plain_page_url(page, request)
            assert url is not UNHANDLED
            assert url == page.get_url(request=request)


def test_a_page_url_that_needs_quoting_is_wagtails(bulk):
    request = RequestFactory().get("/")
    scope = get_scope(request)
    speaker = m.SpeakerPage.objects.get(pk=bulk.speakers[0].pk)
    speaker.url_path = speaker.url_path[:-1] + "-é/"  # unicode slugs are allowed
    assert scope.plain_page_url(speaker, request) is UNHANDLED
    assert scope.page_url(speaker) == speaker.get_url(request=request)
    assert "%C3%A9" in scope.page_url(speaker)
