"""The floor: the alma-cms API v2's bytes, built with one raw SQL query and a JSON dump.

For editions, speakers, quotations and guideline documents, detail (``/floor/<type>/<id>/``)
and the ``fields=*`` listing (``/floor/<type>/?limit=20&offset=0``), these views serve the
*same bytes* as ``/alma/api/v2/pages/…`` (bench/api.py compares them byte for byte and fails
if they differ): same keys in the same order, same values, ``meta.translations`` and (details)
``json_ld`` included, indented by 4 as Wagtail's renderer does.

How: PostgreSQL returns, per page, its columns and - aggregated in the same query, as JSON -
everything it shows: locale, parent, translations, speakers with their photo's rendition,
organizations, positions, the edition a quotation or document points at, the documents filed
under an edition. Python only walks the stored StreamField JSON, swaps ids for those objects,
builds the JSON-LD from the same rows, and dumps with orjson (2-space indent, widened to 4)
when installed, else ``json.dumps``. No ORM, no DRF, no block objects.

It is a lower bound, not a replacement: it assumes one site and one language per response (it
does not swap a reference for its translation), rich text without links to expand, and the
stored data the bench builds (bench/sitebuilder.py); where the API's output would differ on
other data, the byte comparison says so. PostgreSQL only (JSON path queries); on other
databases these views answer 501.
"""

import json
import time
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import pgettext
from wagtail.models import Site
from wagtail.rich_text import get_text_for_indexing

from alma_cms.models import Organization
from alma_cms.pages.models import (
    ForumEditionPage,
    ForumIndexPage,
    GuidelineDocumentPage,
    QuotationPage,
    SpeakerPage,
    SpeakerPosition,
)
from alma_cms.representations import IMAGE_RENDITION_SPEC
from alma_cms.scope.absolute_urls import server_origin

try:
    import orjson
except ImportError:  # the floor then dumps with json.dumps
    orjson = None

API_PATH = "/alma/api/v2/pages/"  # where bench/urls.py mounts the alma-cms API
SCHEMA = "https://schema.org/"
ATTENDANCE_MODES = {
    "in_person": SCHEMA + "OfflineEventAttendanceMode",
    "online": SCHEMA + "OnlineEventAttendanceMode",
    "hybrid": SCHEMA + "MixedEventAttendanceMode",
}

# --- SQL -----------------------------------------------------------------------------------

# A visible page: live, not expired, under no view restriction.
VISIBLE = """{a}.live AND NOT {a}.expired AND NOT EXISTS (
    SELECT 1 FROM wagtailcore_pageviewrestriction v JOIN wagtailcore_page va ON va.id = v.page_id
    WHERE {a}.path LIKE va.path || '%%')"""

IMAGE = """(SELECT json_build_object(
        'id', i.id, 'title', i.title, 'alt', coalesce(nullif(i.description, ''), i.title),
        'width', r.width, 'height', r.height, 'file', r.file)
    FROM wagtailimages_image i JOIN wagtailimages_rendition r
        ON r.image_id = i.id AND r.filter_spec = %(spec)s AND r.focal_point_key = ''
    WHERE i.id = {id})"""

ORGANIZATION = """(SELECT json_build_object(
        'id', o.id, 'name', o.name, 'short_name', o.short_name, 'kind', o.kind, 'url', o.url,
        'logo', {logo}, 'key', o.translation_key, 'city', o.city, 'country', o.country)
    FROM {organization} o WHERE o.id = {{id}})"""

SPEAKER = """(SELECT json_build_object(
        'id', sp.id,
        'name', concat_ws(' ', nullif(s.honorific_prefix, ''), nullif(s.given_name, ''),
                          nullif(s.middle_name, ''), nullif(s.family_name, '')),
        'title', sp.title, 'url_path', sp.url_path, 'photo', {photo})
    FROM wagtailcore_page sp JOIN {speaker} s ON s.page_ptr_id = sp.id
    WHERE sp.id = {{id}} AND {visible})"""

PAGE_LINK = """(SELECT json_build_object('id', lp.id, 'title', lp.title, 'url_path', lp.url_path)
    FROM wagtailcore_page lp WHERE lp.id = {{id}} AND {visible})"""

# Columns every page row starts with, and what follows the type's own columns.
PAGE_COLUMNS = """p.id, p.title, p.slug, p.url_path, p.show_in_menus, p.seo_title,
    p.search_description, p.first_published_at, p.alias_of_id, loc.language_code"""

PAGE_JOINS = """
LEFT JOIN LATERAL (
    SELECT json_build_object(
        'id', pp.id, 'title', pp.title, 'url_path', pp.url_path,
        'type', ct.app_label || '.' || ct.model) AS data
    FROM wagtailcore_page pp JOIN django_content_type ct ON ct.id = pp.content_type_id
    WHERE pp.path = substr(p.path, 1, length(p.path) - 4) AND {parent_visible}
) parent ON true
LEFT JOIN LATERAL (
    SELECT json_agg(json_build_object(
        'locale', tl.language_code, 'id', t.id, 'title', t.title, 'url_path', t.url_path)
        ORDER BY t.id) AS data
    FROM wagtailcore_page t JOIN wagtailcore_locale tl ON tl.id = t.locale_id
    WHERE t.translation_key = p.translation_key AND t.id <> p.id AND {translation_visible}
) translations ON true"""

