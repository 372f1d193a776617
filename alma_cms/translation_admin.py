"""Translation status in the Wagtail admin (docs/translation.md, "Translation status"), and
wagtail-localize's admin actions routed through alma's sync engine:

- the report "Translation status" under Reports: every translatable page and snippet × locale
  with its state (``alma_cms.translation.status``), filterable by locale, state, type and
  section, with the bulk actions "Sync selected" (``alma_cms.translation.tasks.send_sync``) and
  "Publish complete translations";
- the translations of a page, with their states, in the page editor's status side panel;
- wagtail-localize's "Start Synced translation" (restart) and "Sync translated pages", which keep
  the translators' work (``install_restart_translation``, ``install_update_translations``), and
  its "Translate this page" with "Include subtree", which first names the manual edits it would
  replace (``install_submit_translation``).

Who may use them: users with wagtail-localize's permission ``wagtail_localize.submit_translation``
(the one that gives "Translate this page" and "Sync translated pages"); publishing a translation
also needs the permission to publish that page. Hooked in ``alma_cms/wagtail_hooks.py``.
"""

import contextlib
import functools
import logging
from dataclasses import dataclass
from importlib.util import find_spec

import django_filters
from django.apps import apps
from django.contrib import messages as django_messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.auth import permission_denied
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.side_panels import PageStatusSidePanel
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets import AdminPageChooser
from wagtail.models import Locale, Page, TranslatableMixin
from wagtail.snippets.models import get_snippet_models

from .translation import status as translation_status
from .translation import sync

logger = logging.getLogger("alma_cms.translation")

PERMISSION = "wagtail_localize.submit_translation"


def can_see_translation_status(user):
    """Whether ``user`` may see the report and the side panel section and sync from them:
    wagtail-localize is installed and the user has ``wagtail_localize.submit_translation``."""
    return apps.is_installed("wagtail_localize") and user.has_perm(PERMISSION)


def translatable_snippet_models():
    return [model for model in get_snippet_models() if issubclass(model, TranslatableMixin)]


def _content_types():
    page_types = [
        model for model in apps.get_models() if issubclass(model, Page) and model is not Page
    ]
    models = [m for m in page_types if not m._meta.abstract] + translatable_snippet_models()
    ids = [ct.pk for ct in ContentType.objects.get_for_models(*models).values()]
    return ContentType.objects.filter(pk__in=ids).order_by("app_label", "model")


# --- The report -------------------------------------------------------------------------------


@dataclass
class Row:
    """One line of the report: ``object`` (a page or snippet) translated into ``locale``."""

    object: object
    locale: Locale
    status: translation_status.TranslationStatus

    @property
    def id(self):
        """``<content type id>:<pk>:<language code>``: what the bulk actions receive."""
        content_type = ContentType.objects.get_for_model(
            type(self.object), for_concrete_model=False
        )
        return f"{content_type.pk}:{self.object.pk}:{self.locale.language_code}"

    @property
    def title(self):
        return str(getattr(self.object, "title", None) or self.object)

    @property
    def type_label(self):
        return type(self.object)._meta.verbose_name

    @property
    def locale_label(self):
        return self.locale.get_display_name()

    @property
    def synced_at(self):
        return self.status.synced_at


class StateColumn(Column):
    cell_template_name = "alma_cms/translation/state_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["status"] = instance.status
        return context


class SelectColumn(Column):
    cell_template_name = "alma_cms/translation/select_cell.html"


class _SectionChooser(AdminPageChooser):
    """Wagtail's page chooser, rendering a value that is no page id (``?section=abc``) as no
    page: the filter's error is shown (Wagtail looks the value up as an id: a ValueError, 500)."""

    def get_instance(self, value):
        try:
            return super().get_instance(value)
        except (ValueError, TypeError):
            return None


