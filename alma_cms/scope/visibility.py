"""Who may see which page, image and document: the one visibility rule of alma-cms.

A page is *visible* to a caller when it is live, not expired (``expired`` unset and
``expire_at``, if any, still in the future) and neither it nor one of its ancestors is hidden
by a view restriction (password, login, groups) that the caller fails. A restriction hides its
page's subtree and the aliases of the pages in it, with the subtrees below those aliases: an
alias is hidden exactly when its source is (Wagtail's ``get_view_restrictions()`` resolves a
page and each of its ancestors that is an alias to its source). An image or a
document is visible when its collection is not behind a collection view restriction the caller
fails. The rule for a restriction is Wagtail's (``BaseViewRestriction.accept_request``), decided
here without a query per restriction.
"""

from functools import reduce
from operator import or_

from django.db.models import Exists, OuterRef, Q, prefetch_related_objects
from wagtail.models import (
    BaseViewRestriction,
    Collection,
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
)

from .compiled import run_compiled


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


def under(paths, field="path"):
    """A Q selecting the tree nodes at or below any of ``paths`` (treebeard paths), through
    ``field`` (``"alias_of__path"``, ``"speaker__path"``, ...); ``paths`` must not be empty."""
    return reduce(or_, (Q(**{f"{field}__startswith": path}) for path in paths))


def _top_paths(paths):
    """``paths`` without those under a shorter one of them (treebeard paths), sorted."""
    kept = []
    for path in sorted(paths):
        if not any(path.startswith(p) for p in kept):
            kept.append(path)
    return tuple(kept)


def _page_restrictions():
    # Whether pages below each restricted page have aliases, in the same query: the aliases
    # are looked up only when there are some (see ``denied_paths``).
    aliased = Page.objects.filter(alias_of__path__startswith=OuterRef("page__path"))
    return (
        PageViewRestriction.objects.select_related("page")
        .only("id", "restriction_type", "password", "page__path", "page__id")
        .annotate(has_aliases=Exists(aliased))
    )


_ANY_PAGE_RESTRICTION = "alma_any_page_restriction"
_ANY_COLLECTION_RESTRICTION = "alma_any_collection_restriction"


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