# The page slice first (the total counted over the visible pages of the type), then what it
# shows, for the slice only.
QUERY = """
SELECT {page_columns}, parent.data, translations.data, p.total, {columns}
FROM (
    SELECT p.*, count(*) OVER () AS total
    FROM wagtailcore_page p JOIN {table} x0 ON x0.page_ptr_id = p.id
    WHERE {visible} {where}
    ORDER BY p.path
    LIMIT %(limit)s OFFSET %(offset)s
) p
JOIN {table} x ON x.page_ptr_id = p.id
JOIN wagtailcore_locale loc ON loc.id = p.locale_id
{page_joins}
ORDER BY p.path
"""

PAGE_COLUMN_COUNT = 13  # the ten page columns, parent, translations, total


def _fragments():
    visible = {a: VISIBLE.format(a=a) for a in ("p", "sp", "lp", "pp", "t", "dp")}
    photo = IMAGE.format(id="s.photo_id")
    return {
        "visible": visible,
        "image": IMAGE,
        "organization": ORGANIZATION.format(
            logo=IMAGE.format(id="o.logo_id"), organization=Organization._meta.db_table
        ),
        "speaker": SPEAKER.format(
            photo=photo, speaker=SpeakerPage._meta.db_table, visible=visible["sp"]
        ),
        "page_link": PAGE_LINK.format(visible=visible["lp"]),
    }


def _query(table, columns, where=""):
    f = _fragments()
    return QUERY.format(
        page_columns=PAGE_COLUMNS,
        page_joins=PAGE_JOINS.format(
            parent_visible=f["visible"]["pp"], translation_visible=f["visible"]["t"]
        ),
        table=table,
        columns=columns,
        visible=f["visible"]["p"],
        where=where,
    )


def _speaker_columns():
    # Positions with their organizations (and logos) joined, not looked up one by one.
    return f"""x.honorific_prefix, x.given_name, x.middle_name, x.family_name, x.short_bio,
    x.bio, {IMAGE.format(id="x.photo_id")},
    (SELECT json_agg(json_build_object(
        'id', po.id, 'role_title', po.role_title,
        'organization', CASE WHEN o.id IS NULL THEN NULL ELSE json_build_object(
            'id', o.id, 'name', o.name, 'short_name', o.short_name, 'kind', o.kind,
            'url', o.url, 'key', o.translation_key, 'city', o.city, 'country', o.country,
            'logo', CASE WHEN li.id IS NULL THEN NULL ELSE json_build_object(
                'id', li.id, 'title', li.title,
                'alt', coalesce(nullif(li.description, ''), li.title),
                'width', lr.width, 'height', lr.height, 'file', lr.file) END) END,
        'organization_name', po.organization_name, 'start_date', po.start_date,
        'end_date', po.end_date, 'date_precision', po.date_precision,
        'language', pl.language_code) ORDER BY po.sort_order, po.id)
     FROM {SpeakerPosition._meta.db_table} po
     LEFT JOIN wagtailcore_locale pl ON pl.id = po.locale_id
     LEFT JOIN {Organization._meta.db_table} o ON o.id = po.organization_id
     LEFT JOIN wagtailimages_image li ON li.id = o.logo_id
     LEFT JOIN wagtailimages_rendition lr
        ON lr.image_id = li.id AND lr.filter_spec = %(spec)s AND lr.focal_point_key = ''
     WHERE po.page_id = p.id)"""


def _quotation_columns():
    f = _fragments()
    return f"""x.text, {f["speaker"].format(id="x.speaker_id")}, x.speaker_role,
    {f["page_link"].format(id="x.forum_edition_id")}, x.said_on, x.original_language,
    x.context, x.source_url"""


