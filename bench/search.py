"""Benchmark of search indexing and querying: rebuild, publish and query, side by side.

    python bench/search.py [--pages 10000] [--quick] [--output results.json]

From the repository root, with PostgreSQL running (``DATABASE_URL``, default
``postgres://postgres@127.0.0.1:5432/alma_bench_search``: the bench drops and creates this
database and drops it at the end) and osmem-server installed (started and stopped here). In
one run, for PostgreSQL's database backend and for OpenSearch (osmem):

1. full rebuild of N and then 2N pages (``--pages N``, default 10,000): alma-cms's
   ``alma_search_rebuild`` beside stock ``update_index``; pages/s, time(2N)/time(N) and the
   peak RSS of the rebuild (each one runs in its own process; its peak RSS is read with
   ``os.wait4``);
2. publish latency (``save_revision().publish()``) with indexing off, with stock indexing
   (immediate) and with alma-cms's indexing (the outbox, for OpenSearch) when present;
3. query latency in English and Russian (inflected queries) per backend.

alma-cms's parts are used when they exist (``alma_search_rebuild`` among the management
commands, ``alma_cms.search.backends.*``, ``alma_cms.search.query.search``,
``alma_cms.search.outbox``); a missing part shows as ``"skipped": "<reason>"``.

Output: one JSON document on stdout (progress on stderr); bench/README.md explains it.
"""

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, Python puts bench/ first on sys.path; the repository root is what we need
# (``bench.search_settings``, ``alma_cms``, ``sandbox``), and bench/ must not shadow anything.
if sys.path and Path(sys.path[0] or ".").resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/alma_bench_search"
QUERIES = {
    # A word and its inflected form, each found as such in the demo sentences, then a phrase
    # in a form the text doesn't use: stemming decides how many pages each finds.
    "en": ["library", "libraries", "association", "professional associations"],
    "ru": ["библиотека", "библиотеки", "ассоциация", "профессиональные ассоциации"],
}
RESULTS_PER_QUERY = 20
ALMA_REBUILD = "alma_search_rebuild"
STOCK_REBUILD = "update_index"


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, help="N: rebuilds of N and 2N pages (10,000)")
    parser.add_argument(
        "--quick", action="store_true", help="small run for CI: 500 pages, fewer samples"
    )
    parser.add_argument("--publishes", type=int, help="timed publishes per mode (200)")
    parser.add_argument("--query-repeats", type=int, help="timed runs of each query (20)")
    parser.add_argument(
        "--backends",
        default="postgres,osmem",
        help="comma-separated, from: postgres, osmem (default: both)",
    )
    parser.add_argument("--database-url", help=f"default: $DATABASE_URL or {DEFAULT_DATABASE_URL}")
    parser.add_argument("--output", help="also write the JSON results to this file")
    parser.add_argument(
        "--celery-broker",
        default="memory://",
        help="broker a publish sends alma-cms's Celery tasks to (default memory://, no worker)",
    )
    # Internal: one measurement in a subprocess (see Child).
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--child-arg", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.pages is not None and args.pages < 2:
        parser.error("--pages must be at least 2")
    quick = args.quick
    args.pages = args.pages or (500 if quick else 10_000)
    args.publishes = args.publishes or (20 if quick else 200)
    args.query_repeats = args.query_repeats or (5 if quick else 20)
    args.backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    unknown = set(args.backends) - {"postgres", "osmem"}
    if unknown:
        parser.error(f"--backends: unknown {', '.join(sorted(unknown))}")
    return args


def percentile(samples, fraction):
    ordered = sorted(samples)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def latency(seconds):
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 0.50), 2),
        "p95_ms": round(percentile(ms, 0.95), 2),
        "mean_ms": round(statistics.fmean(ms), 2),
    }


# --- The child processes: one measurement each, under bench/search_settings.py -------------


def _setup_django():
    import django

    django.setup()


