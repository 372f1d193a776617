"""schema.org JSON-LD of every page type, in the page HTML and in the API (``json_ld``).

The demo site (``alma_load_demo``) is loaded once for the module. Every demo page, in both
languages, is fetched as HTML and through the API; the JSON-LD is parsed and checked against a
small schema.org vocabulary below (the types this package emits, with the properties
schema.org defines for them, inherited ones included), then per page type against the facts of
the demo.
"""

import json
import re
from datetime import date
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import transaction
from django.template import Context, Template
from django.test import RequestFactory
from wagtail.models import Page, PageViewRestriction

from alma_cms.models import Organization
from alma_cms.page_types import alma_page_models
from alma_cms.pages.models import (
    AwardAnnouncementPage,
    AwardPage,
    ForumEditionPage,
    ForumIndexPage,
    GuidelineDocumentIndexPage,
    GuidelineDocumentPage,
    QuotationIndexPage,
    QuotationPage,
    SpeakerIndexPage,
    SpeakerPage,
)
from alma_cms.scope import get_scope
from alma_cms.structured_data import KINDS, WEB_PAGE, json_ld_kind, json_ld_script, page_json_ld
from tests.api.helpers import load_demo

pytestmark = pytest.mark.django_db

ROMANS = ["I", "II", "III", "IV", "V", "VI"]
GUIDELINE_COUNTS = [5, 5, 6, 4, 4, 3]
SCRIPT_RE = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)

# --- A small schema.org vocabulary -----------------------------------------------------------
# Properties per type as schema.org defines them (only those a validator needs here); each type
# also takes the properties of the types it inherits from.

# fmt: off
THING = {
    "name", "description", "url", "image", "identifier", "alternateName", "additionalType",
    "sameAs", "mainEntityOfPage", "subjectOf", "disambiguatingDescription",
}
CREATIVE_WORK = THING | {
    "about", "abstract", "audience", "author", "creator", "contributor", "dateCreated",
    "dateModified", "datePublished", "genre", "hasPart", "headline", "inLanguage",
    "isBasedOn", "isPartOf", "keywords", "mainEntity", "mentions", "position", "publisher",
    "recordedAt", "text", "translationOfWork", "creativeWorkStatus", "sponsor", "funder",
    "license", "locationCreated", "citation", "workTranslation",
}
EVENT = THING | {
    "about", "actor", "attendee", "audience", "contributor", "duration", "endDate",
    "eventAttendanceMode", "eventSchedule", "eventStatus", "funder", "inLanguage",
    "isAccessibleForFree", "keywords", "location", "maximumAttendeeCapacity", "organizer",
    "performer", "previousStartDate", "recordedIn", "sponsor", "startDate", "subEvent",
    "superEvent", "workFeatured", "workPerformed",
}
ORGANIZATION = THING | {
    "address", "logo", "award", "founder", "foundingDate", "member", "memberOf",
    "parentOrganization", "subOrganization", "department", "email", "location", "areaServed",
}
PERSON = THING | {
    "givenName", "familyName", "additionalName", "honorificPrefix", "honorificSuffix",
    "jobTitle", "affiliation", "worksFor", "award", "knowsLanguage", "memberOf", "alumniOf",
    "email", "birthDate", "nationality", "hasOccupation",
}
VOCABULARY = {
    "Thing": THING,
    "CreativeWork": CREATIVE_WORK,
    "Quotation": CREATIVE_WORK | {"spokenByCharacter"},
    "Article": CREATIVE_WORK | {"articleBody", "articleSection", "wordCount"},
    "WebPage": CREATIVE_WORK | {"breadcrumb", "primaryImageOfPage", "lastReviewed"},
    "CollectionPage": CREATIVE_WORK | {"breadcrumb", "primaryImageOfPage", "lastReviewed"},
    "ProfilePage": CREATIVE_WORK | {"breadcrumb", "primaryImageOfPage", "lastReviewed"},
    "Event": EVENT,
    "EventSeries": EVENT,
    "Place": THING | {"address", "geo", "containedInPlace", "telephone", "hasMap"},
    "VirtualLocation": THING,
    "PostalAddress": THING | {
        "addressCountry", "addressLocality", "addressRegion", "postalCode", "streetAddress",
    },
    "Organization": ORGANIZATION,
    "Person": PERSON,
    # Role: the wrapped relation's own property (e.g. "affiliation") is added per use.
    "Role": THING | {"roleName", "startDate", "endDate", "namedPosition"},
    "Audience": THING | {"audienceType", "geographicArea"},
    "ItemList": THING | {"itemListElement", "numberOfItems", "itemListOrder"},
    "ListItem": THING | {"item", "position", "nextItem", "previousItem"},
}
ENUMERATIONS = {
    "eventAttendanceMode": {
        "https://schema.org/OfflineEventAttendanceMode",
        "https://schema.org/OnlineEventAttendanceMode",
        "https://schema.org/MixedEventAttendanceMode",
    },
    "eventStatus": {
        "https://schema.org/EventScheduled",
        "https://schema.org/EventCancelled",
        "https://schema.org/EventPostponed",
        "https://schema.org/EventRescheduled",
        "https://schema.org/EventMovedOnline",
    },
}
# fmt: on
DATE_PROPERTIES = {"startDate", "endDate", "dateCreated", "datePublished"}
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
URL_PROPERTIES = {"url", "@id", "image", "logo", "additionalType", "isBasedOn"}
# Where schema.org expects these types (or a subtype) as the value of a property.
RANGES = {
    "location": {"Place", "VirtualLocation"},
    "organizer": {"Organization", "Person"},
    "performer": {"Person", "Organization"},
    "superEvent": {"Event", "EventSeries"},
    "subEvent": {"Event", "EventSeries"},
    "affiliation": {"Organization", "Role"},
    "creator": {"Person", "Organization", "Role"},
    "publisher": {"Person", "Organization"},
    "author": {"Person", "Organization"},
    "contributor": {"Person", "Organization"},
    "address": {"PostalAddress"},
    "audience": {"Audience"},
    "hasPart": {"CreativeWork", "Article", "Quotation", "WebPage"},
    "workFeatured": {"CreativeWork", "Article", "Quotation"},
    "translationOfWork": {"CreativeWork", "Quotation"},
    "itemListElement": {"ListItem"},
    "mainEntityOfPage": {"WebPage", "CollectionPage", "ProfilePage"},
    "recordedAt": {"Event"},
}


