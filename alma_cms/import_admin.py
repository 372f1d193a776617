"""Importing documents from the Wagtail admin (docs/import.md, "In the admin"): upload →
preview → confirm, over ``alma_cms.importer.service`` (``prepare`` and ``run``) and the kinds
it knows (``kinds()``: a new kind appears in the form by itself).

1. The form (:class:`ImportForm`): the file, its kind (or "Detect automatically"), the parent
   page, the locale and the page it translates. The file is refused past
   ``ALMA_CMS["IMPORT_MAX_FILE_SIZE"]`` while it is received (:class:`LimitedUploadHandler`),
   not after it was stored whole.
2. The upload is kept server-side as an :class:`Upload`: a file and its options under a random
   token in a private directory, tied to the user who uploaded it, gone after confirm, cancel
   or :data:`EXPIRY`. Only the token travels through the browser; a token that is malformed,
   unknown, expired or someone else's is refused with a message, never used as a path.
3. The preview: ``prepare`` again (it writes nothing), the plan's lines and its conflicts.
4. Confirm: ``prepare`` once more (the site may have changed); when the plan differs from the
   previewed one (:func:`fingerprint`) the new preview is shown and nothing is written,
   otherwise ``run`` writes the draft and the editor gets a link to edit it.

Who may import: a user who may add pages somewhere (the menu item and the form), and, once the
parent is known, who may add a page under it and edit the draft an import would update
(Wagtail's page permissions); others get 403. Every ``DocumentError`` is shown on the form or
the preview, nothing written. Hooked in ``alma_cms/wagtail_hooks.py``.
"""

import hashlib
import json
import os
import re
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.generic import View
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminPageChooser
from wagtail.models import Locale, Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from .conf import alma_settings
from .importer.errors import DocumentError
from .importer.service import kinds, prepare, run

EXTENSIONS = (".txt", ".md", ".docx")
# How long an upload waits for its confirmation, in seconds; older ones are swept away.
EXPIRY = 60 * 60
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
UNSAFE_NAME = re.compile(r"[^\w .,()\[\]+–—-]")


def can_import(user):
    """Whether ``user`` may open the import form: they may add pages somewhere (Wagtail's page
    permission policy). The parent they choose is checked by :func:`check_permission`."""
    return user.is_active and PagePermissionPolicy().user_has_permission(user, "add")


def check_permission(user, prepared):
    """``PermissionDenied`` unless ``user`` may add a page under the plan's parent and under
    every index page the plan adds pages to (its attributes named ``*_index``: a forum
    report's speakers and quotations), and edit the page an update would change. A kind whose
    plan names no parent is refused."""
    plan = prepared.plan
    parent = getattr(plan, "parent", None)
    if parent is None or not parent.permissions_for_user(user).can_add_subpage():
        raise PermissionDenied
    for name, value in vars(plan).items():
        if name.endswith("_index") and isinstance(value, Page):
            if not value.permissions_for_user(user).can_add_subpage():
                raise PermissionDenied
    page_model = getattr(prepared.kind, "page_model", None)
    if page_model is not None and not page_model.can_create_at(parent):
        raise PermissionDenied
    page = getattr(plan, "page", None)
    if page is not None and getattr(plan, "action", None) == "update":
        if not page.permissions_for_user(user).can_edit():
            raise PermissionDenied


def fingerprint(prepared):
    """A hash of what the plan would do (its action, lines and conflicts): a confirmation is
    carried out only when it is the one the editor previewed."""
    plan = prepared.plan
    data = json.dumps(
        [
            getattr(plan, "action", ""),
            getattr(plan, "content_hash", ""),
            list(plan.describe()),
            list(getattr(plan, "conflicts", [])),
        ],
        default=str,
    )
    return hashlib.sha256(data.encode()).hexdigest()


# --- The upload, kept between the steps ---------------------------------------------------------