def child_probe(_arg):
    """What of alma-cms's search exists, and the RSS of a process that only set Django up."""
    import importlib

    from django.core.management import get_commands

    def importable(name):
        try:
            importlib.import_module(name)
        except ImportError as error:
            return str(error)
        return None

    commands = get_commands()
    found = {
        "modelsearch": importable("modelsearch") is None,
        "stock_rebuild": STOCK_REBUILD in commands,
        "alma_rebuild": ALMA_REBUILD in commands,
    }
    stock = "modelsearch.backends" if found["modelsearch"] else "wagtail.search.backends"
    for name in ("database", "opensearch3"):
        found[f"stock_backend_{name}"] = importable(f"{stock}.{name}") is None
        found[f"alma_backend_{name}"] = importable(f"alma_cms.search.backends.{name}") is None
    found["alma_query"] = importable("alma_cms.search.query") is None and hasattr(
        importlib.import_module("alma_cms.search.query"), "search"
    )
    found["alma_outbox"] = importable("alma_cms.search.outbox") is None
    found["startup_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return found


def child_migrate(_arg):
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    return {"seconds": round(time.perf_counter() - started, 1)}


def child_grow(total):
    from wagtail.models import Page

    from bench import searchsite

    started = time.perf_counter()
    added = searchsite.grow(int(total))
    seconds = time.perf_counter() - started
    return {
        "added": added,
        "pages": searchsite.count(),
        "seconds": round(seconds, 2),
        # Treebeard's own check of the bulk-built tree (paths, depths, numchild): must be 0.
        "tree_problems": sum(len(found) for found in Page.find_problems()),
    }


def _search_backend():
    try:
        from modelsearch.backends import get_search_backend
    except ImportError:  # Wagtail 7.x
        from wagtail.search.backends import get_search_backend
    return get_search_backend()


def _indexed_quotations():
    """How many quotation pages the index finds with a match-all query (checks the rebuild)."""
    try:
        from modelsearch.query import MATCH_ALL
    except ImportError:
        from wagtail.search.query import MATCH_ALL

    from alma_cms.pages.models import QuotationPage

    return _search_backend().search(MATCH_ALL, QuotationPage.objects.all()).count()


def child_rebuild(command):
    """Runs one rebuild command; its output is discarded (progress bars would flood stderr)."""
    from django.core.management import call_command

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with open(os.devnull, "w") as devnull:
        started = time.perf_counter()
        call_command(command, stdout=devnull, stderr=devnull)
        seconds = time.perf_counter() - started
    return {
        "command_seconds": round(seconds, 3),
        "rss_before_command_mb": round(rss_before / 1024, 1),
        "indexed_quotation_pages": _indexed_quotations(),
    }


def _outbox_rows():
    try:
        from alma_cms.models import SearchIndexChange
    except ImportError:
        return None
    return SearchIndexChange.objects.count()


def _tasks_backend():
    from django.conf import settings

    configured = getattr(settings, "TASKS", None) or {}
    return configured.get("default", {}).get("BACKEND", "(default: immediate)")


def _publish_mode():
    """What a publish does about the search index under these settings."""
    from django.conf import settings

    if not settings.WAGTAILSEARCH_BACKENDS["default"].get("AUTO_UPDATE", True):
        return "off"
    try:
        from alma_cms.search.outbox import owned_backends
    except ImportError:
        owned_backends = None
    if owned_backends is not None and "default" in owned_backends():
        return "alma_outbox"  # rows in SearchIndexChange, drained by Celery after commit
    if _tasks_backend().startswith("alma_cms."):
        return "alma_tasks_on_commit"  # Wagtail's index tasks sent to Celery after commit
    return "stock_immediate"  # Wagtail's index tasks run in the publish


def child_publish(count):
    """Times ``save_revision().publish()`` of a changed quotation, rotating over 20 pages."""
    from django.db import connection

    from alma_cms.pages.models import QuotationPage

    count = int(count)
    pages = list(QuotationPage.objects.filter(slug__startswith="q-en-").order_by("path")[:20])
    outbox_before = _outbox_rows()
    samples = []
    for number in range(count + 5):  # 5 untimed first: caches, connections
        page = pages[number % len(pages)]
        page.text = f"{page.text.split(' [edit')[0]} [edit {number}]"
        started = time.perf_counter()
        page.save_revision().publish()
        elapsed = time.perf_counter() - started
        if number >= 5:
            samples.append(elapsed)
    outbox_after = _outbox_rows()
    result = {"mode": _publish_mode(), "tasks_backend": _tasks_backend(), **latency(samples)}
    if outbox_before is not None:
        result["outbox_rows_added"] = outbox_after - outbox_before
    result["database"] = connection.vendor
    return result


def child_query(repeats):
    """p50/p95 of each query in its language: alma's ``search()`` when present, else stock
    ``QuerySet.search()`` filtered to the locale; the first 20 results are fetched."""
    from wagtail.models import Locale

    from alma_cms.pages.models import QuotationPage

    try:
        from alma_cms.search.query import search as alma_search
    except ImportError:
        alma_search = None
    backend_path = _search_backend().__class__.__module__
    use_alma = alma_search is not None and backend_path.startswith("alma_cms.")
    repeats = int(repeats)
    results = {"via": "alma_cms.search.query.search" if use_alma else "QuerySet.search"}
    for language, queries in QUERIES.items():
        locale = Locale.objects.get(language_code=language)
        queryset = QuotationPage.objects.live()

        def results_of(query, queryset=queryset, language=language, locale=locale):
            if use_alma:
                return alma_search(queryset, query, language=language)
            return queryset.filter(locale=locale).search(query)

        def run(query):
            return list(results_of(query)[:RESULTS_PER_QUERY])

        results[language] = {}
        samples_all = []
        for query in queries:
            hits = len(run(query))  # untimed first run
            samples = []
            for _ in range(repeats):
                started = time.perf_counter()
                run(query)
                samples.append(time.perf_counter() - started)
            samples_all += samples
            found = results_of(query)
            total = len(found) if isinstance(found, list) else found.count()
            results[language][query] = {
                "hits_first_page": hits,
                "hits_total": total,
                **latency(samples),
            }
        results[language]["all_queries"] = latency(samples_all)
    return results


CHILDREN = {
    "probe": child_probe,
    "migrate": child_migrate,
    "grow": child_grow,
    "rebuild": child_rebuild,
    "publish": child_publish,
    "query": child_query,
}


def run_child(mode, arg):
    _setup_django()
    result = CHILDREN[mode](arg)
    # The last line of stdout is the result; anything printed before it is ignored.
    sys.stdout.write("\n" + json.dumps(result) + "\n")
    sys.stdout.flush()
    return 0


# --- The parent: starts the children, the server and the database --------------------------


class ChildFailed(RuntimeError):
    pass


def child(mode, arg="", env=None):
    """Runs ``mode`` in a subprocess; returns (result dict, wall seconds, peak RSS in MB).

    Peak RSS is the child's own ``ru_maxrss`` from ``os.wait4`` (KiB on Linux), not the
    maximum over every child so far that ``RUSAGE_CHILDREN`` would give.
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--child", mode, "--child-arg", arg],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=err,
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        lines = out.read().strip().splitlines()
        err.seek(0)
        errors = err.read().strip().splitlines()
    if process.returncode != 0 or not lines:
        log("\n".join(errors[-30:]))
        last = errors[-1] if errors else "no output"
        raise ChildFailed(f"{mode} {arg}: exit status {process.returncode}: {last[:300]}")
    scale = 1024 if sys.platform != "darwin" else 1024 * 1024  # macOS reports bytes
    return json.loads(lines[-1]), wall, round(usage.ru_maxrss / scale, 1)


def child_or_error(mode, arg, env):
    """``child``'s result, or ``{"error": ...}`` if it failed (the run goes on)."""
    try:
        return child(mode, str(arg), env)[0]
    except ChildFailed as error:
        return {"error": str(error)}


class Database:
    """Creates and drops the bench database (PostgreSQL)."""

    def __init__(self, url):
        import dj_database_url

        self.config = dj_database_url.parse(url)
        if "postgres" not in self.config["ENGINE"]:
            raise SystemExit(f"bench/search.py needs PostgreSQL, not {url}")
        self.name = self.config["NAME"]

    def _admin(self):
        import psycopg

        return psycopg.connect(
            dbname="postgres",
            user=self.config.get("USER") or None,
            password=self.config.get("PASSWORD") or None,
            host=self.config.get("HOST") or None,
            port=self.config.get("PORT") or None,
            autocommit=True,
        )

    def drop(self):
        from psycopg import sql

        with self._admin() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name))
            )

    def create(self):
        from psycopg import sql

        self.drop()
        with self._admin() as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))


