"""The ``alma_load_demo`` command: the demo site's facts, its translations, idempotence.

The facts come from the two seed documents (ALMA 2019 Final Document, ALMA 2021 report). The
demo is loaded once per test class (inside a transaction rolled back afterwards); tests that
need an empty database load it themselves.
"""

import re
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import transaction
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from alma_cms.blocks.ids import stream_fields
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
)
from sandbox.demo import demo_content as content
from sandbox.demo.models import HomePage
from sandbox.demo.snapshot import snapshot
from tests.translation.test_list_ids import list_item_ids, stored

CYRILLIC = re.compile("[А-Яа-яЁё]")

SPEAKERS = [
    # (given, middle, family)
    ("Christine", "", "Mackenzie"),
    ("Barbara", "", "Lison"),
    ("Loida", "", "Garcia-Febo"),
    ("Svetlana", "A.", "Gorokhova"),
    ("Pavel", "L.", "Kuzmin"),
    ("Olga", "S.", "Yarilova"),
    ("Mikhail", "D.", "Afanasyev"),
    ("Miguel", "J.", "Palacio"),
    ("Lyudmila", "A.", "Kanushina"),
    ("Svetlana", "A.", "Tarasova"),
    ("Zoya", "V.", "Chalova"),
    ("Natalia", "N.", "Grishina"),
    ("Vadim", "V.", "Duda"),
    ("Lyubov", "A.", "Kazachenkova"),
    ("Slava", "G.", "Matlina"),
    ("Larissa", "A.", "Suleimanova"),
    ("Larissa", "M.", "Magazevskaya"),
    ("Tatiana", "P.", "Zhuravleva"),
    ("Anna", "R.", "Galeyeva"),
    ("Olga", "S.", "Vovk"),
    ("Daria", "", "Beliakova"),
]

QUOTATIONS = {
    # family name: (speaker_role, original_language, start of the words, end of the words)
    "Yarilova": (
        "Deputy Minister of Culture",
        "ru",
        "The difficult year 2020 motivated the Ministry of Culture of Russia",
        "to improve the quality of life for everyone.",
    ),
    "Grishina": (
        "Director of the Ryazan Oblast Scientific Library",
        "ru",
        "We have always felt the deep interest on the part of the Library for Foreign",
        "make our community united.",
    ),
    "Lison": (
        "IFLA President-elect",
        "en",
        "The ALMA annual international conference at the Library for Foreign Literature",
        "in the international library community that should inspire",
    ),
    "Matlina": (
        "library scholar",
        "ru",
        "The well-thought-out and well-conducted event format.",
        "Thank you. Very inspiring!",
    ),
    "Tarasova": (
        "Director of the Novosibirsk State Oblast Scientific Library",
        "ru",
        "Many thanks to the Organizers – our well-loved Library for Foreign Literature…!",
        "What clever and nice leaders we have! Bravo!",
    ),
}

GUIDELINE_COUNTS = [5, 5, 6, 4, 4, 3]


def en():
    return Locale.objects.get(language_code="en")


def ru():
    return Locale.objects.get(language_code="ru")


def edition(year):
    return ForumEditionPage.objects.get(locale=en(), year=year)


def final_document():
    return GuidelineDocumentPage.objects.get(locale=en(), slug="final-document")


def speaker(family_name):
    return SpeakerPage.objects.get(locale=en(), family_name=family_name)


def org(name):
    return Organization.objects.get(locale=en(), name=name)


def blocks_of(stream, block_type):
    return [child for child in stream if child.block_type == block_type]


def guideline_ids(page):
    return [
        (d.id, d.number, [(g.id, g.number) for g in d.guidelines]) for d in page.numbered_directions
    ]


def demo_pages():
    """Every page the demo made: everything below the site root, both locales."""
    return Page.objects.filter(depth__gte=3).specific()


