"""Where a question comes from, in words: its clause with the standard named in full and the
clause's text, each related clause with its text, its points, and whether the clause's text is lost
(the question written from its heading). The chat's /why (the Explain turn) shows these lines.
The texts come from question_banks/sources/clause_texts.toml (domain/clause_texts.py); in English
they are a working translation, and /why says so.

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


def _quoted(ref: str, texts, lang: Lang, indent: str) -> list[str]:
    """The text of the clause (or list item) `ref` names, each line indented; [] where it has none."""
    out = []
    for quote in texts.quotes(ref) if texts is not None else []:
        lines = quote.text(lang).split("\n")
        if quote.clause.heading:
            lines[-1] += t("why.q.heading", lang)
        if quote.clause.cut:
            lines[-1] += t("why.q.cut", lang)
        if quote.clause.note is not None:
            lines.append(t("why.q.note", lang, note=quote.clause.note(lang)))
        out += [indent + line for line in lines]
    return out


def source_lines(question: Question, bank: Bank, lang: Lang) -> list[str]:
    """The lines of /why: source clause, its standard and text, the related clauses with theirs,
    points, a lost source text."""
    from ..domain.loader import BankError, clause_texts
    from ..i18n_errors import localise

    try:
        texts, unreadable = clause_texts(), None
    except BankError as e:  # the questions' own lines still help; say why the texts are missing
        texts, unreadable = None, t("why.q.texts_unreadable", lang, error=localise(str(e), lang))
    seen: set[str] = set()
    lines = [t("why.q.clause", lang) + _named([question.clause], lang, seen)[0]]
    lines += _quoted(question.clause, texts, lang, "    ")
    quoted = len(lines) > 1
    if question.refs:
        lines.append(t("why.q.refs", lang))
        for ref in question.refs:
            lines.append("  " + _named([ref], lang, seen)[0])
            mine = _quoted(ref, texts, lang, "    ")
            quoted = quoted or bool(mine)
            lines += mine
    else:
        lines.append(t("why.q.refs.none", lang))
    if question.kind.scored:
        lines.append(t("why.q.points", lang, points=fmt(question.max_points, 2), total=fmt(bank.total_points, 2)))
    if question.derived:
        lines.append(t("why.q.derived", lang))
    if question.truncated:
        lines.append(t("why.q.truncated", lang))
    if unreadable:
        lines.append(unreadable)
    elif quoted and lang == "en":
        lines.append(t("why.q.translation", lang))
    return lines
