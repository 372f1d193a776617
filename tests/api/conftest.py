"""Fixtures of the API tests.

The v2 tests run against ``tests.api.urls_v2``: alma-cms's router at ``/api/v2/`` and stock
Wagtail v2 at ``/stock/v2/`` (the autouse ``_v2_settings``); the v3, OpenAPI and guideline tests
ask for ``v3_urls``. Content comes from ``tests/testapp/factories.py`` (the ``alma`` site of
``tests/conftest.py``), from builders below, or from the demo (``demo_site``, ``v3_demo``).
Test modules import constants and helpers from ``tests/api/helpers.py``, never from here.
"""

from types import SimpleNamespace

import pytest
from wagtail.models import Locale

from alma_cms.api.schemas import register_block_schema
from tests.api.helpers import (
    PAST,
    V3_URLS,
    D,
    backdate_all,
    clear_caches,
    load_demo,
    load_demo_quietly,
    module_transaction,
    translate_page,
)
from tests.db_snapshot import build_once
from tests.testapp.blocks import PollBlock


# The test app stands for a site that adds a block through the alma_cms_register_blocks hook.
# Its PollBlock adds "option_count" to its API output, so alma-cms cannot infer its schema: the
# site registers one, as a site does for a block it cannot give a get_api_schema() method.
@register_block_schema(PollBlock)
def poll_block_schema(block, generator):
    schema = generator.struct(block, extra={"option_count": {"type": "integer", "minimum": 0}})
    return schema


@pytest.fixture(autouse=True)
def _v2_settings(settings):
    settings.ROOT_URLCONF = "tests.api.urls_v2"
    settings.WAGTAILAPI_LIMIT_MAX = 100


@pytest.fixture
def v3_urls(settings):
    """Serve :data:`~tests.api.helpers.V3_URLS`. Request it explicitly (``usefixtures``):
    explicit fixtures run after autouse ones, such as ``_v2_settings`` above."""
    settings.ROOT_URLCONF = V3_URLS


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def translate(page, locale, **changes):
    """A published copy of ``page`` in ``locale`` (its parent must be translated already)."""
    from wagtail.models import Page

    copy = page.copy_for_translation(locale)
    for name, value in changes.items():
        setattr(copy, name, value)
    copy.save()
    publish(copy)
    return Page.objects.get(pk=copy.pk).specific


# --- Russian translations of part of the ``alma`` site ---------------------------------------


@pytest.fixture
def alma_ru(alma):
    """Russian copies of the home page, the forum index, ALMA 2021, the speaker index and
    Christine Mackenzie (so the 2021 edition's panel has a Russian speaker to point at), made
    inside the test's transaction. Every page is dated PAST."""
    from tests.testapp.factories import ensure_locale

    ru = ensure_locale("ru")
    home = translate(alma.home, ru, title="Главная")
    forum = translate(alma.forum_index, ru, title="Форум")
    edition = translate(alma.edition_2021, ru, title="ALMA 2021 (рус.)")
    speakers = translate(alma.speaker_index, ru, title="Спикеры")
    mackenzie = translate(
        alma.mackenzie, ru, title="Кристин Маккензи", given_name="Кристин", family_name="Маккензи"
    )
    backdate_all()
    clear_caches()
    return SimpleNamespace(
        locale=ru,
        home=home,
        forum_index=forum,
        edition_2021=edition,
        speaker_index=speakers,
        mackenzie=mackenzie,
    )


@pytest.fixture(scope="module")
def ru_final_document(alma_data, django_db_blocker):
    """The module's ALMA test site (``alma_data``) plus a published Russian translation of the
    final document whose guideline II.3 is translated. Returns the Russian document."""
    with django_db_blocker.unblock():
        locale = Locale.objects.get_or_create(language_code="ru")[0]
        source = alma_data.final_document.specific
        directions = source.directions.raw_data
        directions = [dict(item) for item in directions]
        second = directions[1]
        guidelines = [dict(g, value=dict(g["value"])) for g in second["value"]["guidelines"]]
        guidelines[2]["value"]["title"] = "Библиотеки и исследования: пункт c"
        directions[1] = dict(second, value=dict(second["value"], guidelines=guidelines))
        return translate_page(
            source, locale, title="Итоговый документ ALMA 2019", directions=directions
        )


# --- The demo site ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker, media_root):
    """The ALMA demo (``alma_load_demo``), loaded once per test module and rolled back."""
    with module_transaction(django_db_blocker):
        load_demo()
        clear_caches()
        yield


@pytest.fixture
def demo(demo_site, db):
    from wagtail.models import Page

    def page(url_path):
        return Page.objects.get(url_path=url_path).specific

    return SimpleNamespace(page=page)


@pytest.fixture(scope="module")
def v3_demo(django_db_setup, django_db_blocker, media_root):
    """The ALMA demo (``manage.py alma_load_demo``: both editions, the final document, both
    locales), loaded once for the module and rolled back after it."""
    with module_transaction(django_db_blocker):
        load_demo_quietly()
        yield