@pytest.fixture(scope="class")
def demo_site(django_db_setup, django_db_blocker):
    """The demo loaded once for a test class, rolled back when the class is done."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("alma_load_demo", verbosity=0)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            cache.clear()  # e.g. Wagtail's cached site root paths name the rolled-back pages


@pytest.mark.django_db
@pytest.mark.usefixtures("demo_site")
class TestDemoContent:
    # --- Structure and counts --------------------------------------------------------------

    def test_locales(self):
        assert set(Locale.objects.values_list("language_code", flat=True)) >= {"en", "ru"}
        assert Locale.get_default().language_code == "en"

    def test_section_pages_sit_under_the_site_root(self):
        home = Site.objects.get(is_default_site=True).root_page.specific
        assert home.depth == 2
        children = {type(p): p for p in home.get_children().specific()}
        assert children[ForumIndexPage].title == "ALMA"
        assert children[AwardPage].title == "Rudomino Award"
        for model in (SpeakerIndexPage, QuotationIndexPage, GuidelineDocumentIndexPage):
            assert model in children
        # Every section is in the site's menu, in this order.
        assert [type(p) for p in home.get_children().filter(show_in_menus=True).specific()] == [
            ForumIndexPage,
            SpeakerIndexPage,
            QuotationIndexPage,
            GuidelineDocumentIndexPage,
            AwardPage,
        ]

    def test_the_site_root_is_the_demo_home_page(self):
        """Wagtail's "Welcome" page is replaced by the demo's HomePage, in both languages."""
        home = Site.objects.get(is_default_site=True).root_page.specific
        assert isinstance(home, HomePage)
        assert (home.slug, home.title, home.url_path) == ("home", content.HOME_TITLE, "/home/")
        assert "Library for Foreign Literature" in home.intro
        assert not Page.objects.filter(title=content.WAGTAIL_DEFAULT_HOME_TITLE).exists()
        assert list(Page.objects.filter(depth=2).order_by("path")) == [
            home.page_ptr,
            home.get_translation(ru()).page_ptr,
        ]
        russian = home.get_translation(ru())
        assert isinstance(russian, HomePage) and russian.live and not russian.alias_of_id
        assert (russian.slug, russian.title) == (
            "home-ru",
            "ALMA: международный библиотечный форум в Москве",
        )
        assert CYRILLIC.search(russian.intro)

    def test_counts(self):
        english = en()
        expected = {
            ForumIndexPage: 1,
            ForumEditionPage: 2,
            GuidelineDocumentPage: 1,
            SpeakerIndexPage: 1,
            SpeakerPage: len(SPEAKERS),
            QuotationIndexPage: 1,
            QuotationPage: 5,
            GuidelineDocumentIndexPage: 1,
            AwardPage: 1,
            AwardAnnouncementPage: 1,
        }
        for model, count in expected.items():
            assert model.objects.filter(locale=english).count() == count, model.__name__
        assert Organization.objects.filter(locale=english).count() == len(content.ORGANIZATIONS)
        assert not Page.objects.filter(depth__gte=2).not_live().exists()

    def test_every_page_has_a_revision_and_passes_full_clean(self):
        for page in demo_pages():
            assert page.live, page.title
            assert page.live_revision_id, page.title
            assert not page.has_unpublished_changes, page.title
            page.full_clean()  # raises if the page's own validation rejects it

    # --- Forum editions --------------------------------------------------------------------

    def test_forum_index(self):
        index = ForumIndexPage.objects.get(locale=en())
        assert index.slug == "alma"
        assert [p.year for p in index.get_listing()] == [2021, 2019]

    def test_edition_2019(self):
        page = edition(2019)
        assert page.title == "ALMA 2019"
        assert page.get_parent().specific_class is ForumIndexPage
        assert page.edition_number == 3
        assert page.series_title == "Shaping the Future of Libraries"  # the demo's, not a default
        assert page.display_series_title == "Shaping the Future of Libraries"
        assert page.theme == (
            "Strong Professional Association – Strong Libraries – Strong Communities"
        )
        assert page.start_date == date(2019, 4, 25)
        assert page.end_date is None
        assert page.format == "in_person"
        assert page.host == org("M.I. Rudomino All-Russia State Library for Foreign Literature")
        assert page.city == "Moscow"
        assert (page.participant_count, page.participant_count_qualifier) == (80, "about")
        assert (page.countries_count, page.countries_count_qualifier) == (4, "exact")
        assert (page.regions_count, page.regions_count_qualifier) == (20, "more_than")
        assert page.online_viewer_count is None
        assert "Final Document" in page.outcome
        stats = blocks_of(page.body, "statistics")[0].value["items"]
        assert [(s["value"], s["qualifier"]) for s in stats] == [
            (80, "about"),
            (4, "exact"),
            (20, "more_than"),
        ]
        cta = blocks_of(page.body, "call_to_action")[0].value
        assert cta["page"].specific == final_document()

    def test_edition_2021(self):
        page = edition(2021)
        assert page.title == "ALMA 2021"
        assert page.theme == "Is Library a Leader or a Non-Player Character?"
        assert page.series_title == "Shaping the Future of Libraries"
        assert page.start_date == date(2021, 4, 20)
        assert page.format == "hybrid"
        assert page.duration_hours == Decimal("4")
        assert (page.participant_count, page.participant_count_qualifier) == (147, "exact")
        assert (page.online_viewer_count, page.online_viewer_count_qualifier) == (1500, "about")
        assert page.moderator.specific == speaker("Gorokhova")
        assert page.host.short_name == "LFL"
        assert "Map of Library Leadership" in page.outcome

    def test_edition_2021_panels(self):
        body = edition(2021).body
        panels = blocks_of(body, "discussion_panel")
        assert [p.value["scope"] for p in panels] == ["international", "national", "regional"]

        def speakers(panel):
            return [s["speaker"].specific.family_name for s in panel.value["speakers"]]

        international, national, regional = panels
        assert speakers(international) == ["Lison"]
        assert international.value["speakers"][0]["role"] == "IFLA President-elect"
        assert speakers(national) == ["Duda", "Garcia-Febo"]
        assert "Culture" in national.value["speakers"][0]["topic"]
        assert speakers(regional) == [
            "Chalova",
            "Suleimanova",
            "Magazevskaya",
            "Zhuravleva",
            "Galeyeva",
            "Vovk",
        ]
        assert all(s["topic"] for p in panels for s in p.value["speakers"])
        assert regional.value["moderator"]["speaker"].specific == speaker("Kazachenkova")
        assert not international.value["moderator"]["speaker"]
        assert not national.value["moderator"]["speaker"]
        assert "FabLab" in regional.value["speakers"][3]["topic"]

    def test_edition_2021_statistics_quotations_organizers(self):
        body = edition(2021).body
        stats = {
            s["label"]: (s["value"], s["qualifier"])
            for s in blocks_of(body, "statistics")[0].value["items"]
        }
        assert stats["Participants"] == (147, "exact")
        assert stats["Stream viewers"] == (1500, "about")
        featured = [b.value["quotation"].specific for b in blocks_of(body, "featured_quotation")]
        assert sorted(q.speaker.specific.family_name for q in featured) == sorted(QUOTATIONS)
        lists = {b.value["relation"]: b.value for b in blocks_of(body, "organization_list")}
        assert [o.short_name for o in lists["organizers"]["organizations"]] == ["LFL"]
        assert {"IFLA", "RLA"} <= {o.short_name for o in lists["partners"]["organizations"]}
        cta = blocks_of(body, "call_to_action")[0].value
        assert cta["page"].specific == AwardPage.objects.get(locale=en())

    # --- The 2019 Final Document -----------------------------------------------------------

    def test_final_document_fields(self):
        doc = final_document()
        assert doc.title == "ALMA 2019 Final Document"
        assert doc.get_parent().specific == edition(2019)
        assert doc.document_type == "final_document"
        assert doc.status == "finalized"
        assert doc.nature == "recommendatory"
        assert doc.adopted_on == date(2019, 4, 25)
        assert doc.adopted_at.specific == edition(2019)
        assert "participants" in doc.approved_by.lower()
        assert "Steering Committee" in doc.finalized_by
        assert "Russian Library Association" in doc.audience
        assert "Christine Mackenzie" in doc.introduction
        assert "recommendatory" in doc.conclusion

    def test_final_document_directions_and_numbering(self):
        doc = final_document()
        directions = doc.numbered_directions
        assert [d.number for d in directions] == ["I", "II", "III", "IV", "V", "VI"]
        assert [len(d.guidelines) for d in directions] == GUIDELINE_COUNTS
        assert directions[0].title == "Furthering library advocacy work"
        assert directions[4].title == "LIS education of XXI century"
        assert [g.number for g in directions[2].guidelines] == [f"III.{i}" for i in range(1, 7)]
        assert directions[0].guidelines[0].title == (
            "Promoting positive image of library and librarian in the public perception"
        )
        assert directions[5].guidelines[0].title == "Fundraising"
        _direction, guideline = doc.get_guideline("II.3")
        assert guideline.title == (
            "Strategic planning and supplementary financing of library services"
        )

    def test_direction_v_role_guidelines(self):
        doc = final_document()
        rla = org("Russian Library Association")
        direction_v = doc.numbered_directions[4]
        assert [g.role for g in direction_v.guidelines] == [
            "Visionary",
            "Marketing Analyst",
            "Technologist",
            "Analyst",
        ]
        for guideline in direction_v.guidelines:
            assert guideline.title == ""
            assert guideline.actor == rla
            assert guideline.text and len(guideline.text.source) > 40
        _direction, v2 = doc.get_guideline("V.2")
        assert v2.heading == "RLA acting as Marketing Analyst"
        assert doc.get_guideline("v.1")[1].heading == "RLA acting as Visionary"
        assert (
            "IFLA Guidelines on Continuing Professional Development"
            in direction_v.guidelines[2].text.source
        )

    def test_guideline_ids_are_the_stable_demo_ids(self):
        doc = final_document()
        for d, direction in enumerate(doc.numbered_directions, start=1):
            assert direction.id == content.block_id("final-document-2019", "direction", d)
            for g, guideline in enumerate(direction.guidelines, start=1):
                assert guideline.id == content.block_id(
                    "final-document-2019", "direction", d, "guideline", g
                )
                assert doc.get_guideline(guideline.id)[1].number == guideline.number

    def test_every_list_item_is_stored_with_an_id(self):
        """Issue 9: the demo's list items (statistics, links, speakers...) have stored ids."""
        counted = 0
        for page in demo_pages():
            for field in stream_fields(type(page)):
                ids = list_item_ids(field.stream_block, stored(page, field), [])
                assert None not in ids, (page.url_path, field.name)
                counted += len(ids)
        assert counted > 50

    def test_final_document_links(self):
        links = [b.value for b in final_document().links]
        urls = [link["url"] for link in links]
        assert "https://www.youtube.com/watch?v=AXS5f9MqN1Y&t=4s" in urls
        assert "https://www.youtube.com/watch?v=45Dk_xQO3L4" in urls
        assert content.IFLA_CPD_GUIDELINES_URL in urls
        titles = [link["title"] for link in links]
        assert "Interview of Christine Mackenzie" in titles
        assert "Interview of Loida Garcia-Febo" in titles

    # --- Speakers and positions ------------------------------------------------------------

    def test_every_named_speaker_exists(self):
        for given, middle, family in SPEAKERS:
            page = SpeakerPage.objects.get(locale=en(), given_name=given, family_name=family)
            assert page.middle_name == middle
            assert page.title == page.full_name
            assert page.live

    def test_mackenzie_titles_change_over_time(self):
        mackenzie = speaker("Mackenzie")
        assert mackenzie.role_on(date(2019, 4, 25)) == "IFLA President-elect"
        assert mackenzie.role_on(date(2021, 4, 20)) == "IFLA President"
        elect, president = mackenzie.positions.all()
        assert (elect.start_date, elect.end_date) == (date(2017, 8, 1), date(2019, 8, 31))
        assert (president.start_date, president.end_date) == (date(2019, 8, 1), date(2021, 8, 31))
        assert {elect.date_precision, president.date_precision} == {"month"}
        assert elect.organization.short_name == "IFLA"

    def test_lison_and_garcia_febo(self):
        lison = speaker("Lison")
        assert lison.role_on(date(2021, 4, 20)) == "IFLA President-elect"
        assert lison.role_on(date(2022, 4, 20)) == "IFLA President"
        loida = speaker("Garcia-Febo")
        president, board, expert = loida.positions.all()
        assert president.label == "ALA President"
        assert (president.start_date.year, president.end_date.year) == (2018, 2019)
        assert board.label == "IFLA Governing Board Member"
        assert (board.start_date.year, board.end_date.year) == (2013, 2017)
        assert {president.date_precision, board.date_precision} == {"year"}
        assert expert.label == "International library expert"
        assert (expert.start_date, expert.end_date) == (None, None)
        assert loida.role_on(date(2019, 4, 25)) == "ALA President; International library expert"
        assert loida.role_on(date(2021, 4, 20)) == "International library expert"

    def test_roles_held_at_alma_2021(self):
        day = date(2021, 4, 20)
        assert speaker("Kuzmin").role_on(day) == "LFL Director General"
        assert speaker("Afanasyev").role_on(day) == "RLA President; SPHL Director"
        assert speaker("Duda").role_on(day) == "RSL Director General"
        assert speaker("Matlina").role_on(day) == "Library scholar"
        assert "Board Member" in speaker("Gorokhova").role_on(day)
        assert len(speaker("Kazachenkova").positions_on(day)) == 3
        for _given, _middle, family in SPEAKERS:
            if family != "Beliakova":
                assert speaker(family).role_on(day), family
        matlina = speaker("Matlina").positions.get()
        assert matlina.organization is None and matlina.organization_name == ""
        magazine = speaker("Kazachenkova").positions.get(role_title="Editor-in-Chief")
        assert magazine.organization_name == "Modern Library magazine"
        assert speaker("Grishina").positions.get().organization == org(
            "Ryazan Oblast Scientific Library"
        )

    def test_speaker_photos_are_placeholder_images(self):
        Image = get_image_model()
        for page in SpeakerPage.objects.filter(locale=en()):
            assert page.photo is not None, page.title
            assert page.photo.title == f"ALMA demo portrait: {page.title}"
            assert page.photo.width == page.photo.height == 400
        titles = list(Image.objects.values_list("title", flat=True))
        assert len(titles) == len(set(titles))

    # --- Quotations ------------------------------------------------------------------------

    def test_the_five_quotations(self):
        quotations = QuotationPage.objects.filter(locale=en())
        assert quotations.count() == 5
        seen = set()
        for quotation in quotations:
            family = quotation.speaker.specific.family_name
            role, language, start, end = QUOTATIONS[family]
            assert quotation.speaker_role == role
            assert quotation.original_language == language
            assert quotation.text.startswith(start)
            assert quotation.text.endswith(end)
            assert "  " not in quotation.text
            assert quotation.forum_edition.specific == edition(2021)
            assert quotation.said_on == date(2021, 4, 20)
            seen.add(family)
        assert seen == set(QUOTATIONS)

    def test_russian_quotations(self):
        """Every quotation in Russian: its words, title, context and the speaker's title at the
        time translated; who said it, when and in what language, as in English."""
        russian = ru()
        for quotation in QuotationPage.objects.filter(locale=en()):
            translated = quotation.get_translation(russian)
            assert translated.live and not translated.has_unpublished_changes, quotation.title
            assert translated.get_parent().specific == QuotationIndexPage.objects.get(
                locale=russian
            )
            for text in (
                translated.title,
                translated.text,
                translated.context,
                translated.speaker_role,
            ):
                assert CYRILLIC.search(text), (quotation.title, text)
            assert translated.text != quotation.text
            assert (
                translated.speaker_id,
                translated.forum_edition_id,
                translated.said_on,
                translated.original_language,
            ) == (
                quotation.speaker_id,
                quotation.forum_edition_id,
                quotation.said_on,
                quotation.original_language,
            )
        lison = QuotationPage.objects.get(locale=en(), speaker=speaker("Lison"))
        assert lison.get_translation(russian).speaker_role == "Избранный президент ИФЛА"

    def test_quotation_roles_agree_with_positions(self):
        lison = QuotationPage.objects.get(locale=en(), speaker=speaker("Lison"))
        assert lison.speaker_role == speaker("Lison").role_on(lison.said_on)

    # --- Organizations ---------------------------------------------------------------------

    def test_organizations(self):
        lfl = org("M.I. Rudomino All-Russia State Library for Foreign Literature")
        assert (lfl.short_name, lfl.kind, lfl.city, lfl.country.code) == (
            "LFL",
            "library",
            "Moscow",
            "RU",
        )
        ifla = Organization.objects.get(locale=en(), short_name="IFLA")
        assert (ifla.kind, ifla.city, ifla.country.code) == ("association", "The Hague", "NL")
        rla = Organization.objects.get(locale=en(), short_name="RLA")
        assert rla.kind == "association"
        ala = Organization.objects.get(locale=en(), short_name="ALA")
        assert (ala.kind, ala.city, ala.country.code) == ("association", "Chicago", "US")
        assert org("Russian State Library").kind == "library"
        assert org("Ministry of Culture of the Russian Federation").kind == "government"
        assert org("ID Modern Library").kind == "company"
        regional = {
            "Saratov Oblast Universal Scientific Library": "Saratov",
            "Novosibirsk State Oblast Scientific Library": "Novosibirsk",
            "V.V. Mayakovsky Central City Public Library": "Saint Petersburg",
            "Ryazan Oblast Scientific Library": "Ryazan",
            "I.I. Molchanov-Sibirsky Irkutsk Oblast State Universal Scientific Library": "Irkutsk",
            "B. Shakhovskoy Astrakhan Oblast Library for Young Adults": "Astrakhan",
            "Centralized Library System of Norilsk": "Norilsk",
            "Murmansk State Oblast Universal Scientific Library": "Murmansk",
            "State Public Historical Library": "Moscow",
        }
        for name, city in regional.items():
            library = org(name)
            assert (library.kind, library.city) == ("library", city), name
        for organization in Organization.objects.filter(locale=en()):
            assert organization.logo is not None, organization.name

    # --- The Rudomino Award ----------------------------------------------------------------

    def test_rudomino_award(self):
        award = AwardPage.objects.get(locale=en())
        assert award.name == "Rudomino Award"
        assert award.named_after == "Margarita Ivanovna Rudomino"
        assert award.established_on == date(2021, 4, 20)
        assert award.established_by.short_name == "LFL"
        assert [b.value.short_name for b in award.partners] == ["RLA"]
        assert "Section for International Cooperation" in award.purpose
        assert "centenary" in award.purpose
        assert "Russian libraries" in award.eligibility

    def test_award_established_announcement(self):
        award = AwardPage.objects.get(locale=en())
        announcement = AwardAnnouncementPage.objects.get(locale=en())
        assert announcement.get_parent().specific == award
        assert announcement.award == award
        assert announcement.kind == "established"
        assert announcement.season_year == 2021
        assert announcement.announced_on == date(2021, 4, 20)
        assert announcement.announced_at.specific == edition(2021)
        assert "Pavel L. Kuzmin" in announcement.summary
        assert "next ALMA" in announcement.summary
        assert len(announcement.winners) == 0

    # --- Russian translations --------------------------------------------------------------

    def test_russian_pages_exist_are_live_and_russian(self):
        russian = ru()
        for page in (
            edition(2019),
            edition(2021),
            final_document(),
            ForumIndexPage.objects.get(locale=en()),
            SpeakerIndexPage.objects.get(locale=en()),
            QuotationIndexPage.objects.get(locale=en()),
            GuidelineDocumentIndexPage.objects.get(locale=en()),
            AwardPage.objects.get(locale=en()),
            AwardAnnouncementPage.objects.get(locale=en()),
            speaker("Gorokhova"),
            QuotationPage.objects.get(locale=en(), speaker=speaker("Yarilova")),
        ):
            translated = page.get_translation(russian)
            assert translated.live, page.title
            assert translated.alias_of_id is None, page.title
            assert not translated.has_unpublished_changes, page.title
            assert CYRILLIC.search(translated.title), translated.title
            assert translated.title != page.title
            assert translated.get_parent().locale == russian

    def test_russian_editions(self):
        russian = ru()
        page = edition(2021).get_translation(russian)
        assert page.title == "Форум ALMA 2021"
        assert page.theme == "Библиотека – лидер или неигровой персонаж?"
        assert CYRILLIC.search(page.summary) and CYRILLIC.search(page.outcome)
        # synchronized facts
        assert (page.start_date, page.participant_count, page.online_viewer_count, page.format) == (
            date(2021, 4, 20),
            147,
            1500,
            "hybrid",
        )
        assert page.host.locale == russian and CYRILLIC.search(page.host.name)
        panels = blocks_of(page.body, "discussion_panel")
        assert [p.value["title"] for p in panels] == [
            "Международный уровень",
            "Национальный уровень",
            "Региональный уровень",
        ]
        for panel in panels:
            for participant in panel.value["speakers"]:
                assert CYRILLIC.search(participant["role"])
                assert CYRILLIC.search(participant["topic"])
        assert [b.id for b in page.body] == [b.id for b in edition(2021).body]
        page_2019 = edition(2019).get_translation(russian)
        assert CYRILLIC.search(page_2019.theme)
        assert page_2019.edition_number == 3
        # ALMA's series title is the demo's content (the package names no series), translated.
        for russian_edition in (page, page_2019):
            assert russian_edition.series_title == "Формируя будущее библиотек"
            assert russian_edition.display_series_title == "Формируя будущее библиотек"

    def test_russian_final_document(self):
        source = final_document()
        doc = source.get_translation(ru())
        assert doc.title == "Итоговый документ ALMA 2019"
        assert doc.get_parent().specific == edition(2019).get_translation(ru())
        assert (doc.document_type, doc.status, doc.nature, doc.adopted_on) == (
            "final_document",
            "finalized",
            "recommendatory",
            date(2019, 4, 25),
        )
        for text in (
            doc.approved_by,
            doc.finalized_by,
            doc.audience,
            doc.introduction,
            doc.conclusion,
        ):
            assert CYRILLIC.search(text)
        assert guideline_ids(doc) == guideline_ids(source)
        assert [len(d.guidelines) for d in doc.numbered_directions] == GUIDELINE_COUNTS
        for direction in doc.numbered_directions:
            assert CYRILLIC.search(direction.title), direction.title
            for guideline in direction.guidelines:
                assert CYRILLIC.search(guideline.title or guideline.role), guideline.number
        _direction, v2 = doc.get_guideline("V.2")
        assert v2.role == "Маркетолог-аналитик"
        assert (
            v2.actor.locale == ru()
            and v2.actor.translation_key == org("Russian Library Association").translation_key
        )
        assert CYRILLIC.search(v2.text.source)
        assert [link.value["url"] for link in doc.links] == [
            link.value["url"] for link in source.links
        ]

    def test_russian_organizations(self):
        russian = ru()
        for organization in Organization.objects.filter(locale=en()):
            translated = organization.get_translation(russian)
            assert CYRILLIC.search(translated.name), organization.name
            assert translated.kind == organization.kind
            assert translated.country == organization.country
        lfl = Organization.objects.get(locale=en(), short_name="LFL").get_translation(russian)
        assert lfl.short_name == "ВГБИЛ"

    def test_russian_award(self):
        award = AwardPage.objects.get(locale=en()).get_translation(ru())
        assert award.name == "Премия имени Рудомино"
        assert award.named_after == "Маргарита Ивановна Рудомино"
        assert award.established_on == date(2021, 4, 20)
        announcement = AwardAnnouncementPage.objects.get(locale=en()).get_translation(ru())
        assert announcement.get_parent().specific == award
        assert "Кузьмин" in announcement.summary

    # --- Idempotence -----------------------------------------------------------------------

    def test_second_run_changes_nothing(self):
        before = snapshot()
        ids_before = guideline_ids(final_document())
        ru_ids_before = guideline_ids(final_document().get_translation(ru()))
        out = StringIO()
        call_command("alma_load_demo", verbosity=1, stdout=out)
        assert snapshot() == before
        assert guideline_ids(final_document()) == ids_before
        assert guideline_ids(final_document().get_translation(ru())) == ru_ids_before
        tallies = [line for line in out.getvalue().splitlines() if "created" in line]
        assert len(tallies) >= 10
        for line in tallies:
            assert "(0 created, 0 updated," in line, line

    def test_snapshot_counts(self):
        counts = snapshot()["counts"]
        english_pages = Page.objects.filter(locale=en(), depth__gte=3).count()
        russian_pages = Page.objects.filter(locale=ru(), depth__gte=3).count()
        assert english_pages == 35
        # 9 sections, editions, documents and announcements, the speakers and 5 quotations:
        # every English page has its Russian version.
        assert russian_pages == 9 + len(SPEAKERS) + len(QUOTATIONS) == english_pages
        assert counts["organizations"] == 2 * len(content.ORGANIZATIONS)
        assert counts["live_pages"] == counts["pages"]


