"""Builds the search benchmark's site: a forum of quotation pages, half English, half Russian.

Shape: the default site's English home and its Russian translation, each with one
``QuotationIndexPage`` holding the locale's ``QuotationPage`` children (live, no revisions).
Text comes from the demo content's bilingual catalogue (``sandbox.demo.demo_content``): each
page's title and text are two to four of the demo's sentences in the page's language, seeded,
so inflected queries ("library" / "libraries", "библиотека" / "библиотеки") match many pages.

Speed: ``add_child`` saves one page at a time (treebeard locks and rereads the parent): 138 ms
a page measured here (200 pages under a parent with 1,000 children, 2 busy cores), so 45
minutes for 20,000. The leaf pages are inserted in bulk instead: the
``wagtailcore_page`` rows with ``Page.objects.bulk_create`` and paths computed with treebeard's
``MP_Node._get_path`` (the same function ``add_child`` uses), then the ``QuotationPage`` rows
with one multi-row INSERT per batch (Django's ``bulk_create`` refuses multi-table models), and
the parent's ``numchild`` set once. ``grow`` appends after the last child, so a later call adds
the next pages with the next paths. Nothing fires a signal, so nothing is indexed on the way.
"""

import random
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from alma_cms.pages.models import QuotationIndexPage, QuotationPage, SpeakerIndexPage, SpeakerPage

MARKER_SLUG = "alma-bench-search"
LANGUAGES = ("en", "ru")
BATCH = 2000


def sentences():
    """{"en": [...], "ru": [...]}: the demo catalogue's sentences (40+ characters), paired."""
    from sandbox.demo import demo_content  # noqa: F401  (fills the catalogue)
    from sandbox.demo.i18n import t

    pairs = sorted((en, ru) for en, ru in t._ru.items() if len(en) >= 40)
    return {"en": [en for en, _ru in pairs], "ru": [ru for _en, ru in pairs]}


def _live(page):
    now = timezone.now()
    page.first_published_at = page.last_published_at = now
    page.full_clean = lambda *args, **kwargs: None
    return page


def indexes():
    """{language: QuotationIndexPage}, created the first time (with the Russian home)."""
    found = {
        page.locale.language_code: page
        for page in QuotationIndexPage.objects.filter(slug=MARKER_SLUG).select_related("locale")
    }
    if len(found) == len(LANGUAGES):
        return found
    home = Site.objects.get(is_default_site=True).root_page.specific
    # Every quotation names this speaker (publishing validates that a quotation has one).
    speakers = home.add_child(
        instance=_live(SpeakerIndexPage(title="Speakers", slug=f"{MARKER_SLUG}-speakers"))
    )
    speakers.add_child(
        instance=_live(
            SpeakerPage(
                title="Anna Ivanova",
                slug=f"{MARKER_SLUG}-speaker",
                given_name="Anna",
                family_name="Ivanova",
            )
        )
    )
    english = home.add_child(
        instance=_live(QuotationIndexPage(title="Quotations", slug=MARKER_SLUG, locale=home.locale))
    )
    russian_locale, _created = Locale.objects.get_or_create(language_code="ru")
    russian_home = Page.objects.filter(
        translation_key=home.translation_key, locale=russian_locale
    ).first() or home.copy_for_translation(russian_locale)
    if not russian_home.live:
        russian_home.live = True
        russian_home.save(update_fields=["live"])
    russian = russian_home.add_child(
        instance=_live(
            QuotationIndexPage(
                title="Цитаты",
                slug=MARKER_SLUG,
                locale=russian_locale,
                translation_key=english.translation_key,
            )
        )
    )
    return {"en": english, "ru": russian}


def count():
    return QuotationPage.objects.filter(slug__startswith="q-").count()


def _insert_children(parent, start, stop, language, texts, rng, content_type):
    now = timezone.now()
    speaker = SpeakerPage.objects.get(slug=f"{MARKER_SLUG}-speaker")
    pages = []
    for number in range(start, stop):
        title = " ".join(rng.sample(texts, 2))[:250]
        slug = f"q-{language}-{number}"
        pages.append(
            Page(
                title=title,
                draft_title=title,
                slug=slug,
                content_type=content_type,
                path=Page._get_path(parent.path, parent.depth + 1, number + 1),
                depth=parent.depth + 1,
                numchild=0,
                url_path=f"{parent.url_path}{slug}/",
                locale_id=parent.locale_id,
                translation_key=uuid.UUID(int=rng.getrandbits(128), version=4),
                live=True,
                has_unpublished_changes=False,
                first_published_at=now,
                last_published_at=now,
            )
        )
    Page.objects.bulk_create(pages, batch_size=BATCH)
    rows = [
        QuotationPage(
            page_ptr_id=page.pk,
            text=" ".join(rng.sample(texts, rng.randint(2, 4))),
            context=rng.choice(texts),
            speaker_id=speaker.pk,
            speaker_role="Librarian",
            original_language=language,
        )
        for page in pages
    ]
    fields = QuotationPage._meta.local_concrete_fields
    for first in range(0, len(rows), BATCH):
        QuotationPage._base_manager._insert(rows[first : first + BATCH], fields=fields)
    Page.objects.filter(pk=parent.pk).update(numchild=stop)


def grow(total, seed=2026):
    """Add quotation pages until there are ``total`` (split evenly between the languages).

    Returns the number of pages added. Raises ``ValueError`` if there are already more.
    """
    existing = count()
    if existing > total:
        raise ValueError(f"the site already has {existing} pages, more than {total}")
    texts = sentences()
    content_type = ContentType.objects.get_for_model(QuotationPage)
    with transaction.atomic():
        parents = indexes()
        for position, language in enumerate(LANGUAGES):
            parent = Page.objects.get(pk=parents[language].pk)  # fresh numchild
            wanted = total // len(LANGUAGES) + (1 if position < total % len(LANGUAGES) else 0)
            have = parent.numchild
            if wanted > have:
                rng = random.Random(f"{seed}-{language}-{have}")
                _insert_children(parent, have, wanted, language, texts[language], rng, content_type)
    return count() - existing