BACKEND_MODULES = {"postgres": "database", "osmem": "opensearch3"}


def stock_backend(kind, probe):
    module = "modelsearch.backends" if probe["modelsearch"] else "wagtail.search.backends"
    return f"{module}.{BACKEND_MODULES[kind]}"


def alma_backend(kind, probe):
    """alma's backend for ``kind`` if the package has it, else None."""
    name = BACKEND_MODULES[kind]
    return f"alma_cms.search.backends.{name}" if probe[f"alma_backend_{name}"] else None


def alma_rebuild_command(kind, probe):
    """(command or None, note or skip reason) of alma's full rebuild for ``kind``.

    ``alma_search_rebuild`` rebuilds the external (OpenSearch/Elasticsearch) indexes, whose
    writes alma owns; a database backend's index is written in the changing transaction, and
    alma's database backend is rebuilt with ``update_index``.
    """
    if kind == "postgres":
        if not alma_backend(kind, probe):
            return None, "no alma database backend (alma_cms.search.backends.database)"
        return STOCK_REBUILD, (
            f"update_index on alma's database backend ({ALMA_REBUILD} rebuilds external "
            "indexes only)"
        )
    if not probe["alma_rebuild"]:
        return None, f"no {ALMA_REBUILD} command"
    return ALMA_REBUILD, ""


