"""Builds the benchmark site with the real alma-cms page models (and the bench's plain type).

Deterministic (seeded) and quick to build: pages are added with Wagtail's tree API
(``add_child``) as live pages without revisions (the API serves the live row; revisions don't
change what is read), and every image's API rendition is made up front so the measurements see a
warm site.

Size with the defaults: 30 editions (3 discussion panels of 4-6 speakers each, a programme-less
body with heading, paragraph, statistics and a 12-speaker list), 420 speakers with photos and
two dated positions each, 500 quotations, 60 guideline documents (6 directions, 3-6 guidelines
each), an award with 30 announcements, 30 plain edition pages with the same body data, and the
index pages: 1,076 pages.
"""

import datetime
import io
import random
import uuid

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

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
from alma_cms.representations import IMAGE_RENDITION_SPEC
from bench.plainapp.models import PlainEditionPage

MARKER_SLUG = "alma-bench-forum"

GIVEN = "Anna Boris Christine Dmitry Elena Fedor Galina Igor Julia Konstantin Lyubov Maria".split()
FAMILY = (
    "Ivanova Petrov Mackenzie Lison Gorokhova Sidorov Orlova Volkov Kazachenkova Smirnov".split()
)
MIDDLE = ["", "A.", "B.", "V.", "Alexandrovna", "Sergeevich"]
ROLES = ["Director", "Deputy Director General", "President", "Head of Section", "Librarian"]
WORDS = (
    "library libraries leadership reading community association future digital research "
    "young professionals partnership network collection services strategy"
).split()


def uid():
    return str(uuid.uuid4())


def words(rng, count):
    return " ".join(rng.choice(WORDS) for _ in range(count))


