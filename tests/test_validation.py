"""Validation rules of the page models and struct blocks.

Pages are validated through ``full_clean()`` (what Wagtail's page form and ``save()`` run) and,
for a few rules, through the real admin edit view. Struct blocks are validated with
``block.clean(block.to_python(raw))``, which is what the StreamField form field does.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.test.utils.form_data import querydict_from_html

from alma_cms.blocks import (
    AwardWinnerBlock,
    CallToActionBlock,
    GuidelineBlock,
    HeadingBlock,
    LinkBlock,
    ParticipantBlock,
    ProgrammeSlotBlock,
    QuoteBlock,
)
from alma_cms.pages.models import (
    AwardAnnouncementPage,
    ForumEditionPage,
    GuidelineDocumentPage,
    QuotationPage,
    SpeakerPosition,
)
from tests.testapp.factories import add_page, reload

D = datetime.date

pytestmark = pytest.mark.django_db


def errors_of(page):
    """The field-keyed errors ``full_clean()`` raises for ``page`` ({} when it is valid)."""
    try:
        page.full_clean()
    except ValidationError as exc:
        return exc.message_dict
    return {}


# --- Forum editions -------------------------------------------------------------------------


class TestForumEdition:
    def test_valid_edition_has_no_errors(self, alma):
        assert errors_of(reload(alma.edition_2019)) == {}

    def test_end_date_before_start_date(self, alma):
        edition = reload(alma.edition_2019)
        edition.end_date = D(2019, 4, 24)
        errors = errors_of(edition)
        assert list(errors) == ["end_date"]
        assert "before the start date" in errors["end_date"][0]

    def test_end_date_on_or_after_start_is_fine(self, alma):
        edition = reload(alma.edition_2019)
        edition.end_date = D(2019, 4, 25)
        assert errors_of(edition) == {}
        edition.end_date = D(2019, 4, 26)
        assert errors_of(edition) == {}
        assert edition.last_day == D(2019, 4, 26)

    def test_year_must_agree_with_start_date(self, alma):
        edition = reload(alma.edition_2019)
        edition.year = 2020
        errors = errors_of(edition)
        assert list(errors) == ["year"]
        assert "2019" in errors["year"][0]

    def test_both_date_errors_reported_together(self, alma):
        edition = reload(alma.edition_2021)
        edition.year = 2019
        edition.end_date = D(2021, 4, 1)
        assert set(errors_of(edition)) == {"year", "end_date"}

    @pytest.mark.parametrize(
        "field",
        [
            "participant_count",
            "online_viewer_count",
            "countries_count",
            "regions_count",
            "duration_hours",
        ],
    )
    def test_counts_cannot_be_negative(self, alma, field):
        edition = reload(alma.edition_2021)
        setattr(edition, field, -1)
        errors = errors_of(edition)
        assert field in errors
        setattr(edition, field, 0)
        assert errors_of(edition) == {}

    def test_year_range_validators(self, alma):
        edition = reload(alma.edition_2019)
        edition.year = 1800
        edition.start_date = D(1800, 1, 1)
        assert "year" in errors_of(edition)

    def test_invalid_edition_cannot_be_created(self, alma):
        """``add_child`` saves with ``full_clean()``: an invalid edition never reaches the tree."""
        with pytest.raises(ValidationError) as exc:
            alma.forum_index.add_child(
                instance=ForumEditionPage(
                    title="ALMA 2022",
                    slug="alma-2022",
                    year=2023,
                    theme="Bad dates",
                    start_date=D(2022, 4, 21),
                    end_date=D(2022, 4, 20),
                )
            )
        assert set(exc.value.message_dict) == {"year", "end_date"}
        assert not ForumEditionPage.objects.filter(slug="alma-2022").exists()


# --- Quotations -----------------------------------------------------------------------------


class TestQuotation:
    def test_valid_quotation_fills_role_from_positions(self, alma):
        quotation = reload(alma.quotation)
        # The factory left speaker_role empty: clean() filled in the title held on the day.
        assert quotation.speaker_role == "IFLA President"

    def test_role_is_the_one_held_on_the_day(self, alma):
        quotation = QuotationPage(
            title="Earlier words",
            slug="earlier",
            text="Hello.",
            speaker=alma.mackenzie,
            forum_edition=alma.edition_2019,
        )
        add_page(alma.quotation_index, quotation)
        quotation = reload(quotation)
        # No said_on: it defaults to the edition's start date, when she was President-elect.
        assert quotation.said_on == D(2019, 4, 25)
        assert quotation.speaker_role == "IFLA President-elect"

    def test_quotation_needs_a_speaker(self, alma):
        quotation = reload(alma.quotation)
        quotation.speaker = None
        errors = errors_of(quotation)
        assert list(errors) == ["speaker"]

    def test_said_on_must_fall_within_the_edition(self, alma):
        quotation = reload(alma.quotation)
        quotation.said_on = D(2021, 4, 21)
        errors = errors_of(quotation)
        assert list(errors) == ["said_on"]
        assert "2021-04-20" in errors["said_on"][0]

    def test_said_on_within_multi_day_edition(self, alma):
        edition = reload(alma.edition_2021)
        edition.end_date = D(2021, 4, 22)
        edition.save_revision().publish()
        quotation = reload(alma.quotation)
        quotation.said_on = D(2021, 4, 22)
        assert errors_of(quotation) == {}
        quotation.said_on = D(2021, 4, 19)
        assert list(errors_of(quotation)) == ["said_on"]

    def test_quotation_without_edition_takes_any_date(self, alma):
        quotation = reload(alma.quotation)
        quotation.forum_edition = None
        quotation.said_on = D(2010, 1, 1)
        assert errors_of(quotation) == {}


# --- Award announcements --------------------------------------------------------------------


class TestAwardAnnouncement:
    def test_winners_announcement_needs_a_winner(self, alma):
        announcement = reload(alma.winners)
        assert errors_of(announcement) == {}
        announcement.winners = []
        errors = errors_of(announcement)
        assert list(errors) == ["winners"]

    def test_other_kinds_need_no_winner(self, alma):
        announcement = reload(alma.established)
        assert len(announcement.winners) == 0
        assert errors_of(announcement) == {}

    def test_announced_on_must_fall_within_the_edition(self, alma):
        announcement = reload(alma.established)
        announcement.announced_on = D(2021, 5, 1)
        assert list(errors_of(announcement)) == ["announced_on"]

    def test_new_winners_announcement_without_winner_is_refused(self, alma):
        with pytest.raises(ValidationError) as exc:
            alma.award.add_child(
                instance=AwardAnnouncementPage(
                    title="Winners 2023", slug="winners-2023", season_year=2023, kind="winners"
                )
            )
        assert "winners" in exc.value.message_dict


# --- Speaker positions ----------------------------------------------------------------------


class TestSpeakerPosition:
    def test_end_must_not_precede_start(self, alma):
        position = SpeakerPosition(
            page=alma.lison,
            role_title="Director",
            organization_name="Central Library",
            start_date=D(2020, 1, 1),
            end_date=D(2019, 12, 31),
        )
        with pytest.raises(ValidationError) as exc:
            position.full_clean()
        assert list(exc.value.message_dict) == ["end_date"]

    def test_open_ended_and_same_day_positions_are_fine(self, alma):
        for end in (None, D(2020, 1, 1)):
            SpeakerPosition(
                page=alma.lison,
                role_title="Director",
                organization_name="Central Library",
                start_date=D(2020, 1, 1),
                end_date=end,
            ).full_clean()

    def test_organization_or_free_text_not_both(self, alma):
        position = SpeakerPosition(
            page=alma.lison,
            role_title="Director",
            organization=alma.lfl,
            organization_name="LFL again",
        )
        with pytest.raises(ValidationError) as exc:
            position.full_clean()
        assert list(exc.value.message_dict) == ["organization_name"]


# --- Guideline documents --------------------------------------------------------------------


class TestGuidelineDocument:
    @pytest.mark.parametrize("status", ["approved", "finalized"])
    def test_approved_or_finalized_needs_adopted_on(self, alma, status):
        document = reload(alma.final_document)
        document.status = status
        document.adopted_on = None
        assert list(errors_of(document)) == ["adopted_on"]

    def test_draft_needs_no_adoption_date(self, alma):
        document = reload(alma.final_document)
        document.status = GuidelineDocumentPage.Status.DRAFT
        document.adopted_on = None
        assert errors_of(document) == {}

    def test_adopted_on_must_fall_within_the_edition(self, alma):
        document = reload(alma.final_document)
        document.adopted_on = D(2019, 4, 26)
        assert list(errors_of(document)) == ["adopted_on"]


# --- Through the admin ----------------------------------------------------------------------


def edit_form_data(client, page):
    """The edit form's current data, as the browser would post it back unchanged."""
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    # StreamFields are drawn by JavaScript; an unchanged empty stream posts count 0.
    for name in ("body", "directions", "links", "winners", "partners"):
        if hasattr(page, name) and f"{name}-count" not in data:
            value = getattr(page, name)
            assert len(value) == 0, f"{name} is not empty; post its blocks explicitly"
            data[f"{name}-count"] = "0"
    return data


