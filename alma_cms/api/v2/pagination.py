"""Wagtail's limit/offset pagination with errors that name the parameter."""

from django.conf import settings
from wagtail.api.v2.pagination import WagtailPagination

from .errors import ApiBadRequest, parse_non_negative

# Databases take 64-bit offsets; anything beyond is certainly past the end.
MAX_OFFSET = 2**62
# Used when WAGTAILAPI_LIMIT_MAX is unset (None or 0): a limit is still required to be sane.
HARD_LIMIT_MAX = 10_000


class Pagination(WagtailPagination):
    def paginate_queryset(self, queryset, request, view=None):
        limit_max = getattr(settings, "WAGTAILAPI_LIMIT_MAX", 20)
        offset = parse_non_negative(request.GET.get("offset", 0), "offset", MAX_OFFSET)
        limit_default = 20 if not limit_max else min(20, limit_max)
        limit = parse_non_negative(request.GET.get("limit", limit_default), "limit", 2**62)
        effective_max = limit_max or HARD_LIMIT_MAX
        if limit > effective_max:
            raise ApiBadRequest(f"limit cannot be higher than {effective_max}", "limit")
        self.view = view
        self.total_count = queryset.count()
        self.offset, self.limit = offset, limit
        return queryset[offset : offset + limit]
