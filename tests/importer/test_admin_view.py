"""The admin view (alma_cms/import_admin.py): upload → preview → confirm, with Django's test
client on PostgreSQL. Who may use it, the upload's errors, the preview's numbering and
conflicts, the draft it writes, and the upload kept server-side between the steps."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page

from alma_cms import import_admin
from alma_cms.importer.service import prepare, run
from alma_cms.models import ImportRecord
from tests.test_translations import english_found, english_msgids, set_admin_language

from .conftest import counts

pytestmark = pytest.mark.django_db

FORM = reverse("alma_cms_import")


@pytest.fixture(autouse=True)
def upload_dir(tmp_path, settings):
    """Each test's pending uploads in a directory of its own, to look into."""
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    return tmp_path / "alma_cms_import"


def pending(upload_dir):
    """The files of the pending uploads, as ``token/name``."""
    if not upload_dir.exists():
        return []
    return sorted(str(p.relative_to(upload_dir)) for p in upload_dir.glob("*/*"))


def upload(client, name, content, **data):
    return client.post(FORM, {"file": SimpleUploadedFile(name, content), **data})


def token_of(response):
    assert response.status_code == 302, response.content.decode()[:2000]
    match = re.fullmatch(r"/admin/alma-cms/import/([A-Za-z0-9_-]{32})/", response["Location"])
    assert match, response["Location"]
    return match.group(1)


def preview_url(token):
    return reverse("alma_cms_import_preview", args=[token])


def fingerprint_of(response):
    return re.search(r'name="fingerprint" value="([0-9a-f]{64})"', response.content.decode())[1]


def file_errors(response, field="file"):
    return [str(e) for e in response.context["form"].errors.get(field, [])]


def shown_messages(response):
    return [str(m).strip() for m in response.context["messages"]]


@pytest.fixture
def reference_bytes(reference_2019):
    return reference_2019.read_bytes()