def targets(kind, probe, base_env, osmem_url):
    """{"stock": env, "alma": env or a skip reason}: the settings of each side for ``kind``."""

    def env(backend, prefix, auto_update=True, tasks="stock"):
        values = dict(base_env, ALMA_BENCH_SEARCH_BACKEND=backend, ALMA_BENCH_TASKS=tasks)
        values["ALMA_BENCH_AUTO_UPDATE"] = "1" if auto_update else "0"
        if kind == "osmem":
            values.update(ALMA_BENCH_SEARCH_URL=osmem_url, ALMA_BENCH_INDEX_PREFIX=prefix)
        return values

    stock = env(stock_backend(kind, probe), "bench_stock_")
    # alma's rebuild works with the stock backends too; alma's backend when it exists.
    # alma's side also uses the site's task backend (alma-cms's Celery backend when present).
    alma = env(alma_backend(kind, probe) or stock_backend(kind, probe), "bench_alma_", tasks="site")
    # Indexing off, once with each side's task backend: each side is compared with its own.
    off = env(stock_backend(kind, probe), "", False)
    off_alma = env(stock_backend(kind, probe), "", False, tasks="site")
    return {"stock": stock, "alma": alma, "off": off, "off_alma": off_alma}


def rebuild(label, command, env, pages):
    log(f"  rebuild {label}: {command} over {pages} pages")
    try:
        result, wall, peak = child("rebuild", command, env)
    except ChildFailed as error:
        return {"command": command, "pages": pages, "error": str(error)}
    seconds = result["command_seconds"]
    return {
        "command": command,
        "backend": env["ALMA_BENCH_SEARCH_BACKEND"],
        "pages": pages,
        "seconds": seconds,
        "process_seconds": round(wall, 2),
        "pages_per_second": round(pages / seconds, 1),
        "peak_rss_mb": peak,
        "rss_before_command_mb": result["rss_before_command_mb"],
        # What the command itself added to a process that had set Django up.
        "rss_growth_mb": round(peak - result["rss_before_command_mb"], 1),
        "indexed_quotation_pages": result["indexed_quotation_pages"],
    }


