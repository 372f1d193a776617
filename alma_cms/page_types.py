"""The one list of alma-cms page types: :func:`alma_page_models`.

A page type is alma-cms's when its class declares ``is_alma_page = True``, as
``alma_cms.pages.mixins.AlmaPageMixin`` does for every page mixin: the concrete pages of
``alma_cms.pages`` and the pages a site builds from the mixins on its own base page (see
docs/custom-base-page.md) are all listed. Checks, JSON-LD, the API schemas and OpenAPI, and the
tests read the list from here instead of naming the types.

This module imports only Django and Wagtail, so that any part of alma-cms may use it.
"""

from django.apps import apps
from wagtail.models import get_page_models

# The class attribute that marks an alma-cms page type (declared by ``AlmaPageMixin``).
MARKER = "is_alma_page"


def is_alma_page_model(model):
    """True if ``model`` (a class) is an alma-cms page type: it declares the marker."""
    return bool(getattr(model, MARKER, False))


def alma_page_models():
    """Every installed, concrete (non-abstract) alma-cms page model, in a stable order: that of
    ``apps.get_models()`` (``INSTALLED_APPS``, then the order the models are defined in).

    Only meaningful once the models are loaded (in a check, a view, a test)."""
    page_models = {model for model in get_page_models() if is_alma_page_model(model)}
    return [
        model for model in apps.get_models() if model in page_models and not model._meta.abstract
    ]


def alma_page_type_names():
    """The class names of :func:`alma_page_models` (what ``ALMA_CMS["DISABLED_PAGE_TYPES"]``
    lists), without repeats."""
    return list(dict.fromkeys(model.__name__ for model in alma_page_models()))


__all__ = ["MARKER", "alma_page_models", "alma_page_type_names", "is_alma_page_model"]
