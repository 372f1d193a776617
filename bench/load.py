"""Load benchmark: the bench site served by gunicorn on PostgreSQL, under 1 to 64 connections.

    python bench/load.py [--duration 10] [--workers 5 | --workers 1,2,3] [--keep]
                         [--output load.json]

From the repository root, with ``DATABASE_URL`` pointing at PostgreSQL (default
``postgres://postgres@127.0.0.1:5432/alma_bench_load``). The database is created (dropped first
if it exists), migrated, filled with the realistic site of bench/sitebuilder.py (1,076 pages;
``--site tiny`` for a few dozen), indexed for search, and dropped at the end; ``--keep`` keeps
it, and a later ``--keep`` run reuses it.

For each number of workers and each mode (``cold``, then ``warm``), a gunicorn server is started
on a free port of 127.0.0.1 (``bench/load_settings.py``: the sandbox's settings on the bench
database, DEBUG off) and driven by locust, used as a library in a process of its own
(bench/loaddriver.py): per endpoint, closed loops of 1, 2, 4, … 64 connections, each measured
for ``--duration`` seconds. Endpoints, side by side in the same run:

- ``alma_detail``: alma-cms API v2 edition detail (``/alma/api/v2/pages/<id>/``, every edition);
- ``alma_list``: the 20-item edition listing with ``fields=*`` (a few offsets);
- ``alma_search``: ``/alma/api/v2/pages/?search=<words>&limit=20`` (a few queries);
- ``html_edition``: the HTML edition page (``/en/…/``, every edition);
- ``stock_plain_detail``: stock Wagtail API v2 detail of ``PlainEditionPage`` (bench/plainapp:
  the same edition data on a plain page type), every plain edition.

``cold``: a freshly started server, the representation cache off
(``ALMA_CMS["API_REPRESENTATION_CACHE"]``, when the package has that setting), requests cycling
over every URL of the endpoint. ``warm``: a freshly started server, the same URLs after a
warm-up pass (every URL requested once with a shared ``--cache-url``, once per worker otherwise,
by as many connections at once as there are workers), and with ``--api-cache`` the
representation cache on. After each endpoint the server works off what it still holds before the
next one starts.

Output: a Markdown table per run on stdout (progress on stderr), and the whole result as JSON
with ``--output`` (``--output -``: the JSON on stdout instead of the tables). bench/README.md
explains it.
"""

import argparse
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, Python puts bench/ first on sys.path; the repository root is what we need.
if sys.path and Path(sys.path[0] or ".").resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.api import Database, log  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/alma_bench_load"
DEFAULT_CONNECTIONS = "1,2,4,8,16,32,64"
EDITION = "alma_cms_pages.ForumEditionPage"
PLAIN_EDITION = "alma_bench_plain.PlainEditionPage"
ENDPOINTS = ("alma_detail", "alma_list", "alma_search", "html_edition", "stock_plain_detail")
LABELS = {
    "alma_detail": "alma API v2 edition detail",
    "alma_list": "alma API v2 edition listing (20, fields=*)",
    "alma_search": "alma API v2 search (20 results)",
    "html_edition": "HTML edition page",
    "stock_plain_detail": "stock Wagtail API v2 detail, plain type",
}
# Queries of the search endpoint: words the site's text is made of (bench/sitebuilder.py).
SEARCH_QUERIES = [
    "library",
    "digital research",
    "young professionals",
    "leadership",
    "community association",
    "future of reading",
    "partnership network",
    "collection services strategy",
]
SITE_SIZES = {
    "full": {},  # bench/sitebuilder.py's defaults: 1,076 pages
    "tiny": {"speakers": 24, "editions": 4, "quotations": 20, "documents": 4, "announcements": 2},
}
LISTING_URLS = 5  # at most this many offsets of the edition listing
# Polled until the server answers 200.
READY_PATH = "/alma/api/v2/pages/?limit=1"


def default_workers():
    """gunicorn's advice for sync workers: 2 × cores + 1."""
    return 2 * (os.cpu_count() or 1) + 1


def int_list(text):
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a comma-separated list of numbers: {text!r}"
        ) from None
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"expected numbers of at least 1: {text!r}")
    return values


def name_list(text):
    names = [part.strip() for part in text.split(",") if part.strip()]
    unknown = sorted(set(names) - set(ENDPOINTS))
    if not names or unknown:
        raise argparse.ArgumentTypeError(
            f"unknown endpoint(s) {', '.join(unknown) or '(none)'}; choose from "
            + ", ".join(ENDPOINTS)
        )
    return names


