"""Bad input: every malformed request is a 400 with a JSON message naming the parameter at
fault, never a 500 (nor a 404 page or a redirect)."""

import pytest

from alma_cms.pages import models as m
from tests.api.helpers import API, type_param

pytestmark = pytest.mark.django_db

EDITIONS = type_param(m.ForumEditionPage)
QUOTATIONS = type_param(m.QuotationPage)
DOCUMENTS = type_param(m.GuidelineDocumentPage)
ANNOUNCEMENTS = type_param(m.AwardAnnouncementPage)
SPEAKERS = type_param(m.SpeakerPage)

# (path, query parameters, the parameter the error must name)
BAD_REQUESTS = [
    # pagination
    ("pages/", {"limit": "-1"}, "limit"),
    ("pages/", {"limit": "ten"}, "limit"),
    ("pages/", {"limit": "101"}, "limit"),
    ("pages/", {"limit": "9" * 40}, "limit"),
    ("pages/", {"limit": "1.5"}, "limit"),
    ("pages/", {"offset": "-5"}, "offset"),
    ("pages/", {"offset": "x"}, "offset"),
    ("pages/", {"offset": "9" * 40}, "offset"),
    # type, locale, fields, unknown parameters
    ("pages/", {"type": "alma_cms_pages.NoSuchPage"}, "type"),
    ("pages/", {"type": "nosuchapp.Page"}, "type"),
    ("pages/", {"type": "wagtailimages.Image"}, "type"),
    ("pages/", {"type": "not a type"}, "type"),
    ("pages/", {"locale": "xx"}, "locale"),
    ("pages/", {"locale": ""}, "locale"),
    ("pages/", {"fields": "no_such_field"}, "fields"),
    ("pages/", {"type": EDITIONS, "fields": "theme,no_such_field"}, "fields"),
    ("pages/", {"fields": "title("}, "fields"),
    ("pages/", {"fields": "*,title"}, "fields"),
    ("pages/", {"fields": "title(id)"}, "fields"),
    ("pages/", {"no_such_parameter": "1"}, "no_such_parameter"),
    ("pages/", {"year": "2021"}, "year"),  # a filter of editions, without type=
    ("pages/", {"format": "xml"}, "format"),
    ("pages/", {"title": "a\x00b"}, "title"),
    ("pages/", {"rich_text_format": "rtf"}, "rich_text_format"),
    # editions
    ("pages/", {"type": EDITIONS, "year": "twenty"}, "year"),
    ("pages/", {"type": EDITIONS, "year": "99999999999"}, "year"),
    ("pages/", {"type": EDITIONS, "year": ""}, "year"),
    ("pages/", {"type": EDITIONS, "format": "telepathic"}, "format"),
    ("pages/", {"type": EDITIONS, "start_date": "2021-13-45"}, "start_date"),
    ("pages/", {"type": EDITIONS, "host": "LFL"}, "host"),
    ("pages/", {"type": EDITIONS, "host": "999999"}, "host"),
    ("pages/", {"type": EDITIONS, "duration_hours": "four"}, "duration_hours"),
    # quotations
    ("pages/", {"type": QUOTATIONS, "speaker": "mackenzie"}, "speaker"),
    ("pages/", {"type": QUOTATIONS, "speaker": "0"}, "speaker"),
    ("pages/", {"type": QUOTATIONS, "speaker": "-3"}, "speaker"),
    ("pages/", {"type": QUOTATIONS, "speaker": "999999"}, "speaker"),
    ("pages/", {"type": QUOTATIONS, "speaker": "9" * 40}, "speaker"),
    ("pages/", {"type": QUOTATIONS, "forum_edition": "2021"}, "forum_edition"),
    ("pages/", {"type": QUOTATIONS, "forum_edition": "x"}, "forum_edition"),
    ("pages/", {"type": QUOTATIONS, "said_on": "yesterday"}, "said_on"),
    # guideline documents
    ("pages/", {"type": DOCUMENTS, "adopted_at": "alma-2019"}, "adopted_at"),
    ("pages/", {"type": DOCUMENTS, "status": "secret"}, "status"),
    # announcements
    ("pages/", {"type": ANNOUNCEMENTS, "award": "rudomino"}, "award"),
    ("pages/", {"type": ANNOUNCEMENTS, "award": "999999"}, "award"),
    ("pages/", {"type": ANNOUNCEMENTS, "season_year": "next"}, "season_year"),
    ("pages/", {"type": ANNOUNCEMENTS, "kind": "rumour"}, "kind"),
    # speakers
    ("pages/", {"type": SPEAKERS, "organization": "IFLA"}, "organization"),
    ("pages/", {"type": SPEAKERS, "organization": "999999"}, "organization"),
    # Wagtail's own filters
    ("pages/", {"child_of": "forum"}, "child_of"),
    ("pages/", {"child_of": "999999"}, "child_of"),
    ("pages/", {"descendant_of": "-1"}, "descendant_of"),
    ("pages/", {"ancestor_of": "x"}, "ancestor_of"),
    ("pages/", {"translation_of": "x"}, "translation_of"),
    ("pages/", {"order": "no_such_field"}, "order"),
    ("pages/", {"order": "random", "offset": "1"}, "order"),
    ("pages/", {"search": "alma", "search_operator": "xor"}, "search_operator"),
    ("pages/", {"search": "a\x00b"}, "search"),
    ("pages/", {"search": "alma", "search_type": "fuzzy"}, "search_type"),
    ("pages/", {"search_type": "fuzzy"}, "search_type"),
    ("pages/", {"search": "alma", "locale": "xx"}, "locale"),
    ("pages/", {"search": "x" * 5000}, "search"),
    ("pages/", {"site": "nowhere.example"}, "site"),
    ("pages/", {"site": "localhost:port"}, "site"),
    # ids and find
    ("pages/abc/", {}, "id"),
    ("pages/-1/", {}, "id"),
    ("pages/find/", {"id": "abc"}, "id"),
    ("pages/find/", {}, "html_path"),
    ("pages/find/", {"html_path": "/en/\x00/"}, "html_path"),
    # other endpoints
    ("organizations/", {"kind": "club"}, "kind"),
    ("organizations/", {"locale": "xx"}, "locale"),
    ("organizations/", {"translation_of": "x"}, "translation_of"),
    ("organizations/", {"translation_of": "999999"}, "translation_of"),
    ("organizations/", {"limit": "-2"}, "limit"),
    ("organizations/", {"no_such_parameter": "1"}, "no_such_parameter"),
    ("organizations/x/", {}, "id"),
    ("images/", {"limit": "x"}, "limit"),
    ("images/", {"width": "wide"}, "width"),
    ("images/", {"fields": "nope"}, "fields"),
    ("images/x/", {}, "id"),
    ("documents/", {"offset": "-1"}, "offset"),
    ("documents/x/", {}, "id"),
]