def values(value):
    return value if isinstance(value, list) else [value]


def validate(node, path="$", parent_property=None, problems=None):
    """Problems (strings) found in a JSON-LD node and everything under it."""
    problems = [] if problems is None else problems
    if not isinstance(node, dict):
        return problems
    keys = set(node)
    if keys == {"@id"}:  # a reference to a node described elsewhere
        if not node["@id"].startswith(("http://", "https://")):
            problems.append(f"{path}: @id {node['@id']!r} is not an absolute URL")
        return problems
    type_name = node.get("@type")
    if type_name not in VOCABULARY:
        problems.append(f"{path}: unknown @type {type_name!r}")
        return problems
    allowed = VOCABULARY[type_name] | {"@type", "@id", "@context"}
    if type_name == "Role" and parent_property:
        allowed = allowed | {parent_property}
    for key, value in node.items():
        where = f"{path}.{key}"
        if key not in allowed:
            problems.append(f"{where}: {type_name} has no property {key!r}")
        for item in values(value):
            if item in (None, "", [], {}):
                problems.append(f"{where}: empty value")
            if key in ENUMERATIONS and item not in ENUMERATIONS[key]:
                problems.append(f"{where}: {item!r} is not a known value")
            if key in DATE_PROPERTIES and not DATE_RE.match(str(item)):
                problems.append(f"{where}: {item!r} is not an ISO 8601 date")
            if key in URL_PROPERTIES and not str(item).startswith(("http://", "https://")):
                problems.append(f"{where}: {item!r} is not an absolute URL")
            if isinstance(item, dict):
                expected = RANGES.get(key)
                item_type = item.get("@type")
                if expected and item_type and item_type not in expected:
                    problems.append(f"{where}: a {item_type} where {sorted(expected)} is expected")
                validate(item, where, key, problems)
    return problems


def nodes(data, type_name=None):
    """Every node (dict) in ``data``, depth first; only those of ``type_name`` if given."""
    found = []
    if isinstance(data, dict):
        if type_name is None or data.get("@type") == type_name:
            found.append(data)
        for value in data.values():
            found.extend(nodes(value, type_name))
    elif isinstance(data, list):
        for value in data:
            found.extend(nodes(value, type_name))
    return found


