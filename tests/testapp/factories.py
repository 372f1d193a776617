"""Builders for test content: a small ALMA site with every page type, real images and documents.

The prose is written for the tests; the facts (dates, counts, people, titles) follow
``shared/DOMAIN.md``. Every builder saves through Wagtail's own API (``add_child``,
``save_revision().publish()``), so pages are validated the way the admin validates them.
"""

import datetime
import io
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

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

D = datetime.date

# Six directions holding 5, 5, 6, 4, 4 and 3 guidelines, as in the 2019 final document.
# Direction V is the one whose guidelines are roles taken by the RLA.
DIRECTION_TITLES = [
    "Advocacy for libraries",
    "Libraries and research",
    "Reading among the young",
    "Young professionals",
    "The association's roles",
    "Working with other sectors",
]
GUIDELINE_COUNTS = [5, 5, 6, 4, 4, 3]
ROLES_OF_DIRECTION_V = ["Visionary", "Marketing Analyst", "Technologist", "Analyst"]
LETTERS = "abcdefgh"


def guideline_title(direction_index, guideline_index):
    """A title that names its direction and place by words, never by the computed number."""
    return f"{DIRECTION_TITLES[direction_index]}: point {LETTERS[guideline_index]}"


def make_png(width=40, height=30, color=(200, 30, 30)):
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), color).save(buffer, format="PNG")
    return buffer.getvalue()


def make_image(title="Forum hall", width=40, height=30, description=""):
    image_model = get_image_model()
    kwargs = {
        "title": title,
        "file": ImageFile(io.BytesIO(make_png(width, height)), name=f"{uuid.uuid4().hex[:8]}.png"),
    }
    if description and any(f.name == "description" for f in image_model._meta.fields):
        kwargs["description"] = description
    return image_model.objects.create(**kwargs)


def make_document(title="ALMA 2019 Final Document"):
    return get_document_model().objects.create(
        title=title, file=ContentFile(b"%PDF-1.4 test document\n", name="alma-2019.pdf")
    )


def home_page():
    return Site.objects.get(is_default_site=True).root_page.specific


def add_page(parent, page, publish=True):
    """Add ``page`` under ``parent`` as an editor would: create it, then publish a revision."""
    if not publish:
        page.live = False
    parent.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    page.refresh_from_db()
    return page


def reload(page):
    return Page.objects.get(pk=page.pk).specific


def list_items(values, legacy=False):
    """ListBlock raw data in the block format the admin posts (each item with its own id).

    ``legacy=True`` gives the older plain-list format (what hand-written data often uses).
    """
    if legacy:
        return list(values)
    return [{"type": "item", "value": value, "id": str(uuid.uuid4())} for value in values]


def directions_raw(counts=GUIDELINE_COUNTS, actor=None, legacy=False):
    """Raw StreamField data for the directions of a document shaped like the 2019 one."""
    stream = []
    for d, count in enumerate(counts):
        guidelines = []
        for g in range(count):
            if d == 4 and actor is not None:
                role = ROLES_OF_DIRECTION_V[g % 4]
                guidelines.append(
                    {
                        "title": "",
                        "actor": actor.pk,
                        "role": role,
                        "text": f"<p>What the association does as {role}.</p>",
                    }
                )
            else:
                guidelines.append(
                    {"title": guideline_title(d, g), "actor": None, "role": "", "text": ""}
                )
        stream.append(
            {
                "type": "direction",
                "value": {
                    "title": DIRECTION_TITLES[d],
                    "summary": f"<p>Why {DIRECTION_TITLES[d].lower()} matters.</p>",
                    "guidelines": list_items(guidelines, legacy=legacy),
                },
                "id": str(uuid.uuid4()),
            }
        )
    return stream


