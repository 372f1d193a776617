"""Where an API v2 request's time goes: cProfile over repeated requests, grouped.

    python bench/api.py --keep                     # once: builds the bench site and keeps it
    python bench/profile_api.py editions list      # or detail; speakers, quotations,
    python bench/profile_api.py speakers detail 40 #   guideline_documents; N requests

Runs against the database bench/api.py kept (``DATABASE_URL``, default the bench's), through
Django's test client, after a warm-up; prints milliseconds per request and the share of: bulk
loading (``prefetch_for_serializer``, with the StreamField conversion inside it),
serialization (DRF fields, block API values, representations), JSON-LD, JSON rendering, SQL
round trips and model instantiation. The groups overlap (bulk loading includes its SQL).
``--top N`` also prints the N functions with the most cumulative time.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if sys.path and Path(sys.path[0] or ".").resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

GROUPS = {
    "bulk loading (prefetch_for_serializer)": (
        "alma_cms/api/prefetch.py",
        "prefetch_for_serializer",
    ),
    "  of which StreamField conversion": (
        "alma_cms/representations/prefetch.py",
        "bulk_convert_streams",
    ),
    "serialization (serializer.data)": ("rest_framework/serializers.py", "data"),
    "JSON-LD (page_json_ld)": ("alma_cms/structured_data.py", "page_json_ld"),
    "JSON rendering (rendered_content)": ("rest_framework/response.py", "rendered_content"),
    "SQL (psycopg execute)": ("psycopg/cursor.py", "execute"),
    "model instances (from_db)": ("django/db/models/base.py", "from_db"),
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "type", choices=["editions", "speakers", "quotations", "guideline_documents"]
    )
    parser.add_argument("kind", choices=["list", "detail"])
    parser.add_argument("requests", type=int, nargs="?", default=20)
    parser.add_argument("--top", type=int, default=0)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.test import Client

    from bench.api import ALMA_TYPES, LIST_QUERY, detail_ids

    label = dict(ALMA_TYPES)[args.type]
    base = "/alma/api/v2/pages/"
    if args.kind == "list":
        urls = [base + LIST_QUERY.format(type=label)]
    else:
        urls = [f"{base}{pk}/" for pk in detail_ids(label)]
    client = Client()
    for url in urls * 2:
        client.get(url)
    profile = cProfile.Profile()
    profile.enable()
    for i in range(args.requests):
        client.get(urls[i % len(urls)])
    profile.disable()
    stats = pstats.Stats(profile)
    # The outermost call: the test client's ``request`` (called once per request).
    total = max(
        v[3]
        for k, v in stats.stats.items()
        if k[0].endswith("django/test/client.py") and k[2] == "request"
    )

    def cumulative(path, name):
        # Outermost calls only (recursion and overrides calling super() are not counted twice).
        return max(
            (v[3] for k, v in stats.stats.items() if k[0].endswith(path) and k[2] == name),
            default=0.0,
        )

    print(f"{args.type} {args.kind}: {total * 1000 / args.requests:.1f} ms a request (profiled)")
    for title, (path, name) in GROUPS.items():
        spent = cumulative(path, name)
        print(f"  {title:<45} {spent * 1000 / args.requests:7.1f} ms {100 * spent / total:4.0f} %")
    if args.top:
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(args.top)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
