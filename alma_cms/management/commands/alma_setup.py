"""``manage.py alma_setup [--base-url URL]``: create the missing content locales and set the
default site's address (see :mod:`alma_cms.site_setup`).

Idempotent: a second run changes nothing and says so. Bad input, or a site with no default
``Site``, prints one line and exits non-zero, with nothing changed.
"""

from django.core.management.base import BaseCommand, CommandError

from alma_cms.site_setup import SetupError, setup_site


class Command(BaseCommand):
    help = (
        "Create a Wagtail locale for every language of WAGTAIL_CONTENT_LANGUAGES that has none "
        "and, with --base-url, set the default site's hostname and port (the base of page "
        "URLs). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            metavar="URL",
            help=(
                "The address the site is served at, e.g. http://127.0.0.1:8000 or "
                "https://forum.example.org (no path). Keep WAGTAILADMIN_BASE_URL and "
                "WAGTAILAPI_BASE_URL equal to it."
            ),
        )

    def handle(self, *args, **options):
        try:
            report = setup_site(options["base_url"])
        except SetupError as exc:
            raise CommandError(f"alma_setup: {exc}") from exc
        if options["verbosity"] >= 1:
            for line in report.done:
                self.stdout.write(line)
        for line in report.warnings:
            self.stderr.write(self.style.WARNING(f"Warning: {line}"))