def mode_list(text):
    modes = [part.strip() for part in text.split(",") if part.strip()]
    if not modes or set(modes) - {"cold", "warm"}:
        raise argparse.ArgumentTypeError(f"modes are cold and/or warm, not {text!r}")
    return modes


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--duration", type=float, default=10.0, help="seconds measured per connection level"
    )
    parser.add_argument(
        "--settle",
        type=float,
        default=1.0,
        help="seconds between reaching a connection level and measuring it",
    )
    parser.add_argument(
        "--connections",
        type=int_list,
        default=int_list(DEFAULT_CONNECTIONS),
        help=f"connection levels, in order (default {DEFAULT_CONNECTIONS})",
    )
    parser.add_argument(
        "--workers",
        type=int_list,
        default=None,
        help="gunicorn workers; a list (1,2,3) runs everything once per number "
        f"(default 2 x cores + 1 = {default_workers()})",
    )
    parser.add_argument(
        "--worker-class", default="sync", help="gunicorn worker class (default sync)"
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        help="seconds a request may take before the load generator counts a timeout",
    )
    parser.add_argument(
        "--endpoints", type=name_list, default=list(ENDPOINTS), help=", ".join(ENDPOINTS)
    )
    parser.add_argument("--modes", type=mode_list, default=["cold", "warm"], help="cold,warm")
    parser.add_argument(
        "--api-cache",
        action="store_true",
        help='warm runs with ALMA_CMS["API_REPRESENTATION_CACHE"]["ENABLED"] on '
        "(when the package has it)",
    )
    parser.add_argument(
        "--cache-url",
        default=os.environ.get("ALMA_BENCH_CACHE_URL", ""),
        help="redis://… for a Django cache shared by the workers (default: local memory, "
        "one per worker)",
    )
    parser.add_argument("--site", choices=sorted(SITE_SIZES), default="full")
    parser.add_argument(
        "--keep", action="store_true", help="keep the database; reuse it if it exists"
    )
    parser.add_argument("--database-url", help=f"default: $DATABASE_URL or {DEFAULT_DATABASE_URL}")
    parser.add_argument("--output", help="write the JSON results to this file ('-': stdout)")
    args = parser.parse_args(argv)
    if args.workers is None:
        args.workers = [default_workers()]
    if args.duration <= 0 or args.timeout <= 0 or args.settle < 0:
        parser.error("--duration and --timeout must be positive, --settle at least 0")
    return args


# --- The site ------------------------------------------------------------------------------


def prepare_site(args, database, reused):
    """Migrate, build (unless reused), index for search, ``ANALYZE``; the site's summary."""
    from django.core.management import call_command

    from bench.api import site_summary
    from bench.sitebuilder import build, site_exists

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_seconds = time.perf_counter() - started
    build_seconds = index_seconds = 0.0
    wanted = SITE_SIZES[args.site].get("editions", 30)
    if site_exists():
        from django.apps import apps

        found = apps.get_model(EDITION).objects.count()
        if found != wanted:
            raise SystemExit(
                f"error: database {database.name} holds a site of {found} editions, "
                f"--site {args.site} has {wanted}: drop it or use another --database-url"
            )
        log("Reusing the site already in the database")
    else:
        log(f"Building the site ({args.site})")
        started = time.perf_counter()
        build(verbose=False, **SITE_SIZES[args.site])
        build_seconds = time.perf_counter() - started
    if not search_hits():
        log("Indexing for search")
        started = time.perf_counter()
        call_command("update_index", verbosity=0)
        index_seconds = time.perf_counter() - started
    # Planner statistics, as a production database has them: right after the bulk build
    # (before autovacuum gets to it) PostgreSQL estimates one row a table, and the search's
    # join runs ~10x slower on the plan that follows.
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    analyze_seconds = time.perf_counter() - started
    hits = search_hits()
    if not hits:
        raise SystemExit(f"error: the search index finds nothing for {SEARCH_QUERIES[0]!r}")
    return {
        **site_summary(),
        "size": args.site,
        "reused": reused,
        "migrate_seconds": round(migrate_seconds, 1),
        "build_seconds": round(build_seconds, 1),
        "index_seconds": round(index_seconds, 1),
        "analyze_seconds": round(analyze_seconds, 1),
        "search_hits": hits,
    }


