"""Headless preview: signed revision tokens, the preview API endpoint and the admin action.

The endpoint is mounted by ``tests/preview_urls.py`` at ``/api/v2/preview/`` beside the live
Wagtail API (``/api/v2/pages/``), as docs/preview.md tells a project to do.
"""

import time
import types
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from wagtail import hooks
from wagtail.models import Revision

from alma_cms.checks import check_preview_frontend_url
from alma_cms.pages.models import QuotationPage, SpeakerPosition
from alma_cms.preview import (
    SALT,
    PreviewRevisionGone,
    PreviewTokenExpired,
    PreviewTokenInvalid,
    PreviewTokenMissing,
    get_preview_revision,
    make_preview_token,
    read_preview_token,
)
from tests.testapp.factories import add_page

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.preview_urls")]

FRONTEND = "https://front.example.org/api/preview?secret=s3cret&token={token}"
WITH_FRONTEND = {"PREVIEW_FRONTEND_URL": FRONTEND}


@dataclass
class Endpoint:
    """An API (live pages at ``pages``) and its preview endpoint (``preview``)."""

    preview: str
    pages: str


SITE = Endpoint(preview="/api/v2/preview/", pages="/api/v2/pages/")
ALMA = Endpoint(preview="/alma-api/v2/preview/", pages="/alma-api/v2/pages/")


@pytest.fixture(params=["site", "alma"])
def api(request):
    """Each endpoint test runs against the test site's API router (what sandbox/urls.py mounts)
    and against alma-cms's own ``alma_cms.api`` router."""
    if request.param == "alma":
        return ALMA
    return SITE


def preview(client, token, api=SITE, **params):
    return client.get(api.preview, {"token": token, **params})


def preview_json(client, token, api=SITE, **params):
    response = preview(client, token, api, **params)
    assert response.status_code == 200, response.content[:500]
    return response.json()


def live_detail(client, page, api=SITE, **params):
    response = client.get(f"{api.pages}{page.pk}/", params)
    assert response.status_code == 200, response.content[:500]
    return response.json()


def assert_refused(response, status, code):
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert body["message"]
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"


def shifted_clock(monkeypatch, seconds):
    """Make ``django.core.signing`` (only) see a clock ``seconds`` away from now."""
    real_time = time.time
    monkeypatch.setattr(signing, "time", types.SimpleNamespace(time=lambda: real_time() + seconds))


def minted_at(monkeypatch, revision, seconds_ago):
    """A token for ``revision`` made ``seconds_ago`` seconds in the past."""
    with monkeypatch.context() as patch:
        shifted_clock(patch, -seconds_ago)
        return make_preview_token(revision)


def altered(token, index):
    """``token`` with the character at ``index`` replaced by another allowed one."""
    char = token[index]
    replacement = "A" if char != "A" else "B"
    return token[:index] + replacement + token[index + 1 :]


def draft_quotation(alma):
    """A quotation that has never been published: one revision, no live version."""
    return add_page(
        alma.quotation_index,
        QuotationPage(
            title="Lison on networks",
            slug="lison-on-networks",
            text="A draft that nobody outside the office has read.",
            speaker=alma.lison,
            forum_edition=alma.edition_2021,
            said_on=alma.edition_2021.start_date,
        ),
        publish=False,
    )


# --- Tokens ----------------------------------------------------------------------------------


def test_token_names_the_revision_and_its_page(alma):
    revision = alma.edition_2021.save_revision()
    token = make_preview_token(revision)
    data = read_preview_token(token)
    assert (data.revision_id, data.page_id) == (revision.pk, alma.edition_2021.pk)
    assert (data.expires_at - data.issued_at).total_seconds() == 3600
    assert get_preview_revision(token) == revision
    # Only URL-safe characters, so it can go in a query string or a path unquoted.
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_:")


def test_token_lifetime_follows_the_setting(alma):
    token = make_preview_token(alma.quotation.save_revision())
    with override_settings(ALMA_CMS={"PREVIEW_TOKEN_MAX_AGE": 600}):
        data = read_preview_token(token)
    assert (data.expires_at - data.issued_at).total_seconds() == 600


