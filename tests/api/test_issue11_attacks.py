"""Attacks on the issue #11 speed-ups (per-process site structure, page classes remembered by
the v2 detail, restrictions read along, page URLs from one reversal, shared chosen objects,
serializer fields built once): each test shows a case where a kept or skipped thing could serve
something wrong, and checks it does not."""

import datetime

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone, translation
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.models.sites import SITE_ROOT_PATHS_CACHE_KEY, SITE_ROOT_PATHS_CACHE_VERSION

from alma_cms.pages.models import SpeakerIndexPage
from alma_cms.scope import RequestScope
from alma_cms.scope.page_urls import UNHANDLED
from tests.api.conftest import publish, translate
from tests.api.helpers import API
from tests.testapp.factories import ensure_locale, make_speaker

pytestmark = pytest.mark.django_db


def at_commit(captured):
    """What the commit of the test's transaction (which never commits) would run for the
    changes of a block: a once-per-transaction site structure callback registered earlier in
    the transaction (it runs first), then the block's own (``captured``)."""
    from django.db import connection

    from alma_cms.scope import site_structure

    earlier = [
        func
        for _sids, func, _robust in connection.run_on_commit
        if getattr(func, "func", None) is site_structure.changed and func not in captured
    ]
    return [*earlier, *captured]


def detail(client, page, **extra):
    return client.get(f"{API}pages/{page.pk}/", **extra)


def warm(client, page):
    """Serve the detail twice: the page's class is remembered by the process."""
    assert detail(client, page).status_code == 200
    assert detail(client, page).status_code == 200


def test_remembered_page_deleted_is_404(alma, client):
    speaker = make_speaker(alma.speaker_index, "Gone", "Soon")
    warm(client, speaker)
    pk = speaker.pk
    Page.objects.get(pk=pk).delete()
    assert client.get(f"{API}pages/{pk}/").status_code == 404


def test_remembered_page_expired_or_unpublished_is_404(alma, client):
    warm(client, alma.lison)
    alma.lison.expire_at = timezone.now() - datetime.timedelta(seconds=1)
    alma.lison.save()
    assert detail(client, alma.lison).status_code == 404
    warm(client, alma.gorokhova)
    alma.gorokhova.unpublish()
    assert detail(client, alma.gorokhova).status_code == 404


def test_remembered_page_password_on_ancestor_is_404(alma, client):
    warm(client, alma.mackenzie)
    PageViewRestriction.objects.create(
        page=alma.speaker_index, restriction_type="password", password="x"
    )
    assert detail(client, alma.mackenzie).status_code == 404
    assert detail(client, alma.speaker_index).status_code == 404


def test_remembered_alias_of_a_restricted_source_is_404(alma, client):
    alias = alma.mackenzie.create_alias(parent=alma.quotation_index, update_slug="mackenzie-alias")
    warm(client, alias)
    PageViewRestriction.objects.create(page=alma.speaker_index, restriction_type="login")
    assert detail(client, alias).status_code == 404
    listing = client.get(f"{API}pages/?child_of={alma.quotation_index.pk}").json()
    assert alias.pk not in [item["id"] for item in listing["items"]]


def test_a_page_moved_to_another_site_leaves_the_first(alma, client, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "other.example"]
    root = Page.get_first_root_node()
    other_home = root.add_child(instance=SpeakerIndexPage(title="Other", slug="other-home"))
    Site.objects.create(hostname="other.example", port=80, root_page=other_home)
    warm(client, alma.lison)
    assert detail(client, alma.lison, HTTP_HOST="other.example").status_code == 404
    Page.objects.get(pk=alma.lison.pk).move(other_home, pos="last-child")
    assert detail(client, alma.lison).status_code == 404
    body = detail(client, alma.lison, HTTP_HOST="other.example").json()
    assert body["meta"]["html_url"] == "http://other.example/en/barbara-lison/"


def _all_urls(request, pages):
    scope = RequestScope(request)
    out = {}
    for page in pages:
        fast = scope.plain_page_url(page, request)
        out[page.pk] = (fast, page.get_url(request=request))
    return out


def _check_urls(request, pages):
    for pk, (fast, wagtails) in _all_urls(request, pages).items():
        if fast is not UNHANDLED:
            assert fast == wagtails, pk


def test_page_urls_match_wagtail_everywhere(alma_ru, alma, settings):
    """Two sites (another hostname), i18n with /ru/, renamed slugs, unicode slugs."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "other.example"]
    root = Page.get_first_root_node()
    other_home = root.add_child(instance=SpeakerIndexPage(title="Other", slug="other-home"))
    Site.objects.create(hostname="other.example", port=80, root_page=other_home)
    make_speaker(other_home, "Other", "Speaker")
    uni = make_speaker(alma.speaker_index, "Юникод", "Слаг")
    uni.slug = "юникод-слаг"
    publish(uni)
    alma.speaker_index.slug = "renamed-speakers"
    publish(alma.speaker_index)
    pages = [p.specific for p in Page.objects.filter(depth__gt=1)]
    rf = RequestFactory()
    for host in ("testserver", "other.example"):
        for language in ("en", "ru", "en-gb"):
            with translation.override(language):
                request = rf.get("/", HTTP_HOST=host)
                _check_urls(request, pages)
    with translation.override("en"):
        _check_urls(None, pages)


def test_root_paths_another_process_cached_before_the_commit_are_dropped_at_commit(
    alma, client, django_capture_on_commit_callbacks
):
    """Found with two gunicorn processes sharing Redis: a request served while an editor's
    transaction created the Russian home page cached Wagtail's site root paths without it (Wagtail
    clears them at save, before the commit), and every Russian page's ``html_url`` was null for
    the hour Wagtail keeps them. Page URLs (``alma_cms.scope.page_urls``) and the site structure
    follow those root paths: the site structure's change at commit must drop them too."""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ru = ensure_locale("ru")
        home = translate(alma.home, ru, title="Главная")
        speakers = translate(alma.speaker_index, ru, title="Спикеры")
        # Another process, reading the committed rows (no Russian home yet), caches them.
        stale = [srp for srp in Site.get_site_root_paths() if srp.language_code != "ru"]
        cache.set(SITE_ROOT_PATHS_CACHE_KEY, stale, 3600, version=SITE_ROOT_PATHS_CACHE_VERSION)
    for callback in at_commit(callbacks):
        callback()
    assert home.pk
    body = detail(client, speakers).json()
    assert body["meta"]["html_url"] == f"http://localhost/ru/{speakers.slug}/"