# --- Demo site, pages and fetching -----------------------------------------------------------


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, media_root):
    """The demo site, loaded once for this module and rolled back afterwards."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_demo()
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            cache.clear()


def in_language(model, language="en", **filters):
    english = model.objects.get(locale__language_code="en", **filters)
    if language == "en":
        return english
    return model.objects.get(
        locale__language_code=language, translation_key=english.translation_key
    )


def edition(year, language="en"):
    return in_language(ForumEditionPage, language, year=year)


def speaker(family_name, language="en"):
    return in_language(SpeakerPage, language, family_name=family_name)


def html_json_ld(client, page):
    response = client.get(page.url)
    assert response.status_code == 200, page.url
    html = response.content.decode()
    scripts = SCRIPT_RE.findall(html)
    assert len(scripts) == 1, f"{page.url}: {len(scripts)} JSON-LD scripts"
    head = html.split("</head>")[0]
    assert scripts[0] in head, f"{page.url}: JSON-LD outside <head>"
    return json.loads(scripts[0])


def api_json_ld(client, page):
    response = client.get(f"/api/v2/pages/{page.pk}/")
    assert response.status_code == 200, response.content[:300]
    return response.json()["json_ld"]


def full_url(page):
    return page.get_full_url()


def demo_pages():
    return list(Page.objects.filter(depth__gte=3).live().specific().order_by("path"))


EXPECTED_TYPES = {
    ForumIndexPage: "EventSeries",
    ForumEditionPage: "Event",
    SpeakerIndexPage: "CollectionPage",
    SpeakerPage: "Person",
    QuotationIndexPage: "CollectionPage",
    QuotationPage: "Quotation",
    GuidelineDocumentIndexPage: "CollectionPage",
    GuidelineDocumentPage: "CreativeWork",
    AwardPage: "CreativeWork",
    AwardAnnouncementPage: "Article",
}


def test_every_page_type_declares_its_kind():
    """The builder dispatches on ``json_ld_kind``: every alma-cms page type declares one, and
    every kind is some page type's."""
    assert set(EXPECTED_TYPES) == set(alma_page_models())
    kinds = {json_ld_kind(model) for model in alma_page_models()}
    assert kinds == set(KINDS) - {WEB_PAGE}
    assert json_ld_kind(Page) == WEB_PAGE


# --- Every demo page -------------------------------------------------------------------------


@pytest.mark.usefixtures("demo")
class TestEveryDemoPage:
    def test_html_and_api_carry_the_same_valid_json_ld(self, client):
        pages = demo_pages()
        languages = {page.locale.language_code for page in pages}
        assert languages == {"en", "ru"}
        assert {type(page) for page in pages} == set(EXPECTED_TYPES)
        for page in pages:
            data = html_json_ld(client, page)
            assert data == api_json_ld(client, page), page.url
            assert data["@context"] == "https://schema.org", page.url
            assert data["@type"] == EXPECTED_TYPES[type(page)], page.url
            problems = validate(data)
            assert problems == [], (page.url, problems)
            # Every page's own URL and language; every link stays in the page's language, but
            # a translated quotation's link to the words as said (``translationOfWork``).
            own_url = full_url(page)
            assert data.get("url", data.get("@id")) == own_url, page.url
            language = page.locale.language_code
            page_node = data if "inLanguage" in data else data["mainEntityOfPage"]
            assert page_node["inLanguage"] == language, page.url
            assert data.get("@id", "").startswith(own_url), page.url
            original = data.get("translationOfWork")
            for node in nodes(data):
                if node is original:
                    assert node["inLanguage"] != language, page.url
                    continue
                for key in ("url", "@id"):
                    url = node.get(key, "")
                    if url.startswith("http://localhost/") and urlsplit(url).path != "/":
                        assert urlsplit(url).path.startswith(f"/{language}/"), (page.url, url)

    def test_api_listing_serves_json_ld(self, client):
        response = client.get(
            "/api/v2/pages/", {"type": "alma_cms_pages.ForumEditionPage", "fields": "json_ld"}
        )
        assert response.status_code == 200
        items = response.json()["items"]
        assert len(items) == 4  # two editions, two languages
        assert {item["json_ld"]["@type"] for item in items} == {"Event"}
        assert {item["json_ld"]["inLanguage"] for item in items} == {"en", "ru"}


# --- Per type, against the demo's facts ------------------------------------------------------


