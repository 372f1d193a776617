"""The representation cache follows changes that reach a response through relations: the
collection tree (which collection restriction hides an image or document), a page's parent
and alias target (``meta.parent``, ``meta.alias_of``) and a translator's work
(``meta.translations[].translation_status``).

Each change is made as an editor or translator makes it, with its on-commit callbacks run, and
the cached responses after it are compared with the same requests with the cache off."""

import pickle

import pytest
from django.core.cache import caches
from django.test import Client, override_settings
from django.urls import reverse
from wagtail.models import Collection, CollectionViewRestriction

from alma_cms.api import representation_cache as rc
from alma_cms.pages import models as m
from tests.api.conftest import publish
from tests.api.helpers import API, HAS_API_V3, backdate_all
from tests.testapp.factories import make_document

pytestmark = pytest.mark.django_db

ON = {"API_REPRESENTATION_CACHE": {"ENABLED": True}}
OFF = {"API_REPRESENTATION_CACHE": {"ENABLED": False}}
V3 = "/api/v3/"


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


def uncached(client, url):
    with override_settings(ALMA_CMS=OFF):
        return client.get(url)


def detail(page, api=API):
    return f"{api}pages/{page.pk}/"


def warm(client, url):
    """Request ``url`` until it is a hit; returns its body."""
    assert client.get(url).status_code == 200
    hit = client.get(url)
    assert state(hit) == "hit", url
    return hit.content


def assert_fresh(client, url):
    cached, fresh = client.get(url), uncached(client, url)
    assert (cached.status_code, cached.content) == (fresh.status_code, fresh.content), (
        url,
        state(cached),
    )


# --- the collection tree ----------------------------------------------------------------------


@pytest.fixture
def collections(site):
    """A login-restricted collection "Secret" and a public "Public" holding a speaker's photo
    and a document."""
    root = Collection.get_first_root_node()
    secret = root.add_child(name="Secret")
    CollectionViewRestriction.objects.create(collection=secret, restriction_type="login")
    public = root.add_child(name="Public")
    photo = site.mackenzie.photo
    photo.collection = public
    photo.save()
    make_document().__class__.objects.update(collection=public)
    return secret, public


def collection_urls(site):
    return [detail(site.mackenzie), f"{API}images/", f"{API}documents/"]


def warm_collection_urls(client, site):
    urls = collection_urls(site)
    for url in urls:
        warm(client, url)
    assert b'"photo": null' not in client.get(urls[0]).content
    return urls


def assert_hidden_and_fresh(client, site, urls):
    assert b'"photo": null' in uncached(client, urls[0]).content  # the move hides it
    for url in urls:
        assert_fresh(client, url)


def test_moving_a_collection_in_wagtails_admin_refreshes_cached_bodies(
    site, collections, client, admin_user, commit, settings
):
    settings.ROOT_URLCONF = "tests.testapp.urls"  # the sandbox's: the admin and /api/v2/
    secret, public = collections
    urls = warm_collection_urls(client, site)
    editor = Client()
    editor.force_login(admin_user)
    edit_url = reverse("wagtailadmin_collections:edit", args=[public.pk])
    with commit():
        response = editor.post(edit_url, {"name": "Public", "parent": secret.pk})
    assert response.status_code == 302, response.content[:500]
    assert Collection.objects.get(pk=public.pk).get_parent().pk == secret.pk
    assert_hidden_and_fresh(client, site, urls)


def test_moving_a_collection_through_the_model_api_refreshes_cached_bodies(
    site, collections, client, commit
):
    secret, public = collections
    urls = warm_collection_urls(client, site)
    with commit():
        moving = Collection.objects.get(pk=public.pk)
        moving.move(Collection.objects.get(pk=secret.pk), "sorted-child")
    assert_hidden_and_fresh(client, site, urls)


def test_creating_and_deleting_collections_refreshes_cached_listings(site, client, commit):
    url = f"{API}images/"
    warm(client, url)
    with commit():
        made = Collection.get_first_root_node().add_child(name="New")
    assert state(client.get(url)) == "miss"
    warm(client, url)
    with commit():
        Collection.objects.get(pk=made.pk).delete()
    assert state(client.get(url)) == "miss"


# --- meta.parent and meta.alias_of ---------------------------------------------------------


def _parent_title(client, url):
    parent = client.get(url).json()["meta"]["parent"]
    return parent["title"] if parent else None


@pytest.mark.parametrize(
    "api",
    [
        API,
        pytest.param(
            V3,
            marks=pytest.mark.skipif(not HAS_API_V3, reason="API v3 needs Wagtail 8"),
        ),
    ],
)
def test_meta_parent_follows_the_parents_title_and_publication(site, client, commit, api, request):
    if api == V3:
        request.getfixturevalue("v3_urls")
    url = detail(site.quotation, api)
    warm(client, url)
    index_page = m.QuotationIndexPage.objects.get(pk=site.quotation_index.pk)
    index_page.title = "Sayings"
    with commit():
        publish(index_page)
    assert _parent_title(client, url) == "Sayings"
    assert_fresh(client, url)
    with commit():
        index_page.unpublish()
    assert _parent_title(client, url) is None
    assert_fresh(client, url)
    # Hidden, the parent is still a dependency: published again, it is shown again.
    with commit():
        publish(m.QuotationIndexPage.objects.get(pk=index_page.pk))
    assert _parent_title(client, url) == "Sayings"
    assert_fresh(client, url)


def _stored_deps():
    """The dependency names of each body in the local-memory cache (the tests' default)."""
    cache = caches["default"]
    return [
        pickle.loads(value)["deps"]
        for key, value in list(cache._cache.items())
        if rc.KEY_PREFIX in key
    ]


def test_meta_alias_of_follows_the_original(site, client, commit):
    original = m.SpeakerPage.objects.get(pk=site.lison.pk)
    alias = original.create_alias(parent=site.quotation_index, update_slug="lison-alias")
    url = detail(alias)
    warm(client, url)
    # Wagtail republishes the aliases of a page it publishes (so this body is refreshed
    # through the alias too); a hidden original (a draft, say) is null until it is shown.
    assert [rc.page_dep(original.pk) in deps for deps in _stored_deps()] == [True]
    original.title = "Barbara Lison (renamed)"
    with commit():
        publish(original)
    assert client.get(url).json()["meta"]["alias_of"]["title"] == original.title
    assert_fresh(client, url)


# --- translation status ----------------------------------------------------------------------


def _statuses(client, url):
    return [
        item["translation_status"] and item["translation_status"]["state"]
        for item in client.get(url).json()["meta"]["translations"]
    ]


def test_translation_status_follows_the_translators_work(
    site, locale_ru, admin_user, capture, client
):
    from wagtail_localize.models import StringTranslation

    from tests.test_localize import translate_page

    translate_page(site.speaker_index, locale_ru, admin_user, capture)
    russian = site.speaker_index.get_translation(locale_ru)
    urls = [detail(site.speaker_index), detail(russian)]
    for url in urls:
        warm(client, url)
    assert _statuses(client, urls[0]) == ["in_sync"]
    string = StringTranslation.objects.filter(locale=locale_ru).first()
    with capture(execute=True):
        string.delete()  # no publish
    assert _statuses(client, urls[0]) == ["in_progress"]
    for url in urls:
        assert_fresh(client, url)
    for url in urls:
        warm(client, url)
    string.pk = None
    with capture(execute=True):
        string.save()  # translated again, not published yet
    assert _statuses(client, urls[0]) == ["in_progress"]
    for url in urls:
        assert_fresh(client, url)
    assert state(client.get(urls[0])) == "hit"
