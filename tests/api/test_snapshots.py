"""Snapshots of alma-cms's external output, to prove a refactor changes none of it.

Pinned here, on the ALMA demo (``alma_load_demo``) plus a little content it lacks (see
:func:`add_snapshot_content`):

* the OpenAPI document of API v3;
* the API v2 (``?fields=*``) and API v3 detail responses of every alma page type and of an
  organization (status, the headers a client acts on, the body with its key order);
* the JSON-LD of every page type's HTML page;
* the iCalendar feeds of the forum index and of two editions.

Snapshots live in ``tests/api/snapshots/``. ``ALMA_UPDATE_SNAPSHOTS=1`` writes them instead
of comparing; without it a missing snapshot fails. Only what is not deterministic is
normalised (see :func:`normalise`): database ids, ETags, and the random suffix Django's storage
adds to a rendition file name when the name is taken. Publication dates are made deterministic
instead (every page is given the same two dates), so their formatting stays pinned.
"""

import datetime
import difflib
import json
import os
import re
import uuid
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page
from wagtail_localize.models import StringTranslation, TranslationLog, TranslationSource

from alma_cms.models import Organization
from alma_cms.pages.models import (
    AwardAnnouncementPage,
    ForumEditionPage,
    SpeakerPage,
    SpeakerPosition,
)
from sandbox.demo.images import get_or_create_placeholder
from tests.api.helpers import skip_without_api_v3, translate_page

# Recorded on Wagtail 8 (API v3 exists from Wagtail 8; the v2 output differs on older ones).
skip_without_api_v3()
pytestmark = pytest.mark.usefixtures("snapshot_site", "db", "v3_urls")

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = os.environ.get("ALMA_UPDATE_SNAPSHOTS") == "1"
MAX_DIFF_LINES = 200

# Every published page gets these dates, so dates, Last-Modified and DTSTAMP are pinned too.
FIRST_PUBLISHED = datetime.datetime(2024, 1, 15, 9, 30, 0, 123456, tzinfo=datetime.UTC)
LAST_PUBLISHED = datetime.datetime(2024, 2, 20, 17, 45, 0, 654321, tzinfo=datetime.UTC)
LAST_SYNCED = datetime.datetime(2024, 2, 20, 18, 0, 0, tzinfo=datetime.UTC)

# Response headers a client acts on (the rest is Django's security middleware).
HEADERS = [
    "Content-Type",
    "Content-Language",
    "Content-Disposition",
    "Cache-Control",
    "Vary",
    "Last-Modified",
    "ETag",
]

# Snapshot name: the page's url_path.
PAGES = {
    "forum_index": "/home/alma/",
    "forum_edition_2021": "/home/alma/alma-2021/",
    "forum_edition_2021_ru": "/home-ru/alma/alma-2021/",
    "forum_edition_every_block": "/home/alma/alma-2022/",
    "forum_edition_every_block_ru": "/home-ru/alma/alma-2022/",
    "speaker_index": "/home/speakers/",
    "speaker": "/home/speakers/christine-mackenzie/",
    "speaker_ru": "/home-ru/speakers/christine-mackenzie/",
    "quotation_index": "/home/quotations/",
    "quotation": "/home/quotations/olga-s-yarilova-2021/",
    "guideline_document_index": "/home/documents/",
    "guideline_document": "/home/alma/alma-2019/final-document/",
    "guideline_document_ru": "/home-ru/alma/alma-2019/final-document/",
    "award": "/home/rudomino-award/",
    "award_announcement": "/home/rudomino-award/established-2021/",
    "award_announcement_winners": "/home/rudomino-award/first-winners/",
}
# Snapshot name: (language, name) of the organization.
ORGANIZATIONS = {
    "organization": ("en", "M.I. Rudomino All-Russia State Library for Foreign Literature"),
    "organization_ru": (
        "ru",
        "Всероссийская государственная библиотека иностранной литературы имени М.И. Рудомино",
    ),
}
CALENDARS = {
    "forum_index": "/home/alma/",
    "forum_edition_2021": "/home/alma/alma-2021/",
    "forum_edition_every_block_ru": "/home-ru/alma/alma-2022/",
}


# --- Content ----------------------------------------------------------------------------------


def stable_id(*parts):
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "alma-snapshots/" + "/".join(parts)))


def block(block_type, value, key):
    return {"type": block_type, "value": value, "id": stable_id("block", key)}


