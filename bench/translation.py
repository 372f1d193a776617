"""Benchmark of translation syncing: alma-cms's sync beside stock wagtail-localize's.

    python bench/translation.py [--pages 20] [--guidelines 100] [--quick] [--output FILE]

From the repository root. The database is ``DATABASE_URL`` (default: SQLite in memory); on
PostgreSQL a scratch database ``alma_bench_translation_<pid>`` is created next to it and dropped
at the end. It builds ``--pages`` guideline documents of ``--guidelines`` guidelines each,
translates them into Russian with wagtail-localize's own flow, then for each side and page:
an editor changes two strings (the audience and a guideline's title) and publishes, and the
translation is synced and published:

- ``stock``: ``TranslationSource.update_or_create_from_instance(page)`` +
  ``Translation.save_target(publish=True)`` (wagtail-localize's "Sync translated pages");
- ``alma``: ``alma_cms.translation.sync.sync_translations(page)``.

Only the sync is timed and its queries counted (``CaptureQueriesContext``). Output: one JSON
document on stdout (progress on stderr): per side ``pages``, ``seconds``, ``pages_per_second``,
``queries_per_page``; and ``queries_ratio_stock_to_alma``.
"""

import argparse
import json
import os
import platform
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, Python puts bench/ first on sys.path; the repository root is what we need.
if sys.path and Path(sys.path[0] or ".").resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, help="documents synced per side (20)")
    parser.add_argument("--guidelines", type=int, help="guidelines per document (100)")
    parser.add_argument("--quick", action="store_true", help="small run for CI: 3 pages of 20")
    parser.add_argument("--output", help="also write the JSON results to this file")
    args = parser.parse_args(argv)
    args.pages = args.pages or (3 if args.quick else 20)
    args.guidelines = args.guidelines or (20 if args.quick else 100)
    return args


def directions(count):
    """Guideline-document directions of ``count`` guidelines in all (10 per direction), each
    with a title, as stored StreamField data (also the sync tests' documents)."""
    stream = []
    for d in range(0, count, 10):
        items = [
            {
                "type": "item",
                "value": {"title": f"Guideline {g}", "actor": None, "role": "", "text": ""},
                "id": str(uuid.uuid4()),
            }
            for g in range(d, min(d + 10, count))
        ]
        stream.append(
            {
                "type": "direction",
                "value": {"title": f"Direction {d}", "summary": "", "guidelines": items},
                "id": str(uuid.uuid4()),
            }
        )
    return stream


def build(pages, guidelines):
    """English documents under a documents index, translated into Russian and published."""
    import datetime

    from wagtail.models import Locale, Page
    from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource
    from wagtail_localize.operations import TranslationCreator

    from alma_cms.pages.models import GuidelineDocumentIndexPage, GuidelineDocumentPage

    en = Locale.objects.get_or_create(language_code="en")[0]
    ru = Locale.objects.get_or_create(language_code="ru")[0]
    root = Page.get_first_root_node()
    index = root.add_child(
        instance=GuidelineDocumentIndexPage(title="Documents", slug="documents", locale=en)
    )
    index.save_revision().publish()
    documents = []
    for i in range(pages):
        page = index.add_child(
            instance=GuidelineDocumentPage(
                title=f"Document {i}",
                slug=f"document-{i}",
                status="finalized",
                adopted_on=datetime.date(2019, 4, 25),
                audience="Every library.",
                directions=directions(guidelines),
            )
        )
        page.save_revision().publish()
        creator = TranslationCreator(None, [ru])
        creator.create_translations(page)
        for translations in creator.mappings.values():
            for translation in translations:
                for segment in StringSegment.objects.filter(
                    source=translation.source
                ).select_related("string", "context"):
                    text = segment.string.data
                    slug = segment.context.path == "slug"
                    StringTranslation.objects.update_or_create(
                        translation_of=segment.string,
                        locale=ru,
                        context_id=segment.context_id,
                        defaults={
                            "data": f"ru-{text}" if slug else f"[ru] {text}",
                            "translation_type": "manual",
                        },
                    )
                translation.save_target(publish=True)
        documents.append(page.pk)
        TranslationSource.objects.get_for_instance(page)  # it exists
    return documents


def change(page_id, tag):
    """An editor changes two strings of the document and publishes it."""
    from wagtail.models import Page

    page = Page.objects.get(pk=page_id).specific
    page.audience = f"Audience {tag}."
    page.directions[0].value["guidelines"][0]["title"] = f"Guideline {tag}"
    page.save_revision().publish()
    return Page.objects.get(pk=page_id).specific


def stock_sync(page):
    from wagtail_localize.models import Translation, TranslationSource

    source, _created = TranslationSource.update_or_create_from_instance(page)
    for translation in Translation.objects.filter(source=source, enabled=True):
        translation.save_target(publish=True)


def alma_sync(page):
    from alma_cms.translation.sync import sync_translations

    outcomes = sync_translations(page, mode="publish")
    assert all(o.action == "published" for o in outcomes), outcomes


def measure(name, sync, documents):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    seconds, queries = 0.0, 0
    for page_id in documents:
        page = change(page_id, f"{name} {page_id}")
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            sync(page)
            seconds += time.perf_counter() - started
        queries += len(captured.captured_queries)
    return {
        "pages": len(documents),
        "seconds": round(seconds, 4),
        "pages_per_second": round(len(documents) / seconds, 2),
        "queries_per_page": round(queries / len(documents), 1),
    }


def main(argv=None):
    args = parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.testapp.settings"
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment(debug=False)
    test_name = f"alma_bench_translation_{os.getpid()}"
    if connection.vendor != "sqlite":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = test_name
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        log(f"Building {args.pages} documents of {args.guidelines} guidelines, in en and ru")
        documents = build(args.pages, args.guidelines)
        # Warm both paths once (imports, content type cache), untimed.
        stock_sync(change(documents[0], "warm stock"))
        alma_sync(change(documents[0], "warm alma"))
        log("Stock wagtail-localize")
        stock = measure("stock", stock_sync, documents)
        log("alma-cms")
        alma = measure("alma", alma_sync, documents)
        result = {
            "environment": {
                "database": connection.vendor,
                "python": platform.python_version(),
                "pages": args.pages,
                "guidelines_per_page": args.guidelines,
            },
            "stock": stock,
            "alma": alma,
            "queries_ratio_stock_to_alma": round(
                stock["queries_per_page"] / alma["queries_per_page"], 2
            ),
            "speedup": round(alma["pages_per_second"] / stock["pages_per_second"], 2),
        }
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    text = json.dumps(result, indent=2)
    print(text)
    if args.output:
        Path(args.output).write_text(text + "\n")
    return result


if __name__ == "__main__":
    main()
