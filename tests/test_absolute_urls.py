"""Every absolute URL of the demo points at the server it runs on (docs/absolute-urls.md).

The demo is set up as ``make demo PORT=8001`` does: the default Site at ``127.0.0.1:8001``
(what ``alma_setup --base-url`` sets) and the settings ``sandbox/settings.py`` gives with
``ALMA_BASE_URL=http://127.0.0.1:8001``. Requests go to that host, as a browser's would. Every
``http(s)://`` URL is collected from an API v2 and (Wagtail 8) v3 detail of each page type in
each language, two v2 listings, the HTML of every page (its JSON-LD and ``hreflang`` links
included), the iCal feeds and the v2 ``find`` redirect; each must point at the server, unless it
is a link the demo content makes to another site (listed below), and each must answer there.
"""

import json
import os
import re
import runpy
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import wagtail
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client, override_settings
from wagtail.models import Site

from alma_cms.scope.absolute_urls import absolute_url, server_origin
from tests.api.helpers import clear_caches, load_demo_quietly, module_transaction

pytestmark = pytest.mark.django_db

PORT = 8001
ORIGIN = f"http://127.0.0.1:{PORT}"
HOST = f"127.0.0.1:{PORT}"

# Hosts of links that are the demo's content (organizations' sites, the forum's videos, a
# Wikidata item) and schema.org's vocabulary (@context, enumeration values): not the server's.
CONTENT_HOSTS = {
    "schema.org",
    "libfl.ru",
    "www.rba.ru",
    "www.ifla.org",
    "www.ala.org",
    "www.rsl.ru",
    "www.culture.ru",
    "culture.gov.ru",
    "www.youtube.com",
    "www.wikidata.org",
}

URL_RE = re.compile(r"https?://[^\s\"'<>\\]+")
JSON_LD_RE = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
HREFLANG_RE = re.compile(r'<link rel="alternate" hreflang="[^"]+" href="([^"]+)">')
SANDBOX_SETTINGS = Path(__file__).resolve().parent.parent / "sandbox" / "settings.py"


def make_demo_settings():
    """The base URLs ``sandbox/settings.py`` sets when ``make demo PORT=8001`` runs it."""
    environ = {**os.environ, "ALMA_BASE_URL": ORIGIN}
    saved = os.environ.copy()
    os.environ.clear()
    os.environ.update(environ)
    try:
        values = runpy.run_path(str(SANDBOX_SETTINGS))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return {name: values[name] for name in ("WAGTAILAPI_BASE_URL", "WAGTAILADMIN_BASE_URL")}


@pytest.fixture(scope="module")
def demo_on_8001(django_db_setup, django_db_blocker, media_root):
    """The demo, served at 127.0.0.1:8001 as ``make demo PORT=8001`` serves it; rolled back
    after the module."""
    base_urls = override_settings(**make_demo_settings())
    with module_transaction(django_db_blocker):
        load_demo_quietly()
        with base_urls:
            # As `make demo PORT=8001` does: the default Site takes the served address.
            call_command("alma_setup", "--base-url", f"http://127.0.0.1:{PORT}", verbosity=0)
        clear_caches()
        with base_urls:
            yield