def items(values, key):
    return [
        {"type": "item", "value": value, "id": stable_id("item", key, str(i))}
        for i, value in enumerate(values)
    ]


def participant(speaker=None, name="", role="", topic=""):
    return {"speaker": speaker.pk if speaker else None, "name": name, "role": role, "topic": topic}


def link(title, page=None, url="", description=""):
    return {
        "title": title,
        "page": page.pk if page else None,
        "url": url,
        "description": description,
    }


def every_block_body(refs):
    """An edition body with every block it offers (the test app's poll too), referring to
    pages, a draft page, an image, a document and organizations, in blocks and rich text."""
    r = refs
    links = (
        f'<p>See <a linktype="page" id="{r.award.pk}">the award</a>, '
        f'<a linktype="document" id="{r.document.pk}">the programme</a>, '
        f'<a linktype="page" id="{r.draft_speaker.pk}">a draft</a> and '
        f'<a href="https://www.ifla.org/">IFLA</a>.</p>'
    )
    return [
        block("paragraph", links, "paragraph"),
        block("heading", {"text": "Panels", "level": "h3", "anchor": "panels"}, "heading"),
        block(
            "image",
            {"image": r.image.pk, "alt": "The hall", "caption": "Opening", "credit": "LFL"},
            "image",
        ),
        block(
            "video",
            {
                "url": "https://www.youtube.com/watch?v=abcdef12345",
                "title": "Stream",
                "caption": "",
            },
            "video-youtube",
        ),
        block(
            "video",
            {"url": "https://video.example.org/v/1", "title": "Elsewhere", "caption": "x"},
            "video-other",
        ),
        block(
            "quote",
            {"text": "Lead.", "speaker": r.mackenzie.pk, "name": "", "role": ""},
            "quote-speaker",
        ),
        block(
            "quote",
            {"text": "Read.", "speaker": None, "name": "A. Reader", "role": "Guest"},
            "quote-name",
        ),
        block(
            "link_list",
            {
                "title": "Further reading",
                "links": items(
                    [
                        link("IFLA", url="https://www.ifla.org/", description="Federation"),
                        link("Forum", page=r.forum_index),
                        link("Final document", page=r.final_document),
                        link("Draft", page=r.draft_speaker),
                    ],
                    "links",
                ),
            },
            "link-list",
        ),
        block(
            "document",
            {"document": r.document.pk, "title": "", "description": "Timetable"},
            "document",
        ),
        block(
            "call_to_action",
            {
                "title": "Award",
                "text": links,
                "button_label": "Read",
                "page": r.award.pk,
                "url": "",
            },
            "cta-page",
        ),
        block(
            "call_to_action",
            {
                "title": "LFL",
                "text": "",
                "button_label": "Visit",
                "page": None,
                "url": "https://libfl.ru/",
            },
            "cta-url",
        ),
        block("featured_quotation", {"quotation": r.quotation.pk}, "featured"),
        block(
            "discussion_panel",
            {
                "title": "Regional level",
                "scope": "regional",
                "moderator": participant(r.gorokhova),
                "speakers": items(
                    [
                        participant(r.lison, topic="IFLA"),
                        participant(name="Anna R. Galeyeva", role="Director"),
                        participant(r.draft_speaker, topic="Not public yet"),
                    ],
                    "panel",
                ),
                "summary": links,
            },
            "panel",
        ),
        block(
            "programme",
            {
                "title": "Programme",
                "date": "2022-04-21",
                "slots": items(
                    [
                        {
                            "start_time": "10:00:00",
                            "end_time": "11:30:00",
                            "title": "Opening",
                            "description": "Greetings",
                            "speakers": items([participant(r.gorokhova)], "slot-1"),
                        },
                        {
                            "start_time": "12:00:00",
                            "end_time": None,
                            "title": "Panels",
                            "description": "",
                            "speakers": [],
                        },
                    ],
                    "slots",
                ),
            },
            "programme",
        ),
        block(
            "statistics",
            {
                "title": "Figures",
                "items": items(
                    [
                        {"label": "Participants", "value": 120, "qualifier": "about"},
                        {"label": "Countries", "value": 5, "qualifier": "more_than"},
                    ],
                    "statistics",
                ),
            },
            "statistics",
        ),
        block(
            "speaker_list",
            {"title": "Speakers", "speakers": items([r.mackenzie.pk, r.draft_speaker.pk], "list")},
            "speaker-list",
        ),
        block(
            "organization_list",
            {
                "title": "Partners",
                "relation": "partners",
                "organizations": items([r.ifla.pk, r.rla.pk], "organizations"),
            },
            "organizations",
        ),
        block("testapp_poll", {"question": "Leader or NPC?", "options": ["Leader", "NPC"]}, "poll"),
    ]


