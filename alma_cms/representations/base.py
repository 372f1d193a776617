"""The registry of kinds of reference.

A *kind of reference* (an image, a speaker, rich text, ...) is declared once, by a
:class:`ReferenceKind` registered with :func:`register_kind`, in one small module of this package.
The declaration says:

- how the reference appears in output (``represent(scope, value)``), and the JSON Schema of that
  (``json_schema(generator)``, published as the component ``component`` when it has a name);
- which model it loads (``model()``), how the scope's bulk loader queues it (``want``,
  ``want_value``), where the loaded object is found afterwards (``cached``), and what its
  representation refers to in turn (``dependencies``).

Everything else is derived from the registry: the DRF field (``alma_cms.api_fields``), the
OpenAPI components and the typing of ``api_fields`` in API v3 (``alma_cms.api.schemas``,
``alma_cms.api.v3.openapi``), and the prefetch plan (:mod:`alma_cms.representations.prefetch`,
used by the API and the HTML pages), which finds the kind of a foreign key, a property or a
chooser block with :func:`kind_for_model`.
"""

from django.apps import apps
from django.core.signals import setting_changed
from wagtail.models import Page

from ..conf import alma_settings
from ..scope.loader import add_dependency_queuer, remove_dependency_queuer

__all__ = [
    "PageKind",
    "ReferenceKind",
    "get_kind",
    "kind_for_component",
    "kind_for_model",
    "register_kind",
    "registered_kinds",
    "setting_model",
    "unregister_kind",
]


def setting_model(setting_name):
    """The model an ``ALMA_CMS`` setting names (``"SPEAKER_PAGE_MODEL"`` → the speaker page
    class). By name: the models sit above this package."""
    return apps.get_model(getattr(alma_settings, setting_name))


class ReferenceKind:
    """One kind of reference. Subclass, set the attributes, override what applies, and
    register an instance with :func:`register_kind`.

    ``name``: the registry key (``"speaker"``), also the key of the scope's representation
    cache. ``component``: the name of its JSON Schema component (``"AlmaSpeaker"``), or None to
    describe it inline wherever it is used. ``nullable``: whether its representation may be null
    whatever the field holds (a missing, hidden or restricted object); False for values such as
    rich text, null only where the field itself is.
    """

    name = None
    component = None
    nullable = True

    # --- output -------------------------------------------------------------------------------

    def represent(self, scope, value):
        """The representation of ``value`` for ``scope`` (a dict, a string, or None)."""
        raise NotImplementedError

    def json_schema(self, generator):
        """The JSON Schema of a (non-null) representation; ``generator``: an
        ``alma_cms.api.schemas.SchemaGenerator``, whose ``reference(kind)`` refers to other
        kinds."""
        raise NotImplementedError

    # --- loading ------------------------------------------------------------------------------

    def model(self):
        """The model this kind loads, or None for a value held by the object itself (rich
        text, a country)."""
        return None

    def base_model(self):
        """The class every model this kind loads derives from (default: ``model()``)."""
        return self.model()

    def want(self, scope, pk, model, locale_id):
        """Queue, in ``scope``'s bulk loader, the object with primary key ``pk`` that a foreign
        key to ``model`` holds; pages are localized to ``locale_id``."""
        scope.want_object(model, pk)

    def want_value(self, scope, value, model, locale_id):
        """Queue what ``value`` (a loaded object from a chooser block or a property, declared as
        ``model``; or this kind's value) refers to."""
        scope.remember(value)
        self.want(scope, value.pk, model, locale_id)

    def cached(self, scope, pk, model):
        """The object ``pk`` of ``model`` if ``scope`` has loaded it, else None (no query)."""
        return scope.objects.get(model._meta.concrete_model, {}).get(pk)

    def dependencies(self, scope, obj, locale_id):
        """Queue what the representation of ``obj`` (any object the loader loaded; check its
        type) reads in turn, such as a speaker's photo. Default: nothing."""

    def __repr__(self):
        return f"<{type(self).__name__} {self.name!r}>"


class PageKind(ReferenceKind):
    """A reference to a page (of ``model()``), localized to the response's language and shown
    only when the caller may see it."""

    def model(self):
        return Page

    def want(self, scope, pk, model, locale_id):
        scope.want_page(pk, model, locale_id)

    def want_value(self, scope, value, model, locale_id):
        scope.remember(value)
        # A plain Page (e.g. a PageChooserBlock for any type) is loaded as its specific class.
        scope.want_page(value.pk, None if model in (None, Page) else model, locale_id)

    def cached(self, scope, pk, model):
        page = scope.pages.get(pk)
        return page if isinstance(page, model) else None


# --- the registry -----------------------------------------------------------------------------

_kinds = {}  # name -> kind, in registration order
# model -> kind or None, for kind_for_model (called per chooser block value): cleared whenever the
# registry or a setting (the page models a kind loads) changes.
_kind_of_model = {}


def _forget_kinds_of_models(**kwargs):
    _kind_of_model.clear()


setting_changed.connect(_forget_kinds_of_models)


def _has_dependencies(kind):
    return type(kind).dependencies is not ReferenceKind.dependencies


def register_kind(kind):
    """Register ``kind`` (a :class:`ReferenceKind` instance; one of the same name is replaced)
    and return it."""
    if not kind.name:
        raise ValueError(f"{kind!r} has no name")
    unregister_kind(kind.name)
    _kinds[kind.name] = kind
    _kind_of_model.clear()
    if _has_dependencies(kind):
        add_dependency_queuer(kind.dependencies)
    return kind


def unregister_kind(name):
    """Remove the kind called ``name`` (no error if there is none)."""
    kind = _kinds.pop(name, None)
    _kind_of_model.clear()
    if kind is not None and _has_dependencies(kind):
        remove_dependency_queuer(kind.dependencies)


def registered_kinds():
    """Every registered kind, in registration order."""
    return list(_kinds.values())


def get_kind(kind):
    """The registered kind called ``kind`` (a kind passes through). LookupError if none."""
    if isinstance(kind, ReferenceKind):
        return kind
    try:
        return _kinds[kind]
    except KeyError:
        raise LookupError(f"No kind of reference is called {kind!r}") from None


def kind_for_model(model):
    """The kind that loads objects of ``model``: of the kinds whose ``base_model()`` ``model``
    derives from, the most specific (a speaker page is a ``speaker``, any other page a
    ``page_link``); None if no kind loads it."""
    if model is None:
        return None
    if model not in _kind_of_model:
        mro = model.__mro__
        best, best_index = None, len(mro)
        for kind in _kinds.values():
            base = kind.base_model()
            if base is not None and base in mro and mro.index(base) < best_index:
                best, best_index = kind, mro.index(base)
        _kind_of_model[model] = best
    return _kind_of_model[model]


def kind_for_component(component):
    """The kind whose JSON Schema component is called ``component``. LookupError if none."""
    for kind in _kinds.values():
        if kind.component == component:
            return kind
    raise LookupError(f"No kind of reference has the component {component!r}")
