"""The forum-report kind: the 2021 reference report imports to the demo's facts, the "said:"
sample as its README says, our own layouts (.txt, .md, .docx, Russian) to the facts in the
JSON beside each; re-imports, revised files, editors' changes; bad input; detection."""

import json
from datetime import date
from decimal import Decimal

import pytest

from alma_cms.importer import service
from alma_cms.importer.errors import DocumentError, ImportConflict
from alma_cms.importer.forum_people import all_people_in
from alma_cms.importer.forum_report import parse_forum_report
from alma_cms.importer.names import same_person
from alma_cms.importer.plan import CREATE, UNCHANGED, UPDATE
from alma_cms.importer.readers import read_blocks
from alma_cms.importer.readers.text import lines_to_blocks
from alma_cms.models import ImportRecord, Organization
from alma_cms.pages.models import (
    AwardAnnouncementPage,
    AwardPage,
    ForumEditionPage,
    QuotationPage,
    SpeakerPage,
)
from sandbox.demo import demo_content as demo

from .conftest import DOCUMENTS, shared_file
from .docx_builder import forum_report_docx

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference_2021():
    return shared_file("reference/alma-2021-forum-report.txt")


@pytest.fixture
def said_sample():
    return shared_file("samples/forum-report-said.md")


def import_path(path, **options):
    prepared = service.prepare(path, **options)
    return prepared, service.run(prepared)


def draft(page):
    return ForumEditionPage.objects.get(pk=page.pk).get_latest_revision_as_object()


def quotations_of(edition):
    return list(QuotationPage.objects.filter(forum_edition=edition).order_by("pk"))


def speaker_name(page):
    return SpeakerPage.objects.get(pk=page.pk).title


# --- the 2021 reference report: the demo's facts ---------------------------------------------


def test_reference_2021_is_detected_and_parsed_to_the_demo_facts(reference_2021):
    blocks = read_blocks(reference_2021)
    assert service.detect_kind(blocks).name == "forum-report"
    report = parse_forum_report(blocks, reference_2021.name)
    edition = demo.EDITION_2021
    assert report.start_date == edition["start_date"] == date(2021, 4, 20)
    assert report.format == edition["format"] == "hybrid"
    assert report.duration_hours == edition["duration_hours"] == 4
    assert report.participant_count == edition["participant_count"] == 147
    assert report.participant_qualifier == edition["participant_count_qualifier"]
    assert report.viewer_count == edition["online_viewer_count"] == 1500
    assert report.viewer_qualifier == edition["online_viewer_count_qualifier"] == "about"
    assert report.theme == edition["theme"]["en"] if isinstance(edition["theme"], dict) else True
    assert report.theme == "Is Library a Leader or a Non-Player Character?"
    assert report.moderator == "Svetlana A. Gorokhova"
    assert (report.host, report.host_short) == ("Library for Foreign Literature", "LFL")
    assert report.language == "en"
    expected = [
        (_en(q["text"]), _speaker_title(q["speaker"][1]), _en(q["speaker_role"]))
        for q in demo.QUOTATIONS
    ]
    assert [(q.text, q.speaker, q.role) for q in report.quotations] == expected
    assert report.award.name == "Rudomino Award" and report.award.kind == "established"
    assert report.award.season == 2021


def _en(value):
    return value["en"] if isinstance(value, dict) else getattr(value, "en", value)


def _speaker_title(key):
    speaker = next(s for s in demo.SPEAKERS if s["key"] == key)
    return _en(speaker["title"])


