"""System checks for alma-cms configuration (ids ``alma_cms.E…`` / ``alma_cms.W…``)."""

import math
import sys
import warnings
from importlib.metadata import PackageNotFoundError, version
from importlib.util import find_spec
from urllib.parse import urlsplit

import wagtail
from django.apps import apps
from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import connections
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse

from .conf import DEFAULTS, REMOVED, SETTINGS_NAME, TYPES, alma_settings
from .fields import ExtensibleStreamField
from .page_types import alma_page_type_names
from .search.languages import KNOWN_ANALYZERS


def __getattr__(name):
    # PAGE_TYPE_NAMES was a hand-written tuple; the list is now alma_page_models().
    if name == "PAGE_TYPE_NAMES":
        warnings.warn(
            "alma_cms.checks.PAGE_TYPE_NAMES is deprecated: use "
            "alma_cms.page_types.alma_page_type_names() (or alma_page_models()).",
            DeprecationWarning,
            stacklevel=2,
        )
        return tuple(alma_page_type_names())
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@register(Tags.compatibility)
def check_installed_apps(app_configs=None, **kwargs):
    errors = []
    if not apps.is_installed("wagtail_localize"):
        errors.append(
            Error(
                "wagtail-localize is not in INSTALLED_APPS.",
                hint='Add "wagtail_localize" and "wagtail_localize.locales" to INSTALLED_APPS.',
                id="alma_cms.E001",
            )
        )
    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        errors.append(
            Warning(
                "WAGTAIL_I18N_ENABLED is not True, so pages cannot be translated.",
                hint="Set WAGTAIL_I18N_ENABLED = True and list WAGTAIL_CONTENT_LANGUAGES.",
                id="alma_cms.W001",
            )
        )
    if not apps.is_installed("django_countries"):
        errors.append(
            Warning(
                "django_countries is not in INSTALLED_APPS, so country names are not translated.",
                hint='Add "django_countries" to INSTALLED_APPS: its catalogues translate the '
                "country names of organizations, in the admin and in the API.",
                id="alma_cms.W003",
            )
        )
    return errors


@register()
def check_alma_settings(app_configs=None, **kwargs):
    user = getattr(settings, SETTINGS_NAME, {})
    if not isinstance(user, dict):
        return [
            Error(f"{SETTINGS_NAME} must be a dict, not {type(user).__name__}.", id="alma_cms.E002")
        ]
    errors = []
    type_errors = []
    for key in sorted(set(user) & set(REMOVED)):
        errors.append(
            Warning(
                f"{SETTINGS_NAME}[{key!r}] was removed and is ignored.",
                hint=REMOVED[key],
                id="alma_cms.W005",
            )
        )
    for key in sorted(set(user) - set(DEFAULTS) - set(REMOVED)):
        errors.append(
            Warning(
                f"{SETTINGS_NAME}[{key!r}] is not a known setting and is ignored.",
                hint=f"Known settings: {', '.join(sorted(DEFAULTS))}.",
                id="alma_cms.W002",
            )
        )
    for key, value in user.items():
        expected = TYPES.get(key)
        if not expected:
            continue
        kinds = expected if isinstance(expected, tuple) else (expected,)
        # True and False are ints to Python, never a number of anything to a setting.
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            names = " or ".join(t.__name__ for t in kinds)
            type_errors.append(
                Error(
                    f"{SETTINGS_NAME}[{key!r}] must be of type {names}, "
                    f"not {type(value).__name__}.",
                    id="alma_cms.E003",
                )
            )
    # The value checks below assume the right types.
    if type_errors:
        return errors + type_errors
    page_type_names = alma_page_type_names()
    for name in alma_settings.DISABLED_PAGE_TYPES:
        if name not in page_type_names:
            errors.append(
                Error(
                    f"{SETTINGS_NAME}['DISABLED_PAGE_TYPES'] names an unknown page type {name!r}.",
                    hint=f"Page types: {', '.join(page_type_names)}.",
                    id="alma_cms.E004",
                )
            )
    for key in ("SPEAKER_PAGE_MODEL", "QUOTATION_PAGE_MODEL", "FORUM_EDITION_PAGE_MODEL"):
        label = getattr(alma_settings, key)
        try:
            apps.get_model(label)
        except (LookupError, ValueError):
            errors.append(
                Error(
                    f"{SETTINGS_NAME}[{key!r}] = {label!r} is not an installed model.",
                    hint='Use "app_label.ModelName" of an installed page model.',
                    id="alma_cms.E005",
                )
            )
    return errors


