"""Setting a site up for alma-cms: its content locales and its address (``manage.py alma_setup``).

Two things a new site lacks and nothing else creates:

- a Wagtail ``Locale`` for every language of ``WAGTAIL_CONTENT_LANGUAGES``: the initial
  migration creates only the default language's, and without a ``Locale`` a language cannot be
  translated into, so its URLs (``/ru/...``) serve the default language's pages;
- the default ``Site``'s hostname and port: the source of every page's absolute URL (API, JSON-LD,
  iCal, ``hreflang``). Wagtail's initial migration sets ``localhost:80``.

``WAGTAILADMIN_BASE_URL`` (image renditions) and ``WAGTAILAPI_BASE_URL`` (API v2 documents,
redirects) are settings: this module only reports when they disagree with the Site
(docs/tutorial.md, "Absolute URLs").
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from wagtail.coreutils import get_content_languages
from wagtail.models import Locale, Site

DEFAULT_PORTS = {"http": 80, "https": 443}
# An ASCII host name (RFC 1123 labels) or a dotted IPv4 address: what a Site's hostname can be
# and what browsers send in Host (non-ASCII names are sent in their IDNA form).
HOSTNAME_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*\.?$")
BASE_URL_SETTINGS = ("WAGTAILADMIN_BASE_URL", "WAGTAILAPI_BASE_URL")


class SetupError(Exception):
    """Bad input or a site that cannot be set up; ``str()`` is one line for the command."""


@dataclass(frozen=True)
class Address:
    """Where a site is served: ``scheme`` ("http" or "https"), ``hostname`` (lower case),
    ``port`` (explicit, or the scheme's default)."""

    scheme: str
    hostname: str
    port: int

    @property
    def url(self):
        """``scheme://hostname[:port]``, the port only when not the scheme's default: the
        form of Wagtail's ``Site.root_url``."""
        if DEFAULT_PORTS[self.scheme] == self.port:
            return f"{self.scheme}://{self.hostname}"
        return f"{self.scheme}://{self.hostname}:{self.port}"


@dataclass
class SetupReport:
    """What :func:`setup_site` found and did, as lines for the command to print."""

    done: list = field(default_factory=list)
    warnings: list = field(default_factory=list)


def parse_base_url(value):
    """The :class:`Address` of ``value``, an absolute ``http(s)://host[:port]`` URL with no path
    (a trailing ``/`` is allowed), query, fragment or credentials.

    Raises :class:`SetupError` otherwise, and for ``https`` on a port other than 443 (or
    ``http`` on 443): Wagtail's ``Site.root_url`` derives the scheme from the port alone
    (443 = https, anything else = http), so such an address cannot be a Site's.
    """
    text = (value or "").strip()
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:  # e.g. a non-numeric or out-of-range port
        raise SetupError(f"--base-url {value!r} is not a valid URL: {exc}.") from exc
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise SetupError(
            f"--base-url {value!r} is not an absolute http:// or https:// URL "
            "(e.g. http://127.0.0.1:8000 or https://forum.example.org)."
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        raise SetupError(
            f"--base-url {value!r} must be the site's address only (scheme, host and port), "
            "without a path, query or credentials: Wagtail serves a site at its root."
        )
    if port == 0:
        raise SetupError(f"--base-url {value!r}: port 0 is not a port a site can be served on.")
    hostname = parts.hostname.lower()
    if ":" in hostname:
        # Wagtail's Site.root_url writes f"http://{hostname}:{port}", without IPv6's brackets.
        raise SetupError(
            f"--base-url {value!r}: Wagtail's Site cannot build URLs for an IPv6 address; "
            "use a host name (e.g. localhost) or an IPv4 address."
        )
    try:
        hostname = hostname.encode("idna").decode("ascii")  # what browsers send in Host
    except UnicodeError as exc:
        raise SetupError(f"--base-url {value!r}: the host name is not valid ({exc}).") from exc
    if not HOSTNAME_RE.match(hostname):
        raise SetupError(
            f"--base-url {value!r}: {parts.hostname!r} is not a host name or an IPv4 address."
        )
    address = Address(parts.scheme, hostname, port or DEFAULT_PORTS[parts.scheme])
    if (address.scheme == "https") != (address.port == 443):
        raise SetupError(
            f"--base-url {value!r}: Wagtail's Site builds https:// URLs on port 443 only and "
            "http:// URLs on every other port; use https on 443 or http on another port."
        )
    return address


def address_of_url(value):
    """The :class:`Address` of a base URL setting, or ``None`` if it is not one."""
    try:
        return parse_base_url(value)
    except SetupError:
        return None


def content_languages():
    """``[(code, name)]`` of ``WAGTAIL_CONTENT_LANGUAGES`` (read now, so overridden settings
    count), else Wagtail's default (the language of ``LANGUAGE_CODE``)."""
    languages = getattr(settings, "WAGTAIL_CONTENT_LANGUAGES", None)
    if languages is None:
        return list(get_content_languages().items())
    return [(code, name) for code, name in languages]


def ensure_locales(report):
    """Create the ``Locale`` of every content language that has none; report each language.

    Returns the language codes created.
    """
    # Django activates only the languages of LANGUAGES (LocaleMiddleware, i18n_patterns): a
    # Locale for any other code could never be shown.
    known = {code.lower() for code, _name in settings.LANGUAGES}
    unknown = [code for code, _name in content_languages() if code.lower() not in known]
    if unknown:
        raise SetupError(
            f"WAGTAIL_CONTENT_LANGUAGES has {', '.join(map(repr, unknown))}, which LANGUAGES "
            "lacks: Django would never activate it. Add it to LANGUAGES or remove it."
        )
    existing = set(Locale.objects.values_list("language_code", flat=True))
    created, present = [], []
    for code, name in content_languages():
        if code in existing:
            present.append(f"{code} ({name})")
            continue
        Locale.objects.create(language_code=code)
        created.append(code)
        report.done.append(
            f"Locale {code} ({name}): created. Its pages appear under its URLs once translated "
            "(Translate in a page's menu, or synchronise the locale in Settings > Locales)."
        )
    if present:
        report.done.append(f"Locales already present: {', '.join(present)}.")
    return created


def default_site():
    """The default ``Site``; :class:`SetupError` if there is none."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        raise SetupError(
            "there is no default Wagtail Site: run `manage.py migrate` first, or mark a site "
            "as the default in Settings > Sites."
        )
    return site


def _label(site):
    """``Site 'name'`` for messages (the hostname when the site has no name)."""
    default = " (default)" if site.is_default_site else ""
    return f"Site {site.site_name or site.hostname!r}{default}"


def set_site_address(site, address, report):
    """Give ``site`` the hostname and port of ``address``; report what changed.

    Raises :class:`SetupError` if another site already has that hostname and port.
    """
    before, label = site.root_url, _label(site)
    if (site.hostname, site.port) == (address.hostname, address.port):
        report.done.append(f"{label}: address is {before}.")
        return
    clash = (
        Site.objects.filter(hostname=address.hostname, port=address.port)
        .exclude(pk=site.pk)
        .first()
    )
    if clash is not None:
        raise SetupError(
            f"{_label(clash)} already has the address {address.url}; change or delete it in "
            "Settings > Sites."
        )
    site.hostname, site.port = address.hostname, address.port
    site.save(update_fields=["hostname", "port"])
    report.done.append(
        f"{label}: address set to {site.root_url} (was {before}). Page URLs are built from it."
    )


def base_url_warning(site):
    """One line naming each of ``WAGTAILADMIN_BASE_URL`` and ``WAGTAILAPI_BASE_URL`` that is
    set and gives a scheme, host or port other than ``site``'s, or ``None``."""
    site_address = address_of_url(site.root_url)
    disagreeing = []
    for name in BASE_URL_SETTINGS:
        value = getattr(settings, name, None)
        if value is None:  # unset: Wagtail falls back to relative URLs or the Site
            continue
        if address_of_url(str(value).rstrip("/")) != site_address:
            disagreeing.append(f"{name} = {value!r}")
    if not disagreeing:
        return None
    return (
        f"{' and '.join(disagreeing)} in settings disagree{'s' if len(disagreeing) == 1 else ''} "
        f"with the site's address {site.root_url}: absolute URLs of images and API documents "
        "will point elsewhere; set them to the same address."
    )


def setup_site(base_url=None):
    """Create the missing content locales and, if ``base_url`` is given (a string, see
    :func:`parse_base_url`), set the default site's address to it. Idempotent; one transaction.

    Returns a :class:`SetupReport`. Raises :class:`SetupError` (one line) on bad input or when
    there is no default site; nothing is changed then.
    """
    address = parse_base_url(base_url) if base_url is not None else None
    report = SetupReport()
    with transaction.atomic():
        site = default_site()
        ensure_locales(report)
        if address is not None:
            set_site_address(site, address, report)
        else:
            report.done.append(
                f"{_label(site)}: address is {site.root_url} (set it with --base-url)."
            )
    if warning := base_url_warning(site):
        report.warnings.append(warning)
    return report