@pytest.mark.parametrize(
    "path, params, parameter",
    BAD_REQUESTS,
    ids=[f"{p}{'&'.join(f'{k}={v[:12]!r}' for k, v in q.items())}" for p, q, _ in BAD_REQUESTS],
)
def test_bad_request_names_the_parameter(alma, client, path, params, parameter):
    response = client.get(f"{API}{path}", params)
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["parameter"] == parameter
    assert isinstance(data["message"], str) and data["message"]


def test_a_filter_of_another_type_is_rejected(alma, client):
    """A filter only applies when ``type=`` selects its page type."""
    response = client.get(f"{API}pages/", {"type": QUOTATIONS, "year": "2021"})
    assert response.status_code == 400
    assert response.json()["parameter"] == "year"
    response = client.get(f"{API}pages/", {"type": SPEAKERS, "award": alma.award.pk})
    assert response.json()["parameter"] == "award"


def test_a_page_of_the_wrong_type_is_rejected_as_filter_value(alma, client):
    response = client.get(f"{API}pages/", {"type": ANNOUNCEMENTS, "award": alma.forum_index.pk})
    assert response.status_code == 400 and response.json()["parameter"] == "award"
    response = client.get(f"{API}pages/", {"type": QUOTATIONS, "speaker": alma.edition_2021.pk})
    assert response.status_code == 400 and response.json()["parameter"] == "speaker"


@pytest.mark.parametrize(
    "path",
    [
        "pages/99999999999999999999999/",
        "pages/999999/",
        "organizations/999999/",
        "images/999999/",
    ],
)
def test_unknown_ids_are_404_in_json(alma, client, path):
    response = client.get(f"{API}{path}")
    assert response.status_code == 404
    assert response.json() == {"message": "not found"}


def test_find_of_unknown_path_is_404(alma, client):
    for path in ("/en/nowhere/", "/ru/forum/", "/xx/forum/", "forum/nothing"):
        response = client.get(f"{API}pages/find/", {"html_path": path})
        assert response.status_code == 404, path


def test_renderer_format_still_works(alma, client):
    response = client.get(f"{API}pages/", {"format": "json"})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    response = client.get(f"{API}pages/", {"format": "api"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
