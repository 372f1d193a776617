"""Carrying out a :class:`~alma_cms.importer.forum_report_plan.ForumReportPlan` in one
transaction, every page a draft (never published): organizations, speakers (new ones with the
position the report gives, dated by the edition), the edition, its quotations, the award
announcement; then the edition's body, which shows the quotations."""

import uuid

from django.utils.html import escape

from ..models import Organization
from ..pages.models import (
    AwardAnnouncementPage,
    AwardPage,
    ForumEditionPage,
    QuotationPage,
    SpeakerPage,
    SpeakerPosition,
)
from .forum_report_plan import AWARD_RECORD, QUOTATION_RECORD
from .plan import CREATE, UPDATE
from .writer import ImportResult, check_record, save_record, unique_slug, write_atomically

_LABELS = {
    "en": ("Participants", "Online viewers", "Hours"),
    "ru": ("Участники", "Зрители онлайн", "Часы"),
}


def _html(paragraphs):
    return "".join(f"<p>{escape(text)}</p>" for text in paragraphs)


def _kind(name):
    lower = name.lower()
    if "librar" in lower or "библиотек" in lower:
        return Organization.Kind.LIBRARY
    if "association" in lower or "ассоциац" in lower:
        return Organization.Kind.ASSOCIATION
    return Organization.Kind.OTHER


def _organizations(plan, progress):
    found = {}
    for key, organization in plan.organizations.items():
        if organization.match is None:
            organization.match = Organization.objects.create(
                name=organization.name[:255],
                short_name=organization.short_name[:50],
                kind=_kind(organization.name),
                locale=plan.locale,
            )
            progress(f"created organization {organization.name}")
        found[key] = organization.match
    return found


def _split_name(name):
    words = name.split()
    return words[0], " ".join(words[1:-1]), words[-1]


def _speakers(plan, progress):
    """name → SpeakerPage: new drafts for the names not matched; a matched page with no
    position on the edition's day gets the report's one in a draft revision."""
    shorts = {
        o.short_name.lower(): o
        for o in Organization.objects.filter(locale=plan.locale).exclude(short_name="")
    }
    pages = {}
    for name, speaker in plan.speakers.items():
        if speaker.match is not None:
            pages[name] = speaker.match
            if speaker.add_position:
                # A draft revision: a live speaker page stays as it is until an editor publishes.
                page = speaker.match.get_latest_revision_as_object()
                page.positions.add(_position(plan, speaker.role, shorts))
                page.save_revision(log_action=True)
                progress(f"added the position {speaker.role!r} to speaker {name}")
            continue
        given, middle, family = _split_name(name)
        page = SpeakerPage(
            title=name[:255],
            slug=unique_slug(plan.speaker_index, name, "page"),
            given_name=given[:100],
            middle_name=middle[:100],
            family_name=family[:100],
            live=False,
            locale=plan.locale,
        )
        if speaker.role:
            page.positions = [_position(plan, speaker.role, shorts)]
        plan.speaker_index.add_child(instance=page)
        page.save_revision(log_action=True)
        speaker.match = page
        pages[name] = page
        progress(f"created speaker {name}" + (f" ({speaker.role})" if speaker.role else ""))
    return pages


def _position(plan, role, shorts):
    """The position the report gives, held on the edition's day ("LFL Director General":
    role "Director General" at the organization whose short name is LFL)."""
    first, _, rest = role.partition(" ")
    organization = shorts.get(first.lower()) if first.isupper() and rest else None
    day = plan.document.start_date
    return SpeakerPosition(
        role_title=(rest if organization else role)[:255],
        organization=organization,
        start_date=day,
        end_date=day,
        date_precision=SpeakerPosition.Precision.DAY,
        locale=plan.locale,
    )


def _participant(person, speakers):
    if person is None:
        return {"speaker": None, "name": "", "role": "", "topic": ""}
    page = speakers.get(person.name)
    return {
        "speaker": page.pk if page else None,
        "name": "" if page else person.name[:255],
        "role": person.role[:255],
        "topic": person.topic[:500],
    }


