"""Template tags and filters for the alma-cms page and block templates.

``{% load alma_cms_tags %}``:

- ``{% alma_visible_page page_or_none as linked %}``: the page to link to for a reference
  (specific, in the active language when the visitor may see a translation there) if the
  visitor may see it, else ``None``: the rule of ``alma_cms.scope``, with the request's scope
  and its caches. Templates link a referenced page only through this tag, so drafts, expired
  and private pages never leak as links.
- ``page_or_none|alma_public_page``: the same as a filter, for templates without a request
  (it cannot see the request: it uses the scope ``get_scope()`` gives).
- ``{% alma_visible_children page as children %}`` (``in_menu=True`` for menus): the
  children anyone may see, by the same rule.
- ``{% alma_visible_image image as image %}``: the image, or None when its collection is
  restricted for the visitor.
- ``{% alma_rich_text value %}``: stored rich text (a rich-text block's value or a rich-text
  field) as front-end HTML, like Wagtail's ``|richtext``, with the request's scope: a link to a
  page or document the visitor may not see keeps its text but loses its ``href``, and a page
  link leads to the translation the visitor sees in the active language. Templates render rich
  text only through this tag: ``|richtext`` links restricted and expired pages.
- ``page|alma_person_name``: a speaker's full name (or the page title).
- ``number|alma_count:qualifier``: "about 1,500", "more than 20", "147".
- ``hours|alma_hours``: "4 hours".
- ``code|alma_language_name``: "Russian" for "ru", in the active language.
- ``url|alma_hostname``: "youtube.com", to name a link's destination.
- ``{% alma_time date %}``, ``{% alma_date_range start end %}``: dates in ``<time>`` elements.
- ``{% alma_position_dates position %}``: "2019 – 2021", "April 2021 – current".
- ``{% alma_language_switcher page %}``: links to the page's live translations.
- ``{% alma_alternate_links page %}``: ``<link rel="alternate" hreflang>`` for the head.
- ``{% alma_site_root as home %}``, ``{% alma_site_name %}``: the current site, localized.
- ``{% alma_menu page as menu %}``: the site's menu (its root's children shown in menus), in
  the active language, with the item of the current page or section marked.
- ``{% alma_json_ld page %}``: the page's schema.org JSON-LD in a ``<script>`` element.
- ``{% alma_calendar_url page as url %}``: the URL of a page's iCalendar feed, or ``None``.
- ``{% alma_calendar_link page %}``: ``<link rel="alternate" type="text/calendar">`` for the head.
"""

from decimal import Decimal
from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from wagtail.models import Site
from wagtail.rich_text import RichText

from ..scope import get_scope
from ..structured_data import json_ld_script, page_json_ld

register = template.Library()


# --- Pages -------------------------------------------------------------------------------


@register.simple_tag(takes_context=True)
def alma_visible_page(context, page):
    """The page to link to for a reference to ``page`` (see the module docstring), or
    ``None`` when the visitor may not see it (unpublished, expired or restricted)."""
    if page is None:
        return None
    return get_scope(context.get("request")).public_localized(page)


@register.simple_tag(takes_context=True)
def alma_visible_children(context, page, in_menu=False):
    """The children of ``page`` that anyone may see (the scope's rule, as index listings):
    a list of specific pages in tree order; ``in_menu=True``: only those shown in menus."""
    if page is None:
        return []
    scope = get_scope(context.get("request")).anonymous()
    children = page.get_children().filter(scope.visible_q())
    if in_menu:  # menus show titles only: no specific pages needed
        return list(children.filter(show_in_menus=True))
    return list(children.specific())


@register.simple_tag(takes_context=True)
def alma_visible_image(context, image):
    """``image`` (an image or document), or None when its collection is behind a view
    restriction the visitor fails: templates show an image only through this tag."""
    if image is None or not get_scope(context.get("request")).is_media_visible(image):
        return None
    return image


@register.filter
def alma_public_page(page):
    """``alma_visible_page`` without the template's request (see the module docstring)."""
    if page is None:
        return None
    return get_scope().public_localized(page)


@register.simple_tag(takes_context=True)
def alma_rich_text(context, value):
    """Front-end HTML of stored rich text (``RichText``, a string or None) for the visitor
    (see the module docstring), in Wagtail's ``wagtailcore/shared/richtext.html`` wrapper as
    ``|richtext`` gives it."""
    if isinstance(value, RichText):
        value = value.source
    html = get_scope(context.get("request")).expand_rich_text(str(value) if value else "")
    return render_to_string("wagtailcore/shared/richtext.html", {"html": html})


