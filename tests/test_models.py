"""Model helpers: names, positions and roles, listings of the index pages, computed values;
and every page type serves its front-end page."""

import datetime
import json
from pathlib import Path

import pytest
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

import alma_cms
from alma_cms.pages.models import (
    ForumEditionPage,
    GuidelineDocumentPage,
    SpeakerPage,
    SpeakerPosition,
)
from alma_cms.scope import get_scope
from tests.testapp.factories import (
    PAGE_TYPES,
    add_page,
    directions_raw,
    make_speaker,
    page_of_type,
    reload,
)

D = datetime.date

pytestmark = pytest.mark.django_db


# --- Organizations and speakers ----------------------------------------------------------------


def test_organization_names(alma):
    assert str(alma.rla) == "Russian Library Association (RLA)"
    assert alma.rla.display_name == "RLA"
    alma.rla.short_name = ""
    assert str(alma.rla) == alma.rla.display_name == "Russian Library Association"


def test_full_name_with_prefix_and_middle_initial(alma):
    speaker = SpeakerPage(
        honorific_prefix="Dr", given_name="Lyubov", middle_name="A.", family_name="Kazachenkova"
    )
    assert speaker.full_name == "Dr Lyubov A. Kazachenkova"
    assert alma.gorokhova.full_name == "Svetlana A. Gorokhova"


def test_speaker_title_defaults_to_the_full_name(alma):
    speaker = SpeakerPage(
        title="", given_name="Lyubov", middle_name="A.", family_name="Kazachenkova"
    )
    alma.speaker_index.add_child(instance=speaker)
    speaker = reload(speaker)
    assert speaker.title == "Lyubov A. Kazachenkova"
    assert speaker.slug == "lyubov-a-kazachenkova"


def test_positions_given_in_code_keep_their_order(alma):
    """Rows added without a sort_order (not through the admin) are numbered in the order given,
    so the database, the API and revisions all return them in that order."""
    titles = [f"Role {letter}" for letter in "QDMAZ"]
    speaker = make_speaker(
        alma.speaker_index,
        "Ordered",
        "Speaker",
        positions=[(title, None, D(2000 + i, 1, 1), None) for i, title in enumerate(titles)],
    )
    rows = list(SpeakerPosition.objects.filter(page=speaker))
    assert [row.role_title for row in rows] == titles
    assert [row.sort_order for row in rows] == [0, 1, 2, 3, 4]
    assert [p.role_title for p in reload(speaker).positions.all()] == titles
    revision = speaker.get_latest_revision_as_object()
    assert [p.role_title for p in revision.positions.all()] == titles

    # An explicit order is kept; new rows follow it.
    speaker.positions = [
        SpeakerPosition(role_title="Second", sort_order=7),
        SpeakerPosition(role_title="First", sort_order=3),
        SpeakerPosition(role_title="Third"),
    ]
    speaker.save_revision().publish()
    stored = SpeakerPosition.objects.filter(page=speaker)
    assert [(row.role_title, row.sort_order) for row in stored] == [
        ("First", 3),
        ("Second", 7),
        ("Third", 8),
    ]


def test_position_labels(alma):
    def label(**kwargs):
        return SpeakerPosition(page=alma.lison, **kwargs).label

    assert label(role_title="President", organization=alma.ifla) == "IFLA President"
    # The organization is already named in the role: not repeated.
    assert label(role_title="IFLA Governing Board member", organization=alma.ifla) == (
        "IFLA Governing Board member"
    )
    assert label(role_title="Director", organization_name="Ryazan Oblast Scientific Library") == (
        "Director, Ryazan Oblast Scientific Library"
    )
    assert label(role_title="library scholar") == "library scholar"
    alma.lfl.short_name = ""
    alma.lfl.save()
    assert label(role_title="Director", organization=alma.lfl) == (
        "Director, M.I. Rudomino All-Russia State Library for Foreign Literature"
    )


def test_position_held_on_boundaries(alma):
    position = SpeakerPosition(
        page=alma.lison, role_title="x", start_date=D(2019, 9, 1), end_date=D(2021, 8, 31)
    )
    assert not position.held_on(D(2019, 8, 31))
    assert position.held_on(D(2019, 9, 1))
    assert position.held_on(D(2021, 8, 31))
    assert not position.held_on(D(2021, 9, 1))
    assert not position.is_current
    open_ended = SpeakerPosition(page=alma.lison, role_title="x", start_date=D(2019, 9, 1))
    assert open_ended.is_current and open_ended.held_on(D(2030, 1, 1))


