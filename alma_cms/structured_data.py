"""schema.org structured data (JSON-LD) for every alma-cms page type.

``page_json_ld(page)`` returns one JSON-LD object (a dict with ``"@context"``) describing the
page's main entity; pages serve it in their ``<head>`` (``{% alma_json_ld page %}``) and in the
API (the ``json_ld`` field). The mapping, per page type (see docs/structured-data.md):

- forum index → ``EventSeries`` with the editions as ``subEvent``
- forum edition → ``Event`` (dates, attendance mode, location, organizer, the series as
  ``superEvent``, its discussion panels as ``subEvent`` with their ``performer``\\ s)
- speaker → ``Person`` with dated positions as ``Role`` objects under ``affiliation``
- quotation → ``Quotation`` (``creator`` as a ``Role`` holding the speaker's title at the time,
  the edition it was said at as ``isPartOf``)
- guideline document → ``CreativeWork`` with one ``hasPart`` per guideline ("II.3")
- award → ``CreativeWork`` (the award's regulations) ``about`` the award, a ``Thing``
- award announcement → ``Article`` about the award (and its recipients, for winners)
- index pages → ``CollectionPage`` whose ``mainEntity`` is an ``ItemList`` of the children
- any other page → ``WebPage``

Nodes link through ``@id``\\ s made of the page's full URL and a fragment (``…/alma-2021/#event``).
Everything is computed in the page's own language. A referenced page appears only when it is
live and public (``public_localized``), in the page's language where a translation exists.
"""

import json
from datetime import date, datetime
from decimal import Decimal
from itertools import count

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from wagtail.rich_text import get_text_for_indexing

from .conf import alma_settings
from .representations import IMAGE_RENDITION_SPEC, rich_text_html
from .scope import get_scope

SCHEMA_CONTEXT = "https://schema.org"
SCHEMA = "https://schema.org/"
# schema.org has no type for an award: the award is a Thing of this Wikidata class ("award").
AWARD_ADDITIONAL_TYPE = "http://www.wikidata.org/entity/Q618779"

ATTENDANCE_MODES = {
    "in_person": SCHEMA + "OfflineEventAttendanceMode",
    "online": SCHEMA + "OnlineEventAttendanceMode",
    "hybrid": SCHEMA + "MixedEventAttendanceMode",
}
EVENT_SCHEDULED = SCHEMA + "EventScheduled"

# What ``<script type="application/ld+json">`` must not contain verbatim: "</script>" or "<!--"
# would end or confuse the script element. Same escapes as Django's json_script.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


# --- Entry points ----------------------------------------------------------------------------


def page_json_ld(page, request=None, scope=None):
    """The JSON-LD object of ``page`` (any Wagtail page), computed in the page's language, as
    an anonymous caller may see it. ``scope``: the scope answering the request (default:
    ``get_scope(request)``), whose caches the builder shares."""
    page = page.specific
    locale = getattr(page, "locale", None)
    language = locale.language_code if locale is not None else translation.get_language()
    scope = scope if scope is not None else get_scope(request)
    with translation.override(language):
        builder = JsonLdBuilder(page, scope, request)
        return {"@context": SCHEMA_CONTEXT, **builder.build()}


