"""A fingerprint of the database content the demo touches, to prove a reload changes nothing.

``snapshot()`` returns row counts and a hash over every page's specific field values (child rows
included), every organization and every image. Two equal snapshots mean no object was added,
removed or saved with different values, and no revision was made.
"""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Revision
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from alma_cms.models import Organization


def _digest(rows):
    text = json.dumps(rows, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def page_rows():
    rows = []
    for page in Page.objects.order_by("path").specific():
        data = page.serializable_data()  # every field of the specific model, child rows too
        rows.append([type(page).__name__, data])
    return rows


def snapshot():
    Image = get_image_model()
    organizations = [
        [
            o.pk,
            o.translation_key,
            o.locale_id,
            o.name,
            o.short_name,
            o.kind,
            o.city,
            str(o.country),
            o.url,
            o.logo_id,
        ]
        for o in Organization.objects.order_by("pk")
    ]
    images = [
        [i.pk, i.title, i.file.name, i.width, i.height, i.file_hash]
        for i in Image.objects.order_by("pk")
    ]
    return {
        "counts": {
            "locales": Locale.objects.count(),
            "pages": Page.objects.count(),
            "live_pages": Page.objects.live().count(),
            "revisions": Revision.objects.count(),
            "organizations": Organization.objects.count(),
            "images": Image.objects.count(),
            "translation_sources": TranslationSource.objects.count(),
            "translations": Translation.objects.count(),
            "string_translations": StringTranslation.objects.count(),
        },
        "pages_hash": _digest(page_rows()),
        "organizations_hash": _digest(organizations),
        "images_hash": _digest(images),
    }