@register()
def check_extra_blocks(app_configs=None, **kwargs):
    """Blocks added through the alma_cms_register_blocks hook must build cleanly."""
    errors = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, ExtensibleStreamField):
                try:
                    field.stream_block  # noqa: B018  (building it runs the hooks)
                except Exception as exc:  # any hook mistake is a check error, never a crash
                    errors.append(
                        Error(
                            f"{model._meta.label}.{field.name}: {exc}",
                            obj=model,
                            id="alma_cms.E006",
                        )
                    )
    return errors


@register()
def check_preview_frontend_url(app_configs=None, **kwargs):
    """PREVIEW_FRONTEND_URL, when set, is an http(s) URL with a "{token}" placeholder."""
    value = getattr(settings, SETTINGS_NAME, {})
    value = value.get("PREVIEW_FRONTEND_URL", "") if isinstance(value, dict) else ""
    if not value or not isinstance(value, str):  # unset, or a type error (E003)
        return []
    hint = (
        'Use an absolute http(s) URL of your front-end with "{token}" where the token goes, '
        'e.g. "https://www.example.org/api/preview?token={token}".'
    )
    problem = None
    if "{token}" not in value:
        problem = 'has no "{token}" placeholder'
    else:
        try:
            url = value.format(token="TOKEN")
        except (KeyError, IndexError, ValueError):
            problem = 'has braces other than "{token}" (write a literal brace as "{{" or "}}")'
        else:
            parsed = urlsplit(url)
            if parsed.scheme not in ("http", "https") or not parsed.netloc:
                problem = "is not an absolute http:// or https:// URL"
    if problem is None:
        return []
    return [
        Error(
            f"{SETTINGS_NAME}['PREVIEW_FRONTEND_URL'] = {value!r} {problem}.",
            hint=hint,
            id="alma_cms.E007",
        )
    ]


@register(Tags.urls)
def check_api_v3_docs_offline(app_configs=None, **kwargs):
    """API v3's docs page (Swagger UI) served from the site, not from a CDN.

    django-ninja renders ``/api/v3/docs/`` with its bundled Swagger UI (``ninja/static``) when
    ``"ninja"`` is in ``INSTALLED_APPS``, and otherwise with scripts and styles from
    cdn.jsdelivr.net (``ninja.openapi.docs.render_template``): without internet the page is
    blank. Warns only when Wagtail's API v3 docs are mounted (``wagtailapi_v3:openapi-view``
    reverses) and not switched off with ``WAGTAILAPI_DOCS_ENABLED = False``.
    """
    # django-ninja's own test (render_template): the app label in the settings.
    if find_spec("ninja") is None or "ninja" in settings.INSTALLED_APPS:
        return []
    if not getattr(settings, "WAGTAILAPI_DOCS_ENABLED", True):
        return []
    try:
        docs_url = reverse("wagtailapi_v3:openapi-view")
    except NoReverseMatch:  # API v3 not mounted (or its docs not)
        return []
    return [
        Warning(
            f"API v3's docs page ({docs_url}) loads Swagger UI from a CDN (cdn.jsdelivr.net): "
            f"it is blank without internet access.",
            hint='Add "ninja" to INSTALLED_APPS: django-ninja then serves Swagger UI from its '
            "own static files.",
            id="alma_cms.W004",
        )
    ]


@register(Tags.compatibility, Tags.urls)
def check_api_v3_available(app_configs=None, **kwargs):
    """``alma_cms.api.v3`` mounted by the URLconf, or listed in ``INSTALLED_APPS``, where it
    cannot run: on Wagtail 7 its ``api.urls`` mounts nothing, and this error says why instead of
    a traceback."""
    resolver = None
    if getattr(settings, "ROOT_URLCONF", None):
        try:
            resolver = get_resolver()
            resolver.url_patterns  # noqa: B018  (loading the URLconf imports what it mounts)
        except Exception:  # a broken URLconf: Django's own URL check (urls.E…) reports it
            resolver = None
    # Read, never imported here: importing it is what this check looks for.
    v3 = sys.modules.get("alma_cms.api.v3")
    reason = getattr(v3, "UNAVAILABLE", None)
    if not reason:
        return []
    used = apps.is_installed("alma_cms.api.v3") or (
        resolver is not None and _mounts_namespace(resolver, v3.UNAVAILABLE_NAMESPACE)
    )
    if not used:
        return []
    return [
        Error(
            reason,
            hint=(
                "Mount API v3 only on Wagtail 8: guard `from alma_cms.api.v3 import api` and its "
                'path("api/v3/", ...) with `if wagtail.VERSION >= (8,):` as docs/examples/urls.py '
                'does, and list "alma_cms.api.v3", "wagtail.api.v3" and "ninja" in INSTALLED_APPS '
                "only on Wagtail 8. API v2 serves the same content."
            ),
            id="alma_cms.E008",
        )
    ]