@dataclass
class AlmaSite:
    home: Page
    lfl: Organization
    ifla: Organization
    rla: Organization
    photo: object
    forum_index: ForumIndexPage
    edition_2019: ForumEditionPage
    edition_2021: ForumEditionPage
    speaker_index: SpeakerIndexPage
    mackenzie: SpeakerPage
    lison: SpeakerPage
    gorokhova: SpeakerPage
    quotation_index: QuotationIndexPage
    quotation: QuotationPage
    guideline_index: GuidelineDocumentIndexPage
    final_document: GuidelineDocumentPage
    award: AwardPage
    established: AwardAnnouncementPage
    winners: AwardAnnouncementPage

    def fresh(self):
        """A copy with every object reloaded from the database (tests may mutate it freely)."""
        values = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if isinstance(value, Page):
                values[name] = reload(value)
            elif hasattr(value, "_meta") and value.pk is not None:
                values[name] = type(value).objects.get(pk=value.pk)
            else:
                values[name] = value
        return AlmaSite(**values)


# Every ALMA page type, and the page of each type in the site ``build_alma_site`` makes.
PAGE_TYPES = [
    ForumIndexPage,
    ForumEditionPage,
    SpeakerIndexPage,
    SpeakerPage,
    QuotationIndexPage,
    QuotationPage,
    GuidelineDocumentIndexPage,
    GuidelineDocumentPage,
    AwardPage,
    AwardAnnouncementPage,
]


def page_of_type(alma, model):
    """The page of type ``model`` in ``alma`` (an :class:`AlmaSite`)."""
    return {
        ForumIndexPage: alma.forum_index,
        ForumEditionPage: alma.edition_2021,
        SpeakerIndexPage: alma.speaker_index,
        SpeakerPage: alma.mackenzie,
        QuotationIndexPage: alma.quotation_index,
        QuotationPage: alma.quotation,
        GuidelineDocumentIndexPage: alma.guideline_index,
        GuidelineDocumentPage: alma.final_document,
        AwardPage: alma.award,
        AwardAnnouncementPage: alma.winners,
    }[model]


def make_organizations():
    lfl = Organization.objects.create(
        name="M.I. Rudomino All-Russia State Library for Foreign Literature",
        short_name="LFL",
        kind=Organization.Kind.LIBRARY,
        city="Moscow",
        country="RU",
        url="https://libfl.ru/",
    )
    ifla = Organization.objects.create(
        name="International Federation of Library Associations and Institutions",
        short_name="IFLA",
        kind=Organization.Kind.ASSOCIATION,
        city="The Hague",
        country="NL",
    )
    rla = Organization.objects.create(
        name="Russian Library Association",
        short_name="RLA",
        kind=Organization.Kind.ASSOCIATION,
        country="RU",
    )
    return lfl, ifla, rla


def make_speaker(parent, given, family, middle="", positions=(), photo=None, publish=True):
    speaker = SpeakerPage(
        title=" ".join(p for p in (given, middle, family) if p),
        given_name=given,
        middle_name=middle,
        family_name=family,
        photo=photo,
        short_bio=f"{given} {family} works with libraries.",
    )
    for role_title, organization, start, end in positions:
        speaker.positions.add(
            SpeakerPosition(
                role_title=role_title, organization=organization, start_date=start, end_date=end
            )
        )
    return add_page(parent, speaker, publish=publish)