def _edition_columns():
    f = _fragments()
    # One join for every speaker the body cites (as the first floor did): correlated
    # subqueries, one per speaker, cost PostgreSQL twice as much.
    body_speakers = f"""(SELECT json_object_agg(sp.id, json_build_object(
            'id', sp.id,
            'name', concat_ws(' ', nullif(s.honorific_prefix, ''), nullif(s.given_name, ''),
                              nullif(s.middle_name, ''), nullif(s.family_name, '')),
            'title', sp.title, 'url_path', sp.url_path,
            'photo', {IMAGE.format(id="s.photo_id")}))
        FROM wagtailcore_page sp
        JOIN {SpeakerPage._meta.db_table} s ON s.page_ptr_id = sp.id
        WHERE {f["visible"]["sp"]} AND sp.id IN (
            SELECT (jsonb_path_query(x.body, 'lax $.**.speaker') #>> '{{}}')::bigint
            UNION ALL
            SELECT (jsonb_path_query(
                x.body, 'lax $[*] ? (@.type == "speaker_list").value.speakers[*].value'
            ) #>> '{{}}')::bigint))"""
    documents = f"""(SELECT json_agg(json_build_object(
            'id', dp.id, 'title', dp.title, 'url_path', dp.url_path,
            'adopted_on', d.adopted_on) ORDER BY dp.id)
        FROM wagtailcore_page dp JOIN {GuidelineDocumentPage._meta.db_table} d
            ON d.page_ptr_id = dp.id
        WHERE dp.path LIKE p.path || '____' AND dp.depth = p.depth + 1 AND {f["visible"]["dp"]})"""
    return f"""x.year, x.edition_number, x.series_title, x.theme, x.start_date, x.end_date,
    x.duration_hours::text, x.format, x.venue, x.city,
    {f["organization"].format(id="x.host_id")}, {f["speaker"].format(id="x.moderator_id")},
    x.participant_count, x.online_viewer_count, x.countries_count, x.regions_count,
    x.participant_count_qualifier, x.online_viewer_count_qualifier,
    x.countries_count_qualifier, x.regions_count_qualifier,
    x.recording_url, x.summary, x.outcome, x.body::text, {body_speakers}, {documents}"""


def _document_columns():
    f = _fragments()
    actors = f"""(SELECT json_object_agg(ids.id, {f["organization"].format(id="ids.id")})
        FROM (SELECT DISTINCT (jsonb_path_query(x.directions, 'lax $.**.actor') #>> '{{}}')::bigint
              AS id) ids WHERE ids.id IS NOT NULL)"""
    link_pages = f"""(SELECT json_object_agg(ids.id, {f["page_link"].format(id="ids.id")})
        FROM (SELECT DISTINCT (jsonb_path_query(x.links, 'lax $[*].value.page') #>> '{{}}')::bigint
              AS id) ids WHERE ids.id IS NOT NULL)"""
    return f"""x.document_type, x.adopted_on, {f["page_link"].format(id="x.adopted_at_id")},
    x.status, x.nature, x.approved_by, x.finalized_by, x.audience, x.introduction,
    x.directions::text, x.conclusion, x.links::text, {actors}, {link_pages},
    (SELECT json_build_object('id', ep.id, 'url_path', ep.url_path,
        'host', {f["organization"].format(id="e.host_id")})
     FROM wagtailcore_page ep JOIN {ForumEditionPage._meta.db_table} e ON e.page_ptr_id = ep.id
     WHERE ep.id = coalesce(x.adopted_at_id, (parent.data->>'id')::bigint)
        AND {VISIBLE.format(a="ep")})"""


# --- Context -------------------------------------------------------------------------------


class Context:
    """What Wagtail would look up per request (and caches): the site's URLs, model labels."""

    def __init__(self):
        site = Site.objects.select_related("root_page").get(is_default_site=True)
        self.root_url = site.root_url
        self.root_path = site.root_page.url_path
        # Media and API URLs: WAGTAILAPI_BASE_URL, else the (one) site's root URL.
        self.server_origin = server_origin()
        self.media_url = self.server_origin + settings.MEDIA_URL
        self.api = self.server_origin + API_PATH
        self.page_types = {}
        self.forum_index_type = ForumIndexPage._meta.label_lower
        columns = {
            "editions": (ForumEditionPage, _edition_columns()),
            "speakers": (SpeakerPage, _speaker_columns()),
            "quotations": (QuotationPage, _quotation_columns()),
            "guideline_documents": (GuidelineDocumentPage, _document_columns()),
        }
        self.queries = {
            name: _query(model._meta.db_table, cols) for name, (model, cols) in columns.items()
        }
        self.detail_queries = {
            name: _query(model._meta.db_table, cols, "AND p.id = %(pk)s")
            for name, (model, cols) in columns.items()
        }
        labels = {
            "editions": ForumEditionPage,
            "speakers": SpeakerPage,
            "quotations": QuotationPage,
            "guideline_documents": GuidelineDocumentPage,
        }
        self.types = {name: f"{m._meta.app_label}.{m.__name__}" for name, m in labels.items()}
        self.position_type = f"{SpeakerPosition._meta.app_label}.{SpeakerPosition.__name__}"
        # Key order of the struct blocks (the API writes a struct's values in block order,
        # PostgreSQL's jsonb in its own): from the block definitions, once.
        body = ForumEditionPage._meta.get_field("body").stream_block.child_blocks
        panel = body["discussion_panel"].child_blocks
        statistics = body["statistics"].child_blocks
        self.order = {
            "heading": list(body["heading"].child_blocks),
            "discussion_panel": list(panel),
            "participant": list(panel["speakers"].child_block.child_blocks),
            "statistics": list(statistics),
            "statistic": list(statistics["items"].child_block.child_blocks),
            "speaker_list": list(body["speaker_list"].child_blocks),
            "link": list(
                GuidelineDocumentPage._meta.get_field("links")
                .stream_block.child_blocks["link"]
                .child_blocks
            ),
        }
        self.document_choices = {
            "document_type": dict(GuidelineDocumentPage._meta.get_field("document_type").choices),
            "status": dict(GuidelineDocumentPage._meta.get_field("status").choices),
        }

    def page_type(self, label):
        """ "app_label.modelname" (content type) -> "app_label.ModelName" (API)."""
        if label not in self.page_types:
            model = apps.get_model(label)
            self.page_types[label] = f"{model._meta.app_label}.{model.__name__}"
        return self.page_types[label]

    def url(self, url_path, language):
        return f"/{language}/{url_path[len(self.root_path) :]}"

    def full_url(self, url_path, language):
        return self.root_url + self.url(url_path, language)