def _mounts_namespace(resolver, namespace):
    """Whether ``resolver`` includes, at any depth, a resolver with ``namespace``."""
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver) and (
            pattern.namespace == namespace or _mounts_namespace(pattern, namespace)
        ):
            return True
    return False


# --- Search backends (docs/search.md, "OpenSearch and Elasticsearch") ---------------------------

ALMA_BACKENDS_PACKAGE = "alma_cms.search.backends"
#: alma's external backends: module name -> (client package, client's import name, major).
ALMA_EXTERNAL_BACKENDS = {
    "opensearch2": ("opensearch-py", "opensearchpy", None),
    "opensearch3": ("opensearch-py", "opensearchpy", None),
    "elasticsearch8": ("elasticsearch", "elasticsearch", 8),
    "elasticsearch9": ("elasticsearch", "elasticsearch", 9),
}
_STOCK_EXTERNAL_PREFIXES = tuple(
    f"{package}.{name}"
    for package in ("modelsearch.backends", "wagtail.search.backends")
    for name in ("opensearch2", "opensearch3", "elasticsearch7", "elasticsearch8", "elasticsearch9")
)


def _client_major(distribution):
    try:
        return int(version(distribution).split(".")[0])
    except (PackageNotFoundError, ValueError):
        return None


@register(Tags.compatibility)
def check_search_backends(app_configs=None, **kwargs):
    """``WAGTAILSEARCH_BACKENDS`` entries naming alma's backends can load (Wagtail 8 with
    django-modelsearch, the client library installed, an existing module), and entries naming
    OpenSearch/Elasticsearch do what they seem to (no ignored ``INDEX`` option; a hint towards
    per-language analysis)."""
    backends = getattr(settings, "WAGTAILSEARCH_BACKENDS", None) or {}
    if not isinstance(backends, dict):
        return []
    errors = []
    for name, entry in backends.items():
        if not isinstance(entry, dict):
            continue
        path = str(entry.get("BACKEND", ""))
        where = f'WAGTAILSEARCH_BACKENDS["{name}"]'
        external = path.startswith(_STOCK_EXTERNAL_PREFIXES) or (
            path.startswith(ALMA_BACKENDS_PACKAGE + ".")
            and path[len(ALMA_BACKENDS_PACKAGE) + 1 :].split(".")[0] in ALMA_EXTERNAL_BACKENDS
        )
        if external and "INDEX" in entry and "INDEX_PREFIX" not in entry:
            errors.append(
                Warning(
                    f"{where} sets INDEX, which the OpenSearch/Elasticsearch backends ignore.",
                    hint='The option is INDEX_PREFIX (e.g. "INDEX_PREFIX": "mysite_"): it is '
                    "put before each index name (one index per root model).",
                    id="alma_cms.W031",
                )
            )
        if path.startswith(_STOCK_EXTERNAL_PREFIXES):
            module = path.split(".")[2 if path.startswith("modelsearch") else 3]
            alma_path = f"{ALMA_BACKENDS_PACKAGE}.{module}"
            errors.append(
                Warning(
                    f"{where} uses {path}, which analyses every language alike: inflected "
                    "queries miss pages (\u201clibraries\u201d does not find \u201clibrary\u201d).",
                    hint=(
                        f'Use "{alma_path}" (Wagtail 8) for per-language analysis, then rebuild '
                        "the index (docs/search.md)."
                        if module in ALMA_EXTERNAL_BACKENDS
                        else "alma's backends cover OpenSearch 2/3 and Elasticsearch 8/9."
                    ),
                    id="alma_cms.W032",
                )
            )
        if not path.startswith(ALMA_BACKENDS_PACKAGE + "."):
            continue
        module = path[len(ALMA_BACKENDS_PACKAGE) + 1 :].split(".")[0]
        if find_spec("modelsearch") is None:
            errors.append(
                Error(
                    f"{where} uses {path}, which needs Wagtail 8 (django-modelsearch); this "
                    "Wagtail has none.",
                    hint="Upgrade to Wagtail 8, or use one of wagtail.search.backends' own "
                    "backends on Wagtail 7.",
                    id="alma_cms.E030",
                )
            )
            continue
        if module not in ALMA_EXTERNAL_BACKENDS:
            if find_spec(f"{ALMA_BACKENDS_PACKAGE}.{module}") is None:
                errors.append(
                    Error(
                        f"{where} names {path}: alma-cms has no such search backend.",
                        hint="One of: "
                        + ", ".join(
                            f"{ALMA_BACKENDS_PACKAGE}.{m}"
                            for m in ["database", *ALMA_EXTERNAL_BACKENDS]
                        )
                        + ".",
                        id="alma_cms.E031",
                    )
                )
            continue
        distribution, import_name, major = ALMA_EXTERNAL_BACKENDS[module]
        if find_spec(import_name) is None:
            errors.append(
                Error(
                    f"{where} uses {path}, but the {distribution} client is not installed.",
                    hint=f"pip install {distribution}"
                    + (f">={major},<{major + 1}" if major else ""),
                    id="alma_cms.E032",
                )
            )
        elif major is not None and (installed := _client_major(distribution)) != major:
            errors.append(
                Warning(
                    f"{where} uses {path}, but {distribution} {installed} is installed: "
                    f"Elasticsearch {major} may reject its requests.",
                    hint=f"pip install '{distribution}>={major},<{major + 1}', or use "
                    f"{ALMA_BACKENDS_PACKAGE}.elasticsearch{installed}.",
                    id="alma_cms.W030",
                )
            )
    return errors


