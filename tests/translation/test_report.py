"""The "Translation status" report (alma_cms.translation_admin): rows, filters, bulk actions,
permission; and the page editor's status side panel section."""

import datetime
import re
import sys
from importlib.util import find_spec

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from wagtail.models import GroupPagePermission, Page
from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource

from alma_cms import translation_admin
from alma_cms.translation import state, sync, tasks
from alma_cms.translation import status as translation_status
from tests.test_localize import translate_page

from .conftest import live, publish_change

pytestmark = pytest.mark.django_db

REPORT = "/admin/alma-cms/translation-status/"
ACTION = "/admin/alma-cms/translation-status/action/"


@pytest.fixture
def ru_speakers(alma, locale_ru, admin_user, capture):
    translate_page(alma.speaker_index, locale_ru, admin_user, capture)
    return alma.speaker_index.get_translation(locale_ru)


@pytest.fixture
def sent(monkeypatch):
    """The calls of ``tasks.send_sync``, another part's interface (issue 9's Celery plumbing):
    the report's part is to call it with the right source and locales."""
    calls = []
    monkeypatch.setattr(tasks, "send_sync", lambda source, **kwargs: calls.append((source, kwargs)))
    return calls


def row_id(obj, code):
    content_type = ContentType.objects.get_for_model(type(obj), for_concrete_model=False)
    return f"{content_type.pk}:{obj.pk}:{code}"


def rows(response):
    """``{row id: state}`` of the report's HTML."""
    html = response.content.decode()
    found = {}
    for match in re.finditer(
        r'name="rows" value="([^"]+)".*?data-alma-state="([a-z_]+)"', html, re.S
    ):
        found[match.group(1)] = match.group(2)
    return found


def test_report_lists_pages_and_snippets_by_locale_with_their_state(
    alma, ru_speakers, admin_client
):
    response = admin_client.get(REPORT)
    assert response.status_code == 200
    found = rows(response)
    assert found[row_id(alma.speaker_index, "ru")] == "in_sync"
    assert found[row_id(alma.forum_index, "ru")] == "not_translated"
    assert found[row_id(alma.lfl, "ru")] == "not_translated"
    # A translation is not a source of its own row.
    assert row_id(ru_speakers, "en") not in found
    assert "Translation status" in response.content.decode()


def test_filters_state_locale_type_section(alma, ru_speakers, admin_client, locale_ru):
    in_sync = rows(admin_client.get(REPORT, {"state": "in_sync"}))
    assert list(in_sync) == [row_id(alma.speaker_index, "ru")]
    content_type = ContentType.objects.get_for_model(type(alma.speaker_index))
    by_type = rows(admin_client.get(REPORT, {"content_type": content_type.pk}))
    assert list(by_type) == [row_id(alma.speaker_index, "ru")]
    section = rows(admin_client.get(REPORT, {"section": alma.forum_index.pk}))
    assert row_id(alma.forum_index, "ru") in section
    assert row_id(alma.edition_2021, "ru") in section
    assert row_id(alma.speaker_index, "ru") not in section
    assert row_id(alma.lfl, "ru") not in section
    by_locale = rows(admin_client.get(REPORT, {"locale": "ru"}))
    assert by_locale and all(key.endswith(":ru") for key in by_locale)
    results = admin_client.get(REPORT + "results/", {"state": "in_sync"})
    assert list(rows(results)) == [row_id(alma.speaker_index, "ru")]


def test_report_shows_sync_errors(alma, ru_speakers, admin_client, locale_ru):
    state.record_error(alma.speaker_index.translation_key, locale_ru.pk, "The source was deleted")
    html = admin_client.get(REPORT, {"state": "in_sync"}).content.decode()
    assert "The source was deleted" in html


def test_sync_selected_sends_one_sync_per_source(alma, ru_speakers, admin_client, sent):
    response = admin_client.post(
        ACTION,
        {
            "action": "sync",
            "rows": [row_id(alma.speaker_index, "ru"), row_id(alma.forum_index, "ru")],
            "next": REPORT + "?state=in_sync",
        },
    )
    assert response.status_code == 302 and response["Location"] == REPORT + "?state=in_sync"
    assert sorted((source.pk, kwargs["locales"]) for source, kwargs in sent) == sorted(
        [(alma.speaker_index.pk, ["ru"]), (alma.forum_index.pk, ["ru"])]
    )