def search_hits():
    """How many pages the search endpoint finds for the first query (0: no index yet)."""
    from django.test import Client

    response = Client().get(search_url(SEARCH_QUERIES[0]))
    if response.status_code != 200:
        raise SystemExit(f"error: GET {search_url(SEARCH_QUERIES[0])} -> {response.status_code}")
    return json.loads(response.content)["meta"]["total_count"]


def search_url(query):
    from urllib.parse import urlencode

    return "/alma/api/v2/pages/?" + urlencode({"search": query, "limit": 20})


def endpoint_urls(names):
    """{name: [paths]}: the URLs each endpoint cycles over."""
    from django.apps import apps

    from bench.targets import alma_api_router, html_page_urls

    if alma_api_router() is None:
        raise SystemExit("error: alma_cms.api has no api_router: nothing to measure")

    def ids(label):
        model = apps.get_model(label)
        return list(model.objects.live().order_by("path").values_list("pk", flat=True))

    editions = ids(EDITION)
    listing = "/alma/api/v2/pages/?type={type}&fields=*&limit=20&offset={offset}"
    offsets = range(0, max(len(editions) - 20, 0) + 1, 5)
    builders = {
        "alma_detail": lambda: [f"/alma/api/v2/pages/{pk}/" for pk in editions],
        "alma_list": lambda: [
            listing.format(type=EDITION, offset=offset) for offset in offsets[:LISTING_URLS]
        ],
        "alma_search": lambda: [search_url(query) for query in SEARCH_QUERIES],
        "html_edition": lambda: html_page_urls(EDITION, editions),
        "stock_plain_detail": lambda: [f"/api/v2/pages/{pk}/" for pk in ids(PLAIN_EDITION)],
    }
    return {name: builders[name]() for name in names}


def check_urls(urls):
    """Every URL answers 200 in-process before the server starts (and any rendition a page
    needs exists by then, so that no measurement makes one)."""
    from django.test import Client

    client = Client()
    for name, paths in urls.items():
        for path in paths:
            response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"error: {name}: GET {path} -> {response.status_code}")


# --- The server and the load generator -----------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn serving bench.load_settings on 127.0.0.1, started and stopped by us."""

    def __init__(self, args, workers, env, log_dir):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(log_dir) / f"gunicorn-{workers}-{self.port}.log"
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--worker-class",
            args.worker_class,
            # The application is imported once and the workers forked from it: a quicker start.
            "--preload",
            "--graceful-timeout",
            "10",
            "--error-logfile",
            str(self.log_path),
            "--log-level",
            "info",
            "--chdir",
            str(ROOT),
            "sandbox.wsgi:application",
        ]
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    def wait_ready(self, path, limit=180.0):
        """Until ``path`` answers 200; the seconds it took from the start."""
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                code = self.process.returncode
                raise SystemExit(f"error: gunicorn exited ({code}):\n{self.tail()}")
            try:
                with urllib.request.urlopen(self.url + path, timeout=10) as response:
                    if response.status == 200:
                        return round(time.perf_counter() - self.started, 1)
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        self.stop()
        raise SystemExit(f"error: gunicorn did not answer in {limit:g} s:\n{self.tail()}")

    def tail(self, lines=30):
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def errors_logged(self):
        """Lines of the server's log about failed requests or killed workers."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return []
        markers = ("Internal Server Error", "WORKER TIMEOUT", "Traceback", "[ERROR]")
        return [line for line in text.splitlines() if any(m in line for m in markers)][:10]

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # gunicorn: graceful shutdown
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def drive(spec):
    """Run bench/loaddriver.py on ``spec``; its JSON result. Its progress lines are shown as
    they come."""
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "loaddriver.py")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    stderr = []

    def relay():
        for line in process.stderr:
            if line.startswith("    "):  # the driver's progress lines
                log(line.rstrip())
            else:
                stderr.append(line)

    relaying = threading.Thread(target=relay, daemon=True)
    relaying.start()
    try:
        process.stdin.write(json.dumps(spec))
        process.stdin.close()
        stdout = process.stdout.read()
        process.wait()
    finally:
        if process.poll() is None:  # interrupted
            process.kill()
            process.wait()
    relaying.join()
    if process.returncode != 0:
        raise SystemExit(f"error: the load generator failed:\n{''.join(stderr)[-3000:]}")
    return json.loads(stdout)


def clear_cache(url):
    """Delete the bench's keys from a shared Redis cache (a cold run starts empty)."""
    if not url:
        return
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter("alma-bench-load:*", count=1000))
    for start in range(0, len(keys), 1000):
        client.delete(*keys[start : start + 1000])