def test_reference_2021_imports_drafts_with_the_demo_facts(alma, reference_2021):
    messages = []
    prepared = service.prepare(reference_2021)
    assert prepared.kind.name == "forum-report"
    lines = prepared.plan.describe()
    assert any("speaker Svetlana A. Gorokhova: matched speaker page" in line for line in lines)
    assert any("speaker Barbara Lison: matched" in line for line in lines)
    assert any(line.startswith("  quotation 5 (line 55): create") for line in lines)
    assert any("host: Library for Foreign Literature (LFL): matched" in line for line in lines)
    result = service.run(prepared, messages.append)
    assert result.action == CREATE
    page = ForumEditionPage.objects.get(pk=result.page.pk)
    assert not page.live and page.get_parent().pk == alma.forum_index.pk
    edition = draft(page)
    assert edition.title == "ALMA 2021: Moscow Meeting of Library Leaders at Inostranka"
    assert (edition.start_date, edition.year, edition.format) == (date(2021, 4, 20), 2021, "hybrid")
    assert edition.duration_hours == Decimal(demo.EDITION_2021["duration_hours"])
    assert (edition.participant_count, edition.participant_count_qualifier) == (147, "exact")
    assert (edition.online_viewer_count, edition.online_viewer_count_qualifier) == (1500, "about")
    assert edition.moderator_id == alma.gorokhova.pk  # matched by name, not created
    assert edition.host_id == alma.lfl.pk
    assert edition.theme == "Is Library a Leader or a Non-Player Character?"
    types = [child.block_type for child in edition.body]
    assert types[0] == "statistics" and types.count("featured_quotation") == 5
    quotations = quotations_of(page)
    assert len(quotations) == 5 and not any(q.live for q in quotations)
    got = [(q.text, speaker_name(q.speaker), q.speaker_role, q.said_on) for q in quotations]
    expected = [
        (_en(q["text"]), _speaker_title(q["speaker"][1]), _en(q["speaker_role"]), date(2021, 4, 20))
        for q in demo.QUOTATIONS
    ]
    assert got == expected
    assert quotations[2].speaker_id == alma.lison.pk
    grishina = SpeakerPage.objects.get(title="Natalia N. Grishina")
    assert not grishina.live
    assert grishina.get_latest_revision_as_object().role_on(date(2021, 4, 20)) == (
        "Director of the Ryazan Oblast Scientific Library"
    )
    kuzmin = SpeakerPage.objects.get(title="Pavel L. Kuzmin")
    position = kuzmin.positions.get()
    assert (position.role_title, position.organization_id) == ("Director General", alma.lfl.pk)
    assert (position.start_date, position.end_date) == (date(2021, 4, 20), date(2021, 4, 20))
    announcement = AwardAnnouncementPage.objects.get(announced_at=page)
    assert announcement.get_parent().pk == alma.award.pk  # the Rudomino Award, matched
    assert (announcement.kind, announcement.season_year, announcement.live) == (
        "established",
        2021,
        False,
    )
    assert any(message.startswith("quotation 5/5") for message in messages)
    assert ForumEditionPage.objects.filter(live=True).count() == 2  # nothing published


def test_same_report_again_changes_nothing(alma, reference_2021):
    import_path(reference_2021)
    before = (
        SpeakerPage.objects.count(),
        QuotationPage.objects.count(),
        Organization.objects.count(),
        AwardAnnouncementPage.objects.count(),
        ImportRecord.objects.count(),
    )
    prepared, result = import_path(reference_2021)
    assert prepared.plan.action == UNCHANGED and result.action == UNCHANGED
    # The preview says so for the parts too, not "update page N" for each quotation.
    lines = prepared.plan.describe()
    assert not [line for line in lines if ": update " in line]
    quotation_lines = [line for line in lines if line.startswith("  quotation ")]
    assert len(quotation_lines) == 5
    assert all(": unchanged: page " in line for line in quotation_lines)
    assert any(line.startswith("  award: ") and ": unchanged: page " in line for line in lines)
    after = (
        SpeakerPage.objects.count(),
        QuotationPage.objects.count(),
        Organization.objects.count(),
        AwardAnnouncementPage.objects.count(),
        ImportRecord.objects.count(),
    )
    assert after == before


def test_revised_report_updates_its_drafts_without_duplicates(alma, reference_2021, tmp_path):
    _prepared, first = import_path(reference_2021)
    revised = tmp_path / "alma-2021-forum-report.txt"
    text = reference_2021.read_text(encoding="utf-8")
    revised.write_text(
        text.replace("Among its 147 participants", "Among its 148 participants").replace(
            "Bravo!”", "Bravo! Thank you!”"
        ),
        encoding="utf-8",
    )
    quotations = QuotationPage.objects.count()
    speakers = SpeakerPage.objects.count()
    prepared, result = import_path(revised)
    assert prepared.plan.action == UPDATE and result.action == UPDATE
    assert result.page.pk == first.page.pk
    assert draft(first.page).participant_count == 148
    assert QuotationPage.objects.count() == quotations
    assert SpeakerPage.objects.count() == speakers
    last = quotations_of(first.page)[-1].get_latest_revision_as_object()
    assert last.text.endswith("Bravo! Thank you!")


def test_an_editors_change_is_not_overwritten(alma, reference_2021, tmp_path):
    _prepared, first = import_path(reference_2021)
    quotation = quotations_of(first.page)[0].get_latest_revision_as_object()
    quotation.speaker_role = "Deputy Minister"
    quotation.save_revision()
    edition = draft(first.page)
    edition.theme = "Leaders"
    edition.save_revision()
    revised = tmp_path / reference_2021.name
    revised.write_text(
        reference_2021.read_text(encoding="utf-8").replace("147 participants", "150 participants"),
        encoding="utf-8",
    )
    prepared = service.prepare(revised)
    assert prepared.plan.conflicts == ["edition: theme", "quotation 1: speaker_role"]
    assert "refused" in prepared.plan.describe()[-1]
    with pytest.raises(ImportConflict, match="quotation 1: speaker_role"):
        service.run(prepared)
    assert draft(first.page).participant_count == 147


