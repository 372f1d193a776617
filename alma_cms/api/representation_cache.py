"""The representation cache: anonymous API bodies kept in Django's cache, invalidated by content.

Off unless ``ALMA_CMS["API_REPRESENTATION_CACHE"]["ENABLED"]`` (docs/caching.md). What it keeps:
the body and headers of a successful (200) anonymous ``GET`` to an API v2 or v3 read endpoint,
keyed by the API version, host, path, sorted query, ``Accept`` header and active language.

What it never touches: callers that are signed in, send an ``Authorization`` header (v3 token
holders), or have passed a page or collection password (their session says so); previews;
responses that the HTTP layer marks ``private`` (the caller saw restricted content) or that
set a cookie; anything but a 200.

Freshness: an entry records *dependency generations*, counters kept in the same cache, and is
served only while every one of them is unchanged (one ``get_many``). The dependencies are

- ``all``: bumped on every change; listings and the organization, image and document endpoints
  depend on it (any change may add, drop or reorder their items);
- ``page:<id>`` for every page the response shows (``RequestScope.mark_shown``: the page itself,
  the speakers, quotations and editions it refers to, its translations, its ``meta.parent``
  and ``meta.alias_of``) or hides (``mark_depends_on``: a parent or alias target shown as null
  until it is published again);
- ``tree``: bumped when a page moves, is deleted or changes its slug (URLs below it change);
- ``obj:<model>:<id>`` for every organization, image, document or other snippet the scope
  loaded for a page detail (it shows them; the reference index may not know yet that the page
  refers to them: Wagtail updates it in a task after the commit);
- ``search``: responses to a search (``?search=``) only; bumped after the search index was
  written outside the change's transaction (a Wagtail search task on Celery, alma's outbox
  drain, a rebuild: ``alma_cms.search.signals.index_written``), not ``all``.

A change of who may see what (a view restriction, a site, a locale, the collection tree: a
collection added, deleted or moved) bumps ``all`` and ``tree``: every entry. A translator's work
in wagtail-localize (string translations, translations, their sources and logs; alma-cms's
reviews and sync states) bumps every page of the translation key concerned: each shows the
others' ``translation_status``.

A change bumps, after its transaction commits, ``all`` first, then the generation of the object
changed, of every object that refers to it (Wagtail's reference index; through snippets and
images, up to pages: an image in an organization's logo reaches the editions that name the
organization), of every page it refers to (a speaker page lists its quotations through a
reverse relation), of its parent page (index pages list their children) and of its
translations (``meta.translations``). References an object had before a change are read before
it, so that removing a reference also refreshes the page it pointed at.

A request that computed a body while a change committed does not store it: it reads ``all``
before it starts and stores only if ``all`` is still the same when it reads the dependency
generations it stores (``all`` is bumped first); a search also reads ``search`` before it
starts and stores only if that is unchanged too.

Lifetime: at most ``TIMEOUT``, and no longer than the earliest future ``expire_at`` of the pages
a response shows; for a listing, of any live page (one query when it is stored): a page it
counts beyond its ``limit``, or that a filter names (``child_of``), expires with no signal.

Only JSON is kept, and nothing computed by a request that used its CSRF token (DRF's browsable
API, ``text/html``, embeds the caller's token and is per-caller UI; ``CsrfViewMiddleware`` sets
the cookie only after the view stored the body).

A cache server that cannot be reached breaks nothing: a lookup or store that fails is logged
(a warning, at most one a minute per process) and the request is answered as with the cache off;
a bump that fails after a commit is logged and sent to Celery (``alma_cms.api.bump_generations``,
retried with backoff), since entries stored before the outage would otherwise stay served once
the server is back (docs/caching.md, "When the cache server is down").
"""

import hashlib
import logging
import threading
import time
from importlib.util import find_spec
from urllib.parse import urlencode

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.signals import setting_changed
from django.db import transaction
from django.db.models import Min
from django.db.models.signals import post_delete, post_save, pre_delete
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe
from django.utils.translation import get_language
from treebeard import mp_tree
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Locale,
    Page,
    PageViewRestriction,
    ReferenceIndex,
    Site,
)
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from ..commit import on_commit_once
from ..conf import alma_settings
from ..search.signals import index_written

logger = logging.getLogger(__name__)