def json_ld_script(data):
    """``<script type="application/ld+json">`` holding ``data``, safe inside HTML."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(_SCRIPT_ESCAPES)),  # escaped just above
    )


# --- Small helpers ---------------------------------------------------------------------------


def plain_text(scope, value):
    """Plain text of a rich-text value or stored rich-text string ("" for nothing), its links
    rendered for ``scope``."""
    html = rich_text_html(scope, value)
    return " ".join(get_text_for_indexing(html).split()) if html else ""


def iso(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def partial_date(day, precision="day"):
    """An ISO 8601 date at the precision it is known to: "2019", "2019-08", "2019-08-01"."""
    if not day:
        return None
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def compact(node):
    """``node`` without empty values (None, "", [], {}); numbers and False stay."""
    return {key: value for key, value in node.items() if value not in (None, "", [], {})}


def one_or_many(items):
    items = [item for item in items if item]
    if not items:
        return None
    return items[0] if len(items) == 1 else items


def is_public(page, scope):
    """True if ``scope``'s anonymous caller may see ``page``: live, not expired, not
    restricted."""
    return scope.anonymous().is_visible(page)


def _is(page, mixin_name):
    from .pages import mixins

    return isinstance(page, getattr(mixins, mixin_name))


def _is_model(model, mixin_name):
    from .pages import mixins

    return issubclass(model, getattr(mixins, mixin_name))


# --- The builder ----------------------------------------------------------------------------


class JsonLdBuilder:
    """Builds the JSON-LD of one page. URLs are absolute (the site's root URL)."""

    def __init__(self, page, scope, request=None):
        self.page = page
        self.request = request
        self.language = translation.get_language()
        self._urls = {}
        self._organizations_seen = set()
        self._site_root_url = None
        # JSON-LD describes what anyone may see: the rules of an anonymous caller.
        self.scope = scope.anonymous()

    # Visibility

    def is_public(self, page):
        return self.scope.is_visible(page)

    def plain_text(self, value):
        return plain_text(self.scope, value)

    def public_localized(self, page):
        """The visible translation of ``page`` in the active language (else ``page`` itself if
        visible) as its specific class, or None."""
        if page is None:
            return None
        found = self.scope.public_localized(page)
        return found.specific if found is not None else None

    # URLs and ids

    def url(self, page):
        key = page.pk
        if key not in self._urls:
            self._urls[key] = page.get_full_url(request=self.request)
        return self._urls[key]

    def site_root_url(self):
        if self._site_root_url is None:  # one query; the builder asks for each absolute URL
            site = self.page.get_site()
            self._site_root_url = site.root_url if site else ""
        return self._site_root_url

    def absolute(self, url):
        if url and url.startswith("/"):
            return self.site_root_url() + url
        return url

    @staticmethod
    def node_id(url, fragment):
        return f"{url}#{fragment}" if url else None

    # Dispatch

    def build(self):
        page = self.page
        for mixin_name, method in (
            ("ForumIndexPageMixin", self.forum_index),
            ("ForumEditionPageMixin", self.edition),
            ("SpeakerPageMixin", self.speaker_page),
            ("QuotationPageMixin", self.quotation_page),
            ("GuidelineDocumentPageMixin", self.document_page),
            ("AwardPageMixin", self.award_page),
            ("AwardAnnouncementPageMixin", self.announcement_page),
            ("IndexPageMixin", self.collection_page),
        ):
            if _is(page, mixin_name):
                return method(page)
        return self.web_page(page)

    # Pages that are not a main entity of their own

    def web_page(self, page, type_name="WebPage"):
        url = self.url(page)
        return compact(
            {
                "@type": type_name,
                "@id": url,
                "url": url,
                "name": page.seo_title or page.title,
                "description": getattr(page, "search_description", ""),
                "inLanguage": self.language,
            }
        )

    def page_of(self, page, type_name="WebPage"):
        """``mainEntityOfPage`` of a main entity: the page, with its language."""
        url = self.url(page)
        return compact({"@type": type_name, "@id": url, "url": url, "inLanguage": self.language})

    def collection_page(self, page):
        node = self.web_page(page, "CollectionPage")
        if getattr(page, "intro", ""):
            node["description"] = self.plain_text(page.intro)
        items = [self.reference(child, checked=True) for child in page.get_listing()]
        items = [item for item in items if item]
        node["mainEntity"] = {
            "@type": "ItemList",
            "numberOfItems": len(items),
            "itemListElement": [
                {"@type": "ListItem", "position": position, "url": item["url"], "item": item}
                for position, item in enumerate(items, start=1)
            ],
        }
        return node

    # References to other pages (only live and public ones)

    def reference(self, page, checked=False):
        """A short node pointing at another page's main entity, or None if it isn't public.
        ``checked``: ``page`` is known to be live, public and in the page's language."""
        page = page.specific if checked else self.public_localized(page)
        if page is None:
            return None
        if _is(page, "ForumEditionPageMixin"):
            return self.event_reference(page)
        if _is(page, "SpeakerPageMixin"):
            return self.person_reference(page)
        url = self.url(page)
        if _is(page, "QuotationPageMixin"):
            return {
                "@type": "Quotation",
                "@id": self.node_id(url, "quotation"),
                "name": page.title,
                "url": url,
            }
        if _is(page, "GuidelineDocumentPageMixin"):
            return compact(
                {
                    "@type": "CreativeWork",
                    "@id": self.node_id(url, "document"),
                    "name": page.title,
                    "url": url,
                    "datePublished": iso(page.adopted_on),
                }
            )
        if _is(page, "AwardAnnouncementPageMixin"):
            return compact(
                {
                    "@type": "Article",
                    "@id": self.node_id(url, "announcement"),
                    "headline": page.title,
                    "url": url,
                    "datePublished": iso(page.announced_on),
                }
            )
        if _is(page, "AwardPageMixin"):
            return {
                "@type": "Thing",
                "@id": self.node_id(url, "award"),
                "additionalType": AWARD_ADDITIONAL_TYPE,
                "name": page.name or page.title,
                "url": url,
            }
        if _is(page, "ForumIndexPageMixin"):
            return {
                "@type": "EventSeries",
                "@id": self.node_id(url, "series"),
                "name": self.series_name(page),
                "url": url,
            }
        return {"@type": "WebPage", "@id": url, "name": page.title, "url": url}

    def event_reference(self, edition):
        url = self.url(edition)
        return compact(
            {
                "@type": "Event",
                "@id": self.node_id(url, "event"),
                "name": edition.title,
                "url": url,
                "startDate": iso(edition.start_date),
                "endDate": iso(edition.last_day),
            }
        )

    def person_reference(self, speaker):
        url = self.url(speaker)
        return {
            "@type": "Person",
            "@id": self.node_id(url, "person"),
            "name": speaker.full_name or speaker.title,
            "url": url,
        }

    # Organizations (snippets: no page of their own)

    def organization(self, organization):
        """An Organization node: in full the first time, then by ``@id`` and name only."""
        if organization is None:
            return None
        root = self.site_root_url()
        node_id = f"{root}/#organization-{organization.translation_key}" if root else None
        if node_id and node_id in self._organizations_seen:
            return {"@type": "Organization", "@id": node_id, "name": organization.name}
        if node_id:
            self._organizations_seen.add(node_id)
        logo = None
        if organization.logo_id:
            logo = self.image_url(organization.logo)
        address = None
        if organization.city or organization.country:
            address = compact(
                {
                    "@type": "PostalAddress",
                    "addressLocality": organization.city,
                    "addressCountry": organization.country.code if organization.country else None,
                }
            )
        return compact(
            {
                "@type": "Organization",
                # The same id in every language: translations share the translation key.
                "@id": node_id,
                "name": organization.name,
                "alternateName": organization.short_name
                if organization.short_name != organization.name
                else None,
                "url": organization.url,
                "logo": logo,
                "address": address,
            }
        )

    def image_url(self, image):
        if image is None or not self.scope.is_media_visible(image):
            return None
        try:
            rendition = image.get_rendition(IMAGE_RENDITION_SPEC)
        except Exception:  # a missing source file must not break the page
            return None
        return self.absolute(rendition.url)

    # Forum index and editions

    def series_name(self, index):
        editions = index.get_listing()
        if editions:
            return editions[0].display_series_title
        return alma_settings.DEFAULT_SERIES_TITLE

    def series_reference(self, edition):
        parent = edition.get_parent()
        index = self.public_localized(parent) if parent is not None else None
        if index is None or not _is(index, "ForumIndexPageMixin"):
            return {"@type": "EventSeries", "name": edition.display_series_title}
        url = self.url(index)
        return compact(
            {
                "@type": "EventSeries",
                "@id": self.node_id(url, "series"),
                "name": edition.display_series_title,
                "alternateName": index.title
                if index.title != edition.display_series_title
                else None,
                "url": url,
            }
        )

    def forum_index(self, index):
        url = self.url(index)
        editions = index.get_listing()
        name = self.series_name(index)
        organizers = {}
        for edition in editions:
            if edition.host_id and edition.host.translation_key not in organizers:
                organizers[edition.host.translation_key] = self.organization(edition.host)
        organizers = list(organizers.values())
        return compact(
            {
                "@type": "EventSeries",
                "@id": self.node_id(url, "series"),
                "url": url,
                "name": name,
                "alternateName": index.title if index.title != name else None,
                "description": self.plain_text(index.intro),
                "inLanguage": self.language,
                "organizer": one_or_many(organizers),
                "subEvent": [self.event_reference(edition) for edition in editions],
                "mainEntityOfPage": self.page_of(index, "CollectionPage"),
            }
        )

    def locations(self, edition):
        url = self.url(edition)
        host = edition.host if edition.host_id else None
        place = None
        if edition.venue or edition.city:
            country = None
            if host and host.country and (not edition.city or host.city == edition.city):
                country = host.country.code
            place = compact(
                {
                    "@type": "Place",
                    "name": edition.venue or edition.city,
                    "address": compact(
                        {
                            "@type": "PostalAddress",
                            "addressLocality": edition.city,
                            "addressCountry": country,
                        }
                    ),
                }
            )
        elif host and edition.format != "online":
            host_node = self.organization(host)
            place = compact(
                {"@type": "Place", "name": host.name, "address": host_node.get("address")}
            )
        virtual = None
        if edition.format in ("online", "hybrid"):
            virtual = {"@type": "VirtualLocation", "url": edition.recording_url or url}
        if edition.format == "online":
            return virtual
        return one_or_many([place, virtual])

    def participant(self, value):
        """A ParticipantBlock value as a Person, or None. A chosen speaker whose page is not
        public is left out unless the block names the person itself."""
        if not value:
            return None
        speaker = self.public_localized(value.get("speaker")) if value.get("speaker") else None
        if speaker is not None:
            return self.person_reference(speaker)
        if value.get("name"):
            return compact(
                {"@type": "Person", "name": value.get("name"), "jobTitle": value.get("role")}
            )
        return None

    def panels(self, edition):
        url = self.url(edition)
        found = []
        for child in edition.body or []:
            if child.block_type != "discussion_panel":
                continue
            value = child.value
            performers = [self.participant(value.get("moderator"))]
            performers += [self.participant(s) for s in value.get("speakers") or []]
            unique = []
            for person in performers:
                if person and person not in unique:
                    unique.append(person)
            found.append(
                compact(
                    {
                        "@type": "Event",
                        "@id": self.node_id(url, f"panel-{child.id}"),
                        "name": value.get("title"),
                        "description": self.plain_text(value.get("summary")),
                        "startDate": iso(edition.start_date),
                        "endDate": iso(edition.last_day),
                        "eventAttendanceMode": ATTENDANCE_MODES.get(edition.format),
                        "eventStatus": EVENT_SCHEDULED,
                        "inLanguage": self.language,
                        "performer": unique,
                    }
                )
            )
        return found

    def edition(self, edition):
        url = self.url(edition)
        moderator = self.public_localized(edition.moderator)
        duration = None
        if edition.duration_hours:
            minutes = int(Decimal(edition.duration_hours) * 60)
            hours, minutes = divmod(minutes, 60)
            duration = "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
        return compact(
            {
                "@type": "Event",
                "@id": self.node_id(url, "event"),
                "url": url,
                "name": edition.title,
                "description": edition.summary or edition.theme,
                "about": {"@type": "Thing", "name": edition.theme} if edition.theme else None,
                "startDate": iso(edition.start_date),
                "endDate": iso(edition.last_day),
                "duration": duration,
                "eventStatus": EVENT_SCHEDULED,
                "eventAttendanceMode": ATTENDANCE_MODES.get(edition.format),
                "location": self.locations(edition),
                "organizer": self.organization(edition.host) if edition.host_id else None,
                "performer": self.person_reference(moderator) if moderator else None,
                "superEvent": self.series_reference(edition),
                "subEvent": self.panels(edition),
                "workFeatured": [
                    self.reference(document, checked=True)
                    for document in self.adopted_documents(edition)
                ],
                "inLanguage": self.language,
                "mainEntityOfPage": self.page_of(edition),
            }
        )

    def adopted_documents(self, edition):
        """Live, public guideline documents adopted at ``edition`` or filed under it."""
        documents = {
            page.pk: page
            for page in edition.get_children().filter(self.scope.visible_q()).specific()
            if _is(page, "GuidelineDocumentPageMixin")
        }
        for related in type(edition)._meta.related_objects:
            model = related.related_model
            if related.field.name == "adopted_at" and _is_model(
                model, "GuidelineDocumentPageMixin"
            ):
                for page in model.objects.filter(self.scope.visible_q()).filter(adopted_at=edition):
                    documents.setdefault(page.pk, page)
        return sorted(documents.values(), key=lambda page: page.pk)

    # Speakers

    def speaker_page(self, speaker):
        url = self.url(speaker)
        affiliations = []
        job_titles = []
        for position in speaker.positions.all():
            if position.is_current:
                job_titles.append(position.label)
            if position.organization_id:
                organization = self.organization(position.organization)
            elif position.organization_name:
                organization = {"@type": "Organization", "name": position.organization_name}
            else:
                continue
            affiliations.append(
                compact(
                    {
                        "@type": "Role",
                        "roleName": position.role_title,
                        "startDate": partial_date(position.start_date, position.date_precision),
                        "endDate": partial_date(position.end_date, position.date_precision),
                        "affiliation": organization,
                    }
                )
            )
        return compact(
            {
                "@type": "Person",
                "@id": self.node_id(url, "person"),
                "url": url,
                "name": speaker.full_name or speaker.title,
                "honorificPrefix": speaker.honorific_prefix,
                "givenName": speaker.given_name,
                "additionalName": speaker.middle_name,
                "familyName": speaker.family_name,
                "image": self.image_url(speaker.photo) if speaker.photo_id else None,
                "description": speaker.short_bio,
                "jobTitle": one_or_many(job_titles),
                "affiliation": affiliations,
                "mainEntityOfPage": self.page_of(speaker, "ProfilePage"),
            }
        )

    # Quotations

    def quotation_page(self, quotation):
        url = self.url(quotation)
        speaker = self.public_localized(quotation.speaker)
        creator = self.person_reference(speaker) if speaker else None
        if creator and quotation.speaker_role:
            # The title the speaker held when speaking, without making it the person's title.
            creator = {"@type": "Role", "roleName": quotation.speaker_role, "creator": creator}
        edition = self.public_localized(quotation.forum_edition)
        event = {"@id": self.node_id(self.url(edition), "event")} if edition else None
        original = quotation.original_language
        translation_of = None
        if original and original != self.language:
            translation_of = {"@type": "Quotation", "inLanguage": original}
            source = self.translation_in(quotation, original)
            if source is not None:
                translation_of["@id"] = self.node_id(self.url(source), "quotation")
                translation_of["url"] = self.url(source)
        return compact(
            {
                "@type": "Quotation",
                "@id": self.node_id(url, "quotation"),
                "url": url,
                "name": quotation.title,
                "text": quotation.text,
                "inLanguage": self.language,
                "translationOfWork": translation_of,
                "creator": creator,
                "dateCreated": iso(quotation.said_on),
                "isPartOf": event,
                "recordedAt": event,
                "description": quotation.context,
                "isBasedOn": quotation.source_url,
                "mainEntityOfPage": self.page_of(quotation),
            }
        )

    def translation_in(self, page, language_code):
        match = (
            page.get_translations(inclusive=True)
            .filter(locale__language_code=language_code)
            .specific()
            .first()
        )
        return match if match is not None and self.is_public(match) else None

    # Guideline documents

    def document_page(self, document):
        url = self.url(document)
        edition = None
        if document.adopted_at_id:
            edition = self.public_localized(document.adopted_at)
        if edition is None:
            parent = document.get_parent()
            parent = self.public_localized(parent) if parent is not None else None
            if parent is not None and _is(parent, "ForumEditionPageMixin"):
                edition = parent
        publisher = None
        if edition is not None and edition.host_id:
            publisher = self.organization(edition.host)
        creators = [
            {"@type": "Organization", "name": name}
            for name in (document.approved_by, document.finalized_by)
            if name
        ]
        parts = []
        position = count(1)
        for direction in document.numbered_directions:
            direction_node = compact(
                {
                    "@type": "CreativeWork",
                    "@id": self.node_id(url, f"direction-{direction.id}"),
                    "identifier": direction.number,
                    "position": direction.position,
                    "name": direction.title,
                }
            )
            for guideline in direction.guidelines:
                guideline_id = self.node_id(url, f"guideline-{guideline.id}")
                parts.append(
                    compact(
                        {
                            "@type": "CreativeWork",
                            "@id": guideline_id,
                            "url": guideline_id,
                            "identifier": guideline.number,
                            "position": next(position),
                            "name": str(guideline.heading),
                            "text": self.plain_text(guideline.text),
                            "inLanguage": self.language,
                            "isPartOf": direction_node,
                        }
                    )
                )
        event = {"@id": self.node_id(self.url(edition), "event")} if edition else None
        return compact(
            {
                "@type": "CreativeWork",
                "@id": self.node_id(url, "document"),
                "url": url,
                "name": document.title,
                "genre": str(document.get_document_type_display()),
                "creativeWorkStatus": str(document.get_status_display()),
                "inLanguage": self.language,
                "abstract": self.plain_text(document.introduction),
                "dateCreated": iso(document.adopted_on),
                "datePublished": iso(document.adopted_on),
                "creator": one_or_many(creators),
                "publisher": publisher,
                "audience": {"@type": "Audience", "audienceType": document.audience}
                if document.audience
                else None,
                "recordedAt": event,
                "hasPart": parts,
                "mainEntityOfPage": self.page_of(document),
            }
        )

    # Awards

    def award_thing(self, award):
        url = self.url(award)
        return compact(
            {
                "@type": "Thing",
                "@id": self.node_id(url, "award"),
                "additionalType": AWARD_ADDITIONAL_TYPE,
                "name": award.name or award.title,
                "description": self.plain_text(award.purpose),
                "url": url,
            }
        )

    def award_page(self, award):
        url = self.url(award)
        partners = [self.organization(block.value) for block in award.partners if block.value]
        announcements = [
            self.reference(child, checked=True)
            for child in award.get_children().filter(self.scope.visible_q()).specific()
        ]
        return compact(
            {
                "@type": "CreativeWork",
                "@id": self.node_id(url, "regulations"),
                "url": url,
                "name": award.title,
                "inLanguage": self.language,
                "about": self.award_thing(award),
                "creator": self.organization(award.established_by)
                if award.established_by_id
                else None,
                "dateCreated": iso(award.established_on),
                "contributor": one_or_many(partners),
                "audience": {
                    "@type": "Audience",
                    "audienceType": self.plain_text(award.eligibility),
                }
                if self.plain_text(award.eligibility)
                else None,
                "hasPart": [a for a in announcements if a],
                "mainEntityOfPage": self.page_of(award),
            }
        )

    def recipient(self, winner, award_name, season):
        """An award winner (AwardWinnerBlock value) as an Organization or a Person that carries
        the award as text."""
        details = [f"{award_name} {season}".strip()]
        if winner.get("place"):
            details.append(gettext("Place %(place)s") % {"place": winner["place"]})
        for key in ("category", "project_title", "prize"):
            if winner.get(key):
                details.append(str(winner[key]))
        award_text = ", ".join(details)
        organization = winner.get("recipient_organization")
        name = winner.get("recipient_name")
        if organization is not None and not name:
            node = self.organization(organization)
            node["award"] = award_text
            return node
        node = {"@type": "Person", "name": name, "award": award_text}
        if organization is not None:
            node["affiliation"] = self.organization(organization)
        return node

    def announcement_page(self, announcement):
        url = self.url(announcement)
        parent = announcement.get_parent()
        award = self.public_localized(parent) if parent is not None else None
        if award is not None and not _is(award, "AwardPageMixin"):
            award = None
        about = []
        publisher = None
        award_name = ""
        if award is not None:
            award_name = award.name or award.title
            about.append(self.reference(award))
            if award.established_by_id:
                publisher = self.organization(award.established_by)
        if announcement.kind == "winners":
            about += [
                self.recipient(child.value, award_name, announcement.season_year)
                for child in announcement.winners
            ]
        edition = (
            self.public_localized(announcement.announced_at)
            if announcement.announced_at_id
            else None
        )
        return compact(
            {
                "@type": "Article",
                "@id": self.node_id(url, "announcement"),
                "url": url,
                "headline": announcement.title[:110],
                "name": announcement.title,
                "genre": str(announcement.get_kind_display()),
                "description": announcement.summary,
                "datePublished": iso(announcement.announced_on),
                "inLanguage": self.language,
                "about": one_or_many(about),
                "author": {
                    key: publisher[key] for key in ("@type", "@id", "name") if key in publisher
                }
                if publisher
                else None,
                "publisher": publisher,
                "isPartOf": {"@id": self.node_id(self.url(award), "regulations")}
                if award
                else None,
                "recordedAt": self.event_reference(edition) if edition else None,
                "mainEntityOfPage": self.page_of(announcement),
            }
        )
