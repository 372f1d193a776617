"""Organizations (the ``Organization`` snippet): ``{id, name, short_name, kind, url, logo}``."""

from django.apps import apps

from .base import ReferenceKind, register_kind
from .image import IMAGE, image_representation
from .json_schema import INTEGER_ID, nullable, object_schema


def organization_representation(scope, organization):
    """``{id, name, short_name, kind, url, logo}``, or None."""
    # No localizing here: wagtail-localize already points a translated page at the
    # organization's translation, so the reference is in the right language as stored.
    if organization is None:
        return None
    logo = scope.image(organization.logo_id)
    return {
        "id": organization.pk,
        "name": organization.name,
        "short_name": organization.short_name,
        "kind": organization.kind,
        "url": organization.url,
        "logo": image_representation(scope, logo) if logo else None,
    }


class OrganizationKind(ReferenceKind):
    name = "organization"
    component = "AlmaOrganization"

    def represent(self, scope, value):
        return organization_representation(scope, value)

    def json_schema(self, generator):
        return object_schema(
            {
                "id": INTEGER_ID,
                "name": {"type": "string"},
                "short_name": {
                    "type": "string",
                    "description": "Abbreviation, e.g. LFL; may be empty.",
                },
                "kind": {"type": "string", "enum": list(self.model().Kind.values)},
                "url": {"type": "string", "description": "Website; may be empty."},
                "logo": nullable(generator.reference(IMAGE)),
            },
            "An organization (snippet).",
        )

    def model(self):
        # By name: the model sits above this package.
        return apps.get_model("alma_cms", "Organization")

    def want(self, scope, pk, model, locale_id):
        scope.want_organization(pk)

    def cached(self, scope, pk, model):
        return scope.organizations.get(pk)

    def dependencies(self, scope, obj, locale_id):
        if isinstance(obj, self.model()):
            scope.want_image(obj.logo_id)


ORGANIZATION = register_kind(OrganizationKind())