# --- Search (issue #8): alma_cms.search.languages and the database backend -------------------

ALMA_BACKENDS_PREFIX = "alma_cms.search.backends."
ALMA_DATABASE_BACKEND = "alma_cms.search.backends.database"
STOCK_DATABASE_BACKENDS = ("wagtail.search.backends.database", "modelsearch.backends.database")


@register()
def check_search_languages(app_configs=None, **kwargs):
    """E020: a SEARCH_LANGUAGES key or value that is not a non-empty string; E021: a name
    neither PostgreSQL nor OpenSearch/Elasticsearch ships (alma_cms.search.languages)."""
    value = getattr(settings, SETTINGS_NAME, {})
    value = value.get("SEARCH_LANGUAGES") if isinstance(value, dict) else None
    if not isinstance(value, dict):
        return []  # absent, or not a dict: alma_cms.E003
    errors = []
    for code, name in value.items():
        if not (isinstance(code, str) and code and isinstance(name, str) and name):
            errors.append(
                Error(
                    f"{SETTINGS_NAME}['SEARCH_LANGUAGES'] maps {code!r} to {name!r}: keys "
                    "(language codes) and values (analyzer names) must be non-empty strings.",
                    hint='For example {"ru": "russian", "en": "english"}.',
                    id="alma_cms.E020",
                )
            )
        elif name not in KNOWN_ANALYZERS:
            errors.append(
                Error(
                    f"{SETTINGS_NAME}['SEARCH_LANGUAGES'] maps {code!r} to {name!r}, which is "
                    "neither a PostgreSQL text search configuration nor an OpenSearch/"
                    "Elasticsearch language analyzer.",
                    hint=f"Known names: {', '.join(sorted(KNOWN_ANALYZERS))}.",
                    id="alma_cms.E021",
                )
            )
    return errors


def _blank_queue(user, key, hint, check_id):
    """[Error] when ``ALMA_CMS[key]``, a Celery queue name, is a blank string (None, Celery's
    default queue, is fine; another type is E003's)."""
    queue = user.get(key)
    if isinstance(queue, str) and not queue.strip():
        return [Error(f"{SETTINGS_NAME}[{key!r}] is an empty string.", hint=hint, id=check_id)]
    return []


# A drain batch is one `_bulk` request per index and one SQL LIMIT: far beyond this, requests
# exceed search servers' default 100 MB body limit (and LIMIT a bigint).
MAX_OUTBOX_BATCH_SIZE = 100_000


@register()
def check_search_outbox_settings(app_configs=None, **kwargs):
    """The outbox settings (docs/settings.md): a batch size from 1 to ``MAX_OUTBOX_BATCH_SIZE``,
    a finite positive beat interval, a queue name that is None or not empty."""
    user = getattr(settings, SETTINGS_NAME, {})
    if not isinstance(user, dict):
        return []
    errors = []
    size = user.get("SEARCH_OUTBOX_BATCH_SIZE", 500)
    if isinstance(size, int) and not (1 <= size <= MAX_OUTBOX_BATCH_SIZE):
        errors.append(
            Error(
                f"{SETTINGS_NAME}['SEARCH_OUTBOX_BATCH_SIZE'] = {size!r} must be from 1 to "
                f"{MAX_OUTBOX_BATCH_SIZE:,}.",
                hint="The number of outbox rows per drain batch (one _bulk request per index).",
                id="alma_cms.E040",
            )
        )
    interval = user.get("SEARCH_OUTBOX_BEAT_INTERVAL", 60)
    if isinstance(interval, (int, float)) and not (0 < interval < math.inf):  # NaN fails too
        errors.append(
            Error(
                f"{SETTINGS_NAME}['SEARCH_OUTBOX_BEAT_INTERVAL'] = {interval!r} must be a "
                "positive number of seconds.",
                hint="Seconds between the beat entry's drains, e.g. 60.",
                id="alma_cms.E041",
            )
        )
    errors += _blank_queue(
        user,
        "SEARCH_OUTBOX_QUEUE",
        "Use None for Celery's default queue, or a queue name your worker consumes.",
        "alma_cms.E042",
    )
    return errors


