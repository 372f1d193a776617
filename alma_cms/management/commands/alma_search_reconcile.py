"""``manage.py alma_search_reconcile [--check] [--backend NAME] [--model app.Model]``."""

from django.core.management.base import BaseCommand, CommandError

from ...search.drain import SearchServerUnavailable
from ...search.outbox import AVAILABLE


class Command(BaseCommand):
    help = (
        "Compare each external search index with the database (document ids and fingerprints) "
        "and repair drift through the outbox. With --check, repair nothing and exit non-zero "
        "on drift (for monitoring)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Report drift, repair nothing.")
        parser.add_argument("--backend", help="A WAGTAILSEARCH_BACKENDS name (default: all).")
        parser.add_argument(
            "--model",
            help="Only this model's objects and documents (app_label.Model; subclasses included).",
        )

    def handle(self, *args, check=False, backend=None, model=None, verbosity=1, **options):
        if not AVAILABLE:
            raise CommandError("alma_search_reconcile needs Wagtail 8 (django-modelsearch).")
        # Here: the search package's modules need the app registry.
        from ...search.reconcile import ReconcileError, reconcile

        def progress(label, count):
            if verbosity > 0:
                self.stderr.write(f"{label}: {count} objects read")

        try:
            reports = reconcile(
                repair=not check, backend_name=backend, model_label=model, progress=progress
            )
        except ReconcileError as exc:
            raise CommandError(str(exc)) from None
        except SearchServerUnavailable as exc:
            raise CommandError(f"search server unavailable: {exc}") from None
        drifted = [report for report in reports if report.drift]
        if verbosity > 0:
            for report in reports:
                self.stdout.write(report.summary())
        if check and drifted:
            raise CommandError(
                "search index drift: "
                + "; ".join(
                    f"{r.backend}/{r.index} missing {len(r.missing)}, stale {len(r.stale)}, "
                    f"extra {len(r.extra)}"
                    for r in drifted
                )
                + " (run alma_search_reconcile without --check to repair)"
            )
        if drifted and verbosity > 0:
            self.stdout.write(f"repaired {len(drifted)} index(es) through the outbox")
