"""``manage.py alma_sync_translations [--locale CODE ...] [--root PATH] [--publish] [--from-draft]
[--dry-run] [--inline]``: bulk sync of translations (docs/translation.md, issue 9).

Every translation source (a page or snippet submitted to wagtail-localize) with at least one
translation whose sync is on, limited to the pages at or below ``--root`` and to the target
locales ``--locale``, is synced: by default one Celery task per source
(``alma_cms.translation.tasks.send_sync``, sent after commit); with ``--inline`` (or without
Celery) in this process, each source in its own transaction, with a progress bar on stderr and a
summary of what each translation became (published, draft, skipped, error). ``--from-draft``
reads each source's latest draft and saves the translations as draft revisions only (never
published: the source's draft is not live). ``--dry-run`` lists what would be synced and
changes nothing. Bad arguments: one line and exit status 1;
with ``--inline``, any sync error makes the exit status 1 after the summary.
"""

import logging
from collections import Counter
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from wagtail.models import Locale, Page

from ...translation.sync import SyncError, sync_translations


def _root_page(value):
    """A page id, or a URL path (``/en/alma-2021/``) of one of the site's pages."""
    if value.isdigit():
        page = Page.objects.filter(pk=int(value)).first()
    else:
        path = "/" + value.strip("/") + "/" if value.strip("/") else "/"
        page = None
        # url_path starts at the tree's root page ("/home/alma/"); a site serves it from its
        # root page down, maybe behind a language prefix ("/en/alma/"): a suffix of it, with
        # or without the path's first segment.
        parts = path.strip("/").split("/", 1)
        suffixes = {path, "/" + parts[1] + "/" if len(parts) > 1 else "/"}
        query = Q()
        for suffix in suffixes:
            query |= Q(url_path__endswith=suffix)
        for candidate in Page.objects.filter(query, depth__gt=1).order_by("depth"):
            if _served_path(candidate) == path:
                page = candidate
                break
    if page is None:
        raise CommandError(f"--root {value!r}: no such page (give a page id or its URL path)")
    return page


def _served_path(page):
    parts = page.get_url_parts()
    return parts[2] if parts else None


