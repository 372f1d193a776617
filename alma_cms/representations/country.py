"""Countries (django-countries' ``CountryField``): ``{code, name}``."""

from .base import ReferenceKind, register_kind
from .json_schema import object_schema


def country_representation(scope, country):
    """``{code, name}`` (ISO 3166-1 alpha-2, the name in the active language), or None."""
    return {"code": country.code, "name": str(country.name)} if country else None


class CountryKind(ReferenceKind):
    """A value, not an object: nothing to load."""

    name = "country"
    component = "AlmaCountry"

    def represent(self, scope, value):
        return country_representation(scope, value)

    def json_schema(self, generator):
        return object_schema(
            {
                "code": {"type": "string", "description": "ISO 3166-1 alpha-2."},
                "name": {"type": "string"},
            }
        )

    def want_value(self, scope, value, model, locale_id):
        pass


COUNTRY = register_kind(CountryKind())