KEY_PREFIX = "alma_cms:rep:"
GEN_PREFIX = "alma_cms:gen:"
ALL = "all"
TREE = "tree"
SEARCH = "search"
# Response headers kept with a body (the rest are the middleware's to add on every response).
KEPT_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Cache-Control",
    "ETag",
    "Last-Modified",
    "Vary",
    "Allow",
    "X-Robots-Tag",
)
# How far changes follow references from snippets and images to the pages that show them.
MAX_REFERENCE_DEPTH = 3

DEFAULTS = {"ENABLED": False, "CACHE": "default", "TIMEOUT": 3600}

# The Celery task that retries a bump which failed after its commit (representation_cache_tasks).
BUMP_TASK = "alma_cms.api.bump_generations"
# At most one "cache unavailable" warning per process in this many seconds (a Redis outage
# would otherwise log once per request).
WARNING_INTERVAL = 60.0
_last_warning = {"at": None, "suppressed": 0}
# Only these bodies are kept: the browsable API's HTML is per-caller UI (CSRF token, forms).
STORED_MEDIA_TYPES = ("application/json",)


def config():
    """The ``API_REPRESENTATION_CACHE`` setting merged over its defaults (a dict)."""
    value = alma_settings.API_REPRESENTATION_CACHE
    return {**DEFAULTS, **(value if isinstance(value, dict) else {})}


def enabled():
    return bool(config()["ENABLED"])


def _cache():
    return caches[config()["CACHE"]]


def _warn_unavailable(action):
    """Log (rate-limited, with the exception) that the cache failed during ``action``."""
    now = time.monotonic()
    last = _last_warning["at"]
    if last is not None and now - last < WARNING_INTERVAL:
        _last_warning["suppressed"] += 1
        return
    suppressed = _last_warning["suppressed"]
    _last_warning.update(at=now, suppressed=0)
    logger.warning(
        "Representation cache unavailable (%s); answering without it (%d more such failures "
        "not logged in the last %ds).",
        action,
        suppressed,
        int(WARNING_INTERVAL),
        exc_info=True,
    )


def page_dep(page_id):
    return f"page:{page_id}"


def object_dep(model, pk):
    """The dependency name of a non-page object (``model``: its concrete or base model)."""
    return f"obj:{model._meta.label_lower}:{pk}"


# --- requests ------------------------------------------------------------------------------------


def _session_passed_restrictions(request):
    """True if the caller's session records a passed page or collection password. Reads the
    session only when the request carries a session cookie."""
    session = getattr(request, "session", None)
    if session is None or getattr(session, "session_key", None) is None:
        return False
    keys = (
        PageViewRestriction.passed_view_restrictions_session_key,
        CollectionViewRestriction.passed_view_restrictions_session_key,
    )
    return any(session.get(k) for k in keys)


def eligible(request):
    """True when ``request`` (a Django request) may be answered from, and stored in, the cache:
    the cache is on, the method is GET or HEAD, and the caller is anonymous in every sense
    (no user, no ``Authorization`` header, no passed password in its session)."""
    if not enabled() or request.method not in ("GET", "HEAD"):
        return False
    if request.META.get("HTTP_AUTHORIZATION"):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    return not _session_passed_restrictions(request)


def request_key(request, api):
    """The cache key of ``request`` for API ``api`` ("v2", "v3"): a SHA-256 of the API, scheme,
    host, path, sorted query, ``Accept`` header and active language."""
    query = urlencode(sorted(request.GET.lists()), doseq=True)
    parts = [
        api,
        request.scheme,
        request.get_host(),
        request.path,
        query,
        request.META.get("HTTP_ACCEPT", ""),
        get_language() or "",
    ]
    digest = hashlib.sha256("\x00".join(parts).encode()).hexdigest()
    return f"{KEY_PREFIX}{digest}"


