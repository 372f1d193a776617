"""Quotations (pages of ``ALMA_CMS["QUOTATION_PAGE_MODEL"]``) with their speaker and edition."""

from .base import PageKind, register_kind, setting_model
from .json_schema import INTEGER_ID, URL_OR_PATH, nullable, object_schema
from .page_link import PAGE_LINK, page_link_representation
from .speaker import SPEAKER, speaker_representation


def quotation_representation(scope, page):
    """``{id, url, text, speaker, speaker_role, forum_edition, said_on}``, or None."""
    quotation = scope.public_localized(page)
    if quotation is None:
        return None
    edition = scope.page(quotation.forum_edition_id)
    speaker = scope.page(quotation.speaker_id)
    return {
        "id": quotation.pk,
        "url": scope.page_url(quotation),
        "text": quotation.text,
        "speaker": speaker_representation(scope, speaker) if speaker else None,
        "speaker_role": quotation.speaker_role,
        "forum_edition": page_link_representation(scope, edition) if edition else None,
        "said_on": quotation.said_on.isoformat() if quotation.said_on else None,
    }


class QuotationKind(PageKind):
    name = "quotation"
    component = "AlmaQuotation"

    def represent(self, scope, value):
        return quotation_representation(scope, value)

    def json_schema(self, generator):
        return object_schema(
            {
                "id": INTEGER_ID,
                "url": nullable(URL_OR_PATH),
                "text": {"type": "string"},
                "speaker": nullable(generator.reference(SPEAKER)),
                "speaker_role": {
                    "type": "string",
                    "description": "The speaker's title when speaking.",
                },
                "forum_edition": nullable(generator.reference(PAGE_LINK)),
                "said_on": nullable({"type": "string", "format": "date"}),
            },
            "A quotation page with its speaker.",
        )

    def model(self):
        return setting_model("QUOTATION_PAGE_MODEL")

    def dependencies(self, scope, obj, locale_id):
        if isinstance(obj, self.model()):
            scope.want_page(obj.speaker_id, setting_model("SPEAKER_PAGE_MODEL"), locale_id)
            scope.want_page(
                obj.forum_edition_id, setting_model("FORUM_EDITION_PAGE_MODEL"), locale_id
            )


QUOTATION = register_kind(QuotationKind())
