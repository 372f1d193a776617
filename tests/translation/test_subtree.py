"""Subtree translation leaves a tree whose pages all serve (wagtail-localize#773, issue 9).

Stock wagtail-localize 1.14.5 leaves the new parent translations with ``numchild = 0``: their
deferred publish (on commit) saves the stale in-memory page their revision was made from. The
fix (alma_cms/translation/subtree.py) repairs ``numchild`` on commit, after those publishes.

Locale synchronisation (a locale with "sync from", ``synchronize_tree`` on the job backend) is
checked the same way; it needs no repair: it creates aliases, which are live at once and have no
deferred publish (``create_alias`` adds each page under its parent read from the database).
"""

import pytest
from django.db import transaction
from django.urls import reverse
from wagtail.models import Locale, Page
from wagtail_localize import operations
from wagtail_localize.models import LocaleSynchronization
from wagtail_localize.operations import translate_object

from alma_cms.scope import site_structure
from alma_cms.translation import subtree
from alma_cms.translation.jobs import SYNCTREE, run_job_now

pytestmark = pytest.mark.django_db

NO_PROBLEMS = ([], [], [], [], [])
# Live pages of the three subtrees: forum, 2 editions, the document; speakers index and its 3
# speakers; the award and its 2 announcements.
LIVE_PAGES = 11


@pytest.fixture
def nested(alma):
    """The test site with a guideline document inside an edition: forum index → edition →
    guideline document, speakers index → speakers, award → announcements."""
    alma.final_document.move(alma.edition_2019, "last-child")
    return alma


@pytest.fixture
def ru_home(nested, locale_ru, admin_user, django_capture_on_commit_callbacks):
    """The home page translated first (a subtree is translated under a translated parent)."""
    with django_capture_on_commit_callbacks(execute=True):
        translate_object(nested.home, [locale_ru], user=admin_user)
    return nested.home.get_translation(locale_ru)


def subtree_roots(alma):
    return [alma.forum_index, alma.speaker_index, alma.award]


def assert_every_translation_serves(client, source_roots, locale):
    """Each page of each source subtree has a live translation that answers 200 at its URL."""
    checked = 0
    for root in source_roots:
        for source in Page.objects.descendant_of(root, inclusive=True).live():
            translation = source.get_translation(locale)
            assert translation.live, translation
            url = translation.get_url()
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            checked += 1
    return checked


def test_admin_translate_with_subtree_serves_every_page(
    nested, ru_home, locale_ru, admin_client, client, django_capture_on_commit_callbacks
):
    for root in subtree_roots(nested):
        url = reverse("wagtail_localize:submit_page_translation", args=[root.id])
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(url, {"locales": [locale_ru.id], "include_subtree": "on"})
        assert response.status_code == 302, response.content[:500]

    assert Page.find_problems() == NO_PROBLEMS
    ru_document = nested.final_document.get_translation(locale_ru)
    assert ru_document.get_parent().get_parent().specific_class.__name__ == "ForumIndexPage"
    assert assert_every_translation_serves(client, subtree_roots(nested), locale_ru) == LIVE_PAGES


def test_operation_serves_every_page(
    nested, ru_home, locale_ru, admin_user, client, django_capture_on_commit_callbacks
):
    for root in subtree_roots(nested):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            translate_object(root, [locale_ru], user=admin_user)
            operations.translate_page_subtree(root.id, [locale_ru], None, admin_user)

    assert Page.find_problems() == NO_PROBLEMS
    assert assert_every_translation_serves(client, subtree_roots(nested), locale_ru) == LIVE_PAGES


def test_operation_called_with_locale_ids(
    nested, ru_home, locale_ru, admin_user, client, django_capture_on_commit_callbacks
):
    """A job backend that sends ids (a Celery worker rebuilds the Locales) gets the repair."""
    stock = operations.translate_page_subtree.__wrapped__

    def job(page_id, locale_ids, components, user):  # what such a worker runs
        return stock(page_id, list(Locale.objects.filter(pk__in=locale_ids)), components, user)

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        translate_object(nested.forum_index, [locale_ru], user=admin_user)
        subtree.wrap(job)(nested.forum_index.id, [locale_ru.id], None, admin_user)
    assert Page.find_problems() == NO_PROBLEMS
    assert subtree.repair_numchild([nested.forum_index.get_translation(locale_ru).pk]) == 0
    ru_document = nested.final_document.get_translation(locale_ru)
    assert client.get(ru_document.get_url()).status_code == 200