@pytest.mark.usefixtures("demo")
class TestEvents:
    def test_edition_2021_is_a_hybrid_event(self, client):
        page = edition(2021)
        data = html_json_ld(client, page)
        url = full_url(page)
        assert data["@id"] == url + "#event"
        assert data["name"] == "ALMA 2021"
        assert data["startDate"] == data["endDate"] == "2021-04-20"
        assert data["duration"] == "PT4H"
        assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
        assert data["eventStatus"] == "https://schema.org/EventScheduled"
        assert data["about"] == {
            "@type": "Thing",
            "name": "Is Library a Leader or a Non-Player Character?",
        }
        assert data["inLanguage"] == "en"
        place, virtual = data["location"]
        assert place["@type"] == "Place"
        assert place["name"] == page.venue
        assert place["address"] == {
            "@type": "PostalAddress",
            "addressLocality": "Moscow",
            "addressCountry": "RU",
        }
        assert virtual == {"@type": "VirtualLocation", "url": url}  # no recording URL: the page
        organizer = data["organizer"]
        assert organizer["@type"] == "Organization"
        assert organizer["alternateName"] == "LFL"
        assert organizer["url"] == "https://libfl.ru"
        series = data["superEvent"]
        index = page.get_parent().specific
        assert series == {
            "@type": "EventSeries",
            "@id": full_url(index) + "#series",
            "name": "Shaping the Future of Libraries",
            "alternateName": "ALMA",
            "url": full_url(index),
        }
        assert data["performer"]["@id"] == full_url(speaker("Gorokhova")) + "#person"

    def test_edition_2021_panels_are_sub_events_with_performers(self, client):
        data = html_json_ld(client, edition(2021))
        panels = data["subEvent"]
        assert [p["name"] for p in panels] == [
            "International level",
            "National level",
            "Regional level",
        ]

        def family_names(panel):
            return [p["name"].split()[-1] for p in panel["performer"]]

        international, national, regional = panels
        assert family_names(international) == ["Lison"]
        assert family_names(national) == ["Duda", "Garcia-Febo"]
        # The regional panel's own moderator comes first.
        assert family_names(regional) == [
            "Kazachenkova",
            "Chalova",
            "Suleimanova",
            "Magazevskaya",
            "Zhuravleva",
            "Galeyeva",
            "Vovk",
        ]
        for panel in panels:
            assert panel["@type"] == "Event"
            assert panel["@id"].startswith(full_url(edition(2021)) + "#panel-")
            assert panel["startDate"] == "2021-04-20"
            assert panel["description"]
            for person in panel["performer"]:
                assert person["@type"] == "Person"
                assert person["@id"].endswith("/#person")
        lison = international["performer"][0]
        assert lison == {
            "@type": "Person",
            "@id": full_url(speaker("Lison")) + "#person",
            "name": "Barbara Lison",
            "url": full_url(speaker("Lison")),
        }

    def test_edition_2019_is_in_person_and_features_its_final_document(self, client):
        page = edition(2019)
        data = html_json_ld(client, page)
        assert data["startDate"] == data["endDate"] == "2019-04-25"
        assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
        assert data["location"]["@type"] == "Place"  # no virtual location
        assert "subEvent" not in data
        document = GuidelineDocumentPage.objects.get(locale__language_code="en")
        assert data["workFeatured"] == [
            {
                "@type": "CreativeWork",
                "@id": full_url(document) + "#document",
                "name": "ALMA 2019 Final Document",
                "url": full_url(document),
                "datePublished": "2019-04-25",
            }
        ]

    def test_russian_edition_links_russian_pages(self, client):
        page = edition(2021, "ru")
        data = html_json_ld(client, page)
        assert data["name"] == page.title != "ALMA 2021"
        assert data["inLanguage"] == "ru"
        assert data["about"]["name"] == page.theme
        assert data["superEvent"]["url"] == full_url(page.get_parent())
        lison = data["subEvent"][0]["performer"][0]
        assert lison["url"] == full_url(speaker("Lison", "ru"))
        assert lison["name"] == speaker("Lison", "ru").full_name
        # Organizations keep one @id in every language.
        assert data["organizer"]["@id"] == html_json_ld(client, edition(2021))["organizer"]["@id"]
        assert data["organizer"]["name"] != html_json_ld(client, edition(2021))["organizer"]["name"]

    def test_online_edition_has_only_a_virtual_location(self, client):
        page = edition(2021)
        page.format = "online"
        page.recording_url = "https://video.example.org/alma-2021"
        page.save_revision().publish()
        data = api_json_ld(client, page)
        assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
        assert data["location"] == {
            "@type": "VirtualLocation",
            "url": "https://video.example.org/alma-2021",
        }

    def test_forum_index_is_the_event_series(self, client):
        index = ForumIndexPage.objects.get(locale__language_code="en")
        data = html_json_ld(client, index)
        assert data["@id"] == full_url(index) + "#series"
        assert data["name"] == "Shaping the Future of Libraries"
        assert data["alternateName"] == "ALMA"
        assert [e["@id"] for e in data["subEvent"]] == [
            full_url(edition(2021)) + "#event",
            full_url(edition(2019)) + "#event",
        ]
        assert data["organizer"]["alternateName"] == "LFL"  # one host for both editions


