"""Wagtail's limit/offset pagination with errors that name the parameter."""

from django.conf import settings
from django.db.models import Count, QuerySet, Window
from django.db.models.query import ModelIterable
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
        self.offset, self.limit = offset, limit
        if _counts_in_window(queryset):
            # The total from the page's own query (``COUNT(*) OVER ()``): one round trip, not
            # two. An empty page past the end says nothing about the total: counted then.
            page = list(queryset.annotate(**{_TOTAL: Window(Count("*"))})[offset : offset + limit])
            if page:
                self.total_count = getattr(page[0], _TOTAL)
            else:
                self.total_count = queryset.count() if offset else 0
            return page
        self.total_count = queryset.count()
        return queryset[offset : offset + limit]


_TOTAL = "alma_total_count"


def _counts_in_window(queryset):
    """True for a plain queryset of model instances, where a window count equals ``count()``
    (not for search results, ``values()`` rows, DISTINCT or combined queries)."""
    return (
        isinstance(queryset, QuerySet)
        and queryset._iterable_class is ModelIterable
        and not queryset.query.distinct
        and not queryset.query.combinator
        and not queryset.query.is_sliced
    )
