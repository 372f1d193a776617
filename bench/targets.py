"""Which APIs the benchmark compares.

The alma-cms API (``alma_cms.api.api_router``) is a pluggable entry: it is measured when the
package provides it, and reported as unavailable otherwise. Stock Wagtail API v2 over the alma
page types is always measured, so there is a baseline either way.
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
