"""Images: ``{id, title, alt, width, height, url}`` of a rendition within 1600×1600 pixels."""

from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage

from ..scope import IMAGE_RENDITION_SPEC, prefetched_rendition
from .base import ReferenceKind, register_kind
from .json_schema import INTEGER_ID, object_schema


def image_representation(scope, image, alt=None):
    """``{id, title, alt, width, height, url}`` (the ``max-1600x1600`` rendition; pixels; an
    absolute URL by the rule of ``alma_cms.scope.absolute_urls``: ``WAGTAILAPI_BASE_URL``, else
    the request's Site), or None when the image is missing or in a collection the caller may
    not see."""
    if image is None:
        return None
    image_id = image.pk
    return scope.represent(
        "image", (image_id, alt), lambda: _image_representation(scope, scope.image(image_id), alt)
    )


def _image_representation(scope, image, alt=None):
    if image is None:
        return None
    rendition = prefetched_rendition(image, IMAGE_RENDITION_SPEC)
    return {
        "id": image.pk,
        "title": image.title,
        "alt": alt or getattr(image, "default_alt_text", "") or image.title,
        "width": rendition.width,
        "height": rendition.height,
        "url": scope.server_url(rendition.url),
    }


class ImageKind(ReferenceKind):
    name = "image"
    component = "AlmaImage"

    def represent(self, scope, value):
        return image_representation(scope, value)

    def json_schema(self, generator):
        return object_schema(
            {
                "id": INTEGER_ID,
                "title": {"type": "string"},
                "alt": {"type": "string"},
                "width": {"type": "integer", "minimum": 0},
                "height": {"type": "integer", "minimum": 0},
                "url": {"type": "string", "description": "URL of a rendition at most 1600×1600."},
            },
            "An image, as a rendition that fits in 1600×1600 pixels.",
        )

    def model(self):
        return get_image_model()

    def base_model(self):
        return AbstractImage

    def want(self, scope, pk, model, locale_id):
        scope.want_image(pk)

    def want_value(self, scope, value, model, locale_id):
        # The chosen instance gets its renditions (no query for the image itself), so that a
        # template rendering the block's own value finds them too.
        scope.want_image(value.pk, value)

    def cached(self, scope, pk, model):
        return scope.images.get(pk)


IMAGE = register_kind(ImageKind())
