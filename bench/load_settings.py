"""Django settings of the load benchmark (``python bench/load.py``): the site gunicorn serves.

bench/settings.py (the sandbox's settings, the bench database, ``bench.plainapp``, DEBUG off)
with, from environment variables that bench/load.py sets for the server it starts:

- ``ALMA_BENCH_MEDIA_ROOT``: one media directory for the process that builds the site and the
  server's workers (bench/settings.py gives each process a throwaway one of its own);
- the sandbox's search backend (alma-cms's database backend on Wagtail 8), so that
  ``?search=`` has an index to query; ``AUTO_UPDATE`` stays off (nothing is written under load,
  and bench/load.py runs ``update_index`` once after building the site);
- ``ALMA_BENCH_CACHE_URL``: ``redis://…`` makes Django's default cache a shared Redis (as in
  production); unset, each worker has its own local-memory cache;
- ``ALMA_BENCH_API_CACHE``: ``1``/``0`` turns the package's representation cache
  (``ALMA_CMS["API_REPRESENTATION_CACHE"]["ENABLED"]``) on or off, when the package has that
  setting; with a package that has none, the variable is ignored (``API_CACHE_SETTING`` says which).
"""

import os
from importlib.util import find_spec

from bench.settings import *  # noqa: F403

if os.environ.get("ALMA_BENCH_MEDIA_ROOT"):
    MEDIA_ROOT = os.environ["ALMA_BENCH_MEDIA_ROOT"]

WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "alma_cms.search.backends.database"
        if find_spec("modelsearch")
        else "wagtail.search.backends.database",
        "AUTO_UPDATE": False,
    }
}

if os.environ.get("ALMA_BENCH_CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["ALMA_BENCH_CACHE_URL"],
            "KEY_PREFIX": "alma-bench-load",
        }
    }


def _api_cache_default():
    """The package's default ``API_REPRESENTATION_CACHE`` (a dict), or ``None`` when it has no
    such setting (a package older than the representation cache)."""
    from alma_cms.conf import DEFAULTS

    return DEFAULTS.get("API_REPRESENTATION_CACHE")


API_CACHE_SETTING = _api_cache_default() is not None
ALMA_CMS = dict(ALMA_CMS)  # noqa: F405
if API_CACHE_SETTING and os.environ.get("ALMA_BENCH_API_CACHE") in {"0", "1"}:
    _default = _api_cache_default()
    ALMA_CMS["API_REPRESENTATION_CACHE"] = {
        **(_default if isinstance(_default, dict) else {}),
        "ENABLED": os.environ["ALMA_BENCH_API_CACHE"] == "1",
    }

# A 500 under load is worth its traceback: the server's log (bench/load.py shows its tail).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["stderr"], "level": "ERROR", "propagate": False}},
}
