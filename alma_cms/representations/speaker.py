"""Speakers (pages of ``ALMA_CMS["SPEAKER_PAGE_MODEL"]``): ``{id, name, url, photo}``."""

from .base import PageKind, register_kind, setting_model
from .image import IMAGE, image_representation
from .json_schema import INTEGER_ID, URL_OR_PATH, nullable, object_schema


def speaker_representation(scope, page):
    """A chosen speaker as ``{id, name, url, photo}``, or None."""
    # Once for both lookups: a listing of editions shows ~600 speakers.
    locale_id = scope.active_locale_id()
    speaker = scope.public_localized(page, locale_id)
    if speaker is None:
        return None
    return scope.represent(
        "speaker", speaker.pk, lambda: _speaker_representation(scope, speaker), locale_id
    )


def _speaker_representation(scope, speaker):
    photo = scope.image(getattr(speaker, "photo_id", None))
    return {
        "id": speaker.pk,
        "name": speaker.full_name if hasattr(speaker, "full_name") else speaker.title,
        "url": scope.page_url(speaker),
        "photo": image_representation(scope, photo) if photo else None,
    }


class SpeakerKind(PageKind):
    name = "speaker"
    component = "AlmaSpeaker"

    def represent(self, scope, value):
        return speaker_representation(scope, value)

    def json_schema(self, generator):
        return object_schema(
            {
                "id": INTEGER_ID,
                "name": {"type": "string"},
                "url": nullable(URL_OR_PATH),
                "photo": nullable(generator.reference(IMAGE)),
            },
            "A speaker page, in the language of the response where a translation exists.",
        )

    def model(self):
        return setting_model("SPEAKER_PAGE_MODEL")

    def dependencies(self, scope, obj, locale_id):
        if isinstance(obj, self.model()):
            scope.want_image(getattr(obj, "photo_id", None))


SPEAKER = register_kind(SpeakerKind())
