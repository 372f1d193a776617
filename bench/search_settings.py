"""Django settings for the search benchmark's subprocesses (``python bench/search.py``).

bench/settings.py (the sandbox's settings, the database from ``DATABASE_URL``, DEBUG off) with
the search backend under test, set by bench/search.py through the environment:

- ``ALMA_BENCH_SEARCH_BACKEND``: dotted path of the backend (default: the database backend);
- ``ALMA_BENCH_SEARCH_URL``: the OpenSearch server's URL, for the OpenSearch backends;
- ``ALMA_BENCH_INDEX_PREFIX``: ``INDEX_PREFIX`` (stock and alma indexes don't share names);
- ``ALMA_BENCH_AUTO_UPDATE``: "0" switches indexing on save off (``AUTO_UPDATE``);
- ``ALMA_BENCH_TASKS``: "stock" (Wagtail's default task backend) or "site" (the sandbox's).

Celery is not eager here (the sandbox's is), so a publish only enqueues what it would enqueue on
a real site; the broker is ``ALMA_BENCH_CELERY_BROKER_URL`` (default ``memory://``: no worker
runs).
"""

import os

from bench.settings import *  # noqa: F403

_backend = os.environ.get("ALMA_BENCH_SEARCH_BACKEND", "modelsearch.backends.database")
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": _backend,
        "AUTO_UPDATE": os.environ.get("ALMA_BENCH_AUTO_UPDATE", "1") != "0",
    }
}
if os.environ.get("ALMA_BENCH_SEARCH_URL"):
    WAGTAILSEARCH_BACKENDS["default"].update(
        URLS=[os.environ["ALMA_BENCH_SEARCH_URL"]],
        INDEX_PREFIX=os.environ.get("ALMA_BENCH_INDEX_PREFIX", "bench_"),
        # modelsearch's default is 10 s: a 1,000-document _bulk on a busy machine takes longer.
        TIMEOUT=60,
    )

# "stock": Wagtail's default task backend (django-tasks' immediate backend: a publish runs its
# index tasks in-process); "site": the sandbox's TASKS (alma-cms's Celery backend, when set).
if os.environ.get("ALMA_BENCH_TASKS", "stock") == "stock":
    globals().pop("TASKS", None)

# Not CELERY_BROKER_URL: a worker of the test suite on the same Redis must never receive the
# bench's tasks (they name rows of the bench's database).
CELERY_BROKER_URL = os.environ.get("ALMA_BENCH_CELERY_BROKER_URL") or "memory://"
CELERY_TASK_ALWAYS_EAGER = False
