"""The forum-report kind: a report on a forum edition → a draft ``ForumEditionPage`` with its
speakers, quotations, organizations and award announcement (``forum_report`` parses,
``forum_report_plan`` plans, ``forum_report_writer`` writes)."""

import re

from .final_document_kind import FINAL_DOCUMENT_TITLE
from .forum_report import parse_forum_report
from .forum_report_plan import FORUM_REPORT, plan_forum_report
from .forum_report_writer import write_forum_report
from .kinds import ImportKind, register

# What reports say and final documents do not, each found once or not (a score, not a parse).
_SIGNALS = [
    r"\bparticipants?\b|участник",
    r"moderat|модератор|модерировал",
    r"^(?:quotation|quote|цитата)\s*:|\bsaid:|сказал\w*:",
    r"\bpanel\b|\bsession\b|панел|сесси|секци",
    r"viewers|watched|viewed|зрител|трансляц",
    r"hybrid|\bonline\b|in person|гибридн|онлайн|очно",
    r"\bforum\b|\bmeeting\b|форум|встреч",
    r"\b(?:hosted|welcomed|spoke|opened)\b|приветств|выступил|открыл",
    # Who held it: "Форум провела X", "X провела форум", "на базе X".
    r"(?:провел|провёл|организовал|принимал)\w* (?:форум|встреч|конференц)|"
    r"(?:форум|встречу|конференцию) (?:провел|провёл|организовал|принимал)|\bна базе\b",
]
_REPORT_LABEL = r"^(?:moderator|chair|quotation|модератор|председатель|цитата)\s*:"


def _translation():
    """The ``forum_report_translation`` module; imported here because it reads
    wagtail-localize's models, and the package runs without that app (check E001;
    ``service`` refuses a translation without it)."""
    # Not at the top: it imports wagtail-localize's models (see the docstring).
    from . import forum_report_translation

    return forum_report_translation


def _plan(document, *, source_name, parent=None, locale=None, translation_of=None):
    if translation_of is not None:
        return _translation().plan_forum_translation(
            document, source_name=source_name, locale=locale, translation_of=translation_of
        )
    return plan_forum_report(document, source_name=source_name, parent=parent, locale=locale)


def _write(plan, progress=None):
    # forum_report_translation.FORUM_REPORT_TRANSLATION, not imported (see _translation).
    if plan.kind == "forum-report-translation":
        return _translation().write_forum_translation(plan, progress)
    return write_forum_report(plan, progress)


def _detect(blocks):
    """A score in [0, 1]: 0.12 a signal of a report found; less when the first blocks name a
    final document (its title says "Resolution", "Recommendations", ...)."""
    text = "\n".join(block.text for block in blocks)
    found = sum(1 for pattern in _SIGNALS if re.search(pattern, text, re.IGNORECASE | re.MULTILINE))
    # A "Moderator:" or "Quotation:" line is a report's own form, not a word any text may use:
    # it counts twice, so a short report with one is not refused as "none of the kinds".
    found += bool(re.search(_REPORT_LABEL, text, re.IGNORECASE | re.MULTILINE))
    score = min(0.95, 0.12 * found)
    head = " ".join(block.text for block in blocks[:5])
    if FINAL_DOCUMENT_TITLE.search(head):
        score -= 0.4
    return max(0.0, score)


FORUM_REPORT_KIND = register(
    ImportKind(
        name=FORUM_REPORT,
        label="Forum report (an edition, its speakers, quotations and award)",
        parse=parse_forum_report,
        plan=_plan,
        write=_write,
        detect=_detect,
    )
)
