"""Who may see which page, and a request-scoped cache of everything an API response refers to.

The rules, shared by every alma-cms endpoint (API v2 and v3, JSON-LD, iCal):

- a page is *visible* when it is live, not expired (``expired`` is unset and ``expire_at``, if
  any, is still in the future) and not behind a view restriction (password, login, groups) that
  the caller fails — on the page itself or on one of its ancestors;
- the live version is what the API serves: Wagtail keeps the published content in the page row
  and drafts in revisions, so nothing here ever reads a revision.

Helpers (``request``: the caller's request; ``None``: the request being answered, i.e. the
active scope, if any, else an anonymous caller):

- ``public_pages(queryset, request=None)``: the visible pages of a page queryset;
- ``restricted_page_ids(request=None)``: ids of the pages the caller may not see because of view
  restrictions (restricted pages and all their descendants), cached per request;
- ``is_visible(page, request=None)``: the same rule for one page instance, without a query once
  the request's restrictions are known;
- ``get_scope(request=None)`` / ``request_scope(request)`` / ``current_scope()``: the
  :class:`RequestScope` of a request, which also caches the pages, images, documents and
  organizations a response refers to so that representations never query one by one;
- ``anonymous_scope(request=None)``: a scope with an anonymous caller's rules (JSON-LD, iCal),
  which is the request's own scope whenever the caller sees no more than anyone.
"""

from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils import timezone, translation

_current_scope = ContextVar("alma_cms_request_scope", default=None)
_SCOPE_ATTRIBUTE = "_alma_cms_request_scope"


def _django_request(request):
    """The Django HttpRequest behind a DRF Request (or the request itself)."""
    return getattr(request, "_request", request)


def current_scope():
    """The :class:`RequestScope` active in this context (inside ``request_scope``), or None."""
    return _current_scope.get()


def get_scope(request=None):
    """The scope of ``request``: created on first use and kept on the request, so every helper
    called while answering the request shares one cache. Without a request: the active scope,
    else a fresh anonymous one."""
    if request is None:
        return current_scope() or RequestScope(None)
    request = _django_request(request)
    scope = getattr(request, _SCOPE_ATTRIBUTE, None)
    if scope is None:
        scope = RequestScope(request)
        setattr(request, _SCOPE_ATTRIBUTE, scope)
    return scope


@contextmanager
def request_scope(request=None):
    """Make the scope of ``request`` the active one (``current_scope()``) for the block."""
    scope = get_scope(request) if request is not None else RequestScope(None)
    token = _current_scope.set(scope)
    try:
        yield scope
    finally:
        _current_scope.reset(token)


def anonymous_scope(request=None):
    """A scope with the rules of an *anonymous* caller (for JSON-LD, iCal, anything meant for
    everyone), sharing the caches of the request's own scope whenever the caller sees nothing
    an anonymous caller would not (the usual case). ``request``: default, the active scope's."""
    scope = get_scope(request) if request is not None else current_scope()
    if scope is None:
        return RequestScope(None)
    if scope.request is None or not scope.sees_restricted_content:
        return scope
    if scope._anonymous is None:
        scope._anonymous = RequestScope(None)
    return scope._anonymous


def public_pages(queryset, request=None):
    """The pages of ``queryset`` that the caller may see: live, not expired, not restricted.

    Adds one query per request (the view restrictions), none per page. The result is a queryset
    of the same model. To search it, narrow by id instead
    (``Model.objects.filter(pk__in=public_pages(...).values("pk"))``, as the v2 endpoint
    does): ``expired`` and ``expire_at`` are not search filter fields.
    """
    return queryset.filter(get_scope(request).visible_q())


def restricted_page_ids(request=None):
    """Frozenset of ids of the pages hidden from the caller by view restrictions (each
    restricted page and its descendants). Two queries the first time per request, none after."""
    return get_scope(request).restricted_page_ids


def is_visible(page, request=None):
    """True if the caller may see ``page`` (see the module docstring)."""
    return get_scope(request).is_visible(page)


def _speaker_model():
    from django.apps import apps

    from ..conf import alma_settings

    return apps.get_model(alma_settings.SPEAKER_PAGE_MODEL)


def _quotation_model():
    from django.apps import apps

    from ..conf import alma_settings

    return apps.get_model(alma_settings.QUOTATION_PAGE_MODEL)


