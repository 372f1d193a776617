"""alma-cms: a headless Wagtail CMS for professional forum series."""

__version__ = "0.1.0"