_context = None


def context():
    global _context
    if _context is None:
        _context = Context()
    return _context


# --- Values --------------------------------------------------------------------------------


def iso(value):
    if value is None:
        return None
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def compact(node):
    return {key: value for key, value in node.items() if value not in (None, "", [], {})}


def one_or_many(items):
    items = [item for item in items if item]
    if not items:
        return None
    return items[0] if len(items) == 1 else items


def plain_text(html):
    return " ".join(get_text_for_indexing(html).split()) if html else ""


def image(ctx, data):
    if data is None:
        return None
    return {
        "id": data["id"],
        "title": data["title"],
        "alt": data["alt"],
        "width": data["width"],
        "height": data["height"],
        "url": ctx.media_url + data["file"],
    }


def organization(ctx, data):
    if data is None:
        return None
    return {
        "id": data["id"],
        "name": data["name"],
        "short_name": data["short_name"],
        "kind": data["kind"],
        "url": data["url"],
        "logo": image(ctx, data["logo"]),
    }


def speaker(ctx, data, language):
    if data is None:
        return None
    return {
        "id": data["id"],
        "name": data["name"],
        "url": ctx.url(data["url_path"], language),
        "photo": image(ctx, data["photo"]),
    }


def page_link(ctx, data, language):
    if data is None:
        return None
    return {"id": data["id"], "title": data["title"], "url": ctx.url(data["url_path"], language)}


class JsonLd:
    """The JSON-LD nodes the package builds (alma_cms.structured_data), from the rows."""

    def __init__(self, ctx, language):
        self.ctx = ctx
        self.language = language
        self.seen = set()

    def url(self, url_path):
        return self.ctx.full_url(url_path, self.language)

    def page_of(self, url, type_name="WebPage"):
        return {"@type": type_name, "@id": url, "url": url, "inLanguage": self.language}

    def person(self, data):
        url = self.url(data["url_path"])
        return {
            "@type": "Person",
            "@id": f"{url}#person",
            "name": data["name"] or data["title"],
            "url": url,
        }

    def organization(self, data):
        if data is None:
            return None
        node_id = f"{self.ctx.root_url}/#organization-{data['key']}"
        if node_id in self.seen:
            return {"@type": "Organization", "@id": node_id, "name": data["name"]}
        self.seen.add(node_id)
        address = None
        if data["city"] or data["country"]:
            address = compact(
                {
                    "@type": "PostalAddress",
                    "addressLocality": data["city"],
                    "addressCountry": data["country"] or None,
                }
            )
        logo = data["logo"]
        return compact(
            {
                "@type": "Organization",
                "@id": node_id,
                "name": data["name"],
                "alternateName": data["short_name"] if data["short_name"] != data["name"] else None,
                "url": data["url"],
                "logo": self.ctx.media_url + logo["file"] if logo else None,
                "address": address,
            }
        )


# --- Pages ---------------------------------------------------------------------------------


def page_meta(ctx, kind, row, detail):
    (pk, _title, slug, url_path, show_in_menus, seo_title, search_description, first_published,
     alias_of_id, language, parent, translations, _total) = row[:PAGE_COLUMN_COUNT]  # fmt: skip
    meta = {
        "type": ctx.types[kind],
        "detail_url": f"{ctx.api}{pk}/",
        "html_url": ctx.full_url(url_path, language),
        "slug": slug,
        "show_in_menus": show_in_menus,
        "seo_title": seo_title,
        "search_description": search_description,
        "first_published_at": iso(first_published),
        "alias_of": alias_of_id,
    }
    if detail:
        meta["parent"] = parent and {
            "id": parent["id"],
            "meta": {
                "type": ctx.page_type(parent["type"]),
                "detail_url": f"{ctx.api}{parent['id']}/",
                "html_url": ctx.full_url(parent["url_path"], language),
            },
            "title": parent["title"],
        }
    meta["locale"] = language
    meta["translations"] = [
        {
            "locale": t["locale"],
            "id": t["id"],
            "title": t["title"],
            "url": ctx.url(t["url_path"], t["locale"]),
            "detail_url": f"{ctx.api}{t['id']}/",
            "live": True,
            "translation_status": None,
        }
        for t in translations or ()
    ]
    return meta


