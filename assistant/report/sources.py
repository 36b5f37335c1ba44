"""Where a question comes from, in words: its clause with the standard named in full, the related
clauses of the other documents grouped by standard, its points, and whether the clause's text is
lost (the question written from its heading). The chat's /why (the Explain turn) shows these lines.

Plain text lines (no markup): bank texts are data.
"""

from __future__ import annotations

from ..domain.bank import Bank, Question
from ..clauses import clause_ref, standard_name, standard_of
from ..i18n import Lang, t
from .common import fmt


def _named(refs: list[str], lang: Lang, seen: set[str]) -> list[str]:
    """References grouped by their standard, in first-seen order: "002 5.1.1、002 6.2.1 —— T/QAHN008…";
    a standard is named in full where it first appears (`seen` holds those already named)."""
    groups: dict[str | None, list[str]] = {}
    for ref in refs:
        groups.setdefault(standard_of(ref), []).append(clause_ref(ref, lang))
    sep = "、" if lang == "zh" else ", "
    dash = " —— " if lang == "zh" else " — "
    out = []
    for code, items in groups.items():
        name = standard_name(code, lang) if code and code not in seen else None
        if code:
            seen.add(code)
        out.append(sep.join(items) + (dash + name if name else ""))
    return out


def source_lines(question: Question, bank: Bank, lang: Lang) -> list[str]:
    """The lines of /why: source clause and standard, related clauses, points, a lost source text."""
    seen: set[str] = set()
    lines = [t("why.q.clause", lang) + _named([question.clause], lang, seen)[0]]
    if question.refs:
        lines.append(t("why.q.refs", lang))
        lines += ["  " + line for line in _named(list(question.refs), lang, seen)]
    else:
        lines.append(t("why.q.refs.none", lang))
    if question.kind.scored:
        lines.append(t("why.q.points", lang, points=fmt(question.max_points, 2), total=fmt(bank.total_points, 2)))
    if question.derived:
        lines.append(t("why.q.derived", lang))
    return lines
