"""The closing part of a report (the management report and the workshop group report, group.py): the
grade is provisional, and which readings of the sources (SCORING.md marks them) the rules used."""

from __future__ import annotations

from typing import Sequence

from ..domain.bank import Kind
from ..domain.loader import Library
from ..domain.scoring import ACTIVITIES
from ..i18n import Lang, t
from .docmodel import Block, Bullets, Para, Part
from .common import fmt


def readings(library: Library, lang: Lang, profile: str, source: str | None, management_assessed: bool,
             bank_ids: list[str]) -> list[str]:
    """The readings of the sources (SCORING.md marks them) that the rules used for this result."""
    banks = [library.banks[b] for b in bank_ids if b in library.banks]
    out = [t("doc.reading.alpha", lang) if any(b.kind == "likert" for b in banks) else None,
           t(f"doc.reading.{profile}", lang),
           t("doc.reading.activities", lang) if source == ACTIVITIES else None,
           None if management_assessed else t("doc.reading.not_assessed", lang)]
    if any(q.kind is Kind.gate for b in banks if b.kind != "checklist" for q in b.questions):
        out.append(t("doc.reading.gate", lang))
    if any(b.kind == "checklist" for b in banks):
        out.append(t("doc.reading.conformity", lang))
    activity_banks = [b for b in banks if b.group == ACTIVITIES]
    if activity_banks:
        sep = "、" if lang == "zh" else ", "
        alloc = sep.join(f"{b.title(lang)} {fmt(b.total_points)}" for b in library.group(ACTIVITIES))
        out.append(t("doc.reading.allocation", lang, alloc=alloc))
    if any(q.derived for b in banks for q in b.questions):
        out.append(t("doc.reading.derived", lang))
    if any(q.truncated for b in banks for q in b.questions):
        out.append(t("doc.reading.truncated", lang))
    if any(b.kind == "maturity" for b in banks):
        out.append(t("doc.reading.maturity", lang))
    out += [b.level_guidance(lang) for b in banks if b.level_guidance is not None]
    return [x for x in out if x]


def closing(lang: Lang, reading_list: list[str], extra: Sequence[str] = ()) -> Part:
    blocks: list[Block] = [Para(t("doc.closing.body", lang), cls="note")]
    if extra:
        blocks.append(Bullets(list(extra)))
    blocks += [Para(t("doc.readings", lang)), Bullets(list(reading_list))]
    return Part("closing", t("doc.closing", lang), blocks, page_break=False)