def speaker_page(ctx, row, detail):
    pk, title, _slug, url_path = row[:4]
    language, parent = row[9], row[10]
    (prefix, given, middle, family, short_bio, bio, photo, positions) = row[PAGE_COLUMN_COUNT:]
    full_name = " ".join(p for p in (prefix, given, middle, family) if p)
    shown = []
    for position in positions or ():
        org = position["organization"]
        display = (org["short_name"] or org["name"]) if org else position["organization_name"]
        role = position["role_title"]
        if not display or display.lower() in role.lower():
            label = role
        else:
            with translation.override(position["language"]):
                params = {"organization": display, "role": role}
                if org and org["short_name"]:
                    label = pgettext("position label", "%(organization)s %(role)s") % params
                else:
                    label = pgettext("position label", "%(role)s, %(organization)s") % params
        shown.append((position, org, display, label))
    data = {
        "id": pk,
        "meta": page_meta(ctx, "speakers", row, detail),
        "title": title,
        "full_name": full_name,
        "honorific_prefix": prefix,
        "given_name": given,
        "middle_name": middle,
        "family_name": family,
        "photo": image(ctx, photo),
        "short_bio": short_bio,
        "bio": bio,
        "positions": [
            {
                "id": position["id"],
                "meta": {"type": ctx.position_type},
                "role_title": position["role_title"],
                "organization": organization(ctx, org),
                "organization_name": position["organization_name"],
                "organization_display": display,
                "label": label,
                "start_date": position["start_date"],
                "end_date": position["end_date"],
                "date_precision": position["date_precision"],
                "is_current": position["end_date"] is None,
            }
            for position, org, display, label in shown
        ],
    }
    if detail:
        ld = JsonLd(ctx, language)
        url = ld.url(url_path)
        affiliations = []
        for position, org, _display, _label in shown:
            if org:
                affiliation = ld.organization(org)
            elif position["organization_name"]:
                affiliation = {"@type": "Organization", "name": position["organization_name"]}
            else:
                continue
            affiliations.append(
                compact(
                    {
                        "@type": "Role",
                        "roleName": position["role_title"],
                        "startDate": partial_date(
                            position["start_date"], position["date_precision"]
                        ),
                        "endDate": partial_date(position["end_date"], position["date_precision"]),
                        "affiliation": affiliation,
                    }
                )
            )
        data["json_ld"] = {
            "@context": "https://schema.org",
            **compact(
                {
                    "@type": "Person",
                    "@id": f"{url}#person",
                    "url": url,
                    "name": full_name or title,
                    "honorificPrefix": prefix,
                    "givenName": given,
                    "additionalName": middle,
                    "familyName": family,
                    "image": ctx.media_url + photo["file"] if photo else None,
                    "description": short_bio,
                    "jobTitle": one_or_many(
                        [label for p, _o, _d, label in shown if p["end_date"] is None]
                    ),
                    "affiliation": affiliations,
                    "mainEntityOfPage": ld.page_of(url, "ProfilePage"),
                }
            ),
        }
    del parent
    return data


def partial_date(day, precision):
    """``day`` as stored ("2019-08-01", from JSON) at its precision."""
    if not day:
        return None
    if precision == "year":
        return day[:4]
    if precision == "month":
        return day[:7]
    return day


def quotation_page(ctx, row, detail):
    pk, title, _slug, url_path = row[:4]
    language, translations = row[9], row[11]
    (text, speaker_data, speaker_role, edition, said_on, original, context_, source_url) = row[
        PAGE_COLUMN_COUNT:
    ]
    data = {
        "id": pk,
        "meta": page_meta(ctx, "quotations", row, detail),
        "title": title,
        "text": text,
        "speaker": speaker(ctx, speaker_data, language),
        "speaker_role": speaker_role,
        "forum_edition": page_link(ctx, edition, language),
        "said_on": iso(said_on),
        "original_language": original,
        "context": context_,
        "source_url": source_url,
    }
    if detail:
        ld = JsonLd(ctx, language)
        url = ld.url(url_path)
        creator = ld.person(speaker_data) if speaker_data else None
        if creator and speaker_role:
            creator = {"@type": "Role", "roleName": speaker_role, "creator": creator}
        event = {"@id": f"{ld.url(edition['url_path'])}#event"} if edition else None
        translation_of = None
        if original and original != language:
            translation_of = {"@type": "Quotation", "inLanguage": original}
            source = next((t for t in translations or () if t["locale"] == original), None)
            if source is not None:
                source_url_ = ctx.full_url(source["url_path"], original)
                translation_of["@id"] = f"{source_url_}#quotation"
                translation_of["url"] = source_url_
        data["json_ld"] = {
            "@context": "https://schema.org",
            **compact(
                {
                    "@type": "Quotation",
                    "@id": f"{url}#quotation",
                    "url": url,
                    "name": title,
                    "text": text,
                    "inLanguage": language,
                    "translationOfWork": translation_of,
                    "creator": creator,
                    "dateCreated": iso(said_on),
                    "isPartOf": event,
                    "recordedAt": event,
                    "description": context_,
                    "isBasedOn": source_url,
                    "mainEntityOfPage": ld.page_of(url),
                }
            ),
        }
    return data


