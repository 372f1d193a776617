"""The site's locales, read once per scope, and the caller's active one."""

from django.conf import settings
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant

from .site_structure import current as current_site_structure


class Locales:
    """Locale lookups without a query each: every Locale is read once per process (one query;
    read again when one changes, see ``site_structure``)."""

    def __init__(self):
        self._locales = None
        self._by_language = {}

    @property
    def locales(self):
        """Every Locale, by id (shared by the process's requests: read-only)."""
        if self._locales is None:
            self._locales = current_site_structure().locales
        return self._locales

    def locale_for_language(self, language_code):
        """The Locale of a language code (variants allowed: "en-gb" → "en"), or None."""
        if not language_code:
            return None
        try:
            code = get_supported_content_language_variant(language_code)
        except LookupError:
            return None
        for locale in self.locales.values():
            if locale.language_code == code:
                return locale
        return None

    def locale_for_path_prefix(self, component):
        """The Locale whose language code (one of ``LANGUAGES``, exactly) is the first
        component of a front-end path (``ru`` in ``/ru/alma/``), or None."""
        codes = {code.lower() for code, _name in getattr(settings, "LANGUAGES", [])}
        if component.lower() not in codes:
            return None
        return self.locale_for_language(component.lower())

    def active_locale_id(self):
        """The id of the Locale of the active language (else of ``LANGUAGE_CODE``), or None."""
        # Asked for every reference a response shows: the answer is kept per language.
        language = translation.get_language()
        try:
            return self._by_language[language]
        except KeyError:
            pass
        locale = self.locale_for_language(language)
        if locale is None:
            locale = self.locale_for_language(settings.LANGUAGE_CODE)
        locale_id = self._by_language[language] = locale.pk if locale is not None else None
        return locale_id

    def language_of(self, obj):
        """The language code of a translatable object's locale, or None."""
        locale = self.locales.get(getattr(obj, "locale_id", None))
        return locale.language_code if locale is not None else None

    def attach_locale(self, obj):
        """Cache ``obj.locale`` from the scope's locales (no query)."""
        locale = self.locales.get(getattr(obj, "locale_id", None))
        if locale is not None:
            obj.locale = locale