def _edition_model():
    from django.apps import apps

    from ..conf import alma_settings

    return apps.get_model(alma_settings.FORUM_EDITION_PAGE_MODEL)


class RequestScope:
    """Visibility rules and lookups for one request, computed once.

    Objects are queued with ``want_*`` and loaded in bulk by ``resolve()`` (a few queries per
    kind of object, whatever their number); representations then read them with ``page()``,
    ``public_localized()``, ``image()``, ``document()``, ``organization()`` and
    ``expand_rich_text()``. Anything not queued beforehand is loaded on demand, so results are
    always right; queueing only saves queries.
    """

    def __init__(self, request=None):
        self.request = request
        self.now = timezone.now()
        self._restrictions = None
        self._denied_paths = None
        self._accepted_restrictions = False
        self._restricted_page_ids = None
        self._restricted_collection_ids = None
        self._accepted_collection_restrictions = False
        self._locales = None
        # id -> page instance, as specific as it was loaded
        self.pages = {}
        # (source page id, locale id) -> visible localized page or None
        self._localized = {}
        # (translation_key, locale id) -> page or None
        self._translations = {}
        self.images = {}
        self.documents = {}
        self.organizations = {}
        self._expanded = {}
        # (kind, key) -> representation dict, built once per request (see ``represent``)
        self._representations = {}
        # The format alma-cms rich text is served in: None (front-end HTML) unless the endpoint
        # was asked for one of Wagtail 8's ``rich_text_format`` values.
        self.rich_text_format = None
        # pages shown by the response (for Last-Modified)
        self._shown = {}
        self._anonymous = None
        # queues
        self._want_pages = {}  # (id, locale_id) -> model or None
        self._want_images = set()
        self._want_documents = set()
        self._want_organizations = set()
        self._want_rich_text = []  # (html, locale_id)
        # translation_key -> visible pages with that key
        self._translations_of = {}
        self._want_translation_keys = set()

    # --- visibility -------------------------------------------------------------------------

    def _load_restrictions(self):
        from wagtail.models import PageViewRestriction

        restrictions = list(
            PageViewRestriction.objects.select_related("page").only(
                "id", "restriction_type", "password", "page__path", "page__id"
            )
        )
        request = self.request
        user = getattr(request, "user", None) if request is not None else None
        authenticated = bool(user is not None and user.is_authenticated)
        group_ids = None
        if authenticated and not user.is_superuser:
            group_restrictions = [
                r for r in restrictions if r.restriction_type == PageViewRestriction.GROUPS
            ]
            if group_restrictions:
                from django.db.models import prefetch_related_objects

                prefetch_related_objects(group_restrictions, "groups")
                group_ids = set(user.groups.values_list("id", flat=True))
        denied, accepted = [], False
        for restriction in restrictions:
            if self._accepts(restriction, request, user, authenticated, group_ids):
                accepted = True
            else:
                denied.append(restriction.page.path)
        # Drop paths already covered by a shorter one.
        denied.sort()
        paths = []
        for path in denied:
            if not any(path.startswith(p) for p in paths):
                paths.append(path)
        self._restrictions = restrictions
        self._denied_paths = tuple(paths)
        self._accepted_restrictions = accepted

    @staticmethod
    def _accepts(restriction, request, user, authenticated, group_ids):
        kind = restriction.restriction_type
        if kind == restriction.PASSWORD:
            session = getattr(request, "session", None) if request is not None else None
            if session is None:
                return False
            return restriction.id in session.get(
                restriction.passed_view_restrictions_session_key, []
            )
        if kind == restriction.LOGIN:
            return authenticated
        if kind == restriction.GROUPS:
            if not authenticated:
                return False
            if user.is_superuser:
                return True
            return bool(group_ids & {g.pk for g in restriction.groups.all()})
        return kind == restriction.NONE

    @property
    def denied_paths(self):
        """Tree paths of the restricted pages the caller fails (their descendants too)."""
        if self._denied_paths is None:
            self._load_restrictions()
        return self._denied_paths

    @property
    def sees_restricted_content(self):
        """True when the caller passes a view restriction (logged in, right group, password
        given): what it sees differs from what an anonymous caller sees, so responses must not
        be stored in shared caches."""
        if self._denied_paths is None:
            self._load_restrictions()
        return self._accepted_restrictions

    @property
    def restricted_page_ids(self):
        if self._restricted_page_ids is None:
            from wagtail.models import Page

            paths = self.denied_paths
            if not paths:
                self._restricted_page_ids = frozenset()
            else:
                query = reduce(or_, (Q(path__startswith=p) for p in paths))
                self._restricted_page_ids = frozenset(
                    Page.objects.filter(query).values_list("id", flat=True)
                )
        return self._restricted_page_ids

    def restricted_collection_ids(self):
        """Ids of the collections (with their descendants) whose images and documents the
        caller may not see, like Wagtail's ``get_restricted_collection_ids``. Cached."""
        if self._restricted_collection_ids is None:
            from wagtail.models import Collection, CollectionViewRestriction

            restrictions = list(CollectionViewRestriction.objects.select_related("collection"))
            request = self.request
            user = getattr(request, "user", None) if request is not None else None
            authenticated = bool(user is not None and user.is_authenticated)
            group_ids = None
            if (
                authenticated
                and not user.is_superuser
                and any(r.restriction_type == r.GROUPS for r in restrictions)
            ):
                from django.db.models import prefetch_related_objects

                prefetch_related_objects(restrictions, "groups")
                group_ids = set(user.groups.values_list("id", flat=True))
            denied, accepted = [], False
            for restriction in restrictions:
                if self._accepts(restriction, request, user, authenticated, group_ids):
                    accepted = True
                else:
                    denied.append(restriction.collection.path)
            ids = frozenset()
            if denied:
                query = reduce(or_, (Q(path__startswith=p) for p in denied))
                ids = frozenset(Collection.objects.filter(query).values_list("id", flat=True))
            self._restricted_collection_ids = ids
            self._accepted_collection_restrictions = accepted
        return self._restricted_collection_ids

    def is_media_visible(self, obj):
        """True if the caller may see image or document ``obj``: its collection is not behind
        a collection view restriction the caller fails (the restrictions: one query per
        request)."""
        if obj is None:
            return False
        collection_id = getattr(obj, "collection_id", None)
        return collection_id is None or collection_id not in self.restricted_collection_ids()

    @property
    def sees_restricted_collections(self):
        """True when the caller passes a collection view restriction."""
        self.restricted_collection_ids()
        return self._accepted_collection_restrictions

    def visible_q(self, prefix=""):
        """A Q object selecting visible pages (``prefix``: e.g. ``"speaker__"``)."""
        p = prefix
        query = Q(**{f"{p}live": True, f"{p}expired": False}) & (
            Q(**{f"{p}expire_at__isnull": True}) | Q(**{f"{p}expire_at__gt": self.now})
        )
        for path in self.denied_paths:
            query &= ~Q(**{f"{p}path__startswith": path})
        return query

    def is_denied_path(self, path):
        return any(path.startswith(p) for p in self.denied_paths)

    def is_visible(self, page):
        if page is None or not page.live or page.expired:
            return False
        if page.expire_at is not None and page.expire_at <= self.now:
            return False
        return not self.is_denied_path(page.path)

    # --- locales ----------------------------------------------------------------------------

    @property
    def locales(self):
        """Every Locale by id (one query per request)."""
        if self._locales is None:
            from wagtail.models import Locale

            self._locales = {locale.pk: locale for locale in Locale.all_objects.all()}
        return self._locales

    def locale_for_language(self, language_code):
        """The Locale of a language code (variants allowed: "en-gb" → "en"), or None."""
        from wagtail.coreutils import get_supported_content_language_variant

        if not language_code:
            return None
        try:
            code = get_supported_content_language_variant(language_code)
        except LookupError:
            return None
        for locale in self.locales.values():
            if locale.language_code == code:
                return locale
        return None

    def locale_for_path_prefix(self, component):
        """The Locale whose language code (one of ``LANGUAGES``, exactly) is the first
        component of a front-end path (``ru`` in ``/ru/alma/``), or None."""
        from django.conf import settings

        codes = {code.lower() for code, _name in getattr(settings, "LANGUAGES", [])}
        if component.lower() not in codes:
            return None
        return self.locale_for_language(component.lower())

    def active_locale_id(self):
        from django.conf import settings

        locale = self.locale_for_language(translation.get_language())
        if locale is None:
            locale = self.locale_for_language(settings.LANGUAGE_CODE)
        return locale.pk if locale is not None else None

    def attach_locale(self, obj):
        """Cache ``obj.locale`` from the scope's locales (no query)."""
        locale = self.locales.get(getattr(obj, "locale_id", None))
        if locale is not None:
            obj.locale = locale

    # --- Last-Modified ----------------------------------------------------------------------

    def mark_shown(self, page):
        """Record that the response shows ``page`` (its own fields or a reference to it)."""
        if page is not None and page.pk is not None:
            self._shown[page.pk] = getattr(page, "last_published_at", None)

    @property
    def last_modified(self):
        """The latest ``last_published_at`` of the pages the response shows, or None."""
        dates = [d for d in self._shown.values() if d is not None]
        return max(dates) if dates else None

    # --- queueing ---------------------------------------------------------------------------

    def remember(self, obj):
        """Keep an already loaded object (e.g. by a chooser block) so it is not loaded again."""
        from wagtail.models import Page

        from ..models import Organization

        if obj is None or obj.pk is None:
            return
        if isinstance(obj, Page):
            known = self.pages.get(obj.pk)
            if known is None or (not isinstance(known, type(obj)) and isinstance(obj, type(known))):
                self.pages[obj.pk] = obj
        elif isinstance(obj, Organization):
            self.organizations.setdefault(obj.pk, obj)

    def want_page(self, page_id, model=None, locale_id=None):
        """Queue page ``page_id`` (loaded as ``model``, default: its specific class), localized
        to ``locale_id`` (default: the active language) as ``public_localized`` does."""
        if page_id is None:
            return
        if locale_id is None:
            locale_id = self.active_locale_id()
        key = (int(page_id), locale_id)
        if key in self._localized:
            return
        self._want_pages.setdefault(key, model)

    def want_image(self, image_id):
        if image_id is not None and image_id not in self.images:
            self._want_images.add(image_id)

    def want_document(self, document_id):
        if document_id is not None and document_id not in self.documents:
            self._want_documents.add(document_id)

    def want_organization(self, organization_id):
        if organization_id is None:
            return
        organization = self.organizations.get(organization_id)
        if organization is None:
            self._want_organizations.add(organization_id)
        else:
            self.want_image(organization.logo_id)

    def want_rich_text(self, html, locale_id=None):
        """Queue the pages and documents that links in stored rich text point at."""
        if html:
            if locale_id is None:
                locale_id = self.active_locale_id()
            self._want_rich_text.append((html, locale_id))

    def want_translations(self, pages):
        """Queue the translations of ``pages`` (for ``translations_of``)."""
        for page in pages:
            if page.translation_key not in self._translations_of:
                self._want_translation_keys.add(page.translation_key)

    # --- resolving --------------------------------------------------------------------------

    def resolve(self):
        """Load everything queued, in bulk: pages (and the pages they in turn refer to), their
        translations, organizations, images with their renditions, documents."""
        if self._want_translation_keys:
            self._resolve_translations()
        while True:
            self._resolve_rich_text()
            if self._want_pages:
                self._resolve_pages()
                continue
            if self._want_organizations:
                self._resolve_organizations()
                continue
            if self._want_images:
                self._resolve_images()
            if self._want_documents:
                self._resolve_documents()
            if not (self._want_pages or self._want_rich_text):
                break

    def _resolve_translations(self):
        from wagtail.models import Page

        keys, self._want_translation_keys = self._want_translation_keys, set()
        found = {key: [] for key in keys}
        queryset = Page.objects.filter(translation_key__in=keys).filter(self.visible_q())
        for page in queryset:
            self.attach_locale(page)
            found[page.translation_key].append(page)
        for key, pages in found.items():
            pages.sort(key=lambda p: (getattr(p.locale, "language_code", ""), p.pk))
            self._translations_of[key] = pages

    def _resolve_rich_text(self):
        from wagtail.rich_text.rewriters import FIND_A_TAG, extract_attrs

        items, self._want_rich_text = self._want_rich_text, []
        for html, locale_id in items:
            for match in FIND_A_TAG.finditer(html):
                attrs = extract_attrs(match.group(1))
                linktype, raw_id = attrs.get("linktype"), attrs.get("id")
                if not raw_id or not raw_id.isdigit():
                    continue
                if linktype == "page":
                    self.want_page(int(raw_id), None, locale_id)
                elif linktype == "document":
                    self.want_document(int(raw_id))

    def _load_pages(self, ids_by_model):
        """Load pages by id, as the given model (None: their specific class)."""
        from wagtail.models import Page

        querysets = []
        for model, ids in ids_by_model.items():
            ids = [i for i in ids if not self._has_page(i, model)]
            if not ids:
                continue
            if model is not None and model is not Page:
                querysets.append(model.objects.filter(pk__in=ids))
                continue
            # Specific class unknown: where a base instance is at hand (e.g. from a page
            # chooser), its content type names the class, and one query per class does.
            by_class, unknown = defaultdict(list), []
            for page_id in ids:
                known = self.pages.get(page_id)
                specific_class = known.specific_class if known is not None else None
                if specific_class is not None:
                    by_class[specific_class].append(page_id)
                else:
                    unknown.append(page_id)
            for specific_class, class_ids in by_class.items():
                querysets.append(specific_class.objects.filter(pk__in=class_ids))
            if unknown:
                querysets.append(Page.objects.filter(pk__in=unknown).specific())
        for queryset in querysets:
            for page in queryset.defer_streamfields():
                self.pages[page.pk] = page

    def _has_page(self, page_id, model):
        page = self.pages.get(page_id)
        if page is None:
            return False
        if model is None:
            return type(page) is page.specific_class or page.specific_class is None
        return isinstance(page, model)

    def _resolve_pages(self):
        wanted, self._want_pages = self._want_pages, {}
        by_model = defaultdict(set)
        for (page_id, _locale_id), model in wanted.items():
            by_model[model].add(page_id)
        self._load_pages(by_model)

        # Translations in the wanted locales, one query per page class.
        missing = defaultdict(set)
        for page_id, locale_id in wanted:
            page = self.pages.get(page_id)
            if page is None or locale_id is None or page.locale_id == locale_id:
                continue
            if (page.translation_key, locale_id) not in self._translations:
                missing[type(page)].add((page.translation_key, locale_id))
        for model, keys in missing.items():
            queryset = model.objects.filter(
                translation_key__in={k for k, _ in keys},
                locale_id__in={loc for _, loc in keys},
            ).defer_streamfields()
            for page in queryset:
                self._translations[(page.translation_key, page.locale_id)] = page
                self.pages.setdefault(page.pk, page)
            for key in keys:
                self._translations.setdefault(key, None)

        for page_id, locale_id in wanted:
            self._localize(page_id, locale_id)

    def _localize(self, page_id, locale_id):
        """Like ``page.specific.localized`` followed by the visibility check; caches the result
        and queues what the page's own representation refers to."""
        key = (page_id, locale_id)
        if key in self._localized:
            return self._localized[key]
        page = self.pages.get(page_id)
        result = None
        if page is not None:
            localized = page
            if locale_id is not None and page.locale_id != locale_id:
                translated = self._translations.get((page.translation_key, locale_id))
                if translated is not None and translated.live:
                    localized = translated
            result = localized if self.is_visible(localized) else None
        self._localized[key] = result
        if result is not None:
            self._queue_dependencies(result, locale_id)
        return result

    def _queue_dependencies(self, page, locale_id):
        """What the representation of a referenced page needs: a speaker's photo, a
        quotation's speaker and forum edition."""
        speaker_model, quotation_model = _speaker_model(), _quotation_model()
        if isinstance(page, speaker_model):
            self.want_image(getattr(page, "photo_id", None))
        if isinstance(page, quotation_model):
            self.want_page(page.speaker_id, speaker_model, locale_id)
            self.want_page(page.forum_edition_id, _edition_model(), locale_id)

    def _resolve_organizations(self):
        from ..models import Organization

        ids, self._want_organizations = self._want_organizations, set()
        ids = [i for i in ids if i not in self.organizations]
        for organization in Organization.objects.filter(pk__in=ids):
            self.organizations[organization.pk] = organization
        for organization_id in ids:
            organization = self.organizations.get(organization_id)
            if organization is not None:
                self.want_image(organization.logo_id)

    def _resolve_images(self):
        from wagtail.images import get_image_model

        from ..blocks.representations import IMAGE_RENDITION_SPEC

        ids, self._want_images = self._want_images, set()
        ids = [i for i in ids if i not in self.images]
        if not ids:
            return
        queryset = get_image_model().objects.filter(pk__in=ids)
        for image in queryset.prefetch_renditions(IMAGE_RENDITION_SPEC):
            self.images[image.pk] = image
        for image_id in ids:
            self.images.setdefault(image_id, None)

    def _resolve_documents(self):
        from wagtail.documents import get_document_model

        ids, self._want_documents = self._want_documents, set()
        ids = [i for i in ids if i not in self.documents]
        if not ids:
            return
        for document in get_document_model().objects.filter(pk__in=ids):
            self.documents[document.pk] = document
        for document_id in ids:
            self.documents.setdefault(document_id, None)

    # --- lookups (used while serializing) ---------------------------------------------------

    def page(self, page_id, model=None):
        """The page ``page_id`` (loaded on demand if it was not queued), or None."""
        if page_id is None:
            return None
        if not self._has_page(page_id, model):
            self._load_pages({model: {page_id}})
        return self.pages.get(page_id)

    def public_localized(self, page, locale_id=None):
        """``representations.public_localized`` from the cache: the visible translation of
        ``page`` in ``locale_id`` (default: the active language), else ``page`` itself if
        visible, else None."""
        if page is None:
            return None
        if locale_id is None:
            locale_id = self.active_locale_id()
        key = (page.pk, locale_id)
        if key not in self._localized:
            self.remember(page)
            specific_class = page.specific_class
            self.want_page(page.pk, specific_class, locale_id)
            self.resolve()
        result = self._localized.get(key)
        self.mark_shown(result)
        return result

    def image(self, image_id):
        """Image ``image_id`` with its renditions prefetched, or None (missing, or in a
        collection the caller may not see)."""
        if image_id is None:
            return None
        if image_id not in self.images:
            self.want_image(image_id)
            self._resolve_images()
        image = self.images.get(image_id)
        return image if self.is_media_visible(image) else None

    def document(self, document_id):
        """Document ``document_id``, or None (missing, or in a collection the caller may not
        see)."""
        if document_id is None:
            return None
        if document_id not in self.documents:
            self.want_document(document_id)
            self._resolve_documents()
        document = self.documents.get(document_id)
        return document if self.is_media_visible(document) else None

    def organization(self, organization_id):
        if organization_id is None:
            return None
        if organization_id not in self.organizations:
            self.want_organization(organization_id)
            self._resolve_organizations()
        return self.organizations.get(organization_id)

    def expand_rich_text(self, html):
        """Front-end HTML of stored rich text, like Wagtail's ``expand_db_html``, from the cache;
        a link to a page the caller may not see keeps its text but loses its ``href``."""
        if not html:
            return ""
        key = (html, self.active_locale_id())
        if key not in self._expanded:
            token = _current_scope.set(self)
            try:
                self._expanded[key] = _rewriter()(html)
            finally:
                _current_scope.reset(token)
        return self._expanded[key]

    def represent(self, kind, key, build):
        """The representation ``build()`` gives of object ``key`` (a dict, or None), built once
        per request and active language: a speaker, an image or an organization shown in many
        places of a response is represented once. Returns a copy (callers may extend it)."""
        cache_key = (kind, key, self.active_locale_id())
        if cache_key not in self._representations:
            self._representations[cache_key] = build()
        value = self._representations[cache_key]
        return dict(value) if value is not None else None

    def render_rich_text(self, html):
        """Stored rich text in the scope's ``rich_text_format``: front-end HTML by default (see
        ``expand_rich_text``); ``markdown``, ``db_html`` or ``db_markdown`` (Wagtail 8's
        ``APIRichText``) after links to pages and documents the caller may not see lose their
        target, and page links point at the page's translation in the active language."""
        rich_text_format = self.rich_text_format
        if rich_text_format in (None, "html"):
            return self.expand_rich_text(html)
        if not html:
            return ""
        key = (html, self.active_locale_id(), rich_text_format)
        if key not in self._expanded:
            from wagtail.api.rich_text import APIRichText

            token = _current_scope.set(self)
            try:
                filtered = _link_filter(database_form=rich_text_format != "markdown")(html)
            finally:
                _current_scope.reset(token)
            self._expanded[key] = APIRichText.serialize(filtered, format=rich_text_format)
        return self._expanded[key]

    def translations_of(self, page):
        """The other translations of ``page`` that the caller may see, by language code."""
        if page.translation_key not in self._translations_of:
            self.want_translations([page])
            self._resolve_translations()
        return [p for p in self._translations_of[page.translation_key] if p.pk != page.pk]

    def page_url(self, page):
        """The page's URL (relative when the site has one hostname), cached per request."""
        return page.get_url(request=self.request)