# --- the "said:" sample ------------------------------------------------------------------------


def test_said_sample_imports_as_its_readme_says(alma, said_sample):
    prepared, result = import_path(said_sample)
    assert prepared.kind.name == "forum-report"
    edition = draft(result.page)
    assert edition.start_date == date(2023, 9, 12) and edition.format == "online"
    assert edition.duration_hours == 3
    assert (edition.participant_count, edition.participant_count_qualifier) == (96, "exact")
    assert (edition.online_viewer_count, edition.online_viewer_count_qualifier) == (2300, "about")
    assert speaker_name(edition.moderator) == "Aigul R. Safina"
    assert edition.host.name == "National Library of the Republic of Tatarstan"
    assert edition.city == "Kazan"
    panels = [c.value for c in edition.body if c.block_type == "discussion_panel"]
    assert [p["title"] for p in panels] == ["Reading and families", "Young professionals"]
    assert [speaker_name(p["moderator"]["speaker"]) for p in panels] == [
        "Elena V. Kuznetsova",
        "Timur A. Zakirov",
    ]
    assert [[(speaker_name(s["speaker"]), s["topic"]) for s in p["speakers"]] for p in panels] == [
        [
            ("Rustam K. Valiev", "family reading clubs in small towns"),
            ("Maria S. Belova", "what the reading surveys of 2022 tell us"),
        ],
        [
            ("Olga D. Fedorova", "mentoring in the first year"),
            ("Daniil I. Smirnov", "a chatbot for the catalogue"),
        ],
    ]
    people = {
        "Aigul R. Safina": "Deputy Director for Reading Programmes",
        "Ildar M. Gainutdinov": "Director of the National Library",
        "Nadezhda P. Orlova": "President of the Regional Library Association",
        "Elena V. Kuznetsova": "Head of the Children's Department",
        "Rustam K. Valiev": "Director of the Almetyevsk Central Library",
        "Maria S. Belova": "library scholar",
        "Timur A. Zakirov": (
            "Chair of the Young Librarians Section of the Regional Library Association"
        ),
        "Olga D. Fedorova": "librarian at the Chistopol Library for Young Adults",
        "Daniil I. Smirnov": "IT specialist at the National Library",
    }
    created = SpeakerPage.objects.filter(title__in=people)
    assert created.count() == 9
    for page in created:
        assert page.get_latest_revision_as_object().role_on(date(2023, 9, 12)) == people[page.title]
    quotations = quotations_of(result.page)
    assert [(speaker_name(q.speaker), q.speaker_role) for q in quotations] == [
        ("Ildar M. Gainutdinov", "Director of the National Library"),
        ("Maria S. Belova", "library scholar"),
    ]
    assert quotations[0].text.startswith("Trust is the capital of a library.")
    announcement = AwardAnnouncementPage.objects.get(announced_at=result.page)
    award = AwardPage.objects.get(pk=announcement.get_parent().pk)
    assert (award.name, award.live) == ("Riverside Award for Reading Promotion", False)
    assert (announcement.kind, announcement.season_year) == ("winners", 2023)
    winners = [w.value for w in announcement.winners]
    assert [w["place"] for w in winners] == [1, 2]
    assert [w["recipient_organization"].name for w in winners] == [
        "Almetyevsk Central Library",
        "Chistopol Library for Young Adults",
    ]
    assert [w["project_title"] for w in winners] == [
        "Reading Evenings for Families",
        "First-Year Mentors",
    ]


# --- our own layouts: the facts in the JSON beside each document -------------------------------

OWN = [
    "programme-chairs.txt",
    "quote-then-speaker.md",
    "award-citations.txt",
    "report-ru.md",
    # "met online", "hosted by X (ABBR)", a speaker line with joined initials ("M.P. Ellory").
    "said-online-host.md",
    # «...» quotations, patronymics, a speaker line with joined Cyrillic initials ("И.С. Бахтин").
    "report-ru-patronymics.txt",
]