def editor(django_user_model, name, page=None, permission_type="add"):
    """A user with admin access and ``permission_type`` on ``page`` (none without one)."""
    user = django_user_model.objects.create_user(name, password="pw")
    group = Group.objects.create(name=f"group of {name}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    if page is not None:
        GroupPagePermission.objects.create(group=group, page=page, permission_type=permission_type)
    user.groups.add(group)
    return user


# --- Who may import ---------------------------------------------------------------------------


def test_the_menu_item_and_the_form_for_an_editor(alma, admin_client):
    home = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert FORM in home and "Import documents" in home
    page = admin_client.get(FORM).content.decode()
    assert 'type="file"' in page and "Detect automatically" in page
    assert "Final document (resolution, declaration, recommendations, guidelines)" in page
    assert 'value="en"' in page


def test_without_add_permission_403_and_no_menu_item(alma, client, django_user_model, upload_dir):
    user = editor(django_user_model, "reader", Page.objects.get(depth=1), "change")
    client.force_login(user)
    assert client.get(FORM).status_code == 403
    assert upload(client, "doc.txt", b"Resolution\n\nText.").status_code == 403
    assert client.get(preview_url("a" * 32)).status_code == 403
    assert FORM not in client.get(reverse("wagtailadmin_home")).content.decode()
    assert pending(upload_dir) == []


def test_add_permission_elsewhere_is_not_enough_for_this_parent(
    alma, client, django_user_model, reference_bytes, upload_dir
):
    user = editor(django_user_model, "speakers-editor", alma.speaker_index, "add")
    client.force_login(user)
    assert client.get(FORM).status_code == 200  # may add pages somewhere: sees the form
    assert FORM in client.get(reverse("wagtailadmin_home")).content.decode()
    before = counts()
    response = upload(client, "alma-2019.txt", reference_bytes)  # → the guideline index
    assert response.status_code == 403
    assert counts() == before and pending(upload_dir) == []


def test_add_permission_under_the_parent_is_enough(
    alma, client, django_user_model, reference_bytes
):
    user = editor(django_user_model, "documents-editor", alma.guideline_index, "add")
    client.force_login(user)
    token = token_of(upload(client, "alma-2019.txt", reference_bytes))
    preview = client.get(preview_url(token))
    assert preview.status_code == 200
    response = client.post(
        preview_url(token), {"action": "confirm", "fingerprint": fingerprint_of(preview)}
    )
    assert response.status_code == 302
    assert not ImportRecord.objects.get().page.live


# --- The upload's errors ----------------------------------------------------------------------


def test_an_empty_file(alma, admin_client, upload_dir):
    response = upload(admin_client, "empty.txt", b"")
    assert response.status_code == 200
    # The importer's message, the command's too, not Django's "The submitted file is empty."
    assert file_errors(response) == ["line 1: empty.txt is empty: it has no text to import."]
    assert pending(upload_dir) == []


def test_a_file_of_blank_lines_is_named_empty(alma, admin_client, upload_dir):
    response = upload(admin_client, "blank.txt", b"\n\n   \n")
    assert file_errors(response) == ["line 1: blank.txt is empty: it has no text to import."]
    assert pending(upload_dir) == []


def test_a_binary_file_named_txt(alma, admin_client, upload_dir):
    before = counts()
    response = upload(admin_client, "../Фото 2019/scan?.TXT", bytes(range(256)) * 40)
    assert response.status_code == 200
    [error] = file_errors(response)
    # Named as uploaded, made safe (no folder, no "?", the extension in lower case).
    assert error.startswith("scan_.txt is not a text file (it has binary data")
    response = upload(admin_client, "Фото 2019.txt", bytes(range(256)) * 40)
    assert file_errors(response)[0].startswith("Фото 2019.txt is not a text file")
    assert counts() == before and pending(upload_dir) == []


def test_a_file_too_large_is_refused_while_received(alma, admin_client, upload_dir, monkeypatch):
    received = []
    receive = import_admin.LimitedUploadHandler.receive_data_chunk

    def spy(handler, raw_data, start):
        received.append(len(raw_data))
        return receive(handler, raw_data, start)  # SkipFile passes through

    monkeypatch.setattr(import_admin.LimitedUploadHandler, "receive_data_chunk", spy)
    with override_settings(ALMA_CMS={"IMPORT_MAX_FILE_SIZE": 1024}):
        response = upload(admin_client, "big.txt", b"Resolution\n" + b"word " * 100_000)
    assert response.status_code == 200
    assert file_errors(response) == ["The file is larger than the import limit of 1.0\xa0KB."]
    assert pending(upload_dir) == []
    # Skipped at its first chunk past the limit (Django's chunks are 64 KB): of the 500 KB,
    # one chunk was looked at, none was kept.
    assert len(received) == 1 and received[0] <= 64 * 1024


def test_a_file_too_large_says_the_limit_in_megabytes(alma, admin_client, admin_user):
    with override_settings(ALMA_CMS={"IMPORT_MAX_FILE_SIZE": 3 * 1024 * 1024 // 2}):
        response = upload(admin_client, "big.md", b"x" * (2 * 1024 * 1024))
    assert file_errors(response) == ["The file is larger than the import limit of 1.5\xa0MB."]
    set_admin_language(admin_user, "ru")
    with override_settings(ALMA_CMS={"IMPORT_MAX_FILE_SIZE": 1024}):
        response = upload(admin_client, "big.md", b"x" * 2048)
    assert "Файл больше предела импорта (1,0\xa0КБ)." in response.content.decode()


def test_a_wrong_extension(alma, admin_client, upload_dir):
    response = upload(admin_client, "document.pdf", b"%PDF-1.4")
    assert response.status_code == 200
    assert file_errors(response) == [
        "Files of type “.pdf” cannot be imported: use .txt, .md or .docx."
    ]
    assert pending(upload_dir) == []


def test_a_parent_that_cannot_hold_the_document_is_its_fields_error(
    alma, admin_client, reference_bytes
):
    before = counts()
    response = upload(admin_client, "alma-2019.txt", reference_bytes, parent=alma.speaker_index.pk)
    assert response.status_code == 200
    [error] = file_errors(response, "parent")
    assert "cannot go under" in error
    assert counts() == before


def test_translation_of_errors_are_shown_on_its_field(alma, admin_client, reference_bytes):
    before = counts()
    response = upload(
        admin_client, "alma-2019.txt", reference_bytes, translation_of=alma.speaker_index.pk
    )
    assert response.status_code == 200
    assert file_errors(response, "translation_of")
    assert counts() == before


def test_the_upload_is_csrf_protected(alma, admin_user, reference_bytes, upload_dir):
    # The view installs its upload handler before the body is read, so it checks the CSRF
    # token itself (after that): a post without the token is refused, nothing kept.
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    response = upload(client, "alma-2019.txt", reference_bytes)
    assert response.status_code == 403 and pending(upload_dir) == []
    form = client.get(FORM)
    token = form.cookies["csrftoken"].value
    response = upload(client, "alma-2019.txt", reference_bytes, csrfmiddlewaretoken=token)
    assert response.status_code == 302 and len(pending(upload_dir)) == 2


def test_the_upload_form_query_count(alma, admin_client, django_assert_num_queries):
    admin_client.get(FORM)  # the session, the user, the menu's first look-ups
    with django_assert_num_queries(7):
        response = admin_client.get(FORM)
    assert response.status_code == 200


# --- Preview and confirm ------------------------------------------------------------------------


def test_the_preview_shows_the_numbering_and_writes_nothing(
    alma, admin_client, reference_bytes, upload_dir
):
    before = counts()
    token = token_of(upload(admin_client, "alma-2019.txt", reference_bytes))
    assert pending(upload_dir) == [f"{token}/alma-2019.txt", f"{token}/meta.json"]
    response = admin_client.get(preview_url(token))
    page = response.content.decode()
    assert "directions: 6, guidelines: 27 (5, 5, 6, 4, 4, 3)" in page
    lines = response.context["lines"]
    directions = [line.split(".")[0].strip() for line in lines if re.match(r"  [IVX]+\. ", line)]
    assert directions == ["I", "II", "III", "IV", "V", "VI"]
    guidelines = [line.split()[0] for line in lines if re.match(r"    [IVX]+\.\d+ ", line)]
    assert [sum(g.startswith(f"{d}.") for g in guidelines) for d in directions] == [
        5,
        5,
        6,
        4,
        4,
        3,
    ]
    assert "    V.1 role &#x27;Visionary&#x27;" in page
    assert "create a draft guideline document under &#x27;Guideline documents" in page or (
        "create a draft guideline document" in page
    )
    assert 'value="confirm"' in page and 'value="cancel"' in page
    assert counts() == before


def test_confirm_creates_a_draft_then_the_same_file_is_unchanged(
    alma, admin_client, reference_bytes, upload_dir
):
    before = counts()
    token = token_of(upload(admin_client, "alma-2019.txt", reference_bytes))
    preview = admin_client.get(preview_url(token))
    response = admin_client.post(
        preview_url(token),
        {"action": "confirm", "fingerprint": fingerprint_of(preview)},
        follow=True,
    )
    page = ImportRecord.objects.get().page.specific
    assert not page.live and page.has_unpublished_changes and page.live_revision is None
    assert page.get_parent().pk == alma.guideline_index.pk
    draft = page.get_latest_revision_as_object()
    assert [len(d.guidelines) for d in draft.numbered_directions] == [5, 5, 6, 4, 4, 3]
    [message] = shown_messages(response)  # the text, then the Edit button
    assert message.startswith(
        "Draft “ALMA 2019 Final Document” created from alma-2019.txt. It is not published."
    )
    edit = reverse("wagtailadmin_pages:edit", args=[page.pk])
    assert f'href="{edit}"' in response.content.decode()
    assert pending(upload_dir) == []
    after_first = counts()
    assert after_first == (before[0] + 1, before[1] + 1, 1)

    token = token_of(upload(admin_client, "alma-2019.txt", reference_bytes))
    preview = admin_client.get(preview_url(token))
    assert "confirming changes nothing" in preview.content.decode()
    response = admin_client.post(
        preview_url(token),
        {"action": "confirm", "fingerprint": fingerprint_of(preview)},
        follow=True,
    )
    [message] = shown_messages(response)
    assert message.startswith(
        "Nothing changed: the draft “ALMA 2019 Final Document” already holds this document."
    )
    assert f'href="{edit}"' in response.content.decode()
    assert counts() == after_first and pending(upload_dir) == []


def test_an_editors_change_is_listed_and_not_overwritten(
    alma, admin_client, admin_user, reference_2019, reference_bytes, upload_dir
):
    result = run(prepare(reference_2019))
    draft = result.page.get_latest_revision_as_object()
    draft.conclusion = "<p>An editor's own conclusion.</p>"
    draft.save_revision(user=admin_user)
    revised = reference_bytes.replace(b"Strategic planning", b"Strategic long-term planning")
    assert revised != reference_bytes
    before = counts()
    token = token_of(upload(admin_client, "alma-2019-revised.txt", revised))
    preview = admin_client.get(preview_url(token))
    page = preview.content.decode()
    assert preview.context["conflicts"] == ["conclusion"]
    assert "An editor changed the draft after it was imported" in page
    assert "<li>conclusion</li>" in page
    assert 'value="confirm"' not in page  # nothing to confirm: only cancel
    # Confirming anyway (a forged form) is refused with the conflict, nothing written.
    response = admin_client.post(
        preview_url(token), {"action": "confirm", "fingerprint": fingerprint_of(preview)}
    )
    assert response.status_code == 200
    assert "was changed after it was imported" in response.context["error"]
    assert counts() == before
    assert Page.objects.get(pk=result.page.pk).get_latest_revision_as_object().conclusion == (
        "<p>An editor's own conclusion.</p>"
    )


def test_a_plan_changed_since_the_preview_is_shown_again_not_written(
    alma, admin_client, reference_2019, reference_bytes
):
    token = token_of(upload(admin_client, "alma-2019.txt", reference_bytes))
    preview = admin_client.get(preview_url(token))
    assert preview.context["action"] == "create"
    run(prepare(reference_2019))  # another editor imported it meanwhile
    before = counts()
    response = admin_client.post(
        preview_url(token), {"action": "confirm", "fingerprint": fingerprint_of(preview)}
    )
    assert response.status_code == 200
    assert response.context["changed"] and response.context["action"] == "unchanged"
    assert "The site or the document changed since the preview" in response.content.decode()
    assert counts() == before


def test_cancel_removes_the_upload(alma, admin_client, reference_bytes, upload_dir):
    before = counts()
    token = token_of(upload(admin_client, "alma-2019.txt", reference_bytes))
    assert len(pending(upload_dir)) == 2
    response = admin_client.post(preview_url(token), {"action": "cancel"}, follow=True)
    assert shown_messages(response) == ["Import cancelled: nothing was written."]
    assert pending(upload_dir) == [] and counts() == before
    assert admin_client.get(preview_url(token)).status_code == 302  # gone


def test_tampered_tokens_are_refused_with_a_message(
    alma, admin_client, client, django_user_model, reference_bytes, upload_dir
):
    before = counts()
    token = token_of(upload(admin_client, "alma-2019.txt", reference_bytes))
    other = django_user_model.objects.create_superuser("other", "o@example.com", "pw")
    client.force_login(other)
    for who, bad in [
        (client, token),  # another user's upload
        (admin_client, token[:-1] + ("A" if token[-1] != "A" else "B")),  # unknown
        (admin_client, "short"),
        (admin_client, "..%2E..%2Eetc%2Epasswd" + "x" * 10),
        (admin_client, "x" * 31 + "."),
    ]:
        response = who.post(preview_url(bad), {"action": "confirm"}, follow=True)
        assert response.status_code == 200
        assert shown_messages(response) == [
            "This upload is no longer available (it was confirmed, cancelled or has expired, "
            "or is not yours): upload the file again."
        ]
    assert counts() == before and len(pending(upload_dir)) == 2


def test_an_expired_upload_is_refused_and_swept(
    alma, admin_client, reference_bytes, upload_dir, monkeypatch
):
    token = token_of(upload(admin_client, "alma-2019.txt", reference_bytes))
    monkeypatch.setattr(import_admin, "EXPIRY", -1)  # every upload is older than that
    assert admin_client.get(preview_url(token)).status_code == 302
    import_admin.sweep()
    assert pending(upload_dir) == []


# --- In Russian ---------------------------------------------------------------------------------


def test_the_russian_admin_shows_no_english_string_of_the_view(
    alma, admin_client, admin_user, reference_bytes
):
    set_admin_language(admin_user, "ru")
    english = english_msgids()
    form = admin_client.get(FORM).content.decode()
    assert "Импорт документов" in form and "Определить автоматически" in form
    assert english_found(form, english) == {}
    token = token_of(upload(admin_client, "alma-2019.txt", reference_bytes))
    preview = admin_client.get(preview_url(token)).content.decode()
    assert "Подтвердить импорт" in preview
    # The plan's lines are the importer's (English, as the command prints them): left out.
    outside_plan = re.sub(r"<pre[^>]*>.*?</pre>", "", preview, flags=re.S)
    assert english_found(outside_plan, english) == {}


def test_a_plan_adding_pages_to_other_indexes_needs_add_permission_there(
    alma, django_user_model, reference_2019
):
    prepared = prepare(reference_2019)
    # A forum report's plan also adds speakers and quotations under their indexes.
    prepared.plan.speaker_index = alma.speaker_index
    documents_only = editor(django_user_model, "documents-only", alma.guideline_index)
    whole_site = editor(django_user_model, "whole-site", alma.home)
    with pytest.raises(PermissionDenied):
        import_admin.check_permission(documents_only, prepared)
    import_admin.check_permission(whole_site, prepared)
    prepared.plan.speaker_index = None
    import_admin.check_permission(documents_only, prepared)
