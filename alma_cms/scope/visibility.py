"""Who may see which page, image and document: the one visibility rule of alma-cms.

A page is *visible* to a caller when it is live, not expired (``expired`` unset and
``expire_at``, if any, still in the future) and neither it, one of its ancestors, nor, for an
alias, its source page (Wagtail's ``get_view_restrictions()`` resolves aliases to their source)
is behind a view restriction (password, login, groups) that the caller fails. An image or a
document is visible when its collection is not behind a collection view restriction the caller
fails. The rule for a restriction is Wagtail's (``BaseViewRestriction.accept_request``), decided
here without a query per restriction.
"""

from functools import reduce
from operator import or_

from django.db.models import Q, prefetch_related_objects
from wagtail.models import (
    BaseViewRestriction,
    Collection,
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
)


def _accepts(restriction, request, user, group_ids):
    """True if the caller passes ``restriction`` (a page or collection view restriction)."""
    kind = restriction.restriction_type
    if kind == BaseViewRestriction.PASSWORD:
        session = getattr(request, "session", None) if request is not None else None
        if session is None:
            return False
        return restriction.id in session.get(restriction.passed_view_restrictions_session_key, [])
    authenticated = user is not None and user.is_authenticated
    if kind == BaseViewRestriction.LOGIN:
        return authenticated
    if kind == BaseViewRestriction.GROUPS:
        if not authenticated:
            return False
        if user.is_superuser:
            return True
        return bool(group_ids & {group.pk for group in restriction.groups.all()})
    return kind == BaseViewRestriction.NONE


def _top_paths(paths):
    """``paths`` without those under a shorter one of them (treebeard paths), sorted."""
    kept = []
    for path in sorted(paths):
        if not any(path.startswith(p) for p in kept):
            kept.append(path)
    return tuple(kept)


class Verdict:
    """The caller's verdict on one kind of view restriction: the tree ``denied_paths`` (the
    restricted nodes it fails; their descendants are denied too) and whether it ``accepted``
    any restriction (then it sees more than an anonymous caller)."""

    def __init__(self, denied_paths, accepted):
        self.denied_paths = denied_paths
        self.accepted = accepted

    @classmethod
    def of(cls, restrictions, node_of, request):
        """Evaluate ``restrictions`` (with ``node_of(restriction)``, the page or collection it
        protects, already loaded) for ``request`` (None: an anonymous caller). One query for the
        caller's groups when a group restriction concerns a signed-in user, none otherwise."""
        user = getattr(request, "user", None) if request is not None else None
        group_ids = set()
        if user is not None and user.is_authenticated and not user.is_superuser:
            by_group = [r for r in restrictions if r.restriction_type == r.GROUPS]
            if by_group:
                prefetch_related_objects(by_group, "groups")
                group_ids = set(user.groups.values_list("id", flat=True))
        denied, accepted = [], False
        for restriction in restrictions:
            if _accepts(restriction, request, user, group_ids):
                accepted = True
            else:
                denied.append(node_of(restriction).path)
        return cls(_top_paths(denied), accepted)

    def covers(self, path):
        return any(path.startswith(p) for p in self.denied_paths)