class Visibility:
    """The visibility rule for one caller (``self.request``; None: anonymous) at one moment
    (``self.now``). Restrictions are read once, lazily: one query for pages, one for
    collections, each the first time it is needed, and one for the aliases of restricted pages
    when the caller fails a restriction on a page that has some."""

    request = None

    def __init__(self):
        self._pages_verdict = None
        self._aliased_restricted_paths = ()
        self._denied_paths = None
        self._collections_verdict = None
        self._restricted_page_ids = None
        self._restricted_collection_ids = None

    # --- restrictions read along ------------------------------------------------------------

    @staticmethod
    def restriction_flags():
        """Annotations for a query the request makes anyway (the page a detail shows): whether
        any page view restriction and any collection view restriction exists. Passed to
        ``take_restriction_flags``, they spare the restriction queries when there are none."""
        return {
            _ANY_PAGE_RESTRICTION: Exists(PageViewRestriction.objects.all()),
            _ANY_COLLECTION_RESTRICTION: Exists(CollectionViewRestriction.objects.all()),
        }

    def take_restriction_flags(self, obj):
        """Read the ``restriction_flags`` annotations of ``obj`` (a row loaded with them): no
        restriction of a kind, so the caller fails and passes none of that kind (no query)."""
        if getattr(obj, _ANY_PAGE_RESTRICTION, True) is False and self._pages_verdict is None:
            self._pages_verdict = Verdict((), False)
            self._aliased_restricted_paths = ()
        if (
            getattr(obj, _ANY_COLLECTION_RESTRICTION, True) is False
            and self._collections_verdict is None
        ):
            self._collections_verdict = Verdict((), False)

    # --- pages --------------------------------------------------------------------------------

    @property
    def _pages(self):
        if self._pages_verdict is None:
            # Whether pages below each restricted page have aliases, in the same query: the
            # aliases are looked up only when there are some (see ``denied_paths``).
            restrictions = run_compiled(
                "page view restrictions", PageViewRestriction, _page_restrictions
            )
            self._pages_verdict = Verdict.of(restrictions, lambda r: r.page, self.request)
            self._aliased_restricted_paths = tuple(
                r.page.path for r in restrictions if r.has_aliases
            )
        return self._pages_verdict

    @property
    def denied_paths(self):
        """Tree paths of the subtrees the caller may not see (sorted, none below another): the
        restricted pages it fails, and the aliases of the pages below them. One query for the
        aliases the first time, only if the caller fails a restriction on a page with aliases
        below it (the restrictions' query tells). Aliases are followed
        one step: an alias of a page that sits below such an alias is not hidden by this rule
        (nor by Wagtail's, which checks an alias's source but not the source's ancestors)."""
        if self._denied_paths is None:
            restricted = self._pages.denied_paths
            aliases = []
            if any(a.startswith(p) for a in self._aliased_restricted_paths for p in restricted):
                aliases = Page.objects.filter(under(restricted, "alias_of__path"))
                aliases = aliases.values_list("path", flat=True)
            self._denied_paths = _top_paths([*restricted, *aliases])
        return self._denied_paths

    @property
    def sees_restricted_content(self):
        """True when the caller passes a page view restriction (signed in, right group,
        password given), or passes a collection view restriction and the images and documents
        it may see were looked up (an image or document shown goes through
        ``restricted_collection_ids``): what it sees differs from what an anonymous caller
        sees, so its responses must not be stored in shared caches. Reads the collection
        restrictions only if they were read already (no query for responses showing no
        image or document)."""
        if self._pages.accepted:
            return True
        collections = self._collections_verdict
        return collections is not None and collections.accepted

    def visible_q(self, prefix=""):
        """A Q object selecting the pages the caller may see (``prefix``: e.g. ``"speaker__"``
        to filter on a relation)."""
        p = prefix
        query = Q(**{f"{p}live": True, f"{p}expired": False}) & (
            Q(**{f"{p}expire_at__isnull": True}) | Q(**{f"{p}expire_at__gt": self.now})
        )
        if self.denied_paths:
            query &= ~under(self.denied_paths, f"{p}path")
        return query

    @property
    def restricted_page_ids(self):
        """Frozenset of the ids of the pages hidden by view restrictions (in ``denied_paths``).
        One query the first time, if any restriction is failed."""
        if self._restricted_page_ids is None:
            if not self.denied_paths:
                self._restricted_page_ids = frozenset()
            else:
                self._restricted_page_ids = frozenset(
                    Page.objects.filter(under(self.denied_paths)).values_list("id", flat=True)
                )
        return self._restricted_page_ids

    def is_denied_path(self, path):
        """True if the page at tree ``path`` is hidden by a view restriction."""
        return any(path.startswith(p) for p in self.denied_paths)

    def is_visible(self, page):
        """True if the caller may see ``page`` (a loaded page instance; None: False)."""
        if page is None or not page.live or page.expired:
            return False
        if page.expire_at is not None and page.expire_at <= self.now:
            return False
        return not self.is_denied_path(page.path)

    # --- images and documents -----------------------------------------------------------------

    @property
    def _collections(self):
        if self._collections_verdict is None:
            restrictions = run_compiled(
                "collection view restrictions",
                CollectionViewRestriction,
                lambda: CollectionViewRestriction.objects.select_related("collection"),
            )
            self._collections_verdict = Verdict.of(
                restrictions, lambda r: r.collection, self.request
            )
        return self._collections_verdict

    def restricted_collection_ids(self):
        """Ids of the collections (with their descendants) whose images and documents the
        caller may not see, like Wagtail's ``get_restricted_collection_ids``. Cached."""
        if self._restricted_collection_ids is None:
            paths = self._collections.denied_paths
            ids = frozenset()
            if paths:
                ids = frozenset(
                    Collection.objects.filter(under(paths)).values_list("id", flat=True)
                )
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
