"""Bulk loading of everything a representation of some objects will read, before it is built.

``prefetch(scope, instances, model, plan)`` takes a :class:`FieldPlan` (what the output reads
from each instance: for Wagtail's ``api_fields``, :func:`plan_for_api_fields`) and, in one pass
over all the instances:

- converts their StreamFields together (one ``bulk_to_python`` per block type for all of them,
  not per page) and walks the values for references: what chooser blocks hold, and links inside
  rich text;
- queues foreign keys (speaker, host, photo, forum edition, …), rich-text fields, inline child
  objects (speaker positions) and, where needed, parent pages and translations;
- resolves the queue in the request scope (a few queries per kind of object), then fills the
  foreign-key caches of the instances so that whatever reads them (a DRF field, a template)
  reads them without a query.

What to queue for a foreign key, a property or a chooser block, and where the loaded object is
found afterwards, is the business of its kind of reference (``kind_for_model``, see
:mod:`alma_cms.representations.base`): this module only walks the instances.

The number of queries depends on which kinds of reference occur, never on how many objects or
blocks there are. Used by the API (v2 derives its plan from the DRF serializer in
:mod:`alma_cms.api.prefetch`, v3 from ``api_fields``) and by the HTML pages.
"""

import copy
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import (
    ForeignObjectRel,
    ManyToManyRel,
    ManyToOneRel,
    Model,
    OuterRef,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Left, Length
from wagtail import blocks
from wagtail.blocks.stream_block import StreamValue
from wagtail.fields import StreamField
from wagtail.models import Locale, Page

from ..scope.compiled import any_of, run_compiled
from ..scope.loader import by_id
from .base import ReferenceKind, get_kind, kind_for_model

# --- StreamFields -------------------------------------------------------------------------


# While StreamFields are converted in bulk: {model: ({raw value: instance or None}, {raw values
# handed out})}, shared by the chooser blocks that convert through ``chosen_objects``.
_shared_chosen = ContextVar("alma_cms_shared_chosen_objects", default=None)


@contextmanager
def sharing_chosen_objects():
    """Within the block, chooser blocks converting through :func:`chosen_objects` load each
    object once, whichever block type (a panel's speakers, a speaker list) holds it."""
    if _shared_chosen.get() is not None:
        yield
        return
    token = _shared_chosen.set({})
    try:
        yield
    finally:
        _shared_chosen.reset(token)


def chosen_objects(manager, values, bulk_to_python):
    """What ``ChooserBlock.bulk_to_python(values)`` gives (``manager.in_bulk`` of the values:
    the instances in order, None kept, a distinct copy for every repeated id), with the objects
    loaded by other chooser blocks of the model within :func:`sharing_chosen_objects` reused:
    a listing of editions holds the same speakers in its panels and its speaker lists, and
    made each of them three times. ``bulk_to_python``: the block's own, used outside."""
    shared = _shared_chosen.get()
    if shared is None or not all(isinstance(v, int | str) or v is None for v in values):
        return bulk_to_python(values)
    known, handed_out = shared.setdefault(manager.model, ({}, set()))
    missing = [v for v in dict.fromkeys(values) if v is not None and v not in known]
    if missing:
        found = _in_bulk(manager, missing)
        for value in missing:
            known[value] = found.get(value)
    result = []
    for value in values:
        obj = known.get(value) if value is not None else None
        if obj is not None:
            if value in handed_out:
                obj = copy.copy(obj)
            else:
                handed_out.add(value)
        result.append(obj)
    return result


def _in_bulk(manager, ids):
    """``manager.in_bulk(ids)``, with the query compiled once per process (``run_compiled``)."""
    model = manager.model
    if not manager.name or getattr(model, manager.name, None) is not manager:
        return manager.in_bulk(ids)  # a manager the model does not hold
    objects = by_id(model, ids, manager=manager.name)
    return {obj.pk: obj for obj in objects}


def _preload_chosen(raw_by_block):
    """Load, one query per model, the objects that the sharing chooser blocks among
    ``raw_by_block`` (``[(block, stored value)]``) hold, before they are converted."""
    shared = _shared_chosen.get()
    wanted = defaultdict(list)  # manager -> raw ids
    for block, raw in raw_by_block:
        _collect_raw_choices(block, raw, wanted)
    for manager, ids in wanted.items():
        known, _handed_out = shared.setdefault(manager.model, ({}, set()))
        missing = [v for v in dict.fromkeys(ids) if v not in known]
        if missing:
            found = _in_bulk(manager, missing)
            for value in missing:
                known[value] = found.get(value)


def _somewhere_within(block, found_in, key):
    """True if ``found_in(b)`` holds for ``block`` or a block at any depth within it; the
    answer is kept on the block under ``key`` (a block's children do not change)."""
    found = block.__dict__.get(key)
    if found is None:
        if found_in(block):
            found = True
        elif isinstance(block, blocks.ListBlock):
            found = _somewhere_within(block.child_block, found_in, key)
        elif isinstance(block, blocks.StreamBlock | blocks.StructBlock):
            found = any(
                _somewhere_within(child, found_in, key) for child in block.child_blocks.values()
            )
        else:
            found = False
        block.__dict__[key] = found
    return found


def _holds_shared_chooser(block):
    """True if a chooser block sharing its objects is ``block`` or inside it."""
    return _somewhere_within(
        block,
        lambda b: getattr(b, "shares_chosen_objects", False),
        "_alma_holds_shared_chooser",
    )


def _collect_raw_choices(block, raw, wanted):
    """Add to ``wanted`` the ids the sharing chooser blocks within ``raw`` (the stored value of
    ``block``) hold. Only a guess at what conversion will ask for: an id missed here is loaded
    then, by the chooser block itself."""
    if raw is None or not _holds_shared_chooser(block):
        return
    if getattr(block, "shares_chosen_objects", False):
        if isinstance(raw, int) and not isinstance(raw, bool):
            wanted[block.model_class.objects].append(raw)
    elif isinstance(block, blocks.ListBlock):
        if isinstance(raw, list):
            child = block.child_block
            for item in raw:
                if block._item_is_in_block_format(item):
                    item = item["value"]
                _collect_raw_choices(child, item, wanted)
    elif isinstance(block, blocks.StreamBlock):
        if isinstance(raw, list):
            for item in raw:
                if isinstance(item, dict) and item.get("type") in block.child_blocks:
                    _collect_raw_choices(
                        block.child_blocks[item["type"]], item.get("value"), wanted
                    )
    elif isinstance(block, blocks.StructBlock):
        if isinstance(raw, dict):
            for name, child in block.child_blocks.items():
                _collect_raw_choices(child, raw.get(name), wanted)


def bulk_convert_streams(stream_values):
    """Convert the blocks of many lazy StreamValues with one ``bulk_to_python`` call per child
    block type, as Wagtail does within one StreamValue; the chooser blocks that share their
    objects (see :func:`chosen_objects`) load them first, one query per model."""
    with sharing_chosen_objects():
        _bulk_convert_streams(stream_values)


def _bulk_convert_streams(stream_values):
    groups = defaultdict(list)
    for value in stream_values:
        raw, bound = getattr(value, "_raw_data", None), getattr(value, "_bound_blocks", None)
        if raw is None or bound is None or not getattr(value, "is_lazy", False):
            continue
        child_blocks = value.stream_block.child_blocks
        for i, item in enumerate(raw):
            if bound[i] is None and item and item.get("type") in child_blocks:
                groups[id(child_blocks[item["type"]])].append((value, i, item["type"]))
    _preload_chosen(
        (v.stream_block.child_blocks[t], v._raw_data[i]["value"])
        for items in groups.values()
        for v, i, t in items
    )
    for items in groups.values():
        first, _i, type_name = items[0]
        child_block = first.stream_block.child_blocks[type_name]
        converted = child_block.bulk_to_python([v._raw_data[i]["value"] for v, i, _t in items])
        for (value, i, _t), native in zip(items, converted, strict=True):
            value._bound_blocks[i] = StreamValue.StreamChild(
                child_block, native, id=value._raw_data[i].get("id")
            )


def _may_refer(block):
    """False if nothing ``collect_block`` queues can be inside ``block`` (no rich text, no
    chooser at any depth): a heading, a statistic."""
    return _somewhere_within(
        block,
        lambda b: isinstance(b, blocks.RichTextBlock | blocks.ChooserBlock),
        "_alma_may_refer",
    )


def _referring_children(block):
    """``(name, child block)`` of a StructBlock's children that may hold references."""
    children = block.__dict__.get("_alma_referring_children")
    if children is None:
        children = [(n, child) for n, child in block.child_blocks.items() if _may_refer(child)]
        block.__dict__["_alma_referring_children"] = children
    return children


def collect_block(scope, block, value, locale_id):
    """Queue the references held by ``value`` (the native value of ``block``)."""
    if value is None:
        return
    if isinstance(block, blocks.StreamBlock):
        for child in value:
            collect_block(scope, child.block, child.value, locale_id)
    elif isinstance(block, blocks.ListBlock):
        for item in value:
            collect_block(scope, block.child_block, item, locale_id)
    elif isinstance(block, blocks.StructBlock):
        for name, child_block in _referring_children(block):
            collect_block(scope, child_block, value.get(name), locale_id)
    elif isinstance(block, blocks.RichTextBlock):
        get_kind("rich_text").want_value(scope, value, None, locale_id)
    elif isinstance(block, blocks.ChooserBlock):
        # Page, image, document and snippet choosers: by the kind that loads the target model.
        kind = kind_for_model(block.model_class)
        if kind is not None:
            kind.want_value(scope, value, block.model_class, locale_id)


# --- model instances ----------------------------------------------------------------------


class _LocaleKeys:
    """Foreign keys to Locale (not a kind of reference: the scope reads every locale once)."""

    def want(self, scope, pk, model, locale_id):
        pass

    def cached(self, scope, pk, model):
        return scope.locales.get(pk)


_LOCALE_KEYS = _LocaleKeys()


def reference_kind(model):
    """What loads the objects a foreign key to ``model`` holds: its kind of reference, the
    scope's locales, or None (nothing the scope caches)."""
    if model is None:
        return None
    if issubclass(model, Locale):
        return _LOCALE_KEYS
    return kind_for_model(model)


def _foreign_keys(model, names=None):
    """(field, kind) for the foreign keys of ``model`` to objects the scope caches."""
    result = []
    for field in model._meta.concrete_fields:
        if not field.many_to_one or (names is not None and field.name not in names):
            continue
        kind = reference_kind(field.related_model)
        if kind is not None:
            result.append((field, kind))
    return result


def _queue_foreign_key(scope, obj, field, kind, locale_id):
    pk = getattr(obj, field.attname)
    if pk is None or field.is_cached(obj):
        # Unset, or already loaded (e.g. a child's key to its parent, set by prefetching).
        return
    kind.want(scope, pk, field.related_model, locale_id)


def _fill_foreign_keys(scope, instances, foreign_keys):
    for obj in instances:
        for field, kind in foreign_keys:
            pk = getattr(obj, field.attname)
            if pk is None or field.is_cached(obj):
                continue
            cached = kind.cached(scope, pk, field.related_model)
            if cached is not None:
                field.set_cached_value(obj, cached)


# The annotation ``parent_content_type_annotation`` adds to a query of pages.
PARENT_CONTENT_TYPE = "alma_parent_content_type_id"


def parent_content_type_annotation():
    """``{name: expression}`` annotating a query of pages with the content type id of each
    page's parent: ``_fill_parents`` then loads the parents as their specific class at once,
    not their base rows first (one query fewer)."""
    parent_path = Left(OuterRef("path"), Length(OuterRef("path")) - Page.steplen)
    parents = Page.objects.filter(path=parent_path).values("content_type_id")[:1]
    return {PARENT_CONTENT_TYPE: Subquery(parents)}


def _parent_querysets(missing):
    """Querysets of the parents at the paths ``missing`` (path -> child pages): one per class
    when the children were annotated with their parent's content type, else Wagtail's
    ``specific()`` (a query for the content types, then one per class)."""
    by_type = defaultdict(list)
    for path, children in missing.items():
        content_type_id = getattr(children[0], PARENT_CONTENT_TYPE, None)
        by_type[content_type_id].append(path)
    models = {
        content_type_id: ContentType.objects.get_for_id(content_type_id).model_class()
        for content_type_id in by_type
        if content_type_id is not None
    }
    if None in by_type or any(model is None for model in models.values()):
        paths = list(missing)
        return [Page.objects.filter(path__in=paths).defer_streamfields().specific()]
    return [
        run_compiled(
            ("parents", model),
            model,
            lambda paths, model=model: model._default_manager.filter(
                any_of("path", paths)
            ).defer_streamfields(),
            paths,
        )
        for model, paths in ((models[ct], paths) for ct, paths in by_type.items())
    ]


def _fill_parents(scope, pages):
    """Cache each page's parent (``get_parent()``), loaded in bulk as its specific class."""
    missing = {}
    for page in pages:
        if page.depth > 1 and not hasattr(page, "_cached_parent_obj"):
            missing.setdefault(page.path[: -page.steplen], []).append(page)
    if not missing:
        return
    queryset = (parent for qs in _parent_querysets(missing) for parent in qs)
    for parent in queryset:
        scope.remember(parent)
        scope.attach_locale(parent)
        for page in missing.get(parent.path, []):
            page._cached_parent_obj = parent


def _reads_parent(page, names):
    """True if the page type says showing ``names`` reads the page's parent (its optional
    ``reads_parent(names)``, see ``alma_cms.pages.mixins``)."""
    reads_parent = getattr(page, "reads_parent", None)
    return reads_parent is not None and reads_parent(names)


def _locale_id(obj, default=None):
    return getattr(obj, "locale_id", None) or default


class FieldPlan:
    """What a representation reads from each instance, by kind of field: StreamFields, inline
    child relations, values that refer to objects (``(name, kind)``: rich text), references
    (properties and foreign keys rendered by an alma-cms or Wagtail serializer field), the
    parent page, and the page's translations."""

    def __init__(self, names=()):
        self.names = set(names)
        self.streams, self.children, self.references, self.values = [], [], [], []
        self.parents = False

    def add_serializer(self, name, serializer):
        """Plan field ``name``, rendered by the DRF field ``serializer`` (nothing to plan unless
        it renders a kind of reference, as ``alma_cms.api_fields`` do, or is one of Wagtail's
        related fields)."""
        # An alma-cms reference field (``alma_cms.api_fields``) names its kind of reference.
        kind = getattr(serializer, "kind", None)
        if isinstance(kind, ReferenceKind):
            if kind.model() is None:
                self.values.append((name, kind))
            else:
                self.references.append(name)
        else:
            # Wagtail's API module loads models: imported here, as this one is imported while
            # models load (by the page mixins).
            from wagtail.api.v2.serializers import RelatedField

            if isinstance(serializer, RelatedField):
                self.references.append(name)


def plan_for_api_fields(model):
    """The :class:`FieldPlan` of every ``api_fields`` entry of ``model``: what Wagtail's API v3
    schema for the model reads (a field with a serializer is rendered by that serializer, a
    StreamField block by block, a reverse relation as a list of nested objects)."""
    api_fields = getattr(model, "api_fields", ())
    plan = FieldPlan(getattr(field, "name", field) for field in api_fields)
    for field in api_fields:  # an APIField, or a field name
        name, serializer = getattr(field, "name", field), getattr(field, "serializer", None)
        if serializer is not None:
            plan.add_serializer(name, serializer)
            continue
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue  # a property: read as it is
        if isinstance(model_field, StreamField):
            plan.streams.append(name)
        elif isinstance(model_field, ForeignObjectRel) and model_field.multiple:
            plan.children.append(name)
    return plan


def prefetch_for_api_fields(scope, instances, locale_id=None):
    """Bulk-load what Wagtail's API v3 reads from ``instances`` (of one model): every field in
    the model's ``api_fields``."""
    instances = [obj for obj in instances if obj is not None]
    if not instances:
        return
    model = type(instances[0])
    prefetch(scope, instances, model, plan_for_api_fields(model), locale_id)


def prefetch(scope, instances, model, plan, locale_id=None):
    """Queue and resolve, in ``scope``, everything ``plan`` says the representation of
    ``instances`` (of ``model``) reads; then fill their foreign-key caches."""
    fill = queue(scope, instances, model, plan, locale_id)
    scope.resolve()
    fill()


def queue(scope, instances, model, plan, locale_id=None):
    """Queue in ``scope`` everything ``plan`` says the representation of ``instances`` (of
    ``model``) reads, without resolving: several calls then share one ``scope.resolve()``.
    Returns a function to call after resolving, which fills the instances' foreign-key caches
    (and those of their inline children) from the scope's."""
    names = plan.names
    streams, references, parents = plan.streams, plan.references, plan.parents

    for obj in instances:
        scope.attach_locale(obj)
    pages = [obj for obj in instances if isinstance(obj, Page)]

    foreign_keys = _foreign_keys(model, names | {"locale"})
    fk_names = {field.name for field, _kind in foreign_keys}
    properties = [name for name in references if name not in fk_names]
    if pages and (parents or properties):
        _fill_parents(scope, pages)
    elif pages:  # pages whose shown fields read their parent (e.g. a series title from it)
        _fill_parents(scope, [page for page in pages if _reads_parent(page, names)])
    if pages and "translations" in names:
        scope.want_translations(pages)
    if pages and "alias_of" in names:
        for page in pages:
            if page.alias_of_id:
                scope.want_page(page.alias_of_id, None, _locale_id(page, locale_id))

    with sharing_chosen_objects():
        for name in streams:
            values = [getattr(obj, name) for obj in instances]
            bulk_convert_streams(values)
            for obj, value in zip(instances, values, strict=True):
                if value is not None:
                    collect_block(scope, value.stream_block, value, _locale_id(obj, locale_id))

    for obj in instances:
        own_locale = _locale_id(obj, locale_id)
        for field, kind in foreign_keys:
            _queue_foreign_key(scope, obj, field, kind, own_locale)
        for name, kind in plan.values:
            kind.want_value(scope, getattr(obj, name, None), None, own_locale)
        for name in properties:
            value = getattr(obj, name, None)
            kind = kind_for_model(type(value)) if isinstance(value, Model) else None
            if kind is not None:
                kind.want_value(scope, value, type(value), own_locale)

    # Inline children (speaker positions): one query per relation; all their references
    # (organization, locale, …) are queued, as properties such as ``label`` read them.
    child_batches = []
    for name in plan.children:
        _prefetch_children(instances, model, name)
        child_objects = [
            (child, _locale_id(obj, locale_id))
            for obj in instances
            for child in getattr(obj, name).all()
        ]
        if not child_objects:
            continue
        child_keys = _foreign_keys(type(child_objects[0][0]))
        child_batches.append(([child for child, _l in child_objects], child_keys))
        for child, own_locale in child_objects:
            scope.attach_locale(child)
            for key_field, kind in child_keys:
                _queue_foreign_key(scope, child, key_field, kind, own_locale)

    def fill():
        _fill_foreign_keys(scope, instances, foreign_keys)
        for child_objects, child_keys in child_batches:
            _fill_foreign_keys(scope, child_objects, child_keys)

    return fill


def _prefetch_children(instances, model, name):
    """``prefetch_related_objects(instances, name)`` for an inline child relation (the reverse
    of a ParentalKey or ForeignKey to the primary key: speaker positions), with its query
    compiled once per process (``run_compiled``); Django's way for any other relation."""
    relation = model._meta.get_field(name)
    field = relation.remote_field  # the child's key
    if (
        not isinstance(relation, ManyToOneRel)
        or isinstance(relation, ManyToManyRel)
        or not field.target_field.primary_key
    ):
        prefetch_related_objects(instances, name)
        return
    # Where Django's related manager looks for prefetched objects: the accessor's name.
    cache_name = relation.get_accessor_name()
    pending = [
        obj for obj in instances if cache_name not in getattr(obj, "_prefetched_objects_cache", {})
    ]
    if not pending:
        return
    child_model = relation.related_model
    children = run_compiled(
        ("children", child_model, field.attname),
        child_model,
        lambda ids: child_model._default_manager.filter(any_of(field.attname, ids)),
        list({obj.pk for obj in pending}),
    )
    by_parent = defaultdict(list)
    for child in children:
        by_parent[getattr(child, field.attname)].append(child)
    for obj in pending:
        found = by_parent.get(obj.pk, [])
        for child in found:
            setattr(child, field.name, obj)  # as prefetching does
        # As Django's prefetch_one_level keeps them: the relation's queryset, already filled.
        queryset = getattr(obj, name).get_queryset()
        queryset._result_cache = found
        queryset._prefetch_done = True
        if not hasattr(obj, "_prefetched_objects_cache"):
            obj._prefetched_objects_cache = {}
        obj._prefetched_objects_cache[cache_name] = queryset


def fill_loaded_foreign_keys(scope):
    """Fill the foreign-key caches of every page, organization and other object ``scope`` has
    loaded, from its caches (no query): a template reading ``speaker.photo`` or
    ``quotation.speaker`` of a page the scope loaded reads the scope's copy. An object the
    scope has not loaded is left alone (read on demand, as usual)."""
    loaded = [*scope.pages.values(), *scope.organizations.values()]
    for objects in scope.objects.values():
        loaded.extend(obj for obj in objects.values() if obj is not None)
    by_model = defaultdict(list)
    for obj in loaded:
        by_model[type(obj)].append(obj)
    for model, objects in by_model.items():
        _fill_foreign_keys(scope, objects, _foreign_keys(model))