@pytest.mark.usefixtures("demo")
class TestPeopleAndQuotations:
    def test_mackenzie_has_dated_roles(self, client):
        page = speaker("Mackenzie")
        data = html_json_ld(client, page)
        assert data["@id"] == full_url(page) + "#person"
        assert (data["name"], data["givenName"], data["familyName"]) == (
            "Christine Mackenzie",
            "Christine",
            "Mackenzie",
        )
        assert data["image"].startswith("http")
        assert data["description"] == page.short_bio
        assert data["mainEntityOfPage"]["@type"] == "ProfilePage"
        roles = [
            (r["@type"], r["roleName"], r["startDate"], r["endDate"], r["affiliation"]["name"])
            for r in data["affiliation"]
        ]
        ifla = "International Federation of Library Associations and Institutions"
        assert roles == [
            ("Role", "President-elect", "2017-08", "2019-08", ifla),
            ("Role", "President", "2019-08", "2021-08", ifla),
        ]
        ids = {r["affiliation"]["@id"] for r in data["affiliation"]}
        assert len(ids) == 1  # the same IFLA node twice

    def test_middle_name_and_current_title(self, client):
        page = speaker("Gorokhova")
        data = html_json_ld(client, page)
        assert data["additionalName"] == "A."
        current = [p.label for p in page.positions.all() if p.is_current]
        if current:
            assert data["jobTitle"] == (current[0] if len(current) == 1 else current)

    def test_quotation_keeps_the_title_at_the_time(self, client):
        page = QuotationPage.objects.get(locale__language_code="en", slug="barbara-lison-2021")
        data = html_json_ld(client, page)
        assert data["@type"] == "Quotation"
        assert data["text"] == page.text
        assert data["dateCreated"] == "2021-04-20"
        assert data["inLanguage"] == "en"
        assert "translationOfWork" not in data  # said in English
        assert data["creator"] == {
            "@type": "Role",
            "roleName": "IFLA President-elect",
            "creator": {
                "@type": "Person",
                "@id": full_url(speaker("Lison")) + "#person",
                "name": "Barbara Lison",
                "url": full_url(speaker("Lison")),
            },
        }
        assert data["isPartOf"] == {"@id": full_url(edition(2021)) + "#event"}

    def test_translated_quotation_names_its_original_language(self, client):
        """Without a page in the language the words were said in (here: its Russian page
        unpublished), the quotation names that language only."""
        page = QuotationPage.objects.get(locale__language_code="en", slug="olga-s-yarilova-2021")
        page.get_translation(edition(2021, "ru").locale).unpublish()
        data = api_json_ld(client, page)
        assert data["inLanguage"] == "en"
        assert data["translationOfWork"] == {"@type": "Quotation", "inLanguage": "ru"}
        assert data["creator"]["roleName"] == "Deputy Minister of Culture"

    def test_translation_points_at_the_original_words(self, client):
        """The demo translates its quotations: the English words of a quotation said in
        Russian point at its Russian page."""
        english = QuotationPage.objects.get(locale__language_code="en", slug="olga-s-yarilova-2021")
        russian = english.get_translation(edition(2021, "ru").locale)
        assert russian.text.startswith("Непростой 2020 год побудил Министерство культуры России")
        data = api_json_ld(client, english)
        assert data["translationOfWork"] == {
            "@type": "Quotation",
            "inLanguage": "ru",
            "@id": full_url(russian) + "#quotation",
            "url": full_url(russian),
        }
        original = html_json_ld(client, russian)
        assert original["inLanguage"] == "ru"
        assert original["text"] == russian.text
        assert "translationOfWork" not in original
        # The Russian quotation links the Russian pages of its speaker and edition.
        assert original["creator"]["creator"]["url"] == full_url(speaker("Yarilova", "ru"))
        assert original["isPartOf"] == {"@id": full_url(edition(2021, "ru")) + "#event"}

    def test_quotation_index_lists_its_quotations(self, client):
        index = QuotationIndexPage.objects.get(locale__language_code="en")
        data = html_json_ld(client, index)
        items = data["mainEntity"]["itemListElement"]
        assert data["mainEntity"]["numberOfItems"] == len(items) == 5
        assert [i["position"] for i in items] == [1, 2, 3, 4, 5]
        assert {i["item"]["@type"] for i in items} == {"Quotation"}