def _body(plan, speakers, quotation_pages):
    document = plan.document
    body = []
    labels = _LABELS.get(document.language, _LABELS["en"])
    figures = [
        (labels[0], document.participant_count, document.participant_qualifier),
        (labels[1], document.viewer_count, document.viewer_qualifier),
        (labels[2], int(document.duration_hours or 0) or None, "exact"),
    ]
    items = [
        {
            "type": "item",
            "value": {"label": label, "value": value, "qualifier": qualifier},
            "id": _id(plan, "figure", label),
        }
        for label, value, qualifier in figures
        if value is not None
    ]
    if items:
        body.append({"type": "statistics", "value": {"title": "", "items": items}})
    for kind, value in document.body:
        if kind == "heading":
            body.append(
                {"type": "heading", "value": {"text": value[:255], "level": "h2", "anchor": ""}}
            )
        elif kind == "paragraph":
            body.append({"type": "paragraph", "value": _html([value])})
        elif kind == "quotation":
            body.append(
                {"type": "featured_quotation", "value": {"quotation": quotation_pages[value].pk}}
            )
        elif kind == "panel":
            panel = document.panels[value]
            body.append(
                {
                    "type": "discussion_panel",
                    "value": {
                        "title": panel.title[:255],
                        "scope": _scope(panel.title),
                        "moderator": _participant(panel.moderator, speakers),
                        "speakers": [
                            {
                                "type": "item",
                                "value": _participant(person, speakers),
                                "id": _id(plan, "panel", value, number),
                            }
                            for number, person in enumerate(panel.speakers)
                        ],
                        "summary": _html(panel.summary),
                    },
                }
            )
    # Stable ids from the position, so that a revised file updates blocks in place.
    for index, child in enumerate(body):
        child["id"] = _id(plan, index)
    return body


