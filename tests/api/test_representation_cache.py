"""The representation cache (``alma_cms.api.representation_cache``): anonymous API bodies kept
in Django's cache, fresh after every kind of change, never for private callers.

Each change is made the way an editor makes it (publish, unpublish, move, delete, save) with
its transaction's on-commit callbacks run, and the responses after it are compared with the
responses of the same requests with the cache off."""

import pickle

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test import override_settings
from wagtail.models import Page, PageViewRestriction

from alma_cms.api import representation_cache as rc
from alma_cms.checks import check_representation_cache
from alma_cms.pages import models as m
from alma_cms.preview import make_preview_token
from tests.api.helpers import (
    API,
    HAS_API_V3,
    backdate_all,
    publish_new_family_name,
    type_param,
)

pytestmark = pytest.mark.django_db

ON = {"API_REPRESENTATION_CACHE": {"ENABLED": True}}
OFF = {"API_REPRESENTATION_CACHE": {"ENABLED": False}}


@pytest.fixture
def site(alma, settings):
    backdate_all()
    settings.ALMA_CMS = ON
    return alma


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """``with commit(): ...``: the block's on-commit callbacks run at its end, as at a commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def state(response):
    return response.headers.get("X-Alma-Cache")


def uncached(client, url, **extra):
    with override_settings(ALMA_CMS=OFF):
        return client.get(url, **extra)


def assert_fresh(client, urls, before=None, changed=()):
    """Each url answers as with the cache off; those in ``changed`` differ from ``before``."""
    for url in urls:
        response = client.get(url)
        expected = uncached(client, url)
        assert response.status_code == expected.status_code, url
        assert response.content == expected.content, url
        if response.status_code == 200:
            assert response["ETag"] == expected["ETag"], url
        if url in changed:
            assert response.content != before[url], url


def warm_up(client, urls):
    """Request each url until it is a hit; returns {url: body}."""
    bodies = {}
    for url in urls:
        first = client.get(url)
        assert first.status_code == 200, (url, first.content[:300])
        assert state(first) == "miss", url
        second = client.get(url)
        assert state(second) == "hit", url
        assert second.content == first.content
        bodies[url] = second.content
    return bodies


def stored_entries():
    """The bodies in the local-memory cache (the test settings' default cache)."""
    cache = caches["default"]
    entries = []
    for key, value in list(cache._cache.items()):
        if rc.KEY_PREFIX in key:
            entries.append(pickle.loads(value))
    return entries


def detail(page):
    return f"{API}pages/{page.pk}/"


# --- hits -----------------------------------------------------------------------------------


def test_off_by_default(alma, client):
    url = detail(alma.edition_2021)
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert state(response) is None
    assert stored_entries() == []


def test_hit_after_miss_costs_no_query(site, client, django_assert_num_queries):
    url = detail(site.edition_2021)
    first = client.get(url)
    assert state(first) == "miss"
    with django_assert_num_queries(0):
        hit = client.get(url)
    assert state(hit) == "hit"
    assert hit.content == first.content
    for header in ("ETag", "Last-Modified", "Cache-Control", "Content-Type"):
        assert hit[header] == first[header], header
    assert hit.content == uncached(client, url).content


def test_hits_answer_conditional_requests(site, client):
    url = detail(site.edition_2021)
    etag = client.get(url)["ETag"]
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert (response.status_code, state(response)) == (304, "hit")
    assert response["ETag"] == etag
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200
    modified = client.get(url)["Last-Modified"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    head = client.head(url)
    assert (head.status_code, state(head), head.content) == (200, "hit", b"")


def test_keys_follow_query_and_api_version(site, client):
    speakers = f"{API}pages/?type={type_param(m.SpeakerPage)}"
    warm_up(client, [speakers, speakers + "&fields=*"])
    # The same parameters in another order are the same request.
    reordered = f"{API}pages/?fields=*&type={type_param(m.SpeakerPage)}"
    assert state(client.get(reordered)) == "hit"
    assert state(client.get(speakers, HTTP_ACCEPT="text/html")) != "hit"


def test_errors_are_not_stored(site, client):
    for url in (f"{API}pages/999999/", f"{API}pages/?unknown=1"):
        for _ in range(2):
            assert state(client.get(url)) is None
    assert stored_entries() == []


# --- invalidation ---------------------------------------------------------------------------


def test_publishing_the_page_refreshes_it_and_leaves_unrelated_pages(site, client, commit):
    edition, other = detail(site.edition_2021), detail(site.final_document)
    before = warm_up(client, [edition, other])
    page = site.edition_2021
    page.theme = "A new theme"
    with commit():
        page.save_revision().publish()
    assert_fresh(client, [edition], before, changed=[edition])
    assert state(client.get(other)) == "hit"


def test_publishing_a_speaker_refreshes_every_response_that_shows_her(site, client, commit):
    urls = [
        detail(site.mackenzie),
        detail(site.edition_2021),
        detail(site.quotation),
        f"{API}pages/?type={type_param(m.SpeakerPage)}&fields=*",
    ]
    before = warm_up(client, urls)
    with commit():
        publish_new_family_name(site.mackenzie, "MacKenzie-Renamed")
    assert_fresh(client, urls, before, changed=urls)
    assert "MacKenzie-Renamed" in client.get(detail(site.edition_2021)).content.decode()
    assert state(client.get(detail(site.final_document))) == "miss"


def test_unpublishing_a_speaker(site, client, commit):
    urls = [detail(site.mackenzie), detail(site.edition_2021), detail(site.quotation)]
    before = warm_up(client, urls)
    with commit():
        site.mackenzie.unpublish()
    assert client.get(detail(site.mackenzie)).status_code == 404
    assert_fresh(client, urls, before, changed=urls)
    assert "Mackenzie" not in client.get(detail(site.edition_2021)).content.decode()


def test_moving_a_page(site, client, commit):
    home = site.speaker_index.get_parent()
    other_index = home.add_child(instance=m.SpeakerIndexPage(title="Guests", slug="guests"))
    urls = [detail(site.mackenzie), detail(site.edition_2021), detail(site.quotation)]
    before = warm_up(client, urls)
    with commit():
        Page.objects.get(pk=site.mackenzie.pk).move(other_index, pos="last-child")
    assert "/guests/" in client.get(detail(site.mackenzie)).content.decode()
    assert_fresh(client, urls, before, changed=urls)


def test_changing_a_slug_refreshes_the_pages_below(site, client, commit):
    urls = [detail(site.mackenzie), detail(site.edition_2021)]
    before = warm_up(client, urls)
    index = site.speaker_index
    index.slug = "people"
    with commit():
        index.save_revision().publish()
    assert "/people/" in client.get(detail(site.mackenzie)).content.decode()
    assert_fresh(client, urls, before, changed=urls)


def test_deleting_a_quotation(site, client, commit):
    quotations = f"{API}pages/?type={type_param(m.QuotationPage)}"
    urls = [detail(site.quotation), quotations, detail(site.mackenzie), detail(site.edition_2021)]
    before = warm_up(client, urls)
    with commit():
        Page.objects.get(pk=site.quotation.pk).delete()
    assert client.get(detail(site.quotation)).status_code == 404
    assert_fresh(client, urls, before, changed=[quotations])


def test_publishing_a_quotation(site, client, commit):
    urls = [detail(site.quotation), detail(site.mackenzie), detail(site.edition_2021)]
    before = warm_up(client, urls)
    quotation = site.quotation
    quotation.text = "Libraries lead when they listen, and they listen well."
    with commit():
        quotation.save_revision().publish()
    assert_fresh(client, urls, before, changed=[detail(site.quotation)])


def test_saving_an_organization(site, client, commit):
    urls = [detail(site.edition_2021), f"{API}organizations/", f"{API}organizations/{site.lfl.pk}/"]
    before = warm_up(client, urls)
    organization = site.lfl
    organization.name = "Library for Foreign Literature (renamed)"
    with commit():
        organization.save()
    assert_fresh(client, urls, before, changed=urls)


def test_changing_an_image(site, client, commit):
    urls = [detail(site.mackenzie), detail(site.edition_2021), f"{API}images/"]
    before = warm_up(client, urls)
    image = site.mackenzie.photo
    image.title = "Christine Mackenzie, 2021"
    image.description = "A new portrait"
    with commit():
        image.save()
    assert_fresh(client, urls, before, changed=[detail(site.mackenzie), f"{API}images/"])


def test_publishing_a_translation(site, client, commit, locale_ru):
    from tests.api.helpers import translate_page

    urls = [detail(site.edition_2021), f"{API}pages/?type={type_param(m.ForumEditionPage)}"]
    before = warm_up(client, urls)
    with commit():
        translate_page(site.edition_2021, locale_ru, title="АЛМА 2021")
    assert_fresh(client, urls, before, changed=urls)


def test_a_new_restriction_hides_what_was_stored(site, client, commit):
    urls = [detail(site.mackenzie), detail(site.edition_2021)]
    before = warm_up(client, urls)
    with commit():
        PageViewRestriction.objects.create(page=site.mackenzie, restriction_type="login")
    assert client.get(detail(site.mackenzie)).status_code == 404
    assert_fresh(client, urls, before, changed=urls)


def test_a_change_during_a_request_is_not_stored_stale(site, client, rf):
    """A body computed before a change commits is not stored with the generations after it."""
    url = detail(site.edition_2021)
    request = rf.get(url)
    lookup = rc.Lookup(request, "v2")
    assert lookup.hit() is None
    response = client.get(url)  # stands for the view that computed the body meanwhile
    caches["default"].clear()
    rc.bump({rc.page_dep(site.edition_2021.pk)})
    assert not lookup.store(response, {rc.page_dep(site.edition_2021.pk)})


# --- privacy --------------------------------------------------------------------------------


def test_signed_in_callers_are_never_served_nor_stored(site, client, django_user_model):
    url = detail(site.mackenzie)
    PageViewRestriction.objects.create(page=site.mackenzie, restriction_type="login")
    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    for _ in range(2):
        response = client.get(url)
        assert (response.status_code, state(response)) == (200, None)
    client.logout()
    assert client.get(url).status_code == 404
    assert stored_entries() == []


def test_anonymous_entries_are_not_served_to_signed_in_callers(site, client, django_user_model):
    url = detail(site.edition_2021)
    warm_up(client, [url])
    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    assert state(client.get(url)) is None


def test_password_holders_are_never_served_nor_stored(site, client):
    url = detail(site.mackenzie)
    warm_up(client, [detail(site.edition_2021)])
    restriction = PageViewRestriction.objects.create(
        page=site.mackenzie, restriction_type="password", password="secret"
    )
    session = client.session
    session[restriction.passed_view_restrictions_session_key] = [restriction.pk]
    session.save()
    for _ in range(2):
        response = client.get(url)
        assert (response.status_code, state(response)) == (200, None)
        assert "private" in response["Cache-Control"]
    assert state(client.get(detail(site.edition_2021))) is None
    client.cookies.clear()
    assert client.get(url).status_code == 404
    assert all(b"Mackenzie" not in e["body"] or b"Forum" in e["body"] for e in stored_entries())


def test_authorization_header_bypasses_the_cache(site, client):
    url = detail(site.edition_2021)
    warm_up(client, [url])
    response = client.get(url, HTTP_AUTHORIZATION="Bearer anything")
    assert state(response) is None


def test_previews_are_never_cached(site, client, settings):
    settings.ROOT_URLCONF = "tests.preview_urls"
    page = site.edition_2021
    page.theme = "An unpublished theme"
    revision = page.save_revision()
    url = f"{API}preview/?token={make_preview_token(revision)}"
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert state(response) is None
    assert all(b"An unpublished theme" not in e["body"] for e in stored_entries())


def test_drafts_and_restricted_pages_are_never_stored(site, client):
    draft = site.mackenzie
    Page.objects.filter(pk=draft.pk).update(live=False)
    PageViewRestriction.objects.create(page=site.lison, restriction_type="password", password="p")
    for page in (draft, site.lison):
        for _ in range(2):
            assert client.get(detail(page)).status_code == 404
    client.get(detail(site.edition_2021))
    bodies = b"".join(e["body"] for e in stored_entries())
    assert b"Mackenzie" not in bodies and b"Lison" not in bodies


def test_an_expiring_page_is_kept_no_longer_than_it_lives(site, client):
    import datetime

    from django.utils import timezone

    soon = timezone.now() + datetime.timedelta(seconds=30)
    Page.objects.filter(pk=site.mackenzie.pk).update(expire_at=soon)
    url = detail(site.mackenzie)
    warm_up(client, [url])
    key = rc.request_key(client.get(url).wsgi_request, "v2")
    expiry = caches["default"]._expire_info[caches["default"].make_and_validate_key(key)]
    assert expiry <= soon.timestamp() + 1


# --- settings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "ids"),
    [
        ({"ENABLED": True}, ["alma_cms.W070"]),  # local memory with room (test settings)
        ({"ENABLED": False}, []),
        ({"ENABLED": "yes"}, ["alma_cms.E070"]),
        ({"TIMEOUT": 0}, ["alma_cms.E070"]),
        ({"SIZE": 1}, ["alma_cms.E070"]),
        ({"ENABLED": True, "CACHE": "nowhere"}, ["alma_cms.E071"]),
    ],
)
def test_settings_check(settings, value, ids):
    settings.ALMA_CMS = {"API_REPRESENTATION_CACHE": value}
    assert [e.id for e in check_representation_cache()] == ids


@pytest.mark.parametrize(
    ("max_entries", "ids"), [(10_000, []), (9_999, ["alma_cms.W071"]), (None, ["alma_cms.W071"])]
)
def test_local_memory_needs_room_for_the_generation_counters(settings, max_entries, ids):
    settings.CACHES = {
        **settings.CACHES,
        "local": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {} if max_entries is None else {"MAX_ENTRIES": max_entries},
        },
    }
    settings.ALMA_CMS = {"API_REPRESENTATION_CACHE": {"ENABLED": True, "CACHE": "local"}}
    assert [e.id for e in check_representation_cache()] == [*ids, "alma_cms.W070"]