@register.filter
def alma_person_name(page):
    if page is None:
        return ""
    page = page.specific
    return getattr(page, "full_name", "") or page.title


def _site_for(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        page = context.get("page")
        site = page.get_site() if hasattr(page, "get_site") else None
    return site


@register.simple_tag(takes_context=True)
def alma_site_root(context):
    """The current site's root (home) page in the active language, if it is live."""
    site = _site_for(context)
    if site is None:
        return None
    return get_scope(context.get("request")).public_localized(site.root_page)


@register.simple_tag(takes_context=True)
def alma_site_name(context):
    site = _site_for(context)
    return (site.site_name if site else "") or getattr(settings, "WAGTAIL_SITE_NAME", "")


class MenuItem:
    """One entry of :func:`alma_menu`: ``page`` (a plain ``Page``, not specific), ``title``,
    ``url`` and ``current``: ``"page"`` for the page being shown, ``"true"`` for the section
    that holds it, ``""`` otherwise (the value of its link's ``aria-current``)."""

    def __init__(self, page, url, current):
        self.page = page
        self.title = page.title
        self.url = url
        self.current = current

    def __repr__(self):
        return f"<MenuItem {self.title!r} {self.url!r} current={self.current!r}>"


@register.simple_tag(takes_context=True)
def alma_menu(context, page=None):
    """The site's menu: a list of :class:`MenuItem`, one for each child of the site's root page
    (``alma_site_root``: in the active language) that has ``show_in_menus`` and that the caller
    may see (the scope's rule: live, not expired, not restricted for this caller), in tree
    order. ``page`` (default: the context's ``page``) is marked ``current``, and so is the item
    whose section holds it. One query per request (the children; the scope keeps them for a
    second menu), none if the site has no visible root page."""
    home = alma_site_root(context)
    if home is None:
        return []
    request = context.get("request")
    scope = get_scope(request)
    pages = scope.computed_once(
        ("menu", home.pk),
        lambda: list(home.get_children().filter(show_in_menus=True).filter(scope.visible_q())),
    )
    page = page if page is not None else context.get("page")
    # A template without a page (the search page) passes "" (Django's unresolved variable).
    if getattr(page, "pk", None) is None:
        page = None
    path = getattr(page, "path", None) or ""
    items = []
    for item in pages:
        url = item.get_url(request=request)
        if not url:
            continue
        if page is not None and item.pk == page.pk:
            current = "page"
        elif path.startswith(item.path):
            current = "true"
        else:
            current = ""
        items.append(MenuItem(item, url, current))
    return items


# --- Numbers -----------------------------------------------------------------------------


def _number(value):
    return formats.number_format(value, force_grouping=True)


@register.filter
def alma_count(value, qualifier="exact"):
    """A count with its precision: "about 80", "more than 20", "147"."""
    if value is None or value == "":
        return ""
    number = _number(value)
    if qualifier == "about":
        return _("about %(count)s") % {"count": number}
    if qualifier == "more_than":
        return _("more than %(count)s") % {"count": number}
    return number


@register.filter
def alma_hours(value):
    """A duration in hours: "4 hours", "2.5 hours"."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    if value == value.to_integral_value():
        value = int(value)
        plural_n = value
    else:
        # Fractions take the form used for 2 in every language we ship ("2.5 hours", "2,5 часа").
        plural_n = 2
    return ngettext("%(hours)s hour", "%(hours)s hours", plural_n) % {"hours": _number(value)}


@register.filter
def alma_language_name(code):
    """The name of a language code in the active language; the code itself if unknown."""
    if not code:
        return ""
    try:
        return translation.get_language_info(code)["name_translated"]
    except KeyError:
        return code


@register.filter
def alma_hostname(url):
    """The site a URL leads to, for link text: "youtube.com" for "https://www.youtube.com/…"."""
    host = urlsplit(url or "").hostname or ""
    return host.removeprefix("www.")


# --- Dates -------------------------------------------------------------------------------


def _time(day, fmt="DATE_FORMAT", machine=None):
    return format_html(
        '<time datetime="{}">{}</time>', machine or day.isoformat(), formats.date_format(day, fmt)
    )


@register.simple_tag
def alma_time(day, fmt="DATE_FORMAT"):
    """``<time datetime="2019-04-25">April 25, 2019</time>``; nothing for an empty date."""
    if not day:
        return ""
    return _time(day, fmt)


@register.simple_tag
def alma_date_range(start, end=None):
    """One date, or "start – end" when ``end`` is a later day."""
    if not start:
        return ""
    if not end or end == start:
        return _time(start)
    return format_html("{} – {}", _time(start), _time(end))


def _position_date(day, precision):
    if precision == "year":
        return format_html('<time datetime="{}">{}</time>', f"{day.year:04d}", day.year)
    if precision == "month":
        return _time(day, "YEAR_MONTH_FORMAT", machine=f"{day.year:04d}-{day.month:02d}")
    return _time(day)


@register.simple_tag
def alma_position_dates(position):
    """A position's dates at their precision; an empty end date reads "current"."""
    precision = getattr(position, "date_precision", "day")
    start, end = position.start_date, position.end_date
    current = pgettext("position held until now", "current")
    if start and end:
        return format_html(
            "{} – {}", _position_date(start, precision), _position_date(end, precision)
        )
    if start:
        return format_html("{} – {}", _position_date(start, precision), current)
    if end:
        return format_html("– {}", _position_date(end, precision))
    return current


# --- Translations ------------------------------------------------------------------------


def _live_translations(page, request):
    """``(page, url, language_code)`` for ``page`` and each translation of it that the visitor
    may see."""
    if page is None or not hasattr(page, "get_translations"):
        return []
    scope = get_scope(request)
    scope.attach_locale(page)
    found = []
    shown = [page] if page.live else []  # a preview of a draft shows the other languages only
    for translation_page in [*shown, *scope.translations_of(page)]:
        url = translation_page.get_url(request=request)
        if url:
            found.append((translation_page, url, translation_page.locale.language_code))
    order = [code for code, _name in settings.LANGUAGES]
    found.sort(key=lambda item: order.index(item[2]) if item[2] in order else len(order))
    return found


def _language_name_local(code, locale=None):
    try:
        return translation.get_language_info(code)["name_local"]
    except KeyError:
        return locale.get_display_name() if locale else code


@register.inclusion_tag("alma_cms/includes/language_switcher.html", takes_context=True)
def alma_language_switcher(context, page):
    """Links to the live translations of ``page``; renders nothing if there is only one."""
    items = [
        {
            "url": url,
            "code": code,
            "name": _language_name_local(code, translation_page.locale),
            "is_current": translation_page.pk == page.pk,
        }
        for translation_page, url, code in _live_translations(page, context.get("request"))
    ]
    return {"languages": items if len(items) > 1 else []}


@register.simple_tag(takes_context=True)
def alma_alternate_links(context, page):
    """``<link rel="alternate" hreflang="…">`` for every live translation of ``page``."""
    request = context.get("request")
    links = [
        (code, translation_page.get_full_url(request=request))
        for translation_page, _url, code in _live_translations(page, request)
    ]
    links = [(code, url) for code, url in links if url]
    if len(links) < 2:
        return ""
    return format_html_join("\n", '<link rel="alternate" hreflang="{}" href="{}">', links)


# --- Structured data and calendars ---------------------------------------------------------


@register.simple_tag(takes_context=True)
def alma_json_ld(context, page=None):
    """``<script type="application/ld+json">`` with the page's schema.org description."""
    page = page if page is not None else context.get("page")
    if page is None or not hasattr(page, "get_url_parts"):
        return ""
    request = context.get("request")
    getter = getattr(page, "get_json_ld", None)
    data = getter(request) if getter is not None else page_json_ld(page, request)
    return json_ld_script(data)


@register.simple_tag(takes_context=True)
def alma_calendar_url(context, page=None):
    """The URL of the page's iCalendar feed (forum index and editions), else ``None``."""
    page = page if page is not None else context.get("page")
    if page is None or not getattr(page, "has_calendar_feed", False):
        return None
    return page.get_calendar_url(request=context.get("request"))


@register.simple_tag(takes_context=True)
def alma_calendar_link(context, page=None):
    """``<link rel="alternate" type="text/calendar">`` to the page's feed, if it has one."""
    url = alma_calendar_url(context, page)
    if not url:
        return ""
    return format_html(
        '<link rel="alternate" type="text/calendar" title="{}" href="{}">',
        _("Calendar (iCalendar)"),
        url,
    )
