"""The report an organisation hands to its management, as Markdown and as one self-contained HTML file.

The report is first built in the document model of assistant/report/docmodel.py, then rendered;
the renderers escape every text (organisation, respondent, notes, N/A reasons, free text and bank
texts are data). The workshop group report (assistant/report/group.py) uses the same model.

Sections, in order: cover; executive summary; scores by bank and section; every answer; the
unanswered and N/A items; the action plan; history and the comparison with the previous session
(when given); the statement that the grade is provisional and which readings the rules use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence
from datetime import datetime


from ..domain.actions import Action
from ..domain.answers import Session
from ..domain.bank import Kind
from ..domain.history import Comparison, HistoryRow
from ..domain.loader import Library
from ..domain.results import Result
from ..domain.scoring import ACTIVITIES
from ..clauses import clause_ref
from ..i18n import Lang, t
from . import svg
from .guidance import actions_part, path_part, why_blocks
from .docmodel import (
    Block,
    Bullets,
    Doc,
    Fields,
    Figure,
    Heading,
    Inline,
    Para,
    Part,
    Pct,
    Row,
    Safe,
    Span,
    Table,
    render_html,
    render_markdown,
)
from .common import (
    column,
    fixed,
    headline,
    places_needed,
    signed_column,
    signed_fixed,
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

TOP = 5  # suggestions in the executive summary; items in "most improved / most slipped"

# -- the management report -------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportData:
    session: Session  # the session, with every answer and note
    result: Result  # evaluate() of it; result.lang is the report's language
    library: Library
    history: list[HistoryRow]  # the organisation's sessions oldest first (may hold only this one)
    comparison: Comparison | None  # with the organisation's previous session, when there is one
    generated: datetime  # passed in (no clock in rendering), shown on the cover
    actions: list[Action] = field(default_factory=list)  # the organisation's action plan
    planned_from: dict[str, Result] = field(default_factory=dict)  # results of the sessions actions came from


def report_data(store: Any, library: Library, session: Session, result: Result, generated: datetime) -> ReportData:
    """The report of a stored session, with its organisation's history up to it and the comparison
    with the session before it, when there is one."""
    from ..domain.history import compare, history, same_track
    from .actions_view import planned_results
    from ..store import StoreError

    lang = result.lang
    try:
        mine = [s for s in same_track(store.sessions(org=session.org), session) if all(b in library.banks for b in s.banks)]
    except StoreError:
        mine = [session]  # a damaged neighbour must not stop this session's report
    rows = history(library, [s for s in mine if s.created <= session.created] or [session], lang)
    earlier = [s for s in mine if s.created < session.created and s.id != session.id]
    comparison = compare(library, earlier[-1], session, lang) if earlier else None
    try:
        actions = store.list_actions(session.org)
    except StoreError:
        actions = []  # a damaged action file is named by `selfcheck actions list`; the report goes on
    planned_from = planned_results(store, library, actions)
    return ReportData(session=session, result=result, library=library, history=rows, comparison=comparison,
                      generated=generated, actions=actions, planned_from=planned_from)


def markdown(data: ReportData) -> str:
    return render_markdown(build(data))


def html(data: ReportData) -> str:
    return render_html(build(data))


def build(data: ReportData) -> Doc:
    lang = data.result.lang
    parts = [_cover(data), _summary(data), _scores(data), _answers(data), _open_items(data)]
    path = path_part(data)
    parts += [p for p in (path, _plan(data), actions_part(data, data.actions, data.planned_from)) if p is not None]
    if data.history:
        parts.append(_history(data))
    if data.comparison is not None:
        parts.append(_comparison(data))
    parts.append(closing(lang, readings(data.library, lang, data.result.rules_profile,
                                                                   data.result.grade.service_source,
                                                                   data.result.grade.management_level is not None,
                                                                   list(data.session.banks))))
    return Doc(lang=lang, title=f"{t('doc.title', lang)} — {data.session.org}", parts=parts)


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


def readings(library: Library, lang: Lang, profile: str, source: str | None, management_assessed: bool,
             bank_ids: list[str]) -> list[str]:
    """The readings of the sources (SCORING.md marks them) that the rules used for this result."""
    banks = [library.banks[b] for b in bank_ids if b in library.banks]
    out = [t("doc.reading.alpha", lang) if any(b.kind == "likert" for b in banks) else None,
           t(f"doc.reading.{profile}", lang),
           t("doc.reading.activities", lang) if source == ACTIVITIES else None,
           None if management_assessed else t("doc.reading.not_assessed", lang)]
    if any(q.kind is Kind.gate for b in banks for q in b.questions):
        out.append(t("doc.reading.gate", lang))
    activity_banks = [b for b in banks if b.group == ACTIVITIES]
    if activity_banks:
        sep = "、" if lang == "zh" else ", "
        alloc = sep.join(f"{b.title(lang)} {fmt(b.total_points)}" for b in library.group(ACTIVITIES))
        out.append(t("doc.reading.allocation", lang, alloc=alloc))
    if any(q.derived for b in banks for q in b.questions):
        out.append(t("doc.reading.derived", lang))
    if any(b.kind == "maturity" for b in banks):
        out.append(t("doc.reading.maturity", lang))
    return [x for x in out if x]


def closing(lang: Lang, reading_list: list[str], extra: Sequence[str] = ()) -> Part:
    blocks: list[Block] = [Para(t("doc.closing.body", lang), cls="note")]
    if extra:
        blocks.append(Bullets(list(extra)))
    blocks += [Para(t("doc.readings", lang)), Bullets(list(reading_list))]
    return Part("closing", t("doc.closing", lang), blocks, page_break=False)
