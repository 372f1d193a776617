"""The ``alma_cms_register_blocks`` hook, and migrations that stay clean whatever it adds.

``tests/testapp/wagtail_hooks.py`` always registers a ``testapp_poll`` block for the forum
edition body, as a site would. ``tests/testapp/settings_nohook.py`` is the same configuration
without the test app, hence without the hook.
"""

import io
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail import blocks as wagtail_blocks
from wagtail import hooks

from alma_cms.blocks import ParagraphBlock
from alma_cms.checks import check_extra_blocks
from alma_cms.fields import ExtensibleStreamField
from alma_cms.hooks import REGISTER_BLOCKS_HOOK, STREAM_KEYS, get_extra_blocks
from alma_cms.pages.models import AwardAnnouncementPage, AwardPage, ForumEditionPage
from tests.testapp.blocks import PollBlock
from tests.testapp.factories import reload

REPO_ROOT = Path(__file__).resolve().parent.parent
POLL = "testapp_poll"


def body_field(model):
    return model._meta.get_field("body")


def poll_raw(question="Is your library a leader?", options=("Yes", "Not yet")):
    return {"type": POLL, "value": {"question": question, "options": list(options)}}


# --- The hook ----------------------------------------------------------------------------------


def test_every_body_stream_is_extensible():
    keys = {body_field(m).stream_key for m in (ForumEditionPage, AwardPage, AwardAnnouncementPage)}
    assert keys == set(STREAM_KEYS)
    assert all(
        isinstance(body_field(m), ExtensibleStreamField)
        for m in (ForumEditionPage, AwardPage, AwardAnnouncementPage)
    )


def test_testapp_hook_adds_poll_to_edition_body_only():
    assert [name for name, _block in get_extra_blocks("edition_body")] == [POLL]
    assert get_extra_blocks("award_body") == []
    children = body_field(ForumEditionPage).stream_block.child_blocks
    assert isinstance(children[POLL], PollBlock)
    assert list(children)[-1] == POLL
    # The package's own blocks are all still there, in their order.
    base = list(body_field(ForumEditionPage).base_stream_block.child_blocks)
    assert list(children)[:-1] == base
    assert POLL not in body_field(AwardPage).stream_block.child_blocks
    assert POLL not in body_field(AwardAnnouncementPage).stream_block.child_blocks


def test_base_blocks_do_not_include_hooked_blocks():
    assert POLL not in body_field(ForumEditionPage).base_stream_block.child_blocks


@pytest.mark.django_db
def test_page_with_hooked_block_saves_reloads_and_renders(alma):
    edition = alma.edition_2021
    body_before = len(edition.body)
    edition.body = [
        *ForumEditionPage._meta.get_field("body").stream_block.get_prep_value(edition.body),
        poll_raw(),
    ]
    edition.save_revision().publish()

    edition = reload(edition)
    assert len(edition.body) == body_before + 1
    poll = edition.body[-1]
    assert poll.block_type == POLL
    assert poll.value["question"] == "Is your library a leader?"
    html = str(poll.render())
    assert '<p class="poll__question">Is your library a leader?</p>' in html
    assert "<li>Not yet</li>" in html
    # The whole body renders, the poll among the package's blocks.
    from django.test import RequestFactory

    body_html = str(
        edition.body.render_as_block(
            context={"request": RequestFactory().get(edition.url), "page": edition}
        )
    )
    assert "Is your library a leader?" in body_html and "International panel" in body_html


@pytest.mark.django_db
def test_page_with_hooked_block_serializes_in_the_api(alma, client):
    edition = alma.edition_2021
    edition.body = [poll_raw(options=("Leader", "NPC", "Both"))]
    edition.save_revision().publish()
    response = client.get(f"/api/v2/pages/{edition.pk}/")
    assert response.status_code == 200
    body = response.json()["body"]
    assert [b["type"] for b in body] == [POLL]
    assert body[0]["value"] == {
        "question": "Is your library a leader?",
        "options": ["Leader", "NPC", "Both"],
        "option_count": 3,
    }


@pytest.mark.django_db
def test_page_with_hooked_block_is_served(alma, client):
    edition = alma.edition_2021
    edition.body = [poll_raw()]
    edition.save_revision().publish()
    response = client.get(edition.url)
    assert response.status_code == 200
    assert "Is your library a leader?" in response.content.decode()


def test_hooked_block_is_validated_like_the_others():
    form_field = body_field(ForumEditionPage).formfield()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        form_field.clean(form_field.block.to_python([poll_raw(options=("Only one",))]))
    assert len(form_field.clean(form_field.block.to_python([poll_raw()]))) == 1


@pytest.mark.django_db
def test_admin_editor_offers_the_hooked_block(alma, admin_client):
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[alma.edition_2019.pk]))
    assert response.status_code == 200
    assert POLL in response.content.decode()
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[alma.award.pk]))
    assert response.status_code == 200
    assert POLL not in response.content.decode()