class TranslationStatusFilterSet(WagtailFilterSet):
    """The report's filters. They only validate the query: the rows are filtered in
    ``TranslationStatusReportView.get_filtered_queryset`` (a state is computed, not stored)."""

    locale = django_filters.ModelChoiceFilter(
        label=_("Locale"),
        queryset=Locale.objects.all(),
        to_field_name="language_code",
        method="validated_only",
    )
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=[
            (state, translation_status.STATE_LABELS[state]) for state in translation_status.STATES
        ],
        method="validated_only",
    )
    content_type = django_filters.ModelChoiceFilter(
        label=_("Type"),
        queryset=lambda request: _content_types(),
        method="validated_only",
    )
    section = django_filters.ModelChoiceFilter(
        label=_("Section"),
        queryset=Page.objects.filter(depth__gt=1),
        widget=_SectionChooser,
        method="validated_only",
        help_text=_("A page and the pages below it."),
    )

    class Meta:
        model = Page
        fields = []

    def validated_only(self, queryset, name, value):
        return queryset


class TranslationStatusReportView(ReportView):
    page_title = _("Translation status")
    header_icon = "globe"
    template_name = "alma_cms/translation/report.html"
    results_template_name = "alma_cms/translation/report_results.html"
    index_url_name = "alma_cms_translation_status"
    index_results_url_name = "alma_cms_translation_status_results"
    filterset_class = TranslationStatusFilterSet
    paginate_by = 100
    list_export = []
    model = Page

    def dispatch(self, request, *args, **kwargs):
        if not can_see_translation_status(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def columns(self):
        return [
            SelectColumn("select", label=_("Select translation"), accessor="id"),
            TitleColumn(
                "title",
                label=_("Source"),
                get_url=lambda row: AdminURLFinder(self.request.user).get_edit_url(row.object),
            ),
            Column("type_label", label=_("Type")),
            Column("locale_label", label=_("Locale")),
            StateColumn("state", label=_("State"), accessor="status.label"),
            DateColumn("synced_at", label=_("Last sync")),
        ]

    def get_queryset(self):
        # The filterset validates against pages; rows are built in get_filtered_queryset.
        return Page.objects.none()

    def _cleaned(self, name):
        if self.filters is None or not self.filters.is_valid():
            return None
        return self.filters.form.cleaned_data.get(name)

    def _source_pages(self, content_type, section):
        translation_source = apps.get_model("wagtail_localize", "TranslationSource")
        is_source = Exists(
            translation_source.objects.filter(
                object_id=OuterRef("translation_key"), locale_id=OuterRef("locale_id")
            )
        )
        pages = Page.objects.filter(depth__gt=1).filter(
            Q(locale_id=Locale.get_default().pk) | is_source
        )
        if content_type is not None:
            pages = pages.filter(content_type=content_type)
        if section is not None:
            pages = pages.descendant_of(section, inclusive=True)
        return list(pages.order_by("path").specific(defer=True))

    def _source_snippets(self, content_type):
        translation_source = apps.get_model("wagtail_localize", "TranslationSource")
        found = []
        for model in translatable_snippet_models():
            if content_type is not None and content_type.model_class() is not model:
                continue
            is_source = Exists(
                translation_source.objects.filter(
                    object_id=OuterRef("translation_key"), locale_id=OuterRef("locale_id")
                )
            )
            found += list(
                model._default_manager.filter(Q(locale_id=Locale.get_default().pk) | is_source)
            )
        return found

    def get_filtered_queryset(self):
        """The rows: sources (pages and snippets in the default locale, or submitted to
        wagtail-localize from theirs) × the other locales, filtered, with their statuses.

        An invalid filter (``?state=bogus``, ``?locale=xx``) lists nothing, beside its error:
        Wagtail's stock listings drop every filter then and list all rows, which reads as the
        filtered result (``?state=in_sync&locale=xx`` showing every state)."""
        if self.filters is not None and not self.filters.is_valid():
            return []
        content_type = self._cleaned("content_type")
        section = self._cleaned("section")
        objects = []
        if content_type is None or issubclass(content_type.model_class() or object, Page):
            objects += self._source_pages(content_type, section)
        if section is None and (
            content_type is None or not issubclass(content_type.model_class() or Page, Page)
        ):
            objects += self._source_snippets(content_type)
        locale = self._cleaned("locale")
        locales = list(Locale.objects.all()) if locale is None else [locale]
        table = translation_status.statuses(objects, locales)
        state = self._cleaned("state")
        by_code = {loc.language_code: loc for loc in locales}
        rows = []
        for obj in objects:
            for code in by_code:
                found = table.get((obj, code))
                if found is None or (state and found.state != state):
                    continue
                rows.append(Row(obj, by_code[code], found))
        return rows

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["action_url"] = reverse("alma_cms_translation_status_action")
        context["next_url"] = self.request.get_full_path().replace("/results/", "/", 1)
        return context


class TranslationStatusMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see_translation_status(request.user)


def report_menu_item():
    return TranslationStatusMenuItem(
        _("Translation status"),
        reverse("alma_cms_translation_status"),
        name="alma-translation-status",
        icon_name="globe",
        order=950,
    )


# --- Bulk actions -----------------------------------------------------------------------------


def _selected(request):
    """``([(object, language_code)], [invalid row])`` of the rows posted as ``rows``
    (``Row.id``). A row is valid when its content type is a translatable model, the object
    exists and the locale exists and is not the object's own; the others are returned as
    posted, for the message (nothing is done for them)."""
    found, invalid = [], []
    locale_ids = dict(Locale.objects.values_list("language_code", "pk"))
    for value in request.POST.getlist("rows"):
        try:
            content_type_id, pk, code = value.split(":", 2)
            model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        except (ValueError, ContentType.DoesNotExist):
            invalid.append(value)
            continue
        if model is None or not issubclass(model, TranslatableMixin) or code not in locale_ids:
            invalid.append(value)
            continue
        try:
            obj = model._default_manager.filter(pk=pk).first()
        except (ValueError, ValidationError):  # a pk of the wrong type
            obj = None
        if obj is None or obj.locale_id == locale_ids[code]:
            invalid.append(value)
            continue
        found.append((obj.specific if isinstance(obj, Page) else obj, code))
    return found, invalid


def _sync_in_process(source, *, locales, user, from_draft=False):
    try:
        sync.sync_translations(source, locales=locales, user=user, from_draft=from_draft)
    except sync.SyncError as error:
        # As the Celery task does: logged once, not raised (this runs after the request's
        # commit, or at once outside a transaction); the engine recorded it where it could.
        logger.error("Sync of %s %s failed: %s", type(source).__name__, source.pk, error)


def _sync_after_commit(source, *, locales, user, from_draft=False):
    """``send_sync`` through Celery; without Celery (an extra), the same sync in this process
    after commit (nothing when the transaction rolls back). Returns ``send_sync``'s outcome:
    False when the broker could not be reached, else True or None (sent after commit)."""
    if find_spec("celery") is not None:
        # Here: alma's translation tasks module imports Celery.
        from .translation import tasks as translation_tasks

        return translation_tasks.send_sync(
            source, locales=locales, user=user, from_draft=from_draft
        )
    transaction.on_commit(
        functools.partial(
            _sync_in_process, source, locales=locales, user=user, from_draft=from_draft
        )
    )


def sync_selected(request, selected, *, from_draft=False):
    """One ``send_sync(source, locales=[...])`` per source (sent after commit). With
    ``from_draft``: from the source's latest draft, saved as draft revisions only."""
    locales_by_source = {}
    for obj, code in selected:
        locales_by_source.setdefault(obj, []).append(code)
    failed = 0
    for source, codes in locales_by_source.items():
        sent = _sync_after_commit(source, locales=codes, user=request.user, from_draft=from_draft)
        failed += sent is False
    if failed:
        # Saying "sent" would hide it: the translations stay out of date, nothing changed.
        messages.error(
            request,
            ngettext(
                "The sync of %(count)d source could not be sent: the Celery broker cannot be "
                "reached. Nothing changed; sync it again when the broker is back.",
                "The syncs of %(count)d sources could not be sent: the Celery broker cannot be "
                "reached. Nothing changed; sync them again when the broker is back.",
                failed,
            )
            % {"count": failed},
        )
    count = len(locales_by_source) - failed
    if not count:
        return
    if from_draft:
        message = ngettext(
            "Sync of %(count)d source from its draft sent (saved as drafts, not published).",
            "Sync of %(count)d sources from their drafts sent (saved as drafts, not published).",
            count,
        )
    else:
        message = ngettext(
            "Sync of %(count)d source sent.",
            "Sync of %(count)d sources sent.",
            count,
        )
    messages.success(request, message % {"count": count})


#: The states a translation may be published from: synced with the current source (not out of
#: date, sync on); with every string translated (checked apart: ``is_complete``).
PUBLISHABLE_STATES = (
    translation_status.IN_SYNC,
    translation_status.IN_PROGRESS,
    translation_status.NEEDS_REVIEW,
)


def publish_complete(request, selected):
    """Publish each selected page translation that is complete (every string translated) and
    current (not out of date, its last sync did not fail, its sync on), where the user may
    publish that page; say what was left and why.

    The page is written from its current translations (``sync.sync_translations`` in mode
    "publish-if-complete" for that locale), not from its latest revision: a string the
    translator saved after the last sync is on the live page, a changed string keeps its
    translation, the sync state is recorded."""
    table = translation_status.statuses([obj for obj, _code in selected])
    published, incomplete, denied, failed = 0, 0, 0, []
    for obj, code in selected:
        found = table.get((obj, code))
        if (
            not isinstance(obj, Page)
            or found is None
            or found.target_pk is None
            or found.state not in PUBLISHABLE_STATES
            or found.error
            or not found.is_complete
        ):
            incomplete += 1
            continue
        target = Page.objects.get(pk=found.target_pk).specific
        if not target.permissions_for_user(request.user).can_publish():
            denied += 1
            continue
        try:
            outcomes = sync.sync_translations(
                obj, locales=[code], mode="publish-if-complete", user=request.user
            )
        except sync.SyncError as error:
            failed.append(str(error))
            continue
        for outcome in outcomes:
            if outcome.action == "published":
                published += 1
            elif outcome.action == "error":
                failed.append(outcome.error)
            else:  # a string lost its translation meanwhile: a draft, nothing live changed
                incomplete += 1
    if published:
        messages.success(
            request,
            ngettext(
                "%(count)d translation published.", "%(count)d translations published.", published
            )
            % {"count": published},
        )
    if incomplete:
        messages.warning(
            request,
            ngettext(
                "Not published, not complete or out of date: %(count)d translation (strings "
                "to translate, a newer source, a failed sync, a stopped sync, or not a page).",
                "Not published, not complete or out of date: %(count)d translations (strings "
                "to translate, a newer source, a failed sync, a stopped sync, or not pages).",
                incomplete,
            )
            % {"count": incomplete},
        )
    if denied:
        messages.error(
            request,
            ngettext(
                "You may not publish %(count)d of the translations.",
                "You may not publish %(count)d of the translations.",
                denied,
            )
            % {"count": denied},
        )
    for error in failed:
        messages.error(request, _("A translation was not published: %(error)s") % {"error": error})


ACTIONS = ("sync", "sync-draft", "publish")


@require_POST
def translation_status_action(request):
    """The report's bulk actions: POST ``action`` ("sync" | "sync-draft" | "publish"), ``rows``
    (row ids), ``next`` (where to go back). Redirects back with a message; rows that name no
    translation (unknown type, object or locale) are named in it and left out."""
    if not can_see_translation_status(request.user):
        return permission_denied(request)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("alma_cms_translation_status")
    action = request.POST.get("action")
    if action not in ACTIONS:
        messages.error(request, _("Unknown action."))
        return redirect(next_url)
    selected, invalid = _selected(request)
    if invalid:
        shown = ", ".join(value[:60] for value in invalid[:10])
        messages.error(
            request,
            ngettext(
                "%(count)d selected row names no translation and was left out: %(rows)s.",
                "%(count)d selected rows name no translation and were left out: %(rows)s.",
                len(invalid),
            )
            % {"count": len(invalid), "rows": shown},
        )
    if not selected:
        if not invalid:
            messages.warning(request, _("Select at least one translation."))
        return redirect(next_url)
    if action == "sync":
        sync_selected(request, selected)
    elif action == "sync-draft":
        sync_selected(request, selected, from_draft=True)
    else:
        publish_complete(request, selected)
    return redirect(next_url)


# --- The page editor's status side panel ------------------------------------------------------
# Wagtail 8's PageStatusSidePanel has no hook for its content: it includes the templates its
# get_status_templates() lists (workflow, locale, privacy, locking, usage). Its
# get_context_data() is wrapped once (install_side_panel_section, called from wagtail_hooks) to
# add this page's translations with their states and the section's template.

SIDE_PANEL_TEMPLATE = "alma_cms/translation/side_panel_status.html"


def side_panel_translations(page, user):
    """``[{locale, state, label, status, edit_url}]``: ``page``'s translations into the other
    locales with their statuses (as a translation of its source when ``page`` is one), for
    ``user`` who may see translation status; [] otherwise."""
    if page.pk is None or not can_see_translation_status(user):
        return []
    source = page
    translation_source = apps.get_model("wagtail_localize", "TranslationSource")
    source_row = translation_source.objects.filter(object_id=page.translation_key).first()
    if source_row is not None and source_row.locale_id != page.locale_id:
        source = page.get_translation_or_none(source_row.locale) or page
    locales = list(Locale.objects.exclude(pk=source.locale_id))
    table = translation_status.statuses([source], locales)
    finder = AdminURLFinder(user)
    items = []
    for locale in locales:
        found = table.get((source, locale.language_code))
        if found is None:
            continue
        target = None
        if found.target_pk is not None:
            target = Page.objects.filter(pk=found.target_pk).first()
        items.append(
            {
                "locale": locale,
                "status": found,
                "is_this_page": target is not None and target.pk == page.pk,
                "edit_url": finder.get_edit_url(target) if target is not None else None,
            }
        )
    return items


def install_side_panel_section():
    """Wrap ``PageStatusSidePanel.get_context_data`` once (see above)."""
    original = PageStatusSidePanel.get_context_data
    if getattr(original, "alma_cms_translation_status", False):
        return

    def get_context_data(self, parent_context):
        context = original(self, parent_context)
        items = side_panel_translations(self.object, self.request.user)
        if items:
            context["alma_translation_statuses"] = items
            context["status_templates"] = [*context["status_templates"], SIDE_PANEL_TEMPLATE]
        return context

    get_context_data.alma_cms_translation_status = True
    PageStatusSidePanel.get_context_data = get_context_data


# --- wagtail-localize's "Start Synced translation" (restart) -------------------------------------
# Stock: sets ``enabled`` and the next sync overwrites the translator's manual edits
# (wagtail-localize#876). Here: the edits are kept first (``sync.restart_sync``); an edit that
# cannot be kept is named to the translator (its field), and only a second click replaces it.

RESTART_CONFIRM_SESSION_KEY = "alma_cms_restart_confirm"


def describe_fields(model, changes):
    """``(number of fields, "Audience; Introduction (2 changes)")``: the fields of ``model``
    that ``changes`` are in, each once, readable (``sync.changed_fields``)."""
    found = sync.changed_fields(model, changes)
    parts = []
    for label, count in found:
        if count > 1:
            label = ngettext(
                "%(field)s (%(count)d change)", "%(field)s (%(count)d changes)", count
            ) % {"field": label, "count": count}
        parts.append(str(label))
    return len(found), "; ".join(parts)


def _source_model(translation):
    return translation.source.specific_content_type.model_class()


def _restart_translation(original):
    @functools.wraps(original)
    def restart_translation(request, translation, instance):
        check = sync.restart_sync(translation, user=request.user, dry_run=True)
        unkept = sorted(change.path for change in check.unkept)
        confirmed = request.session.get(RESTART_CONFIRM_SESSION_KEY, {})
        key = str(translation.pk)
        if unkept and confirmed.get(key) != unkept:
            confirmed[key] = unkept
            request.session[RESTART_CONFIRM_SESSION_KEY] = confirmed
            count, fields = describe_fields(_source_model(translation), check.unkept)
            messages.warning(
                request,
                ngettext(
                    "Restarting the sync will replace manual edits that cannot be kept as "
                    "translations in %(count)d field: %(fields)s. Nothing was changed; choose "
                    "“%(button)s” again to go ahead.",
                    "Restarting the sync will replace manual edits that cannot be kept as "
                    "translations in %(count)d fields: %(fields)s. Nothing was changed; choose "
                    "“%(button)s” again to go ahead.",
                    count,
                )
                % {
                    "count": count,
                    "fields": fields,
                    # wagtail-localize's own label of the button (and its translation).
                    "button": gettext("Start Synced translation"),
                },
            )
            return redirect(request.get_full_path())
        confirmed.pop(key, None)
        request.session[RESTART_CONFIRM_SESSION_KEY] = confirmed
        report = sync.restart_sync(translation, user=request.user)
        if report.kept:
            messages.info(
                request,
                ngettext(
                    "%(count)d manual edit was kept as a translation.",
                    "%(count)d manual edits were kept as translations.",
                    len(report.kept),
                )
                % {"count": len(report.kept)},
            )
        return original(request, translation, instance)  # its message and redirect

    restart_translation.alma_keeps_edits = True
    return restart_translation


def install_restart_translation():
    """Replace wagtail-localize's ``restart_translation`` view function (its hooks look it up
    on ``wagtail_localize.views.edit_translation`` at call time). Idempotent."""
    from wagtail_localize.views import edit_translation  # admin views: apps are ready here

    if getattr(edit_translation.restart_translation, "alma_keeps_edits", False):
        return
    edit_translation.restart_translation = _restart_translation(
        edit_translation.restart_translation
    )


# --- wagtail-localize's "Translate this page" with "Include subtree" ----------------------------
# The subtree translation re-enables the stopped translations below the page and keeps their
# manual edits first (``alma_cms.translation.subtree.keeping_edits``); an edit that cannot be kept
# would be replaced silently. Here the submit view checks first (a dry run of the same keeping):
# when something would be replaced, nothing is done, the form is shown again with what will be
# replaced, and only a second submit of the same choice goes ahead (as "Start Synced
# translation" above).

SUBTREE_CONFIRM_SESSION_KEY = "alma_cms_subtree_confirm"


def subtree_unkept(page, locale_ids):
    """``[(Translation, [SegmentChange])]``: the stopped translations below ``page`` into
    ``locale_ids`` whose manual edits a subtree translation would replace, in tree order."""
    reports = sync.keep_edits_before_subtree(page.pk, locale_ids, dry_run=True)
    unkept = {pk: report.unkept for pk, report in reports.items() if report.unkept}
    if not unkept:
        return []
    translation_model = apps.get_model("wagtail_localize", "Translation")
    translations = translation_model.objects.filter(pk__in=unkept).select_related(
        "source", "target_locale"
    )
    return sorted(
        ((translation, unkept[translation.pk]) for translation in translations),
        key=lambda item: (item[0].source.object_repr, item[0].target_locale.language_code),
    )


def _target_title(translation):
    try:
        return str(translation.source.get_translated_instance(translation.target_locale))
    except ObjectDoesNotExist:
        return translation.source.object_repr


def _submit_translation_post(original):
    @functools.wraps(original)
    def post(self, request, *args, **kwargs):
        page = self.object
        form = self.get_form()
        if not (
            isinstance(page, Page)
            and form.is_valid()
            and form.cleaned_data.get("include_subtree")
            and self.components.is_valid()
        ):
            return original(self, request, *args, **kwargs)
        locale_ids = sorted(locale.pk for locale in form.cleaned_data["locales"])
        found = subtree_unkept(page, locale_ids)
        token = sorted([t.pk, c.path] for t, changes in found for c in changes)
        confirmed = request.session.get(SUBTREE_CONFIRM_SESSION_KEY, {})
        key = f"{page.pk}:{','.join(map(str, locale_ids))}"
        if found and confirmed.get(key) != token:
            confirmed[key] = token
            request.session[SUBTREE_CONFIRM_SESSION_KEY] = confirmed
            pages = []
            for translation, changes in found:
                _count, fields = describe_fields(_source_model(translation), changes)
                pages.append(
                    gettext("“%(title)s” (%(locale)s): %(fields)s")
                    % {
                        "title": _target_title(translation),
                        "locale": translation.target_locale.get_display_name(),
                        "fields": fields,
                    }
                )
            messages.warning(
                request,
                ngettext(
                    "Translating the subtree will replace manual edits that cannot be kept as "
                    "translations in %(count)d page: %(pages)s. Nothing was changed; choose "
                    "“%(button)s” again to go ahead.",
                    "Translating the subtree will replace manual edits that cannot be kept as "
                    "translations in %(count)d pages: %(pages)s. Nothing was changed; choose "
                    "“%(button)s” again to go ahead.",
                    len(pages),
                )
                % {
                    "count": len(pages),
                    "pages": "; ".join(pages),
                    "button": gettext("Submit"),  # wagtail-localize's button
                },
            )
            return self.render_to_response(self.get_context_data(**kwargs))
        confirmed.pop(key, None)
        request.session[SUBTREE_CONFIRM_SESSION_KEY] = confirmed
        return original(self, request, *args, **kwargs)

    post.alma_warns_before_subtree = True
    return post


def install_submit_translation():
    """Replace ``SubmitPageTranslationView.post`` (on the class: the URL pattern built from it
    runs this one). Idempotent."""
    from wagtail_localize.views import submit_translations  # admin views: apps are ready here

    view = submit_translations.SubmitPageTranslationView
    if getattr(view.post, "alma_warns_before_subtree", False):
        return
    view.post = _submit_translation_post(view.post)


# --- wagtail-localize's "Sync translated pages" ------------------------------------------------
# Stock ``UpdateTranslationsView.form_valid``: ``TranslationSource.update_from_db()`` (a changed
# source string loses its translation: issue 9, case 3) and, with "Publish immediately",
# ``Translation.save_target(publish=True)`` per translation. Here the same view (permission,
# form, machine translation, components, messages, redirect) with alma's engine in their place:
# ``sync.refresh_source`` (``TRANSLATION_CHANGED_STRINGS``), and ``sync.sync_translations`` in
# mode "publish" on the translations whose sync is on.


def _update_translations_form_valid(original):
    @functools.wraps(original)
    @transaction.atomic
    def form_valid(self, form):
        # Here: wagtail-localize's admin modules, imported once apps are ready (as below).
        from wagtail_localize.machine_translators import get_machine_translator
        from wagtail_localize.views.edit_translation import apply_machine_translation

        user = self.request.user
        instance = self.object.get_source_instance()
        sync.refresh_source(instance)
        self.object.refresh_from_db()  # its repr, for the message
        enabled = self.object.translations.filter(enabled=True)
        if form.cleaned_data.get("use_machine_translation"):
            machine_translator = get_machine_translator()
            for translation in enabled.select_related("target_locale"):
                apply_machine_translation(translation.id, user, machine_translator)

        errors = []
        if form.cleaned_data["publish_translations"]:
            locale_ids = list(enabled.values_list("target_locale_id", flat=True))
            if locale_ids:
                try:
                    outcomes = sync.sync_translations(
                        instance, locales=locale_ids, mode="publish", user=user
                    )
                except sync.SyncError as error:
                    errors.append(str(error))
                else:
                    errors += [o.error for o in outcomes if o.action == "error"]
        else:
            # As stock: only the source is updated, and the targets' view restrictions.
            for translation in enabled.select_related("source", "target_locale"):
                with contextlib.suppress(ValidationError):
                    translation.source.update_target_view_restrictions(translation.target_locale)

        self.components.save(self.object, sources_and_translations={self.object: list(enabled)})
        # Django's messages, as the stock view (Wagtail's add buttons markup).
        for error in errors:
            django_messages.error(
                self.request, _("A translation was not updated: %(error)s") % {"error": error}
            )
        if not errors:
            django_messages.success(self.request, self.get_success_message())
        return redirect(self.get_success_url() or self.get_default_success_url())

    form_valid.alma_keeps_translations = True
    return form_valid


def install_update_translations():
    """Replace ``UpdateTranslationsView.form_valid`` (on the class: the URL pattern built from
    it, whenever it was built, runs this one). Idempotent."""
    from wagtail_localize.views import update_translations  # admin views: apps are ready here

    view = update_translations.UpdateTranslationsView
    if getattr(view.form_valid, "alma_keeps_translations", False):
        return
    view.form_valid = _update_translations_form_valid(view.form_valid)