@pytest.fixture
def without_celery(monkeypatch):
    """A site without the celery extra: ``find_spec("celery")`` finds nothing (what
    ``translation_admin._sync_after_commit`` decides by), and ``import celery`` fails."""
    monkeypatch.setitem(sys.modules, "celery", None)
    assert find_spec("celery") is None


def test_sync_selected_without_celery_syncs_in_process_on_commit(
    ru_doc, locale_ru, admin_client, capture, without_celery, sent
):
    document, _translation = ru_doc
    document = publish_change(document, status="approved")  # synchronised from the source
    # The on-publish receivers were connected at start-up (this process has Celery); a site
    # without it has none.
    sent.clear()
    with capture(execute=True):
        response = admin_client.post(
            ACTION, {"action": "sync", "rows": [row_id(document, "ru")], "next": REPORT}
        )
        assert response.status_code == 302 and response["Location"] == REPORT
        # The request's transaction has not committed yet: nothing synced so far.
        assert live(document, locale_ru).status == "finalized"
    page = live(document, locale_ru)
    assert page.status == "approved" and not page.has_unpublished_changes
    assert state.states_for([document.translation_key], [locale_ru.pk])[
        (document.translation_key, locale_ru.pk)
    ].synced_at
    assert sent == []  # not through Celery


def test_in_process_sync_is_dropped_when_the_transaction_rolls_back(
    ru_doc, locale_ru, admin_user, capture, without_celery, sent
):
    document, _translation = ru_doc
    document = publish_change(document, status="approved")
    sent.clear()  # the on-publish receiver's send, as above
    with capture(execute=True) as callbacks:
        with transaction.atomic():
            translation_admin._sync_after_commit(document, locales=["ru"], user=admin_user)
            transaction.set_rollback(True)
    assert callbacks == []
    assert live(document, locale_ru).status == "finalized"
    assert not state.states_for([document.translation_key])
    with capture(execute=True) as callbacks, transaction.atomic():
        translation_admin._sync_after_commit(document, locales=["ru"], user=admin_user)
    assert len(callbacks) == 1 and live(document, locale_ru).status == "approved"
    assert sent == []


def test_in_process_sync_of_a_locale_gone_is_logged_not_raised(
    ru_doc, admin_user, capture, without_celery, caplog
):
    document, _translation = ru_doc
    with capture(execute=True), transaction.atomic():
        # A locale deleted between the request and the commit.
        translation_admin._sync_after_commit(document, locales=["xx"], user=admin_user)
    [record] = [r for r in caplog.records if r.name == "alma_cms.translation"]
    assert record.levelname == "ERROR" and "'xx' does not exist" in record.getMessage()


def said(response):
    return [str(message).strip() for message in get_messages(response.wsgi_request)]


def test_forged_rows_are_named_and_nothing_is_sent(alma, ru_speakers, admin_client, sent):
    speakers = row_id(alma.speaker_index, "ru")
    content_type_id = speakers.split(":")[0]
    forged = [
        "43:9:xx",  # unknown locale (and maybe type)
        f"{content_type_id}:{alma.speaker_index.pk}:xx",  # unknown locale
        f"{content_type_id}:999999:ru",  # no such object
        "999999:1:ru",  # no such content type
        f"{content_type_id}:{alma.speaker_index.pk}:en",  # the source's own locale
        "nonsense",
    ]
    response = admin_client.post(ACTION, {"action": "sync", "rows": forged, "next": REPORT})
    assert response.status_code == 302
    assert sent == []
    [message] = said(response)
    assert message.startswith("6 selected rows name no translation and were left out: 43:9:xx")
    assert "Sync of" not in message

    response = admin_client.post(ACTION, {"action": "sync", "rows": [*forged[:1], speakers]})
    assert [source.pk for source, _kwargs in sent] == [alma.speaker_index.pk]
    assert said(response)[-2:] == [  # after the first request's, not shown in between
        "1 selected row names no translation and was left out: 43:9:xx.",
        "Sync of 1 source sent.",
    ]


