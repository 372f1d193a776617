"""Bulk loading of what a response shows: pages (localized and checked for visibility), their
translations, images with their renditions, documents, organizations, and objects of any other
model a kind of reference loads (``want_object``).

Objects are queued with ``want_*`` and loaded by ``resolve()`` with a few queries per kind of
object, whatever their number; lookups (``page()``, ``public_localized()``, ``image()``,
``document()``, ``organization()``, ``get_object()``, ``translations_of()``) then read the
caches. Anything not queued beforehand is loaded on demand, so results are always right;
queueing only saves queries.

What the representation of a loaded object refers to in turn (a speaker's photo, a quotation's
speaker) is queued by the functions registered with :func:`add_dependency_queuer`: the kinds of
reference (``alma_cms.representations``) know it, and this layer may not import them.
"""

from collections import defaultdict

from django.apps import apps
from django.db import router
from django.db.models import FilteredRelation, Prefetch, Q, prefetch_related_objects
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.rich_text.rewriters import FIND_A_TAG, extract_attrs

from .compiled import any_of, run_compiled

# The rendition every image representation uses (and the loader prefetches).
IMAGE_RENDITION_SPEC = "max-1600x1600"

_FILTERS = {}


def prefetched_rendition(image, spec=IMAGE_RENDITION_SPEC):
    """``image.get_rendition(spec)``, taken from the renditions the loader prefetched when it is
    there. Wagtail's ``get_rendition`` also writes each rendition to the renditions cache, a
    pickle (or a Redis round trip) per image shown: 300 of them for a listing of editions.
    Falls back to ``get_rendition`` (which creates a missing rendition) otherwise."""
    prefetched = getattr(image, "prefetched_renditions", None)
    if prefetched is not None and not image.is_svg():
        filter_ = _FILTERS.get(spec)
        if filter_ is None:
            # Here: wagtail.images.models needs the app registry, this module loads before it.
            from wagtail.images.models import Filter

            filter_ = _FILTERS[spec] = Filter(spec=spec)
        focal_point_key = filter_.get_cache_key(image)
        for rendition in prefetched:
            if rendition.filter_spec == spec and rendition.focal_point_key == focal_point_key:
                return rendition
    return image.get_rendition(spec)


def by_id(model, ids, manager=None):
    """The objects of ``model`` whose primary key is in ``ids`` (through ``manager``, default
    the model's default manager), as a list, in the manager's order; the query is compiled once
    per process (``run_compiled``)."""
    name = manager or model._default_manager.name
    return run_compiled(
        ("by id", model, name),
        model,
        lambda pks: getattr(model, name).filter(any_of("pk", pks)),
        list(ids),
    )


def _pages_by_id(model, ids):
    """Pages ``ids`` as ``model`` (through ``model.objects``), without their StreamFields."""
    return run_compiled(
        ("pages by id", model),
        model,
        lambda pks: model.objects.filter(any_of("pk", pks)).defer_streamfields(),
        list(ids),
    )


def organization_model():
    # By name: this layer sits below the models (see docs/architecture.md).
    return apps.get_model("alma_cms", "Organization")


# fn(scope, obj, locale_id): queue what the representation of ``obj`` (a page just localized,
# an organization or another object just loaded) refers to. Registered by the kinds of reference.
_dependency_queuers = []


def add_dependency_queuer(fn):
    """Call ``fn(scope, obj, locale_id)`` for every page the loader localizes and every other
    object it loads (``locale_id``: None for objects that are not pages), so that ``fn`` can
    queue what the object's representation will read. Returns ``fn``."""
    if fn not in _dependency_queuers:
        _dependency_queuers.append(fn)
    return fn


def remove_dependency_queuer(fn):
    """Undo :func:`add_dependency_queuer` (no error if ``fn`` was not added)."""
    if fn in _dependency_queuers:
        _dependency_queuers.remove(fn)


def _model_key(model):
    return model._meta.concrete_model