# The values of the translation sync settings (docs/settings.md, docs/translation.md).
TRANSLATION_SYNC_ON_PUBLISH_VALUES = ("publish-complete", "draft", "publish", "off")
TRANSLATION_CHANGED_STRINGS_VALUES = ("keep", "fallback")


@register()
def check_translation_sync_settings(app_configs=None, **kwargs):
    """E050: TRANSLATION_SYNC_ON_PUBLISH, E051: TRANSLATION_CHANGED_STRINGS is a string that is
    not one of its values (a wrong type is E003)."""
    user = getattr(settings, SETTINGS_NAME, {})
    if not isinstance(user, dict):
        return []
    errors = []
    for key, values, check_id in (
        ("TRANSLATION_SYNC_ON_PUBLISH", TRANSLATION_SYNC_ON_PUBLISH_VALUES, "alma_cms.E050"),
        ("TRANSLATION_CHANGED_STRINGS", TRANSLATION_CHANGED_STRINGS_VALUES, "alma_cms.E051"),
    ):
        value = user.get(key)
        if isinstance(value, str) and value not in values:
            errors.append(
                Error(
                    f"{SETTINGS_NAME}[{key!r}] = {value!r} is not one of "
                    f"{', '.join(repr(v) for v in values)}.",
                    hint="See the Translation page of the docs (docs/translation.md).",
                    id=check_id,
                )
            )
    return errors


@register(Tags.compatibility)
def check_database_search_backends(app_configs=None, **kwargs):
    """W020: an alma database backend given SEARCH_CONFIG (ignored); W021: stock and alma
    database backends writing the same IndexEntry table."""
    backends = getattr(settings, "WAGTAILSEARCH_BACKENDS", {})
    if not isinstance(backends, dict):
        return []
    errors = []
    paths = {alias: str(conf.get("BACKEND", "")) for alias, conf in backends.items()}
    alma = sorted(alias for alias, path in paths.items() if path.startswith(ALMA_BACKENDS_PREFIX))
    # Without modelsearch (Wagtail 7.4) alma_cms.E030 (check_search_backends) says so.
    alma_database = [a for a in alma if paths[a] == ALMA_DATABASE_BACKEND]
    for alias in alma_database:
        if backends[alias].get("SEARCH_CONFIG"):
            errors.append(
                Warning(
                    f"WAGTAILSEARCH_BACKENDS[{alias!r}]['SEARCH_CONFIG'] is ignored: "
                    f"{ALMA_DATABASE_BACKEND} analyses each object in its own language.",
                    hint=f"Remove SEARCH_CONFIG; map languages in {SETTINGS_NAME}"
                    "['SEARCH_LANGUAGES'].",
                    id="alma_cms.W020",
                )
            )
    stock = sorted(a for a, path in paths.items() if path in STOCK_DATABASE_BACKENDS)
    if alma_database and stock:
        errors.append(
            Warning(
                f"WAGTAILSEARCH_BACKENDS {', '.join(stock)} (Wagtail's database backend) and "
                f"{', '.join(alma_database)} ({ALMA_DATABASE_BACKEND}) share one index table: "
                "whichever writes last decides how a row is analysed.",
                hint=f"Use {ALMA_DATABASE_BACKEND} for every database backend.",
                id="alma_cms.W021",
            )
        )
    return errors


# Caches whose entries one process cannot see from another: a lock kept there locks nothing.
PROCESS_LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


def _database_vendor():
    """The default database's vendor ("postgresql", "sqlite", ...), where the locks live."""
    return connections["default"].vendor