def _items(value):
    """A ListBlock's API value: the items' values (the stored item ids are dropped)."""
    return [item["value"] if isinstance(item, dict) and "type" in item else item for item in value]


def _ordered(value, keys):
    return {key: value.get(key) for key in keys}


def _participant(ctx, speakers, value, language):
    if not value:
        return value
    speaker_id = value.get("speaker")
    found = speakers.get(str(speaker_id)) if speaker_id is not None else None
    return _ordered({**value, "speaker": speaker(ctx, found, language)}, ctx.order["participant"])


def edition_page(ctx, row, detail):
    pk, title, _slug, url_path = row[:4]
    language, parent = row[9], row[10]
    (year, edition_number, series_title, theme, start_date, end_date, duration_hours, format_,
     venue, city, host, moderator, participant_count, online_viewer_count, countries_count,
     regions_count, participant_count_qualifier, online_viewer_count_qualifier,
     countries_count_qualifier, regions_count_qualifier, recording_url, summary, outcome, body,
     speakers, documents) = row[PAGE_COLUMN_COUNT:]  # fmt: skip
    speakers = speakers or {}
    body = json.loads(body)
    api_body = []
    for block in body:
        kind, value = block["type"], block["value"]
        if kind == "discussion_panel":
            value = {
                **value,
                "moderator": _participant(ctx, speakers, value.get("moderator"), language),
                "speakers": [
                    _participant(ctx, speakers, v, language) for v in _items(value["speakers"])
                ],
            }
        elif kind == "speaker_list":
            found = [speakers.get(str(v)) for v in _items(value["speakers"])]
            value = {**value, "speakers": [speaker(ctx, s, language) for s in found if s]}
        elif kind == "statistics":
            items = [_ordered(item, ctx.order["statistic"]) for item in _items(value["items"])]
            value = {**value, "items": items}
        if kind in ctx.order:
            value = _ordered(value, ctx.order[kind])
        api_body.append({"type": kind, "value": value, "id": block["id"]})
    in_series = parent is not None and parent["type"] == ctx.forum_index_type
    display_series_title = series_title or (parent["title"] if in_series else "")
    data = {
        "id": pk,
        "meta": page_meta(ctx, "editions", row, detail),
        "title": title,
        "year": year,
        "edition_number": edition_number,
        "series_title": series_title,
        "display_series_title": display_series_title,
        "theme": theme,
        "start_date": iso(start_date),
        "end_date": iso(end_date),
        "duration_hours": duration_hours,
        "format": format_,
        "venue": venue,
        "city": city,
        "host": organization(ctx, host),
        "moderator": speaker(ctx, moderator, language),
        "participant_count": participant_count,
        "online_viewer_count": online_viewer_count,
        "countries_count": countries_count,
        "regions_count": regions_count,
        "participant_count_qualifier": participant_count_qualifier,
        "online_viewer_count_qualifier": online_viewer_count_qualifier,
        "countries_count_qualifier": countries_count_qualifier,
        "regions_count_qualifier": regions_count_qualifier,
        "recording_url": recording_url,
        "summary": summary,
        "outcome": outcome,
        "body": api_body,
    }
    if detail:
        data["json_ld"] = edition_json_ld(ctx, data, row, body, speakers, documents, parent)
    return data