def build_alma_site():
    """Every page type once (announcements twice), all live, under the default site's root."""
    home = home_page()
    lfl, ifla, rla = make_organizations()
    photo = make_image("Christine Mackenzie", description="Portrait of Christine Mackenzie")

    forum_index = add_page(
        home, ForumIndexPage(title="Forum", slug="forum", intro="<p>Every ALMA edition.</p>")
    )
    edition_2019 = add_page(
        forum_index,
        ForumEditionPage(
            title="ALMA 2019",
            slug="alma-2019",
            year=2019,
            edition_number=3,
            theme="Strong Professional Association – Strong Libraries – Strong Communities",
            start_date=D(2019, 4, 25),
            format="in_person",
            venue="Library for Foreign Literature",
            city="Moscow",
            host=lfl,
            participant_count=80,
            participant_count_qualifier="about",
            countries_count=4,
            regions_count=20,
            regions_count_qualifier="more_than",
            summary="The third annual foresight session.",
        ),
    )
    speaker_index = add_page(home, SpeakerIndexPage(title="Speakers", slug="speakers"))
    mackenzie = make_speaker(
        speaker_index,
        "Christine",
        "Mackenzie",
        photo=photo,
        positions=[
            ("President-elect", ifla, D(2017, 8, 1), D(2019, 8, 31)),
            ("President", ifla, D(2019, 9, 1), D(2021, 8, 31)),
        ],
    )
    lison = make_speaker(
        speaker_index,
        "Barbara",
        "Lison",
        positions=[
            ("President-elect", ifla, D(2019, 9, 1), D(2021, 8, 31)),
        ],
    )
    gorokhova = make_speaker(
        speaker_index,
        "Svetlana",
        "Gorokhova",
        middle="A.",
        positions=[
            ("Deputy Director General", lfl, D(2015, 1, 1), None),
        ],
    )
    edition_2021 = add_page(
        forum_index,
        ForumEditionPage(
            title="ALMA 2021",
            slug="alma-2021",
            year=2021,
            theme="Is Library a Leader or a Non-Player Character?",
            start_date=D(2021, 4, 20),
            duration_hours=4,
            format="hybrid",
            host=lfl,
            moderator=gorokhova,
            participant_count=147,
            online_viewer_count=1500,
            online_viewer_count_qualifier="about",
            summary="A hybrid session on library leadership.",
            body=[
                {"type": "heading", "value": {"text": "Panels", "level": "h2", "anchor": "panels"}},
                {
                    "type": "discussion_panel",
                    "value": {
                        "title": "International panel",
                        "scope": "international",
                        "moderator": {"speaker": gorokhova.pk, "name": "", "role": "", "topic": ""},
                        "speakers": list_items(
                            [
                                {
                                    "speaker": mackenzie.pk,
                                    "name": "",
                                    "role": "",
                                    "topic": "Leadership in IFLA",
                                }
                            ]
                        ),
                        "summary": "<p>Leaders share their view.</p>",
                    },
                },
                {
                    "type": "statistics",
                    "value": {
                        "title": "Figures",
                        "items": list_items(
                            [{"label": "participants", "value": 147, "qualifier": "exact"}]
                        ),
                    },
                },
                {
                    "type": "speaker_list",
                    "value": {
                        "title": "Speakers",
                        "speakers": list_items([mackenzie.pk, lison.pk]),
                    },
                },
            ],
        ),
    )
    quotation_index = add_page(home, QuotationIndexPage(title="Quotations", slug="quotations"))
    quotation = add_page(
        quotation_index,
        QuotationPage(
            title="Mackenzie on leadership",
            slug="mackenzie-on-leadership",
            text="Libraries lead when they listen.",
            speaker=mackenzie,
            forum_edition=edition_2021,
            said_on=D(2021, 4, 20),
            original_language="en",
        ),
    )
    guideline_index = add_page(
        home, GuidelineDocumentIndexPage(title="Documents", slug="documents")
    )
    final_document = add_page(
        guideline_index,
        GuidelineDocumentPage(
            title="ALMA 2019 Final Document",
            slug="alma-2019-final-document",
            adopted_on=D(2019, 4, 25),
            adopted_at=edition_2019,
            status="finalized",
            approved_by="the participants of the session",
            finalized_by="the Steering Committee",
            audience="The RLA and other library associations.",
            introduction="<p>The participants drafted these guidelines.</p>",
            directions=directions_raw(actor=rla),
            conclusion="<p>The document is of a recommendatory nature.</p>",
            links=[
                {
                    "type": "link",
                    "value": {
                        "title": "IFLA",
                        "page": None,
                        "url": "https://www.ifla.org/",
                        "description": "",
                    },
                }
            ],
        ),
    )
    award = add_page(
        home,
        AwardPage(
            title="Rudomino Award",
            slug="rudomino-award",
            name="Rudomino Award",
            named_after="Margarita Rudomino",
            established_on=D(2021, 4, 20),
            established_by=lfl,
            partners=[{"type": "organization", "value": rla.pk}],
            purpose="<p>For the international activities of Russian libraries.</p>",
        ),
    )
    established = add_page(
        award,
        AwardAnnouncementPage(
            title="The award is established",
            slug="established",
            season_year=2021,
            announced_on=D(2021, 4, 20),
            announced_at=edition_2021,
            kind="established",
            summary="LFL established the Rudomino Award for its centenary.",
        ),
    )
    winners = add_page(
        award,
        AwardAnnouncementPage(
            title="First winners",
            slug="first-winners",
            season_year=2022,
            kind="winners",
            summary="The first winners.",
            winners=[
                {
                    "type": "winner",
                    "value": {
                        "place": 1,
                        "category": "Regional libraries",
                        "recipient_name": "",
                        "recipient_organization": lfl.pk,
                        "project_title": "Open borders",
                        "citation": "<p>For opening the collections to the world.</p>",
                        "prize": "A diploma",
                    },
                }
            ],
        ),
    )
    return AlmaSite(
        home=home,
        lfl=lfl,
        ifla=ifla,
        rla=rla,
        photo=photo,
        forum_index=forum_index,
        edition_2019=edition_2019,
        edition_2021=edition_2021,
        speaker_index=speaker_index,
        mackenzie=mackenzie,
        lison=lison,
        gorokhova=gorokhova,
        quotation_index=quotation_index,
        quotation=quotation,
        guideline_index=guideline_index,
        final_document=final_document,
        award=award,
        established=established,
        winners=winners,
    )