def test_only_saved_page_revisions_get_tokens(alma):
    with pytest.raises(ValueError):
        make_preview_token(Revision(object_id=str(alma.quotation.pk), content={}))
    organization_type = ContentType.objects.get_for_model(alma.lfl)
    org_revision = Revision.objects.create(
        content_type=organization_type,
        base_content_type=organization_type,
        object_id=str(alma.lfl.pk),
        content={},
    )
    with pytest.raises(ValueError):
        make_preview_token(org_revision)


@pytest.mark.parametrize(
    ("token", "error"),
    [("", PreviewTokenMissing), ("not-a-token", PreviewTokenInvalid)],
)
def test_read_refuses_missing_and_garbage(token, error):
    with pytest.raises(error):
        read_preview_token(token)


def test_token_with_another_salt_or_key_is_refused(alma):
    revision = alma.quotation.save_revision()
    payload = {"revision_id": revision.pk, "page_id": alma.quotation.pk}
    with pytest.raises(PreviewTokenInvalid):
        read_preview_token(signing.dumps(payload, salt="another.salt"))
    with pytest.raises(PreviewTokenInvalid):
        read_preview_token(signing.dumps(payload, key="another-secret-key", salt=SALT))
    # Control: the same payload signed the right way is accepted.
    assert read_preview_token(signing.dumps(payload, salt=SALT)).revision_id == revision.pk


def test_rotated_secret_key_keeps_tokens_valid_through_fallbacks(alma):
    token = make_preview_token(alma.quotation.save_revision())
    with override_settings(SECRET_KEY="a-new-key", SECRET_KEY_FALLBACKS=["alma-cms-tests"]):
        assert read_preview_token(token).page_id == alma.quotation.pk
    with override_settings(SECRET_KEY="a-new-key", SECRET_KEY_FALLBACKS=[]):
        with pytest.raises(PreviewTokenInvalid):
            read_preview_token(token)


def test_expiry_is_measured_from_minting(alma, monkeypatch):
    revision = alma.quotation.save_revision()
    assert read_preview_token(minted_at(monkeypatch, revision, 3590)).revision_id == revision.pk
    with pytest.raises(PreviewTokenExpired):
        read_preview_token(minted_at(monkeypatch, revision, 3610))


# --- The preview endpoint --------------------------------------------------------------------


def test_never_published_page(alma, client, api):
    draft = draft_quotation(alma)
    assert not draft.live and draft.live_revision is None
    response = preview(client, make_preview_token(draft.get_latest_revision()), api)
    assert response.status_code == 200, response.content[:500]
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"
    assert "ETag" not in response and "Last-Modified" not in response
    data = response.json()
    assert data["id"] == draft.pk
    assert data["meta"]["type"] == "alma_cms_pages.QuotationPage"
    assert data["title"] == "Lison on networks"
    assert data["text"] == "A draft that nobody outside the office has read."
    assert data["speaker"]["name"] == "Barbara Lison"
    assert data["forum_edition"]["id"] == alma.edition_2021.pk
    assert data["meta"]["parent"]["id"] == alma.quotation_index.pk
    assert data["meta"]["first_published_at"] is None
    preview_meta = data["meta"]["preview"]
    assert preview_meta["revision_id"] == draft.latest_revision_id
    assert preview_meta["is_latest_revision"] is True
    assert preview_meta["is_live_revision"] is False
    assert preview_meta["expires_at"]


def test_unpublished_changes_of_a_live_page(alma, client, api):
    edition = alma.edition_2021
    live_theme = edition.theme
    edition.theme = "Draft theme: the library as a leader"
    edition.body[1].value["title"] = "International panel (draft)"
    revision = edition.save_revision()

    data = preview_json(client, make_preview_token(revision), api)
    assert data["theme"] == "Draft theme: the library as a leader"
    panel = next(block for block in data["body"] if block["type"] == "discussion_panel")
    assert panel["value"]["title"] == "International panel (draft)"
    # References in the draft resolve the way the live API resolves them.
    assert panel["value"]["speakers"][0]["speaker"]["name"] == "Christine Mackenzie"
    assert data["meta"]["preview"]["is_live_revision"] is False

    live = live_detail(client, edition, api)
    assert live["theme"] == live_theme
    live_panel = next(block for block in live["body"] if block["type"] == "discussion_panel")
    assert live_panel["value"]["title"] == "International panel"


