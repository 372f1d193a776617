"""Which APIs and pages the benchmark compares.

The alma-cms API (``alma_cms.api.api_router``) is a pluggable entry: it is measured when the
package provides it, and reported as unavailable otherwise. Stock Wagtail API v2 over the alma
page types is always measured, so there is a baseline either way. The HTML pages of the same
pages (``html_page_urls``) are measured beside their API detail.
"""

from importlib import import_module


def alma_api_router():
    """``alma_cms.api.api_router``, or ``None`` while the package has no such module/attribute."""
    try:
        module = import_module("alma_cms.api")
    except ImportError:
        return None
    return getattr(module, "api_router", None)


def alma_api_status():
    try:
        module = import_module("alma_cms.api")
    except ImportError as exc:
        return f"not measured: alma_cms.api cannot be imported ({exc})"
    if getattr(module, "api_router", None) is None:
        return "not measured: alma_cms.api has no api_router yet"
    return "measured"


def html_page_urls(label, ids):
    """The front-end URLs (``/en/…/``, as Wagtail routes them) of the pages ``ids`` of the
    page model ``label``, in the order given."""
    from django.apps import apps  # here: bench/api.py sets Django up after importing this

    model = apps.get_model(label)
    pages = model.objects.in_bulk(ids)
    return [pages[pk].get_url() for pk in ids if pk in pages]