class Lookup:
    """One request's use of the cache: ``hit()`` returns a stored response or None; after the
    view ran, ``store(response, deps)``."""

    def __init__(self, request, api):
        self.request = request
        self.cache = _cache()
        self.key = request_key(request, api)
        self._all_before = None
        # A search answers from the search index, which may be written after the commit.
        self.search = "search" in request.GET
        self._search_before = None

    def hit(self):
        """The stored response (answering a conditional request with 304), or None. None too
        when the cache cannot be reached (logged; ``store`` then stores nothing)."""
        try:
            entry = self.cache.get(self.key)
            names = list(entry["deps"]) if entry else []
            guards = [ALL, SEARCH] if self.search else [ALL]
            current = self.cache.get_many([GEN_PREFIX + n for n in {*guards, *names}])
            self._all_before = current.get(GEN_PREFIX + ALL)
            if self._all_before is None:  # the first request, or the counter was evicted
                self.cache.add(GEN_PREFIX + ALL, time.time_ns(), timeout=None)
                self._all_before = self.cache.get(GEN_PREFIX + ALL)
            if self.search:
                self._search_before = current.get(GEN_PREFIX + SEARCH)
                if self._search_before is None:
                    self.cache.add(GEN_PREFIX + SEARCH, time.time_ns(), timeout=None)
                    self._search_before = self.cache.get(GEN_PREFIX + SEARCH)
        except Exception:  # any backend's error (redis ConnectionError, timeouts, ...)
            self._all_before = None
            _warn_unavailable("lookup")
            return None
        if entry is None:
            return None
        for name, generation in entry["deps"].items():
            if generation is None or current.get(GEN_PREFIX + name) != generation:
                return None
        return self._response(entry)

    def _response(self, entry):
        response = HttpResponse(entry["body"], status=200)
        for name, value in entry["headers"].items():
            response.headers[name] = value
        modified = entry["headers"].get("Last-Modified")
        response = get_conditional_response(
            self.request,
            etag=entry["headers"].get("ETag"),
            last_modified=parse_http_date_safe(modified) if modified else None,
            response=response,
        )
        response.headers["X-Alma-Cache"] = "hit"
        return response

    @staticmethod
    def _timeout(expires_at):
        timeout = config()["TIMEOUT"]
        if expires_at is None:
            return timeout
        left = max(int((expires_at - timezone.now()).total_seconds()), 0)
        return left if timeout is None else min(timeout, left)

    def store(self, response, deps, expires_at=None):
        """Keep ``response`` for its key if it is a public 200 with a body, depending on
        ``deps`` (dependency names; and ``search`` for a search), until ``expires_at`` at the
        latest (a page expires then; no signal tells). Returns True if stored; False also when
        the cache cannot be reached (logged, not raised)."""
        if not storable(response) or self.request.method != "GET":
            return False
        if uses_csrf_token(self.request):
            return False
        if expires_at is not None and self._timeout(expires_at) <= 0:
            return False
        if self._all_before is None:
            return False  # hit() could not read the cache
        names = sorted({*deps, SEARCH} if self.search else set(deps))
        keys = [GEN_PREFIX + n for n in {ALL, *names}]
        try:
            current = self.cache.get_many(keys)
            missing = [k for k in keys if k not in current]
            if missing:
                # A new counter starts at a clock value, so that one that was evicted and starts
                # again never comes back to a number an entry recorded.
                start = time.time_ns()
                for key in missing:
                    self.cache.add(key, start, timeout=None)
                current = self.cache.get_many(keys)
            if current.get(GEN_PREFIX + ALL) != self._all_before:
                return False  # something changed while the body was computed
            if self.search and (
                self._search_before is None
                or current.get(GEN_PREFIX + SEARCH) != self._search_before
            ):
                return False  # the search index was written while the body was computed
            entry = {
                "body": response.content,
                "headers": {h: response.headers[h] for h in KEPT_HEADERS if h in response.headers},
                "deps": {n: current.get(GEN_PREFIX + n) for n in names},
            }
            self.cache.set(self.key, entry, timeout=self._timeout(expires_at))
        except Exception:  # any backend's error: the response is answered unstored
            _warn_unavailable("store")
            return False
        response.headers["X-Alma-Cache"] = "miss"
        return True


def uses_csrf_token(request):
    """True when ``request`` (a Django request) asked for its CSRF token: the body may embed it
    and ``CsrfViewMiddleware`` will set the cookie after the view (Django 4.1+ flags it
    ``CSRF_COOKIE_NEEDS_UPDATE``; ``CSRF_COOKIE_USED`` is the older name)."""
    return bool(
        request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or request.META.get("CSRF_COOKIE_USED")
    )


def storable(response):
    """True for a rendered, public JSON 200 without cookies."""
    if response.status_code != 200 or response.streaming:
        return False
    media_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if media_type not in STORED_MEDIA_TYPES:
        return False
    cache_control = response.headers.get("Cache-Control", "")
    if "public" not in cache_control or "private" in cache_control:
        return False
    return not response.cookies


