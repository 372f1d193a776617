"""Serializers of the v2 endpoints: Wagtail's, served from the request scope.

Differences from Wagtail's ``PageSerializer``:

- each page is serialized in its own language (``translation.override``), so references in a
  Russian page resolve to Russian pages and labels ("RLA acting as …") are Russian;
- ``meta.translations`` lists the other translations the caller may see;
- ``meta.locale``, ``meta.parent``, ``meta.alias_of`` and ``meta.html_url`` read the scope's
  caches instead of querying per page, and ``parent``/``alias_of`` are ``null`` when the caller
  may not see them.
"""

import copy
import weakref

from django.urls import NoReverseMatch
from django.utils import translation
from rest_framework.fields import Field
from rest_framework.serializers import BaseSerializer as DRFBaseSerializer
from wagtail.api.v2.serializers import (
    BaseSerializer,
    ChildRelationField,
    PageAliasOfField,
    PageHtmlUrlField,
    PageLocaleField,
    PageParentField,
    PageSerializer,
    TagsField,
    get_serializer_class,
)
from wagtail.api.v2.utils import get_object_detail_url
from wagtail.documents.api.v2.serializers import DocumentSerializer
from wagtail.images.api.v2.serializers import ImageSerializer

from ...scope import get_scope
from ..translations import translation_items


def _scope(field):
    return get_scope(field.context.get("request"))


class _ObjectField(Field):
    """A read-only field computed from the whole object (``to_representation(obj)``)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return instance


class ScopedPageLocaleField(PageLocaleField):
    def to_representation(self, page):
        return _scope(self).language_of(page)


class ScopedPageHtmlUrlField(PageHtmlUrlField):
    def to_representation(self, page):
        try:
            # Django's request, not DRF's: Wagtail prefers the request's site for a page in
            # several sites only when given an HttpRequest.
            request = self.context.get("request")
            # The scope's page URLs: Wagtail's, with one URL reversal per language.
            return _scope(self).full_page_url(page, getattr(request, "_request", request))
        except NoReverseMatch:
            return None


def _copy_field(field):
    """A field for one serializer instance. DRF deep-copies declared fields, which builds each
    again from its arguments; a plain field holds nothing that binding or serializing changes
    but its binding (``field_name``, ``parent``, ``source_attrs``), so a shallow copy serves.
    Fields that bind a child of their own (nested serializers, ``ListField``,
    ``ManyRelatedField``) are deep-copied as DRF does, so the child's parent is the copy."""
    if (
        isinstance(field, DRFBaseSerializer)
        or hasattr(field, "child")
        or hasattr(field, "child_relation")
    ):
        return copy.deepcopy(field)
    return copy.copy(field)


class FieldsBuiltOnce:
    """A model serializer whose fields are built once per class, then copied for each instance
    (see ``_copy_field``): DRF builds a model serializer's fields from the model for every
    instance (~1 ms a detail). For classes that are kept (the views'
    ``_get_serializer_class``, ``_summary``)."""

    def get_fields(self):
        cls = type(self)
        built = cls.__dict__.get("_alma_built_fields")
        if built is None:
            built = super().get_fields()
            cls._alma_built_fields = built
        return {name: _copy_field(field) for name, field in built.items()}


class _SummarySerializer(FieldsBuiltOnce, PageSerializer):
    html_url = ScopedPageHtmlUrlField(read_only=True)  # Wagtail's ignores the request's site


# page class -> its summary serializer class (Wagtail's get_serializer_class makes a new class
# on every call, and DRF then builds its fields again).
_summary_classes = {}


def _summary(field, page):
    """The short representation Wagtail uses for ``parent`` and ``alias_of``."""
    serializer_class = _summary_classes.get(page.__class__)
    if serializer_class is None:
        serializer_class = _summary_classes[page.__class__] = get_serializer_class(
            page.__class__,
            ["id", "type", "detail_url", "html_url", "title"],
            meta_fields=["type", "detail_url", "html_url"],
            base=_SummarySerializer,
        )
    return serializer_class(context=field.context).to_representation(page)


class ScopedPageParentField(PageParentField):
    def get_attribute(self, instance):
        parent = instance.get_parent()
        view = self.context.get("view")
        scope = _scope(self)
        if parent is not None:
            # Shown or hidden, the parent's publishing changes this field (cached responses).
            scope.mark_depends_on(parent.pk)
        if parent is None or not scope.is_visible(parent):
            return None
        if view is not None and hasattr(view, "in_site") and not view.in_site(parent):
            return None
        scope.mark_shown(parent)
        return parent

    def to_representation(self, value):
        return _summary(self, value)