def check_facts(result, facts):
    edition = draft(result.page)
    for name in ("title", "theme", "format", "participant_count", "online_viewer_count", "city"):
        if name in facts:
            assert getattr(edition, name) == facts[name], name
    assert edition.start_date.isoformat() == facts["start_date"]
    if "duration_hours" in facts:
        assert edition.duration_hours == Decimal(str(facts["duration_hours"]))
    if "moderator" in facts:
        assert speaker_name(edition.moderator) == facts["moderator"]
    if "host" in facts:
        assert edition.host.name == facts["host"]
    panels = [c.value for c in edition.body if c.block_type == "discussion_panel"]
    got_panels = [
        {
            "title": p["title"],
            "moderator": speaker_name(p["moderator"]["speaker"])
            if p["moderator"]["speaker"]
            else "",
            "speakers": [speaker_name(s["speaker"]) for s in p["speakers"]],
        }
        for p in panels
    ]
    assert got_panels == facts.get("panels", [])
    quotations = quotations_of(result.page)
    assert [
        {"speaker": speaker_name(q.speaker), "role": q.speaker_role, "text": q.text}
        for q in quotations
    ] == facts.get("quotations", [])
    for name, role in facts.get("positions", {}).items():
        page = SpeakerPage.objects.get(title=name).get_latest_revision_as_object()
        assert page.role_on(edition.start_date) == role, name
    award = facts.get("award")
    if award:
        announcement = AwardAnnouncementPage.objects.get(announced_at=result.page)
        assert announcement.get_parent().specific.name == award["name"]
        assert (announcement.kind, announcement.season_year) == (award["kind"], award["season"])
        winners = [
            {
                "place": w.value["place"],
                "recipient": (
                    w.value["recipient_organization"].name
                    if w.value["recipient_organization"]
                    else w.value["recipient_name"]
                ),
                "project_title": w.value["project_title"],
                "citation": w.value["citation"].source,
            }
            for w in announcement.winners
        ]
        assert winners == award["winners"]


@pytest.mark.parametrize("name", OWN)
def test_own_documents_import_to_their_facts(alma, locale_ru, name):
    path = DOCUMENTS / name
    facts = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    if facts.get("locale") == "ru":
        _russian_site(alma, locale_ru)
    prepared, result = import_path(path, locale=facts.get("locale"))
    assert prepared.kind.name == "forum-report"  # detected
    check_facts(result, facts)


def test_docx_report_imports_to_the_same_facts_as_its_text(alma, locale_ru, tmp_path):
    path = forum_report_docx(tmp_path / "programme-chairs.docx")
    facts = json.loads((DOCUMENTS / "programme-chairs.json").read_text(encoding="utf-8"))
    prepared, result = import_path(path)
    assert prepared.kind.name == "forum-report"
    check_facts(result, facts)


def _russian_site(alma, locale_ru):
    from wagtail.models import Page

    from alma_cms.pages.models import ForumIndexPage, QuotationIndexPage, SpeakerIndexPage

    home = Page.objects.get(pk=alma.forum_index.get_parent().pk)
    ru_home = home.copy_for_translation(locale_ru)
    for model, title, slug in (
        (ForumIndexPage, "Форум", "forum"),
        (SpeakerIndexPage, "Спикеры", "speakers"),
        (QuotationIndexPage, "Цитаты", "quotations"),
    ):
        ru_home.add_child(instance=model(title=title, slug=slug, locale=locale_ru))


# --- bad input -----------------------------------------------------------------------------


def parse_text(text):
    return parse_forum_report(lines_to_blocks(text), "report.txt")


def test_host_line_keeps_the_short_name_apart():
    report = parse_text(
        "Riverbend Congress 2024\n\nOn 20 March 2024, 250 participants met.\n\n"
        "Host: Riverbend Public Libraries (RPL)\n\n"
        "Quotation: “Open knowledge is free of barriers.”\n"
        "A.S. Khalil, Director of the Open Shelf Foundation\n"
    )
    assert (report.host, report.host_short) == ("Riverbend Public Libraries", "RPL")
    assert report.quotations[0].speaker == "A. S. Khalil"
    assert report.quotations[0].role == "Director of the Open Shelf Foundation"


def test_a_host_line_alone_does_not_make_the_host_the_venue_and_the_city_is_read():
    report = parse_text(
        "Riverbend Congress 2024\n\nOn 20 March 2024, 250 participants met in Leeds.\n\n"
        "Host: Riverbend Public Libraries (RPL)\n\n"
        "Quotation: “Open knowledge is free of barriers.”\n"
        "A.S. Khalil, Director of the Open Shelf Foundation\n"
    )
    assert (report.host, report.host_short) == ("Riverbend Public Libraries", "RPL")
    assert (report.venue, report.city) == ("", "Leeds")


def test_a_russian_report_imports_its_host_and_city(alma, tmp_path):
    path = tmp_path / "sibir.txt"
    path.write_text(
        "Форум «Читающая Сибирь» 2024\n\n"
        "12 марта 2024 г. в Новосибирске собрались 80 участников.\n\n"
        "Форум провела Новосибирская областная научная библиотека (НОНБ).\n\n"
        "Модератор: Елена Викторовна Смирнова, заместитель директора.\n",
        encoding="utf-8",
    )
    prepared, result = import_path(path)  # detected: "Форум провела" is a report's sentence
    lines = prepared.plan.describe()
    assert "  venue: Новосибирск" in lines
    assert any("host: Новосибирская областная научная библиотека (НОНБ)" in line for line in lines)
    edition = draft(result.page)
    assert (edition.city, edition.venue) == ("Новосибирск", "")
    assert (edition.host.name, edition.host.short_name) == (
        "Новосибирская областная научная библиотека",
        "НОНБ",
    )