# --- Runs on an empty database --------------------------------------------------------------


@pytest.mark.django_db
def test_progress_lines_and_quiet_mode():
    out = StringIO()
    call_command("alma_load_demo", "--no-translations", verbosity=1, stdout=out)
    lines = out.getvalue().splitlines()
    for section in (
        "Locales",
        "Organizations",
        "Home",
        "Section pages",
        "Speakers",
        "Images",
        "Forum editions",
        "Guideline documents",
        "Quotations",
        "Award announcements",
        "Edition bodies",
    ):
        assert any(line.startswith(f"{section}:") for line in lines), section
    assert not any(line.startswith("Russian translations") for line in lines)
    # --no-translations: nothing in Russian, but the locale is there
    assert not Page.objects.filter(locale__language_code="ru").exists()
    assert Locale.objects.filter(language_code="ru").exists()

    quiet = StringIO()
    call_command("alma_load_demo", verbosity=0, stdout=quiet)
    assert quiet.getvalue() == ""
    assert edition(2021).get_translation(ru()).live  # translations added by the second run


@pytest.mark.django_db
def test_failure_keeps_nothing_and_says_one_line(monkeypatch):
    home = Site.objects.get(is_default_site=True).root_page
    title = home.title
    pages = Page.objects.count()
    # A 2021 edition whose year disagrees with its start date fails the page's own clean(),
    # after organizations, images and speakers have been saved.
    monkeypatch.setitem(content.EDITION_2021, "year", 2020)
    with pytest.raises(CommandError) as excinfo:
        call_command("alma_load_demo", verbosity=0)
    message = str(excinfo.value)
    assert "\n" not in message
    assert message.startswith("alma_load_demo:") and "year" in message
    assert Page.objects.count() == pages
    assert Page.objects.get(pk=home.pk).title == title
    assert not Organization.objects.exists()
    assert not SpeakerPage.objects.exists()
    assert not Locale.objects.filter(language_code="ru").exists()


