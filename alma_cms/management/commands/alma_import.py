"""``manage.py alma_import PATH [--kind final-document] [--parent PATH] [--locale CODE]
[--dry-run]``: import a document into a draft page (docs/import.md).

Reads the file, parses it, plans and writes (one transaction, never publishing). A second
import of the same file changes nothing; a revised file updates the draft it made. Any
problem prints one line naming the line or paragraph and exits non-zero, nothing written."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from alma_cms.importer.errors import DocumentError
from alma_cms.importer.final_document import parse_final_document
from alma_cms.importer.plan import FINAL_DOCUMENT, UNCHANGED, plan_import
from alma_cms.importer.readers import read_blocks
from alma_cms.importer.writer import write

KINDS = {FINAL_DOCUMENT: parse_final_document}


class Command(BaseCommand):
    help = (
        "Import a final document (.txt, .md or .docx) into a draft guideline document page. "
        "Never publishes; re-importing the same file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The document: a .txt, .md or .docx file.")
        parser.add_argument(
            "--kind",
            choices=sorted(KINDS),
            default=FINAL_DOCUMENT,
            help="What the document is (only final documents for now).",
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
            "--dry-run", action="store_true", help="Print what would be done; write nothing."
        )

    def handle(self, *args, **options):
        path = Path(options["path"])
        verbose = options["verbosity"] >= 1

        def progress(message):
            if verbose:
                self.stderr.write(f"  {message}")

        try:
            progress(f"reading {path.name}")
            blocks = read_blocks(path)
            progress(f"parsing {len(blocks)} blocks")
            document = KINDS[options["kind"]](blocks, path.name)
            plan = plan_import(
                document,
                source_name=path.name,
                parent=options["parent"],
                locale=options["locale"],
                kind=options["kind"],
            )
            if options["dry_run"] or options["verbosity"] >= 2:
                for line in plan.describe():
                    self.stdout.write(line)
            if plan.conflicts:
                write(plan)  # raises ImportConflict with the fields changed
            if options["dry_run"]:
                self.stdout.write("Dry run: nothing was written.")
                return
            result = write(plan, progress)
        except DocumentError as exc:
            raise CommandError(f"{path.name}: {exc}") from exc
        if result.action == UNCHANGED:
            self.stdout.write(f"Unchanged: page {result.page.pk} already holds this document.")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{result.action.capitalize()}d draft page {result.page.pk} "
                    f"({result.page.title!r}), revision {result.revision.pk}; not published."
                )
            )