class Refs:
    """The demo objects the added content refers to."""

    def __init__(self):
        def page(url_path):
            return Page.objects.get(url_path=url_path).specific

        def org(short_name):
            return Organization.objects.get(locale__language_code="en", short_name=short_name)

        self.forum_index = page("/home/alma/")
        self.edition_2021 = page("/home/alma/alma-2021/")
        self.final_document = page("/home/alma/alma-2019/final-document/")
        self.speaker_index = page("/home/speakers/")
        self.mackenzie = page("/home/speakers/christine-mackenzie/")
        self.lison = page("/home/speakers/barbara-lison/")
        self.gorokhova = page("/home/speakers/svetlana-a-gorokhova/")
        self.quotation = page("/home/quotations/barbara-lison-2021/")
        self.award = page("/home/rudomino-award/")
        self.lfl, self.ifla, self.rla = org("LFL"), org("IFLA"), org("RLA")


def add_page(parent, page, publish=True):
    page.translation_key = uuid.UUID(stable_id("page", page.slug))
    if not publish:
        page.live = False
    parent.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return type(page).objects.get(pk=page.pk)


def add_snapshot_content():
    """What the demo lacks: an edition whose body holds every block (images, a document, a
    draft page, rich-text links, quotes, a programme, ...) with its Russian translation, and
    an announcement of winners. Ids of blocks, items and translation keys are fixed."""
    r = Refs()
    r.image = get_or_create_placeholder("ALMA snapshot: the hall", "HALL", "The hall")[0]
    r.document = get_document_model().objects.create(
        title="ALMA 2022 programme",
        file=ContentFile(b"%PDF-1.4 ALMA 2022 programme\n", name="alma-2022-programme.pdf"),
    )
    r.draft_speaker = add_page(
        r.speaker_index,
        SpeakerPage(
            title="Draft Speaker",
            slug="draft-speaker",
            given_name="Draft",
            family_name="Speaker",
            short_bio="Not published yet.",
        ),
        publish=False,
    )
    speaker = SpeakerPage.objects.get(pk=r.mackenzie.pk)
    speaker.positions.add(
        SpeakerPosition(
            role_title="Honorary member",
            organization=r.rla,
            start_date=datetime.date(2022, 4, 21),
            date_precision="day",
            sort_order=9,
        )
    )
    speaker.save_revision().publish()

    edition = add_page(
        r.forum_index,
        ForumEditionPage(
            title="ALMA 2022",
            slug="alma-2022",
            year=2022,
            theme="Every block once",
            start_date=datetime.date(2022, 4, 21),
            end_date=datetime.date(2022, 4, 22),
            duration_hours=6,
            format="online",
            host=r.lfl,
            moderator=r.gorokhova,
            participant_count=120,
            participant_count_qualifier="about",
            recording_url="https://video.example.org/alma-2022",
            summary="An online edition whose body holds every block.",
            outcome=f'<p>Read <a linktype="page" id="{r.final_document.pk}">the document</a>.</p>',
            body=every_block_body(r),
        ),
    )
    translate_page(
        edition,
        Locale.objects.get(language_code="ru"),
        title="ALMA 2022 (рус.)",
        theme="Каждый блок по разу",
    )
    add_page(
        r.award,
        AwardAnnouncementPage(
            title="First winners",
            slug="first-winners",
            season_year=2022,
            announced_on=datetime.date(2022, 4, 21),
            announced_at=edition,
            kind="winners",
            summary="The first winners of the Rudomino Award.",
            winners=[
                block(
                    "winner",
                    {
                        "place": 1,
                        "category": "Regional libraries",
                        "recipient_name": "",
                        "recipient_organization": r.rla.pk,
                        "project_title": "Open borders",
                        "citation": (
                            f'<p>Presented at <a linktype="page" id="{edition.pk}">ALMA 2022</a>.'
                            "</p>"
                        ),
                        "prize": "A diploma",
                    },
                    "winner-1",
                ),
                block(
                    "winner",
                    {
                        "place": None,
                        "category": "",
                        "recipient_name": "The reading club of Tver",
                        "recipient_organization": None,
                        "project_title": "",
                        "citation": "",
                        "prize": "",
                    },
                    "winner-2",
                ),
            ],
        ),
    )
    Page.objects.filter(first_published_at__isnull=False).update(
        first_published_at=FIRST_PUBLISHED, last_published_at=LAST_PUBLISHED
    )
    # meta.translations[].translation_status: every translation read its source when the
    # pages were published and was written from it later (in sync, at a pinned time).
    TranslationSource.objects.update(last_updated_at=LAST_PUBLISHED)
    TranslationLog.objects.update(created_at=LAST_SYNCED)
    # ... and its strings were translated before the translated page was published.
    StringTranslation.objects.update(updated_at=FIRST_PUBLISHED)