def test_the_host_is_the_venue_when_the_text_places_the_event_there():
    report = parse_text(
        "Riverbend Congress 2024\n\nOn 20 March 2024 in Leeds, 250 participants met at the "
        "Riverbend Public Libraries.\n\nHost: Riverbend Public Libraries (RPL)\n"
    )
    assert (report.venue, report.city) == ("Riverbend Public Libraries", "Leeds")


def test_the_venue_is_the_place_the_text_names():
    report = parse_text(
        "Riverbend Congress 2024\n\nOn 20 March 2024 in Leeds, Riverbend Public Libraries (RPL) "
        "hosted the congress at the Central Reading Rooms. 250 participants met.\n"
    )
    assert (report.host, report.host_short) == ("Riverbend Public Libraries", "RPL")
    assert (report.venue, report.city) == ("Central Reading Rooms", "Leeds")


@pytest.mark.parametrize(
    ("sentence", "city"),
    [
        ("The forum was held in Leeds on 20 March 2024 with 250 participants.", "Leeds"),
        ("The forum took place in New York on 20 March 2024; 250 participants came.", "New York"),
        ("On 20 March 2024 in Leeds 250 participants met.", "Leeds"),
        # Not a city: a month, or a capitalised place that is an organisation's name.
        ("The forum was held in March: on 20 March 2024 250 participants met.", ""),
        ("On 20 March 2024 in Riverbend Central Library 250 participants met.", ""),
    ],
)
def test_the_city_in_the_opening_sentence(sentence, city):
    assert parse_text(f"Riverbend Congress 2024\n\n{sentence}\n").city == city


def test_a_russian_host_sentence_with_its_short_name_and_the_city():
    report = parse_text(
        "Форум «Читающая Сибирь» 2024\n\n"
        "12 марта 2024 г. в Новосибирске собрались 80 участников.\n\n"
        "Форум провела Новосибирская областная научная библиотека (НОНБ).\n"
    )
    assert (report.host, report.host_short) == (
        "Новосибирская областная научная библиотека",
        "НОНБ",
    )
    assert report.organizations["НОНБ"] == "Новосибирская областная научная библиотека"
    assert (report.venue, report.city) == ("", "Новосибирск")


@pytest.mark.parametrize(
    "sentence",
    [
        "Новосибирская областная научная библиотека (НОНБ) провела форум.",
        "Форум организовала Новосибирская областная научная библиотека (НОНБ) в Новосибирске.",
        "Участников принимала Новосибирская областная научная библиотека (НОНБ).",
    ],
)
def test_russian_host_sentences(sentence):
    report = parse_text(f"Форум 2024\n\n12 марта 2024 г. собрались 80 участников. {sentence}\n")
    assert (report.host, report.host_short) == (
        "Новосибирская областная научная библиотека",
        "НОНБ",
    )


def test_a_russian_short_name_does_not_take_the_sentence_before_it():
    report = parse_text(
        "Форум 2024\n\n12 марта 2024 г. собрались 80 участников. В форуме участвовала "
        "Библиотека иностранной литературы (ВГБИЛ).\n"
    )
    assert report.organizations["ВГБИЛ"] == "Библиотека иностранной литературы"


def test_na_baze_makes_the_host_the_venue_in_the_nominative():
    with_short = parse_text(
        "Форум 2024\n\n12 марта 2024 г. форум прошёл на базе Новосибирской областной научной "
        "библиотеки (НОНБ). Приняли участие 80 участников.\n"
    )
    assert (with_short.host, with_short.host_short, with_short.venue) == (
        "Новосибирская областная научная библиотека",
        "НОНБ",
        "Новосибирская областная научная библиотека",
    )
    without = parse_text(
        "Форум 2024\n\n12 марта 2024 г. форум прошёл на базе Омской областной библиотеки. "
        "Приняли участие 80 участников.\n"
    )
    assert (without.host, without.venue) == ("Омская областная библиотека",) * 2


@pytest.mark.parametrize(
    ("sentence", "city"),
    [
        ("12 марта 2024 г. в Новосибирске собрались 80 участников.", "Новосибирск"),
        ("Форум прошёл в Казани 12 марта 2024 г.; 80 участников.", "Казань"),
        ("Форум состоялся в Екатеринбурге 12 марта 2024 г.; 80 участников.", "Екатеринбург"),
        ("Форум прошёл в Москве 12 марта 2024 г.; 80 участников.", "Москва"),
        # A place, not a city: an adjective's ending.
        ("12 марта 2024 г. в Областной научной библиотеке собрались 80 участников.", ""),
    ],
)
def test_a_russian_city_in_the_locative_is_stored_in_the_nominative(sentence, city):
    assert parse_text(f"Форум 2024\n\n{sentence}\n").city == city