@pytest.mark.parametrize(("max_entries", "hits"), [(4, False), (10_000, True)])
def test_a_listing_is_served_from_local_memory_with_room_for_its_counters(
    settings, client, site, max_entries, hits
):
    # A listing depends on a counter per page it shows, each a key: local memory with too few
    # keys (Django's default 300 is less than an edition listing's) culls them and never hits.
    settings.CACHES = {
        **settings.CACHES,
        "local": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"alma-w071-{max_entries}",
            "OPTIONS": {"MAX_ENTRIES": max_entries},
        },
    }
    settings.ALMA_CMS = {"API_REPRESENTATION_CACHE": {"ENABLED": True, "CACHE": "local"}}
    url = f"{API}pages/?type=alma_cms_pages.ForumEditionPage&fields=*"
    states = [client.get(url).headers.get("X-Alma-Cache") for _ in range(3)]
    assert ("hit" in states) is hits, states


def test_redis_cache_passes_the_check(settings):
    settings.CACHES = {
        **settings.CACHES,
        "shared": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/6",
        },
    }
    settings.ALMA_CMS = {"API_REPRESENTATION_CACHE": {"ENABLED": True, "CACHE": "shared"}}
    assert check_representation_cache() == []
    call_command("check")


# --- API v3 ---------------------------------------------------------------------------------