class ScopedPageAliasOfField(PageAliasOfField):
    def get_attribute(self, instance):
        if instance.alias_of_id is None:
            return None
        scope = _scope(self)
        scope.mark_depends_on(instance.alias_of_id)  # see ScopedPageParentField
        original = scope.page(instance.alias_of_id)
        if not scope.is_visible(original):
            return None
        scope.mark_shown(original)
        return original

    def to_representation(self, value):
        return _summary(self, value)


class PageTranslationsField(_ObjectField):
    """``meta.translations``: ``[{locale, id, title, url, detail_url, live}]`` — the page's
    other translations that the caller may see (so ``live`` is always true)."""

    def to_representation(self, page):
        request = self.context.get("request")
        router = self.context.get("router")

        def detail_url(other):
            if router is None:
                return None
            return get_object_detail_url(router, request, type(page), other.pk)

        return translation_items(_scope(self), page, detail_url)


class ReusedChildRelationField(ChildRelationField):
    """Wagtail's inline child objects field (a list of ``serializer_class`` representations),
    with one child serializer for all the pages a serializer shows: Wagtail's builds a new one
    per page, and DRF's ModelSerializer then works out its fields again (a third of a 20-speaker
    listing's time went to building the positions' fields 20 times)."""

    def to_representation(self, value):
        serializer = getattr(self, "_child_serializer", None)
        if serializer is None:
            serializer_class = _fields_built_once(self.serializer_class)
            serializer = self._child_serializer = serializer_class(context=self.context)
        return [serializer.to_representation(child_object) for child_object in value.all()]


# serializer class -> the same with FieldsBuiltOnce (the child serializer classes Wagtail makes
# for a page serializer class, kept with it).
_built_once_classes = weakref.WeakKeyDictionary()


def _fields_built_once(serializer_class):
    if issubclass(serializer_class, FieldsBuiltOnce):
        return serializer_class
    built_once = _built_once_classes.get(serializer_class)
    if built_once is None:
        built_once = _built_once_classes[serializer_class] = type(
            serializer_class.__name__, (FieldsBuiltOnce, serializer_class), {}
        )
    return built_once


class AlmaPageSerializer(FieldsBuiltOnce, PageSerializer):
    locale = ScopedPageLocaleField(read_only=True)
    html_url = ScopedPageHtmlUrlField(read_only=True)
    parent = ScopedPageParentField(read_only=True)
    alias_of = ScopedPageAliasOfField(read_only=True)
    translations = PageTranslationsField()

    def build_relational_field(self, field_name, relation_info):
        field_class, kwargs = super().build_relational_field(field_name, relation_info)
        if field_class is ChildRelationField:
            field_class = ReusedChildRelationField
        return field_class, kwargs

    def to_representation(self, instance):
        scope = get_scope(self.context.get("request"))
        scope.mark_shown(instance)
        language = scope.language_of(instance)
        if language is None:
            return super().to_representation(instance)
        with translation.override(language):
            return super().to_representation(instance)


class ScopedLocaleField(_ObjectField):
    """``meta.locale`` of a translatable snippet: its language code."""

    def to_representation(self, obj):
        return _scope(self).language_of(obj)


class OrganizationSerializer(BaseSerializer):
    locale = ScopedLocaleField()


class PrefetchedTagsField(TagsField):
    """Tags from ``prefetch_related("tags")`` (Wagtail's field queries once per object)."""

    def to_representation(self, value):
        return sorted(tag.name for tag in value.all())


class ImageDownloadUrlField(_ObjectField):
    """An image's ``download_url``: its original file's URL made absolute by the rule of
    ``alma_cms.scope.absolute_urls`` (Wagtail's is the storage's path, so its ``detail_url``
    and ``download_url`` had two addresses)."""

    def to_representation(self, image):
        return _scope(self).server_url(image.file.url)


class AlmaImageSerializer(ImageSerializer):
    tags = PrefetchedTagsField(read_only=True)
    download_url = ImageDownloadUrlField()


class AlmaDocumentSerializer(DocumentSerializer):
    tags = PrefetchedTagsField(read_only=True)
