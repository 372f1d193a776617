"""``manage.py alma_load_demo``: build the ALMA demo site, or bring it up to date.

Safe to run again: objects are looked up before they are created and saved only when they
differ, so a second run changes nothing. Everything happens in one transaction; on any error
nothing is kept and the command exits non-zero with one line saying what went wrong.
"""

from django.core.management.base import BaseCommand, CommandError

from sandbox.demo.loader import DemoError, DemoLoader


class Command(BaseCommand):
    help = (
        "Load the ALMA demo content (ALMA 2019 and 2021, the 2019 Final Document, speakers, "
        "quotations, the Rudomino Award) with Russian translations. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-translations",
            action="store_true",
            help="Skip the Russian translations (wagtail-localize).",
        )

    def handle(self, *args, **options):
        verbosity = options["verbosity"]

        def progress(line):
            if verbosity >= 1:
                self.stdout.write(line)

        loader = DemoLoader(translations=not options["no_translations"], stdout=progress)
        try:
            loader.run()
        except DemoError as exc:
            raise CommandError(f"alma_load_demo: {exc}") from exc
        except Exception as exc:  # anything else, still one line (use --traceback for more)
            message = " ".join(str(exc).split()) or type(exc).__name__
            raise CommandError(f"alma_load_demo: {type(exc).__name__}: {message}") from exc
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS("ALMA demo content is up to date."))