@pytest.mark.usefixtures("demo")
class TestDocumentsAndAwards:
    @pytest.mark.parametrize("language", ["en", "ru"])
    def test_final_document_has_27_numbered_parts(self, client, language):
        page = in_language(GuidelineDocumentPage, language, slug="final-document")
        data = html_json_ld(client, page)
        url = full_url(page)
        assert data["@id"] == url + "#document"
        assert data["datePublished"] == data["dateCreated"] == "2019-04-25"
        assert data["publisher"]["@type"] == "Organization"
        assert len(data["creator"]) == 2  # approved by …, finalized by …
        assert data["recordedAt"] == {"@id": full_url(page.get_parent()) + "#event"}
        parts = data["hasPart"]
        expected = [
            f"{roman}.{n}"
            for roman, count in zip(ROMANS, GUIDELINE_COUNTS, strict=True)
            for n in range(1, count + 1)
        ]
        assert [p["identifier"] for p in parts] == expected
        assert [p["position"] for p in parts] == list(range(1, 28))
        guideline_ids = [g.id for _d, g in page.iter_guidelines()]
        assert [p["@id"] for p in parts] == [f"{url}#guideline-{i}" for i in guideline_ids]
        html = client.get(page.url).content.decode()
        for guideline_id in guideline_ids:  # every @id fragment is an anchor of the page
            assert f'id="guideline-{guideline_id}"' in html
        headings = [str(g.heading) for _d, g in page.iter_guidelines()]
        assert [p["name"] for p in parts] == headings
        assert parts[0]["isPartOf"]["identifier"] == "I"
        assert parts[-1]["isPartOf"]["identifier"] == "VI"
        if language == "ru":
            english = in_language(GuidelineDocumentPage, "en", slug="final-document")
            english_ids = [g.id for _d, g in english.iter_guidelines()]
            assert english_ids == guideline_ids  # ids survive translation
            assert any("RLA" not in p["name"] for p in parts)

    def test_award_is_a_thing_about_which_the_regulations_speak(self, client):
        award = AwardPage.objects.get(locale__language_code="en")
        data = html_json_ld(client, award)
        url = full_url(award)
        assert data["@type"] == "CreativeWork"
        assert data["about"]["@type"] == "Thing"
        assert data["about"]["@id"] == url + "#award"
        assert data["about"]["name"] == "Rudomino Award"
        assert data["about"]["additionalType"].startswith("http://www.wikidata.org/entity/")
        assert data["creator"]["alternateName"] == "LFL"
        assert data["dateCreated"] == award.established_on.isoformat()
        assert data["contributor"]["alternateName"] == "RLA"
        assert [a["@type"] for a in data["hasPart"]] == ["Article"]

    def test_announcement_is_about_the_award(self, client):
        announcement = AwardAnnouncementPage.objects.get(locale__language_code="ru")
        data = html_json_ld(client, announcement)
        award = announcement.get_parent().specific
        assert data["about"]["@id"] == full_url(award) + "#award"
        assert data["datePublished"] == "2021-04-20"
        assert data["recordedAt"]["@id"] == full_url(edition(2021, "ru")) + "#event"
        assert data["publisher"]["@type"] == "Organization"
        assert data["inLanguage"] == "ru"

    def test_winners_are_organizations_and_people_with_the_award(self, client):
        award = AwardPage.objects.get(locale__language_code="en")
        lfl = Organization.objects.get(locale__language_code="en", short_name="LFL")
        page = AwardAnnouncementPage(
            title="First winners",
            slug="first-winners",
            season_year=2022,
            kind="winners",
            announced_on=date(2022, 4, 21),
            winners=[
                {
                    "type": "winner",
                    "value": {
                        "place": 1,
                        "category": "Regional libraries",
                        "recipient_organization": lfl.pk,
                        "project_title": "Open borders",
                    },
                },
                {"type": "winner", "value": {"place": 2, "recipient_name": "Anna Petrova"}},
            ],
        )
        award.add_child(instance=page)
        page.save_revision().publish()
        data = api_json_ld(client, page)
        assert validate(data) == []
        award_ref, organization, person = data["about"]
        assert award_ref["@id"] == full_url(award) + "#award"
        assert organization["@type"] == "Organization"
        assert organization["name"] == lfl.name
        assert organization["@id"] == data["publisher"]["@id"]  # LFL, described in full there
        assert (
            organization["award"]
            == "Rudomino Award 2022, Place 1, Regional libraries, Open borders"
        )
        assert person == {
            "@type": "Person",
            "name": "Anna Petrova",
            "award": "Rudomino Award 2022, Place 2",
        }


