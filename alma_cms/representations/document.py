"""Documents: ``{id, title, url, file_extension, file_size}``."""

from wagtail.documents import get_document_model
from wagtail.documents.models import AbstractDocument

from .base import ReferenceKind, register_kind
from .json_schema import INTEGER_ID, nullable, object_schema


def document_representation(scope, document):
    """``{id, title, url, file_extension, file_size}`` (bytes; ``url`` absolute by the rule of
    ``alma_cms.scope.absolute_urls``, as Wagtail's ``download_url``), or None when the document
    is in a collection the caller may not see."""
    if document is None:
        return None
    scope.documents.setdefault(document.pk, document)
    if scope.document(document.pk) is None:
        return None
    return {
        "id": document.pk,
        "title": document.title,
        "url": scope.server_url(document.url),
        "file_extension": document.file_extension,
        "file_size": document.get_file_size(),
    }


class DocumentKind(ReferenceKind):
    name = "document"
    component = "AlmaDocument"

    def represent(self, scope, value):
        return document_representation(scope, value)

    def json_schema(self, generator):
        return object_schema(
            {
                "id": INTEGER_ID,
                "title": {"type": "string"},
                "url": {"type": "string"},
                "file_extension": {"type": "string"},
                "file_size": nullable({"type": "integer", "minimum": 0}),
            },
            "A downloadable document.",
        )

    def model(self):
        return get_document_model()

    def base_model(self):
        return AbstractDocument

    def want(self, scope, pk, model, locale_id):
        scope.want_document(pk)

    def want_value(self, scope, value, model, locale_id):
        # The chosen instance is all the representation reads: keep it, no query.
        scope.documents.setdefault(value.pk, value)

    def cached(self, scope, pk, model):
        return scope.documents.get(pk)


DOCUMENT = register_kind(DocumentKind())