def strings(value):
    """Every string in a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def urls_in(text):
    return [url.rstrip(".,;)") for url in URL_RE.findall(text)]


def unfold(ical):
    """RFC 5545 content lines unfolded (a long line continues after CRLF and a space)."""
    return ical.replace("\r\n ", "")


class Inventory:
    """The absolute URLs found, by where they were found, and what each path answered."""

    def __init__(self, client):
        self.client = client
        self.found = []  # (surface, url)
        self.answers = {}  # path -> (status, Location)

    def get(self, path, **params):
        response = self.client.get(path, params)
        if not params:
            self.answers[path] = (response.status_code, response.get("Location"))
        return response

    def add(self, surface, urls):
        self.found += [(surface, url) for url in urls]

    def add_json(self, surface, data):
        for text in strings(data):
            self.add(surface, urls_in(text))


def collect(client):
    inventory = Inventory(client)
    listing = inventory.get("/api/v2/pages/", limit=100).json()
    assert listing["meta"]["total_count"] == len(listing["items"]) > 60
    inventory.add_json("v2 listing", listing)
    editions = inventory.get(
        "/api/v2/pages/", type="alma_cms_pages.ForumEditionPage", fields="*", limit=100
    ).json()
    inventory.add_json("v2 listing", editions)

    one_per_type = {}
    for item in listing["items"]:
        one_per_type.setdefault((item["meta"]["type"], item["meta"]["locale"]), item["id"])
    for page_id in one_per_type.values():
        response = inventory.get(f"/api/v2/pages/{page_id}/")
        assert response.status_code == 200, page_id
        inventory.add_json("v2 detail", response.json())
        if wagtail.VERSION[0] >= 8:  # API v3 exists from Wagtail 8
            response = inventory.get(f"/api/v3/pages/{page_id}/")
            assert response.status_code == 200, page_id
            inventory.add_json("v3 detail", response.json())

    for item in listing["items"]:
        path = urlsplit(item["meta"]["html_url"]).path
        response = inventory.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        for script in JSON_LD_RE.findall(html):
            inventory.add_json("JSON-LD", json.loads(script))
        inventory.add("hreflang", HREFLANG_RE.findall(html))
        # Whatever else the page shows (links in its content, ...).
        inventory.add("HTML", urls_in(JSON_LD_RE.sub("", html)))
        if item["meta"]["type"].endswith(("ForumIndexPage", "ForumEditionPage")):
            feed = inventory.get(path + "calendar.ics")
            assert feed.status_code == 200, path
            inventory.add("iCal", urls_in(unfold(feed.content.decode())))

    response = inventory.get("/api/v2/pages/find/", html_path="/ru/alma/alma-2021/")
    assert response.status_code == 302
    inventory.add("v2 find", [response["Location"]])
    return inventory


@pytest.fixture(scope="module")
def inventory(demo_on_8001, django_db_blocker):
    with django_db_blocker.unblock():
        return collect(Client(HTTP_HOST=HOST, SERVER_PORT=str(PORT)))


def host_of(url):
    return urlsplit(url).netloc


def test_the_sandbox_takes_the_address_from_alma_base_url():
    assert make_demo_settings() == {
        "WAGTAILAPI_BASE_URL": ORIGIN,
        "WAGTAILADMIN_BASE_URL": ORIGIN,
    }


def test_every_surface_has_absolute_urls_of_the_server(inventory):
    """Not a vacuous pass: each surface shows URLs of the server, images among them."""
    counts = Counter(surface for surface, url in inventory.found if host_of(url) == HOST)
    expected = {"v2 listing", "v2 detail", "JSON-LD", "hreflang", "iCal", "v2 find"}
    if wagtail.VERSION[0] >= 8:
        expected.add("v3 detail")
    assert expected <= {surface for surface, count in counts.items() if count}
    media = [url for _s, url in inventory.found if url.startswith(f"{ORIGIN}/media/images/")]
    assert len(media) > 30


def test_every_absolute_url_points_at_the_server(inventory):
    wrong = sorted(
        {
            (surface, url)
            for surface, url in inventory.found
            if host_of(url) != HOST and host_of(url) not in CONTENT_HOSTS
        }
    )
    assert wrong == []


def test_every_content_host_is_still_in_the_content(inventory):
    """The list of other sites' hosts names only links the demo makes (no stale entries)."""
    assert {host_of(url) for _s, url in inventory.found} - {HOST} == CONTENT_HOSTS


def test_every_url_of_the_server_answers(inventory, django_db_blocker):
    """Each URL of the server answers 200, or redirects on the same host; a media URL names a
    stored file (the test server does not serve media, ``make demo``'s does under DEBUG)."""
    paths = {urlsplit(url).path for _s, url in inventory.found if host_of(url) == HOST}
    media_url = "/media/"
    failures = []
    with django_db_blocker.unblock():
        for path in sorted(paths):
            if path.startswith(media_url):
                if not default_storage.exists(path[len(media_url) :]):
                    failures.append((path, "no such file"))
                continue
            if path not in inventory.answers:
                inventory.get(path)
            status, location = inventory.answers[path]
            if status == 200:
                continue
            if status in (301, 302) and host_of(location) in ("", HOST):
                continue
            failures.append((path, status, location))
    assert failures == []


# --- The rule, unit by unit --------------------------------------------------------------------


def test_server_origin_is_wagtailapi_base_url_scheme_and_host(rf, settings):
    settings.WAGTAILAPI_BASE_URL = "https://cms.example.org/some/path/"
    assert server_origin(rf.get("/", HTTP_HOST="127.0.0.1:8001")) == "https://cms.example.org"
    assert server_origin() == "https://cms.example.org"


def test_without_wagtailapi_base_url_the_site_answering_the_request(rf, settings):
    """Not WAGTAILADMIN_BASE_URL: that is the admin's address."""
    del settings.WAGTAILAPI_BASE_URL  # the test settings have none; made explicit here
    settings.WAGTAILADMIN_BASE_URL = "http://example.com"
    default = Site.objects.get(is_default_site=True)
    other = Site.objects.create(hostname="other.example.org", port=443, root_page=default.root_page)
    assert server_origin(rf.get("/", HTTP_HOST="other.example.org")) == other.root_url
    assert server_origin(rf.get("/", HTTP_HOST="unknown.example.org")) == default.root_url
    assert server_origin() == default.root_url


def test_an_empty_wagtailapi_base_url_keeps_urls_relative(rf, settings):
    settings.WAGTAILAPI_BASE_URL = ""
    origin = server_origin(rf.get("/"))
    assert origin == ""
    assert absolute_url("/media/images/a.png", origin) == "/media/images/a.png"


def test_absolute_url_leaves_absolute_and_empty_urls_alone():
    origin = "http://127.0.0.1:8001"
    assert absolute_url("/documents/1/a.pdf", origin) == f"{origin}/documents/1/a.pdf"
    assert absolute_url("https://cdn.example.org/a.png", origin) == "https://cdn.example.org/a.png"
    assert absolute_url("//cdn.example.org/a.png", origin) == "//cdn.example.org/a.png"
    assert absolute_url("", origin) == ""
