"""The floor: the forum-edition API payload built by ONE raw SQL query and ``json.dumps``.

No ORM, no DRF, no StreamField block objects: PostgreSQL returns each edition's columns, its
stored body (JSON), its host organization, and - aggregated in the same query - every speaker
the edition refers to (moderator, panel moderators and speakers, speaker lists) with the photo's
API rendition. Python then only walks the stored body, swaps speaker ids for those objects and
serialises with ``json.dumps`` (compact; Wagtail's renderer indents by 4).

The payload has the same keys and values as the API's for the fields it covers: the page meta,
every ForumEditionPage column field, ``host``, ``moderator`` and ``body`` with speakers resolved
(bench/api.py checks this against the live API and reports any difference). It leaves out
fields computed in Python by the package (e.g. ``json_ld``), ignores translations
(``.localized``) and assumes one site; it is a lower bound, not a replacement.

PostgreSQL only (JSON path queries); on other databases these views answer 501.
"""

import json

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.http import HttpResponse, JsonResponse
from wagtail.models import Site

from alma_cms.models import Organization
from alma_cms.pages.models import ForumEditionPage, ForumIndexPage, SpeakerPage
from alma_cms.representations import IMAGE_RENDITION_SPEC
from alma_cms.scope.absolute_urls import server_origin

EDITION_FIELDS = [
    "year",
    "edition_number",
    "series_title",
    "display_series_title",
    "theme",
    "start_date",
    "end_date",
    "duration_hours",
    "format",
    "venue",
    "city",
    "host",
    "moderator",
    "participant_count",
    "online_viewer_count",
    "countries_count",
    "regions_count",
    "participant_count_qualifier",
    "online_viewer_count_qualifier",
    "countries_count_qualifier",
    "regions_count_qualifier",
    "recording_url",
    "summary",
    "outcome",
    "body",
]

SQL = """
SELECT
    p.id, p.title, p.slug, p.url_path, p.show_in_menus, p.seo_title, p.search_description,
    p.first_published_at, p.alias_of_id, loc.language_code,
    e.year, e.edition_number, e.series_title, e.theme, e.start_date, e.end_date,
    e.duration_hours::text, e.format, e.venue, e.city, e.moderator_id,
    e.participant_count, e.online_viewer_count, e.countries_count, e.regions_count,
    e.participant_count_qualifier, e.online_viewer_count_qualifier,
    e.countries_count_qualifier, e.regions_count_qualifier,
    e.recording_url, e.summary, e.outcome, e.body::text,
    host.data, speakers.data, parent.data,
    count(*) OVER ()
FROM wagtailcore_page p
JOIN {edition} e ON e.page_ptr_id = p.id
JOIN wagtailcore_locale loc ON loc.id = p.locale_id
LEFT JOIN LATERAL (
    SELECT json_build_object(
        'id', o.id, 'name', o.name, 'short_name', o.short_name, 'kind', o.kind,
        'url', o.url, 'logo', NULL) AS data
    FROM {organization} o WHERE o.id = e.host_id
) host ON true
LEFT JOIN LATERAL (
    SELECT json_object_agg(sp.id, json_build_object(
        'id', sp.id,
        'name', concat_ws(' ', nullif(s.honorific_prefix, ''), s.given_name,
                          nullif(s.middle_name, ''), s.family_name),
        'url_path', sp.url_path,
        'photo', CASE WHEN img.id IS NULL THEN NULL ELSE json_build_object(
            'id', img.id, 'title', img.title,
            'alt', coalesce(nullif(img.description, ''), img.title),
            'width', r.width, 'height', r.height, 'file', r.file) END
    )) AS data
    FROM wagtailcore_page sp
    JOIN {speaker} s ON s.page_ptr_id = sp.id
    LEFT JOIN wagtailimages_image img ON img.id = s.photo_id
    LEFT JOIN wagtailimages_rendition r
        ON r.image_id = img.id AND r.filter_spec = %(spec)s AND r.focal_point_key = ''
    WHERE sp.live AND NOT sp.expired
      AND NOT EXISTS (
          SELECT 1 FROM wagtailcore_pageviewrestriction v
          JOIN wagtailcore_page a ON a.id = v.page_id
          WHERE sp.path LIKE a.path || '%%')
      AND sp.id IN (
          SELECT e.moderator_id
          UNION ALL
          SELECT (jsonb_path_query(e.body, 'lax $.**.speaker') #>> '{{}}')::bigint
          UNION ALL
          SELECT (jsonb_path_query(
              e.body, 'lax $[*] ? (@.type == "speaker_list").value.speakers[*].value'
          ) #>> '{{}}')::bigint)
) speakers ON true
LEFT JOIN LATERAL (
    SELECT json_build_object(
        'id', pp.id, 'title', pp.title, 'url_path', pp.url_path,
        'type', ct.app_label || '.' || ct.model) AS data
    FROM wagtailcore_page pp JOIN django_content_type ct ON ct.id = pp.content_type_id
    WHERE pp.path = substr(p.path, 1, length(p.path) - 4) AND pp.live
) parent ON true
WHERE p.live AND NOT p.expired {where}
ORDER BY p.path
LIMIT %(limit)s OFFSET %(offset)s
"""


