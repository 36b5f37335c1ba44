"""The parts of the management report about earlier sessions: the organisation's history (a table,
and a trend chart from two sessions on) and the comparison with its previous session (banks, the items
most improved and most slipped, whether the suggestions were acted on)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..clauses import clause_ref
from ..i18n import t
from . import svg
from .docmodel import Block, Figure, Heading, Inline, Para, Part, Pct, Row, Safe, Span, Table
from .common import bank_title, date_text, fixed, headline, method_label, places_needed, signed_column, signed_fixed
from .document_parts import TOP, _s

if TYPE_CHECKING:
    from .document import ReportData


def _history(data: ReportData) -> Part:
    lang, lib = data.result.lang, data.library
    rows_in = data.history
    bank_ids = [b for b in lib.banks if any(b == x.id for h in rows_in for x in h.result.banks)]
    has_activities = any(h.result.activities is not None for h in rows_in)
    head = [t("doc.col.date", lang), t("session", lang)]
    if has_activities:
        head.append(t("doc.activity_percent", lang))
    head += [bank_title(lib, b, lang) for b in bank_ids] + [t("grade", lang)]
    rows = []
    for h in rows_in:
        percents = {b.id: b.percent for b in h.result.banks}
        current = h.session_id == data.session.id
        cells: list[Inline | Pct] = [Safe(date_text(h.created)),
                                     [h.session_id] + ([Span(t("doc.this", lang), "muted", block=True)] if current else [])]
        if has_activities:
            cells.append(Pct(h.activities_percent))
        cells += [Safe(fixed(percents.get(b), 1)) for b in bank_ids]
        cells.append(headline(h.result.grade.label, lang))
        rows.append(Row(cells, cls="current" if current else ""))
    share = 64 // max(1, len(head) - 3)
    blocks: list[Block] = [Table(head, rows, align="ll" + "r" * (len(head) - 3) + "l",
                                 widths=(10, 13, *([share] * (len(head) - 3)), 13), cls="wide")]
    if len(rows_in) >= 2:
        series = []
        if has_activities:
            series.append(svg.Series(t("activities", lang), [h.activities_percent for h in rows_in]))
        for b in bank_ids:
            values = [next((x.percent for x in h.result.banks if x.id == b), None) for h in rows_in]
            series.append(svg.Series(bank_title(lib, b, lang), values))
        blocks.insert(0, Figure(svg.line_chart([date_text(h.created) for h in rows_in], series, title=t("doc.trend", lang))))
    return Part("history", t("doc.history", lang), blocks)


def _comparison(data: ReportData) -> Part:
    lang, lib, c = data.result.lang, data.library, data.comparison
    assert c is not None
    blocks: list[Block] = [Para(t("doc.cmp.between", lang, before=c.before.session_id, bdate=date_text(c.before_created),
                                  after=c.after.session_id, adate=date_text(c.after_created)))]
    rows = []
    for b in c.banks:
        version = ""
        if b.before_version and b.after_version and b.before_version != b.after_version:
            version = f"{b.before_version} → {b.after_version}"
        rows.append(Row([bank_title(lib, b.id, lang), Safe(fixed(b.before_percent, 1)), Safe(fixed(b.after_percent, 1)),
                         Safe(signed_fixed(b.delta, 1)),
                         version]))
    if c.before.activities is not None or c.after.activities is not None:
        before = c.before.activities.percent if c.before.activities else None
        after = c.after.activities.percent if c.after.activities else None
        delta = after - before if before is not None and after is not None else None
        rows.append(Row([t("activities", lang), Safe(fixed(before, 1)), Safe(fixed(after, 1)),
                         Safe(signed_fixed(delta, 1)), ""], cls="bank"))
    blocks.append(Table([t("bank", lang), f"{t('doc.before', lang)} %", f"{t('doc.after', lang)} %", t("doc.delta", lang),
                         t("doc.version", lang, version="").strip()], rows, align="lrrrl", widths=(40, 14, 14, 14, 18)))

    def items_table(items: list, none_key: str) -> Block:
        if not items:
            return Para(t(none_key, lang))
        out = []
        shown = items[:TOP]
        width = max((places_needed(v) for i in shown for v in (i.before_earned, i.after_earned, i.delta)), default=0)
        for i in shown:
            bank = lib.banks.get(i.bank)
            question = bank.question(i.id).text(lang) if bank and i.id in {q.id for q in bank.questions} else ""
            levels = f"{i.before_level or '—'} → {i.after_level or '—'}"
            clause = clause_ref(i.clause, lang)
            out.append(Row([bank_title(lib, i.bank, lang), i.id, [clause, Span(question, "muted", block=True)] if question else clause,
                            Safe(fixed(i.before_earned, width)), Safe(fixed(i.after_earned, width)), Safe(signed_fixed(i.delta, width)),
                            Safe(levels)]))
        return Table([t("bank", lang), t("doc.col.id", lang), f"{t('doc.col.clause', lang)} / {t('doc.col.question', lang)}",
                      t("doc.before", lang),
                      t("doc.after", lang), t("doc.delta", lang), t("doc.levels", lang)],
                     out, align="lllrrrr", widths=(14, 7, 45, 8, 8, 8, 10))

    blocks += [Heading(3, _s("doc.improved", lang)), items_table(c.improved, "doc.improved.none"),
               Heading(3, _s("doc.slipped", lang)), items_table(c.slipped, "doc.slipped.none"),
               Heading(3, _s("doc.acted", lang))]
    if c.suggestions:
        methods = data.library.catalogue.methods
        acted = []
        gained = signed_column([s.gained for s in c.suggestions])
        for s, gain in zip(c.suggestions, gained):
            area, text = s.area, s.text
            if s.method in methods:  # in the report's language, whatever the comparison was made in
                a, m = methods[s.method]
                area, text = a.title(lang), m.text(lang)
            acted.append(Row([[Span(method_label(s.method, area), "b"), Span(text, block=True)], ", ".join(s.items),
                              Safe(gain), _s("doc.acted.yes" if s.acted_on else "doc.acted.no", lang)],
                             cls="" if s.acted_on else "flag"))
        blocks.append(Table([t("method", lang), t("doc.col.items", lang), t("doc.col.gained", lang), t("doc.col.acted", lang)],
                            acted, align="llrl", widths=(52, 20, 14, 14)))
    else:
        blocks.append(Para(t("doc.acted.none", lang)))
    if c.only_before:
        blocks.append(Para(t("doc.only_before", lang, ids=", ".join(f"{b} {q}" for b, q in c.only_before)), cls="small"))
    if c.only_after:
        blocks.append(Para(t("doc.only_after", lang, ids=", ".join(f"{b} {q}" for b, q in c.only_after)), cls="small"))
    return Part("comparison", t("doc.comparison", lang), blocks)