def api_cache_state(mode, args, setting_exists):
    if not setting_exists:
        return "absent"
    if mode == "cold":
        return "off"
    return "on" if args.api_cache else "default"


def server_env(args, database_url, media_root, mode, setting_exists):
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="bench.load_settings",
        DATABASE_URL=database_url,
        ALMA_BENCH_MEDIA_ROOT=str(media_root),
        PYTHONPATH=str(ROOT),
    )
    env.pop("ALMA_BENCH_API_CACHE", None)
    env.pop("ALMA_BENCH_CACHE_URL", None)
    if args.cache_url:
        env["ALMA_BENCH_CACHE_URL"] = args.cache_url
    state = api_cache_state(mode, args, setting_exists)
    if state in {"on", "off"}:
        env["ALMA_BENCH_API_CACHE"] = "1" if state == "on" else "0"
    return env


def run_one(args, workers, mode, urls, database_url, media_root, log_dir, setting_exists):
    clear_cache(args.cache_url)
    env = server_env(args, database_url, media_root, mode, setting_exists)
    server = Server(args, workers, env, log_dir)
    try:
        start_seconds = server.wait_ready(READY_PATH)
        log(f"  {workers} workers, {mode}: server ready in {start_seconds} s ({server.url})")
        spec = {
            "host": server.url,
            "timeout": args.timeout,
            "duration": args.duration,
            "settle": args.settle,
            "connections": args.connections,
            # A shared cache is warm after one request per URL; local-memory caches need one
            # per worker, which as many connections at once are likely to reach.
            "warmup": {
                "connections": workers,
                "rounds": 1 if args.cache_url else workers,
            }
            if mode == "warm"
            else None,
            "drain": {"path": READY_PATH, "connections": workers},
            "endpoints": [{"name": name, "urls": paths} for name, paths in urls.items()],
        }
        driven = drive(spec)
    finally:
        server.stop()
    run = {
        "workers": workers,
        "worker_class": args.worker_class,
        "mode": mode,
        "api_cache": api_cache_state(mode, args, setting_exists),
        "server_start_seconds": start_seconds,
        "results": {name: r["levels"] for name, r in driven["endpoints"].items()},
        "drain_seconds": {name: r.get("drain_seconds") for name, r in driven["endpoints"].items()},
        "driver_cpu_warning": any(r["driver_cpu_warning"] for r in driven["endpoints"].values()),
        "server_errors_logged": server.errors_logged(),
    }
    if mode == "warm":
        run["warmup"] = {name: r["warmup"] for name, r in driven["endpoints"].items()}
    return run, driven["locust"]


# --- Summaries -----------------------------------------------------------------------------


def goal(runs, max_connections):
    """Issue #11: no errors and no timeouts at the highest level (64 connections)."""
    errors = timeouts = 0
    failing = []
    for run in runs:
        for name, levels in run["results"].items():
            for level in levels:
                if level["connections"] != max_connections:
                    continue
                errors += level["error_total"]
                timeouts += level["errors"]["timeout"]
                if level["error_total"]:
                    failing.append(f"{run['workers']} workers {run['mode']} {name}")
    return {
        "connections": max_connections,
        "errors": errors,
        "timeouts": timeouts,
        "met": errors == 0,
        "failing": failing,
    }


def scaling(runs):
    """{mode: {endpoint: {workers: best requests/s over the levels}}}."""
    table = {}
    for run in runs:
        for name, levels in run["results"].items():
            best = max((level["requests_per_second"] for level in levels), default=0.0)
            table.setdefault(run["mode"], {}).setdefault(name, {})[str(run["workers"])] = best
    return table


def cell(level):
    if not level["requests"]:
        text = "0/s"
    else:
        text = (
            f"{level['requests_per_second']:.1f}/s {level['p50_ms']:.0f}/{level['p99_ms']:.0f} ms"
        )
    if level["error_total"]:
        text += f" **{level['error_total']} err**"
    return text


