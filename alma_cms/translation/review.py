"""Carried-over translations of changed source strings ("needs review";
``TRANSLATION_CHANGED_STRINGS`` = "keep", docs/translation.md).

When a source string changes, wagtail-localize creates a new ``String`` and the translated page
falls back to the source text; the old translation is orphaned (wagtail-localize#838, #502).
With "keep", the sync copies the previous translation onto the new string in the same context
(one ``StringTranslation`` per locale) and marks it with a ``TranslationReview`` row; the page
keeps the previous translation. The row goes when a translator saves a translation of that
string (any save of the ``StringTranslation`` after it was carried over) or deletes it.
"""

from collections import defaultdict

from django.apps import apps
from django.db.models import Count, Exists, F, OuterRef
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail_localize.models import StringSegment, StringTranslation


def _review_model():
    return apps.get_model("alma_cms", "TranslationReview")


def strings_by_context(source):
    """``{context_id: [(string_id, text), ...]}`` of ``source``'s string segments in order:
    taken before a refresh, given to ``carry_over`` after it. One query."""
    found = defaultdict(list)
    rows = (
        StringSegment.objects.filter(source=source)
        .order_by("order")
        .values_list("context_id", "string_id", "string__data")
    )
    for context_id, string_id, text in rows:
        found[context_id].append((string_id, text))
    return found


def carry_over(source, previous):
    """Copy the translations of strings that changed in ``source`` onto their new strings, in
    every locale, and mark them for review. ``previous`` is ``strings_by_context(source)``
    from before the refresh. Strings are paired by context and position within it (a rich
    text holds several strings in one context); a context whose number of strings changed is
    not paired (its strings show the source text, as stock). A constant number of queries."""
    current = strings_by_context(source)
    pairs = {}  # (context_id, new string id) -> (old string id, old text)
    for context_id, strings in current.items():
        before = previous.get(context_id, [])
        if len(before) != len(strings):
            continue
        for (new_id, _text), (old_id, old_text) in zip(strings, before, strict=True):
            if new_id != old_id:
                pairs[(context_id, new_id)] = (old_id, old_text)
    if not pairs:
        return 0
    context_ids = {context_id for context_id, _ in pairs}
    old_ids = {old_id for old_id, _ in pairs.values()}
    new_ids = {new_id for _, new_id in pairs}
    old = defaultdict(list)
    for row in StringTranslation.objects.filter(
        context_id__in=context_ids, translation_of_id__in=old_ids
    ):
        old[(row.context_id, row.translation_of_id)].append(row)
    existing = set(
        StringTranslation.objects.filter(
            context_id__in=context_ids, translation_of_id__in=new_ids
        ).values_list("context_id", "translation_of_id", "locale_id")
    )
    new_rows, previous_texts = [], []
    for (context_id, new_id), (old_id, old_text) in pairs.items():
        for row in old.get((context_id, old_id), []):
            if (context_id, new_id, row.locale_id) in existing or row.has_error:
                continue
            new_rows.append(
                StringTranslation(
                    translation_of_id=new_id,
                    locale_id=row.locale_id,
                    context_id=context_id,
                    data=row.data,
                    translation_type=row.translation_type,
                    tool_name=row.tool_name,
                    last_translated_by_id=row.last_translated_by_id,
                )
            )
            previous_texts.append(old_text)
    if not new_rows:
        return 0
    # bulk_create: no post_save, so these are not taken for a translator's save below.
    created = StringTranslation.objects.bulk_create(new_rows)
    Review = _review_model()
    Review.objects.bulk_create(
        Review(string_translation_id=row.pk, previous_source=text)
        for row, text in zip(created, previous_texts, strict=True)
    )
    return len(created)


@receiver(post_save, sender=StringTranslation, dispatch_uid="alma_cms.translation.review")
def _reviewed(sender, instance, created, update_fields=None, **kwargs):
    """A translator saved the translation (wagtail-localize's editor, a PO import, a machine
    translation): it is reviewed. wagtail-localize's own ``has_error`` bookkeeping save
    (update_fields=["has_error"]) is not a review."""
    if created or (update_fields is not None and "data" not in update_fields):
        return
    _review_model().objects.filter(string_translation_id=instance.pk).delete()


def strings_needing_review(source_ids, locale_ids=None):
    """``{(translation_source_id, locale_id): count}`` of the strings of each
    ``TranslationSource`` (ids) whose translation into that locale is a carried-over one
    waiting for review; pairs with none are absent. One query, for the status helper."""
    rows = StringSegment.objects.filter(
        source_id__in=list(source_ids),
        string__translations__context_id=F("context_id"),
        string__translations__alma_review__isnull=False,
    )
    if locale_ids is not None:
        rows = rows.filter(string__translations__locale_id__in=list(locale_ids))
    rows = rows.values("source_id", "string__translations__locale_id").annotate(
        n=Count("id", distinct=True)
    )
    return {(row["source_id"], row["string__translations__locale_id"]): row["n"] for row in rows}


def reviews_for(translation):
    """The ``TranslationReview`` rows of one wagtail-localize ``Translation`` (its source's
    strings in its target locale), for the editor: queryset."""
    # Each string in its own context: the strings the source holds now, as the status counts.
    current = StringSegment.objects.filter(
        source_id=translation.source_id,
        string_id=OuterRef("string_translation__translation_of_id"),
        context_id=OuterRef("string_translation__context_id"),
    )
    return (
        _review_model()
        .objects.filter(Exists(current), string_translation__locale_id=translation.target_locale_id)
        .select_related("string_translation")
    )