class Command(BaseCommand):
    help = (
        "Sync translations with their sources: one Celery task per source, or in this process "
        "with --inline."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--locale",
            action="append",
            dest="locales",
            metavar="CODE",
            help="Only translations into this language (repeatable; default: every locale).",
        )
        parser.add_argument("--root", help="Only pages at or below this page (id or URL path).")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish every synced translation (default: TRANSLATION_SYNC_ON_PUBLISH's rule).",
        )
        parser.add_argument(
            "--from-draft",
            action="store_true",
            help=(
                "Sync from each source's latest draft; the translations get draft revisions "
                "only (never published). Not with --publish."
            ),
        )
        parser.add_argument("--dry-run", action="store_true", help="List, change nothing.")
        parser.add_argument(
            "--inline", action="store_true", help="Sync in this process, not through Celery."
        )

    def handle(self, *args, **options):
        if not apps.is_installed("wagtail_localize"):
            raise CommandError("alma_sync_translations needs wagtail_localize in INSTALLED_APPS.")
        # Here: wagtail-localize's models exist only when it is installed (checked above).
        from wagtail_localize.models import Translation

        if options["publish"] and options["from_draft"]:
            raise CommandError(
                "--publish and --from-draft cannot be combined: a sync from the source's draft "
                "saves draft revisions only."
            )
        locale_ids = self._locale_ids(options["locales"])
        translations = Translation.objects.filter(enabled=True).select_related(
            "source", "target_locale"
        )
        if locale_ids is not None:
            translations = translations.filter(target_locale_id__in=locale_ids)
        root = None
        if options["root"] is not None:
            if not options["root"].strip():
                raise CommandError(
                    f"--root {options['root']!r}: empty (give a page id or its URL path; leave "
                    "--root out to sync every source)"
                )
            root = _root_page(options["root"])
            _check_root_is_a_source(root, options["root"])
        if locale_ids is not None:
            self._explain_untranslated_locales(locale_ids)
        sources = self._sources(translations, root)
        verbosity = options["verbosity"]
        if options["dry_run"]:
            for source, codes in sources:
                self.stdout.write(f"would sync {_label(source)} into {', '.join(codes)}")
            self.stdout.write(f"{len(sources)} sources would be synced (dry run: nothing changed)")
            return
        mode = "publish" if options["publish"] else None
        inline = options["inline"] or find_spec("celery") is None
        if not inline:
            # Here: alma's translation tasks module imports Celery (checked above).
            from ...translation.tasks import send_sync

            with transaction.atomic():
                for source, codes in sources:
                    send_sync(
                        source, locales=codes, mode=mode, from_draft=options["from_draft"], delay=0
                    )
            self.stdout.write(f"{len(sources)} sync tasks sent")
            return
        actions, errors = Counter(), []
        # The sync logs its failures (to the console, often the same terminal as the progress
        # bar): end the bar's line first, or the message is glued to "5/21".
        end_line = _EndLineBeforeLog(self) if verbosity > 0 else None
        sync_logger = logging.getLogger("alma_cms.translation")
        if end_line is not None:
            sync_logger.addFilter(end_line)
        try:
            self._sync_inline(sources, mode, options, verbosity, actions, errors)
        finally:
            if end_line is not None:
                sync_logger.removeFilter(end_line)
        summary = ", ".join(f"{actions[a]} {a}" for a in ("published", "draft", "skipped", "error"))
        self.stdout.write(f"{len(sources)} sources synced: {summary}")
        for error in errors:
            self.stderr.write(error)
        if errors:
            raise CommandError(f"{len(errors)} sync errors (listed above; shown in the report)")

    def _sync_inline(self, sources, mode, options, verbosity, actions, errors):
        for done, (source, codes) in enumerate(sources, 1):
            try:
                outcomes = sync_translations(
                    source, locales=codes, mode=mode, from_draft=options["from_draft"]
                )
            except SyncError as exc:
                errors.append(f"{_label(source)}: {exc}")
                outcomes = []
            for outcome in outcomes:
                actions[outcome.action] += 1
                if outcome.action == "error":
                    errors.append(f"{_label(source)} → {outcome.locale}: {outcome.error}")
            if verbosity > 0:
                self._progress(done, len(sources))

    def _locale_ids(self, codes):
        if not codes:
            return None
        ids = []
        for code in codes:
            try:
                ids.append(Locale.objects.get_for_language(code).pk)
            except (Locale.DoesNotExist, LookupError):
                known = ", ".join(Locale.objects.values_list("language_code", flat=True))
                raise CommandError(
                    f"--locale {code!r}: no such locale (this site has: {known})"
                ) from None
        return ids

    def _explain_untranslated_locales(self, locale_ids):
        """A locale nothing translates into gives "0 sources": say why, not just the zero."""
        # Here: wagtail-localize's models exist only when it is installed (checked in handle).
        from wagtail_localize.models import Translation, TranslationSource

        targets = set(
            Translation.objects.filter(target_locale_id__in=locale_ids).values_list(
                "target_locale_id", flat=True
            )
        )
        for locale in Locale.objects.filter(pk__in=locale_ids).exclude(pk__in=targets):
            code = locale.language_code
            if TranslationSource.objects.filter(locale=locale).exists():
                self.stdout.write(
                    f"{code} is the source locale of every page; nothing translates into it"
                )
            else:
                self.stdout.write(f"nothing is translated into {code} yet")

    def _sources(self, translations, root):
        """``[(source object, [language codes])]`` in a stable order: pages by tree path, then
        snippets."""
        by_source = {}
        for translation in translations.order_by("source_id", "target_locale_id"):
            by_source.setdefault(translation.source, []).append(
                translation.target_locale.language_code
            )
        found = []
        for source, codes in by_source.items():
            try:
                instance = source.get_source_instance()
            except Exception:  # noqa: BLE001  (source deleted: nothing to sync; the report shows it)
                continue
            if root is not None:
                if not isinstance(instance, Page) or not instance.path.startswith(root.path):
                    continue
            found.append((instance, codes))
        found.sort(key=lambda item: (not isinstance(item[0], Page), getattr(item[0], "path", "")))
        return found

    def _progress(self, done, total):
        width = 30
        filled = width * done // total if total else width
        self.stderr.write(
            f"\rsyncing [{'#' * filled}{'.' * (width - filled)}] {done}/{total}",
            ending="\n" if done >= total else "",
        )
        self.stderr.flush()
        self.progress_line_open = done < total

    def end_progress_line(self):
        if getattr(self, "progress_line_open", False):
            self.stderr.write("")
            self.stderr.flush()
            self.progress_line_open = False


class _EndLineBeforeLog(logging.Filter):
    """A filter on the sync's logger that ends an open progress line before a record is
    written; it lets every record through."""

    def __init__(self, command):
        super().__init__()
        self.command = command

    def filter(self, record):
        self.command.end_progress_line()
        return True


def _check_root_is_a_source(root, value):
    """``--root`` at a translated page (``/ru/speakers/``) would select nothing, as syncs go
    from sources: an error naming the source page to give instead."""
    # Here: wagtail-localize's models exist only when it is installed (checked in handle).
    from wagtail_localize.models import Translation, TranslationSource

    if TranslationSource.objects.filter(
        object_id=root.translation_key, locale_id=root.locale_id
    ).exists():
        return
    translation = (
        Translation.objects.filter(
            source__object_id=root.translation_key, target_locale_id=root.locale_id
        )
        .select_related("source__locale")
        .first()
    )
    if translation is None:
        return
    source_locale = translation.source.locale
    source_page = root.get_translation_or_none(source_locale)
    where = _served_path(source_page) or source_page.pk if source_page is not None else None
    hint = f"give the source page {where}" if where else "give its source page"
    raise CommandError(
        f"--root {value!r}: {_served_path(root) or root.pk} is in {root.locale.language_code}, "
        f"a translation of {source_locale.language_code}; {hint}"
    )


def _label(obj):
    return f"{obj._meta.verbose_name} {obj.pk} ({obj})"