def edition_json_ld(ctx, data, row, body, speakers, documents, parent):
    language = row[9]
    ld = JsonLd(ctx, language)
    url = ld.url(row[3])
    start, last = data["start_date"], data["end_date"] or data["start_date"]
    format_, host_data = data["format"], row[PAGE_COLUMN_COUNT + 10]
    duration = None
    if data["duration_hours"]:
        minutes = int(Decimal(data["duration_hours"]) * 60)
        hours, minutes = divmod(minutes, 60)
        duration = "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    # location
    place = None
    venue, city = data["venue"], data["city"]
    if venue or city:
        country = None
        if host_data and host_data["country"] and (not city or host_data["city"] == city):
            country = host_data["country"]
        place = compact(
            {
                "@type": "Place",
                "name": venue or city,
                "address": compact(
                    {"@type": "PostalAddress", "addressLocality": city, "addressCountry": country}
                ),
            }
        )
    elif host_data and format_ != "online":
        place = compact(
            {
                "@type": "Place",
                "name": host_data["name"],
                "address": ld.organization(host_data).get("address"),
            }
        )
    virtual = None
    if format_ in ("online", "hybrid"):
        virtual = {"@type": "VirtualLocation", "url": data["recording_url"] or url}
    location = virtual if format_ == "online" else one_or_many([place, virtual])
    organizer = ld.organization(host_data)
    moderator = row[PAGE_COLUMN_COUNT + 11]
    # series
    super_event = None
    if parent is not None and parent["type"] == ctx.forum_index_type:
        series_url = ld.url(parent["url_path"])
        name = data["display_series_title"] or parent["title"]
        super_event = compact(
            {
                "@type": "EventSeries",
                "@id": f"{series_url}#series",
                "name": name,
                "alternateName": parent["title"] if parent["title"] != name else None,
                "url": series_url,
            }
        )
    elif data["display_series_title"]:
        super_event = {"@type": "EventSeries", "name": data["display_series_title"]}

    def participant(value):
        if not value:
            return None
        found = speakers.get(str(value["speaker"])) if value.get("speaker") else None
        if found is not None:
            return ld.person(found)
        if value.get("name"):
            return compact(
                {"@type": "Person", "name": value["name"], "jobTitle": value.get("role")}
            )
        return None

    panels = []
    for block in body:
        if block["type"] != "discussion_panel":
            continue
        value = block["value"]
        performers = [participant(value.get("moderator"))]
        performers += [participant(s) for s in _items(value.get("speakers") or [])]
        unique = []
        for person in performers:
            if person and person not in unique:
                unique.append(person)
        panels.append(
            compact(
                {
                    "@type": "Event",
                    "@id": f"{url}#panel-{block['id']}",
                    "name": value.get("title"),
                    "description": plain_text(value.get("summary")),
                    "startDate": start,
                    "endDate": last,
                    "eventAttendanceMode": ATTENDANCE_MODES.get(format_),
                    "eventStatus": SCHEMA + "EventScheduled",
                    "inLanguage": language,
                    "performer": unique,
                }
            )
        )
    works = []
    for document in documents or ():
        document_url = ld.url(document["url_path"])
        works.append(
            compact(
                {
                    "@type": "CreativeWork",
                    "@id": f"{document_url}#document",
                    "name": document["title"],
                    "url": document_url,
                    "datePublished": document["adopted_on"],
                }
            )
        )
    return {
        "@context": "https://schema.org",
        **compact(
            {
                "@type": "Event",
                "@id": f"{url}#event",
                "url": url,
                "name": data["title"],
                "description": data["summary"] or data["theme"],
                "about": {"@type": "Thing", "name": data["theme"]} if data["theme"] else None,
                "startDate": start,
                "endDate": last,
                "duration": duration,
                "eventStatus": SCHEMA + "EventScheduled",
                "eventAttendanceMode": ATTENDANCE_MODES.get(format_),
                "location": location,
                "organizer": organizer,
                "performer": ld.person(moderator) if moderator else None,
                "superEvent": super_event,
                "subEvent": panels,
                "workFeatured": works,
                "inLanguage": language,
                "mainEntityOfPage": ld.page_of(url),
            }
        ),
    }


_ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
          (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]  # fmt: skip


def _roman(number):
    out = ""
    for value, letters in _ROMAN:
        while number >= value:
            out += letters
            number -= value
    return out