@register()
def check_search_outbox_worker(app_configs=None, **kwargs):
    """W040: an external search backend whose changes alma records needs Celery to drain
    them. W041: off PostgreSQL, the rebuild and drain locks live in the default cache, which
    must be shared by every process (not local memory, not the dummy cache)."""
    if not (isinstance(getattr(settings, "WAGTAILSEARCH_BACKENDS", None), dict)):
        return []
    # Here: the search package reads modelsearch's configuration, loaded with the apps.
    from .search.outbox import owned_backends

    names = owned_backends()
    if not names:
        return []
    errors = []
    cache_backend = str(getattr(settings, "CACHES", {}).get("default", {}).get("BACKEND", ""))
    if _database_vendor() != "postgresql" and cache_backend in PROCESS_LOCAL_CACHES:
        errors.append(
            Warning(
                f"Search backend(s) {', '.join(names)} are rebuilt and drained under a lock "
                f"kept in the default cache ({cache_backend.rsplit('.', 1)[-1]}) on this "
                "database, and that cache is not shared between processes: two "
                "alma_search_rebuild runs, or a rebuild and a drain, can overlap.",
                hint="Use PostgreSQL (advisory locks), or a shared cache such as Redis "
                "(django.core.cache.backends.redis.RedisCache) as CACHES['default'].",
                id="alma_cms.W041",
            )
        )
    if find_spec("celery") is not None:
        return errors
    return errors + [
        Warning(
            f"Search backend(s) {', '.join(names)} are kept up to date through alma's outbox, "
            "but Celery is not installed: the recorded changes are never sent.",
            hint='Install the "celery" extra (pip install "alma-cms[celery]") and run a '
            "worker, or set AUTO_UPDATE = False on the backend.",
            id="alma_cms.W040",
        )
    ]


TASKS_BACKEND = "alma_cms.tasks.backends.CeleryBackend"
# Wagtail 8's default TASKS backend: runs each task inside the request, before the commit.
IMMEDIATE_BACKENDS = {
    "django_tasks.backends.immediate.ImmediateBackend",
    "django.tasks.backends.immediate.ImmediateBackend",
}
EXTERNAL_SEARCH_MODULES = ("elasticsearch", "opensearch")


def _tasks_settings():
    value = getattr(settings, "TASKS", None)
    return value if isinstance(value, dict) else {}


def _celery_installed():
    try:
        import celery  # noqa: F401
    except ImportError:
        return False
    return True


@register()
def check_tasks_backend(app_configs=None, **kwargs):
    """alma's django-tasks backend (``TASKS[...]["BACKEND"]`` = ``CeleryBackend``) can run, and
    its ``ALMA_CMS`` settings make sense; Wagtail 8 with an external search backend should use
    it (docs/search.md, "Wagtail's tasks on Celery")."""
    errors = []
    uses_alma = sorted(
        alias
        for alias, config in _tasks_settings().items()
        if isinstance(config, dict) and config.get("BACKEND") == TASKS_BACKEND
    )
    if uses_alma:
        missing = []
        if not _celery_installed():
            missing.append("Celery is not installed (pip install 'alma-cms[celery]')")
        try:
            import alma_cms.tasks.backends  # noqa: F401  (what TASKS will import)
        except ImportError as exc:
            missing.append(str(exc))
        for problem in missing:
            errors.append(
                Error(
                    f"TASKS[{uses_alma[0]!r}] uses {TASKS_BACKEND}, but {problem}.",
                    hint="Install what is missing, or use another TASKS backend.",
                    id="alma_cms.E010",
                )
            )
        if not missing and wagtail.VERSION < (8,):
            errors.append(
                Warning(
                    f"TASKS[{uses_alma[0]!r}] uses {TASKS_BACKEND}, but Wagtail "
                    f"{wagtail.__version__} runs its own work (search and reference index) "
                    "inline, not as tasks: only your own tasks go through it.",
                    hint="Upgrade to Wagtail 8 for its indexing to run on Celery after commit.",
                    id="alma_cms.W011",
                )
            )
    user = getattr(settings, SETTINGS_NAME, {})
    user = user if isinstance(user, dict) else {}
    hint = "Name a Celery queue, or None for Celery's default queue."
    errors += _blank_queue(user, "TASKS_QUEUE", hint, "alma_cms.E011")
    numbers = {
        key: user.get(key, DEFAULTS[key])
        for key in ("TASKS_MAX_RETRIES", "TASKS_RETRY_BACKOFF", "TASKS_RETRY_BACKOFF_MAX")
    }
    if all(isinstance(v, int) for v in numbers.values()):  # else E003 reports the type
        for key, value in numbers.items():
            if value < 0:
                errors.append(
                    Error(
                        f"{SETTINGS_NAME}[{key!r}] is {value}; it must be 0 or more.",
                        id="alma_cms.E012",
                    )
                )
        if numbers["TASKS_RETRY_BACKOFF_MAX"] < numbers["TASKS_RETRY_BACKOFF"]:
            errors.append(
                Error(
                    f"{SETTINGS_NAME}['TASKS_RETRY_BACKOFF_MAX'] "
                    f"({numbers['TASKS_RETRY_BACKOFF_MAX']}) is less than "
                    f"['TASKS_RETRY_BACKOFF'] ({numbers['TASKS_RETRY_BACKOFF']}).",
                    hint="The maximum wait between retries is at least the first wait.",
                    id="alma_cms.E012",
                )
            )
    if wagtail.VERSION >= (8,):
        default = _tasks_settings().get("default", {})
        backend = default.get("BACKEND") if isinstance(default, dict) else None
        search = getattr(settings, "WAGTAILSEARCH_BACKENDS", {}) or {}
        external = sorted(
            alias
            for alias, config in search.items()
            if isinstance(config, dict)
            and any(name in str(config.get("BACKEND", "")) for name in EXTERNAL_SEARCH_MODULES)
        )
        if external and (backend is None or backend in IMMEDIATE_BACKENDS):
            errors.append(
                Warning(
                    f"Search backend {external[0]!r} is a search server, and Wagtail's tasks "
                    f"run with {backend or 'the ImmediateBackend (default)'}: each save indexes "
                    "inside the request, before the commit (a rolled-back change is indexed, "
                    "an indexing error is swallowed).",
                    hint=f'Set TASKS = {{"default": {{"BACKEND": "{TASKS_BACKEND}"}}}} and run '
                    "a Celery worker (docs/search.md).",
                    id="alma_cms.W010",
                )
            )
    return errors