def test_html_url_of_a_page_in_two_sites_follows_the_requested_site(alma, client, settings):
    """A second site whose root is a page inside the first: its pages are in both sites, and
    Wagtail gives the URL in the site of the request."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "other.example"]
    Site.objects.create(hostname="other.example", port=80, root_page=alma.award)
    page = Page.objects.get(pk=alma.established.pk)
    for host in ("localhost", "other.example"):
        request = RequestFactory().get("/", HTTP_HOST=host)
        body = detail(client, alma.established, HTTP_HOST=host).json()
        assert body["meta"]["html_url"] == page.get_full_url(request=request), host
        parent = body["meta"]["parent"]  # in both sites too (the second's root)
        assert parent["meta"]["html_url"] == alma.award.get_full_url(request=request), host


def test_warm_responses_equal_cold_ones_in_any_order(alma_ru, alma, client):
    """Nothing one request leaves in the process (serializer classes and their fields, the
    site structure, page classes) changes what the next one gets: each URL answered cold (the
    process's state dropped) and again after all the others, in reverse order."""
    from alma_cms.api.v2 import views
    from alma_cms.scope import site_structure

    urls = [
        f"{API}pages/{alma.edition_2021.pk}/",
        f"{API}pages/{alma_ru.edition_2021.pk}/",
        f"{API}pages/{alma.mackenzie.pk}/?fields=*",
        f"{API}pages/{alma_ru.mackenzie.pk}/",
        f"{API}pages/?type=alma_cms_pages.SpeakerPage&fields=*",
        f"{API}pages/?type=alma_cms_pages.SpeakerPage&fields=positions",
        f"{API}pages/?fields=title,-html_url&locale=ru",
        f"{API}pages/?type=alma_cms_pages.ForumEditionPage&fields=*",
        f"{API}pages/find/?html_path=/ru/alma/",
    ]

    def cold(url, **extra):
        views._SERIALIZER_CLASSES.clear()
        site_structure.changed()
        return client.get(url, follow=True, **extra).content

    for language in ("en", "ru"):
        extra = {"HTTP_ACCEPT_LANGUAGE": language}
        expected = {url: cold(url, **extra) for url in urls}
        for url in reversed(urls):
            assert client.get(url, follow=True, **extra).content == expected[url], url


def test_at_commit_root_paths_are_dropped_before_the_representation_cache_is_renewed(
    alma, settings, django_capture_on_commit_callbacks
):
    """The representation cache stores a body computed after its ``all`` generation moved on:
    Wagtail's site root paths must be gone by then, or a request in between stores URLs
    computed from root paths cached during the transaction (for the cache's TIMEOUT)."""
    from alma_cms.api import representation_cache

    settings.ALMA_CMS = {"API_REPRESENTATION_CACHE": {"ENABLED": True}}
    root_paths = (SITE_ROOT_PATHS_CACHE_KEY, SITE_ROOT_PATHS_CACHE_VERSION)
    site = Site.objects.get(is_default_site=True)
    for change in (
        site.save,
        lambda: Page.objects.get(pk=alma.lison.pk).move(alma.quotation_index, "last-child"),
    ):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            change()
        all_key = representation_cache.GEN_PREFIX + representation_cache.ALL
        cache.set(all_key, 1, timeout=None)
        # Another process cached the root paths during the transaction (the old rows).
        cache.set(root_paths[0], ["stale"], 3600, version=root_paths[1])
        for callback in at_commit(callbacks):
            callback()
            if cache.get(all_key) != 1:
                assert cache.get(root_paths[0], version=root_paths[1]) is None
                break
        else:
            pytest.fail("the representation cache was not renewed")


def test_group_and_password_restrictions_after_a_warm_detail(alma, client):
    """A member of the group sees the page (its class then remembered); once out of the group,
    or signed out, not; a password passed in the session shows it, a new restriction hides it."""
    from django.contrib.auth.models import Group, User

    group = Group.objects.create(name="insiders")
    user = User.objects.create_user("insider", password="pw")
    user.groups.add(group)
    restriction = PageViewRestriction.objects.create(
        page=alma.speaker_index, restriction_type="groups"
    )
    restriction.groups.add(group)
    assert detail(client, alma.mackenzie).status_code == 404
    client.force_login(user)
    warm(client, alma.mackenzie)
    user.groups.remove(group)
    assert detail(client, alma.mackenzie).status_code == 404
    client.logout()
    restriction.restriction_type, restriction.password = "password", "secret"
    restriction.save()
    assert detail(client, alma.mackenzie).status_code == 404
    session = client.session
    session[restriction.passed_view_restrictions_session_key] = [restriction.pk]
    session.save()
    assert detail(client, alma.mackenzie).status_code == 200
    PageViewRestriction.objects.create(page=alma.mackenzie, restriction_type="login")
    assert detail(client, alma.mackenzie).status_code == 404