def test_stock_operation_leaves_parents_as_leaves(
    nested, ru_home, locale_ru, admin_user, client, django_capture_on_commit_callbacks
):
    """The fault, with wagtail-localize's own operation: what the wrapper repairs."""
    stock = operations.translate_page_subtree.__wrapped__
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        translate_object(nested.forum_index, [locale_ru], user=admin_user)
        stock(nested.forum_index.id, [locale_ru], None, admin_user)

    wrong_numchild = Page.find_problems()[4]
    ru_forum = nested.forum_index.get_translation(locale_ru)
    assert ru_forum.pk in wrong_numchild
    ru_edition = nested.edition_2019.get_translation(locale_ru)
    assert client.get(ru_edition.get_url()).status_code == 404

    assert subtree.repair_numchild([ru_forum.pk]) >= 1
    assert Page.find_problems() == NO_PROBLEMS
    assert client.get(ru_edition.get_url()).status_code == 200


def test_install_replaces_every_call_site():
    from wagtail_localize.views import submit_translations

    assert operations.translate_page_subtree.alma_repairs_numchild
    assert submit_translations.translate_page_subtree is operations.translate_page_subtree
    assert operations.translate_page_subtree.__qualname__ == "translate_page_subtree"
    assert operations.translate_page_subtree.__module__ == "wagtail_localize.operations"
    subtree.install()  # idempotent
    assert operations.translate_page_subtree.__wrapped__.__module__ == "wagtail_localize.operations"
    assert not hasattr(operations.translate_page_subtree.__wrapped__, "alma_repairs_numchild")


def assert_locale_serves(client, source_locale, locale):
    """Every live page of ``source_locale`` below the root has a live page in ``locale``
    (translation or alias), and every page of ``locale`` answers 200 at its URL. Returns the
    number of pages checked."""
    pages = Page.objects.filter(locale=locale, depth__gt=1)
    source_keys = set(
        Page.objects.filter(locale=source_locale, depth__gt=1)
        .live()
        .values_list("translation_key", flat=True)
    )
    assert set(pages.live().values_list("translation_key", flat=True)) == source_keys
    for page in pages:
        url = page.get_url()
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, page.alias_of_id)
    return pages.count()


# Every page of the test site below the root, all live: home, forum, 2 editions, the document,
# speakers index and 3 speakers, quotation index and quotation, documents index, the award and
# its 2 announcements.
ALL_LIVE_PAGES = 15


def test_new_locale_synced_through_the_admin_serves_every_page(
    nested, admin_client, client, django_capture_on_commit_callbacks
):
    """A site operator adds Russian with "Synchronise content from English" (wagtail-localize's
    locale form): ``synchronize_tree`` runs on the job backend after commit and leaves a sound
    tree of aliases, every page serving."""
    en = Locale.objects.get(language_code="en")
    assert not Locale.objects.filter(language_code="ru").exists()
    prefix = "component-wagtail_localize_localesynchronization"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = admin_client.post(
            reverse("wagtaillocales:add"),
            {"language_code": "ru", f"{prefix}-enabled": "on", f"{prefix}-sync_from": en.id},
        )
    assert response.status_code == 302, response.content[:500]
    # The job, sent on commit (and the scope's one site structure renewal: pages were created).
    jobs = [c for c in callbacks if getattr(c, "key", None) != site_structure.ON_COMMIT_KEY]
    assert len(jobs) == 1
    ru = Locale.objects.get(language_code="ru")
    assert LocaleSynchronization.objects.get(locale=ru).sync_from == en

    assert Page.find_problems() == NO_PROBLEMS
    assert assert_locale_serves(client, en, ru) == ALL_LIVE_PAGES
    ru_document = nested.final_document.get_translation(ru)
    assert ru_document.alias_of_id == nested.final_document.pk
    assert ru_document.get_parent().get_parent().specific_class.__name__ == "ForumIndexPage"


def test_sync_job_after_a_subtree_translation_serves_every_page(
    nested, ru_home, locale_ru, admin_user, client, django_capture_on_commit_callbacks
):
    """The synchronisation job (as the worker runs it, from ids) over a locale where part of
    the tree is already translated: it adds aliases under translated parents and beside them."""
    en = Locale.objects.get(language_code="en")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        translate_object(nested.forum_index, [locale_ru], user=admin_user)
        operations.translate_page_subtree(nested.forum_index.id, [locale_ru], None, admin_user)
    ru_edition = nested.edition_2019.get_translation(locale_ru)
    assert ru_edition.alias_of_id is None

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        run_job_now(SYNCTREE, {"source_locale_id": en.id, "target_locale_id": locale_ru.id})

    assert Page.find_problems() == NO_PROBLEMS
    assert assert_locale_serves(client, en, locale_ru) == ALL_LIVE_PAGES
    assert nested.edition_2019.get_translation(locale_ru).pk == ru_edition.pk  # kept
    assert nested.lison.get_translation(locale_ru).alias_of_id == nested.lison.pk