def test_role_on_follows_the_date(alma):
    mackenzie = alma.mackenzie
    assert mackenzie.role_on(D(2019, 4, 25)) == "IFLA President-elect"
    assert mackenzie.role_on(D(2021, 4, 20)) == "IFLA President"
    assert mackenzie.role_on(D(2015, 1, 1)) == ""
    assert alma.lison.role_on(D(2021, 4, 20)) == "IFLA President-elect"


def test_role_on_joins_concurrent_positions(alma):
    speaker = make_speaker(
        alma.speaker_index,
        "Olga",
        "Petrova",
        positions=[
            ("Director", alma.lfl, D(2018, 1, 1), None),
            ("Board member", alma.rla, D(2020, 1, 1), None),
        ],
    )
    assert reload(speaker).role_on(D(2021, 4, 20)) == "LFL Director; RLA Board member"


# --- Editions ----------------------------------------------------------------------------------


def test_edition_computed_values(alma):
    edition = alma.edition_2019
    assert edition.last_day == D(2019, 4, 25)
    edition.end_date = D(2019, 4, 26)
    assert edition.last_day == D(2019, 4, 26)


# --- The series title: the site's own, never the package's -------------------------------------


def test_series_title_falls_back_to_the_forum_index_title(alma):
    edition = reload(alma.edition_2019)
    assert edition.series_title == ""
    assert edition.display_series_title == "Forum"  # the title of its forum index page
    edition.series_title = "April Library Moscow Agenda"
    assert edition.display_series_title == "April Library Moscow Agenda"


def test_series_title_is_empty_without_a_live_forum_index(alma):
    assert ForumEditionPage(title="New", series_title="").display_series_title == ""  # no parent
    alma.forum_index.unpublish()
    assert reload(alma.edition_2019).display_series_title == ""  # a draft's title is not shown


def test_an_empty_series_title_shows_the_forum_index_title_everywhere(alma, client):
    """HTML, API v2, JSON-LD and iCal show the series as the forum index page names it; no
    series name of the package's own appears."""
    edition = alma.edition_2021
    assert edition.series_title == ""
    html = client.get(edition.url).content.decode()
    data = client.get(f"/api/v2/pages/{edition.pk}/").json()
    feed = client.get(edition.url + "calendar.ics").content.decode().replace("\r\n ", "")
    assert '<p class="eyebrow">Forum</p>' in html
    assert data["display_series_title"] == "Forum"
    assert data["json_ld"]["superEvent"]["name"] == "Forum"
    assert "alternateName" not in data["json_ld"]["superEvent"]  # the same name
    assert "CATEGORIES:Forum\r\n" in feed and "X-WR-CALDESC:Forum\r\n" in feed
    for text in (html, json.dumps(data), feed):
        assert "Shaping the Future" not in text


def test_the_package_names_no_series():
    """ALMA's series title is the demo's content (sandbox/demo), not the package's."""
    package = Path(alma_cms.__file__).resolve().parent
    files = [p for p in package.rglob("*") if p.suffix in {".py", ".html", ".po", ".json"}]
    assert len(files) > 50
    assert [p for p in files if "Shaping the Future" in p.read_text(encoding="utf-8")] == []


def test_no_series_title_shows_nothing(alma, client):
    alma.forum_index.unpublish()  # its editions stay live; the index's title is a draft's
    edition = reload(alma.edition_2021)
    html = client.get(edition.url).content.decode()
    feed = client.get(edition.url + "calendar.ics").content.decode()
    assert 'class="eyebrow"' not in html
    assert "CATEGORIES" not in feed and "X-WR-CALDESC" not in feed


def test_announcement_award_is_its_parent(alma):
    assert alma.winners.award.pk == alma.award.pk
    assert type(alma.winners.award).__name__ == "AwardPage"


# --- Index listings ----------------------------------------------------------------------------


def test_forum_index_lists_editions_newest_first_live_only(alma):
    draft = add_page(
        alma.forum_index,
        ForumEditionPage(
            title="ALMA 2022",
            slug="alma-2022",
            year=2022,
            theme="Draft",
            start_date=D(2022, 4, 21),
        ),
        publish=False,
    )
    listing = alma.forum_index.get_listing()
    assert [p.pk for p in listing] == [alma.edition_2021.pk, alma.edition_2019.pk]
    assert draft.pk not in [p.pk for p in listing]
    assert all(isinstance(p, ForumEditionPage) for p in listing)