def compare(small, large):
    """time(2N)/time(N) and peak RSS(2N)/peak RSS(N) of two rebuilds (issue #8 goals: <= 2.2
    and <= 1.2)."""
    if "error" in small or "error" in large:
        return {"time_ratio_2n_n": None, "peak_rss_ratio_2n_n": None}
    return {
        "time_ratio_2n_n": round(large["seconds"] / small["seconds"], 2),
        "time_ratio_goal": 2.2,
        "peak_rss_ratio_2n_n": round(large["peak_rss_mb"] / small["peak_rss_mb"], 2),
        "peak_rss_ratio_goal": 1.2,
        "rss_growth_ratio_2n_n": (
            round(large["rss_growth_mb"] / small["rss_growth_mb"], 2)
            if small["rss_growth_mb"] > 0
            else None
        ),
    }


def main(argv=None):
    args = parse_args(argv)
    if args.child:
        return run_child(args.child, args.child_arg)
    run_started = time.perf_counter()
    url = args.database_url or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    database = Database(url)
    base_env = dict(
        os.environ,
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="bench.search_settings",
        ALMA_BENCH_CELERY_BROKER_URL=args.celery_broker,
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    sizes = [args.pages, 2 * args.pages]
    server = None
    log(f"Creating database {database.name}")
    database.create()
    try:
        probe, _wall, _peak = child("probe", env=base_env)
        migrated, _wall, _peak = child("migrate", env=base_env)
        skipped = {}
        for kind in args.backends:
            if not probe[f"stock_backend_{BACKEND_MODULES[kind]}"]:
                skipped[kind] = f"no stock {stock_backend(kind, probe)} in this Wagtail"
        osmem_url = None
        if "osmem" in args.backends and "osmem" not in skipped:
            try:
                from osmem_server import OsmemServer
            except ImportError:
                skipped["osmem"] = "osmem-server is not installed (pip install osmem-server)"
            else:
                server = OsmemServer.start(seed=[], freeze=False)
                osmem_url = server.url
        kinds = [kind for kind in args.backends if kind not in skipped]
        per_kind = {kind: targets(kind, probe, base_env, osmem_url) for kind in kinds}
        rebuilds = {kind: {"stock": [], "alma": []} for kind in kinds}
        site = {"migrate_seconds": migrated["seconds"], "build_seconds": {}}
        commands = {kind: alma_rebuild_command(kind, probe) for kind in kinds}
        later = {kind: {"query": {}, "publish": {}} for kind in kinds}
        for size in sizes:
            log(f"Growing the site to {size} quotation pages")
            grown, _wall, _peak = child("grow", str(size), base_env)
            site["build_seconds"][str(size)] = grown["seconds"]
            site["tree_problems"] = grown["tree_problems"]
            for kind in kinds:
                for side in ("stock", "alma"):
                    env = per_kind[kind][side]
                    command = STOCK_REBUILD if side == "stock" else commands[kind][0]
                    if command:
                        run = rebuild(f"{kind} {side}", command, env, grown["pages"])
                        rebuilds[kind][side].append(run)
                    if size != sizes[-1]:
                        continue
                    # On the 2N site, right after this side's rebuild (stock and alma database
                    # backends may share a table): queries, then publishes.
                    if side == "alma" and not alma_backend(kind, probe):
                        for what in ("query", "publish"):
                            later[kind][what][side] = {"skipped": f"no alma backend for {kind}"}
                        continue
                    if not command:  # alma's backend, but no alma rebuild: index it anyway
                        rebuild(f"{kind} {side} (for queries)", STOCK_REBUILD, env, size)
                    log(f"  queries {kind} {side}")
                    later[kind]["query"][side] = child_or_error("query", args.query_repeats, env)
                    log(f"  publishes {kind} {side}")
                    later[kind]["publish"][side] = child_or_error("publish", args.publishes, env)

        output_backends = {kind: {"skipped": reason} for kind, reason in skipped.items()}
        publish_off = None
        for kind in kinds:
            envs = per_kind[kind]
            entry = {"rebuild": {}, **later[kind]}
            for side in ("stock", "alma"):
                runs = rebuilds[kind][side]
                if not runs:
                    entry["rebuild"][side] = {"skipped": commands[kind][1]}
                    continue
                entry["rebuild"][side] = {
                    "backend": envs[side]["ALMA_BENCH_SEARCH_BACKEND"],
                    "command": runs[0]["command"],
                    **({"note": commands[kind][1]} if side == "alma" and commands[kind][1] else {}),
                    "runs": runs,
                    **compare(runs[0], runs[-1]),
                }
            if publish_off is None:
                log("  publishes with indexing off (stock and site task backends)")
                publish_off = {
                    "stock": child_or_error("publish", args.publishes, envs["off"]),
                    "alma": child_or_error("publish", args.publishes, envs["off_alma"]),
                }
            entry["publish"]["off"] = publish_off["stock"]
            entry["publish"]["off_alma_tasks"] = publish_off["alma"]
            for side in ("stock", "alma"):
                measured, off = entry["publish"][side], publish_off[side]
                if "p50_ms" in measured and "p50_ms" in off:
                    measured["p50_overhead_vs_off_percent"] = round(
                        100 * (measured["p50_ms"] - off["p50_ms"]) / off["p50_ms"], 1
                    )
            output_backends[kind] = entry

        output = {
            "environment": {
                "python": platform.python_version(),
                "database_name": database.name,
                "cpus": os.cpu_count(),
                "pages": sizes,
                "publishes": args.publishes,
                "query_repeats": args.query_repeats,
                "quick": args.quick,
                "celery_broker": args.celery_broker.split("@")[-1],
                "startup_rss_mb": probe["startup_rss_mb"],
                **_versions(),
            },
            "alma_parts": {k: v for k, v in probe.items() if k != "startup_rss_mb"},
            "site": site,
            "summary": summarise(output_backends),
            "backends": output_backends,
            "total_seconds": round(time.perf_counter() - run_started, 1),
        }
    finally:
        if server is not None:
            server.close()
        log(f"Dropping database {database.name}")
        database.drop()

    text = json.dumps(output, indent=2, ensure_ascii=False)
    print(text)
    if args.output:
        Path(args.output).write_text(text + "\n")
    return 0


def _versions():
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in ("django", "wagtail", "modelsearch", "osmem-server"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = None
    return found


def _not_measured(result):
    """ "skipped: ..." / "error: ..." for a result that has no figures, else None."""
    for key in ("skipped", "error"):
        if key in result:
            return f"{key}: {result[key]}"
    return None


def _rebuild_line(run):
    if "error" in run:
        return f"{run['pages']} pages: error"
    return (
        f"{run['pages']} pages {run['seconds']} s ({run['pages_per_second']:g}/s, "
        f"peak {run['peak_rss_mb']:g} MB)"
    )


def summarise(backends):
    """One line per measurement."""
    lines = {}
    for kind, entry in backends.items():
        if "skipped" in entry:
            lines[kind] = f"skipped: {entry['skipped']}"
            continue
        for side, rebuilt in entry["rebuild"].items():
            key = f"{kind} rebuild {side}"
            lines[key] = _not_measured(rebuilt) or (
                ", ".join(_rebuild_line(run) for run in rebuilt["runs"])
                + f"; time 2N/N {rebuilt['time_ratio_2n_n']}, RSS 2N/N "
                f"{rebuilt['peak_rss_ratio_2n_n']}"
            )
        for side, published in entry["publish"].items():
            lines[f"{kind} publish {side}"] = _not_measured(published) or (
                f"{published['mode']}: p50 {published['p50_ms']} ms, "
                f"p95 {published['p95_ms']} ms"
                + (
                    f" ({published['p50_overhead_vs_off_percent']:+g} % p50 vs off)"
                    if "p50_overhead_vs_off_percent" in published
                    else ""
                )
            )
        for side, queried in entry["query"].items():
            lines[f"{kind} query {side}"] = _not_measured(queried) or "; ".join(
                f"{language} p50 {queried[language]['all_queries']['p50_ms']} ms, "
                f"p95 {queried[language]['all_queries']['p95_ms']} ms"
                for language in QUERIES
            )
    return lines


if __name__ == "__main__":
    sys.exit(main())