class TestAdminEditView:
    def post(self, client, page, data):
        return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)

    def test_unchanged_form_saves(self, alma, admin_client):
        """Control: the reconstructed form data is valid, so errors below come from the change."""
        edition = alma.edition_2019
        data = edit_form_data(admin_client, edition)
        data["venue"] = "Inostranka"
        response = self.post(admin_client, edition, data)
        assert response.status_code == 302
        assert reload(edition).get_latest_revision_as_object().venue == "Inostranka"

    def test_end_date_error_shown_on_the_field(self, alma, admin_client):
        edition = alma.edition_2019
        data = edit_form_data(admin_client, edition)
        data["end_date"] = "2019-04-20"
        response = self.post(admin_client, edition, data)
        assert response.status_code == 200
        form = response.context["form"]
        assert "end_date" in form.errors
        assert "before the start date" in form.errors["end_date"][0]
        assert "The page could not be saved due to validation errors" in response.content.decode()
        assert reload(edition).get_latest_revision_as_object().end_date is None

    def test_year_error_shown_on_the_field(self, alma, admin_client):
        edition = alma.edition_2019
        data = edit_form_data(admin_client, edition)
        data["year"] = "2020"
        response = self.post(admin_client, edition, data)
        assert response.status_code == 200
        assert list(response.context["form"].errors) == ["year"]

    def test_negative_count_error_shown_on_the_field(self, alma, admin_client):
        edition = alma.edition_2019
        data = edit_form_data(admin_client, edition)
        data["participant_count"] = "-5"
        response = self.post(admin_client, edition, data)
        assert response.status_code == 200
        assert "participant_count" in response.context["form"].errors

    def test_quotation_without_speaker(self, alma, admin_client):
        quotation = alma.quotation
        data = edit_form_data(admin_client, quotation)
        data["speaker"] = ""
        response = self.post(admin_client, quotation, data)
        assert response.status_code == 200
        assert "speaker" in response.context["form"].errors

    def test_quotation_said_on_outside_edition(self, alma, admin_client):
        quotation = alma.quotation
        data = edit_form_data(admin_client, quotation)
        data["said_on"] = "2021-06-01"
        response = self.post(admin_client, quotation, data)
        assert response.status_code == 200
        assert "said_on" in response.context["form"].errors

    def test_approved_document_without_adoption_date(self, alma, admin_client):
        document = alma.guideline_index.add_child(
            instance=GuidelineDocumentPage(
                title="Draft resolution", slug="draft-resolution", status="draft"
            )
        )
        data = edit_form_data(admin_client, document)
        data["status"] = "approved"
        response = self.post(admin_client, document, data)
        assert response.status_code == 200
        assert "adopted_on" in response.context["form"].errors

    def test_winners_announcement_without_winners(self, alma, admin_client):
        announcement = alma.established
        data = edit_form_data(admin_client, announcement)
        data["kind"] = "winners"
        response = self.post(admin_client, announcement, data)
        assert response.status_code == 200
        assert "winners" in response.context["form"].errors

    def test_speaker_position_dates_in_inline_panel(self, alma, admin_client):
        speaker = alma.lison
        data = edit_form_data(admin_client, speaker)
        assert data["positions-TOTAL_FORMS"] == "1"
        data["positions-0-end_date"] = "2018-01-01"  # before its start, 2019-09-01
        response = self.post(admin_client, speaker, data)
        assert response.status_code == 200
        formset = response.context["form"].formsets["positions"]
        assert "end_date" in formset.forms[0].errors


