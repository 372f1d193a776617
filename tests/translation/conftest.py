"""Translated pages for the sync engine's tests, built with wagtail-localize's own flow
(``TranslationCreator``, a ``StringTranslation`` per string, ``save_target``) as in
tests/test_localize.py."""

import datetime

import pytest
from wagtail.models import Page
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource
from wagtail_localize.operations import TranslationCreator

from bench.translation import directions  # the benchmark's documents, the same shape
from tests.testapp.factories import add_page


def ru(text):
    return f"[ru] {text}"


def translate_all(source, locale, user=None):
    """A translator translates every string of ``source`` (a ``TranslationSource``): "[ru] "
    and the source text (inline markup kept)."""
    for segment in StringSegment.objects.filter(source=source).select_related("string", "context"):
        text = segment.string.data
        data = f"ru-{text}" if segment.context.path == "slug" else ru(text)
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=locale,
            context_id=segment.context_id,
            defaults={"data": data, "translation_type": "manual"},
        )


def translate(page, locale, user, capture):
    """Submit ``page`` (and the snippets it references), translate every string, publish.
    Returns the page's ``Translation``."""
    creator = TranslationCreator(user, [locale])
    with capture(execute=True):
        creator.create_translations(page)
    page_source = TranslationSource.objects.get_for_instance(page.specific)
    translations = [t for ts in creator.mappings.values() for t in ts]
    for tr in sorted(translations, key=lambda t: t.source_id == page_source.pk):
        translate_all(tr.source, locale, user)
        with capture(execute=True):
            tr.save_target(user=user, publish=True)
    return Translation.objects.get(source=page_source, target_locale=locale)


def live(page, locale=None):
    """The page (or its translation into ``locale``) as the site serves it: the row, not a
    revision."""
    if locale is not None:
        page = page.get_translation(locale)
    return Page.objects.get(pk=page.pk).specific


def publish_change(page, **fields):
    """An editor edits ``page`` and publishes it."""
    page = live(page)
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return live(page)


@pytest.fixture
def make_document(alma):
    from alma_cms.pages.models import GuidelineDocumentPage  # tests may import pages

    def make(guidelines, slug=None):
        return add_page(
            alma.guideline_index,
            GuidelineDocumentPage(
                title=f"Document of {guidelines}",
                slug=slug or f"document-{guidelines}",
                status="finalized",
                adopted_on=datetime.date(2019, 4, 25),
                audience="Every library.",
                directions=directions(guidelines),
            ),
        )

    return make


@pytest.fixture
def ru_doc(make_document, locale_ru, admin_user, capture):
    """A document of 3 guidelines, translated into Russian and published: (source, Translation)."""
    document = make_document(3)
    return document, translate(document, locale_ru, admin_user, capture)
