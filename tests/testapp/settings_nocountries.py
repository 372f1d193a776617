"""The test settings without django_countries in INSTALLED_APPS, for the alma_cms.W003 system
check, run in a subprocess."""

from .settings import *  # noqa: F403

INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "django_countries"]  # noqa: F405