@pytest.mark.django_db
def test_a_home_page_of_an_earlier_demo_is_replaced_and_its_pages_kept():
    """A database an earlier version of the loader filled: the site's root is Wagtail's plain
    Page retitled, the sections below it, a Russian copy of it with Russian sections. The
    loader puts a HomePage in its place; the English pages keep their ids under it; the
    Russian pages are made again under the Russian HomePage; a second run changes nothing."""
    site = Site.objects.get(is_default_site=True)
    old = site.root_page.specific
    assert type(old) is Page and old.title == content.WAGTAIL_DEFAULT_HOME_TITLE
    old.title = content.HOME_TITLE
    old.save_revision().publish()
    forum = old.add_child(
        instance=ForumIndexPage(
            title="ALMA",
            slug="alma",
            locale=old.locale,
            translation_key=content.translation_key("page", "forum-index"),
        )
    )
    russian = Locale.objects.create(language_code="ru")
    old_russian = old.copy_for_translation(russian)
    old_russian.save_revision().publish()
    old_russian_forum = forum.copy_for_translation(russian)

    call_command("alma_load_demo", verbosity=0)

    home = Site.objects.get(pk=site.pk).root_page.specific
    assert isinstance(home, HomePage) and home.slug == "home"
    assert not Page.objects.filter(pk__in=[old.pk, old_russian.pk, old_russian_forum.pk]).exists()
    assert ForumIndexPage.objects.get(pk=forum.pk).get_parent().pk == home.pk
    assert ForumIndexPage.objects.get(pk=forum.pk).url_path == "/home/alma/"
    russian_home = home.get_translation(russian)
    assert isinstance(russian_home, HomePage) and russian_home.slug == "home-ru"
    russian_forum = ForumIndexPage.objects.get(pk=forum.pk).get_translation(russian)
    assert russian_forum.get_parent().pk == russian_home.pk and russian_forum.live
    assert Page.objects.filter(depth=2).count() == 2
    assert not Redirect.objects.exists()  # the pages kept their URLs

    before = snapshot()
    call_command("alma_load_demo", verbosity=0)
    assert snapshot() == before