def test_an_uncertain_russian_city_is_left_empty_with_a_note():
    report = parse_text("Форум 2024\n\n12 марта 2024 г. в Ельце собрались 80 участников.\n")
    assert report.city == ""
    assert any("«в Ельце»" in note for note in report.notes)


def test_a_quotation_with_no_speaker_names_its_line():
    text = (
        "ALMA 2024: a meeting\n\nOn 20 April 2024 the forum had 50 participants.\n\n"
        "Quotation: “Libraries lead.”\n\nThe meeting then closed.\n"
    )
    with pytest.raises(DocumentError, match="no speaker") as error:
        parse_text(text)
    assert error.value.ref == "line 5"


def test_a_short_report_with_a_speakerless_quotation_is_detected_and_names_its_line(tmp_path):
    # Detected as a report (a "Moderator:" line, a "Quotation:" line), so the error is the
    # quotation's, at its line, not "looks like none of the kinds" at line 1.
    path = tmp_path / "lakeside.txt"
    path.write_text(
        "Lakeside Forum 2024\n\nOn 5 May 2024 the Lakeside Forum met in Oslo. "
        "60 participants took part.\n\nModerator: Ingrid K. Solberg, Director of Oslo Public "
        "Library\n\nQuotation: “A library is a promise kept every morning.”\n\n"
        "The forum closed with thanks to the hosts.\n",
        encoding="utf-8",
    )
    with pytest.raises(DocumentError, match="no speaker") as error:
        service.prepare(path)
    assert error.value.ref == "line 7"


def test_a_quotation_at_the_end_with_no_speaker_is_refused():
    with pytest.raises(DocumentError) as error:
        parse_text("ALMA 2024\n\nOn 20 April 2024, 50 participants met.\n\nQuotation: “Yes.”\n")
    assert error.value.ref == "line 5"


def test_no_recognisable_structure_is_a_clear_error():
    with pytest.raises(DocumentError, match="no recognisable forum report structure"):
        parse_text("A note\n\nOn 20 April 2024 it rained.\n")
    with pytest.raises(DocumentError, match="no date found"):
        parse_text("A note\n\nIt rained, and 50 participants got wet.\n")


def test_command_imports_a_forum_report_by_kind(alma, said_sample):
    from .conftest import run_import

    out, err = run_import(said_sample, "--kind", "forum-report", "--dry-run")
    assert "speaker Aigul R. Safina: new speaker page" in out
    assert "Dry run: nothing was written." in out
    assert not ForumEditionPage.objects.filter(title__startswith="Riverside").exists()
    out, err = run_import(said_sample)
    assert "Created draft page" in out and "quotation 2/2" in err


# --- detection and the cost of a plan -------------------------------------------------------


@pytest.mark.parametrize(
    ("relative", "kind"),
    [
        ("reference/alma-2021-forum-report.txt", "forum-report"),
        ("samples/forum-report-said.md", "forum-report"),
        ("reference/alma-2019-final-document.txt", "final-document"),
        ("samples/final-document-decimal.txt", "final-document"),
    ],
)
def test_the_reference_documents_and_samples_are_detected(relative, kind):
    assert service.detect_kind(read_blocks(shared_file(relative))).name == kind


def test_planning_a_reimport_reads_a_fixed_number_of_queries(
    alma, said_sample, django_assert_num_queries
):
    import_path(said_sample)
    report = parse_forum_report(read_blocks(said_sample), said_sample.name)
    from alma_cms.importer.forum_report_plan import plan_forum_report

    # Locale, three indexes, records, all speakers and their positions at once, organizations,
    # award: not one query per speaker or quotation.
    with django_assert_num_queries(16):
        plan = plan_forum_report(report, source_name=said_sample.name)
    assert plan.action == UNCHANGED


def test_a_matched_speaker_without_a_position_that_day_gets_it_in_a_draft(
    alma, reference_2021, tmp_path
):
    lison = SpeakerPage.objects.get(pk=alma.lison.pk)
    lison.positions.all().delete()  # no position on 20 April 2021 now
    lison.save_revision().publish()
    prepared = service.prepare(reference_2021)
    assert any(
        "speaker Barbara Lison: matched" in line and "add the position" in line
        for line in prepared.plan.describe()
    )
    service.run(prepared)
    lison = SpeakerPage.objects.get(pk=alma.lison.pk)
    assert lison.live and lison.has_unpublished_changes  # the live page is unchanged
    assert lison.positions.count() == 0
    position = lison.get_latest_revision_as_object().positions.get()
    assert (position.label, position.start_date) == ("IFLA President-elect", date(2021, 4, 20))
    revisions = lison.revisions.count()
    revised = tmp_path / reference_2021.name
    revised.write_text(
        reference_2021.read_text(encoding="utf-8").replace("147 participants", "149 participants"),
        encoding="utf-8",
    )
    prepared, result = import_path(revised)
    assert result.action == UPDATE
    assert SpeakerPage.objects.get(pk=alma.lison.pk).revisions.count() == revisions  # not again