def lookup_for(request, api):
    """A :class:`Lookup` for ``request`` if it is eligible, else None."""
    request = getattr(request, "_request", request)
    if not eligible(request):
        return None
    lookup = Lookup(request, api)
    # Read "all" now even on a miss (hit() does it), before the view reads the database.
    return lookup


def dependencies(scope, *, listing):
    """The dependency names of a response from ``scope`` (a set: its shown pages, and for a
    detail the non-page objects it loaded); ``listing``: the response lists objects (it depends
    on every change)."""
    deps = {page_dep(pk) for pk in scope.shown_page_ids | scope.depended_page_ids}
    deps.add(TREE)
    if listing:
        deps.add(ALL)
    else:
        # Not from the reference index: it may not know yet what the page refers to.
        deps |= {object_dep(type(obj), obj.pk) for obj in scope.loaded_objects()}
    return deps


def first_page_expiry():
    """The earliest future ``expire_at`` of a live page (an aware datetime), or None: one
    query. A listing counts pages it does not show and its filters name pages (``child_of``,
    ``speaker``) that it does not show either; any of them expiring changes it."""
    now = timezone.now()
    return Page.objects.filter(live=True, expire_at__gt=now).aggregate(first=Min("expire_at"))[
        "first"
    ]


def serve(request, api, compute, *, listing, scope):
    """Answer ``request`` from the cache, or with ``compute()`` (a response) and store it.
    ``listing``: True for responses that list objects (``callable(response) -> bool`` also).
    ``scope``: the request scope whose shown pages are the dependencies."""
    lookup = lookup_for(request, api)
    if lookup is None:
        return compute()
    hit = lookup.hit()
    if hit is not None:
        return hit
    response = compute()
    if callable(listing):
        listing = listing(response)
    if not storable(response) or request.method != "GET":
        return response  # nothing to store: no query for the expiry below
    deps = dependencies(scope, listing=listing)
    expires_at = scope.first_expiry
    if listing:
        expiries = [e for e in (expires_at, first_page_expiry()) if e is not None]
        expires_at = min(expiries) if expiries else None
    lookup.store(response, deps, expires_at)
    return response


# --- invalidation ------------------------------------------------------------------------------


def bump(names):
    """Increase the generations ``names`` (``all`` first, see the module docstring)."""
    cache = _cache()
    for name in [ALL] + sorted(set(names) - {ALL}):
        _increase(cache, name)


def _increase(cache, name):
    """Increase the generation ``name`` in ``cache``; a missing counter starts at a clock value
    (see ``Lookup.store``)."""
    key = GEN_PREFIX + name
    try:
        cache.incr(key)
    except ValueError:
        cache.add(key, time.time_ns(), timeout=None)


def _dep_of(content_type_id, object_id):
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:
        return None, None
    if issubclass(model, Page):
        return page_dep(object_id), None
    return object_dep(model, object_id), (content_type_id, str(object_id))


def referrers_of(obj):
    """Dependency names of ``obj`` and of what refers to it, following snippets and images
    (``MAX_REFERENCE_DEPTH`` steps) up to the pages (a set)."""
    names = set()
    frontier = [(ReferenceIndex._get_base_content_type(obj).pk, str(obj.pk))]
    seen = set(frontier)
    for _depth in range(MAX_REFERENCE_DEPTH):
        if not frontier:
            break
        rows = set()
        for ct_id, object_id in frontier:
            rows |= set(
                ReferenceIndex.objects.filter(
                    to_content_type_id=ct_id, to_object_id=object_id
                ).values_list("base_content_type_id", "object_id")
            )
        frontier = []
        for ct_id, object_id in rows:
            name, further = _dep_of(ct_id, object_id)
            if name is not None:
                names.add(name)
            if further is not None and further not in seen:
                seen.add(further)
                frontier.append(further)
    return names