class Visibility:
    """The visibility rule for one caller (``self.request``; None: anonymous) at one moment
    (``self.now``). Restrictions are read once, lazily: one query for pages, one for
    collections, each the first time it is needed."""

    request = None

    def __init__(self):
        self._pages_verdict = None
        self._collections_verdict = None
        self._restricted_page_ids = None
        self._denied_alias_ids = None
        self._restricted_collection_ids = None

    # --- pages --------------------------------------------------------------------------------

    @property
    def _pages(self):
        if self._pages_verdict is None:
            restrictions = PageViewRestriction.objects.select_related("page").only(
                "id", "restriction_type", "password", "page__path", "page__id"
            )
            self._pages_verdict = Verdict.of(list(restrictions), lambda r: r.page, self.request)
        return self._pages_verdict

    @property
    def denied_paths(self):
        """Tree paths of the restricted pages the caller fails (their descendants too)."""
        return self._pages.denied_paths

    @property
    def sees_restricted_content(self):
        """True when the caller passes a page view restriction (signed in, right group,
        password given): what it sees differs from what an anonymous caller sees, so its
        responses must not be stored in shared caches."""
        return self._pages.accepted

    def _denied_q(self, prefix=""):
        """A Q selecting pages under a denied path, or aliases of such pages."""
        query = Q()
        for path in self.denied_paths:
            query |= Q(**{f"{prefix}path__startswith": path})
            query |= Q(**{f"{prefix}alias_of__path__startswith": path})
        return query

    def visible_q(self, prefix=""):
        """A Q object selecting the pages the caller may see (``prefix``: e.g. ``"speaker__"``
        to filter on a relation)."""
        p = prefix
        query = Q(**{f"{p}live": True, f"{p}expired": False}) & (
            Q(**{f"{p}expire_at__isnull": True}) | Q(**{f"{p}expire_at__gt": self.now})
        )
        if self.denied_paths:
            query &= ~self._denied_q(prefix)
        return query

    @property
    def restricted_page_ids(self):
        """Frozenset of the ids of the pages hidden by view restrictions: each restricted page,
        its descendants and their aliases. One query the first time, if any restriction is
        failed."""
        if self._restricted_page_ids is None:
            if not self.denied_paths:
                self._restricted_page_ids = frozenset()
            else:
                self._restricted_page_ids = frozenset(
                    Page.objects.filter(self._denied_q()).values_list("id", flat=True)
                )
        return self._restricted_page_ids

    def _denied_alias(self, page):
        """True if ``page`` is an alias whose source the caller may not see because of a view
        restriction (one query per request for all aliases, only if any restriction is
        failed)."""
        if page.alias_of_id is None or not self.denied_paths:
            return False
        if self._denied_alias_ids is None:
            query = reduce(or_, (Q(alias_of__path__startswith=p) for p in self.denied_paths))
            self._denied_alias_ids = frozenset(
                Page.objects.filter(query).values_list("id", flat=True)
            )
        return page.pk in self._denied_alias_ids

    def is_denied_path(self, path):
        return self._pages.covers(path)

    def is_visible(self, page):
        """True if the caller may see ``page`` (a loaded page instance; None: False)."""
        if page is None or not page.live or page.expired:
            return False
        if page.expire_at is not None and page.expire_at <= self.now:
            return False
        return not self.is_denied_path(page.path) and not self._denied_alias(page)

    # --- images and documents -----------------------------------------------------------------

    @property
    def _collections(self):
        if self._collections_verdict is None:
            restrictions = CollectionViewRestriction.objects.select_related("collection")
            self._collections_verdict = Verdict.of(
                list(restrictions), lambda r: r.collection, self.request
            )
        return self._collections_verdict

    def restricted_collection_ids(self):
        """Ids of the collections (with their descendants) whose images and documents the
        caller may not see, like Wagtail's ``get_restricted_collection_ids``. Cached."""
        if self._restricted_collection_ids is None:
            paths = self._collections.denied_paths
            ids = frozenset()
            if paths:
                query = reduce(or_, (Q(path__startswith=p) for p in paths))
                ids = frozenset(Collection.objects.filter(query).values_list("id", flat=True))
            self._restricted_collection_ids = ids
        return self._restricted_collection_ids

    @property
    def sees_restricted_collections(self):
        """True when the caller passes a collection view restriction."""
        return self._collections.accepted

    def is_media_visible(self, obj):
        """True if the caller may see image or document ``obj`` (None: False): its collection
        is not behind a collection view restriction the caller fails."""
        if obj is None:
            return False
        collection_id = getattr(obj, "collection_id", None)
        return collection_id is None or collection_id not in self.restricted_collection_ids()