def test_a_day_range_moderated_by_and_people_who_took_part():
    report = parse_text(
        "Library Week 2022\n\nThe forum took place on 20–21 April 2022 in Kazan and was "
        "moderated by Barbara Lison, IFLA President-elect. Over 300 people took part.\n"
    )
    assert (report.start_date, report.end_date) == (date(2022, 4, 20), date(2022, 4, 21))
    assert report.moderator == "Barbara Lison"
    assert report.people == {"Barbara Lison": "IFLA President-elect"}
    assert (report.participant_count, report.participant_qualifier) == (300, "more_than")
    assert report.format == "in_person" and report.viewer_count is None


def test_a_quotation_label_on_its_own_line_and_winners_announced_in_a_sentence():
    report = parse_text(
        "Reading Days 2022\n\nOn 5 May 2022, 40 participants met.\n\nQuotation:\n"
        "“Read aloud.”\nAnna K. Lind, librarian\n\n"
        "The winners of the Lind Prize 2022 were announced:\n"
        "1. Town Library — “Aloud”\n"
    )
    assert [(q.text, q.speaker, q.role) for q in report.quotations] == [
        ("Read aloud.", "Anna K. Lind", "librarian")
    ]
    assert (report.award.name, report.award.kind, report.award.season) == (
        "Lind Prize",
        "winners",
        2022,
    )
    assert [(w.place, w.recipient, w.project_title) for w in report.award.winners] == [
        (1, "Town Library", "Aloud")
    ]
    assert ["paragraph", "quotation", "paragraph"] == [kind for kind, _ in report.body]


# --- panels told in prose; people named beside a position without an initial -----------------


def test_reference_2021_prose_panels_come_out_as_the_demos(reference_2021):
    report = parse_forum_report(read_blocks(reference_2021), reference_2021.name)
    got = [
        (
            panel.title,
            panel.moderator and (panel.moderator.name, panel.moderator.role),
            [speaker.name for speaker in panel.speakers],
        )
        for panel in report.panels
    ]
    assert got == [
        ("International level", None, ["Barbara Lison"]),
        (
            "Leading national projects of Russia and the USA",
            None,
            ["Vadim V. Duda", "Loida Garcia Febo"],
        ),
        (
            "Regional libraries’ leadership",
            (
                "Lyubov A. Kazachenkova",
                "Director General of the company «ID Modern Library»",
            ),
            [
                "Zoya V. Chalova",
                "Larissa A. Suleimanova",
                "Larissa M. Magazevskaya",
                "Tatiana P. Zhuravleva",
                "Anna R. Galeyeva",
                "Olga S. Vovk",
            ],
        ),
    ]
    # The demo's speakers of each panel, in its order (names as the demo writes them).
    demo_panels = [
        [item["value"]["speaker"] for item in block["value"]["speakers"]]
        for block in demo.edition_2021_body(lambda kind, key: _Ref(key))
        if block.get("type") == "discussion_panel"
    ]
    assert [[_Ref.key_of(s) for s in panel] for panel in demo_panels] == [
        ["lison"],
        ["duda", "garcia-febo"],
        ["chalova", "suleimanova", "magazevskaya", "zhuravleva", "galeyeva", "vovk"],
    ]
    duda, garcia_febo = report.panels[1].speakers
    assert garcia_febo.role == "international library expert"
    assert garcia_febo.topic == (
        "The nation-wide leadership projects of the American Library Association"
    )
    assert duda.topic.startswith("The background and results of the national project")
    assert report.panels[2].speakers[2].topic == "Youth projects"
    assert report.panels[2].speakers[4].topic == ""  # two people, one shared sentence: none
    # The closing words end the last panel: Kuzmin's announcement is the report's own.
    kinds = [kind for kind, _value in report.body]
    assert kinds.count("panel") == 3 and kinds[-2:] == ["paragraph", "paragraph"]
    assert report.body[-2][1].startswith("In conclusion")


class _Ref:
    """A stand-in for the demo loader's page lookup: ``ref(kind, key).pk`` is the key."""

    def __init__(self, key):
        self.pk = key

    @staticmethod
    def key_of(value):
        return value


def test_reference_2021_names_every_demo_speaker_and_no_organisation(reference_2021):
    report = parse_forum_report(read_blocks(reference_2021), reference_2021.name)
    # Daria Beliakova is named only in the byline (a co-author), not in the report's text.
    expected = [_en(s["title"]) for s in demo.SPEAKERS if s["key"] != "beliakova"]
    missing = [name for name in expected if not any(same_person(name, p) for p in report.people)]
    assert missing == []
    extra = [p for p in report.people if not any(same_person(p, name) for name in expected)]
    assert extra == []  # nothing that is not a person ("Library for Foreign Literature")
    assert report.people["Christine Mackenzie"] == "IFLA President"
    assert report.people["Barbara Lison"] == "IFLA President-elect"