JOBS_BACKEND = "alma_cms.translation.jobs.CeleryJobBackend"


@register()
def check_translation_celery(app_configs=None, **kwargs):
    """Translation syncing on Celery (docs/translation.md, "Syncing on Celery"): the job
    backend can run (E055), its queue (E058) and ``TRANSLATION_SYNC_QUEUE`` (E057) are not
    blank, ``TRANSLATION_SYNC_DELAY`` is a finite number of seconds, 0 or more (E056)."""
    errors = []
    jobs = getattr(settings, "WAGTAILLOCALIZE_JOBS", None)
    if isinstance(jobs, dict) and jobs.get("BACKEND") == JOBS_BACKEND:
        if not _celery_installed():
            errors.append(
                Error(
                    f"WAGTAILLOCALIZE_JOBS uses {JOBS_BACKEND}, but Celery is not installed.",
                    hint="pip install 'alma-cms[celery]', or use "
                    "wagtail_localize.tasks.ImmediateBackend.",
                    id="alma_cms.E055",
                )
            )
        options = jobs.get("OPTIONS") or {}
        queue = options.get("QUEUE") if isinstance(options, dict) else None
        if isinstance(queue, str) and not queue.strip():
            errors.append(
                Error(
                    "WAGTAILLOCALIZE_JOBS['OPTIONS']['QUEUE'] is an empty string.",
                    hint="Leave QUEUE out (or None) for Celery's default queue, or name a "
                    "queue your worker consumes.",
                    id="alma_cms.E058",
                )
            )
    user = getattr(settings, SETTINGS_NAME, {})
    user = user if isinstance(user, dict) else {}
    delay = user.get("TRANSLATION_SYNC_DELAY", DEFAULTS["TRANSLATION_SYNC_DELAY"])
    if (
        isinstance(delay, (int, float))
        and not isinstance(delay, bool)
        and not (0 <= delay < math.inf)
    ):
        errors.append(
            Error(
                f"{SETTINGS_NAME}['TRANSLATION_SYNC_DELAY'] = {delay!r} must be a finite number "
                "of seconds, 0 or more.",
                hint="Seconds to wait after a publish before syncing (publishes within it make "
                "one sync), e.g. 10.",
                id="alma_cms.E056",
            )
        )
    errors += _blank_queue(
        user,
        "TRANSLATION_SYNC_QUEUE",
        "Use None for Celery's default queue, or a queue your worker consumes.",
        "alma_cms.E057",
    )
    on_publish = user.get("TRANSLATION_SYNC_ON_PUBLISH", DEFAULTS["TRANSLATION_SYNC_ON_PUBLISH"])
    cache_backend = str(getattr(settings, "CACHES", {}).get("default", {}).get("BACKEND", ""))
    if (
        on_publish != "off"
        and _celery_installed()
        and not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False)
        and cache_backend in PROCESS_LOCAL_CACHES
    ):
        errors.append(
            Warning(
                "Publishes within TRANSLATION_SYNC_DELAY are folded into one sync through a "
                f"token in the default cache ({cache_backend.rsplit('.', 1)[-1]}), which the "
                "Celery workers cannot see: every publish syncs.",
                hint="Use a cache shared by the web processes and the workers (Redis, "
                "Memcached or the database cache) as CACHES['default'].",
                id="alma_cms.W055",
            )
        )
    return errors


