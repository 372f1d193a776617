"""Benchmark of the headless API: latency and queries per request, side by side.

    python bench/api.py [--requests 50] [--keep] [--output results.json]

From the repository root, with ``DATABASE_URL`` pointing at PostgreSQL (default
``postgres://postgres@127.0.0.1:5432/alma_bench``). The database is created (dropped first if it
exists), migrated, filled with a realistic site of 1,076 pages (bench/sitebuilder.py), measured, and
dropped again; ``--keep`` keeps it, and a later ``--keep`` run reuses it without rebuilding.

Every request goes through Django's test ``Client`` in-process (full middleware and URL
routing, no network), after a warm-up. Compared in the same run:

1. ``alma``: the alma-cms API (``alma_cms.api.api_router``) when the package provides it;
   until then Wagtail's stock ``PagesAPIViewSet`` over the alma page types;
2. ``wagtail_stock_plain``: stock Wagtail API v2 over ``PlainEditionPage`` (bench/plainapp), a
   plain page type carrying the same StreamField data with stock blocks;
3. ``floor``: the alma-cms API's bytes (detail and listing of every alma type), built by one raw
   SQL query and a JSON dump (bench/floor.py); timed interleaved with (1), request by request,
   and compared with (1) byte for byte: the bench exits with status 1 and prints a diff if any
   floor response differs from the API's;

4. ``html``: the HTML pages of the same pages as (1)'s detail endpoints (Wagtail's ``serve``:
   routing, the alma-cms templates, JSON-LD in the head), beside their API detail
   (``html_vs_api`` in the output compares the two);

plus, when (1) is the alma-cms API: ``alma_v3`` (Wagtail 8's API v3 with alma-cms installed:
the same types, listings with Wagtail's base fields only) and ``wagtail_stock_alma_types``
(stock ``PagesAPIViewSet`` over the alma types: edition detail; the edition listing with
``--stock-alma-list``, as it takes 5-10 s a request), to show what the package's API adds or
saves.

Output: one JSON document on stdout (progress on stderr); bench/README.md explains it.
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, Python puts bench/ first on sys.path; the repository root is what we need
# (``bench.settings``, ``alma_cms``, ``sandbox``), and bench/ must not shadow anything.
if sys.path and Path(sys.path[0] or ".").resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/alma_bench"

# (name, model label) of the alma page types measured.
ALMA_TYPES = [
    ("editions", "alma_cms_pages.ForumEditionPage"),
    ("speakers", "alma_cms_pages.SpeakerPage"),
    ("quotations", "alma_cms_pages.QuotationPage"),
    ("guideline_documents", "alma_cms_pages.GuidelineDocumentPage"),
]
PLAIN_TYPE = "alma_bench_plain.PlainEditionPage"
LIST_QUERY = "?type={type}&fields=*&limit=20"
DETAIL_PAGES = 10  # detail requests rotate over this many pages of the type


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=50, help="timed requests per endpoint")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests first")
    parser.add_argument(
        "--budget",
        type=float,
        default=6.0,
        help="seconds of timed requests per endpoint: stop early (after at least 3) once spent",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the database; reuse it if it exists"
    )
    parser.add_argument("--database-url", help=f"default: $DATABASE_URL or {DEFAULT_DATABASE_URL}")
    parser.add_argument("--output", help="also write the JSON results to this file")
    parser.add_argument(
        "--cache",
        choices=["off", "locmem", "redis"],
        default="off",
        help="also time the alma-cms API (v2 and v3) with its representation cache on, warm "
        "(targets alma_cached, alma_v3_cached), in local memory or in Redis (--cache-url)",
    )
    parser.add_argument(
        "--cache-url",
        default="redis://127.0.0.1:6379/6",
        help="the Redis database of --cache redis (flushed before the cached targets)",
    )
    parser.add_argument(
        "--stock-alma-list",
        action="store_true",
        help="also time stock Wagtail's edition listing over the alma types (5-10 s a request)",
    )
    return parser.parse_args(argv)


# --- The database --------------------------------------------------------------------------


class Database:
    """Creates and drops the bench database itself (PostgreSQL, or an SQLite file)."""

    def __init__(self, url):
        import dj_database_url

        self.url = url
        self.config = dj_database_url.parse(url)
        self.vendor = "postgresql" if "postgres" in self.config["ENGINE"] else "other"
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

    def exists(self):
        if self.vendor != "postgresql":
            return bool(self.name) and Path(self.name).exists()
        with self._admin() as conn:
            return bool(
                conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.name]).fetchone()
            )

    def drop(self):
        if self.vendor != "postgresql":
            if self.name and self.name != ":memory:":
                Path(self.name).unlink(missing_ok=True)
            return
        from psycopg import sql

        with self._admin() as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name))
            )

    def create(self):
        self.drop()
        if self.vendor != "postgresql":
            return
        from psycopg import sql

        with self._admin() as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))


# --- Measuring -----------------------------------------------------------------------------


def percentile(samples, fraction):
    ordered = sorted(samples)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def measure(client, urls, args):
    """Time GET requests cycling over ``urls`` (see ``measure_interleaved``)."""
    return measure_interleaved(client, [urls], args)[0]


def measure_interleaved(client, url_lists, args):
    """Time GET requests cycling over each list of ``url_lists``, the lists taking turns
    request by request (so that the machine's load weighs on each alike); count queries per
    request in a separate pass. Returns one ``(result, first_body)`` or ``{"error": ...}`` per
    list.

    Warm-up: one request per URL (at least ``--warmup`` in all), cut short for an endpoint whose
    first request already takes over a second. Timing: up to ``--requests`` requests per list,
    stopping once ``--budget`` seconds (per list) are spent and at least 3 were timed.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    errors = {}
    for n, urls in enumerate(url_lists):
        for i in range(max(args.warmup, len(urls))):
            before = time.perf_counter()
            response = client.get(urls[i % len(urls)])
            if response.status_code != 200:
                errors[n] = {
                    "error": f"GET {urls[i % len(urls)]} -> {response.status_code}",
                    "body": response.content[:300].decode(errors="replace"),
                }
                break
            if time.perf_counter() - before > 1.0:
                break
    queries, sizes, first_body = {}, {}, {}
    for n, urls in enumerate(url_lists):
        queries[n], sizes[n], first_body[n] = [], [], None
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            queries[n].append(len(captured))
            sizes[n].append(len(response.content))
            first_body[n] = first_body[n] or response.content
    samples = {n: [] for n in range(len(url_lists))}
    live = [n for n in range(len(url_lists)) if n not in errors]
    started = time.perf_counter()
    for i in range(args.requests):
        for n in live:
            urls = url_lists[n]
            url = urls[i % len(urls)]
            before = time.perf_counter()
            response = client.get(url)
            samples[n].append(time.perf_counter() - before)
            if response.status_code != 200:
                errors[n] = {"error": f"GET {url} -> {response.status_code}"}
        live = [n for n in live if n not in errors]
        spent = time.perf_counter() - started
        if not live or (spent > args.budget * len(url_lists) and i >= 2):
            break
    results = []
    for n, urls in enumerate(url_lists):
        if n in errors:
            results.append(errors[n])
            continue
        ms = [s * 1000 for s in samples[n]]
        result = {
            "n": len(ms),
            "p50_ms": round(percentile(ms, 0.50), 1),
            "p95_ms": round(percentile(ms, 0.95), 1),
            "mean_ms": round(statistics.fmean(ms), 1),
            "max_ms": round(max(ms), 1),
            "queries_per_request": round(statistics.fmean(queries[n]), 1),
            "queries_min_max": [min(queries[n]), max(queries[n])],
            "response_bytes": round(statistics.fmean(sizes[n])),
            "url": urls[0] + (f" (+{len(urls) - 1} more pages)" if len(urls) > 1 else ""),
        }
        results.append((result, first_body[n]))
    return results


def detail_ids(label, count=DETAIL_PAGES):
    from django.apps import apps

    model = apps.get_model(label)
    ids = list(model.objects.live().order_by("path").values_list("pk", flat=True))
    step = max(1, len(ids) // count)
    return ids[::step][:count]


def api_endpoints(base, label):
    return {
        "list": [base + LIST_QUERY.format(type=label)],
        "detail": [f"{base}{pk}/" for pk in detail_ids(label)],
    }


def has_api_v3():
    import wagtail

    return wagtail.VERSION[0] >= 8


def html_endpoints(label):
    """The HTML pages of the pages ``api_endpoints`` details (the same pages, same order)."""
    from bench.targets import html_page_urls  # here, as in main(): after django.setup()

    return {"detail": html_page_urls(label, detail_ids(label))}


def plan(alma_available, stock_alma_list=False):
    """{target: {"label": ..., "types": {type: {"list": [urls], "detail": [urls]}}}}."""
    stock = "/api/v2/pages/"
    targets = {}
    if alma_available:
        targets["alma"] = {
            "label": "alma-cms API v2 (alma_cms.api.api_router), alma page types",
            "types": {name: api_endpoints("/alma/api/v2/pages/", lbl) for name, lbl in ALMA_TYPES},
        }
    else:
        targets["alma"] = {
            "label": "stock Wagtail PagesAPIViewSet over the alma page types "
            "(stand-in until alma_cms.api.api_router exists)",
            "types": {name: api_endpoints(stock, lbl) for name, lbl in ALMA_TYPES},
        }
    # Measured right after the API details they are compared with.
    targets["html"] = {
        "label": "HTML pages of the same pages (Wagtail's serve, alma-cms templates)",
        "types": {name: html_endpoints(lbl) for name, lbl in ALMA_TYPES},
    }
    if alma_available:
        editions = api_endpoints(stock, ALMA_TYPES[0][1])
        if not stock_alma_list:  # thousands of queries a request: opt in
            del editions["list"]
        if has_api_v3():
            targets["alma_v3"] = {
                "label": "Wagtail API v3 with alma-cms installed (alma_cms.api.v3.api), "
                "alma page types; listings show base fields only",
                "types": {
                    name: {
                        "list": [f"/alma/api/v3/pages/?type={lbl}&limit=20"],
                        "detail": [f"/alma/api/v3/pages/{pk}/" for pk in detail_ids(lbl)],
                    }
                    for name, lbl in ALMA_TYPES
                },
            }
        targets["wagtail_stock_alma_types"] = {
            "label": "stock Wagtail PagesAPIViewSet, alma page types",
            "types": {"editions": editions},
        }
    targets["wagtail_stock_plain"] = {
        "label": "stock Wagtail PagesAPIViewSet, PlainEditionPage (same StreamField data, "
        "stock blocks)",
        "types": {"editions": api_endpoints(stock, PLAIN_TYPE)},
    }
    targets["floor"] = {
        "label": "one raw SQL query + a JSON dump, the alma API v2's bytes (PostgreSQL only); "
        "timed interleaved with alma",
        "types": {name: floor_endpoints(name, lbl) for name, lbl in ALMA_TYPES},
    }
    return targets


def floor_endpoints(name, label):
    """The floor's URLs for the pages ``api_endpoints`` shows (same pages, same order)."""
    return {
        "list": [f"/floor/{name}/?limit=20"],
        "detail": [f"/floor/{name}/{pk}/" for pk in detail_ids(label)],
    }


# --- Checking the floor against the API ----------------------------------------------------


def check_floor(client, plan_):
    """Every floor URL's body compared, byte for byte, with the alma API's for the same page
    (the same listing): ``{"available", "compared", "identical", "mismatches": [{"api",
    "floor", "diff"}]}`` (a unified diff of the first lines that differ)."""
    import difflib

    from django.db import connection

    if connection.vendor != "postgresql":
        return {"available": False, "reason": "the floor needs PostgreSQL"}
    if "floor" not in plan_ or plan_["alma"]["label"].startswith("stock"):
        return {"available": False, "reason": "the alma-cms API or the floor is not measured"}
    compared, mismatches = 0, []
    for type_name, endpoints in plan_["floor"]["types"].items():
        for kind, floor_urls in endpoints.items():
            api_urls = plan_["alma"]["types"][type_name][kind]
            for api_url, floor_url in zip(api_urls, floor_urls, strict=True):
                api = client.get(api_url).content
                floor = client.get(floor_url).content
                compared += 1
                if api == floor:
                    continue
                diff = difflib.unified_diff(
                    api.decode(errors="replace").splitlines(),
                    floor.decode(errors="replace").splitlines(),
                    "api",
                    "floor",
                    n=2,
                    lineterm="",
                )
                mismatches.append({"api": api_url, "floor": floor_url, "diff": list(diff)[:40]})
    return {
        "available": True,
        "compared": compared,
        "identical": compared - len(mismatches),
        "mismatches": mismatches,
    }


def api_vs_floor(results):
    """Per type and endpoint: the alma API's p50 beside the floor's (timed interleaved), and
    their ratio (issue #11 asks for at most 3 for details, 2 for listings, cold)."""
    compared = {}
    for type_name, _label in ALMA_TYPES:
        for kind in ("list", "detail"):
            api = results.get("alma", {}).get(type_name, {}).get(kind, {})
            floor = results.get("floor", {}).get(type_name, {}).get(kind, {})
            if "p50_ms" not in api or "p50_ms" not in floor:
                continue
            compared[f"{type_name} {kind}"] = {
                "api_p50_ms": api["p50_ms"],
                "floor_p50_ms": floor["p50_ms"],
                "p50_ratio": round(api["p50_ms"] / floor["p50_ms"], 2),
                "api_queries": api["queries_per_request"],
                "floor_queries": floor["queries_per_request"],
            }
    return compared


def html_vs_api(results):
    """Per page type: the HTML page's p50 and queries beside its API detail's (``alma``), and
    the ratio of the p50s (issue #6 asks for at most 2)."""
    compared = {}
    for type_name, _label in ALMA_TYPES:
        html = results.get("html", {}).get(type_name, {}).get("detail", {})
        api = results.get("alma", {}).get(type_name, {}).get("detail", {})
        if "p50_ms" not in html or "p50_ms" not in api:
            continue
        compared[type_name] = {
            "html_p50_ms": html["p50_ms"],
            "api_p50_ms": api["p50_ms"],
            "p50_ratio": round(html["p50_ms"] / api["p50_ms"], 2),
            "html_p95_ms": html["p95_ms"],
            "api_p95_ms": api["p95_ms"],
            "html_queries": html["queries_per_request"],
            "api_queries": api["queries_per_request"],
        }
    return compared


def summarise(results):
    """One line per endpoint: "p50 / p95 ms, queries per request"."""
    lines = {}
    for target, types in results.items():
        for type_name, kinds in types.items():
            if type_name == "label":
                continue
            for kind, r in kinds.items():
                key = f"{target} {type_name} {kind}"
                if "error" in r:
                    lines[key] = r["error"]
                else:
                    lines[key] = (
                        f"p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, "
                        f"{r['queries_per_request']:g} queries, "
                        f"{r['response_bytes']} bytes, n={r['n']}"
                    )
    return lines


# --- The representation cache --------------------------------------------------------------


def measure_cached(client, targets, results, bodies, args):
    """Time the alma-cms API targets again with the representation cache on (docs/caching.md):
    the warm-up of ``measure`` stores every body, the timed requests are hits. Adds targets
    ``<target>_cached`` and returns ``cache_vs_floor`` (p50 / floor p50 per type and endpoint;
    issue #11 asks for at most 1.5 warm for a detail); a cached body that differs from the
    uncached one is an error."""
    from django.core.cache import caches
    from django.test import override_settings

    if args.cache == "redis":
        backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache"}
        backend["LOCATION"] = args.cache_url
    else:
        # Room for the generation counters (alma_cms.W071).
        backend = {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    from django.conf import settings

    cache_settings = {**settings.CACHES, "representations": backend}
    on = {"ENABLED": True, "CACHE": "representations"}
    alma = {**getattr(settings, "ALMA_CMS", {}), "API_REPRESENTATION_CACHE": on}
    with override_settings(CACHES=cache_settings, ALMA_CMS=alma):
        caches["representations"].clear()
        for target in ("alma", "alma_v3"):
            if target not in targets:
                continue
            name = f"{target}_cached"
            results[name] = {
                "label": f"{targets[target]['label']}; representation cache on ({args.cache}), warm"
            }
            for type_name, endpoints in targets[target]["types"].items():
                results[name][type_name] = {}
                for kind, urls in endpoints.items():
                    log(f"  {name} {type_name} {kind}")
                    measured = measure(client, urls, args)
                    if isinstance(measured, dict):
                        results[name][type_name][kind] = measured
                        continue
                    result, body = measured
                    if body != bodies.get((target, type_name, kind)):
                        result["error"] = "the cached body differs from the uncached one"
                    results[name][type_name][kind] = result
        caches["representations"].clear()
    return cache_vs_floor(results)


def cache_vs_floor(results):
    """{"<type> <kind>": {target: p50 / floor p50}} for alma and alma_cached (v2), the floor
    timed with the uncached API."""
    ratios = {}
    for type_name, _label in ALMA_TYPES:
        for kind in ("detail", "list"):
            floor = results.get("floor", {}).get(type_name, {}).get(kind, {})
            if "p50_ms" not in floor:
                continue
            for target in ("alma", "alma_cached"):
                timed = results.get(target, {}).get(type_name, {}).get(kind, {})
                if "p50_ms" in timed:
                    ratio = round(timed["p50_ms"] / floor["p50_ms"], 2)
                    ratios.setdefault(f"{type_name} {kind}", {})[target] = ratio
    return ratios


# --- Main ----------------------------------------------------------------------------------


def environment(args, database):
    import django
    import wagtail
    from django.db import connection

    with connection.cursor() as cursor:
        version = connection.vendor
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = f"PostgreSQL {cursor.fetchone()[0]}"
    return {
        "python": platform.python_version(),
        "django": django.get_version(),
        "wagtail": wagtail.__version__,
        "database": version,
        "database_name": database.name,
        "cpus": os.cpu_count(),
        "requests_per_endpoint": args.requests,
        "warmup": args.warmup,
        "budget_seconds_per_endpoint": args.budget,
    }


def site_summary():
    from django.db.models import Count
    from wagtail.models import Page

    counts = (
        Page.objects.filter(depth__gt=2)
        .values("content_type__app_label", "content_type__model")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    return {
        "pages": sum(c["n"] for c in counts),
        "by_type": {
            f"{c['content_type__app_label']}.{c['content_type__model']}": c["n"] for c in counts
        },
    }


def main(argv=None):
    args = parse_args(argv)
    run_started = time.perf_counter()
    url = args.database_url or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

    database = Database(url)
    reused = args.keep and database.exists()
    if not reused:
        log(f"Creating database {database.name}")
        database.create()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client

    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        migrate_seconds = time.perf_counter() - started

        from bench.sitebuilder import build, site_exists
        from bench.targets import alma_api_router, alma_api_status

        build_seconds = 0.0
        if site_exists():
            log("Reusing the site already in the database")
        else:
            log("Building the site")
            started = time.perf_counter()
            build()
            build_seconds = time.perf_counter() - started
        if connections["default"].vendor == "postgresql":
            # Planner statistics, as autovacuum would gather on a live site: without them
            # PostgreSQL plans the API's and the floor's joins blind.
            with connections["default"].cursor() as cursor:
                cursor.execute("ANALYZE")

        client = Client()
        results, bodies = {}, {}
        plan_ = plan(alma_api_router() is not None, args.stock_alma_list)
        floor = plan_.get("floor", {}).get("types", {})
        for target, spec in plan_.items():
            results.setdefault(target, {})["label"] = spec["label"]
            if target == "floor":
                continue  # timed with alma, interleaved
            for type_name, endpoints in spec["types"].items():
                results[target].setdefault(type_name, {})
                for kind, urls in endpoints.items():
                    pair = {target: urls}
                    if target == "alma" and kind in floor.get(type_name, {}):
                        pair["floor"] = floor[type_name][kind]
                    log(f"  {' + '.join(pair)} {type_name} {kind}")
                    measured = measure_interleaved(client, list(pair.values()), args)
                    for name, outcome in zip(pair, measured, strict=True):
                        by_type = results.setdefault(name, {}).setdefault(type_name, {})
                        if isinstance(outcome, dict):  # an error
                            by_type[kind] = outcome
                            continue
                        by_type[kind], bodies[name, type_name, kind] = outcome
        if "floor" in results:  # after alma's types, as before
            results["floor"] = results.pop("floor")
        log("  comparing the floor's bytes with the API's")
        floor_check = check_floor(client, plan_)
        ratios = {}
        if args.cache != "off":
            ratios = measure_cached(client, plan_, results, bodies, args)

        output = {
            "environment": environment(args, database),
            "site": {
                **site_summary(),
                "reused": reused,
                "migrate_seconds": round(migrate_seconds, 1),
                "build_seconds": round(build_seconds, 1),
            },
            "alma_api": alma_api_status(),
            "summary": summarise(results),
            "html_vs_api": html_vs_api(results),
            "api_vs_floor": api_vs_floor(results),
            "cache_vs_floor": ratios,
            "results": results,
            "floor_check": floor_check,
            "total_seconds": round(time.perf_counter() - run_started, 1),
        }
    finally:
        connections.close_all()
        if not args.keep:
            log(f"Dropping database {database.name}")
            database.drop()
        shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)

    text = json.dumps(output, indent=2)
    print(text)
    if args.output:
        Path(args.output).write_text(text + "\n")
    mismatches = output["floor_check"].get("mismatches")
    if mismatches:
        log(f"FAILED: {len(mismatches)} floor response(s) differ from the API's:")
        for mismatch in mismatches[:3]:
            log(f"--- {mismatch['api']} vs {mismatch['floor']}")
            log("\n".join(mismatch["diff"]))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