# --- Privacy and safety ----------------------------------------------------------------------


@pytest.mark.usefixtures("demo")
class TestPrivacyAndEscaping:
    def test_private_speaker_is_left_out(self, client):
        lison = speaker("Lison")
        PageViewRestriction.objects.create(page=lison, restriction_type="login")
        lison_url = full_url(lison)
        for page in (
            edition(2021),
            QuotationPage.objects.get(locale__language_code="en", slug="barbara-lison-2021"),
            SpeakerIndexPage.objects.get(locale__language_code="en"),
        ):
            data = html_json_ld(client, page)
            assert lison_url not in json.dumps(data), page.url
        quotation = api_json_ld(
            client, QuotationPage.objects.get(locale__language_code="en", slug="barbara-lison-2021")
        )
        assert "creator" not in quotation
        panel = api_json_ld(client, edition(2021))["subEvent"][0]
        assert "performer" not in panel  # Lison was its only speaker

    def test_group_restricted_and_unpublished_pages_are_left_out(self, client):
        document = GuidelineDocumentPage.objects.get(locale__language_code="en")
        restriction = PageViewRestriction.objects.create(page=document, restriction_type="groups")
        restriction.groups.add(Group.objects.create(name="Steering committee"))
        data = api_json_ld(client, edition(2019))
        assert "workFeatured" not in data
        edition(2021).unpublish()
        index_data = html_json_ld(client, ForumIndexPage.objects.get(locale__language_code="en"))
        assert [e["name"] for e in index_data["subEvent"]] == ["ALMA 2019"]
        quotation = QuotationPage.objects.get(locale__language_code="en", slug="barbara-lison-2021")
        data = api_json_ld(client, quotation)
        assert "isPartOf" not in data and "recordedAt" not in data
        assert full_url(edition(2021)) not in json.dumps(data)

    def test_script_content_cannot_break_out(self, client):
        page = QuotationPage.objects.get(locale__language_code="en", slug="barbara-lison-2021")
        hostile = 'Leaders </script><script>alert("x")</script> <!-- & </SCRIPT >'
        page.text = hostile
        page.save_revision().publish()
        html = client.get(page.url).content.decode()
        assert "<script>alert" not in html
        assert "</SCRIPT >" not in html
        assert html.count("</script>") == html.count("<script")
        data = html_json_ld(client, page)
        assert data["text"] == hostile

    def test_json_ld_script_escapes_markup(self):
        rendered = str(json_ld_script({"text": "</script><b>&"}))
        assert rendered.startswith('<script type="application/ld+json">')
        assert "</script><b>" not in rendered
        assert "\\u003C/script\\u003E\\u003Cb\\u003E\\u0026" in rendered
        assert json.loads(SCRIPT_RE.search(rendered).group(1)) == {"text": "</script><b>&"}


# --- The validator itself must be able to fail -----------------------------------------------


def test_validator_reports_problems():
    bad = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": "x",
        "startDate": "20 April 2021",
        "eventAttendanceMode": "Hybrid",
        "colour": "red",
        "organizer": {"@type": "Place", "name": "LFL"},
        "location": {"@type": "Spaceship"},
        "url": "/en/relative/",
    }
    problems = "\n".join(validate(bad))
    assert "no property 'colour'" in problems
    assert "not an ISO 8601 date" in problems
    assert "'Hybrid' is not a known value" in problems
    assert "a Place where" in problems
    assert "unknown @type 'Spaceship'" in problems
    assert "not an absolute URL" in problems
    good = {
        "@type": "Person",
        "name": "A",
        "affiliation": {"@type": "Role", "affiliation": {"@type": "Organization", "name": "B"}},
    }
    assert validate(good) == []


