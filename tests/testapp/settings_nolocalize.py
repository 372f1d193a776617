"""The test settings without wagtail-localize (Wagtail's own locales app instead), for the
alma_cms.E001 system check, run in a subprocess."""

from .settings import *  # noqa: F403

INSTALLED_APPS = [  # noqa: F405
    "wagtail.locales" if app == "wagtail_localize.locales" else app
    for app in INSTALLED_APPS  # noqa: F405
    if app != "wagtail_localize"
]