class BulkLoader:
    """Request-wide caches of referenced objects, filled in bulk."""

    def __init__(self):
        # id -> page instance, as specific as it was loaded
        self.pages = {}
        # (source page id, locale id) -> visible localized page or None
        self._localized = {}
        # (translation_key, locale id) -> page or None
        self._translations = {}
        # translation_key -> visible pages with that key
        self._translations_of = {}
        self.images = {}
        # The renditions loaded with every image (see ``want_renditions``).
        self.rendition_specs = {IMAGE_RENDITION_SPEC}
        self.documents = {}
        self.organizations = {}
        # concrete model -> {id: object or None}, for the models only a kind of reference knows
        self.objects = defaultdict(dict)
        # (kind, key, locale id) -> representation dict, built once (see ``represent``)
        self._representations = {}
        # key -> value computed once (see ``computed_once``)
        self._computed = {}
        # queues
        self._want_pages = {}  # (id, locale_id) -> model or None
        self._want_images = set()
        self._chosen_images = {}  # id -> instance at hand (e.g. from an image chooser block)
        self._want_documents = set()
        self._want_organizations = set()
        self._want_objects = defaultdict(set)  # concrete model -> ids
        self._want_rich_text = []  # (html, locale_id)
        self._want_translation_keys = set()

    # --- queueing -----------------------------------------------------------------------------

    def remember(self, obj):
        """Keep an already loaded object (e.g. by a chooser block) so it is not loaded again."""
        if obj is None or obj.pk is None:
            return
        if isinstance(obj, Page):
            known = self.pages.get(obj.pk)
            if known is None or (not isinstance(known, type(obj)) and isinstance(obj, type(known))):
                self.pages[obj.pk] = obj
        elif isinstance(obj, organization_model()):
            self.organizations.setdefault(obj.pk, obj)
        else:
            self.objects[_model_key(type(obj))].setdefault(obj.pk, obj)

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

    def want_image(self, image_id, image=None):
        """Queue image ``image_id``, loaded with the renditions of ``rendition_specs``.
        ``image``: the instance already at hand (from an image chooser block), which then gets
        the renditions instead of a new instance being loaded, so that a template rendering
        that very instance finds them."""
        if image_id is None or image_id in self.images:
            return
        self._want_images.add(image_id)
        if image is not None:
            self._chosen_images.setdefault(image_id, image)

    def want_renditions(self, *filter_specs):
        """Load the renditions ``filter_specs`` (``"fill-160x160"``, ...) with every image
        resolved from now on, besides ``IMAGE_RENDITION_SPEC``: for templates that render
        images with ``{% image %}``. Call it before queueing; an image loaded before has only
        the renditions asked for then (others are then looked up one by one, as Wagtail does)."""
        self.rendition_specs.update(filter_specs)

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
            self._queue_dependencies(organization, None)

    def want_object(self, model, object_id):
        """Queue object ``object_id`` of ``model`` (any model: loaded with one query per model,
        then read with ``get_object``)."""
        if object_id is None:
            return
        key = _model_key(model)
        if object_id not in self.objects.get(key, ()):
            self._want_objects[key].add(object_id)
        elif self.objects[key][object_id] is not None:
            self._queue_dependencies(self.objects[key][object_id], None)

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

    # --- resolving ----------------------------------------------------------------------------

    def resolve(self):
        """Load everything queued, in bulk: pages (and the pages they in turn refer to), their
        translations, organizations and other objects, images with their renditions,
        documents."""
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
            if self._want_objects:
                self._resolve_objects()
                continue
            if self._want_images:
                self._resolve_images()
            if self._want_documents:
                self._resolve_documents()
            if not (
                self._want_pages
                or self._want_rich_text
                or self._want_organizations
                or self._want_objects
            ):
                break

    def _resolve_translations(self):
        keys, self._want_translation_keys = self._want_translation_keys, set()
        found = {key: [] for key in keys}
        # The rule applied in Python (``is_visible``), not in SQL: the query then reads only
        # the keys, so its SQL is compiled once per process (``run_compiled``).
        pages = run_compiled(
            "translations",
            Page,
            lambda keys: Page.objects.filter(any_of("translation_key", keys), live=True),
            list(keys),
        )
        for page in pages:
            if not self.is_visible(page):
                continue
            self.attach_locale(page)
            found[page.translation_key].append(page)
        for key, pages in found.items():
            pages.sort(key=lambda p: (getattr(p.locale, "language_code", ""), p.pk))
            self._translations_of[key] = pages

    def _resolve_rich_text(self):
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
        querysets = []
        for model, ids in ids_by_model.items():
            ids = [i for i in ids if not self._has_page(i, model)]
            if not ids:
                continue
            if model is not None and model is not Page:
                querysets.append(_pages_by_id(model, ids))
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
                querysets.append(_pages_by_id(specific_class, class_ids))
            if unknown:
                querysets.append(
                    Page.objects.filter(pk__in=unknown).specific().defer_streamfields()
                )
        for queryset in querysets:
            for page in queryset:
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

        # Translations in the wanted locales, one query per page class; none for a translation
        # loaded already as that class (e.g. the home page of the language, a page's ancestor).
        missing, loaded = defaultdict(set), None
        for page_id, locale_id in wanted:
            page = self.pages.get(page_id)
            if page is None or locale_id is None or page.locale_id == locale_id:
                continue
            key = (page.translation_key, locale_id)
            if key in self._translations:
                continue
            if loaded is None:
                loaded = {(p.translation_key, p.locale_id): p for p in self.pages.values()}
            found = loaded.get(key)
            if found is not None and type(found) is type(page):
                self._translations[key] = found
            else:
                missing[type(page)].add(key)
        for model, keys in missing.items():
            pages = run_compiled(
                ("page translations", model),
                model,
                lambda translation_keys, locale_ids, model=model: model.objects.filter(
                    any_of("translation_key", translation_keys), any_of("locale_id", locale_ids)
                ).defer_streamfields(),
                list({k for k, _ in keys}),
                list({loc for _, loc in keys}),
            )
            for page in pages:
                self._translations[(page.translation_key, page.locale_id)] = page
                self.pages.setdefault(page.pk, page)
            for key in keys:
                self._translations.setdefault(key, None)

        for page_id, locale_id in wanted:
            self._localize(page_id, locale_id)

    def _localize(self, page_id, locale_id):
        """The page the caller sees for ``page_id`` in ``locale_id``: its translation there if
        the caller may see it, else the page itself if the caller may see that, else None
        (like ``page.specific.localized`` followed by the visibility check, except that a
        translation hidden in any way — draft, restricted, expired — falls back to the source).
        Caches the result and queues what the page's own representation refers to."""
        key = (page_id, locale_id)
        if key in self._localized:
            return self._localized[key]
        page = self.pages.get(page_id)
        result = None
        if page is not None:
            if locale_id is not None and page.locale_id != locale_id:
                translated = self._translations.get((page.translation_key, locale_id))
                if self.is_visible(translated):
                    result = translated
            if result is None and self.is_visible(page):
                result = page
        self._localized[key] = result
        if result is not None:
            self._queue_dependencies(result, locale_id)
        return result

    def _queue_dependencies(self, obj, locale_id):
        """Queue what the representation of ``obj`` refers to (see ``add_dependency_queuer``)."""
        for queue in _dependency_queuers:
            queue(self, obj, locale_id)

    def _resolve_organizations(self):
        ids, self._want_organizations = self._want_organizations, set()
        ids = [i for i in ids if i not in self.organizations]
        for organization in by_id(organization_model(), ids):
            self.organizations[organization.pk] = organization
        for organization_id in ids:
            organization = self.organizations.get(organization_id)
            if organization is not None:
                self._queue_dependencies(organization, None)

    def _resolve_objects(self):
        wanted, self._want_objects = self._want_objects, defaultdict(set)
        for model, ids in wanted.items():
            cache = self.objects[model]
            ids = [i for i in ids if i not in cache]
            if not ids:
                continue
            for obj in by_id(model, ids):
                cache[obj.pk] = obj
            for object_id in ids:
                cache.setdefault(object_id, None)
                if cache[object_id] is not None:
                    self._queue_dependencies(cache[object_id], None)

    def _resolve_images(self):
        ids, self._want_images = self._want_images, set()
        chosen, self._chosen_images = self._chosen_images, {}
        ids = [i for i in ids if i not in self.images]
        if not ids:
            return
        found = [chosen[i] for i in ids if i in chosen]
        missing = [i for i in ids if i not in chosen]
        loaded = self._load_images_with_renditions(missing) if missing else {}
        if found:
            # Their renditions, one query for all (as ``prefetch_renditions`` does).
            prefetch_related_objects(
                found,
                Prefetch(
                    "renditions",
                    queryset=self._renditions(),
                    to_attr="prefetched_renditions",
                ),
            )
        for image in [*found, *loaded.values()]:
            self.images[image.pk] = image
        for image_id in ids:
            self.images.setdefault(image_id, None)

    def _renditions(self):
        return (
            get_image_model()
            .get_rendition_model()
            .objects.filter(filter_spec__in=sorted(self.rendition_specs))
        )

    def _load_images_with_renditions(self, ids):
        """The images ``ids``, each with its ``prefetched_renditions`` (those of
        ``rendition_specs``), in one query where an image and then its renditions took two: the
        images left-joined to those renditions, a row per image and rendition. ``{id: image}``
        (a missing image is not in it)."""
        image_model = get_image_model()
        rendition_model = image_model.get_rendition_model()
        image_fields = [field.attname for field in image_model._meta.concrete_fields]
        rendition_fields = [field.attname for field in rendition_model._meta.concrete_fields]
        specs = tuple(sorted(self.rendition_specs))

        def build(image_ids):
            # A new FilteredRelation per queryset: a query that uses one changes it.
            joined = FilteredRelation("renditions", condition=Q(renditions__filter_spec__in=specs))
            return (
                image_model._default_manager.filter(any_of("pk", image_ids))
                .annotate(alma_rendition=joined)
                .values_list(
                    *image_fields, *(f"alma_rendition__{name}" for name in rendition_fields)
                )
            )

        rows = run_compiled(
            ("images with renditions", image_model, specs), image_model, build, list(ids)
        )
        database = router.db_for_read(image_model)
        images, count = {}, len(image_fields)
        image_pk = image_fields.index(image_model._meta.pk.attname)
        rendition_pk = rendition_fields.index(rendition_model._meta.pk.attname)
        for row in rows:
            image = images.get(row[image_pk])
            if image is None:
                image = image_model.from_db(database, image_fields, row[:count])
                image.prefetched_renditions = []
                images[image.pk] = image
            if row[count + rendition_pk] is not None:
                rendition = rendition_model.from_db(database, rendition_fields, row[count:])
                rendition.image = image  # as prefetching sets it
                image.prefetched_renditions.append(rendition)
        return images

    def _resolve_documents(self):
        ids, self._want_documents = self._want_documents, set()
        ids = [i for i in ids if i not in self.documents]
        if not ids:
            return
        for document in by_id(get_document_model(), ids):
            self.documents[document.pk] = document
        for document_id in ids:
            self.documents.setdefault(document_id, None)

    # --- lookups ------------------------------------------------------------------------------

    def page(self, page_id, model=None):
        """The page ``page_id`` (loaded on demand if it was not queued), or None. Not checked
        for visibility: see ``public_localized``."""
        if page_id is None:
            return None
        if not self._has_page(page_id, model):
            self._load_pages({model: {page_id}})
        return self.pages.get(page_id)

    def public_localized(self, page, locale_id=None):
        """The page to show for a reference to ``page``: its translation in ``locale_id``
        (default: the active language) if the caller may see it, else ``page`` itself if the
        caller may see it, else None. Recorded as shown (for Last-Modified)."""
        if page is None:
            return None
        if locale_id is None:
            locale_id = self.active_locale_id()
        key = (page.pk, locale_id)
        if key not in self._localized:
            self.remember(page)
            self.want_page(page.pk, page.specific_class, locale_id)
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
        """Organization ``organization_id``, or None."""
        if organization_id is None:
            return None
        if organization_id not in self.organizations:
            self.want_organization(organization_id)
            self._resolve_organizations()
        return self.organizations.get(organization_id)

    def get_object(self, model, object_id):
        """Object ``object_id`` of ``model`` (loaded on demand if it was not queued), or None.
        Not checked for visibility."""
        if object_id is None:
            return None
        key = _model_key(model)
        if object_id not in self.objects.get(key, ()):
            self.want_object(model, object_id)
            self._resolve_objects()
        return self.objects[key].get(object_id)

    def translations_of(self, page):
        """The other translations of ``page`` that the caller may see."""
        if page.translation_key not in self._translations_of:
            self.want_translations([page])
            self._resolve_translations()
        return [p for p in self._translations_of[page.translation_key] if p.pk != page.pk]

    def loaded_translations(self):
        """``{translation_key: [page, ...]}``: the translations loaded so far (those the caller
        may see, every locale), for what is computed for all of them at once (the API's
        ``translation_status``). Read-only."""
        return self._translations_of

    def loaded_objects(self):
        """The objects other than pages loaded so far (organizations, images, documents, other
        snippets; those missing left out), for the representation cache: a response depends
        on what it may show. No query."""
        for cache in (self.organizations, self.images, self.documents, *self.objects.values()):
            yield from (obj for obj in cache.values() if obj is not None)

    def computed_once(self, key, compute):
        """``compute()``, computed on the first call with ``key`` (any hashable) and kept for
        the scope's lifetime: for what several parts of one response read, such as an index
        page's listing (its HTML and its JSON-LD)."""
        if key not in self._computed:
            self._computed[key] = compute()
        return self._computed[key]

    def represent(self, kind, key, build, locale_id=None):
        """The representation ``build()`` gives of object ``key`` (a dict, or None), built once
        per scope and active language: a speaker, an image or an organization shown in many
        places of a response is represented once. Returns a copy (callers may extend it).
        ``locale_id``: the active language's locale id when the caller has it at hand."""
        if locale_id is None:
            locale_id = self.active_locale_id()
        cache_key = (kind, key, locale_id)
        if cache_key not in self._representations:
            self._representations[cache_key] = build()
        value = self._representations[cache_key]
        return dict(value) if value is not None else None
