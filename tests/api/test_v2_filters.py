"""Listing filters of ``/api/v2/pages/`` and ``/api/v2/organizations/``: the alma-cms ones (one
page type each, selected with ``type=``) and Wagtail's own, alone and combined."""

import pytest
from wagtail.models import Page

from alma_cms.pages import models as m
from tests.api.helpers import API, D, listing, type_param
from tests.testapp.factories import add_page

pytestmark = pytest.mark.django_db


def ids(client, **params):
    response = client.get(f"{API}pages/", {"limit": 100, **params})
    assert response.status_code == 200, response.content[:500]
    return sorted(item["id"] for item in response.json()["items"])


def org_ids(client, **params):
    response = client.get(f"{API}organizations/", {"limit": 100, **params})
    assert response.status_code == 200, response.content[:500]
    return sorted(item["id"] for item in response.json()["items"])


EDITIONS = type_param(m.ForumEditionPage)
QUOTATIONS = type_param(m.QuotationPage)
DOCUMENTS = type_param(m.GuidelineDocumentPage)
ANNOUNCEMENTS = type_param(m.AwardAnnouncementPage)
SPEAKERS = type_param(m.SpeakerPage)


# --- editions -------------------------------------------------------------------------------


def test_editions_by_year(alma, client):
    assert ids(client, type=EDITIONS, year=2019) == [alma.edition_2019.pk]
    assert ids(client, type=EDITIONS, year=2021) == [alma.edition_2021.pk]
    assert ids(client, type=EDITIONS, year=2020) == []


def test_editions_by_format(alma, client):
    assert ids(client, type=EDITIONS, format="hybrid") == [alma.edition_2021.pk]
    assert ids(client, type=EDITIONS, format="in_person") == [alma.edition_2019.pk]
    assert ids(client, type=EDITIONS, format="online") == []
    # "json" and "api" still choose the renderer, as everywhere in Wagtail's API.
    assert ids(client, type=EDITIONS, format="json") == sorted(
        [alma.edition_2019.pk, alma.edition_2021.pk]
    )


def test_editions_by_year_and_format(alma, client):
    assert ids(client, type=EDITIONS, year=2021, format="in_person") == []
    assert ids(client, type=EDITIONS, year=2021, format="hybrid") == [alma.edition_2021.pk]


# --- quotations -----------------------------------------------------------------------------


@pytest.fixture
def second_quotation(alma):
    return add_page(
        alma.quotation_index,
        m.QuotationPage(
            title="Lison on 2019",
            slug="lison-2019",
            text="Associations make libraries strong.",
            speaker=alma.lison,
            forum_edition=alma.edition_2019,
            said_on=D(2019, 4, 25),
        ),
    )


def test_quotations_by_speaker(alma, client, second_quotation):
    assert ids(client, type=QUOTATIONS, speaker=alma.mackenzie.pk) == [alma.quotation.pk]
    assert ids(client, type=QUOTATIONS, speaker=alma.lison.pk) == [second_quotation.pk]
    assert ids(client, type=QUOTATIONS, speaker=alma.gorokhova.pk) == []


def test_quotations_by_forum_edition(alma, client, second_quotation):
    assert ids(client, type=QUOTATIONS, forum_edition=alma.edition_2021.pk) == [alma.quotation.pk]
    assert ids(client, type=QUOTATIONS, forum_edition=alma.edition_2019.pk) == [second_quotation.pk]


def test_quotations_by_speaker_and_edition(alma, client, second_quotation):
    assert (
        ids(client, type=QUOTATIONS, speaker=alma.lison.pk, forum_edition=alma.edition_2021.pk)
        == []
    )


def test_reference_filters_match_translations(alma, alma_ru, client):
    """The Russian Mackenzie page finds the quotation that names the English one; add
    ``locale=`` to keep one language."""
    assert ids(client, type=QUOTATIONS, speaker=alma_ru.mackenzie.pk) == [alma.quotation.pk]
    assert ids(client, type=QUOTATIONS, forum_edition=alma_ru.edition_2021.pk) == [
        alma.quotation.pk
    ]
    assert ids(client, type=QUOTATIONS, speaker=alma_ru.mackenzie.pk, locale="ru") == []


