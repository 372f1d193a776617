"""``manage.py alma_import PATH [--kind KIND] [--parent PATH] [--locale CODE]
[--translation-of PAGE] [--dry-run]``: import a document into draft pages (docs/import.md);
with ``--translation-of``, as the wagtail-localize translation of a page already imported.

Reads the file, parses it, plans and writes (one transaction, never publishing). A second
import of the same file changes nothing; a revised file updates the draft it made. Any
problem prints one line naming the line or paragraph and exits non-zero, nothing written."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from alma_cms.importer.errors import DocumentError
from alma_cms.importer.plan import UNCHANGED
from alma_cms.importer.service import kinds, prepare, run


class Command(BaseCommand):
    help = (
        "Import a document (.txt, .md or .docx) into draft pages. "
        "Never publishes; re-importing the same file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The document: a .txt, .md or .docx file.")
        parser.add_argument(
            "--kind",
            choices=sorted(kinds()),
            default=None,
            help="What the document is (default: detected from its text).",
        )
        parser.add_argument(
            "--parent",
            metavar="PATH",
            help="The parent page: its id or path (e.g. /guidelines/). Default: the locale's "
            "only guideline document index.",
        )
        parser.add_argument(
            "--locale",
            metavar="CODE",
            help="The language of the document (default: the default locale), e.g. en or ru.",
        )
        parser.add_argument(
            "--translation-of",
            metavar="PAGE",
            help="The page (id or path) this document translates, in another language: the "
            "document becomes its wagtail-localize translation into --locale (a draft).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would be done; write nothing."
        )

    def handle(self, *args, **options):
        path = Path(options["path"])
        verbose = options["verbosity"] >= 1

        def progress(message):
            if verbose:
                self.stderr.write(f"  {message}")

        try:
            prepared = prepare(
                path,
                kind=options["kind"],
                parent=options["parent"],
                locale=options["locale"],
                translation_of=options["translation_of"],
                progress=progress,
            )
            plan = prepared.plan
            if options["dry_run"] or options["verbosity"] >= 2:
                for line in plan.describe():
                    self.stdout.write(line)
            if plan.refused:
                run(prepared)  # raises ImportConflict with the fields changed
            if options["dry_run"]:
                self.stdout.write("Dry run: nothing was written.")
                return
            result = run(prepared, progress)
        except DocumentError as exc:
            # The file is named once: a reader's message already names it ("x.txt is empty").
            message = str(exc) if path.name in exc.message else f"{path.name}: {exc}"
            raise CommandError(message) from exc
        for note in getattr(result, "notes", ()):
            self.stdout.write(self.style.WARNING(f"Note: {note}"))
        if result.action == UNCHANGED:
            self.stdout.write(f"Unchanged: page {result.page.pk} already holds this document.")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{result.action.capitalize()}d draft page {result.page.pk} "
                    f"({result.page.title!r}), revision {result.revision.pk}; not published."
                )
            )
