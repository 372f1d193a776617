"""Which analyzer analyses which language: ``ALMA_CMS["SEARCH_LANGUAGES"]``.

The setting maps a language code (``"ru"``, ``"pt-br"``) to an analyzer name (``"russian"``).
The same name picks a PostgreSQL text search configuration (``postgres_config``) and an
OpenSearch/Elasticsearch language analyzer (``opensearch_analyzer``); where one side does not
ship the name, that side falls back (``"simple"`` / ``"standard"``). The user's dict is merged
over ``DEFAULT_SEARCH_LANGUAGES``: name only the languages you change (map a language to
``"simple"`` to switch its stemming off).

Functions take no database queries except ``language_of`` on an object whose ``locale`` is not
loaded yet (one query; ``languages_of`` does a whole list in one).
"""

from django.conf import settings
from wagtail.models import Locale

from ..conf import alma_settings

#: Text search configurations PostgreSQL ships (``\\dF`` / ``SELECT cfgname FROM
#: pg_catalog.pg_ts_config`` on a fresh PostgreSQL 16 or 17; the same 29 since PostgreSQL 13).
POSTGRES_CONFIGS = frozenset(
    {
        "arabic",
        "armenian",
        "basque",
        "catalan",
        "danish",
        "dutch",
        "english",
        "finnish",
        "french",
        "german",
        "greek",
        "hindi",
        "hungarian",
        "indonesian",
        "irish",
        "italian",
        "lithuanian",
        "nepali",
        "norwegian",
        "portuguese",
        "romanian",
        "russian",
        "serbian",
        "simple",
        "spanish",
        "swedish",
        "tamil",
        "turkish",
        "yiddish",
    }
)

#: Language analyzers OpenSearch (docs.opensearch.org, "Language analyzers", 2.x/3.x) and
#: Elasticsearch 8/9 ("Language analyzers" reference; adds ``cjk`` and ``serbian``) ship, plus
#: the built-in ``standard`` analyzer used as their fallback.
OPENSEARCH_ANALYZERS = frozenset(
    {
        "arabic",
        "armenian",
        "basque",
        "bengali",
        "brazilian",
        "bulgarian",
        "catalan",
        "cjk",
        "czech",
        "danish",
        "dutch",
        "english",
        "estonian",
        "finnish",
        "french",
        "galician",
        "german",
        "greek",
        "hindi",
        "hungarian",
        "indonesian",
        "irish",
        "italian",
        "latvian",
        "lithuanian",
        "norwegian",
        "persian",
        "portuguese",
        "romanian",
        "russian",
        "serbian",
        "sorani",
        "spanish",
        "standard",
        "swedish",
        "thai",
        "turkish",
    }
)

#: Every name the setting may use.
KNOWN_ANALYZERS = POSTGRES_CONFIGS | OPENSEARCH_ANALYZERS

#: Default mapping: every language either side ships, by its ISO 639-1 code (``ckb`` for
#: Sorani, ``pt-br`` for Brazilian Portuguese). Codes are lower case, as Django writes them.
DEFAULT_SEARCH_LANGUAGES = {
    "ar": "arabic",
    "bg": "bulgarian",
    "bn": "bengali",
    "ca": "catalan",
    "ckb": "sorani",
    "cs": "czech",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "et": "estonian",
    "eu": "basque",
    "fa": "persian",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "gl": "galician",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "ja": "cjk",
    "ko": "cjk",
    "lt": "lithuanian",
    "lv": "latvian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "nn": "norwegian",
    "no": "norwegian",
    "pt": "portuguese",
    "pt-br": "brazilian",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "th": "thai",
    "tr": "turkish",
    "yi": "yiddish",
    "zh": "cjk",
}

#: The analyzer of a language the mapping does not name: no stemming, no stop words.
FALLBACK = "simple"


def search_languages():
    """The effective mapping: ``DEFAULT_SEARCH_LANGUAGES`` updated with the user's dict
    (keys lower-cased). A value that is not a dict is ignored here (system check E020)."""
    mapping = dict(DEFAULT_SEARCH_LANGUAGES)
    user = alma_settings.SEARCH_LANGUAGES
    if isinstance(user, dict):
        mapping.update({str(k).lower(): v for k, v in user.items() if isinstance(v, str)})
    return mapping


def analyzer_for(language_code):
    """Analyzer name for ``language_code`` (``"ru"`` -> ``"russian"``).

    The full code is looked up first (``"pt-br"``), then its primary subtag (``"en-gb"`` ->
    ``"en"``; ``_`` counts as ``-``). None, ``""`` or an unmapped language give ``"simple"``.
    """
    if not language_code:
        return FALLBACK
    code = str(language_code).lower().replace("_", "-")
    mapping = search_languages()
    if code in mapping:
        return mapping[code]
    return mapping.get(code.split("-", 1)[0], FALLBACK)


def language_of(obj):
    """Language code of ``obj``: its ``locale``'s language code when it has a ``locale``
    (Wagtail's TranslatableMixin), else ``settings.LANGUAGE_CODE``."""
    # A missing relation raises RelatedObjectDoesNotExist, an AttributeError: getattr's default.
    code = getattr(getattr(obj, "locale", None), "language_code", None)
    return code or settings.LANGUAGE_CODE


def languages_of(objs):
    """``[language_of(obj) for obj in objs]`` with one query for all the locales not loaded."""
    objs = list(objs)
    ids = {
        obj.locale_id
        for obj in objs
        if getattr(obj, "locale_id", None) is not None and "locale" not in obj._state.fields_cache
    }
    codes = {}
    if ids:
        codes = dict(Locale.objects.filter(pk__in=ids).values_list("pk", "language_code"))
    result = []
    for obj in objs:
        locale_id = getattr(obj, "locale_id", None)
        if locale_id in codes:
            result.append(codes[locale_id])
        else:
            result.append(language_of(obj))
    return result


def opensearch_analyzer(name):
    """``name`` if OpenSearch/Elasticsearch ship an analyzer of that name, else ``"standard"``
    (so ``"simple"``, ``"nepali"`` -> ``"standard"``: OpenSearch's ``simple`` analyzer would
    drop digits)."""
    return name if name in OPENSEARCH_ANALYZERS else "standard"


def postgres_config(name):
    """``name`` if PostgreSQL ships a text search configuration of that name, else
    ``"simple"`` (``"bengali"``, ``"cjk"`` -> ``"simple"``)."""
    return name if name in POSTGRES_CONFIGS else FALLBACK