def test_sync_selected_from_drafts_sends_from_draft(alma, ru_speakers, admin_client, sent):
    response = admin_client.post(
        ACTION, {"action": "sync-draft", "rows": [row_id(alma.speaker_index, "ru")]}
    )
    assert response.status_code == 302
    [(source, kwargs)] = sent
    assert source.pk == alma.speaker_index.pk
    assert kwargs["locales"] == ["ru"] and kwargs["from_draft"] is True
    assert said(response) == [
        "Sync of 1 source from its draft sent (saved as drafts, not published)."
    ]
    sent.clear()
    admin_client.post(ACTION, {"action": "sync", "rows": [row_id(alma.speaker_index, "ru")]})
    assert sent[0][1]["from_draft"] is False


def test_the_report_offers_sync_from_drafts(ru_speakers, admin_client):
    html = admin_client.get(REPORT).content.decode()
    assert 'value="sync-draft"' in html and "Sync selected from drafts" in html


def test_sync_selected_from_drafts_without_celery_saves_a_draft(
    ru_doc, locale_ru, admin_client, capture, without_celery, sent, settings
):
    """The English draft reaches the Russian page as a draft revision; the live Russian page
    is unchanged (in process, as without Celery; the Celery path is the same call)."""
    settings.ALMA_CMS = {"TRANSLATION_CHANGED_STRINGS": "fallback"}
    document, _translation = ru_doc
    before = live(document, locale_ru)
    page = live(document)
    page.audience = "A draft audience."
    page.save_revision()
    with capture(execute=True):
        admin_client.post(ACTION, {"action": "sync-draft", "rows": [row_id(document, "ru")]})
    ru_page = live(document, locale_ru)
    assert ru_page.live_revision_id == before.live_revision_id
    assert ru_page.audience == before.audience
    assert ru_page.get_latest_revision_as_object().audience == "A draft audience."
    assert sent == []


def test_publish_complete_translations(alma, ru_speakers, admin_client, admin_user, locale_ru):
    """The complete Russian speaker index is published from its translations (not from a
    draft revision made by hand); the forum index, not translated, is left (and said so)."""
    ru_page = ru_speakers.specific
    translated_title = ru_page.title
    ru_page.title = "Спикеры (черновик)"
    ru_page.save_revision(user=admin_user)
    before = live(ru_page)
    response = admin_client.post(
        ACTION,
        {
            "action": "publish",
            "rows": [row_id(alma.speaker_index, "ru"), row_id(alma.forum_index, "ru")],
        },
    )
    assert response.status_code == 302
    page = live(ru_page)
    assert page.live_revision_id != before.live_revision_id
    assert page.title == translated_title and not page.has_unpublished_changes
    assert said(response) == [
        "1 translation published.",
        "Not published, not complete or out of date: 1 translation (strings to translate, "
        "a newer source, a failed sync, a stopped sync, or not a page).",
    ]


@pytest.fixture
def ru_speaker(alma, locale_ru, admin_user, capture):
    """Mackenzie's speaker page translated into Russian and published: (source, Translation)."""
    return alma.mackenzie, translate_page(alma.mackenzie, locale_ru, admin_user, capture)


def status_of(obj, code="ru"):
    return translation_status.statuses([obj], [code])[(obj, code)]