# --- rich text ------------------------------------------------------------------------------

_REWRITER = None


def _visible_pages_of_links(attrs_list):
    """The visible, localized page each ``<a linktype="page">`` of ``attrs_list`` links to
    (or None), loaded in one pass."""
    scope = current_scope()
    ids = [attrs.get("id") for attrs in attrs_list]
    for raw_id in ids:
        if raw_id and str(raw_id).isdigit():
            scope.want_page(int(raw_id))
    scope.resolve()
    return [
        scope.public_localized(scope.page(int(raw_id)))
        if raw_id and str(raw_id).isdigit()
        else None
        for raw_id in ids
    ]


def _visible_documents_of_links(attrs_list):
    """The document each ``<a linktype="document">`` links to, if the caller may see it."""
    scope = current_scope()
    return [
        scope.document(int(raw_id)) if raw_id and str(raw_id).isdigit() else None
        for raw_id in (attrs.get("id") for attrs in attrs_list)
    ]


def _page_links(attrs_list):
    from django.utils.html import escape

    scope = current_scope()
    urls = [
        scope.page_url(page) if page is not None else None
        for page in _visible_pages_of_links(attrs_list)
    ]
    return [f'<a href="{escape(url)}">' if url else "<a>" for url in urls]


def _document_links(attrs_list):
    from django.utils.html import escape

    return [
        f'<a href="{escape(document.url)}">' if document else "<a>"
        for document in _visible_documents_of_links(attrs_list)
    ]


