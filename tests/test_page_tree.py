"""Parent/child rules of the page tree, and the DISABLED_PAGE_TYPES setting."""

import pytest
from django.test import override_settings
from django.urls import reverse
from wagtail.models import Page

from alma_cms.conf import alma_settings
from alma_cms.page_types import alma_page_models
from alma_cms.pages import models as m

pytestmark = pytest.mark.django_db

ALMA_TYPES = alma_page_models()

# For each page type: the types it may be a child of, among the alma types and plain Page
# (the site's home page). Index pages and awards go anywhere a generic page allows children.
ALLOWED_PARENTS = {
    m.ForumIndexPage: {Page},
    m.ForumEditionPage: {m.ForumIndexPage},
    m.SpeakerIndexPage: {Page},
    m.SpeakerPage: {m.SpeakerIndexPage},
    m.QuotationIndexPage: {Page},
    m.QuotationPage: {m.QuotationIndexPage},
    m.GuidelineDocumentIndexPage: {Page},
    m.GuidelineDocumentPage: {m.GuidelineDocumentIndexPage, m.ForumEditionPage},
    m.AwardPage: {Page},
    m.AwardAnnouncementPage: {m.AwardPage},
}

PARENT_TYPES = [Page, *ALMA_TYPES]


def parent_instances(alma):
    """One saved page of every parent type."""
    return {
        Page: alma.home,
        m.ForumIndexPage: alma.forum_index,
        m.ForumEditionPage: alma.edition_2019,
        m.SpeakerIndexPage: alma.speaker_index,
        m.SpeakerPage: alma.mackenzie,
        m.QuotationIndexPage: alma.quotation_index,
        m.QuotationPage: alma.quotation,
        m.GuidelineDocumentIndexPage: alma.guideline_index,
        m.GuidelineDocumentPage: alma.final_document,
        m.AwardPage: alma.award,
        m.AwardAnnouncementPage: alma.winners,
    }


def test_home_page_is_a_plain_page(alma):
    assert alma.home.specific_class is Page


@pytest.mark.parametrize("child", ALMA_TYPES, ids=lambda c: c.__name__)
def test_can_exist_under_and_can_create_at(alma, child):
    for parent, parent_page in parent_instances(alma).items():
        expected = parent in ALLOWED_PARENTS[child]
        assert child.can_exist_under(parent_page) is expected, parent.__name__
        assert child.can_create_at(parent_page) is expected, parent.__name__


@pytest.mark.parametrize("parent", ALMA_TYPES, ids=lambda c: c.__name__)
def test_allowed_subpage_models(parent):
    expected = {child for child, parents in ALLOWED_PARENTS.items() if parent in parents}
    assert set(parent.allowed_subpage_models()) == expected
    assert set(parent.creatable_subpage_models()) == expected


@pytest.mark.parametrize("child", ALMA_TYPES, ids=lambda c: c.__name__)
def test_allowed_parent_page_models(child):
    alma_parents = set(child.allowed_parent_page_models()) & set(PARENT_TYPES)
    assert alma_parents == ALLOWED_PARENTS[child]


def test_leaf_pages_take_no_children():
    for leaf in (m.SpeakerPage, m.QuotationPage, m.GuidelineDocumentPage, m.AwardAnnouncementPage):
        assert leaf.allowed_subpage_models() == []


def test_existing_page_can_move_only_to_an_allowed_parent(alma):
    document = alma.final_document
    assert document.can_move_to(alma.edition_2019)
    assert not document.can_move_to(alma.forum_index)
    assert not alma.edition_2019.can_move_to(alma.home)
    assert alma.mackenzie.can_move_to(alma.speaker_index)
    assert not alma.mackenzie.can_move_to(alma.quotation_index)


# --- DISABLED_PAGE_TYPES -----------------------------------------------------------------------


def test_award_page_disabled_everywhere(alma, settings):
    settings.ALMA_CMS = {"DISABLED_PAGE_TYPES": ["AwardPage"]}
    assert alma_settings.DISABLED_PAGE_TYPES == ["AwardPage"]
    for parent in parent_instances(alma).values():
        assert m.AwardPage.can_create_at(parent) is False
    # Only creation is refused: the page may still exist and stay where it is.
    assert m.AwardPage.can_exist_under(alma.home)
    assert m.AwardPage.is_disabled_on_this_site()