# --- guideline documents ----------------------------------------------------------------------


def test_documents_by_adoption_and_status(alma, client):
    doc = alma.final_document
    assert ids(client, type=DOCUMENTS, adopted_at=alma.edition_2019.pk) == [doc.pk]
    assert ids(client, type=DOCUMENTS, adopted_at=alma.edition_2021.pk) == []
    assert ids(client, type=DOCUMENTS, status="finalized") == [doc.pk]
    assert ids(client, type=DOCUMENTS, status="approved") == []


# --- announcements ----------------------------------------------------------------------------


@pytest.fixture
def other_award(alma):
    award = add_page(
        alma.home, m.AwardPage(title="Other award", slug="other-award", name="Other award")
    )
    announcement = add_page(
        award,
        m.AwardAnnouncementPage(
            title="Other established",
            slug="other-established",
            season_year=2021,
            kind="established",
        ),
    )
    return award, announcement


def test_announcements_by_award(alma, client, other_award):
    award, announcement = other_award
    assert ids(client, type=ANNOUNCEMENTS, award=alma.award.pk) == sorted(
        [alma.established.pk, alma.winners.pk]
    )
    assert ids(client, type=ANNOUNCEMENTS, award=award.pk) == [announcement.pk]


def test_announcements_by_season_and_kind(alma, client, other_award):
    _award, announcement = other_award
    assert ids(client, type=ANNOUNCEMENTS, season_year=2022) == [alma.winners.pk]
    assert ids(client, type=ANNOUNCEMENTS, season_year=2021) == sorted(
        [alma.established.pk, announcement.pk]
    )
    assert ids(client, type=ANNOUNCEMENTS, kind="winners") == [alma.winners.pk]
    assert ids(client, type=ANNOUNCEMENTS, award=alma.award.pk, kind="established") == [
        alma.established.pk
    ]


# --- speakers ---------------------------------------------------------------------------------


def test_speakers_by_organization_of_any_position(alma, client):
    # Mackenzie held two IFLA positions (past and current): listed once.
    assert ids(client, type=SPEAKERS, organization=alma.ifla.pk) == sorted(
        [alma.mackenzie.pk, alma.lison.pk]
    )
    assert ids(client, type=SPEAKERS, organization=alma.lfl.pk) == [alma.gorokhova.pk]
    assert ids(client, type=SPEAKERS, organization=alma.rla.pk) == []


def test_speakers_by_organization_counts_each_speaker_once(alma, client):
    response = client.get(f"{API}pages/", {"type": SPEAKERS, "organization": alma.ifla.pk})
    assert response.json()["meta"]["total_count"] == 2


# --- Wagtail's filters keep working -----------------------------------------------------------


def test_type_and_locale(alma, alma_ru, client):
    assert ids(client, type=EDITIONS, locale="en") == sorted(
        [alma.edition_2019.pk, alma.edition_2021.pk]
    )
    assert ids(client, type=EDITIONS, locale="ru") == [alma_ru.edition_2021.pk]
    assert alma_ru.edition_2021.pk in ids(client, locale="ru")
    assert alma.edition_2021.pk not in ids(client, locale="ru")
    assert ids(client, type=f"{EDITIONS},{SPEAKERS}", locale="ru") == sorted(
        [alma_ru.edition_2021.pk, alma_ru.mackenzie.pk]
    )


def test_translation_of(alma, alma_ru, client):
    assert ids(client, translation_of=alma.edition_2021.pk) == [alma_ru.edition_2021.pk]
    assert ids(client, translation_of=alma_ru.edition_2021.pk) == [alma.edition_2021.pk]
    assert ids(client, translation_of=alma.edition_2021.pk, locale="en") == []