@pytest.fixture(scope="module")
def snapshot_site(v3_demo, django_db_blocker):
    """The demo plus :func:`add_snapshot_content`, in the module transaction of ``v3_demo``;
    returns the :class:`Labels` of its objects."""
    with django_db_blocker.unblock():
        add_snapshot_content()
        labels = Labels()
    for cache in caches.all():
        cache.clear()
    return labels


# --- Normalisation ----------------------------------------------------------------------------


class Labels:
    """Stable names for database ids, which depend on the backend and on what ran before:
    pages by url_path, images and documents by title, organizations by language and name,
    speaker positions by speaker and place."""

    def __init__(self):
        self.names = {
            "page": dict(Page.objects.values_list("pk", "url_path")),
            "image": dict(get_image_model().objects.values_list("pk", "title")),
            "document": dict(get_document_model().objects.values_list("pk", "title")),
            "organization": {
                o.pk: f"{o.locale.language_code}:{o.name}"
                for o in Organization.objects.select_related("locale")
            },
            "position": {
                p.pk: f"{p.page.url_path}#{p.sort_order}"
                for p in SpeakerPosition.objects.select_related("page")
            },
        }

    def __call__(self, kind, pk):
        name = self.names[kind][int(pk)]
        return f"{{{kind}:{name}}}"


# The kind of object an "id" belongs to, from the meta type or the other keys of its object.
META_KINDS = {
    "alma_cms.Organization": "organization",
    "alma_cms_pages.SpeakerPosition": "position",
    "wagtailimages.Image": "image",
    "wagtaildocs.Document": "document",
}
DOCUMENT_URL = re.compile(r"(https?://[^/]+)?/documents/\d+/")
URL_IDS = re.compile(
    r"/(pages|images|documents|organizations|snippets/alma_cms\.Organization)/(\d+)/"
)
URL_KINDS = {"pages": "page", "images": "image", "documents": "document"}
# Django's storage appends "_" and 7 random characters to a file name that is taken (rendition
# files outlive their rolled-back rows, so whether a name is taken depends on test order).
RENDITION_SUFFIX = re.compile(r"(/media/images/[^\"'\s]+?)_[A-Za-z0-9]{7}(\.\w)")


def kind_of(obj):
    meta_type = (obj.get("meta") or {}).get("type", "")
    if meta_type:
        return META_KINDS.get(meta_type, "page")
    if "width" in obj and "height" in obj:
        return "image"
    if "kind" in obj and "short_name" in obj:
        return "organization"
    if "file_size" in obj or DOCUMENT_URL.match(str(obj.get("url", ""))):
        return "document"
    return "page"  # page links, speakers, quotations, translations


def normalise(data, labels):
    """``data`` with ids replaced by :class:`Labels` names: the "id" of every object, and ids
    inside URLs (``/api/v2/pages/3/``, ``/documents/2/...``), and rendition file names without
    the random suffix of a taken name."""
    if isinstance(data, dict):
        out = {key: normalise(value, labels) for key, value in data.items()}
        if isinstance(data.get("id"), int):
            out["id"] = labels(kind_of(data), data["id"])
        return out
    if isinstance(data, list):
        return [normalise(value, labels) for value in data]
    if isinstance(data, str):
        return normalise_text(data, labels)
    return data


def normalise_text(text, labels):
    def replace(match):
        kind = URL_KINDS.get(match[1], "organization")
        return f"/{match[1]}/{labels(kind, match[2])}/"

    return RENDITION_SUFFIX.sub(r"\1\2", URL_IDS.sub(replace, text))


def header_values(response):
    values = {name: response[name] for name in HEADERS if response.has_header(name)}
    if "ETag" in values:  # a hash of content that includes the ids
        values["ETag"] = re.sub(r'"[^"]*"', '"<etag>"', values["ETag"])
    return values