def test_reference_2021_creates_or_matches_speaker_pages_for_plainly_named_people(
    alma, reference_2021
):
    # The test site has pages for Christine Mackenzie and Barbara Lison, none for Garcia Febo.
    speakers = SpeakerPage.objects.count()
    prepared = service.prepare(reference_2021)
    lines = prepared.plan.describe()
    for name in ("Christine Mackenzie", "Barbara Lison"):
        assert any(line.startswith(f"  speaker {name}: matched speaker page") for line in lines)
    assert (
        "  speaker Loida Garcia Febo: new speaker page, position on 2021-04-20: international "
        "library expert"
    ) in lines
    result = service.run(prepared)
    people = parse_forum_report(read_blocks(reference_2021)).people
    matched = 3  # Gorokhova, Mackenzie, Lison
    assert SpeakerPage.objects.count() == speakers + len(people) - matched
    mackenzie = SpeakerPage.objects.get(title="Christine Mackenzie")
    assert mackenzie.pk == alma.mackenzie.pk
    garcia_febo = SpeakerPage.objects.get(title="Loida Garcia Febo")
    assert not garcia_febo.live
    assert garcia_febo.get_latest_revision_as_object().role_on(date(2021, 4, 20)) == (
        "international library expert"
    )
    assert not SpeakerPage.objects.filter(title__icontains="Library").exists()
    assert not SpeakerPage.objects.filter(title__icontains="Association").exists()
    edition = draft(result.page)
    panels = [child.value for child in edition.body if child.block_type == "discussion_panel"]
    assert [str(panel["title"]) for panel in panels] == [
        "International level",
        "Leading national projects of Russia and the USA",
        "Regional libraries’ leadership",
    ]
    assert [speaker_name(item["speaker"]) for item in panels[1]["speakers"]] == [
        "Vadim V. Duda",
        "Loida Garcia Febo",
    ]
    assert panels[0]["speakers"][0]["speaker"].pk == alma.lison.pk  # matched, not created
    assert speaker_name(panels[2]["moderator"]["speaker"]) == "Lyubov A. Kazachenkova"
    assert len(panels[2]["speakers"]) == 6


@pytest.mark.parametrize(
    ("sentence", "people"),
    [
        (
            "The IFLA President Christine Mackenzie and the Russian Library Association (RLA) "
            "President Mikhail D. Afanasyev welcomed the participants.",
            [("Christine Mackenzie", "IFLA President"), ("Mikhail D. Afanasyev", "President")],
        ),
        (
            "Loida Garcia Febo, an international library expert, spoke about projects.",
            [("Loida Garcia Febo", "international library expert")],
        ),
        ("The tour of the Library for Foreign Literature ended the day.", []),
        ("The Director of the Russian State Library welcomed the guests.", []),
        ("Director General of the Russian Library Association (RLA) spoke.", []),
        ("Guests saw the American Cultural Center, a well-equipped space.", []),
        ("Head Librarian Anna Smith opened it.", [("Anna Smith", "Head Librarian")]),
        ("In Saint Petersburg, the libraries of the region grew.", []),
        ("Moscow City Library, the host, welcomed the guests.", []),
    ],
)
def test_people_named_beside_a_position_without_an_initial(sentence, people):
    assert [found[:2] for found in all_people_in(sentence)] == people


def _report(text):
    return parse_forum_report(lines_to_blocks(text), "report.txt")


def test_a_prose_panel_needs_a_topic_or_a_moderator_and_ends_at_the_closing_words():
    report = _report(
        "Libraries Day\n\n"
        "On 12 May 2024, 40 participants met in Leeds.\n\n"
        "The next session will be held in May.\n\n"
        "The first panel focused on rural libraries. Director Anna Smith spoke about mobile "
        "libraries.\n\n"
        "Jane Rowe, a county librarian, described book boxes.\n\n"
        "In conclusion, Director Tom Hale thanked everyone."
    )
    assert [(p.title, [(s.name, s.role, s.topic) for s in p.speakers]) for p in report.panels] == [
        (
            "Rural libraries",
            [
                ("Anna Smith", "Director", "Mobile libraries"),
                ("Jane Rowe", "county librarian", "Book boxes"),
            ],
        )
    ]
    assert [kind for kind, _value in report.body] == [
        "paragraph",
        "paragraph",
        "panel",
        "paragraph",
    ]
    assert report.people["Tom Hale"] == "Director"  # a person, not the panel's speaker
