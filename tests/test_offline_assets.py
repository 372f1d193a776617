"""Every admin and API page alma-cms adds or relies on works offline (issue 7, item 7).

For each page: nothing the browser loads on its own comes from another host, and every asset
from the site is there. Assets are what a browser fetches to render the page: scripts,
stylesheets (and their ``url()``/``@import``), icons, fonts, images, frames. Links a visitor
may follow (``<a href>``, ``<link rel="alternate">``) are content, not assets; so is JSON-LD,
which search engines read and browsers don't load. URLs in what scripts read (JSON props,
inline scripts, ``data-*`` attributes) count as assets too (Wagtail's sidebar gets the user's
avatar from its JSON props), except the links listed in ``LINKS_IN_DATA``.

"The site's own host" is a relative URL or a host of the site: the test client's, a Wagtail
``Site``'s, ``WAGTAILADMIN_BASE_URL``'s. Assets are checked where they live: static files through
the staticfiles finders, media in the default storage, anything else (``/admin/jsi18n/``,
the icon sprite) by requesting it.

Editors' own embeds (a video block's iframe) are content and are not in these pages.
"""

import re
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import wagtail
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.urls import reverse
from wagtail.models import Site
from wagtail_localize.operations import TranslationCreator

from alma_cms.preview import make_preview_token
from tests.testapp.factories import PAGE_TYPES, ensure_locale, page_of_type

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls_v3")]

WAGTAIL_8 = wagtail.VERSION[0] >= 8

# <link rel=...> values that name a page to go to, not something to load.
LINK_RELS = {"alternate", "canonical", "author", "help", "license", "next", "prev", "search"}