def referenced_by(obj):
    """Dependency names of the pages ``obj`` refers to: as the reference index has them (the
    state before a change) and as ``obj`` holds them now."""
    indexed = ReferenceIndex.get_references_for_object(obj)
    pairs = set(indexed.values_list("to_content_type_id", "to_object_id"))
    if ReferenceIndex.is_indexed(type(obj)):
        found = ReferenceIndex._extract_references_from_object(obj)
        pairs |= {(ct, str(oid)) for ct, oid, *_rest in found}
    names = set()
    for ct_id, object_id in pairs:
        name, further = _dep_of(ct_id, object_id)
        # Pages only: a page may list what refers to it (a speaker her quotations); no
        # representation of a snippet, image or document shows what refers to it, and their
        # own dependencies stand for what a response shows of them.
        if name is not None and further is None:
            names.add(name)
    return names


def page_changes(page, *, structure=False):
    """Dependency names a change of ``page`` bumps: itself, its referrers and references, its
    parent, its translations; ``structure``: URLs below it change too (``tree``)."""
    names = {page_dep(page.pk)}
    names |= referrers_of(page)
    names |= referenced_by(page.specific if hasattr(page, "specific") else page)
    parent_path = page.path[: -page.steplen] if page.depth > 1 else None
    related = Page.objects.filter(translation_key=page.translation_key)
    if parent_path:
        related = related | Page.objects.filter(path=parent_path)
    names |= {page_dep(pk) for pk in related.values_list("pk", flat=True)}
    if structure:
        names.add(TREE)
    return names


def object_changes(obj):
    """Dependency names a change of a snippet, image or document ``obj`` bumps (a page shows
    a snippet it refers to as it is, in the snippet's own language)."""
    return {object_dep(type(obj), obj.pk)} | referrers_of(obj) | referenced_by(obj)


def bump_search():
    """Increase the ``search`` generation (the search index was written), not ``all``: a search
    computed meanwhile is not stored (its ``Lookup`` read ``search`` before it started)."""
    _increase(_cache(), SEARCH)


def bump_on_commit(names):
    """Bump ``names`` when the current transaction commits (now, outside one); a cache that
    cannot be reached then is logged and the bump retried later (:func:`bump_or_retry`)."""
    names = set(names)
    transaction.on_commit(lambda: bump_or_retry(names))


def bump_or_retry(names):
    """:func:`bump` ``names``; if the cache fails, log it and send the bump to Celery to be
    retried with backoff (``BUMP_TASK``). Never raises: the change has committed, and the
    editor's request and the other on-commit callbacks must not fail for the cache."""
    try:
        bump(names)
    except Exception:  # any backend's error
        logger.warning(
            "Could not bump %s in the representation cache", sorted(names), exc_info=True
        )
        send_bump_retry(names)


def send_bump_retry(names):
    """Send ``BUMP_TASK`` for ``names`` (a set) to Celery; logs an error if it cannot (no
    Celery, broker down, or an eager run that failed every retry): then entries that were
    stored before the outage may be served stale once the cache is back (docs/caching.md)."""
    reason = "Celery is not installed"
    if find_spec("celery") is not None:
        # Here: Celery is optional (alma-cms[celery]); only a failed bump needs it.
        from celery import current_app

        try:
            task = current_app.tasks.get(BUMP_TASK)
            if task is not None:
                task.apply_async(args=[sorted(names)], ignore_result=True)
                return
            reason = f"the Celery task {BUMP_TASK} is not registered"
        except Exception as exc:  # kombu's OperationalError, an eager run's last failure, ...
            reason = f"{type(exc).__name__}: {exc}"
    logger.error(
        "Lost representation cache bump of %s (%s): entries stored before the cache failed "
        "may be served stale when it is back; run representation_cache.bump({'all', 'tree'}).",
        sorted(names),
        reason,
    )


# --- signal wiring -------------------------------------------------------------------------------


def _on_page_change(sender, instance, **kwargs):
    if enabled():
        bump_on_commit(page_changes(instance))


def _on_page_structure_change(sender, instance, **kwargs):
    if enabled():
        names = page_changes(instance, structure=True)
        before = kwargs.get("parent_page_before")
        if before is not None:
            names.add(page_dep(before.pk))
        bump_on_commit(names)


def _on_delete(sender, instance, **kwargs):
    # Before the delete: the reference index still knows who referred to the object.
    if not enabled():
        return
    if isinstance(instance, Page):
        bump_on_commit(page_changes(instance, structure=True))
    else:
        bump_on_commit(object_changes(instance))


def _on_object_save(sender, instance, raw=False, **kwargs):
    if enabled() and not raw and is_tracked_object(instance):
        bump_on_commit(object_changes(instance))