# --- API v3's OpenAPI document ------------------------------------------------------------


@pytest.fixture(scope="module")
def v3_document():
    """The OpenAPI document /api/v3/openapi.json publishes, built once per module (Wagtail's
    part takes about a second). Tests that change hooks build their own with
    :func:`~tests.api.helpers.openapi_document`; test_openapi checks this one is the one
    served."""
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    from alma_cms.api.v3 import api

    schema = api.get_openapi_schema(path_prefix="/api/v3/")
    return json.loads(json.dumps(schema, cls=DjangoJSONEncoder))


# --- A site big enough to measure query counts ---------------------------------------------

BULK = 100


def _edition_body(speakers, quotation, image, document, link_target, organization):
    """The same shape for every bulk edition: every kind of reference once or twice."""
    from tests.testapp.factories import list_items

    first, second, third = speakers
    return [
        {
            "type": "paragraph",
            "value": (
                f'<p>See <a linktype="page" id="{link_target.pk}">the index</a> and '
                f'<a linktype="document" id="{document.pk}">the report</a>.</p>'
            ),
        },
        {"type": "speaker_list", "value": {"title": "", "speakers": list_items([first.pk])}},
        {"type": "featured_quotation", "value": {"quotation": quotation.pk}},
        {"type": "image", "value": {"image": image.pk, "alt": "", "caption": "", "credit": ""}},
        {
            "type": "discussion_panel",
            "value": {
                "title": "Panel",
                "scope": "international",
                "moderator": {"speaker": second.pk, "name": "", "role": "", "topic": ""},
                "speakers": list_items(
                    [{"speaker": third.pk, "name": "", "role": "", "topic": "Topic"}]
                ),
                "summary": "<p>Summary.</p>",
            },
        },
        {
            "type": "organization_list",
            "value": {
                "title": "",
                "relation": "partners",
                "organizations": list_items([organization.pk]),
            },
        },
        {
            "type": "link_list",
            "value": {
                "title": "",
                "links": list_items(
                    [{"title": "Index", "page": link_target.pk, "url": "", "description": ""}]
                ),
            },
        },
        {"type": "document", "value": {"document": document.pk, "title": "", "description": ""}},
    ]


def _add(parent, page):
    """Add a live page without a revision (fast: the bulk site is only read)."""
    parent.add_child(instance=page)
    return page


def build_bulk_site(count=BULK):
    """``count`` speakers (each with a photo and two positions), quotations, editions (each
    body referring to three speakers, a quotation, an image, a document, an organization and
    a page, inside blocks and rich text), guideline documents and award announcements, plus
    two editions whose bodies hold 8 and 80 such blocks (1 and 10 rounds of the 8 kinds).

    Pages are added live without revisions and without updating the reference index: the
    site is only read."""
    from django.test import override_settings
    from wagtail.models import Page
    from wagtail.signal_handlers import disable_reference_index_auto_update

    from tests.testapp.factories import directions_raw, home_page, make_document, make_image

    add_page = _add
    home = home_page()
    # No search indexing either: the bulk site is not searched.
    no_index = {"default": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False}}
    with disable_reference_index_auto_update(), override_settings(WAGTAILSEARCH_BACKENDS=no_index):
        site = _build_bulk_site(count, home, add_page, directions_raw, make_document, make_image)
    Page.objects.filter(path__startswith=home.path, depth__gt=home.depth).update(
        first_published_at=PAST, last_published_at=PAST
    )
    return site