def test_other_types_stay_creatable_when_award_page_is_disabled(alma, settings):
    settings.ALMA_CMS = {"DISABLED_PAGE_TYPES": ["AwardPage"]}
    parents = parent_instances(alma)
    for child in ALMA_TYPES:
        if child is m.AwardPage:
            continue
        assert not child.is_disabled_on_this_site()
        for parent_type in ALLOWED_PARENTS[child]:
            assert child.can_create_at(parents[parent_type]), (child, parent_type)
    # Announcements can still be added to an existing award.
    assert m.AwardAnnouncementPage.can_create_at(alma.award)


def test_disabling_follows_the_setting(alma):
    assert m.AwardPage.can_create_at(alma.home)
    with override_settings(ALMA_CMS={"DISABLED_PAGE_TYPES": ["AwardPage", "SpeakerPage"]}):
        assert not m.AwardPage.can_create_at(alma.home)
        assert not m.SpeakerPage.can_create_at(alma.speaker_index)
        assert m.ForumIndexPage.can_create_at(alma.home)
    assert m.AwardPage.can_create_at(alma.home)
    assert m.SpeakerPage.can_create_at(alma.speaker_index)


def add_subpage_types(client, parent):
    response = client.get(reverse("wagtailadmin_pages:add_subpage", args=[parent.pk]))
    assert response.status_code == 200
    return {model_name for _label, _app, model_name, _desc in response.context["page_types"]}


def test_admin_add_subpage_offers_award_page_by_default(alma, admin_client):
    offered = add_subpage_types(admin_client, alma.home)
    assert {
        "awardpage",
        "forumindexpage",
        "speakerindexpage",
        "quotationindexpage",
        "guidelinedocumentindexpage",
    } <= offered


def test_admin_add_subpage_hides_disabled_award_page(alma, admin_client, settings):
    settings.ALMA_CMS = {"DISABLED_PAGE_TYPES": ["AwardPage"]}
    offered = add_subpage_types(admin_client, alma.home)
    assert "awardpage" not in offered
    assert {
        "forumindexpage",
        "speakerindexpage",
        "quotationindexpage",
        "guidelinedocumentindexpage",
    } <= offered
    assert (
        "awardpage"
        not in admin_client.get(
            reverse("wagtailadmin_pages:add_subpage", args=[alma.home.pk])
        ).content.decode()
    )


def test_admin_refuses_to_create_disabled_type(alma, admin_client, settings):
    url = reverse("wagtailadmin_pages:add", args=["alma_cms_pages", "awardpage", alma.home.pk])
    assert admin_client.get(url).status_code == 200
    settings.ALMA_CMS = {"DISABLED_PAGE_TYPES": ["AwardPage"]}
    response = admin_client.get(url)
    # Wagtail turns the PermissionDenied into a redirect to the dashboard with a message.
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")


def test_admin_add_subpage_under_edition_goes_to_document_form(alma, admin_client):
    """An edition allows one child type: Wagtail skips the type chooser."""
    response = admin_client.get(
        reverse("wagtailadmin_pages:add_subpage", args=[alma.edition_2019.pk])
    )
    assert response.status_code == 302
    assert response.url == reverse(
        "wagtailadmin_pages:add",
        args=["alma_cms_pages", "guidelinedocumentpage", alma.edition_2019.pk],
    )


# --- Admin forms of every type ---------------------------------------------------------------


@pytest.mark.parametrize("child", ALMA_TYPES, ids=lambda c: c.__name__)
def test_admin_create_and_edit_forms_render(alma, admin_client, child):
    parent_type = sorted(ALLOWED_PARENTS[child], key=lambda c: c is not Page)[0]
    parent = parent_instances(alma)[parent_type]
    url = reverse(
        "wagtailadmin_pages:add", args=["alma_cms_pages", child._meta.model_name, parent.pk]
    )
    response = admin_client.get(url)
    assert response.status_code == 200
    instance = next(p for p in parent_instances(alma).values() if type(p) is child)
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[instance.pk]))
    assert response.status_code == 200
    assert instance.title in response.content.decode()
