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

**How a page says what it is.** This module knows no page class. A page type declares the kind
of entity it describes in the class attribute ``json_ld_kind``, one of the kinds below
(``EVENT_SERIES``, ``EVENT``, ``PERSON``, ``QUOTATION``, ``GUIDELINE_DOCUMENT``, ``AWARD``,
``AWARD_ANNOUNCEMENT``, ``COLLECTION``); the builder maps each kind to the method that builds
its node, and to the short node other pages use to refer to it. A page without the attribute is
a ``WEB_PAGE``. The alma-cms page mixins (``alma_cms.pages.mixins``) declare theirs; a site's own
page type built from a mixin inherits it, and any page may declare one of these kinds if it has
the fields that kind reads (those of the matching mixin).

**Queries.** One scope answers the whole object (the request's, see ``alma_cms.scope``): where
the builder loops (editions of a series, panel speakers, positions, partners, winners, links in
rich text), it queues what it will show with the scope's bulk loader and resolves it once, so
the number of queries does not grow with the number of things shown.
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

from .page_types import alma_page_models
from .representations import IMAGE_RENDITION_SPEC, rich_text_html
from .scope import get_scope, prefetched_rendition

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

# The kinds of entity a page type may declare as its ``json_ld_kind`` (see the module docstring).
EVENT_SERIES = "event_series"  # forum index: EventSeries
EVENT = "event"  # forum edition: Event
PERSON = "person"  # speaker: Person
QUOTATION = "quotation"  # quotation: Quotation
GUIDELINE_DOCUMENT = "guideline_document"  # guideline document: CreativeWork with hasPart
AWARD = "award"  # award: CreativeWork (the regulations) about a Thing (the award)
AWARD_ANNOUNCEMENT = "award_announcement"  # award announcement: Article
COLLECTION = "collection"  # index page: CollectionPage listing ``get_listing(scope)``
WEB_PAGE = "web_page"  # any other page: WebPage
KINDS = (
    EVENT_SERIES,
    EVENT,
    PERSON,
    QUOTATION,
    GUIDELINE_DOCUMENT,
    AWARD,
    AWARD_ANNOUNCEMENT,
    COLLECTION,
    WEB_PAGE,
)

# What ``<script type="application/ld+json">`` must not contain verbatim: "</script>" or "<!--"
# would end or confuse the script element. Same escapes as Django's json_script.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


# --- Entry points ----------------------------------------------------------------------------


def page_json_ld(page, request=None, scope=None):
    """The JSON-LD object of ``page`` (any Wagtail page), computed in the page's language, as
    an anonymous caller may see it. ``scope``: the scope answering the request (default:
    ``get_scope(request)``), whose caches the builder shares: a page costs the same number of
    queries whatever the number of editions, speakers or blocks it shows."""
    page = page.specific
    scope = scope if scope is not None else get_scope(request)
    language = scope.language_of(page) or translation.get_language()  # no query of its own
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


def json_ld_kind(page_or_model):
    """The kind of entity a page (or page class) declares in ``json_ld_kind`` (one of
    ``KINDS``); ``WEB_PAGE`` when it declares none."""
    return getattr(page_or_model, "json_ld_kind", None) or WEB_PAGE


# --- The builder ----------------------------------------------------------------------------


class JsonLdBuilder:
    """Builds the JSON-LD of one page. URLs are absolute (``alma_cms.scope.absolute_urls``):
    pages' and the ids of nodes at their Site's address, images at the server origin."""

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

    def referenced(self, page, field_name):
        """What ``public_localized`` gives for the page that the foreign key ``field_name`` of
        ``page`` points at (loaded through the scope: no query when it was queued)."""
        page_id = getattr(page, f"{field_name}_id", None)
        if page_id is None:
            return None
        model = page._meta.get_field(field_name).related_model
        return self.public_localized(self.scope.page(page_id, model))

    def listing(self, page):
        """``page.get_listing(scope)`` (what anyone may see), computed once per scope: the
        page's HTML shows the same listing."""
        return self.scope.listing_of(page)

    def prefetch(
        self,
        pages=(),
        page_fields=(),
        organizations=(),
        organization_ids=(),
        image_ids=(),
        texts=(),
    ):
        """Queue what the node about to be built shows, then load it all at once: ``pages``
        (page instances, e.g. chosen in blocks, shown through ``public_localized``),
        ``page_fields`` (``(page, field name)`` of foreign keys shown through ``referenced``),
        ``organizations`` (instances, for their logos) and ``organization_ids``, ``image_ids``,
        rich ``texts`` (for the pages and documents they link)."""
        scope = self.scope
        for page in pages:
            if page is not None:
                scope.remember(page)
                scope.want_page(page.pk, page.specific_class)
        for page, field_name in page_fields:
            page_id = getattr(page, f"{field_name}_id", None)
            if page_id is not None:
                scope.want_page(page_id, page._meta.get_field(field_name).related_model)
        for organization in organizations:
            if organization is not None:
                scope.remember(organization)
                scope.want_organization(organization.pk)
        for organization_id in organization_ids:
            scope.want_organization(organization_id)
        for image_id in image_ids:
            scope.want_image(image_id)
        for text in texts:
            scope.want_rich_text(getattr(text, "source", text) or "")
        scope.resolve()

    # URLs and ids

    def url(self, page):
        key = page.pk
        if key not in self._urls:
            self._urls[key] = self.scope.full_page_url(page, self.request)
        return self._urls[key]

    def site_root_url(self):
        """The root URL of the page's Site (``http://host[:port]``), ``""`` if it has none."""
        if self._site_root_url is None:
            # From the site root paths the page URLs read (cached): no query for the Site.
            url_parts = self.page.get_url_parts(request=self.request)
            self._site_root_url = (url_parts[1] if url_parts else None) or ""
        return self._site_root_url

    @staticmethod
    def node_id(url, fragment):
        return f"{url}#{fragment}" if url else None

    # Dispatch

    def build(self):
        """The node of ``self.page``, by the kind it declares."""
        build = {
            EVENT_SERIES: self.forum_index,
            EVENT: self.edition,
            PERSON: self.speaker_page,
            QUOTATION: self.quotation_page,
            GUIDELINE_DOCUMENT: self.document_page,
            AWARD: self.award_page,
            AWARD_ANNOUNCEMENT: self.announcement_page,
            COLLECTION: self.collection_page,
        }.get(json_ld_kind(self.page), self.web_page)
        return build(self.page)

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
        items = [self.reference(child, checked=True) for child in self.listing(page)]
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
        build = {
            EVENT: self.event_reference,
            PERSON: self.person_reference,
            QUOTATION: self.quotation_reference,
            GUIDELINE_DOCUMENT: self.document_reference,
            AWARD_ANNOUNCEMENT: self.announcement_reference,
            AWARD: self.award_reference,
            EVENT_SERIES: self.series_index_reference,
        }.get(json_ld_kind(page), self.web_page_reference)
        return build(page)

    def web_page_reference(self, page):
        url = self.url(page)
        return {"@type": "WebPage", "@id": url, "name": page.title, "url": url}

    def quotation_reference(self, quotation):
        url = self.url(quotation)
        return {
            "@type": "Quotation",
            "@id": self.node_id(url, "quotation"),
            "name": quotation.title,
            "url": url,
        }

    def document_reference(self, document):
        url = self.url(document)
        return compact(
            {
                "@type": "CreativeWork",
                "@id": self.node_id(url, "document"),
                "name": document.title,
                "url": url,
                "datePublished": iso(document.adopted_on),
            }
        )

    def announcement_reference(self, announcement):
        url = self.url(announcement)
        return compact(
            {
                "@type": "Article",
                "@id": self.node_id(url, "announcement"),
                "headline": announcement.title,
                "url": url,
                "datePublished": iso(announcement.announced_on),
            }
        )

    def award_reference(self, award):
        url = self.url(award)
        return {
            "@type": "Thing",
            "@id": self.node_id(url, "award"),
            "additionalType": AWARD_ADDITIONAL_TYPE,
            "name": award.name or award.title,
            "url": url,
        }

    def series_index_reference(self, index):
        url = self.url(index)
        return {
            "@type": "EventSeries",
            "@id": self.node_id(url, "series"),
            "name": self.series_name(index),
            "url": url,
        }

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
            logo = self.image_url(self.scope.image(organization.logo_id))
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

    def organization_by_id(self, organization_id):
        """``organization`` of the organization ``organization_id`` (None: None), loaded
        through the scope."""
        return self.organization(self.scope.organization(organization_id))

    def image_url(self, image):
        if image is None or not self.scope.is_media_visible(image):
            return None
        try:
            rendition = prefetched_rendition(image, IMAGE_RENDITION_SPEC)
        except Exception:  # a missing source file must not break the page
            return None
        return self.scope.server_url(rendition.url)  # media: the server origin, not the Site

    # Forum index and editions

    def series_name(self, index):
        """The newest edition's ``display_series_title``, else the index page's title."""
        editions = self.listing(index)
        return (editions[0].display_series_title if editions else "") or index.title

    def series_reference(self, edition):
        parent = edition.get_parent()
        index = self.public_localized(parent) if parent is not None else None
        if index is None or json_ld_kind(index) != EVENT_SERIES:
            name = edition.display_series_title
            return {"@type": "EventSeries", "name": name} if name else None
        url = self.url(index)
        name = edition.display_series_title or index.title
        return compact(
            {
                "@type": "EventSeries",
                "@id": self.node_id(url, "series"),
                "name": name,
                "alternateName": index.title if index.title != name else None,
                "url": url,
            }
        )

    def forum_index(self, index):
        url = self.url(index)
        editions = self.listing(index)
        self.prefetch(organization_ids=[edition.host_id for edition in editions])
        name = self.series_name(index)
        organizers = {}
        for edition in editions:
            host = self.scope.organization(edition.host_id)
            if host is not None and host.translation_key not in organizers:
                organizers[host.translation_key] = self.organization(host)
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
        host = self.scope.organization(edition.host_id)
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
        participants = []
        summaries = []
        for child in edition.body or []:
            if child.block_type != "discussion_panel":
                continue
            value = child.value
            participants += [value.get("moderator"), *(value.get("speakers") or [])]
            summaries.append(value.get("summary"))
        self.prefetch(
            pages=[participant.get("speaker") for participant in participants if participant],
            page_fields=[(edition, "moderator")],
            organization_ids=[edition.host_id],
            texts=summaries,
        )
        moderator = self.referenced(edition, "moderator")
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
                "organizer": self.organization_by_id(edition.host_id),
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
        """The guideline documents filed under ``edition`` that anyone may see: one query per
        page type that declares itself a ``GUIDELINE_DOCUMENT``, by primary key."""
        # Filed under, not merely adopted at: that is what the output has always held (an
        # earlier lookup of ``adopted_at`` through the model's reverse relations never matched,
        # the relation being hidden), and the output must not change in a refactor.
        documents = {}
        if edition.is_leaf():  # no children: no query (treebeard keeps ``numchild``)
            return []
        for model in alma_page_models():
            if json_ld_kind(model) != GUIDELINE_DOCUMENT:
                continue
            queryset = model.objects.child_of(edition).filter(self.scope.visible_q())
            for page in queryset.defer_streamfields():
                known = documents.get(page.pk)
                if known is None or isinstance(page, type(known)):  # the most specific class
                    documents[page.pk] = page
        return sorted(documents.values(), key=lambda page: page.pk)

    # Speakers

    def speaker_page(self, speaker):
        url = self.url(speaker)
        affiliations = []
        job_titles = []
        positions = list(speaker.positions.all())
        self.prefetch(
            organization_ids=[position.organization_id for position in positions],
            image_ids=[speaker.photo_id],
        )
        for position in positions:
            # The label reads the organization and the locale: from the scope, not a query each.
            if position.organization_id:
                found = self.scope.organization(position.organization_id)
                if found is not None:
                    position.organization = found
            self.scope.attach_locale(position)
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
                "image": self.image_url(self.scope.image(speaker.photo_id))
                if speaker.photo_id
                else None,
                "description": speaker.short_bio,
                "jobTitle": one_or_many(job_titles),
                "affiliation": affiliations,
                "mainEntityOfPage": self.page_of(speaker, "ProfilePage"),
            }
        )

    # Quotations

    def quotation_page(self, quotation):
        url = self.url(quotation)
        self.prefetch(page_fields=[(quotation, "speaker"), (quotation, "forum_edition")])
        speaker = self.referenced(quotation, "speaker")
        creator = self.person_reference(speaker) if speaker else None
        if creator and quotation.speaker_role:
            # The title the speaker held when speaking, without making it the person's title.
            creator = {"@type": "Role", "roleName": quotation.speaker_role, "creator": creator}
        edition = self.referenced(quotation, "forum_edition")
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
        """The translation of ``page`` (itself included) in ``language_code`` that an anonymous
        caller may see, or None: from the scope's translations, which a detail showing
        ``meta.translations`` has loaded already (no query then)."""
        if self.scope.language_of(page) == language_code:
            return page if self.is_public(page) else None
        for other in self.scope.translations_of(page):
            if self.scope.language_of(other) == language_code:
                return other
        return None

    # Guideline documents

    def document_page(self, document):
        url = self.url(document)
        self.prefetch(
            page_fields=[(document, "adopted_at")],
            texts=[
                document.introduction,
                *(guideline.text for _direction, guideline in document.iter_guidelines()),
            ],
        )
        edition = self.referenced(document, "adopted_at")
        if edition is None:
            parent = document.get_parent()
            parent = self.public_localized(parent) if parent is not None else None
            if parent is not None and json_ld_kind(parent) == EVENT:
                edition = parent
        publisher = None
        if edition is not None and edition.host_id:
            publisher = self.organization_by_id(edition.host_id)
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
        self.prefetch(
            organizations=[block.value for block in award.partners],
            organization_ids=[award.established_by_id],
        )
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
                "creator": self.organization_by_id(award.established_by_id),
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
        winners = [child.value for child in announcement.winners]
        self.prefetch(
            pages=[parent],
            page_fields=[(announcement, "announced_at")],
            organizations=[winner.get("recipient_organization") for winner in winners],
        )
        award = self.public_localized(parent) if parent is not None else None
        if award is not None and json_ld_kind(award) != AWARD:
            award = None
        if award is not None:
            self.prefetch(organization_ids=[award.established_by_id])
        about = []
        publisher = None
        award_name = ""
        if award is not None:
            award_name = award.name or award.title
            about.append(self.reference(award))
            if award.established_by_id:
                publisher = self.organization_by_id(award.established_by_id)
        if announcement.kind == "winners":
            about += [
                self.recipient(winner, award_name, announcement.season_year) for winner in winners
            ]
        edition = self.referenced(announcement, "announced_at")
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