def png(rng, size=24):
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    colour = tuple(rng.randrange(256) for _ in range(3))
    PILImage.new("RGB", (size, size), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def live(page):
    """``page`` ready for ``add_child``: published, and not validated again on save (the data is
    generated valid; ``full_clean`` would be a third of the build time)."""
    now = timezone.now()
    page.first_published_at = page.last_published_at = now
    page.full_clean = lambda *args, **kwargs: None
    return page


def site_exists():
    return Page.objects.filter(slug=MARKER_SLUG).exists()


def build(verbose=True, speakers=420, editions=30, quotations=500, documents=60, announcements=30):
    rng = random.Random(2021)
    log = print if verbose else (lambda *a, **k: None)
    # The reference index (admin "usage" counts) plays no part in API reads.
    with transaction.atomic(), disable_reference_index_auto_update():
        home = Site.objects.get(is_default_site=True).root_page.specific

        organizations = [
            Organization.objects.create(
                name=f"{words(rng, 2).title()} Library {i}",
                short_name=f"ORG{i}",
                kind=rng.choice([k for k, _label in Organization.Kind.choices]),
                city="Moscow",
                country="RU",
                url=f"https://org{i}.example.org/",
            )
            for i in range(30)
        ]
        log(f"  {len(organizations)} organizations")

        image_model = get_image_model()
        images = []
        for i in range(speakers):
            image = image_model.objects.create(
                title=f"Portrait {i}",
                file=ImageFile(io.BytesIO(png(rng)), name=f"portrait-{i}.png"),
            )
            image.get_rendition(IMAGE_RENDITION_SPEC)
            images.append(image)
        log(f"  {len(images)} photos (with their API rendition)")

        forum = home.add_child(
            instance=live(ForumIndexPage(title="Forum", slug=MARKER_SLUG, intro="<p>Editions</p>"))
        )
        speaker_index = home.add_child(
            instance=live(SpeakerIndexPage(title="Speakers", slug="bench-speakers"))
        )
        quotation_index = home.add_child(
            instance=live(QuotationIndexPage(title="Quotations", slug="bench-quotations"))
        )
        document_index = home.add_child(
            instance=live(GuidelineDocumentIndexPage(title="Documents", slug="bench-documents"))
        )
        plain_index = home.add_child(instance=live(Page(title="Plain", slug="bench-plain")))

        speaker_pages = []
        for i in range(speakers):
            given, family = rng.choice(GIVEN), f"{rng.choice(FAMILY)}-{i}"
            middle = rng.choice(MIDDLE)
            speaker = SpeakerPage(
                title=" ".join(p for p in (given, middle, family) if p),
                slug=f"speaker-{i}",
                given_name=given,
                middle_name=middle,
                family_name=family,
                photo=images[i],
                short_bio=words(rng, 12),
                bio=f"<p>{words(rng, 60)}</p>",
            )
            first = datetime.date(2010 + i % 8, 1, 1)
            speaker.positions = [
                SpeakerPosition(
                    role_title=rng.choice(ROLES),
                    organization=rng.choice(organizations),
                    start_date=first,
                    end_date=first.replace(year=first.year + 4),
                ),
                SpeakerPosition(
                    role_title=rng.choice(ROLES),
                    organization=rng.choice(organizations),
                    start_date=first.replace(year=first.year + 4, day=2),
                ),
            ]
            speaker_pages.append(speaker_index.add_child(instance=live(speaker)))
        log(f"  {len(speaker_pages)} speakers")

        def participant(speaker):
            return {"speaker": speaker.pk, "name": "", "role": "", "topic": words(rng, 5)}

        def body():
            blocks = [
                {
                    "type": "heading",
                    "value": {"text": "Programme", "level": "h2", "anchor": "programme"},
                    "id": uid(),
                },
                {"type": "paragraph", "value": f"<p>{words(rng, 80)}</p>", "id": uid()},
            ]
            for scope in ("international", "national", "regional"):
                panel_speakers = rng.sample(speaker_pages, rng.randint(4, 6))
                blocks.append(
                    {
                        "type": "discussion_panel",
                        "value": {
                            "title": f"{scope.title()} panel: {words(rng, 4)}",
                            "scope": scope,
                            "moderator": participant(rng.choice(speaker_pages)),
                            "speakers": [
                                {"type": "item", "value": participant(s), "id": uid()}
                                for s in panel_speakers
                            ],
                            "summary": f"<p>{words(rng, 40)}</p>",
                        },
                        "id": uid(),
                    }
                )
            blocks.append(
                {
                    "type": "statistics",
                    "value": {
                        "title": "Figures",
                        "items": [
                            {
                                "type": "item",
                                "value": {
                                    "label": label,
                                    "value": rng.randint(4, 2000),
                                    "qualifier": "exact",
                                },
                                "id": uid(),
                            }
                            for label in ("participants", "countries", "regions", "viewers")
                        ],
                    },
                    "id": uid(),
                }
            )
            blocks.append(
                {
                    "type": "speaker_list",
                    "value": {
                        "title": "Speakers",
                        "speakers": [
                            {"type": "item", "value": s.pk, "id": uid()}
                            for s in rng.sample(speaker_pages, 12)
                        ],
                    },
                    "id": uid(),
                }
            )
            return blocks

        edition_pages, plain_pages = [], []
        for i in range(editions):
            year = 1995 + i
            start = datetime.date(year, 4, 20)
            fields = {
                "title": f"ALMA {year}",
                "slug": f"alma-{year}",
                "year": year,
                "edition_number": i + 1,
                "theme": words(rng, 8).capitalize(),
                "start_date": start,
                "format": rng.choice(["in_person", "online", "hybrid"]),
                "venue": "Library for Foreign Literature",
                "city": "Moscow",
                "host": organizations[0],
                "moderator": rng.choice(speaker_pages),
                "participant_count": rng.randint(40, 200),
                "summary": words(rng, 30),
            }
            stream = body()
            edition_pages.append(
                forum.add_child(instance=live(ForumEditionPage(body=stream, **fields)))
            )
            plain_pages.append(
                plain_index.add_child(instance=live(PlainEditionPage(body=stream, **fields)))
            )
        log(f"  {len(edition_pages)} editions, {len(plain_pages)} plain editions")

        for i in range(quotations):
            edition = rng.choice(edition_pages)
            speaker = rng.choice(speaker_pages)
            quotation_index.add_child(
                instance=live(
                    QuotationPage(
                        title=f"Quotation {i}",
                        slug=f"quotation-{i}",
                        text=words(rng, 30).capitalize() + ".",
                        speaker=speaker,
                        speaker_role=rng.choice(ROLES),
                        forum_edition=edition,
                        said_on=edition.start_date,
                        original_language=rng.choice(["en", "ru"]),
                        context=words(rng, 15),
                    )
                )
            )
        log(f"  {quotations} quotations")

        for i in range(documents):
            edition = edition_pages[i % len(edition_pages)]
            directions = []
            for d in range(6):
                directions.append(
                    {
                        "type": "direction",
                        "value": {
                            "title": words(rng, 4).capitalize(),
                            "summary": f"<p>{words(rng, 25)}</p>",
                            "guidelines": [
                                {
                                    "type": "item",
                                    "value": {
                                        "title": words(rng, 10).capitalize(),
                                        "actor": rng.choice(organizations).pk if d == 4 else None,
                                        "role": "Visionary" if d == 4 else "",
                                        "text": f"<p>{words(rng, 20)}</p>",
                                    },
                                    "id": uid(),
                                }
                                for _g in range(rng.randint(3, 6))
                            ],
                        },
                        "id": uid(),
                    }
                )
            parent = document_index if i % 2 == 0 else edition
            parent.add_child(
                instance=live(
                    GuidelineDocumentPage(
                        title=f"Final document {edition.year} ({i})",
                        slug=f"final-document-{i}",
                        adopted_on=edition.start_date,
                        adopted_at=edition,
                        status="finalized",
                        audience=words(rng, 10),
                        introduction=f"<p>{words(rng, 60)}</p>",
                        directions=directions,
                        conclusion=f"<p>{words(rng, 30)}</p>",
                        links=[
                            {
                                "type": "link",
                                "value": {
                                    "title": "IFLA",
                                    "page": None,
                                    "url": "https://www.ifla.org/",
                                    "description": "",
                                },
                                "id": uid(),
                            }
                        ],
                    )
                )
            )
        log(f"  {documents} guideline documents")

        award = home.add_child(
            instance=live(
                AwardPage(
                    title="Rudomino Award",
                    slug="bench-rudomino-award",
                    name="Rudomino Award",
                    named_after="Margarita Rudomino",
                    established_on=datetime.date(2021, 4, 20),
                    established_by=organizations[0],
                    partners=[{"type": "organization", "value": organizations[1].pk}],
                    purpose=f"<p>{words(rng, 30)}</p>",
                )
            )
        )
        for i in range(announcements):
            award.add_child(
                instance=live(
                    AwardAnnouncementPage(
                        title=f"Winners {2022 + i}",
                        slug=f"winners-{2022 + i}",
                        season_year=2022 + i,
                        kind="winners",
                        summary=words(rng, 20),
                        winners=[
                            {
                                "type": "winner",
                                "value": {
                                    "place": place,
                                    "category": words(rng, 2),
                                    "recipient_name": "",
                                    "recipient_organization": rng.choice(organizations).pk,
                                    "project_title": words(rng, 4),
                                    "citation": f"<p>{words(rng, 15)}</p>",
                                    "prize": "A diploma",
                                },
                                "id": uid(),
                            }
                            for place in (1, 2, 3)
                        ],
                    )
                )
            )
        log(f"  {announcements} award announcements")
    return Page.objects.filter(depth__gt=2).count()