def save_in_editor(client, translation, path, value):
    """What wagtail-localize's translation editor does on "Save" of one string: a PUT to its
    ``edit_string_translation`` view (a ``StringTranslation``; no revision)."""
    segment = StringSegment.objects.get(source=translation.source, context__path=path)
    url = reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk])
    response = client.put(
        url, urlencode({"value": value}), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code in (200, 201), response.content


def test_publish_complete_publishes_the_strings_saved_in_the_editor(
    alma, ru_speaker, admin_client, locale_ru
):
    """The tester's steps (issue 9): a new English string, the worker's draft sync, the
    translator's "Save" in the translation editor, then "Publish complete translations"."""
    speaker, translation = ru_speaker
    speaker = publish_change(speaker, honorific_prefix="Dr.")
    [outcome] = sync.sync_translations(speaker)  # what the worker runs on publish
    assert outcome.action == "draft"  # a new string, untranslated: a draft revision
    found = status_of(speaker)
    assert found.state == "in_progress"
    assert found.strings_translated == found.strings_total - 1

    save_in_editor(admin_client, translation, "honorific_prefix", "Д-р")
    found = status_of(speaker)
    # Every string translated, but "Д-р" is not on the live page: not "in sync".
    assert found.strings_translated == found.strings_total
    assert found.state == "in_progress"
    assert rows(admin_client.get(REPORT))[row_id(speaker, "ru")] == "in_progress"
    ru_page = live(speaker, locale_ru)
    # The latest revision is the sync's draft, made before the string was translated.
    assert ru_page.get_latest_revision_as_object().honorific_prefix == "Dr."

    response = admin_client.post(ACTION, {"action": "publish", "rows": [row_id(speaker, "ru")]})
    assert said(response) == ["1 translation published."]
    ru_page = live(speaker, locale_ru)
    assert ru_page.honorific_prefix == "Д-р" and not ru_page.has_unpublished_changes
    assert status_of(speaker).state == "in_sync"


def test_publish_leaves_out_of_date_and_failed_translations(
    alma, ru_speakers, admin_client, admin_user, locale_ru
):
    """Complete, but the source was published since the last sync, or the last sync failed:
    nothing is published, and the message says so."""
    ru_page = ru_speakers.specific
    ru_page.title = "Спикеры (черновик)"
    ru_page.save_revision(user=admin_user)
    before = live(ru_page)
    row = [row_id(alma.speaker_index, "ru")]

    state.record_error(alma.speaker_index.translation_key, locale_ru.pk, "A broken segment")
    assert status_of(alma.speaker_index).is_complete
    response = admin_client.post(ACTION, {"action": "publish", "rows": row})
    assert live(ru_page).live_revision_id == before.live_revision_id
    assert said(response)[0].startswith("Not published, not complete or out of date: 1 ")

    state.record_synced(alma.speaker_index.translation_key, locale_ru.pk)
    publish_change(alma.speaker_index, title="Speakers, renamed")
    found = status_of(alma.speaker_index)
    assert found.state == "out_of_date" and found.is_complete
    response = admin_client.post(ACTION, {"action": "publish", "rows": row})
    assert live(ru_page).live_revision_id == before.live_revision_id
    assert said(response)[0].startswith("Not published, not complete or out of date: 1 ")


def test_publish_leaves_incomplete_translations(
    alma, ru_speakers, admin_client, admin_user, locale_ru
):
    source = TranslationSource.objects.get(object_id=alma.speaker_index.translation_key)
    segment = StringSegment.objects.filter(source=source).first()
    StringTranslation.objects.filter(
        translation_of=segment.string, context=segment.context, locale=locale_ru
    ).delete()
    ru_page = ru_speakers.specific
    ru_page.title = "Спикеры (черновик)"
    ru_page.save_revision(user=admin_user)
    admin_client.post(ACTION, {"action": "publish", "rows": [row_id(alma.speaker_index, "ru")]})
    assert Page.objects.get(pk=ru_page.pk).title != "Спикеры (черновик)"


@pytest.fixture
def translator(django_user_model, alma):
    """An editor who may translate (wagtail-localize's permission) and edit, not publish."""
    user = django_user_model.objects.create_user("translator", password="pw")
    group = Group.objects.create(name="Translators")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="submit_translation"),
    )
    GroupPagePermission.objects.create(
        group=group, page=Page.objects.get(depth=1), permission_type="change"
    )
    user.groups.add(group)
    return user


def test_publish_is_checked_per_page(alma, ru_speakers, client, translator, admin_user):
    ru_page = ru_speakers.specific
    ru_page.title = "Спикеры (черновик)"
    ru_page.save_revision(user=admin_user)
    client.force_login(translator)
    response = client.post(
        ACTION, {"action": "publish", "rows": [row_id(alma.speaker_index, "ru")]}
    )
    assert response.status_code == 302
    assert Page.objects.get(pk=ru_page.pk).title != "Спикеры (черновик)"


def test_a_translator_sees_the_report(alma, client, translator):
    client.force_login(translator)
    assert client.get(REPORT).status_code == 200


def test_editors_without_the_permission_are_turned_away(alma, client, django_user_model, sent):
    user = django_user_model.objects.create_user("editor", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = client.get(REPORT)
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    response = client.post(ACTION, {"action": "sync", "rows": [row_id(alma.forum_index, "ru")]})
    assert response.status_code == 302 and sent == []
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert REPORT not in menu


def test_report_in_the_reports_menu(admin_client):
    assert REPORT in admin_client.get(reverse("wagtailadmin_home")).content.decode()


def test_side_panel_shows_the_translations_and_their_states(
    alma, ru_speakers, admin_client, locale_ru
):
    TranslationSource.objects.filter(object_id=alma.speaker_index.translation_key).update(
        last_updated_at=timezone.now() + datetime.timedelta(minutes=1)
    )
    html = admin_client.get(
        reverse("wagtailadmin_pages:edit", args=[alma.speaker_index.pk])
    ).content.decode()
    assert 'data-alma-translation="ru"' in html
    assert 'data-alma-state="out_of_date"' in html
    # The translation's editor shows the same line, for its own locale.
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[ru_speakers.pk])).content
    assert b'data-alma-state="out_of_date"' in html