def _build_bulk_site(count, home, add_page, directions_raw, make_document, make_image):
    from alma_cms.models import Organization
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
        SpeakerPosition,
    )

    logos = [make_image(f"Logo {i}", width=8, height=8) for i in range(10)]
    orgs = [
        Organization.objects.create(
            name=f"Library {i}", short_name=f"L{i}", kind="library", logo=logos[i % 10]
        )
        for i in range(count)
    ]
    document = make_document("Bulk report")
    forum = add_page(home, ForumIndexPage(title="Bulk forum", slug="bulk-forum"))
    # The edition quotations were said at, and the 8- and 80-block editions, live apart, so
    # that each listing below holds exactly ``count`` pages built alike.
    other_forum = add_page(home, ForumIndexPage(title="Other forum", slug="other-forum"))
    speaker_index = add_page(home, SpeakerIndexPage(title="Bulk speakers", slug="bulk-speakers"))
    quoted_index = add_page(home, SpeakerIndexPage(title="Quoted speakers", slug="quoted"))
    quotation_index = add_page(
        home, QuotationIndexPage(title="Bulk quotations", slug="bulk-quotations")
    )
    doc_index = add_page(home, GuidelineDocumentIndexPage(title="Bulk docs", slug="bulk-docs"))
    award = add_page(home, AwardPage(title="Bulk award", slug="bulk-award", name="Bulk award"))

    # Speakers 0..count-1 appear in editions; the last QUOTED ones only said the quotations,
    # so a quotation's speaker is always a second-level reference.
    quoted = 20
    speakers = []
    for i in range(count + quoted):
        speaker = SpeakerPage(
            title=f"Speaker {i}",
            slug=f"speaker-{i}",
            given_name="Speaker",
            family_name=f"Number{i}",
            photo=make_image(f"Photo {i}", width=8, height=8),
            short_bio="A speaker.",
            bio=f'<p>Works with <a linktype="page" id="{forum.pk}">the forum</a>.</p>',
        )
        for j in range(2):
            speaker.positions.add(
                SpeakerPosition(
                    role_title=f"Role {j}",
                    organization=orgs[(i + j) % len(orgs)],
                    start_date=D(2010 + j, 1, 1),
                )
            )
        speakers.append(add_page(speaker_index if i < count else quoted_index, speaker))

    host_edition = add_page(
        other_forum,
        ForumEditionPage(
            title="Bulk host",
            slug="bulk-host",
            year=2000,
            theme="Host",
            start_date=D(2000, 4, 1),
            host=orgs[0],
        ),
    )
    quotations = [
        add_page(
            quotation_index,
            QuotationPage(
                title=f"Quotation {i}",
                slug=f"quotation-{i}",
                text=f"Words {i}.",
                speaker=speakers[count + (i % quoted)],
                forum_edition=host_edition,
                said_on=D(2000, 4, 1),
            ),
        )
        for i in range(count)
    ]
    # Body images: other speakers' photos (distinct per edition).
    images = [speakers[(i + count // 2) % count].photo for i in range(count)]

    editions = []
    for i in range(count):
        editions.append(
            add_page(
                forum,
                ForumEditionPage(
                    title=f"Edition {i}",
                    slug=f"edition-{i}",
                    year=2001 + i,
                    theme=f"Theme {i}",
                    start_date=D(2001 + i, 4, 1),
                    format=["in_person", "online", "hybrid"][i % 3],
                    host=orgs[i % len(orgs)],
                    moderator=speakers[i],
                    outcome=f'<p><a linktype="page" id="{speaker_index.pk}">Speakers</a></p>',
                    body=_edition_body(
                        [speakers[i], speakers[(i + 1) % count], speakers[(i + 2) % count]],
                        quotations[i],
                        images[i],
                        document,
                        speaker_index,
                        orgs[i % len(orgs)],
                    ),
                ),
            )
        )

    def long_body(repeats, offset):
        body = []
        for r in range(repeats):
            k = offset + r
            body += _edition_body(
                [speakers[k], speakers[k + 1], speakers[k + 2]],
                quotations[k],
                images[k],
                document,
                speaker_index,
                orgs[k % len(orgs)],
            )
        return body

    short = add_page(
        other_forum,
        ForumEditionPage(
            title="Short body",
            slug="short-body",
            year=1990,
            theme="Short",
            start_date=D(1990, 4, 1),
            body=long_body(1, 0),
        ),
    )
    long = add_page(
        other_forum,
        ForumEditionPage(
            title="Long body",
            slug="long-body",
            year=1991,
            theme="Long",
            start_date=D(1991, 4, 1),
            body=long_body(10, 20),
        ),
    )

    documents = [
        add_page(
            doc_index,
            GuidelineDocumentPage(
                title=f"Document {i}",
                slug=f"document-{i}",
                adopted_on=D(2001 + i, 4, 1),
                adopted_at=editions[i],
                status="finalized",
                introduction=f'<p><a linktype="page" id="{forum.pk}">Forum</a></p>',
                directions=directions_raw(counts=[1, 1, 1, 1, 2], actor=orgs[i % len(orgs)]),
            ),
        )
        for i in range(count)
    ]
    announcements = [
        add_page(
            award,
            AwardAnnouncementPage(
                title=f"Announcement {i}",
                slug=f"announcement-{i}",
                season_year=2001 + i,
                kind="winners",
                announced_at=editions[i],
                announced_on=D(2001 + i, 4, 1),
                winners=[
                    {
                        "type": "winner",
                        "value": {
                            "place": 1,
                            "category": "",
                            "recipient_name": "",
                            "recipient_organization": orgs[i % len(orgs)].pk,
                            "project_title": "",
                            "citation": (
                                f'<p><a linktype="page" id="{speakers[i].pk}">Jury</a></p>'
                            ),
                            "prize": "",
                        },
                    }
                ],
            ),
        )
        for i in range(count)
    ]
    return SimpleNamespace(
        forum=forum,
        speaker_index=speaker_index,
        quotation_index=quotation_index,
        doc_index=doc_index,
        award=award,
        organizations=orgs,
        document=document,
        speakers=speakers[:count],
        quotations=quotations,
        editions=editions,
        documents=documents,
        announcements=announcements,
        short=short,
        long=long,
    )


@pytest.fixture(scope="module")
def bulk_data(django_db_setup, django_db_blocker, media_root):
    with module_transaction(django_db_blocker):
        data = build_once("bulk", build_bulk_site)
        clear_caches()
        yield data


@pytest.fixture
def bulk(bulk_data, db):
    return bulk_data