def upload_dir():
    """The private directory of pending uploads: ``alma_cms_import`` in Django's
    ``FILE_UPLOAD_TEMP_DIR`` (or the system's temporary directory), readable by this process'
    user only. Several servers behind one site need it on a shared disk."""
    base = getattr(settings, "FILE_UPLOAD_TEMP_DIR", None) or tempfile.gettempdir()
    path = Path(base) / "alma_cms_import"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


@dataclass
class Upload:
    """A pending upload: ``token`` (32 URL-safe characters), the uploading ``user_id``, the
    file's ``name`` as uploaded (made safe for a file name) and the form's ``options`` (kind,
    parent, locale, translation_of: strings or None). Kept as ``<token>/<name>`` and
    ``<token>/meta.json`` in :func:`upload_dir` (the file keeps its name: the importer's
    messages name it)."""

    token: str
    user_id: int
    name: str
    options: dict
    created: float

    @property
    def folder(self):
        return upload_dir() / self.token

    @property
    def path(self):
        return self.folder / self.name

    @classmethod
    def create(cls, user, uploaded, options):
        """Store ``uploaded`` (a Django ``UploadedFile``) for ``user``; the new Upload."""
        sweep()
        original = Path(os.path.basename(uploaded.name.replace("\\", "/")))
        # Readable in the importer's messages (letters of any script, spaces), safe as a name.
        stem = UNSAFE_NAME.sub("_", original.stem).strip(" .")[:100] or "document"
        name = f"{stem}{original.suffix.lower()}"
        upload = cls(secrets.token_urlsafe(24), user.pk, name, options, time.time())
        upload.folder.mkdir(mode=0o700)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
        with os.fdopen(os.open(upload.path, flags, 0o600), "wb") as out:
            for chunk in uploaded.chunks():
                out.write(chunk)
        meta = {"user_id": upload.user_id, "name": name, "options": options}
        meta["created"] = upload.created
        with os.fdopen(os.open(upload.folder / "meta.json", flags, 0o600), "w") as out:
            json.dump(meta, out)
        return upload

    @classmethod
    def load(cls, user, token):
        """The upload ``token`` names for ``user``; None when the token is malformed, unknown,
        expired or another user's."""
        if not isinstance(token, str) or not TOKEN.match(token):
            return None
        try:
            meta = json.loads((upload_dir() / token / "meta.json").read_text())
            upload = cls(token, meta["user_id"], meta["name"], meta["options"], meta["created"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if upload.user_id != user.pk or time.time() - upload.created > EXPIRY:
            return None
        if "/" in upload.name or Path(upload.name).suffix not in EXTENSIONS:
            return None
        return upload if upload.path.is_file() else None

    def delete(self):
        shutil.rmtree(self.folder, ignore_errors=True)


def sweep():
    """Remove the uploads older than :data:`EXPIRY` (confirmed or cancelled ones are removed
    at once; these were left)."""
    limit = time.time() - EXPIRY
    for path in upload_dir().iterdir():
        try:
            if path.stat().st_mtime < limit:
                shutil.rmtree(path, ignore_errors=True)
        except OSError:
            pass  # removed meanwhile by another request


class LimitedUploadHandler(FileUploadHandler):
    """Stops receiving a file past ``IMPORT_MAX_FILE_SIZE``: the rest of it is skipped, not
    stored, and ``request.alma_import_too_large`` is set for the form's error."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > alma_settings.IMPORT_MAX_FILE_SIZE:
            self.request.alma_import_too_large = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


# --- The form -----------------------------------------------------------------------------------


def kind_choices():
    return [("", _("Detect automatically"))] + [
        (name, gettext(kind.label)) for name, kind in kinds().items()
    ]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Document"),
        help_text=_("A .txt, .md or .docx file."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
        # An empty file reaches the reader, whose message names it and says why it cannot be
        # imported (the same message as the command's), not Django's "The submitted file is
        # empty."
        allow_empty_file=True,
    )
    kind = forms.ChoiceField(label=_("Kind of document"), required=False, choices=kind_choices)
    parent = forms.ModelChoiceField(
        label=_("Parent page"),
        queryset=Page.objects.all(),
        required=False,
        widget=AdminPageChooser(can_choose_root=False),
        help_text=_("Where the draft goes. Empty: the locale's only page that can hold it."),
    )
    locale = forms.ModelChoiceField(
        label=_("Language"),
        queryset=Locale.objects.all(),
        to_field_name="language_code",
        required=False,
        empty_label=_("The default language"),
    )
    translation_of = forms.ModelChoiceField(
        label=_("Translation of"),
        queryset=Page.objects.all(),
        required=False,
        widget=AdminPageChooser(can_choose_root=False),
        help_text=_("The page in another language that this document translates, if any."),
    )

    def __init__(self, *args, too_large=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        self.fields["locale"].label_from_instance = lambda locale: locale.get_display_name()

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file is None:
            return file
        suffix = Path(file.name).suffix.lower()
        if suffix not in EXTENSIONS:
            raise forms.ValidationError(
                _("Files of type “%(suffix)s” cannot be imported: use .txt, .md or .docx."),
                code="extension",
                params={"suffix": suffix or "-"},
            )
        if file.size > alma_settings.IMPORT_MAX_FILE_SIZE:
            raise self.too_large_error()
        return file

    def too_large_error(self):
        return forms.ValidationError(
            _("The file is larger than the import limit of %(limit)s."),
            code="too_large",
            params={"limit": filesizeformat(alma_settings.IMPORT_MAX_FILE_SIZE)},
        )

    def full_clean(self):
        super().full_clean()
        if self.is_bound and self.too_large:
            # The handler skipped the file: it is missing, not empty; say why.
            self.errors.pop("file", None)
            self.add_error("file", self.too_large_error())

    def options(self):
        """The options ``prepare`` takes, as strings (kept with the upload)."""
        data = self.cleaned_data
        return {
            "kind": data["kind"] or None,
            "parent": str(data["parent"].pk) if data["parent"] else None,
            "locale": data["locale"].language_code if data["locale"] else None,
            "translation_of": str(data["translation_of"].pk) if data["translation_of"] else None,
        }

    def add_document_error(self, error, options):
        """Put ``error`` (a DocumentError) on the field it is about, else on the file."""
        text = str(error)
        lowered = text.lower()
        if options.get("translation_of") and "translation" in lowered:
            field = "translation_of"
        elif "--parent" in text or "parent page" in lowered:
            field = "parent"
        elif "no locale" in lowered:
            field = "locale"
        elif "--kind" in text or "kind of document" in lowered:
            field = "kind"
        else:
            field = "file"
        self.add_error(field, text)


# --- The views ----------------------------------------------------------------------------------


class ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_import(request.user)


def menu_item():
    return ImportMenuItem(
        _("Import documents"),
        reverse("alma_cms_import"),
        name="alma-import",
        icon_name="upload",
        order=250,
    )


class ImportMixin(WagtailAdminTemplateMixin):
    page_title = _("Import documents")
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        try:
            if not can_import(request.user):
                raise PermissionDenied
            return self.dispatch_allowed(request, *args, **kwargs)
        except PermissionDenied:
            # A 403 with a page that says why (Wagtail's own handler redirects to the
            # dashboard with a message, which hides the refusal from scripts and tests).
            return TemplateResponse(
                request,
                "alma_cms/import/denied.html",
                self.get_context_data(),
                status=403,
            )

    def dispatch_allowed(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return []


@method_decorator(csrf_exempt, name="dispatch")
class ImportView(ImportMixin, View):
    """Step 1: the form (GET), the upload (POST) → the preview, or the form with its errors."""

    template_name = "alma_cms/import/form.html"

    def get(self, request):
        return self.render_to_response(self.get_context_data(form=ImportForm()))

    def post(self, request):
        # The upload handlers can change only before the body is read: CSRF is checked after.
        request.upload_handlers.insert(0, LimitedUploadHandler(request))
        return csrf_protect(self._post)(request)

    def _post(self, request):
        form = ImportForm(
            request.POST,
            request.FILES,
            too_large=getattr(request, "alma_import_too_large", False),
        )
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        options = form.options()
        upload = Upload.create(request.user, form.cleaned_data["file"], options)
        try:
            prepared = prepare(upload.path, source_name=upload.name, **options)
        except DocumentError as error:
            upload.delete()
            form.add_document_error(error, options)
            return self.render_to_response(self.get_context_data(form=form))
        try:
            check_permission(request.user, prepared)
        except PermissionDenied:
            upload.delete()
            raise
        return redirect("alma_cms_import_preview", upload.token)


class PreviewView(ImportMixin, View):
    """Step 2: the plan (GET); confirm (POST ``action=confirm`` with the previewed
    ``fingerprint``) writes it, ``action=cancel`` forgets the upload."""

    template_name = "alma_cms/import/preview.html"

    def dispatch_allowed(self, request, *args, **kwargs):
        self.upload = Upload.load(request.user, kwargs.get("token"))
        if self.upload is None:
            messages.error(
                request,
                gettext(
                    "This upload is no longer available (it was confirmed, cancelled or has "
                    "expired, or is not yours): upload the file again."
                ),
            )
            return redirect("alma_cms_import")
        return super().dispatch_allowed(request, *args, **kwargs)

    def prepare(self):
        prepared = prepare(self.upload.path, source_name=self.upload.name, **self.upload.options)
        check_permission(self.request.user, prepared)
        return prepared

    def render_preview(self, prepared=None, error=None, changed=False):
        plan = prepared.plan if prepared else None
        conflicts = list(getattr(plan, "conflicts", [])) if plan else []
        return self.render_to_response(
            self.get_context_data(
                upload=self.upload,
                prepared=prepared,
                lines=list(plan.describe()) if plan else [],
                conflicts=conflicts,
                # Conflicts stop an import unless the plan says they do not (a translation
                # keeps a translator's edited string and imports the rest).
                refused=bool(getattr(plan, "refused", bool(conflicts))),
                action=getattr(plan, "action", None),
                fingerprint=fingerprint(prepared) if prepared else "",
                error=error,
                changed=changed,
            )
        )

    def get(self, request, token):
        try:
            prepared = self.prepare()
        except DocumentError as error:
            return self.render_preview(error=str(error))
        return self.render_preview(prepared)

    def post(self, request, token):
        if request.POST.get("action") == "cancel":
            self.upload.delete()
            messages.success(request, gettext("Import cancelled: nothing was written."))
            return redirect("alma_cms_import")
        try:
            prepared = self.prepare()
        except DocumentError as error:
            return self.render_preview(error=str(error))
        if request.POST.get("fingerprint") != fingerprint(prepared):
            # The site (or the kinds) changed since the preview: show what would happen now.
            return self.render_preview(prepared, changed=True)
        try:
            result = run(prepared)
        except DocumentError as error:
            return self.render_preview(prepared, error=str(error))
        self.upload.delete()
        page = result.page
        buttons = [messages.button(reverse("wagtailadmin_pages:edit", args=[page.pk]), _("Edit"))]
        if result.action == "unchanged":
            messages.success(
                request,
                gettext("Nothing changed: the draft “%(title)s” already holds this document.")
                % {"title": page.title},
                buttons=buttons,
            )
        elif result.action == "update":
            messages.success(
                request,
                gettext("Draft “%(title)s” updated from %(name)s. It is not published.")
                % {"title": page.title, "name": self.upload.name},
                buttons=buttons,
            )
        else:
            messages.success(
                request,
                gettext("Draft “%(title)s” created from %(name)s. It is not published.")
                % {"title": page.title, "name": self.upload.name},
                buttons=buttons,
            )
        return redirect("alma_cms_import")