def test_tree_filters(alma, client):
    editions = sorted([alma.edition_2019.pk, alma.edition_2021.pk])
    assert ids(client, child_of=alma.forum_index.pk) == editions
    assert ids(client, descendant_of=alma.forum_index.pk) == editions
    assert alma.forum_index.pk in ids(client, ancestor_of=alma.edition_2021.pk)
    assert ids(client, type=EDITIONS, child_of=alma.forum_index.pk, year=2019) == [
        alma.edition_2019.pk
    ]
    assert alma.forum_index.pk in ids(client, child_of="root")


def test_search(alma, client):
    assert ids(client, search="Mackenzie") == sorted([alma.mackenzie.pk, alma.quotation.pk])
    assert ids(client, type=SPEAKERS, search="Mackenzie") == [alma.mackenzie.pk]
    assert ids(client, type=EDITIONS, search="Leader", format="hybrid") == [alma.edition_2021.pk]
    assert ids(client, type=EDITIONS, search="Leader", format="in_person") == []
    assert ids(client, type=QUOTATIONS, search="listen", speaker=alma.mackenzie.pk) == [
        alma.quotation.pk
    ]
    assert ids(client, type=SPEAKERS, search="Mackenzie", organization=alma.lfl.pk) == []


def test_order(alma, client):
    response = client.get(f"{API}pages/", {"type": EDITIONS, "order": "-year"})
    assert [item["id"] for item in response.json()["items"]] == [
        alma.edition_2021.pk,
        alma.edition_2019.pk,
    ]


def test_listing_filters_by_field(alma, client):
    data = listing(client, m.ForumEditionPage, year=2019)
    assert [item["id"] for item in data["items"]] == [alma.edition_2019.pk]


def test_child_of_and_ordering(alma, client):
    response = client.get(
        "/api/v2/pages/",
        {
            "child_of": alma.forum_index.pk,
            "order": "-start_date",
            "type": type_param(m.ForumEditionPage),
        },
    )
    assert response.status_code == 200
    assert [i["id"] for i in response.json()["items"]] == [
        alma.edition_2021.pk,
        alma.edition_2019.pk,
    ]


def test_generic_field_filters(alma, client):
    assert ids(client, type=EDITIONS, host=alma.lfl.pk) == sorted(
        [alma.edition_2019.pk, alma.edition_2021.pk]
    )
    assert ids(client, type=EDITIONS, moderator=alma.gorokhova.pk) == [alma.edition_2021.pk]
    assert ids(client, type=EDITIONS, start_date="2019-04-25") == [alma.edition_2019.pk]
    assert ids(client, type=QUOTATIONS, said_on="2021-04-20") == [alma.quotation.pk]
    assert ids(client, slug="alma-2021") == [alma.edition_2021.pk]
    assert ids(client, title="ALMA 2019") == [alma.edition_2019.pk]


def test_live_version_is_what_filters_see(alma, client):
    """A draft change to a filtered field does not move the page between results."""
    edition = Page.objects.get(pk=alma.edition_2019.pk).specific
    edition.format = "online"
    edition.save_revision()
    assert ids(client, type=EDITIONS, format="online") == []
    assert ids(client, type=EDITIONS, format="in_person") == [alma.edition_2019.pk]


# --- organizations ----------------------------------------------------------------------------


def test_organization_filters(alma, client):
    assert org_ids(client, kind="association") == sorted([alma.ifla.pk, alma.rla.pk])
    assert org_ids(client, kind="library") == [alma.lfl.pk]
    assert org_ids(client, country="NL") == [alma.ifla.pk]
    assert org_ids(client, locale="en") == sorted([alma.lfl.pk, alma.ifla.pk, alma.rla.pk])
    assert org_ids(client, search="IFLA") == [alma.ifla.pk]
    assert org_ids(client, search="Library", kind="library") == [alma.lfl.pk]


def test_organization_translations(alma, client, locale_ru):
    ifla_ru = alma.ifla.copy_for_translation(locale_ru)
    ifla_ru.name = "ИФЛА"
    ifla_ru.save()
    assert org_ids(client, locale="ru") == [ifla_ru.pk]
    assert org_ids(client, translation_of=alma.ifla.pk) == [ifla_ru.pk]
    response = client.get(f"{API}organizations/{ifla_ru.pk}/")
    assert response.json()["meta"]["locale"] == "ru"