def _on_object_delete(sender, instance, **kwargs):
    if enabled() and is_tracked_object(instance):
        _on_delete(sender, instance, **kwargs)


def _bump_search_logged():
    # In the worker that wrote the index: a cache server that is down must not fail its task.
    try:
        bump_search()
    except Exception:
        logger.warning("Could not refresh cached search responses", exc_info=True)


def _on_index_written(sender, **kwargs):
    if not enabled():
        return
    _bump_search_logged()
    if transaction.get_connection().in_atomic_block:
        # A database index written in a transaction is seen by others after its commit.
        on_commit_once("alma_cms.representation_cache.search", _bump_search_logged)


def _on_restriction_change(sender, instance, raw=False, **kwargs):
    # Who may see what changed: every entry goes (details depend on "tree").
    if enabled() and not raw:
        bump_on_commit({ALL, TREE})


def _on_collection_tree_change(sender, **kwargs):
    # Which images and documents a collection restriction hides follows the collection tree:
    # a collection created, deleted or moved under a restricted one is a restriction change.
    if enabled() and not kwargs.get("raw", False):
        bump_on_commit({ALL, TREE})


# --- translation status ----------------------------------------------------------------------
# ``meta.translations[].translation_status`` (alma_cms.translation.status) reads these rows,
# which translators and syncs write without publishing: model label -> how to find the
# translation key (the pages' translation_key) of a row.
_TRANSLATION_KEY_SOURCES = {
    "wagtail_localize.translationsource": lambda row: row.object_id,
    "wagtail_localize.translation": lambda row: _source_key(row.source_id),
    "wagtail_localize.translationlog": lambda row: _source_key(row.source_id),
    "wagtail_localize.stringtranslation": lambda row: _context_key(row.context_id),
    "alma_cms.translationsyncstate": lambda row: row.translatable_object_id,
    "alma_cms.translationreview": lambda row: _string_translation_key(row.string_translation_id),
}
# StringSegment rows change only with their TranslationSource (update_from_db saves it).

_translation_work = threading.local()


def _source_key(source_id):
    model = apps.get_model("wagtail_localize", "TranslationSource")
    return model.objects.filter(pk=source_id).values_list("object_id", flat=True).first()


def _context_key(context_id):
    # A translator's save touches many strings of one context: found once per transaction.
    found = getattr(_translation_work, "contexts", None)
    if found is None:
        found = _translation_work.contexts = {}
    if context_id not in found:
        model = apps.get_model("wagtail_localize", "TranslationContext")
        query = model.objects.filter(pk=context_id).values_list("object_id", flat=True)
        found[context_id] = query.first()
    return found[context_id]


def _string_translation_key(string_translation_id):
    model = apps.get_model("wagtail_localize", "StringTranslation")
    query = model.objects.filter(pk=string_translation_id).values_list("context_id", flat=True)
    context_id = query.first()
    return _context_key(context_id) if context_id is not None else None


def _flush_translation_work():
    # Every change registers this; the first to run after a commit bumps for all (one bump of
    # each page however many strings a save wrote). Keys of a rolled-back change are bumped
    # with the next commit's: an extra refresh, never a missed one.
    keys = getattr(_translation_work, "keys", None)
    _translation_work.keys = set()
    _translation_work.contexts = {}
    if keys:
        pages = Page.objects.filter(translation_key__in=keys).values_list("pk", flat=True)
        names = {page_dep(pk) for pk in pages}
        if names:
            bump_or_retry(names)  # on commit: a cache that is down must not fail the save


def _translation_models():
    """The models of ``_TRANSLATION_KEY_SOURCES`` that are installed."""
    found = []
    for label in _TRANSLATION_KEY_SOURCES:
        app_label, model_name = label.split(".")
        if apps.is_installed(app_label):
            found.append(apps.get_model(app_label, model_name))
    return found


def _on_translation_work(sender, instance, raw=False, **kwargs):
    # The status of a translation is shown on the source page and on every translation of it
    # (each lists the others): all pages of the translation key.
    if not enabled() or raw:
        return
    key = _TRANSLATION_KEY_SOURCES[sender._meta.label_lower](instance)
    if key is None:
        return
    keys = getattr(_translation_work, "keys", None)
    if keys is None:
        keys = _translation_work.keys = set()
    keys.add(key)
    transaction.on_commit(_flush_translation_work)


