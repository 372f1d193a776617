"""Bulk loading for a page's HTML: what its template shows, loaded before it renders.

``prefetch_for_html(scope, page, listing, ancestors)`` loads through the request's scope, with
a few queries per kind of object whatever their number:

- the page's own fields, by the same plan as the API (``plan_for_api_fields``): StreamFields
  converted together, the pages, images, documents and organizations their blocks and foreign
  keys refer to, inline children (speaker positions), links in rich text;
- the page's translations (language switcher, ``hreflang`` links) and its ancestors
  (breadcrumbs);
- for an index page, what each teaser of its listing shows (``listing_fields``, declared by the
  page types listed);
- images with the renditions the alma-cms templates render (:data:`TEMPLATE_RENDITION_SPECS`).

Then it fills the foreign-key caches of everything loaded, so that ``speaker.photo`` or
``quotation.speaker`` in a template reads the scope's copy, and the template tags
(``alma_visible_page``, ``alma_rich_text``, ``alma_language_switcher``, ``alma_json_ld``, ...)
find what they look up in the scope's caches.
"""

from collections import defaultdict

from ..representations.prefetch import (
    FieldPlan,
    fill_loaded_foreign_keys,
    plan_for_api_fields,
    queue,
)

# The filter specs of every ``{% image %}`` in the alma-cms templates (speaker page, speaker
# teaser and speaker list, image block, organization list): loaded with every image of the
# page. A site whose templates render other specs adds them with ``scope.want_renditions``.
TEMPLATE_RENDITION_SPECS = ("fill-320x320", "fill-160x160", "max-800x800", "max-160x80")


def plan_for_html(model):
    """What the HTML of a ``model`` page reads from the page itself: its ``api_fields`` (the
    template shows what the API shows) and its translations."""
    plan = plan_for_api_fields(model)
    plan.names.add("translations")
    return plan


def plan_for_listing(model):
    """What the teaser of a ``model`` page in an index page's listing reads: the fields the
    page type names in ``listing_fields`` (default: none)."""
    return FieldPlan(getattr(model, "listing_fields", ()))


def prefetch_for_html(scope, page, listing=(), ancestors=(), site_root=None):
    """Bulk-load, in ``scope`` (the request's), what the template of ``page`` shows: the page
    (see the module docstring), the pages of ``listing`` (an index page's children),
    ``ancestors`` (the breadcrumbs: page instances, as ``get_ancestors`` gives them) and
    ``site_root`` (the site's root page, which the header links in the page's language)."""
    scope.want_renditions(*TEMPLATE_RENDITION_SPECS)
    locale_id = page.locale_id or None
    # The parent as routing loaded it (its specific class, which Wagtail caches on the page):
    # no query to load it again.
    scope.remember(getattr(page, "_cached_parent_obj", None))
    for ancestor in [*ancestors, site_root]:
        if ancestor is not None and ancestor.depth > 1:  # the root is never shown
            scope.remember(ancestor)
            scope.want_page(ancestor.pk, None, locale_id)
    fills = [queue(scope, [page], type(page), plan_for_html(type(page)), locale_id)]
    by_model = defaultdict(list)
    for child in listing:
        by_model[type(child)].append(child)
    for model, children in by_model.items():
        fills.append(queue(scope, children, model, plan_for_listing(model), locale_id))
    scope.resolve()
    for fill in fills:
        fill()
    fill_loaded_foreign_keys(scope)
