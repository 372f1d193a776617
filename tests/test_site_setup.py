"""``manage.py alma_setup`` (alma_cms.site_setup): the content locales and the default site's
address, idempotent, one line and a non-zero exit on bad input."""

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from wagtail.models import Locale, Page, Site

from alma_cms.site_setup import Address, SetupError, parse_base_url, setup_site

REPO = Path(__file__).resolve().parent.parent
LANGUAGES = [("en", "English"), ("ru", "Russian"), ("de", "German")]


def run(*args):
    """``(stdout, stderr)`` of ``alma_setup`` with ``args``."""
    out, err = io.StringIO(), io.StringIO()
    call_command("alma_setup", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def languages():
    return sorted(Locale.objects.values_list("language_code", flat=True))


@pytest.fixture
def site(db):
    """The default site as Wagtail's initial migration leaves it (localhost:80), with only the
    default language's locale."""
    Locale.objects.exclude(language_code="en").delete()
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("localhost", 80)
    return site


# --- Parsing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "address", "url"),
    [
        ("http://127.0.0.1:8001", Address("http", "127.0.0.1", 8001), "http://127.0.0.1:8001"),
        ("http://127.0.0.1:8001/", Address("http", "127.0.0.1", 8001), "http://127.0.0.1:8001"),
        ("https://Forum.Example.org", Address("https", "forum.example.org", 443), None),
        ("http://example.org:80", Address("http", "example.org", 80), "http://example.org"),
        # Browsers send a non-ASCII host name in its IDNA form: the Site must hold that form.
        (
            "http://пример.рф:8041",
            Address("http", "xn--e1afmkfd.xn--p1ai", 8041),
            "http://xn--e1afmkfd.xn--p1ai:8041",
        ),
    ],
)
def test_parse_base_url(value, address, url):
    assert parse_base_url(value) == address
    assert address.url == (url or "https://forum.example.org")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "is not an absolute http:// or https:// URL"),
        ("127.0.0.1:8000", "is not an absolute http:// or https:// URL"),
        ("ftp://example.org", "is not an absolute http:// or https:// URL"),
        ("http://", "is not an absolute http:// or https:// URL"),
        ("http://example.org:99999", "is not a valid URL: Port out of range"),
        ("http://example.org:port", "is not a valid URL"),
        ("http://example.org/forum/", "without a path"),
        ("http://example.org?x=1", "without a path, query"),
        ("http://user:pw@example.org", "credentials"),
        ("https://example.org:8443", "https:// URLs on port 443 only"),
        ("http://example.org:443", "https:// URLs on port 443 only"),
        ("http://127.0.0.1:0", "port 0"),
        ("http://[::1]:8041", "IPv6"),
        ("http://exa mple.org", "is not a host name"),
        ('http://a"<b>.org', "is not a host name"),
        ("http://-bad-.org", "is not a host name"),
    ],
)
def test_parse_base_url_refuses(value, message):
    with pytest.raises(SetupError, match=message) as raised:
        parse_base_url(value)
    assert "\n" not in str(raised.value)


# --- Locales --------------------------------------------------------------------------------


@override_settings(LANGUAGES=LANGUAGES, WAGTAIL_CONTENT_LANGUAGES=LANGUAGES)
def test_creates_a_locale_for_each_content_language_once(site):
    out, err = run()
    assert languages() == ["de", "en", "ru"]
    assert "Locale ru (Russian): created." in out and "Locale de (German): created." in out
    assert "Locales already present: en (English)." in out
    assert "address is http://localhost (set it with --base-url)" in out

    out, _err = run()
    assert languages() == ["de", "en", "ru"]
    assert "created" not in out
    assert "Locales already present: en (English), ru (Russian), de (German)." in out


@override_settings(
    LANGUAGES=[("en", "English"), ("ru", "Russian")],
    WAGTAIL_CONTENT_LANGUAGES=[("en", "English"), ("ru", "Russian"), ("xx", "Nonsense")],
)
def test_a_content_language_django_cannot_activate_is_an_error(site):
    """``xx`` outside LANGUAGES: LocaleMiddleware never activates it, so its Locale would be
    unreachable (``/xx/`` redirects to ``/en/xx/``). Nothing is created, not even ``ru``."""
    with pytest.raises(SetupError, match="'xx', which LANGUAGES lacks"):
        setup_site()
    assert languages() == ["en"]