# (tag, attribute) pairs whose value the browser fetches; "*" is any tag.
ASSET_ATTRIBUTES = {
    ("script", "src"),
    ("img", "src"),
    ("img", "srcset"),
    ("source", "src"),
    ("source", "srcset"),
    ("iframe", "src"),
    ("frame", "src"),
    ("embed", "src"),
    ("audio", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("track", "src"),
    ("object", "data"),
    ("input", "src"),
    ("image", "href"),
    ("image", "xlink:href"),
    ("use", "href"),
    ("use", "xlink:href"),
    ("script", "data-icon-url"),  # Wagtail's icons.js fetches the sprite from it
}

# URLs in scripts and data attributes that are followed, not fetched: (pattern, why).
LINKS_IN_DATA = [
    (r"https://guide\.wagtail\.org/", "the sidebar's link to Wagtail's editor guide"),
    (r"http://domain\.com/blog/", "the example in the help text of Wagtail's slug field"),
]

# Data attributes holding what editors entered (a StreamField's value and its errors, in
# wagtail.blocks.BlockField's widget): a link block's URL is content.
CONTENT_DATA_ATTRIBUTES = {"data-w-block-arguments-value"}

# An absolute or protocol-relative URL in script text ("//host" only quoted: JS comments).
URL_IN_TEXT = re.compile(r"""(?:https?:|(?<=["']))//[A-Za-z0-9.\-\[\]]+(?::\d+)?[^\s"'<>\\)]*""")
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)|@import\s+["']([^"']+)["']""")


class AssetParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.assets = []  # (tag, attribute, url)
        self.styles = []  # <style> contents and style="" attributes
        self.data = []  # (where, text) that scripts read
        self._in = None

    def handle_starttag(self, tag, attrs):
        attrs = [(name, value or "") for name, value in attrs]
        rel = {word.lower() for name, value in attrs if name == "rel" for word in value.split()}
        for name, value in attrs:
            if (tag, name) in ASSET_ATTRIBUTES:
                urls = [value]
                if name.endswith("srcset"):  # "url 1x, url 2x"
                    urls = [part.split()[0] for part in value.split(",") if part.strip()]
                self.assets.extend((tag, name, url.strip()) for url in urls)
            elif tag == "link" and name == "href" and not rel & LINK_RELS:
                self.assets.append((tag, f"href (rel={' '.join(sorted(rel))})", value))
            elif name == "style":
                self.styles.append(value)
            elif name.startswith("data-") and name not in CONTENT_DATA_ATTRIBUTES:
                self.data.append((f"<{tag} {name}>", value))
        script_type = dict(attrs).get("type", "")
        if tag == "style" or (tag == "script" and script_type != "application/ld+json"):
            self._in = tag

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, text):
        if self._in == "style":
            self.styles.append(text)
        elif self._in == "script":
            self.data.append(("<script>", text))


def own_hosts():
    hosts = {"testserver"}
    for site in Site.objects.all():
        hosts |= {site.hostname, f"{site.hostname}:{site.port}"}
    for name in ("WAGTAILADMIN_BASE_URL", "WAGTAILAPI_BASE_URL"):
        if value := getattr(settings, name, ""):
            hosts.add(urlsplit(value).netloc)
    return hosts


class Checker:
    """Collects the problems of the pages it is given; serves each local asset once."""

    def __init__(self, client):
        self.client = client
        self.hosts = own_hosts()
        self.problems = []
        self.seen = set()

    def is_external(self, url):
        parts = urlsplit(url)
        return bool(parts.netloc) and parts.netloc not in self.hosts

    def html(self, page_url, html):
        parser = AssetParser()
        parser.feed(html)
        assert parser.assets, f"{page_url}: no asset at all: is this the page meant?"
        for tag, attribute, url in parser.assets:
            if url.startswith(("#", "data:")) or not url:
                continue  # in the page itself
            if self.is_external(url):
                self.problems.append(f"{page_url}: <{tag} {attribute}> loads {url}")
            else:
                self.asset(page_url, urljoin(page_url, url))
        for style in parser.styles:
            self.css(page_url, page_url, style)
        for where, text in parser.data:
            for url in URL_IN_TEXT.findall(text):
                if self.is_external(url) and not any(
                    re.match(pattern, url) for pattern, _why in LINKS_IN_DATA
                ):
                    self.problems.append(f"{page_url}: {where} names {url}")

    def css(self, page_url, base_url, text):
        for url, imported in CSS_URL.findall(text):
            url = (url or imported).strip()
            if url.startswith(("#", "data:")):
                continue
            if self.is_external(url):
                self.problems.append(f"{page_url}: the style at {base_url} loads {url}")
            else:
                self.asset(page_url, urljoin(base_url, url))

    def asset(self, page_url, url):
        """``url``: absolute path (or own-host URL) of something ``page_url`` loads."""
        parts = urlsplit(url)
        path = unquote(parts.path)
        if (path, parts.query) in self.seen:
            return
        self.seen.add((path, parts.query))
        if path.startswith(settings.STATIC_URL):
            found = finders.find(path.removeprefix(settings.STATIC_URL))
            if not found:
                self.problems.append(f"{page_url}: static file {url} is not found")
            elif path.endswith(".css"):
                with open(found, encoding="utf-8") as css:
                    self.css(page_url, path, css.read())
        elif path.startswith(settings.MEDIA_URL):
            if not default_storage.exists(path.removeprefix(settings.MEDIA_URL)):
                self.problems.append(f"{page_url}: media file {url} is not stored")
        else:
            response = self.client.get(f"{path}?{parts.query}" if parts.query else path)
            if response.status_code != 200:
                self.problems.append(f"{page_url}: {url} answers {response.status_code}")


# --- The pages --------------------------------------------------------------------------------
# name -> (who, function of (alma, ru_edition) giving the URL). "admin": a superuser.


def _translation(alma, user):
    """The Russian edition, made by wagtail-localize (the "Translate" action, which makes a
    draft still in English), then published."""
    locale = ensure_locale("ru")
    TranslationCreator(user, [locale]).create_translations(alma.edition_2021)
    ru = alma.edition_2021.get_translation(locale)
    ru.save_revision().publish()
    return ru


def _preview_url(alma):
    revision = alma.edition_2021.save_revision()
    return f"/api/v2/preview/?token={make_preview_token(revision)}"


ADMIN_PAGES = {
    "dashboard": lambda alma, ru: reverse("wagtailadmin_home"),
    "page listing": lambda alma, ru: reverse("wagtailadmin_explore", args=[alma.forum_index.pk]),
    "edition editor": lambda alma, ru: reverse(
        "wagtailadmin_pages:edit", args=[alma.edition_2021.pk]
    ),
    "new edition form": lambda alma, ru: reverse(
        "wagtailadmin_pages:add",
        args=["alma_cms_pages", "forumeditionpage", alma.forum_index.pk],
    ),
    "guideline document editor": lambda alma, ru: reverse(
        "wagtailadmin_pages:edit", args=[alma.final_document.pk]
    ),
    "wagtail-localize editor (Russian edition)": lambda alma, ru: reverse(
        "wagtailadmin_pages:edit", args=[ru.pk]
    ),
    "preview panel (nothing edited yet)": lambda alma, ru: reverse(
        "wagtailadmin_pages:preview_on_edit", args=[alma.edition_2021.pk]
    ),
    "preview of the draft (view draft)": lambda alma, ru: reverse(
        "wagtailadmin_pages:view_draft", args=[alma.edition_2021.pk]
    ),
    "organization listing": lambda alma, ru: reverse("wagtailsnippets_alma_cms_organization:list"),
    "organization editor": lambda alma, ru: reverse(
        "wagtailsnippets_alma_cms_organization:edit", args=[alma.lfl.pk]
    ),
    "organization chooser": lambda alma, ru: reverse(
        "wagtailsnippetchoosers_alma_cms_organization:choose"
    ),
    "page chooser": lambda alma, ru: reverse("wagtailadmin_choose_page"),
}

# DRF's browsable API (a browser asks for text/html) and API v3's docs.
API_PAGES = {
    "API v2 listing": lambda alma, ru: "/api/v2/pages/",
    "API v2 detail": lambda alma, ru: f"/api/v2/pages/{alma.edition_2021.pk}/",
    "API v2 headless preview": lambda alma, ru: _preview_url(alma),
}
if WAGTAIL_8:
    API_PAGES["API v3 docs (Swagger UI)"] = lambda alma, ru: "/api/v3/docs/"


def _site_page(model):
    return lambda alma, ru: page_of_type(alma, model).url


SITE_PAGES = {model.__name__: _site_page(model) for model in PAGE_TYPES}
SITE_PAGES["ForumEditionPage (Russian)"] = lambda alma, ru: ru.url

PAGES = {
    **{name: ("admin", url) for name, url in ADMIN_PAGES.items()},
    **{name: ("anonymous", url) for name, url in API_PAGES.items()},
    **{name: ("anonymous", url) for name, url in SITE_PAGES.items()},
}


@pytest.mark.parametrize("name", list(PAGES))
def test_page_loads_nothing_from_another_host(name, alma, client, admin_client, admin_user):
    who, make_url = PAGES[name]
    ru = _translation(alma, admin_user) if "Russian" in name else None
    url = make_url(alma, ru)
    http = admin_client if who == "admin" else client
    response = http.get(url, HTTP_ACCEPT="text/html", follow=True)
    assert response.status_code == 200, url
    if response["Content-Type"].startswith("application/json"):
        html = response.json()["html"]  # a chooser modal: its HTML goes into the page
    else:
        assert response["Content-Type"].startswith("text/html"), response["Content-Type"]
        html = response.content.decode()
    checker = Checker(http)
    checker.html(response.request["PATH_INFO"], html)
    assert checker.problems == []


def test_admin_makes_no_call_to_wagtail_org(admin_client):
    """The dashboard's upgrade check fetches releases.wagtail.org from core.js (a URL in no
    page): the sandbox switches it off (WAGTAIL_ENABLE_UPDATE_CHECK = False)."""
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'data-controller="w-upgrade' not in html


@pytest.mark.skipif(not WAGTAIL_8, reason="API v3 is Wagtail 8's")
def test_api_v3_docs_use_django_ninjas_bundled_swagger_ui(client):
    """With "ninja" in INSTALLED_APPS (tests/test_checks.py: W004 without it)."""
    html = client.get("/api/v3/docs/").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn.jsdelivr.net" not in html


@pytest.mark.skipif(not WAGTAIL_8, reason="API v3 is Wagtail 8's")
def test_openapi_document_refers_to_nothing_elsewhere(alma, client):
    """Swagger UI fetches every ``$ref`` and calls the ``servers``: all in the document or on
    the site."""
    document = client.get("/api/v3/openapi.json").json()
    refs = []

    def walk(node):
        if isinstance(node, dict):
            refs.extend(v for k, v in node.items() if k == "$ref")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document)
    assert refs, "no $ref: the document is not the typed one"
    assert [ref for ref in refs if not ref.startswith("#/")] == []
    hosts = own_hosts()
    servers = [server["url"] for server in document.get("servers", [])]
    assert [s for s in servers if urlsplit(s).netloc not in ("", *hosts)] == []


def test_checker_finds_external_and_missing_assets(client):
    """The checker itself: each kind of problem it must report, and what it must let pass."""
    checker = Checker(client)
    checker.html(
        "/en/page/",
        """<html><head>
        <link rel="stylesheet" href="https://cdn.example.net/x.css">
        <link rel="icon" href="//icons.example.net/favicon.png">
        <link rel="alternate" hreflang="ru" href="https://elsewhere.example.net/ru/">
        <link rel="stylesheet" href="/static/alma_cms/css/alma.css?v=1">
        <script src="/static/alma_cms/missing.js"></script>
        <style>body { background: url("https://img.example.net/bg.png") }</style>
        <script type="application/json">{"avatarUrl": "//www.gravatar.com/avatar/1"}</script>
        <script type="application/ld+json">{"@context": "https://schema.org"}</script>
        </head><body data-help-url="https://guide.wagtail.org/en/">
        <a href="https://www.ifla.org/">IFLA</a>
        <img srcset="/media/missing.png 1x, https://img.example.net/2x.png 2x">
        <iframe src="https://www.youtube.com/embed/x"></iframe>
        </body></html>""",
    )
    assert sorted(checker.problems) == sorted(
        [
            "/en/page/: <link href (rel=stylesheet)> loads https://cdn.example.net/x.css",
            "/en/page/: <link href (rel=icon)> loads //icons.example.net/favicon.png",
            "/en/page/: static file /static/alma_cms/missing.js is not found",
            "/en/page/: the style at /en/page/ loads https://img.example.net/bg.png",
            "/en/page/: <script> names //www.gravatar.com/avatar/1",
            "/en/page/: media file /media/missing.png is not stored",
            "/en/page/: <img srcset> loads https://img.example.net/2x.png",
            "/en/page/: <iframe src> loads https://www.youtube.com/embed/x",
        ]
    )