def _id(plan, *parts):
    """A block id that is the same at every import of the report (its key and position)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "#".join([plan.key, *map(str, parts)])))


def _scope(title):
    lower = title.lower()
    for scope, words in (
        ("international", ("international", "международн")),
        ("national", ("national", "национальн")),
        ("regional", ("regional", "региональн")),
    ):
        if any(word in lower for word in words):
            return scope
    return ""


def _save(parent, page, values, existing):
    """A new draft under ``parent``, or a new revision of ``existing``: the revision."""
    if existing is None:
        for name, value in values.items():
            setattr(page, name, value)
        page.slug = unique_slug(parent, values["title"], "page")
        parent.add_child(instance=page)
    else:
        page = existing.get_latest_revision_as_object()
        for name, value in values.items():
            setattr(page, name, value)
    return page, page.save_revision(clean=True, log_action=True)


def _quotations(plan, edition, speakers, progress):
    document = plan.document
    pages = []
    for number, (quotation, quote_plan) in enumerate(
        zip(document.quotations, plan.quotations, strict=True), start=1
    ):
        speaker = speakers[quotation.speaker]
        words = quotation.text.split()
        excerpt = " ".join(words[:8]) + ("…" if len(words) > 8 else "")
        values = {
            "title": f"{quotation.speaker}: “{excerpt}”"[:255],
            "text": quotation.text,
            "speaker": speaker,
            "speaker_role": quotation.role[:255],
            "forum_edition": edition,
            "said_on": document.start_date,
            "original_language": document.language,
        }
        page, revision = _save(
            plan.quotation_index,
            QuotationPage(live=False, locale=plan.locale),
            values,
            quote_plan.page,
        )
        save_record(plan, QUOTATION_RECORD, quote_plan.key, plan.quotation_index, page, revision)
        progress(f"quotation {number}/{len(document.quotations)}: {quotation.speaker}")
        pages.append(page)
    return pages


def _award(plan, edition, organizations, progress):
    award = plan.document.award
    if award is None:
        return
    award_page = plan.award
    if award_page is None:
        award_page = AwardPage(
            title=award.name[:255],
            slug=unique_slug(plan.parent.get_parent(), award.name, "page"),
            name=award.name[:255],
            established_on=plan.document.start_date if award.kind == "established" else None,
            established_by=organizations.get("host") if award.kind == "established" else None,
            live=False,
            locale=plan.locale,
        )
        plan.parent.get_parent().add_child(instance=award_page)
        award_page.save_revision(log_action=True)
        progress(f"created award page {award.name}")
    winners = []
    for number, winner in enumerate(award.winners, start=1):
        organization = organizations.get(f"winner {number}")
        winners.append(
            {
                "type": "winner",
                "value": {
                    "place": winner.place,
                    "category": "",
                    "recipient_name": "" if organization else winner.recipient[:255],
                    "recipient_organization": organization.pk if organization else None,
                    "project_title": winner.project_title[:255],
                    "citation": _html([winner.citation]) if winner.citation else "",
                    "prize": winner.prize[:255],
                },
                "id": _id(plan, "winner", number),
            }
        )
    label = dict(AwardAnnouncementPage.Kind.choices)[award.kind]
    values = {
        "title": f"{award.name}: {str(label).lower()} {award.season}"[:255],
        "season_year": award.season,
        "announced_on": plan.document.start_date,
        "announced_at": edition,
        "kind": award.kind,
        "summary": award.summary,
        "winners": winners,
    }
    page, revision = _save(
        award_page,
        AwardAnnouncementPage(live=False, locale=plan.locale),
        values,
        plan.announcement.page,
    )
    save_record(plan, AWARD_RECORD, plan.announcement.key, award_page, page, revision)
    progress(f"award announcement: {award.name} ({award.kind})")


def write_forum_report(plan, progress=None):
    """Carry out ``plan``: an ``ImportResult`` for the edition. Nothing is written when the
    report is unchanged; :class:`ImportConflict` when an editor changed a draft it made."""
    return write_atomically(
        plan,
        progress,
        _write,
        noun="report",
        changed="or its quotations were changed after the import",
        drafts="the drafts",
        page="a page",
    )


def _write(plan, progress):
    document = plan.document
    check_record(plan, "report")
    organizations = _organizations(plan, progress)
    speakers = _speakers(plan, progress)
    values = {
        "title": document.title[:255],
        "year": document.start_date.year,
        "theme": document.theme[:500],
        "start_date": document.start_date,
        "end_date": document.end_date,
        "duration_hours": document.duration_hours,
        "format": document.format,
        "venue": document.venue[:255],
        "city": document.city[:100],
        "host": organizations.get("host"),
        "moderator": speakers.get(document.moderator),
        "participant_count": document.participant_count,
        "participant_count_qualifier": document.participant_qualifier,
        "online_viewer_count": document.viewer_count,
        "online_viewer_count_qualifier": document.viewer_qualifier,
    }
    if plan.page is None:
        edition = ForumEditionPage(live=False, locale=plan.locale, body=[])
        for name, value in values.items():
            setattr(edition, name, value)
        edition.slug = unique_slug(plan.parent, document.title, "page")
        plan.parent.add_child(instance=edition)
        progress(f"created forum edition {document.title}")
    else:
        edition = plan.page.get_latest_revision_as_object()
        for name, value in values.items():
            setattr(edition, name, value)
    # Quotations point at the edition (its row exists); its body then points at them.
    quotation_pages = _quotations(plan, edition, speakers, progress)
    _award(plan, edition, organizations, progress)
    edition.body = _body(plan, speakers, quotation_pages)
    revision = edition.save_revision(clean=True, log_action=True)
    progress(f"saved draft revision {revision.pk} of page {edition.pk}")
    save_record(plan, plan.kind, plan.key, plan.parent, edition, revision)
    return ImportResult(CREATE if plan.action == CREATE else UPDATE, edition, revision)