def test_side_panel_is_for_translators_only(alma, client, django_user_model):
    user = django_user_model.objects.create_user("editor2", password="pw")
    group = Group.objects.create(name="Editors only")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=group, page=Page.objects.get(depth=1), permission_type="change"
    )
    user.groups.add(group)
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[alma.forum_index.pk]))
    assert response.status_code == 200
    assert b"data-alma-translation" not in response.content


def test_report_queries_do_not_grow_with_the_translations(
    alma, locale_ru, admin_user, admin_client, capture
):
    def queries():
        admin_client.get(REPORT)
        with CaptureQueriesContext(connection) as context:
            assert admin_client.get(REPORT).status_code == 200
        return len(context.captured_queries)

    translate_page(alma.speaker_index, locale_ru, admin_user, capture)
    one = queries()
    for page in (alma.quotation_index, alma.guideline_index):
        translate_page(page, locale_ru, admin_user, capture)
    assert queries() == one


# One report page load: the session and user, the filters' choices, the sources (one query per
# page type), wagtail-localize's translations with their counts, sources, instances and sync
# states (``statuses``), the paginator, Wagtail's admin chrome. A translator (not a superuser)
# adds the permission lookups. None of them depends on the number of rows.
REPORT_QUERIES = 19
REPORT_QUERIES_TRANSLATOR = 22


@pytest.mark.parametrize("count", [20, 200])
def test_report_queries_do_not_grow_with_the_rows(
    alma, locale_ru, admin_user, admin_client, client, translator, capture, count,
    django_assert_num_queries,
):  # fmt: skip
    """``count`` more speakers, one in ten translated: a page of the report runs the same
    queries for 20 and for 200 of them (statuses are computed in bulk for every row before the
    page is cut, since a state filter needs them all)."""
    from alma_cms.pages.models import SpeakerPage  # tests may import pages
    from tests.testapp.factories import _add_live

    speakers = [
        _add_live(
            alma.speaker_index,
            SpeakerPage(
                title=f"Speaker {n}", slug=f"speaker-{n}", given_name="Ann", family_name=f"B{n}"
            ),
        )
        for n in range(count)
    ]
    for speaker in speakers[::10]:
        translate_page(speaker, locale_ru, admin_user, capture)
    client.force_login(translator)
    for user_client, expected in (
        (admin_client, REPORT_QUERIES),
        (client, REPORT_QUERIES_TRANSLATOR),
    ):
        user_client.get(REPORT)  # caches (content types, site root paths) warmed
        with django_assert_num_queries(expected):
            response = user_client.get(REPORT)
        assert response.context["page_obj"].paginator.count > count  # every speaker is a row
        found = rows(response)
        assert len(found) == min(response.context["page_obj"].paginator.count, 100)
        with django_assert_num_queries(expected):
            response = user_client.get(REPORT, {"state": "in_sync"})
        assert len(rows(response)) == count // 10


@pytest.mark.parametrize(
    "query",
    [
        {"state": "bogus"},
        {"locale": "xx"},
        {"section": "99999"},
        {"section": "abc"},  # Wagtail's page chooser looked "abc" up as an id: a 500
        {"content_type": "999"},
        {"state": "in_sync", "locale": "xx"},
    ],
)
def test_an_invalid_filter_lists_nothing_beside_its_error(alma, ru_speakers, admin_client, query):
    # Wagtail's own listings drop every filter on invalid input and list all rows; here the
    # error is shown and no row, so no list reads as a filtered one.
    assert len(rows(admin_client.get(REPORT, {"state": "in_sync"}))) == 1
    for url in (REPORT, REPORT + "results/"):
        response = admin_client.get(url, query)
        assert response.status_code == 200
        assert rows(response) == {}
        assert "A filter is not valid: correct it to see translations." in response.content.decode()
    assert response.context["view"].filters.errors
