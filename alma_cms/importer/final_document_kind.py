"""The final-document kind: a resolution, declaration, recommendations or guidelines → a draft
``GuidelineDocumentPage`` (``final_document`` parses, ``plan`` plans, ``writer`` writes), or,
with ``translation_of``, the wagtail-localize translation of one (``translation``)."""

import re
from types import SimpleNamespace

from django.utils.text import slugify

from ..blocks.guidelines import to_roman
from ..pages.models import GuidelineDocumentPage
from .errors import DocumentError
from .final_document import parse_final_document
from .kinds import ImportKind, register
from .plan import FINAL_DOCUMENT, plan_import
from .writer import page_values, write

FINAL_DOCUMENT_TRANSLATION = "final-document-translation"  # ImportRecord.kind

# The words that name a final document in its title (forum_report_kind reads them too).
FINAL_DOCUMENT_TITLE = re.compile(
    r"\b(final document|resolution|declaration|recommendations|guidelines|итогов\w+ документ|"
    r"резолюци\w*|декларац\w*|рекомендаци\w*)\b",
    re.IGNORECASE,
)

# The page fields a translation takes from the document; the others (dates, choices, the
# forum edition) are synchronised from the source by wagtail-localize.
_TRANSLATED_FIELDS = [
    "title",
    "approved_by",
    "finalized_by",
    "audience",
    "introduction",
    "directions",
    "conclusion",
    "links",
]


def _translation():
    """``(plan_translation, write_translation)``; imported here because they read
    wagtail-localize's models, and the package runs without that app (check E001;
    ``service`` refuses a translation without it)."""
    # Not at the top: it imports wagtail-localize's models (see the docstring).
    from .translation import plan_translation, write_translation

    return plan_translation, write_translation


def _plan(document, *, source_name, parent=None, locale=None, translation_of=None):
    if translation_of is not None:
        plan_translation, _ = _translation()
        return plan_translation(
            document,
            source_name=source_name,
            kind=FINAL_DOCUMENT_TRANSLATION,
            locale=locale,
            translation_of=translation_of,
            model=GuidelineDocumentPage,
            build=translated_page,
            labeller=segment_labeller,
        )
    return plan_import(
        document, source_name=source_name, parent=parent, locale=locale, kind=FINAL_DOCUMENT
    )


def _write(plan, progress=None):
    if plan.kind == FINAL_DOCUMENT_TRANSLATION:
        _, write_translation = _translation()
        return write_translation(plan, progress)
    return write(plan, progress)


def _directions(page):
    """``[(direction block id, [guideline item ids])]`` of a guideline document page."""
    found = []
    for child in page.directions:
        if child.block_type == "direction":
            items = child.value.get("guidelines").bound_blocks
            found.append((child.id, [item.id for item in items]))
    return found


def translation_plan(document, source):
    """The check and the build of a final document's translation: the structure of
    ``document`` (directions, guidelines in each) must be the structure of ``source`` (a
    ``GuidelineDocumentPage``, its latest revision), else :class:`DocumentError` naming the
    first difference. Returns ``{"directions": [[item ids]], ...}``-shaped page values: the
    document's texts with the source's block ids, by position."""
    structure = _directions(source)
    if len(structure) != len(document.directions):
        raise DocumentError(
            f"the source page has {len(structure)} directions, this document "
            f"{len(document.directions)}."
        )
    for index, ((_id, items), direction) in enumerate(
        zip(structure, document.directions, strict=True), start=1
    ):
        if len(items) != len(direction.guidelines):
            raise DocumentError(
                f"direction {to_roman(index)} has {len(items)} guidelines in the source page, "
                f"{len(direction.guidelines)} in this document."
            )
    values = page_values(SimpleNamespace(document=document, page=None, edition=None), {})
    for (direction_id, item_ids), direction in zip(structure, values["directions"], strict=True):
        direction["id"] = direction_id
        for item_id, item in zip(item_ids, direction["value"]["guidelines"], strict=True):
            item["id"] = item_id
    # Links by position (a translated link list is the source's, in the same order).
    source_links = [child.id for child in source.links]
    for link_id, link in zip(source_links, values["links"], strict=False):
        link["id"] = link_id
    return values


def translated_page(document, source):
    """An unsaved copy of ``source`` holding ``document``'s texts (``translation_plan``)."""
    values = translation_plan(document, source)
    page = type(source).from_serializable_data(source.serializable_data())
    for name in _TRANSLATED_FIELDS:
        setattr(page, name, values[name])
    page.slug = slugify(values["title"], allow_unicode=True)[:200] or source.slug
    return page


def segment_labeller(source):
    """``label(path, index, count)`` → ``(label, group)`` for the segments of ``source`` (a
    guideline document page), by its numbers: "direction III: title", "guideline III.2: text
    (paragraph 2)", "link 1: title"; grouped by direction."""
    numbers = {}
    for d_index, (direction_id, item_ids) in enumerate(_directions(source), start=1):
        roman = to_roman(d_index)
        numbers[direction_id] = f"direction {roman}"
        for g_index, item_id in enumerate(item_ids, start=1):
            numbers[item_id] = f"guideline {roman}.{g_index}"
    for l_index, child in enumerate(source.links, start=1):
        numbers[child.id] = f"link {l_index}"

    def label(path, index, count):
        parts = path.split(".")
        paragraph = f" (paragraph {index + 1})" if count > 1 else ""
        if parts[0] == "directions" and len(parts) > 2 and parts[1] in numbers:
            group = numbers[parts[1]]
            if len(parts) > 4 and parts[2] == "guidelines":
                where = numbers.get(parts[3], f"guideline {parts[3]}")
                return f"{where}: {parts[-1]}{paragraph}", group
            return f"{group}: {parts[-1]}{paragraph}", group
        if parts[0] == "links" and len(parts) > 2 and parts[1] in numbers:
            return f"{numbers[parts[1]]}: {parts[-1]}", "links"
        return f"{path}{paragraph}", parts[0]

    return label


def _detect(blocks):
    """A score: a final-document word in the first blocks counts most."""
    head = " ".join(block.text for block in blocks[:5])
    return 0.8 if FINAL_DOCUMENT_TITLE.search(head) else 0.1


FINAL_DOCUMENT_KIND = register(
    ImportKind(
        name=FINAL_DOCUMENT,
        label="Final document (resolution, declaration, recommendations, guidelines)",
        parse=parse_final_document,
        plan=_plan,
        write=_write,
        detect=_detect,
    )
)