def is_tracked_object(obj):
    """True for a snippet, image or document: a model other than a page that Wagtail's
    reference index tracks (read at each call: snippets register after the apps are ready),
    or the image or document model."""
    model = type(obj)
    if isinstance(obj, Page):
        return False
    return (
        ReferenceIndex.is_indexed(model)
        or issubclass(model, get_image_model())
        or issubclass(model, get_document_model())
    )


def install():
    """Connect the receivers that refresh the cache (idempotent; each does nothing while the
    cache is off)."""
    uid = "alma_cms.representation_cache"
    page_published.connect(_on_page_change, dispatch_uid=f"{uid}.published")
    page_unpublished.connect(_on_page_change, dispatch_uid=f"{uid}.unpublished")
    post_page_move.connect(_on_page_structure_change, dispatch_uid=f"{uid}.moved")
    page_slug_changed.connect(_on_page_structure_change, dispatch_uid=f"{uid}.slug")
    post_save.connect(_on_object_save, dispatch_uid=f"{uid}.saved")
    _connect_delete_receivers(enabled())
    setting_changed.connect(_on_setting_changed, dispatch_uid=f"{uid}.setting_changed")
    index_written.connect(_on_index_written, dispatch_uid=f"{uid}.index_written")
    for model in (PageViewRestriction, CollectionViewRestriction, Site, Locale):
        label = model._meta.label_lower
        post_save.connect(_on_restriction_change, sender=model, dispatch_uid=f"{uid}.s.{label}")
        post_delete.connect(_on_restriction_change, sender=model, dispatch_uid=f"{uid}.d.{label}")
    # The collection tree. Wagtail's collection views save the collection (post_save; a rename
    # too, rare enough to refresh everything) and, in the same transaction, move it with
    # treebeard's move(), which sends no model signal, only treebeard's own path_updated (sent
    # by every MP_Node move that rewrites paths, the model API's too; read with getattr: with a
    # django-treebeard without it, the admin's save still refreshes on commit, after the move).
    post_save.connect(_on_collection_tree_change, sender=Collection, dispatch_uid=f"{uid}.cs")
    post_delete.connect(_on_collection_tree_change, sender=Collection, dispatch_uid=f"{uid}.cd")
    path_updated = getattr(mp_tree, "path_updated", None)
    if path_updated is not None:
        path_updated.connect(
            _on_collection_tree_change, sender=Collection, dispatch_uid=f"{uid}.cm"
        )
    for model in _translation_models():
        label = model._meta.label_lower
        post_save.connect(_on_translation_work, sender=model, dispatch_uid=f"{uid}.ts.{label}")


_DELETE_UIDS = (
    "alma_cms.representation_cache.page_deleted",
    "alma_cms.representation_cache.deleted",
)


def _connect_delete_receivers(on):
    """Connect the pre_delete receivers only while the cache is on: any pre_delete receiver
    without a sender turns off Django's fast delete (a SELECT before every cascade DELETE) for
    every model of the project."""
    if on:
        pre_delete.connect(_on_page_delete, dispatch_uid=_DELETE_UIDS[0])
        pre_delete.connect(_on_object_delete, dispatch_uid=_DELETE_UIDS[1])
    else:
        for uid in _DELETE_UIDS:
            pre_delete.disconnect(dispatch_uid=uid)
    # Likewise the translation rows' post_delete (a cascade from a string or a source).
    for model in _translation_models():
        uid = f"{_DELETE_UIDS[1]}.translation.{model._meta.label_lower}"
        if on:
            post_delete.connect(_on_translation_work, sender=model, dispatch_uid=uid)
        else:
            post_delete.disconnect(sender=model, dispatch_uid=uid)


def _on_setting_changed(*, setting, value=None, **kwargs):
    # Read from the new value: alma_settings may not have reloaded yet (receiver order).
    if setting == "ALMA_CMS":
        options = (value or {}).get("API_REPRESENTATION_CACHE") if isinstance(value, dict) else None
        _connect_delete_receivers(isinstance(options, dict) and bool(options.get("ENABLED")))


def _on_page_delete(sender, instance, **kwargs):
    # pre_delete comes for every model of a deleted page (Page, SpeakerPage, ...): once is
    # enough, from the base model.
    if sender is Page:
        _on_delete(sender, instance, **kwargs)