# --- Query budget ----------------------------------------------------------------------------
# One page's JSON-LD on the sites of the ``growing`` fixture (2 and 4 of everything a page
# shows), for a fresh page instance and a fresh request, in steady state (a first call makes
# the renditions and fills Wagtail's site cache). Exact counts, the same for 2 and for 4 and on
# SQLite and PostgreSQL. Every page reads the page view restrictions (1; the locales are read
# once per process, alma_cms.scope.site_structure); one that shows images (logos, photos) reads
# the collection view restrictions, then the images with their renditions in one query (2); one
# that shows an image or a link reads the request's Site (1: "site"), whose address they start
# with when WAGTAILAPI_BASE_URL is unset, as here (a served page has found it already). Page
# URLs read the page's Site from Wagtail's cache.
JSON_LD_QUERIES = {
    # 1 + listing (ids and types, editions: 2), hosts, logos (2), site
    "forum_index": 7,
    # 1 + panel speakers (the blocks' own query), moderator, host, photos and logo (2), site,
    # the series (parent, as its class: 2), documents filed under it
    "edition": 10,
    # 1 + positions, their organizations, logos and photo (2), site
    "career": 6,
    # 1 + listing (ids and types, pages: 2)
    "speaker_index": 3,
    "quotation_index": 3,
    "guideline_index": 3,
    # 1 + edition adopted at, pages the guidelines link (ids and types, one per class: 3),
    # their photos (2), the edition's host and its logo (2: a second round of images), site
    # (once: for the links' URLs and the images')
    "document": 10,
    # 1 + partners (the blocks' query), logos (2), site, announcements (ids and types, pages)
    "award": 7,
    # 1 + award (parent, as its class: 2), recipients (the blocks' query), edition announced
    # at, logos (2), site
    "winners": 8,
    # 1 + speaker, edition, the speaker's photo (with its rendition; no logo, no restrictions
    # read: the representation does not show it)
    "quotation": 4,
}


def fresh(page):
    return Page.objects.get(pk=page.pk).specific


def site_request(site):
    """A request to ``site`` (``localhost:<port>``), as its visitors send."""
    return RequestFactory().get("/", HTTP_HOST=site.host, SERVER_PORT=site.host.split(":")[1])


def shown(name, data):
    """How many of the things that grow ``data`` (the JSON-LD of page ``name``) shows."""
    as_list = lambda value: value if isinstance(value, list) else [value]  # noqa: E731
    return {
        "forum_index": lambda: len(data["subEvent"]),
        "edition": lambda: len(data["subEvent"]),
        "career": lambda: len(data["affiliation"]),
        "speaker_index": lambda: data["mainEntity"]["numberOfItems"] // 2,
        "quotation_index": lambda: data["mainEntity"]["numberOfItems"],
        "guideline_index": lambda: data["mainEntity"]["numberOfItems"],
        "document": lambda: len(data["hasPart"]),
        "award": lambda: len(as_list(data["contributor"])),
        "winners": lambda: len(data["about"]) - 1,  # the award, then each winner
        "quotation": lambda: None,
    }[name]()


def page_named(site, name):
    return site.quotations[0] if name == "quotation" else getattr(site, name)


@pytest.mark.parametrize("name", list(JSON_LD_QUERIES))
def test_json_ld_costs_the_same_for_2_and_4(growing, name, django_assert_num_queries):
    for count, site in growing.items():
        page = page_named(site, name)
        page_json_ld(fresh(page), site_request(site))
        page, request = fresh(page), site_request(site)
        with django_assert_num_queries(JSON_LD_QUERIES[name]):
            data = page_json_ld(page, request)
        assert shown(name, data) in (count, None), (name, count)
        assert validate(data) == [], name


def test_edition_json_ld_shows_every_panel_speaker(growing):
    site = growing[4]
    data = page_json_ld(fresh(site.edition), site_request(site))
    performers = [[person["name"] for person in panel["performer"]] for panel in data["subEvent"]]
    assert performers == [
        [f"Speaker Number {2 * i}", f"Speaker Number {2 * i + 1}"] for i in range(4)
    ]
    assert [work["name"] for work in data["workFeatured"]] == ["Document 8004 1", "Document 8004 3"]


def test_every_entry_point_costs_the_same(growing, django_assert_num_queries):
    """``{% alma_json_ld page %}``, ``page.get_json_ld(request)`` and ``page_json_ld(page,
    request, scope)``: one scope for the request, the same queries."""
    site = growing[4]
    template = Template("{% load alma_cms_tags %}{% alma_json_ld page %}")
    calls = [
        lambda page, request: template.render(Context({"page": page, "request": request})),
        lambda page, request: page.get_json_ld(request),
        lambda page, request: page_json_ld(page, request, get_scope(request)),
    ]
    for call in calls:
        call(fresh(site.edition), site_request(site))
        page, request = fresh(site.edition), site_request(site)
        with django_assert_num_queries(JSON_LD_QUERIES["edition"]):
            call(page, request)
