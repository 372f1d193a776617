# --- alma-cms -------------------------------------------------------------------------------
# Appended to <project>/settings/base.py of a `wagtail start` project, as it is:
#   cat docs/examples/settings.py >> mysite/settings/base.py
# Every line below adds to or overrides what the template set above it.
import os

import wagtail
from django.utils.translation import gettext_lazy as _

INSTALLED_APPS = [
    "alma_cms",
    "alma_cms.pages",  # the concrete page types (leave out with your own base page model)
    "wagtail_localize",
    "wagtail_localize.locales",  # instead of "wagtail.locales"
    "django_countries",  # country names, translated
    "wagtail.api.v2",
    "rest_framework",
    *INSTALLED_APPS,
]
if wagtail.VERSION >= (8,):  # API v3 is Wagtail 8's; "ninja" serves its Swagger UI files
    INSTALLED_APPS += ["wagtail.api.v3", "ninja"]
# On PostgreSQL, add "django.contrib.postgres" too (Django 6 requires it for Wagtail's
# database search backend):
# INSTALLED_APPS.append("django.contrib.postgres")

# Django's LocaleMiddleware, except that API 404s stay JSON: right after sessions.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware") + 1,
    "alma_cms.middleware.LocaleMiddleware",
)

# The site's languages. Names through gettext_lazy, so the Russian admin says "Русский".
# After `migrate`, `manage.py alma_setup` creates a Wagtail locale for each.
WAGTAIL_I18N_ENABLED = True
LANGUAGE_CODE = "en"
LANGUAGES = WAGTAIL_CONTENT_LANGUAGES = [("en", _("English")), ("ru", _("Russian"))]

# The address the site is served at (scheme, host, port; no trailing slash): the base of the
# absolute URLs of images, documents and API URLs (WAGTAILAPI_BASE_URL) and of the links in
# the admin's notification emails (WAGTAILADMIN_BASE_URL). Pages take theirs from the default
# Site, which `manage.py alma_setup --base-url <the same address>` sets.
BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
WAGTAILADMIN_BASE_URL = WAGTAILAPI_BASE_URL = BASE_URL

ALMA_CMS = {
    # every key is optional; see docs/settings.md
}