def tables(output):
    """Markdown: per run, a row per connection level and a column per endpoint
    (requests/s, p50/p99 ms, errors)."""
    lines = []
    for run in output["runs"]:
        names = list(run["results"])
        lines.append(
            f"\n{run['workers']} workers ({run['worker_class']}), {run['mode']}, "
            f"API cache {run['api_cache']} — requests/s, p50/p99 ms:\n"
        )
        lines.append("| connections | " + " | ".join(names) + " |")
        lines.append("|---:|" + "---:|" * len(names))
        levels = [level["connections"] for level in run["results"][names[0]]]
        for index, connections in enumerate(levels):
            cells = [cell(run["results"][name][index]) for name in names]
            lines.append(f"| {connections} | " + " | ".join(cells) + " |")
    if len({run["workers"] for run in output["runs"]}) > 1:
        lines.append("\nBest requests/s over the levels, by number of workers:\n")
        workers = sorted({run["workers"] for run in output["runs"]})
        lines.append("| mode | endpoint | " + " | ".join(f"{w} w" for w in workers) + " |")
        lines.append("|---|---|" + "---:|" * len(workers))
        for mode, endpoints in output["scaling"].items():
            for name, by_workers in endpoints.items():
                cells = [f"{by_workers.get(str(w), 0):.1f}" for w in workers]
                lines.append(f"| {mode} | {name} | " + " | ".join(cells) + " |")
    met = output["goal"]
    lines.append(
        f"\nAt {met['connections']} connections: {met['errors']} errors, "
        f"{met['timeouts']} timeouts ({'goal met' if met['met'] else 'goal NOT met'})."
    )
    return "\n".join(lines)


def environment(args, database, locust_version):
    import django
    import gunicorn
    import wagtail
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = f"PostgreSQL {cursor.fetchone()[0]}"
    return {
        "python": platform.python_version(),
        "django": django.get_version(),
        "wagtail": wagtail.__version__,
        "gunicorn": gunicorn.__version__,
        "locust": locust_version,
        "database": version,
        "database_name": database.name,
        "cpus": os.cpu_count(),
        "machine": platform.platform(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


# --- Main ----------------------------------------------------------------------------------


def main(argv=None):
    args = parse_args(argv)
    # Stopped with SIGTERM: clean up as on Ctrl-C (stop the server, drop the database).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    run_started = time.perf_counter()
    load_before = os.getloadavg()
    url = args.database_url or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.load_settings"

    database = Database(url)
    if database.vendor != "postgresql":
        raise SystemExit("error: the load benchmark needs PostgreSQL (DATABASE_URL)")
    media_root = Path(tempfile.gettempdir()) / f"alma-bench-load-media-{database.name}"
    reused = args.keep and database.exists()
    if not reused:
        log(f"Creating database {database.name}")
        database.create()
        shutil.rmtree(media_root, ignore_errors=True)
    media_root.mkdir(parents=True, exist_ok=True)
    os.environ["ALMA_BENCH_MEDIA_ROOT"] = str(media_root)

    import django

    django.setup()
    from django.conf import settings
    from django.db import connections

    log_dir = tempfile.mkdtemp(prefix="alma-bench-load-logs-")
    try:
        site = prepare_site(args, database, reused)
        urls = endpoint_urls(args.endpoints)
        log("Checking every URL in-process")
        check_urls(urls)
        setting_exists = settings.API_CACHE_SETTING
        # The server's workers have connections of their own.
        connections.close_all()

        runs, locust_version = [], None
        for workers in args.workers:
            for mode in args.modes:
                run, locust_version = run_one(
                    args, workers, mode, urls, url, media_root, log_dir, setting_exists
                )
                runs.append(run)

        output = {
            "environment": {
                **environment(args, database, locust_version),
                "load_average_before": [round(x, 2) for x in load_before],
                "load_average_after": [round(x, 2) for x in os.getloadavg()],
            },
            "site": site,
            "options": {
                "duration_seconds": args.duration,
                "settle_seconds": args.settle,
                "connections": args.connections,
                "workers": args.workers,
                "worker_class": args.worker_class,
                "timeout_seconds": args.timeout,
                "cache": "redis" if args.cache_url else "local memory (one per worker)",
                "api_cache_setting": "present" if setting_exists else "absent",
            },
            "endpoints": {
                name: {"label": LABELS[name], "urls": len(paths), "example": paths[0]}
                for name, paths in urls.items()
            },
            "runs": runs,
            "goal": goal(runs, max(args.connections)),
            "scaling": scaling(runs),
            "total_seconds": round(time.perf_counter() - run_started, 1),
        }
    finally:
        connections.close_all()
        clear_cache(args.cache_url)
        shutil.rmtree(log_dir, ignore_errors=True)
        if not args.keep:
            log(f"Dropping database {database.name}")
            database.drop()
            shutil.rmtree(media_root, ignore_errors=True)

    text = json.dumps(output, indent=2)
    if args.output == "-":
        print(text)
    else:
        print(tables(output))
        if args.output:
            Path(args.output).write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
