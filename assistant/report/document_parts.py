"""The parts of the management report about the session itself: the cover, the executive summary,
the scores by bank and section, every answer, the unanswered and N/A items, and the improvement plan
from the suggestions. Built in the document model (docmodel.py), whose renderers escape every text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..domain.bank import Kind
from ..clauses import clause_ref
from ..i18n import Lang, t
from . import svg
from .guidance import why_blocks
from .checklists import summary as checklist_summary
from .docmodel import Block, Bullets, Fields, Figure, Heading, Inline, Para, Part, Pct, Row, Safe, Span, Table
from .common import (
    column,
    fixed,
    headline,
    places_needed,
    pct,
    answer_text,
    bank_title,
    date_text,
    fmt,
    gate_text,
    management_text,
    method_label,
    section_title,
    source_text,
)

if TYPE_CHECKING:
    from .document import ReportData

TOP = 5  # suggestions in the executive summary; items in "most improved / most slipped"


def _s(key: str, lang: Lang, **kwargs: object) -> Safe:
    """A product string with only numbers filled in (never user text): safe for Markdown as it is."""
    return Safe(t(key, lang, **kwargs))


def _cover(data: ReportData) -> Part:
    lang, s, r = data.result.lang, data.session, data.result
    versions = {b.id: b.version for b in r.banks}
    banks: list[Span] = []
    for bank_id, version in s.banks.items():
        ident = f"（{bank_id}）" if lang == "zh" else f" ({bank_id})"
        line = f"{bank_title(data.library, bank_id, lang)}{ident} · {t('doc.version', lang, version=version)}"
        if versions.get(bank_id, version) != version:
            line += t("doc.version_now", lang, version=versions[bank_id])
        banks.append(Span(line, block=True))
    fields: list[tuple[str, Inline]] = [
        (t("org", lang), Span(s.org, "b")),
        (t("respondent", lang), s.respondent or Safe("—")),
    ]
    if s.role:
        fields.append((t("doc.role", lang), s.role))
    if s.workshop:
        fields.append((t("workshop", lang), s.workshop))
    fields += [
        (t("doc.date", lang), Safe(date_text(s.created, with_time=True))),
        (t("session", lang), s.id),
        (t("status", lang), [_s(f"status.{s.status}", lang), Safe(" · "), _s("doc.answered_of", lang, n=s.answered_count())]),
        (t("doc.banks", lang), banks),
        (t("rules", lang), _s(f"doc.profile.{r.rules_profile}", lang)),
        (t("doc.generated", lang), Safe(date_text(data.generated, with_time=True))),
    ]
    blocks: list[Block] = [Para(Span(s.org, "org")), Para(_s("doc.for", lang), cls="for"), Fields(fields)]
    return Part("cover", t("doc.title", lang), blocks, page_break=False, cover=True)


def _summary(data: ReportData) -> Part:
    lang, r = data.result.lang, data.result
    g = r.grade
    rows: list[tuple[str, Inline]] = [
        (t("grade", lang), [Span(headline(g.label, lang), "big"), Span(gate_text(g, lang), block=True)]),
        (t("service_score", lang), [Span(pct(g.service_score), "b"), Span(source_text(g, lang), block=True)]),
        (t("management_level", lang), management_text(r, lang)),
    ]
    if r.activities is not None:
        rows.append((t("doc.activity_percent", lang), Safe(fmt(r.activities.percent))))
    rows += [(c.title, checklist_summary(c, lang)) for c in r.checklists]
    rows.append((t("doc.completeness", lang), t("doc.complete", lang) if r.complete else t("complete.no", lang)))
    blocks: list[Block] = [Fields(rows), *why_blocks(data), Para(t("provisional", lang), cls="note")]
    top = r.suggestions[:TOP]
    blocks.append(Heading(3, _s("doc.top", lang, n=len(top)) if top else _s("suggestions", lang)))
    if top:
        blocks.append(Bullets([
            [Span(method_label(sg.method, sg.area), "b"), " ", sg.text, " ",
             Span(t("doc.at_stake", lang, points=fmt(sg.points_at_stake, 2)), "muted")] for sg in top], ordered=True))
    else:
        blocks.append(Para(t("no_suggestions", lang)))
    return Part("summary", t("doc.summary", lang), blocks)


def _scores(data: ReportData) -> Part:
    lang, r, lib = data.result.lang, data.result, data.library
    chart: list[svg.BarRow] = []
    rows: list[Row] = []
    totals = [x for b in r.banks for x in (b, *b.sections)] + ([r.activities] if r.activities else [])
    width = max((places_needed(v) for x in totals for v in (x.earned, x.possible)), default=0)

    def score(x) -> Safe:  # one number of decimals in the column (two at most)
        return Safe(f"{fixed(x.earned, width)}/{fixed(x.possible, width)}")

    for b in r.banks:
        title = bank_title(lib, b.id, lang)
        extra = t("maturity_level", lang, level=b.level) if b.level is not None else ""
        chart.append(svg.BarRow(title, b.percent, strong=True))
        rows.append(Row([title, score(b), Pct(b.percent), Safe(extra)], cls="bank"))
        for sec in b.sections:
            label = section_title(lib, b.id, sec.id, lang)
            chart.append(svg.BarRow("  " + label, sec.percent))
            rows.append(Row([label, score(sec), Pct(sec.percent), Safe("")]))
    if r.activities is not None:
        a = r.activities
        chart.append(svg.BarRow(t("activities", lang), a.percent, strong=True))
        rows.append(Row([t("activities", lang), score(a), Pct(a.percent), Safe("")], cls="bank"))
    blocks: list[Block] = [
        Figure(svg.bar_chart(chart, title=t("doc.chart.scores", lang))),
        Table([f"{t('bank', lang)} / {t('section', lang)}", t("score", lang), t("percent", lang), t("level", lang)],
              rows, align="lrrl", widths=(52, 16, 16, 16)),
    ]
    if not r.complete:
        blocks.append(Para(t("complete.no", lang), cls="warn"))
    return Part("scores", t("doc.scores", lang), blocks)


def _answers(data: ReportData) -> Part:
    lang, lib = data.result.lang, data.library
    blocks: list[Block] = []
    for br in data.result.banks:
        bank = lib.bank(br.id)
        answers = data.session.answers.get(bank.id, {})
        items = {i.id: i for i in br.items}
        sections = {sr.id: sr for sr in br.sections}
        blocks.append(Heading(3, f"{bank.title(lang)} · {fmt(br.percent)}%"))
        for sec in bank.sections:
            sr = sections.get(sec.id)
            blocks.append(Heading(4, f"{sec.id} {sec.title(lang)}" + (f" · {fmt(sr.percent)}%" if sr else "")))
            rows = []
            scored = [items[q.id] for q in sec.questions if q.id in items and not items[q.id].na]
            width = max((places_needed(v) for i in scored for v in (i.earned, i.possible)), default=0)
            for q in sec.questions:
                a, item = answers.get(q.id), items.get(q.id)
                clause: list[str | Span] = [clause_ref(q.clause, lang)]
                if q.derived:
                    clause.append(Span(t("doc.derived", lang), "muted", block=True))
                if q.truncated:
                    clause.append(Span(t("doc.truncated", lang), "muted", block=True))
                answer: list[str | Span] = [answer_text(a, q, item, lang)]
                if q.kind is Kind.maturity and a is not None and a.level is not None and q.levels:
                    answer.append(Span(q.levels[a.level - 1](lang), "muted", block=True))
                if item is None:
                    points: Inline = Span(t("doc.not_scored", lang), "muted")
                elif item.na:
                    points = Safe("—")
                else:
                    points = Safe(f"{fixed(item.earned, width)}/{fixed(item.possible, width)}")
                note = a.note if a is not None and a.note else ""
                cls = "flag" if item is not None and (item.unanswered or item.gated_by) else ""
                rows.append(Row([q.id, clause, q.text(lang), answer, points, note], cls=cls))
            blocks.append(Table([t("doc.col.id", lang), t("doc.col.clause", lang), t("doc.col.question", lang),
                                 t("doc.col.answer", lang), t("doc.col.points", lang), t("doc.col.note", lang)],
                                rows, align="llllrl", widths=(9, 11, 35, 18, 9, 18)))
    return Part("answers", t("doc.answers", lang), blocks)


def _open_items(data: ReportData) -> Part:
    lang, lib = data.result.lang, data.library
    rows: list[Row] = []
    for br in data.result.banks:
        bank = lib.bank(br.id)
        answers = data.session.answers.get(bank.id, {})
        for item in br.items:
            if item.gated_by is not None:
                status = t("doc.open.gated", lang, gate=item.gated_by)
            elif item.na:
                reason = answers[item.id].na if item.id in answers else ""
                status = t("answer.na", lang, reason=reason or "")
            elif item.unanswered:
                status = t("doc.open.unanswered", lang)
            else:
                continue
            rows.append(Row([bank.title(lang), item.id, bank.question(item.id).text(lang), status],
                            cls="" if item.na else "flag"))
    blocks: list[Block]
    if rows:
        blocks = [Table([t("bank", lang), t("doc.col.id", lang), t("doc.col.question", lang), t("doc.col.status", lang)],
                        rows, widths=(16, 8, 50, 26))]
    else:
        blocks = [Para(t("doc.open.none", lang))]
    return Part("open", t("doc.open", lang), blocks, page_break=False)


def _plan(data: ReportData) -> Part:
    lang, r = data.result.lang, data.result
    if not r.suggestions:
        return Part("plan", t("doc.plan", lang), [Para(t("no_suggestions", lang))])
    rows = []
    stakes = column([sg.points_at_stake for sg in r.suggestions])
    for n, sg in enumerate(r.suggestions, 1):
        clauses = list(dict.fromkeys(clause_ref(i.clause, lang) for i in sg.items))
        source = sg.method if sg.kind == "method" else clause_ref(sg.items[0].clause, lang)
        rows.append(Row([Safe(str(n)), [Span(method_label(sg.method, sg.area), "b"), Span(source, "muted", block=True)],
                         sg.text, ("；" if lang == "zh" else "; ").join(clauses), Safe(stakes[n - 1]), "", ""]))
    table = Table(["#", t("doc.col.method", lang), t("doc.col.text", lang), t("addresses", lang), t("at_stake", lang),
                   t("doc.col.owner", lang), t("doc.col.due", lang)],
                  rows, align="rlllrll", widths=(4, 17, 31, 16, 8, 12, 12), cls="plan")
    return Part("plan", t("doc.plan", lang), [Para(t("doc.plan.intro", lang)), table])