@pytest.mark.skipif(not HAS_API_V3, reason="API v3 needs Wagtail 8")
@pytest.mark.usefixtures("v3_urls")
def test_v3_detail_and_listing_are_cached_and_refreshed(site, client, commit):
    detail_v3 = f"/api/v3/pages/{site.edition_2021.pk}/"
    listing_v3 = f"/api/v3/pages/?type={type_param(m.SpeakerPage)}"
    before = warm_up(client, [detail_v3, listing_v3])
    # The same path in API v2 is another entry.
    assert state(client.get(f"{API}pages/{site.edition_2021.pk}/")) != "hit"
    with commit():
        publish_new_family_name(site.mackenzie, "MacKenzie-Renamed")
    assert_fresh(client, [detail_v3, listing_v3], before, changed=[detail_v3, listing_v3])


@pytest.mark.skipif(not HAS_API_V3, reason="API v3 needs Wagtail 8")
@pytest.mark.usefixtures("v3_urls")
def test_v3_token_holders_are_never_served_nor_stored(site, client):
    url = f"/api/v3/pages/{site.edition_2021.pk}/"
    response = client.get(url, HTTP_AUTHORIZATION="Bearer not-a-token")
    assert state(response) is None
    assert stored_entries() == []
    warm_up(client, [url])
    assert state(client.get(url, HTTP_AUTHORIZATION="Bearer not-a-token")) is None


def _our_pre_delete_receivers():
    from django.db.models.signals import pre_delete

    return [key for key, *_ in pre_delete.receivers if key[0] in rc._DELETE_UIDS]


def test_delete_receivers_follow_the_setting_so_fast_delete_stays_while_the_cache_is_off(
    settings,
):
    """A pre_delete receiver without a sender turns off Django's fast delete for every model
    (one SELECT more per cascade): ours are connected only while the cache is on."""
    settings.ALMA_CMS = OFF
    assert _our_pre_delete_receivers() == []
    settings.ALMA_CMS = ON
    assert len(_our_pre_delete_receivers()) == 2
    settings.ALMA_CMS = {}
    assert _our_pre_delete_receivers() == []