def test_unpublished_inline_rows_of_a_live_page(alma, client, api):
    """Child rows (speaker positions) come from the revision too, not from the live rows."""
    speaker = alma.mackenzie
    speaker.positions.add(
        SpeakerPosition(role_title="Honorary Member", organization=alma.rla, start_date=None)
    )
    speaker.short_bio = "Draft biography."
    data = preview_json(client, make_preview_token(speaker.save_revision()), api)
    assert data["short_bio"] == "Draft biography."
    assert [p["role_title"] for p in data["positions"]] == [
        "President-elect",
        "President",
        "Honorary Member",
    ]
    assert data["positions"][2]["organization"]["short_name"] == "RLA"
    live = live_detail(client, speaker, api)
    assert [p["role_title"] for p in live["positions"]] == ["President-elect", "President"]


@pytest.mark.parametrize(
    "name", ["edition_2021", "final_document", "mackenzie", "quotation", "winners", "award"]
)
def test_live_revision_previews_exactly_like_the_live_api(alma, client, name, api):
    """Same serializer machinery: the preview of the published revision is the live answer."""
    page = getattr(alma, name)
    data = preview_json(client, make_preview_token(page.live_revision), api)
    assert data["meta"].pop("preview")["is_live_revision"] is True
    assert data == live_detail(client, page, api)


def test_fields_parameter_works_like_the_detail_view(alma, client, api):
    token = make_preview_token(alma.quotation.live_revision)
    data = preview_json(client, token, api, fields="_,id,title,text")
    assert set(data) == {"id", "meta", "title", "text"}
    assert set(data["meta"]) == {"preview"}
    data = preview_json(client, token, api, fields="-context,-text")
    assert "text" not in data and "speaker" in data
    live = live_detail(client, alma.quotation, api, fields="-context,-text")
    data["meta"].pop("preview")
    assert data == live
    response = preview(client, token, api, fields="no_such_field")
    assert response.status_code == 400
    assert response["Cache-Control"] == "private, no-store"


def test_old_revision_keeps_showing_its_own_content(alma, client, api):
    quotation = alma.quotation
    quotation.text = "Version A."
    revision_a = quotation.save_revision()
    quotation.text = "Version B."
    revision_b = quotation.save_revision()
    assert revision_b.pk != revision_a.pk

    data_a = preview_json(client, make_preview_token(revision_a), api)
    assert data_a["text"] == "Version A."
    assert data_a["meta"]["preview"]["is_latest_revision"] is False
    data_b = preview_json(client, make_preview_token(revision_b), api)
    assert data_b["text"] == "Version B."
    assert data_b["meta"]["preview"]["is_latest_revision"] is True


def test_missing_token(client, api):
    assert_refused(client.get(api.preview), 400, "token_missing")
    assert_refused(preview(client, "", api), 400, "token_missing")


def test_altered_token_is_refused(alma, client, api):
    token = make_preview_token(alma.quotation.save_revision())
    assert preview(client, token, api).status_code == 200  # control
    payload_end = token.index(":")
    timestamp_end = token.index(":", payload_end + 1)
    for index in (0, payload_end - 1, timestamp_end - 1, len(token) - 1):
        assert_refused(preview(client, altered(token, index), api), 403, "token_invalid")
    assert_refused(preview(client, token[:-1], api), 403, "token_invalid")
    assert_refused(preview(client, token + "x", api), 403, "token_invalid")


def test_token_for_another_revision_cannot_be_forged(alma, client, api):
    """Changing the ids in the payload breaks the signature."""
    revision = alma.quotation.save_revision()
    token = make_preview_token(revision)
    other = make_preview_token(alma.edition_2021.save_revision())
    forged = other.split(":")[0] + token[token.index(":") :]
    assert_refused(preview(client, forged, api), 403, "token_invalid")