def ensure_locale(code):
    return Locale.objects.get_or_create(language_code=code)[0]


# --- Content that grows, for query budgets --------------------------------------------------


def _add_live(parent, page):
    """Add a live page without a revision (fast: the content is only read)."""
    parent.add_child(instance=page)
    return page


def _participant(speaker, topic=""):
    return {"speaker": speaker.pk, "name": "", "role": "", "topic": topic}


def build_growing_site(count, port):
    """Every page type with ``count`` of everything its JSON-LD or iCal feed lists, on a site
    of its own (``localhost:<port>``, so that listings of a whole site see only it):

    - a forum index with ``count`` editions, each hosted by its own organization (with a
      logo) and moderated by its own speaker;
    - an edition (the first) with ``count`` discussion panels of two speakers each, and
      ``count`` guideline documents adopted at it, every other one filed under it;
    - a speaker (the first) with ``count`` positions, each at its own organization;
    - ``count`` quotations, a document (the first) with ``count`` guidelines whose texts link
      pages, an award with ``count`` partners and announcements, and an announcement (the
      first) with ``count`` winners.

    The sections below the home page are in the site's menu (``show_in_menus``). A page type's
    query count must be the same for ``count`` and ``2 * count``. Pages are added live without
    revisions: the content is only read."""
    from types import SimpleNamespace

    tag = str(port)
    home = _add_live(Page.get_first_root_node(), Page(title=f"Growing {tag}", slug=f"grow-{tag}"))
    Site.objects.create(hostname="localhost", port=port, root_page=home, site_name=tag)
    organizations = [
        Organization.objects.create(
            name=f"Library {tag} {i}",
            short_name=f"L{tag}{i}",
            kind=Organization.Kind.LIBRARY,
            city=f"City {i}",
            country="RU",
            logo=make_image(f"Logo {tag} {i}", width=8, height=8),
        )
        for i in range(count)
    ]
    speaker_index = _add_live(
        home, SpeakerIndexPage(title="Speakers", slug="speakers", show_in_menus=True)
    )
    speakers = []
    for i in range(2 * count):
        speaker = SpeakerPage(
            title=f"Speaker {tag} {i}",
            slug=f"speaker-{i}",
            given_name="Speaker",
            family_name=f"Number {i}",
            photo=make_image(f"Photo {tag} {i}", width=8, height=8),
        )
        speaker.positions.add(
            SpeakerPosition(
                role_title="Director", organization=organizations[i % count], start_date=None
            )
        )
        speakers.append(_add_live(speaker_index, speaker))
    career = speakers[0]
    for i in range(1, count):  # ``count`` positions in all, each at its own organization
        SpeakerPosition.objects.create(
            page=career,
            role_title=f"Role {i}",
            organization=organizations[i],
            start_date=D(2000 + i, 1, 1),
            end_date=D(2000 + i, 12, 31),
            sort_order=i,
        )

    forum_index = _add_live(home, ForumIndexPage(title="Forum", slug="forum", show_in_menus=True))
    editions = [
        _add_live(
            forum_index,
            ForumEditionPage(
                title=f"Edition {tag} {i}",
                slug=f"edition-{i}",
                year=2001 + i,
                theme=f"Theme {i}",
                start_date=D(2001 + i, 4, 1),
                format=["in_person", "online", "hybrid"][i % 3],
                venue="" if i % 2 else "Hall",
                city="" if i % 2 else "Moscow",
                host=organizations[i],
                moderator=speakers[i],
                recording_url="https://example.org/stream",
                summary=f"Summary {i}.",
            ),
        )
        for i in range(count)
    ]
    edition = editions[0]
    edition.body = [
        {
            "type": "discussion_panel",
            "value": {
                "title": f"Panel {i}",
                "scope": "international",
                "moderator": _participant(speakers[2 * i]),
                "speakers": list_items(
                    [_participant(speakers[2 * i + 1], "Topic"), _participant(speakers[2 * i])]
                ),
                "summary": "<p>Summary.</p>",
            },
        }
        for i in range(count)
    ]
    edition.save()

    guideline_index = _add_live(
        home, GuidelineDocumentIndexPage(title="Docs", slug="docs", show_in_menus=True)
    )
    documents = []
    for i in range(count):
        parent = edition if i % 2 else guideline_index
        documents.append(
            _add_live(
                parent,
                GuidelineDocumentPage(
                    title=f"Document {tag} {i}",
                    slug=f"document-{i}",
                    adopted_on=edition.start_date,
                    adopted_at=edition,
                    status="finalized",
                ),
            )
        )
    document = documents[0]
    document.directions = [
        {
            "type": "direction",
            "value": {
                "title": "Direction",
                "summary": "",
                "guidelines": list_items(
                    [
                        {
                            "title": f"Guideline {i}",
                            "actor": None,
                            "role": "",
                            "text": (
                                f'<p>See <a linktype="page" id="{speakers[i].pk}">a speaker</a>'
                                f' and <a linktype="page" id="{editions[i].pk}">an edition</a>.'
                                "</p>"
                            ),
                        }
                        for i in range(count)
                    ]
                ),
            },
        }
    ]
    document.save()

    quotation_index = _add_live(
        home, QuotationIndexPage(title="Quotations", slug="quotations", show_in_menus=True)
    )
    quotations = [
        _add_live(
            quotation_index,
            QuotationPage(
                title=f"Quotation {tag} {i}",
                slug=f"quotation-{i}",
                text=f"Words {i}.",
                speaker=speakers[i],
                forum_edition=editions[i],
                said_on=editions[i].start_date,
            ),
        )
        for i in range(count)
    ]

    award = _add_live(
        home,
        AwardPage(
            title="Award",
            slug="award",
            show_in_menus=True,
            name=f"Award {tag}",
            established_by=organizations[0],
            partners=[{"type": "organization", "value": o.pk} for o in organizations],
            purpose="<p>For libraries.</p>",
            eligibility="<p>Libraries.</p>",
        ),
    )
    announcements = [
        _add_live(
            award,
            AwardAnnouncementPage(
                title=f"Announcement {tag} {i}",
                slug=f"announcement-{i}",
                season_year=2001 + i,
                kind="winners" if i == 0 else "shortlist",
                announced_at=editions[i],
                announced_on=editions[i].start_date,
                winners=[
                    {
                        "type": "winner",
                        "value": {
                            "place": j + 1,
                            "category": "",
                            "recipient_name": "" if j % 2 else f"Person {j}",
                            "recipient_organization": organizations[j].pk,
                            "project_title": "",
                            "citation": "",
                            "prize": "",
                        },
                    }
                    for j in range(count)
                ]
                if i == 0
                else [],
            ),
        )
        for i in range(count)
    ]
    return SimpleNamespace(
        host=f"localhost:{port}",
        home=home,
        organizations=organizations,
        speakers=speakers,
        speaker_index=speaker_index,
        career=career,
        forum_index=forum_index,
        editions=editions,
        edition=edition,
        guideline_index=guideline_index,
        documents=documents,
        document=document,
        quotation_index=quotation_index,
        quotations=quotations,
        award=award,
        announcements=announcements,
        winners=announcements[0],
    )
