"""Subtree translation that leaves a sound tree (wagtail-localize#773).

The fault: "Translate this page" with "Include subtree" runs
``wagtail_localize.operations.translate_page_subtree``, which creates the translations
parents first. Each ``Translation.save_target()`` saves a revision of the new page and defers its
publication with ``transaction.on_commit(revision.publish)``. That revision keeps the in-memory
page it was saved from as its ``content_object``, with ``numchild = 0`` (the page had no
children yet). The children are then added under it (treebeard increments ``numchild`` in the
database), and at commit the parent's deferred publish rebuilds the page from that stale object
(``Page.with_content_json`` copies ``numchild`` from it) and saves every field: ``numchild`` is
back to 0. Treebeard then treats the parent as a leaf, ``get_children()`` is empty, Wagtail's
routing finds no child and the translated child pages answer 404 (``manage.py fixtree`` repairs
it). The same happens to the subtree root's own translation, published on commit of the
"Translate this page" request.

The fix: :func:`translate_page_subtree` wraps wagtail-localize's operation, whatever job backend
runs it (inline, RQ, or the package's Celery backend: they all call the operation), and after it
registers :func:`repair_numchild` on commit of the same transaction, so that it runs after
every deferred publish the operation (and the request before it) registered. The repair counts
the children of every page of the translated subtrees from their paths and corrects the
``numchild`` values that differ, in one query to read and one ``UPDATE`` per wrong value.
:func:`install` puts the wrapper in place from ``AlmaCmsConfig.ready``.
"""

import functools
import logging
from collections import Counter

from django.apps import apps
from django.db import transaction
from wagtail.models import Locale, Page

logger = logging.getLogger(__name__)

_installed = False


def repair_numchild(root_page_ids):
    """Set ``numchild`` of every page in the subtrees of ``root_page_ids`` (page ids, roots
    included) to its number of children, counted from the tree paths.

    Returns the number of pages corrected (0 on a sound tree). Pages that no longer exist are
    skipped. The children of a page at ``path`` and ``depth`` are the pages whose path starts
    with it at ``depth + 1``; treebeard's ``Page.find_problems()`` checks the same thing.
    """
    roots = list(Page.objects.filter(pk__in=set(root_page_ids)).values_list("path", flat=True))
    corrected = 0
    for root_path in _outermost(roots):
        rows = list(
            Page.objects.filter(path__startswith=root_path)
            .order_by()
            .values_list("pk", "path", "depth", "numchild")
        )
        steplen = Page.steplen
        children = Counter(path[:-steplen] for _pk, path, _depth, _numchild in rows)
        for pk, path, _depth, numchild in rows:
            actual = children.get(path, 0)
            if numchild != actual:
                Page.objects.filter(pk=pk).update(numchild=actual)
                corrected += 1
    if corrected:
        logger.info("Repaired numchild of %d page(s) after a subtree translation.", corrected)
    return corrected


def _outermost(paths):
    """The paths of ``paths`` that are not inside another one (each subtree read once)."""
    kept = []
    for path in sorted(paths):
        if not any(path.startswith(outer) for outer in kept):
            kept.append(path)
    return kept


def _locale_ids(locales):
    # The stock call site passes Locale instances; a job backend that sends ids passes ints.
    return [locale.pk if isinstance(locale, Locale) else int(locale) for locale in locales]


def wrap(operation):
    """``operation`` (wagtail-localize's ``translate_page_subtree(page_id, locales, components,
    user)``) followed, on commit of the transaction it ran in, by :func:`repair_numchild` of the
    translations of ``page_id`` in ``locales``. Outside a transaction the repair runs at once
    (Django runs ``on_commit`` callbacks immediately then)."""
    if getattr(operation, "alma_repairs_numchild", False):
        return operation

    @functools.wraps(operation)
    def translate_page_subtree(page_id, locales, *args, **kwargs):
        result = operation(page_id, locales, *args, **kwargs)
        page = Page.objects.get(pk=page_id)
        root_ids = list(
            Page.objects.filter(
                translation_key=page.translation_key, locale_id__in=_locale_ids(locales)
            ).values_list("pk", flat=True)
        )
        # On commit, and registered last: the deferred publishes run first (see the module doc).
        transaction.on_commit(functools.partial(repair_numchild, root_ids))
        return result

    translate_page_subtree.alma_repairs_numchild = True
    translate_page_subtree.alma_keeps_edits = getattr(operation, "alma_keeps_edits", False)
    return translate_page_subtree


def keeping_edits(operation):
    """``operation`` (wagtail-localize's ``translate_page_subtree``) preceded, in one
    transaction, by ``alma_cms.translation.sync.keep_edits_before_subtree``: stopped child
    translations keep their translators' manual edits (issue 9, case 2)."""
    if getattr(operation, "alma_keeps_edits", False):
        return operation

    @functools.wraps(operation)
    def translate_page_subtree(page_id, locales, components, user, *args, **kwargs):
        # Here: sync imports wagtail-localize's models, importable only when it is installed.
        from .sync import keep_edits_before_subtree

        with transaction.atomic():
            keep_edits_before_subtree(page_id, _locale_ids(locales), user=user)
            return operation(page_id, locales, components, user, *args, **kwargs)

    translate_page_subtree.alma_keeps_edits = True
    return translate_page_subtree


def install():
    """Replace ``translate_page_subtree`` where wagtail-localize calls it: its ``operations``
    module and the submit-translation view, which imported it by name. Idempotent. A job
    backend that resolves the function by ``module.qualname`` gets the wrapper too (it keeps
    the original's name)."""
    global _installed
    if _installed or not apps.is_installed("wagtail_localize"):
        return
    # Here, not at module level: the view module imports Wagtail's admin, which needs the
    # app registry ready (install() runs from AppConfig.ready).
    from wagtail_localize import operations
    from wagtail_localize.views import submit_translations

    wrapped = wrap(keeping_edits(operations.translate_page_subtree))
    operations.translate_page_subtree = wrapped
    submit_translations.translate_page_subtree = wrapped
    _installed = True
