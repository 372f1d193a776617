"""The final-document kind: a resolution, declaration, recommendations or guidelines → a draft
``GuidelineDocumentPage`` (``final_document`` parses, ``plan`` plans, ``writer`` writes)."""

import re

from .errors import DocumentError
from .final_document import parse_final_document
from .kinds import ImportKind, register
from .plan import FINAL_DOCUMENT, plan_import
from .writer import write

_TITLE = re.compile(
    r"\b(final document|resolution|declaration|recommendations|guidelines|итогов\w+ документ|"
    r"резолюци\w*|декларац\w*|рекомендаци\w*)\b",
    re.IGNORECASE,
)


def _plan(document, *, source_name, parent=None, locale=None, translation_of=None):
    if translation_of is not None:
        raise DocumentError("importing a translation of a final document is not supported yet.")
    return plan_import(
        document, source_name=source_name, parent=parent, locale=locale, kind=FINAL_DOCUMENT
    )


def _detect(blocks):
    """A score: a final-document word in the first blocks counts most."""
    head = " ".join(block.text for block in blocks[:5])
    return 0.8 if _TITLE.search(head) else 0.1


FINAL_DOCUMENT_KIND = register(
    ImportKind(
        name=FINAL_DOCUMENT,
        label="Final document (resolution, declaration, recommendations, guidelines)",
        parse=parse_final_document,
        plan=_plan,
        write=write,
        detect=_detect,
    )
)