# --- Struct blocks ---------------------------------------------------------------------------


def block_errors(block, raw):
    """Keys of ``StructBlockValidationError.block_errors`` (empty set when the value is valid)."""
    try:
        block.clean(block.to_python(raw))
    except StructBlockValidationError as exc:
        return set(exc.block_errors)
    return set()


class TestStructBlocks:
    def test_quote_needs_speaker_or_name(self, alma):
        block = QuoteBlock()
        base = {"text": "Libraries lead.", "speaker": None, "name": "", "role": ""}
        assert block_errors(block, base) == {"name"}
        assert block_errors(block, {**base, "name": "A librarian"}) == set()
        assert block_errors(block, {**base, "speaker": alma.mackenzie.pk}) == set()

    def test_participant_needs_speaker_or_name(self, alma):
        block = ParticipantBlock()
        assert block_errors(block, {"speaker": None, "name": "", "role": "", "topic": "x"}) == {
            "name"
        }
        assert (
            block_errors(block, {"speaker": alma.lison.pk, "name": "", "role": "", "topic": ""})
            == set()
        )

    @pytest.mark.parametrize("block_class", [LinkBlock, CallToActionBlock])
    def test_link_needs_page_xor_url(self, alma, block_class):
        block = block_class()
        base = {
            "title": "IFLA",
            "page": None,
            "url": "",
            "description": "",
            "button_label": "Go",
            "text": "",
        }
        base = {k: v for k, v in base.items() if k in block.child_blocks}
        assert block_errors(block, base) == {"url"}
        both = {**base, "page": alma.award.pk, "url": "https://www.ifla.org/"}
        assert block_errors(block, both) == {"url"}
        assert block_errors(block, {**base, "url": "https://www.ifla.org/"}) == set()
        assert block_errors(block, {**base, "page": alma.award.pk}) == set()

    def test_award_winner_needs_recipient(self, alma):
        block = AwardWinnerBlock()
        base = {
            "place": 1,
            "category": "",
            "recipient_name": "",
            "recipient_organization": None,
            "project_title": "Open borders",
            "citation": "",
            "prize": "",
        }
        assert block_errors(block, base) == {"recipient_name"}
        assert block_errors(block, {**base, "recipient_name": "A team"}) == set()
        assert block_errors(block, {**base, "recipient_organization": alma.lfl.pk}) == set()

    @pytest.mark.parametrize(
        "block_class,empty,error_on",
        [
            (QuoteBlock, {"text": "Libraries lead."}, "name"),
            (ParticipantBlock, {"topic": "Reading"}, "name"),
            (LinkBlock, {"title": "IFLA"}, "url"),
            (CallToActionBlock, {"title": "Join", "button_label": "Go"}, "url"),
            (AwardWinnerBlock, {"place": 1}, "recipient_name"),
            (GuidelineBlock, {"text": "<p>Why.</p>"}, "title"),
        ],
    )
    def test_one_of_rules_wait_for_publishing(self, block_class, empty, error_on):
        """Either a speaker or a name is a required rule: a draft (autosave) saves without either,
        as with Wagtail's own required fields; publishing asks for one."""
        block = block_class()
        value = block.to_python(empty)
        assert block.clean_deferred(value)
        assert block_errors(block, empty) == {error_on}

    def test_a_draft_still_refuses_a_page_and_a_url(self, alma):
        block = LinkBlock()
        both = {"title": "IFLA", "page": alma.award.pk, "url": "https://www.ifla.org/"}
        with pytest.raises(StructBlockValidationError) as exc:
            block.clean_deferred(block.to_python(both))
        assert set(exc.value.block_errors) == {"url"}

    def test_award_winner_place_is_positive(self):
        block = AwardWinnerBlock()
        assert block_errors(block, {"place": 0, "recipient_name": "A team"}) == {"place"}

    def test_guideline_needs_title_or_role(self, alma):
        block = GuidelineBlock()
        base = {"title": "", "actor": None, "role": "", "text": ""}
        assert block_errors(block, base) == {"title"}
        assert block_errors(block, {**base, "title": "Promote reading"}) == set()
        assert block_errors(block, {**base, "role": "Visionary"}) == set()

    def test_guideline_actor_needs_role(self, alma):
        block = GuidelineBlock()
        raw = {"title": "Lead", "actor": alma.rla.pk, "role": "", "text": ""}
        assert block_errors(block, raw) == {"role"}
        assert block_errors(block, {**raw, "role": "Visionary"}) == set()

    def test_programme_slot_end_after_start(self):
        block = ProgrammeSlotBlock()
        base = {
            "start_time": "10:00",
            "end_time": "10:00",
            "title": "Opening",
            "description": "",
            "speakers": [],
        }
        assert block_errors(block, base) == {"end_time"}
        assert block_errors(block, {**base, "end_time": "09:30"}) == {"end_time"}
        assert block_errors(block, {**base, "end_time": "11:00"}) == set()
        assert block_errors(block, {**base, "end_time": None}) == set()

    def test_heading_anchor_format(self):
        block = HeadingBlock()
        assert block_errors(block, {"text": "Panels", "level": "h2", "anchor": "Bad Anchor"}) == {
            "anchor"
        }
        assert block_errors(block, {"text": "Panels", "level": "h2", "anchor": "panels-1"}) == set()

    def test_invalid_block_in_a_page_stream_is_refused_by_the_form_field(self, alma):
        """A failing struct block inside a page's StreamField fails the field's form validation
        (what the admin runs; Model.full_clean() does not validate blocks)."""
        form_field = ForumEditionPage._meta.get_field("body").formfield()
        stream_block = form_field.block
        raw = [
            {
                "type": "quote",
                "value": {"text": "Anonymous words", "speaker": None, "name": "", "role": ""},
            }
        ]
        with pytest.raises(ValidationError) as exc:
            form_field.clean(stream_block.to_python(raw))
        assert set(exc.value.block_errors) == {0}
        assert set(exc.value.block_errors[0].block_errors) == {"name"}
        raw[0]["value"]["name"] = "A participant"
        assert len(form_field.clean(stream_block.to_python(raw))) == 1
