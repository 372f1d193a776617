"""``manage.py alma_search_rebuild [--backend NAME] [--batch-size N]``."""

from django.core.management.base import BaseCommand, CommandError

from ...search.outbox import AVAILABLE
from ...search.rebuild import DEFAULT_BATCH_SIZE, RebuildError, rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the external search indexes into new indexes and swap their aliases, "
        "applying the changes recorded meanwhile; one rebuild at a time."
    )

    def add_arguments(self, parser):
        parser.add_argument("--backend", help="A WAGTAILSEARCH_BACKENDS name (default: all).")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=f"Objects per database query and _bulk request (default {DEFAULT_BATCH_SIZE}).",
        )

    def handle(self, *args, backend=None, batch_size=DEFAULT_BATCH_SIZE, verbosity=1, **options):
        if not AVAILABLE:
            raise CommandError("alma_search_rebuild needs Wagtail 8 (django-modelsearch).")

        def progress(label, done, total):
            if verbosity > 0:
                width = 30
                filled = width * done // total if total else width
                # One line per index, redrawn in place ("\r"), ended when the index is full.
                self.stderr.write(
                    f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}",
                    ending="\n" if done >= total else "",
                )
                self.stderr.flush()

        try:
            counts = rebuild(backend_name=backend, batch_size=batch_size, progress=progress)
        except (RebuildError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        if verbosity > 0:
            for label, count in counts.items():
                self.stdout.write(f"{label}: {count} documents indexed")