@override_settings(WAGTAIL_CONTENT_LANGUAGES=[("en", "English")])
def test_leaves_other_locales_alone(site):
    Locale.objects.create(language_code="ru")
    out, _err = run()
    assert languages() == ["en", "ru"]
    assert "created" not in out


def test_ru_pages_route_to_the_russian_locale_once_it_exists(site, client):
    """The point of the locale: without it /ru/ serves the English page; with it, a Russian
    translation can exist and /ru/ serves it."""
    home = site.root_page.specific
    assert client.get("/ru/").context["page"].locale.language_code == "en"
    run()
    russian = home.copy_for_translation(Locale.objects.get(language_code="ru"))
    russian.title = "Добро пожаловать"
    russian.save_revision().publish()
    response = client.get("/ru/")
    assert response.status_code == 200
    assert response.context["page"].id == russian.id
    assert "Добро пожаловать" in response.content.decode()


# --- The site's address ---------------------------------------------------------------------


@override_settings(WAGTAILADMIN_BASE_URL="http://127.0.0.1:8001")
def test_base_url_sets_the_default_sites_address_once(site):
    out, err = run("--base-url", "http://127.0.0.1:8001")
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("127.0.0.1", 8001)
    assert "Site 'localhost' (default): address set to http://127.0.0.1:8001" in out
    assert "(was http://localhost)" in out
    assert err == ""  # the setting agrees
    page = Page.objects.get(pk=site.root_page_id)
    assert page.get_full_url() == "http://127.0.0.1:8001/en/"

    out, err = run("--base-url", "http://127.0.0.1:8001/")
    assert "address is http://127.0.0.1:8001." in out and "set to" not in out
    assert err == ""


@override_settings(WAGTAILADMIN_BASE_URL="http://example.com", WAGTAILAPI_BASE_URL="http://x:1/")
def test_warns_in_one_line_when_the_base_url_settings_disagree(site):
    _out, err = run("--base-url", "http://127.0.0.1:8001")
    assert err.count("\n") == 1, err
    assert err.startswith("Warning: WAGTAILADMIN_BASE_URL = 'http://example.com' and ")
    assert "WAGTAILAPI_BASE_URL = 'http://x:1/' in settings disagree with the site's " in err
    assert "http://127.0.0.1:8001" in err


@override_settings(WAGTAILADMIN_BASE_URL="http://127.0.0.1:8001/")
def test_does_not_warn_about_an_unset_or_agreeing_setting(site, settings):
    del settings.WAGTAILAPI_BASE_URL  # unset: API v2 falls back to the site
    _out, err = run("--base-url", "http://127.0.0.1:8001")
    assert err == ""


@override_settings(LANGUAGES=LANGUAGES, WAGTAIL_CONTENT_LANGUAGES=LANGUAGES)
@pytest.mark.parametrize("base_url", ["ftp://x", "http://x/path", "https://x:8443"])
def test_bad_input_changes_nothing(site, base_url):
    with pytest.raises(CommandError, match=r"^alma_setup: --base-url '") as raised:
        run("--base-url", base_url)
    assert "\n" not in str(raised.value)
    assert languages() == ["en"]
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("localhost", 80)


@override_settings(LANGUAGES=LANGUAGES, WAGTAIL_CONTENT_LANGUAGES=LANGUAGES)
def test_no_default_site_is_an_error(site):
    Site.objects.update(is_default_site=False)
    with pytest.raises(CommandError, match="^alma_setup: there is no default Wagtail Site: run"):
        run("--base-url", "http://127.0.0.1:8001")
    assert languages() == ["en"]


def test_another_site_at_that_address_is_an_error(site):
    Site.objects.create(hostname="127.0.0.1", port=8001, root_page_id=site.root_page_id)
    with pytest.raises(
        CommandError, match=r"^alma_setup: Site '127.0.0.1' already has the address http"
    ):
        run("--base-url", "http://127.0.0.1:8001")
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("localhost", 80)


def test_the_command_prints_one_line_and_exits_non_zero():
    """As a shell sees it (bad input is refused before the database is touched)."""
    result = subprocess.run(
        [sys.executable, "sandbox/manage.py", "alma_setup", "--base-url", "localhost:8000"],
        cwd=REPO,
        env={"DJANGO_SETTINGS_MODULE": "tests.testapp.settings", "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        "CommandError: alma_setup: --base-url 'localhost:8000' is not an absolute http:// or "
        "https:// URL (e.g. http://127.0.0.1:8000 or https://forum.example.org).\n"
    )