def _sql(where=""):
    return SQL.format(
        edition=ForumEditionPage._meta.db_table,
        speaker=SpeakerPage._meta.db_table,
        organization=Organization._meta.db_table,
        where=where,
    )


class Context:
    """What Wagtail would look up per request (and caches): the site's URLs, model labels."""

    def __init__(self):
        site = Site.objects.select_related("root_page").get(is_default_site=True)
        self.root_url = site.root_url
        self.root_path = site.root_page.url_path
        # Media and API URLs: WAGTAILAPI_BASE_URL, else the (one) site's root URL.
        self.server_origin = server_origin()
        self.media_url = self.server_origin + settings.MEDIA_URL
        self.type = f"{ForumEditionPage._meta.app_label}.{ForumEditionPage.__name__}"
        self.forum_index_type = ForumIndexPage._meta.label_lower  # as the query gives types
        self.page_types = {}

    def page_type(self, label):
        """ "app_label.modelname" (content type) -> "app_label.ModelName" (API)."""
        if label not in self.page_types:
            model = apps.get_model(label)
            self.page_types[label] = f"{model._meta.app_label}.{model.__name__}"
        return self.page_types[label]

    def url(self, url_path, language):
        return f"/{language}/{url_path[len(self.root_path) :]}"


_context = None


def context():
    global _context
    if _context is None:
        _context = Context()
    return _context


def iso(value):
    if value is None:
        return None
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def speaker_value(ctx, speakers, speaker_id, language):
    data = speakers.get(str(speaker_id)) if speaker_id is not None else None
    if data is None:
        return None
    photo = data["photo"]
    return {
        "id": data["id"],
        "name": data["name"],
        "url": ctx.url(data["url_path"], language),
        "photo": None
        if photo is None
        else {
            "id": photo["id"],
            "title": photo["title"],
            "alt": photo["alt"],
            "width": photo["width"],
            "height": photo["height"],
            "url": ctx.media_url + photo["file"],
        },
    }


def participant(ctx, speakers, value, language):
    if not value:
        return value
    return {**value, "speaker": speaker_value(ctx, speakers, value.get("speaker"), language)}


def items(value):
    """A ListBlock's API value: the items' values (the stored item ids are dropped)."""
    return [item["value"] if isinstance(item, dict) and "type" in item else item for item in value]


def resolve_body(ctx, body, speakers, language):
    out = []
    for block in body:
        kind, value = block["type"], block["value"]
        if kind == "discussion_panel":
            value = {
                **value,
                "moderator": participant(ctx, speakers, value.get("moderator"), language),
                "speakers": [
                    participant(ctx, speakers, v, language) for v in items(value["speakers"])
                ],
            }
        elif kind == "speaker_list":
            resolved = [speaker_value(ctx, speakers, v, language) for v in items(value["speakers"])]
            value = {**value, "speakers": [s for s in resolved if s]}
        elif kind == "statistics":
            value = {**value, "items": items(value["items"])}
        out.append({"type": kind, "value": value, "id": block["id"]})
    return out