def test_temporary_hook_extends_every_stream(fresh_stream_blocks):
    def add_notice(stream_key):
        return [("site_notice", wagtail_blocks.CharBlock())]

    with hooks.register_temporarily(REGISTER_BLOCKS_HOOK, add_notice):
        for model in (ForumEditionPage, AwardPage, AwardAnnouncementPage):
            assert "site_notice" in body_field(model).stream_block.child_blocks
        assert POLL in body_field(ForumEditionPage).stream_block.child_blocks
        assert check_extra_blocks() == []
    for field in fresh_stream_blocks:
        field.__dict__.pop("_extended_stream_block", None)
    assert "site_notice" not in body_field(AwardPage).stream_block.child_blocks


# --- Name clashes and broken hooks -------------------------------------------------------------


def test_name_clash_is_reported_as_e006(fresh_stream_blocks):
    def clash(stream_key):
        return [("paragraph", ParagraphBlock())] if stream_key == "edition_body" else []

    with hooks.register_temporarily(REGISTER_BLOCKS_HOOK, clash):
        errors = check_extra_blocks()
    assert [e.id for e in errors] == ["alma_cms.E006"]
    assert errors[0].obj is ForumEditionPage
    assert "paragraph" in errors[0].msg and "edition_body" in errors[0].msg
    assert errors[0].msg.startswith("alma_cms_pages.ForumEditionPage.body")


def test_no_e006_once_the_clashing_hook_is_gone(fresh_stream_blocks):
    def clash(stream_key):
        return [("heading", ParagraphBlock())]

    with hooks.register_temporarily(REGISTER_BLOCKS_HOOK, clash):
        assert {e.obj for e in check_extra_blocks()} == {
            ForumEditionPage,
            AwardPage,
            AwardAnnouncementPage,
        }
    assert check_extra_blocks() == []


def test_block_class_instead_of_instance_is_reported(fresh_stream_blocks):
    def wrong(stream_key):
        return [("poll_class", PollBlock)] if stream_key == "award_body" else []

    with hooks.register_temporarily(REGISTER_BLOCKS_HOOK, wrong):
        errors = check_extra_blocks()
    assert [(e.id, e.obj) for e in errors] == [("alma_cms.E006", AwardPage)]


def test_non_block_from_hook_is_reported_not_raised(fresh_stream_blocks):
    def wrong(stream_key):
        return [("notice", "not a block")] if stream_key == "award_body" else []

    with hooks.register_temporarily(REGISTER_BLOCKS_HOOK, wrong):
        errors = check_extra_blocks()
    assert [(e.id, e.obj) for e in errors] == [("alma_cms.E006", AwardPage)]


def test_failing_hook_is_reported_not_raised(fresh_stream_blocks):
    def broken(stream_key):
        raise RuntimeError("the site's block registry is broken")

    with hooks.register_temporarily(REGISTER_BLOCKS_HOOK, broken):
        errors = check_extra_blocks()
    assert {e.id for e in errors} == {"alma_cms.E006"}
    assert {e.obj for e in errors} == {ForumEditionPage, AwardPage, AwardAnnouncementPage}
    assert all("the site's block registry is broken" in e.msg for e in errors)


# --- Migrations --------------------------------------------------------------------------------


def test_deconstruct_leaves_hooked_blocks_out():
    field = body_field(ForumEditionPage)
    assert POLL in field.stream_block.child_blocks  # the hook is active ...
    name, path, args, kwargs = field.deconstruct()
    assert path == "wagtail.fields.StreamField"  # ... but migrations see a plain field
    assert [block_name for block_name, _ in args[0]] == list(field.base_stream_block.child_blocks)
    assert POLL not in repr(args) + repr(kwargs)
    assert "stream_key" not in kwargs
    # Deconstructing does not disturb the live field.
    assert POLL in field.stream_block.child_blocks


def makemigrations_check():
    out = io.StringIO()
    call_command(
        "makemigrations",
        "alma_cms",
        "alma_cms_pages",
        "--check",
        "--dry-run",
        stdout=out,
        stderr=out,
    )
    return out.getvalue()


@pytest.mark.django_db
def test_makemigrations_clean_with_hook_active():
    assert POLL in body_field(ForumEditionPage).stream_block.child_blocks
    output = makemigrations_check()  # --check exits (SystemExit) when changes are detected
    assert "No changes detected" in output


@pytest.mark.django_db
def test_makemigrations_clean_with_extra_hooks_on_every_stream(fresh_stream_blocks):
    def add_notice(stream_key):
        return [("site_notice", wagtail_blocks.CharBlock())]

    with hooks.register_temporarily(REGISTER_BLOCKS_HOOK, add_notice):
        assert "site_notice" in body_field(AwardPage).stream_block.child_blocks
        assert "No changes detected" in makemigrations_check()


NOHOOK_SCRIPT = textwrap.dedent("""
    import django
    django.setup()
    from django.core.management import call_command
    from alma_cms.pages.models import ForumEditionPage
    print("BLOCKS", sorted(ForumEditionPage._meta.get_field("body").stream_block.child_blocks))
    call_command("makemigrations", "alma_cms", "alma_cms_pages", "--check", "--dry-run")
""")


def test_makemigrations_clean_without_the_hook():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="tests.testapp.settings_nohook", PYTHONPATH=str(REPO_ROOT))
    result = subprocess.run(
        [sys.executable, "-c", NOHOOK_SCRIPT],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BLOCKS" in result.stdout and "paragraph" in result.stdout
    assert POLL not in result.stdout  # really without the hook
    assert "No changes detected" in result.stdout