def test_expired_token_is_refused(alma, client, monkeypatch, api):
    revision = alma.quotation.save_revision()
    token = minted_at(monkeypatch, revision, 5)
    assert preview(client, token, api).status_code == 200  # 5 s old: fine for an hour-long token
    with override_settings(ALMA_CMS={"PREVIEW_TOKEN_MAX_AGE": 1}):
        assert_refused(preview(client, token, api), 403, "token_expired")
        fresh = make_preview_token(revision)
        assert preview(client, fresh, api).status_code == 200
        # The same fresh token, read two seconds later.
        shifted_clock(monkeypatch, 2)
        assert_refused(preview(client, fresh, api), 403, "token_expired")


def test_token_for_a_deleted_revision(alma, client, api):
    quotation = alma.quotation
    quotation.text = "About to be purged."
    revision = quotation.save_revision()
    token = make_preview_token(revision)
    revision.delete()
    assert_refused(preview(client, token, api), 410, "revision_gone")
    with pytest.raises(PreviewRevisionGone):
        get_preview_revision(token)


def test_token_for_a_deleted_page(alma, client, api):
    draft = draft_quotation(alma)
    token = make_preview_token(draft.get_latest_revision())
    assert preview(client, token, api).status_code == 200
    draft.delete()
    assert_refused(preview(client, token, api), 410, "revision_gone")


def test_public_endpoints_ignore_the_token(alma, client, api):
    draft = draft_quotation(alma)
    token = make_preview_token(draft.get_latest_revision())
    # The draft is not in the live API, token or not.
    response = client.get(f"{api.pages}{draft.pk}/", {"token": token}, follow=True)
    assert response.status_code == 404
    assert b"nobody outside the office" not in response.content
    response = client.get(api.pages, {"type": "alma_cms_pages.QuotationPage", "token": token})
    assert b"nobody outside the office" not in response.content
    assert draft.pk not in [item["id"] for item in response.json().get("items", [])]
    # Nor does a token show the unpublished changes of a live page there.
    alma.quotation.text = "Unpublished wording."
    live_token = make_preview_token(alma.quotation.save_revision())
    response = client.get(f"{api.pages}{alma.quotation.pk}/", {"token": live_token})
    assert response.status_code == 200
    assert response.json()["text"] == "Libraries lead when they listen."
    # ... nor the HTML page.
    response = client.get(draft.url, {"token": token}, follow=True)
    assert b"nobody outside the office" not in response.content


# --- Admin: minting a token and opening the front-end ----------------------------------------


def admin_preview_url(page, **params):
    url = reverse("alma_cms_frontend_preview", args=[page.pk])
    if params:
        url += "?" + "&".join(f"{k}={v}" for k, v in params.items())
    return url


def token_from_location(location):
    prefix, _sep, _rest = FRONTEND.partition("{token}")
    assert location.startswith(prefix), location
    return location[len(prefix) :]


@pytest.fixture
def admin_only_user(db):
    """Can log in to the admin but has no page permissions at all."""
    user = get_user_model().objects.create_user("visitor", "visitor@example.org", "pw")
    group = Group.objects.create(name="Admin visitors")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    user.groups.add(group)
    return user


@pytest.fixture
def editor(db):
    """A member of Wagtail's default "Editors" group (may edit every page)."""
    user = get_user_model().objects.create_user("editor", "editor@example.org", "pw")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@override_settings(ALMA_CMS=WITH_FRONTEND)
def test_admin_action_redirects_to_the_frontend_with_a_token(alma, client, editor):
    quotation = alma.quotation
    quotation.text = "The latest draft."
    latest = quotation.save_revision()
    client.force_login(editor)
    response = client.get(admin_preview_url(quotation))
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]
    token = token_from_location(response["Location"])
    assert read_preview_token(token).revision_id == latest.pk
    assert preview_json(client, token)["text"] == "The latest draft."