def document_page(ctx, row, detail):
    pk, title, _slug, url_path = row[:4]
    language = row[9]
    (document_type, adopted_on, adopted_at, status, nature, approved_by, finalized_by, audience,
     introduction, directions, conclusion, links, actors, link_pages, edition) = row[
        PAGE_COLUMN_COUNT:]  # fmt: skip
    actors, link_pages = actors or {}, link_pages or {}
    api_directions = []
    for number, block in enumerate(json.loads(directions), start=1):
        value = block["value"]
        roman = _roman(number)
        guidelines = []
        for position, item in enumerate(value.get("guidelines") or [], start=1):
            guideline = item["value"]
            actor = guideline.get("actor")
            guidelines.append(
                {
                    "id": item["id"],
                    "number": f"{roman}.{position}",
                    "position": position,
                    "heading": guideline.get("title") or "",
                    "title": guideline.get("title"),
                    "actor": organization(ctx, actors.get(str(actor)) if actor else None),
                    "role": guideline.get("role"),
                    "text": guideline.get("text"),
                }
            )
        api_directions.append(
            {
                "type": block["type"],
                "id": block["id"],
                "value": {
                    "number": roman,
                    "position": number,
                    "title": value.get("title"),
                    "summary": value.get("summary"),
                    "guidelines": guidelines,
                },
            }
        )
    api_links = []
    for block in json.loads(links):
        value = block["value"]
        page = value.get("page")
        found = link_pages.get(str(page)) if page is not None else None
        api_links.append(
            {
                "type": block["type"],
                "value": _ordered(
                    {**value, "page": page_link(ctx, found, language)}, ctx.order["link"]
                ),
                "id": block["id"],
            }
        )
    data = {
        "id": pk,
        "meta": page_meta(ctx, "guideline_documents", row, detail),
        "title": title,
        "document_type": document_type,
        "adopted_on": iso(adopted_on),
        "adopted_at": page_link(ctx, adopted_at, language),
        "status": status,
        "nature": nature,
        "approved_by": approved_by,
        "finalized_by": finalized_by,
        "audience": audience,
        "introduction": introduction,
        "directions": api_directions,
        "conclusion": conclusion,
        "links": api_links,
    }
    if detail:
        ld = JsonLd(ctx, language)
        url = ld.url(url_path)
        publisher = ld.organization(edition["host"]) if edition else None
        parts = []
        position = 0
        for block in api_directions:
            value = block["value"]
            direction_node = compact(
                {
                    "@type": "CreativeWork",
                    "@id": f"{url}#direction-{block['id']}",
                    "identifier": value.get("number"),
                    "position": value.get("position"),
                    "name": value.get("title"),
                }
            )
            for guideline in value["guidelines"]:
                position += 1
                guideline_id = f"{url}#guideline-{guideline['id']}"
                parts.append(
                    compact(
                        {
                            "@type": "CreativeWork",
                            "@id": guideline_id,
                            "url": guideline_id,
                            "identifier": guideline.get("number"),
                            "position": position,
                            "name": guideline.get("heading"),
                            "text": plain_text(guideline.get("text")),
                            "inLanguage": language,
                            "isPartOf": direction_node,
                        }
                    )
                )
        with translation.override(language):
            genre = str(ctx.document_choices["document_type"].get(document_type, document_type))
            status_name = str(ctx.document_choices["status"].get(status, status))
        creators = [{"@type": "Organization", "name": n} for n in (approved_by, finalized_by) if n]
        data["json_ld"] = {
            "@context": "https://schema.org",
            **compact(
                {
                    "@type": "CreativeWork",
                    "@id": f"{url}#document",
                    "url": url,
                    "name": title,
                    "genre": genre,
                    "creativeWorkStatus": status_name,
                    "inLanguage": language,
                    "abstract": plain_text(introduction),
                    "dateCreated": iso(adopted_on),
                    "datePublished": iso(adopted_on),
                    "creator": one_or_many(creators),
                    "publisher": publisher,
                    "audience": {"@type": "Audience", "audienceType": audience}
                    if audience
                    else None,
                    "recordedAt": {"@id": f"{ld.url(edition['url_path'])}#event"}
                    if edition
                    else None,
                    "hasPart": parts,
                    "mainEntityOfPage": ld.page_of(url),
                }
            ),
        }
    return data


BUILDERS = {
    "editions": edition_page,
    "speakers": speaker_page,
    "quotations": quotation_page,
    "guideline_documents": document_page,
}

# --- Views ---------------------------------------------------------------------------------


def _widened(out):
    """2-space indented JSON lines indented by 4: each line's leading spaces doubled (a list
    comprehension: ten times faster than a regular expression calling back per line)."""
    return b"\n".join(
        [line[: len(line) - len(line.lstrip(b" "))] + line for line in out.split(b"\n")]
    )


def dumps(data):
    """JSON as the API renders it: ``json.dumps(indent=4, ensure_ascii=False)`` with DRF's
    separators and U+2028/U+2029 escaped; written by orjson (indent 2, widened) when installed."""
    if orjson is not None:
        out = _widened(orjson.dumps(data, option=orjson.OPT_INDENT_2))
    else:
        out = json.dumps(data, indent=4, ensure_ascii=False, separators=(",", ": ")).encode()
    return out.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")


def _unsupported():
    return JsonResponse({"message": "the floor needs PostgreSQL"}, status=501)


def _fetch(query, params):
    with connection.cursor() as cursor:
        # A prepared statement: PostgreSQL plans these queries once per connection (planning
        # an edition listing's takes longer than running it). psycopg's own cursor, as
        # Django's takes no ``prepare``: the query is then logged by hand, for the bench's
        # query counts.
        started = time.perf_counter()
        cursor.cursor.execute(query, {"spec": IMAGE_RENDITION_SPEC, **params}, prepare=True)
        rows = cursor.fetchall()
        if connection.queries_logged:
            elapsed = time.perf_counter() - started
            connection.queries_log.append({"sql": query, "time": f"{elapsed:.3f}"})
        return rows


def _response(data):
    return HttpResponse(dumps(data), content_type="application/json")


def listing(request, kind):
    if connection.vendor != "postgresql":
        return _unsupported()
    ctx = context()
    limit = int(request.GET.get("limit", 20))
    offset = int(request.GET.get("offset", 0))
    rows = _fetch(ctx.queries[kind], {"limit": limit, "offset": offset})
    build = BUILDERS[kind]
    return _response(
        {
            "meta": {"total_count": rows[0][PAGE_COLUMN_COUNT - 1] if rows else 0},
            "items": [build(ctx, row, False) for row in rows],
        }
    )


def detail(request, kind, pk):
    if connection.vendor != "postgresql":
        return _unsupported()
    ctx = context()
    rows = _fetch(ctx.detail_queries[kind], {"pk": pk, "limit": 1, "offset": 0})
    if not rows:
        return JsonResponse({"message": "not found"}, status=404)
    return _response(BUILDERS[kind](ctx, rows[0], True))
