"""The test settings without "ninja" in INSTALLED_APPS (django-ninja still installed), for the
alma_cms.W004 system check and the CDN-loaded Swagger UI, run in a subprocess."""

from .settings import *  # noqa: F403

INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "ninja"]  # noqa: F405
