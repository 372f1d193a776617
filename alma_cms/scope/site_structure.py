"""The Sites, their root pages' translations and the Locales, kept in each process between
requests: every API request needs them, and they change rarely (an editor adding a site, a
locale or a translation of a home page).

A process reuses its copy as long as a version token in Django's cache (shared by the processes
when the cache is, as Redis is) is the one it was read under, and at most ``MAX_AGE`` seconds (a
cache local to one process does not see another's changes). These change the token: saving or
deleting a Site or a Locale, creating or deleting a page (it may be a translation of a site
root), moving a page (tree paths may shift) and changing a slug (url paths change); now, and
again when the transaction commits (a process reading between the two would have read the old
rows under the new token). A change no signal tells of (``QuerySet.update()``, raw SQL) is seen
after ``MAX_AGE`` seconds, as Wagtail's own cached site root paths are after an hour.

Nothing here decides what a caller may see: a stale copy could at worst route a request to the
wrong site for ``MAX_AGE`` seconds, never show a page the visibility rule hides. The page
classes remembered by id (for the detail endpoint) need no invalidation: a page never changes
type, and the row read is checked against the class remembered.
"""

import copy
import logging
import threading
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils.functional import cached_property
from wagtail.models import Locale, Page, Site, get_page_models
from wagtail.signals import page_slug_changed, post_page_move

from ..commit import on_commit_once

logger = logging.getLogger(__name__)

VERSION_KEY = "alma_cms:site_structure"
MAX_AGE = 60  # seconds a process trusts its copy without a change of the token

# Page classes by page id: a page never changes type (Wagtail cannot), so the detail endpoint
# can load a page and its specific row in one query; checked against the row's content type.
_MAX_PAGE_CLASSES = 50_000


class SiteStructure:
    """One reading of the Sites (``sites``, with ``root_page``), the translations of each site's
    root page (``roots[site_id]``: pages with id, path, depth, url_path, locale_id,
    translation_key) and the Locales (``locales``: by id)."""

    def __init__(self, version):
        self.version = version
        self.read_at = time.monotonic()
        self.page_classes = {}  # page id -> content type id

    # Each part read on first use (one query for the sites, one for the roots, one for the
    # locales): a process that only needs the locales reads only them.

    @cached_property
    def sites(self):
        return list(Site.objects.select_related("root_page"))

    @cached_property
    def roots(self):
        if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            return {site.pk: [site.root_page] for site in self.sites}
        keys = {site.root_page.translation_key for site in self.sites}
        by_key = {}
        if keys:
            for page in Page.objects.filter(translation_key__in=keys).only(
                "id", "path", "depth", "url_path", "locale_id", "translation_key"
            ):
                by_key.setdefault(page.translation_key, []).append(page)
        return {site.pk: by_key.get(site.root_page.translation_key, []) for site in self.sites}

    @cached_property
    def locales(self):
        return {locale.pk: locale for locale in Locale.all_objects.all()}

    def site_for(self, hostname, port):
        """The Site Wagtail's ``Site.find_for_request`` finds for ``hostname`` and ``port`` (a
        copy), or None: the same choice as ``wagtail.models.sites.get_site_for_hostname``."""
        matches = []
        for site in self.sites:
            if site.hostname == hostname and site.port == port:
                rank = 0
            elif site.hostname == hostname and site.is_default_site:
                rank = 1
            elif site.is_default_site:
                rank = 2
            elif site.hostname == hostname:
                rank = 3
            else:
                continue
            matches.append((rank, site))
        if not matches:
            return None
        matches.sort(key=lambda match: match[0])
        found = None
        if len(matches) == 1 or matches[0][0] in (0, 1):
            found = matches[0][1]
        elif matches[0][0] == 2:
            found = matches[len(matches) == 2][1]
        return _copy_site(found) if found is not None else None

    def roots_of(self, site):
        """The translations of ``site``'s root page (copies), for a site of this reading."""
        return [_copied(root) for root in self.roots.get(site.pk, [])]

    def remember_page_class(self, page_id, content_type_id):
        if len(self.page_classes) >= _MAX_PAGE_CLASSES:
            self.page_classes.clear()
        self.page_classes[page_id] = content_type_id


def _copied(instance):
    """A copy of a model instance that a request may change (attributes, cached relations)
    without changing the process's."""
    result = copy.copy(instance)
    result._state = copy.copy(instance._state)
    result._state.fields_cache = dict(instance._state.fields_cache)
    return result


def _copy_site(site):
    result = _copied(site)
    result._state.fields_cache["root_page"] = _copied(site.root_page)
    return result


_lock = threading.Lock()
_current = None


def current():
    """The process's :class:`SiteStructure`, read again (a query per part used) when the token in
    Django's cache changed or it is older than ``MAX_AGE`` seconds."""
    global _current
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
            version = cache.get(VERSION_KEY)
    except Exception:  # the cache cannot be reached (Redis down): read afresh, never stale
        logger.warning("Cannot read the site structure's token from the cache", exc_info=True)
        version = None
    structure = _current
    if (
        structure is None
        or structure.version != version
        or version is None
        or time.monotonic() - structure.read_at > MAX_AGE
    ):
        structure = SiteStructure(version)
        with _lock:
            _current = structure
    return structure


def changed(**kwargs):
    """Make every process read the structure again (a signal receiver), and Wagtail's cached
    site root paths with it: Wagtail drops them when a root or its translation is saved, before
    the commit, so another process that read them in between kept the old ones for an hour (a
    new translation's pages then had no URL); dropped again here at commit."""
    global _current
    _current = None
    try:
        Site.clear_site_root_paths_cache()
        cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    except Exception:  # a save must not fail for the cache: others see it within MAX_AGE
        logger.warning(
            "Cannot renew the site structure's token in the cache: other processes see this "
            "change within %s seconds",
            MAX_AGE,
            exc_info=True,
        )


#: The key of the one token renewal a transaction makes at its commit (``on_commit_once``).
ON_COMMIT_KEY = "alma_cms.scope.site_structure"


def _changed_now_and_at_commit(**kwargs):
    changed()
    # One renewal at commit however many pages the transaction creates (an import, a tree
    # synchronised into a new locale).
    on_commit_once(ON_COMMIT_KEY, changed)


def _page_saved(sender, instance, created=False, **kwargs):
    # A new page may be a translation of a site root (Wagtail's own check assumes so); an
    # existing page's id, translation key and locale never change, its path only when it is
    # moved and its url_path when its slug changes (receivers of their own): no query here.
    if created or kwargs.get("signal") is post_delete:
        _changed_now_and_at_commit()


def install():
    """Connect the receivers that change the token (called once, by the app's ``ready``)."""
    for model in (Site, Locale):
        post_save.connect(_changed_now_and_at_commit, sender=model, weak=False)
        post_delete.connect(_changed_now_and_at_commit, sender=model, weak=False)
    # Page classes by name (a receiver for every model would make Django's fast deletes slow).
    for model in {Page, *get_page_models()}:
        post_save.connect(_page_saved, sender=model, weak=False)
        post_delete.connect(_page_saved, sender=model, weak=False)
    post_page_move.connect(_changed_now_and_at_commit, weak=False)
    page_slug_changed.connect(_changed_now_and_at_commit, weak=False)  # sent at commit