def edition(ctx, request_root, row, detail):
    (
        pk,
        title,
        slug,
        url_path,
        show_in_menus,
        seo_title,
        search_description,
        first_published_at,
        alias_of_id,
        language,
        year,
        edition_number,
        series_title,
        theme,
        start_date,
        end_date,
        duration_hours,
        format_,
        venue,
        city,
        moderator_id,
        participant_count,
        online_viewer_count,
        countries_count,
        regions_count,
        participant_count_qualifier,
        online_viewer_count_qualifier,
        countries_count_qualifier,
        regions_count_qualifier,
        recording_url,
        summary,
        outcome,
        body,
        host,
        speakers,
        parent,
        _total,
    ) = row
    speakers = speakers or {}
    meta = {
        "type": ctx.type,
        "detail_url": f"{request_root}/api/v2/pages/{pk}/",
        "html_url": ctx.root_url + ctx.url(url_path, language),
        "slug": slug,
        "show_in_menus": show_in_menus,
        "seo_title": seo_title,
        "search_description": search_description,
        "first_published_at": iso(first_published_at),
        "alias_of": alias_of_id,
    }
    if detail:
        meta["parent"] = parent and {
            "id": parent["id"],
            "meta": {
                "type": ctx.page_type(parent["type"]),
                "detail_url": f"{request_root}/api/v2/pages/{parent['id']}/",
                "html_url": ctx.root_url + ctx.url(parent["url_path"], language),
            },
            "title": parent["title"],
        }
    meta["locale"] = language
    return {
        "id": pk,
        "meta": meta,
        "title": title,
        "year": year,
        "edition_number": edition_number,
        "series_title": series_title,
        # As the package: the edition's own, else its (live) forum index page's title.
        "display_series_title": series_title
        or (parent["title"] if parent and parent["type"] == ctx.forum_index_type else ""),
        "theme": theme,
        "start_date": iso(start_date),
        "end_date": iso(end_date),
        "duration_hours": duration_hours,
        "format": format_,
        "venue": venue,
        "city": city,
        "host": host,
        "moderator": speaker_value(ctx, speakers, moderator_id, language),
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
        "body": resolve_body(ctx, json.loads(body), speakers, language),
    }


def _unsupported():
    return JsonResponse({"message": "the floor needs PostgreSQL"}, status=501)


def _fetch(where, params):
    with connection.cursor() as cursor:
        cursor.execute(_sql(where), {"spec": IMAGE_RENDITION_SPEC, **params})
        return cursor.fetchall()


def _json(data):
    return HttpResponse(json.dumps(data), content_type="application/json")


def edition_listing(request):
    if connection.vendor != "postgresql":
        return _unsupported()
    ctx = context()
    limit = int(request.GET.get("limit", 20))
    offset = int(request.GET.get("offset", 0))
    rows = _fetch("", {"limit": limit, "offset": offset})
    root = ctx.server_origin  # as Wagtail's detail_url: WAGTAILAPI_BASE_URL, else the site's
    return _json(
        {
            "meta": {"total_count": rows[0][-1] if rows else 0},
            "items": [edition(ctx, root, row, detail=False) for row in rows],
        }
    )


def edition_detail(request, pk):
    if connection.vendor != "postgresql":
        return _unsupported()
    ctx = context()
    rows = _fetch("AND p.id = %(pk)s", {"pk": pk, "limit": 1, "offset": 0})
    if not rows:
        return JsonResponse({"message": "not found"}, status=404)
    root = ctx.server_origin  # as Wagtail's detail_url: WAGTAILAPI_BASE_URL, else the site's
    return _json(edition(ctx, root, rows[0], detail=True))