def _page_links_in_database_form(attrs_list):
    return [
        f'<a linktype="page" id="{page.pk}">' if page is not None else "<a>"
        for page in _visible_pages_of_links(attrs_list)
    ]


def _document_links_in_database_form(attrs_list):
    return [
        f'<a linktype="document" id="{document.pk}">' if document else "<a>"
        for document in _visible_documents_of_links(attrs_list)
    ]


def _links_kept(attrs_list):
    from django.utils.html import escape

    return [
        "<a " + " ".join(f'{name}="{escape(value)}"' for name, value in attrs.items()) + ">"
        for attrs in attrs_list
    ]


_LINK_FILTERS = {}


def _link_filter(database_form):
    """A rewriter of stored rich text that only treats page and document links (the rest stays
    as stored, for Wagtail's ``APIRichText`` to convert): ``database_form`` keeps them as
    ``<a linktype=... id=...>`` (for ``db_html``/``db_markdown``), else gives them the
    front-end ``href`` (for ``markdown``); a link the caller may not follow becomes ``<a>``."""
    if database_form not in _LINK_FILTERS:
        from wagtail.rich_text import features
        from wagtail.rich_text.rewriters import LinkRewriter

        rules = {linktype: _links_kept for linktype in features.get_link_types()}
        if database_form:
            rules.update(
                page=_page_links_in_database_form, document=_document_links_in_database_form
            )
        else:
            rules.update(page=_page_links, document=_document_links)
        _LINK_FILTERS[database_form] = LinkRewriter(bulk_rules=rules)
    return _LINK_FILTERS[database_form]


def _rewriter():
    """Wagtail's front-end rewriter with page and document links served from the scope."""
    global _REWRITER
    if _REWRITER is None:
        from wagtail.rich_text import features
        from wagtail.rich_text.rewriters import EmbedRewriter, LinkRewriter, MultiRuleRewriter

        link_rules = {
            linktype: handler.expand_db_attributes_many
            for linktype, handler in features.get_link_types().items()
        }
        link_rules["page"] = _page_links
        link_rules["document"] = _document_links
        embed_rules = {
            embedtype: handler.expand_db_attributes_many
            for embedtype, handler in features.get_embed_types().items()
        }
        _REWRITER = MultiRuleRewriter(
            [LinkRewriter(bulk_rules=link_rules), EmbedRewriter(bulk_rules=embed_rules)]
        )
    return _REWRITER