@override_settings(ALMA_CMS=WITH_FRONTEND)
def test_admin_action_for_a_chosen_revision(alma, admin_client):
    quotation = alma.quotation
    live_revision = quotation.live_revision
    quotation.save_revision()
    response = admin_client.get(admin_preview_url(quotation, revision=live_revision.pk))
    assert response.status_code == 302
    assert read_preview_token(token_from_location(response["Location"])).revision_id == (
        live_revision.pk
    )
    # A revision of another page is not reachable through this page.
    other = alma.edition_2021.live_revision
    # (LocaleMiddleware answers a 404 with a redirect to /en/<path>, which then 404s.)
    response = admin_client.get(admin_preview_url(quotation, revision=other.pk), follow=True)
    assert response.status_code == 404


@override_settings(ALMA_CMS=WITH_FRONTEND)
def test_admin_action_for_a_never_published_page(alma, admin_client, client):
    draft = draft_quotation(alma)
    response = admin_client.get(admin_preview_url(draft))
    assert response.status_code == 302
    data = preview_json(client, token_from_location(response["Location"]))
    assert data["id"] == draft.pk


@override_settings(ALMA_CMS=WITH_FRONTEND)
def test_admin_action_refuses_anonymous_users(alma, client):
    response = client.get(admin_preview_url(alma.quotation))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))
    assert "token" not in response["Location"].split("?")[0]


@override_settings(ALMA_CMS=WITH_FRONTEND)
def test_admin_action_refuses_users_who_cannot_edit_the_page(alma, client, admin_only_user):
    client.force_login(admin_only_user)
    response = client.get(admin_preview_url(alma.quotation))
    assert response.status_code in (302, 403)
    assert not response.get("Location", "").startswith("https://front.example.org")
    # Asked as XHR, Wagtail raises the PermissionDenied as a plain 403.
    response = client.get(
        admin_preview_url(alma.quotation), headers={"x-requested-with": "XMLHttpRequest"}
    )
    assert response.status_code == 403


def test_admin_action_is_off_without_a_frontend_url(alma, admin_client):
    response = admin_client.get(admin_preview_url(alma.quotation), follow=True)
    assert response.status_code == 404


def preview_buttons(hook_name, page, user, **kwargs):
    return [
        button
        for hook in hooks.get_hooks(hook_name)
        for button in hook(page=page, user=user, **kwargs)
        if getattr(button, "url", None) == reverse("alma_cms_frontend_preview", args=[page.pk])
    ]


@pytest.mark.parametrize(
    ("hook_name", "kwargs"),
    [
        ("register_page_header_buttons", {"view_name": "edit", "next_url": None}),
        ("register_page_listing_more_buttons", {"next_url": None}),
    ],
)
def test_preview_buttons(alma, editor, admin_only_user, hook_name, kwargs):
    page = alma.quotation
    assert preview_buttons(hook_name, page, editor, **kwargs) == []  # not configured
    with override_settings(ALMA_CMS=WITH_FRONTEND):
        [button] = preview_buttons(hook_name, page, editor, **kwargs)
        assert button.attrs["target"] == "_blank"
        assert preview_buttons(hook_name, page, admin_only_user, **kwargs) == []


@override_settings(ALMA_CMS=WITH_FRONTEND)
def test_edit_view_offers_the_preview(alma, admin_client):
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[alma.quotation.pk]))
    assert response.status_code == 200
    assert admin_preview_url(alma.quotation).encode() in response.content


# --- System check ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("", True),
        ("https://front.example.org/api/preview?token={token}", True),
        ("http://localhost:3000/preview/{token}", True),
        ("https://front.example.org/api/preview?token=", False),
        ("/api/preview?token={token}", False),
        ("ftp://front.example.org/{token}", False),
        ("https://front.example.org/{lang}/preview?token={token}", False),
        ("https://front.example.org/preview?token={token", False),
    ],
)
def test_check_preview_frontend_url(value, ok):
    with override_settings(ALMA_CMS={"PREVIEW_FRONTEND_URL": value}):
        errors = check_preview_frontend_url()
    assert [e.id for e in errors] == ([] if ok else ["alma_cms.E007"])


def test_check_runs_with_manage_py_check():
    from django.core.management.base import SystemCheckError

    with override_settings(ALMA_CMS={"PREVIEW_FRONTEND_URL": "front.example.org"}):
        with pytest.raises(SystemCheckError, match="alma_cms.E007"):
            call_command("check")