def dump(data, sort_keys=False):
    return json.dumps(data, indent=1, ensure_ascii=False, sort_keys=sort_keys) + "\n"


# --- Comparison -------------------------------------------------------------------------------


def assert_snapshot(name, text):
    """``text`` equals the snapshot file ``name`` (written instead under ALMA_UPDATE_SNAPSHOTS=1;
    a missing file fails)."""
    path = SNAPSHOTS / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
        return
    if not path.exists():
        pytest.fail(f"no snapshot {path}; run with ALMA_UPDATE_SNAPSHOTS=1 to write it")
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = list(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                text.splitlines(keepends=True),
                f"{name} (snapshot)",
                f"{name} (now)",
            )
        )
        if len(diff) > MAX_DIFF_LINES:
            diff = diff[:MAX_DIFF_LINES] + [f"... {len(diff) - MAX_DIFF_LINES} more lines\n"]
        pytest.fail(
            f"{name} differs from its snapshot (ALMA_UPDATE_SNAPSHOTS=1 rewrites it):\n"
            + "".join(diff),
            pytrace=False,
        )


def response_snapshot(response, labels):
    """Status, headers and body (key order kept) of a JSON response, normalised."""
    return dump(
        {
            "status": response.status_code,
            "headers": header_values(response),
            "body": normalise(json.loads(response.content), labels),
        }
    )


def page_id(url_path):
    return Page.objects.get(url_path=url_path).pk


def organization_id(language, name):
    return Organization.objects.get(locale__language_code=language, name=name).pk


# --- Tests ------------------------------------------------------------------------------------


def test_openapi_document(client):
    response = client.get("/api/v3/openapi.json")
    assert response.status_code == 200
    assert_snapshot("openapi_v3.json", dump(response.json(), sort_keys=True))


@pytest.mark.parametrize("name", PAGES)
def test_v2_page_detail(client, snapshot_site, name):
    response = client.get(f"/api/v2/pages/{page_id(PAGES[name])}/", {"fields": "*"})
    assert_snapshot(f"v2/{name}.json", response_snapshot(response, snapshot_site))


@pytest.mark.parametrize("name", PAGES)
def test_v3_page_detail(client, snapshot_site, name):
    response = client.get(f"/api/v3/pages/{page_id(PAGES[name])}/")
    assert_snapshot(f"v3/{name}.json", response_snapshot(response, snapshot_site))


@pytest.mark.parametrize("name", ORGANIZATIONS)
def test_v2_organization_detail(client, snapshot_site, name):
    pk = organization_id(*ORGANIZATIONS[name])
    response = client.get(f"/api/v2/organizations/{pk}/", {"fields": "*"})
    assert_snapshot(f"v2/{name}.json", response_snapshot(response, snapshot_site))


@pytest.mark.parametrize("name", ORGANIZATIONS)
def test_v3_organization_detail(client, snapshot_site, django_user_model, name):
    """Snippets in API v3 need a bearer token."""
    from wagtail.models import APIToken

    user = django_user_model.objects.create_superuser("snapshots", password="x")
    _token, key = APIToken.create_token(user=user, name="snapshots")
    pk = organization_id(*ORGANIZATIONS[name])
    response = client.get(
        f"/api/v3/snippets/alma_cms.Organization/{pk}/", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert_snapshot(f"v3/{name}.json", response_snapshot(response, snapshot_site))


JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.mark.parametrize("name", PAGES)
def test_html_json_ld(client, snapshot_site, name):
    page = Page.objects.get(url_path=PAGES[name])
    response = client.get(page.url)
    assert response.status_code == 200
    scripts = [json.loads(script) for script in JSON_LD.findall(response.content.decode())]
    assert_snapshot(f"json_ld/{name}.json", dump(normalise(scripts, snapshot_site)))


@pytest.mark.parametrize("name", CALENDARS)
def test_icalendar_feed(client, snapshot_site, name):
    page = Page.objects.get(url_path=CALENDARS[name])
    response = client.get(page.url + "calendar/")
    # Lines end in CRLF (RFC 5545); the snapshot keeps them as plain newlines.
    calendar = response.content.decode().split("\r\n")
    assert not any("\n" in line for line in calendar)
    headers = [f"{k}: {v}" for k, v in header_values(response).items()]
    text = "\n".join([str(response.status_code), *headers, "", *calendar])
    assert_snapshot(f"ical/{name}.ics", normalise_text(text, snapshot_site))
