"""``?rich_text_format=`` (Wagtail 8) for alma-cms rich text, in API v2 and v3: front-end HTML by
default; Markdown, database HTML or database Markdown on request, with links to what the caller
may not see losing their target in every format."""

import datetime

import pytest
import wagtail

from alma_cms.pages import models as m
from tests.api.helpers import API
from tests.testapp.factories import add_page

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("v3_urls"),
    pytest.mark.skipif(wagtail.VERSION[0] < 8, reason="rich_text_format is Wagtail 8's"),
]

V3 = "/api/v3/"


@pytest.fixture
def edition(alma):
    draft = add_page(
        alma.forum_index,
        m.ForumEditionPage(
            title="Draft edition",
            slug="draft-edition",
            year=2040,
            theme="Draft",
            start_date=datetime.date(2040, 4, 1),
        ),
        publish=False,
    )
    text = (
        f'<p>See <a linktype="page" id="{alma.speaker_index.pk}">the speakers</a>, '
        f'<a linktype="page" id="{draft.pk}">a draft</a> and <b>more</b>.</p>'
    )
    page = alma.edition_2021
    page.outcome = text
    page.body = [{"type": "paragraph", "value": text}]
    page.save_revision().publish()
    page.draft_id = draft.pk
    return page


def fields(client, base, page, rich_text_format=None):
    params = {"rich_text_format": rich_text_format} if rich_text_format else {}
    response = client.get(f"{base}pages/{page.pk}/", params)
    assert response.status_code == 200, response.content[:300]
    data = response.json()
    return data["outcome"], data["body"][0]["value"]


@pytest.mark.parametrize("base", [API, V3], ids=["v2", "v3"])
def test_default_is_front_end_html(alma, edition, client, base):
    for value in fields(client, base, edition):
        assert f'<a href="{alma.speaker_index.url}">the speakers</a>' in value
        assert "<a>a draft</a>" in value and "linktype" not in value


@pytest.mark.parametrize("base", [API, V3], ids=["v2", "v3"])
def test_markdown(alma, edition, client, base):
    for value in fields(client, base, edition, "markdown"):
        assert f"[the speakers]({alma.speaker_index.url})" in value
        assert "a draft and **more**" in value
        assert "<" not in value


@pytest.mark.parametrize("base", [API, V3], ids=["v2", "v3"])
def test_database_formats_keep_references_to_visible_pages_only(alma, edition, client, base):
    for value in fields(client, base, edition, "db_html"):
        assert f'<a linktype="page" id="{alma.speaker_index.pk}">the speakers</a>' in value
        assert "<a>a draft</a>" in value and str(edition.draft_id) not in value
    for value in fields(client, base, edition, "db_markdown"):
        assert f"[the speakers](wagtail://page?id={alma.speaker_index.pk})" in value
        assert "a draft and" in value and f"id={edition.draft_id}" not in value


def test_unknown_format_is_refused(edition, client):
    v2 = client.get(f"{API}pages/{edition.pk}/", {"rich_text_format": "rtf"})
    assert v2.status_code == 400 and v2.json()["parameter"] == "rich_text_format"
    v3 = client.get(f"{V3}pages/{edition.pk}/", {"rich_text_format": "rtf"})
    assert v3.status_code == 422