@register()
def check_import_settings(app_configs=None, **kwargs):
    """IMPORT_MAX_FILE_SIZE is a positive number of bytes (a type error is E003)."""
    user = getattr(settings, SETTINGS_NAME, {})
    if not isinstance(user, dict):
        return []
    size = user.get("IMPORT_MAX_FILE_SIZE", DEFAULTS["IMPORT_MAX_FILE_SIZE"])
    if isinstance(size, int) and not isinstance(size, bool) and size < 1:
        return [
            Error(
                f"{SETTINGS_NAME}['IMPORT_MAX_FILE_SIZE'] = {size!r} must be a positive number "
                "of bytes.",
                hint="The largest file alma_import reads, e.g. 10 * 1024 * 1024 (10 MB).",
                id="alma_cms.E060",
            )
        ]
    return []


REPRESENTATION_CACHE_TYPES = {"ENABLED": (bool,), "CACHE": (str,), "TIMEOUT": (int, type(None))}


# Keys local memory must hold for the representation cache: entries and one generation counter
# per page shown (Django's default MAX_ENTRIES, 300, is less than one edition listing's).
MIN_LOCAL_CACHE_ENTRIES = 10_000


@register()
def check_representation_cache(app_configs=None, **kwargs):
    """E070: API_REPRESENTATION_CACHE has an unknown key or a value of the wrong type (TIMEOUT:
    a positive number of seconds or None). E071: its CACHE names no alias of CACHES. W070: it
    is on with a cache that is local to one process (changes made in another process, such as
    a second server worker or a Celery worker publishing a translation, do not refresh it).
    W071: it is on in local memory that holds fewer than ``MIN_LOCAL_CACHE_ENTRIES`` keys."""
    user = getattr(settings, SETTINGS_NAME, {})
    value = user.get("API_REPRESENTATION_CACHE") if isinstance(user, dict) else None
    if not isinstance(value, dict):
        return []  # absent, or a wrong type (E003)
    name = f"{SETTINGS_NAME}['API_REPRESENTATION_CACHE']"
    errors = []
    for key in sorted(set(value) - set(REPRESENTATION_CACHE_TYPES)):
        errors.append(
            Error(
                f"{name} has an unknown key {key!r}.",
                hint=f"Keys: {', '.join(REPRESENTATION_CACHE_TYPES)} (docs/caching.md).",
                id="alma_cms.E070",
            )
        )
    for key, kinds in REPRESENTATION_CACHE_TYPES.items():
        if key not in value:
            continue
        item = value[key]
        wrong = not isinstance(item, kinds) or (isinstance(item, bool) and bool not in kinds)
        if key == "TIMEOUT" and not wrong and item is not None and item <= 0:
            wrong = True
        if wrong:
            expected = {
                "ENABLED": "True or False",
                "CACHE": "the alias of a cache in CACHES",
                "TIMEOUT": "a positive number of seconds, or None (no limit)",
            }[key]
            errors.append(
                Error(f"{name}[{key!r}] = {item!r} must be {expected}.", id="alma_cms.E070")
            )
    if errors:
        return errors
    caches = getattr(settings, "CACHES", {}) or {}
    alias = value.get("CACHE", "default")
    if alias not in caches:
        return [
            Error(
                f"{name}['CACHE'] = {alias!r} is not a cache in CACHES.",
                hint=f"Caches: {', '.join(sorted(caches)) or 'none'}.",
                id="alma_cms.E071",
            )
        ]
    backend = str(caches[alias].get("BACKEND", ""))
    found = []
    if value.get("ENABLED") and backend.endswith("LocMemCache"):
        options = caches[alias].get("OPTIONS") or {}
        max_entries = options.get("MAX_ENTRIES", 300)  # Django's default
        if isinstance(max_entries, int) and max_entries < MIN_LOCAL_CACHE_ENTRIES:
            found.append(
                Warning(
                    f"The representation cache is on in cache {alias!r}, local memory holding "
                    f"at most {max_entries} keys: an entry depends on one counter per page it "
                    "shows (an edition listing: ~350), each a key of its own, and local memory "
                    "culls a third of its keys once MAX_ENTRIES is passed, so listings are "
                    "evicted before they are read again.",
                    hint=f"Set CACHES[{alias!r}]['OPTIONS']['MAX_ENTRIES'] to at least "
                    f"{MIN_LOCAL_CACHE_ENTRIES} (docs/caching.md).",
                    id="alma_cms.W071",
                )
            )
    if value.get("ENABLED") and backend in PROCESS_LOCAL_CACHES:
        return found + [
            Warning(
                f"The representation cache is on in cache {alias!r} "
                f"({backend.rsplit('.', 1)[-1]}), which each process keeps for itself: a change "
                "made in another process (another server worker, a Celery worker) does not "
                "refresh what this one has stored.",
                hint="Use a cache every process shares, such as "
                "django.core.cache.backends.redis.RedisCache (fine for a one-process demo).",
                id="alma_cms.W070",
            )
        ]
    return found