def test_speaker_index_lists_by_family_name_public_only(alma):
    hidden = make_speaker(alma.speaker_index, "Anna", "Aardvark")
    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)
    names = [p.family_name for p in alma.speaker_index.get_listing()]
    assert names == ["Gorokhova", "Lison", "Mackenzie"]


def test_listings_show_what_anyone_may_see_whatever_the_scope(alma, rf, django_user_model):
    """One rule (``alma_cms.scope``), an anonymous caller's, even with an editor's scope; an
    expired page is left out before ``publish_scheduled`` has run."""
    restricted = make_speaker(alma.speaker_index, "Anna", "Aardvark")
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    expired = make_speaker(alma.speaker_index, "Boris", "Bygone")
    expired_document = add_page(
        alma.guideline_index, GuidelineDocumentPage(title="Expired", slug="expired")
    )
    past = timezone.now() - datetime.timedelta(hours=1)
    Page.objects.filter(pk__in=[expired.pk, expired_document.pk]).update(expire_at=past)
    request = rf.get("/")
    request.user = django_user_model.objects.create_superuser("editor", "e@example.org", "pw")
    editor_scope = get_scope(request)
    assert editor_scope.is_visible(restricted)
    for scope in (None, editor_scope):
        names = [p.family_name for p in alma.speaker_index.get_listing(scope)]
        assert names == ["Gorokhova", "Lison", "Mackenzie"]
        documents = [p.pk for p in alma.guideline_index.get_listing(scope)]
        assert documents == [alma.final_document.pk]


def test_index_context_has_the_listing(alma, rf):
    request = rf.get(alma.speaker_index.url)
    context = alma.speaker_index.get_context(request)
    assert [p.pk for p in context["children"]] == [p.pk for p in alma.speaker_index.get_listing()]


def test_document_index_lists_documents_under_editions_too(alma, locale_ru):
    under_edition = add_page(
        alma.edition_2021,
        GuidelineDocumentPage(
            title="ALMA 2021 resolution",
            slug="resolution-2021",
            status="approved",
            adopted_on=D(2021, 4, 20),
            adopted_at=alma.edition_2021,
            directions=directions_raw(counts=[1]),
        ),
    )
    undated = add_page(
        alma.guideline_index,
        GuidelineDocumentPage(title="Undated draft", slug="undated", status="draft"),
    )
    draft = add_page(
        alma.guideline_index,
        GuidelineDocumentPage(title="Unpublished", slug="unpublished"),
        publish=False,
    )
    listing = [p.pk for p in alma.guideline_index.get_listing()]
    # Newest adoption first, undated documents last; drafts left out.
    assert listing == [under_edition.pk, alma.final_document.pk, undated.pk]
    assert draft.pk not in listing


# --- Computed numbering stays computed ---------------------------------------------------------


def test_numbering_follows_directions_assigned_to_the_same_instance(alma):
    document = alma.final_document
    assert len(document.numbered_directions) == 6
    document.directions = directions_raw(counts=[2, 1])
    assert [d.number for d in document.numbered_directions] == ["I", "II"]
    with pytest.raises(LookupError):
        document.get_guideline("III.1")


# --- Front-end pages (the templates) serve too -----------------------------------------------


@pytest.mark.parametrize("model", PAGE_TYPES, ids=lambda c: c.__name__)
def test_front_end_page_serves(alma, client, model):
    page = page_of_type(alma, model)
    response = client.get(page.url)
    assert response.status_code == 200
    assert page.title in response.content.decode()


def test_expired_page_is_not_served(client, alma):
    """A live speaker page past ``expire_at`` (``publish_scheduled`` has not run) answers 404
    at its own URL, as in the API, instead of Wagtail's 200 until the cron runs."""
    speaker = alma.mackenzie
    assert client.get(speaker.url).status_code == 200
    past = timezone.now() - datetime.timedelta(days=1)
    type(speaker).objects.filter(pk=speaker.pk).update(expire_at=past)
    assert client.get(speaker.url).status_code == 404
    assert client.get(f"/api/v2/pages/{speaker.pk}/").status_code == 404
