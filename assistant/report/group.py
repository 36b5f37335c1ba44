"""The workshop group report: the means of several respondents (003 §5.1.2), where they disagree,
and how role groups differ — as Markdown, as one self-contained HTML file, and for the terminal.

Built on the document model of assistant/report/document.py, so it escapes what the management
report escapes (workshop and organisation names, roles and bank texts are data).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from rich.console import RenderableType

from ..domain.bank import Kind
from ..domain.group import BankGroup, GroupResult
from ..domain.loader import Library
from ..domain.results import Grade
from ..domain.scoring import ACTIVITIES
from ..clauses import clause_ref
from ..i18n import Lang, t
from . import svg
from .common import (
    fixed,
    headline,
    places_needed,
    signed_fixed,
    pct,
    bank_title,
    date_text,
    fmt,
    gate_text,
    section_title,
    source_text,
)
from .docmodel import (
    Block,
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
    render_rich,
)
from .document import closing, readings
from .group_agreement import agreement_part, consensus_part, role_items_part


def group_markdown(group: GroupResult, library: Library, generated: datetime, lang: Lang = "zh") -> str:
    return render_markdown(build_group(group, library, lang, generated))


def group_html(group: GroupResult, library: Library, generated: datetime, lang: Lang = "zh") -> str:
    return render_html(build_group(group, library, lang, generated))


def group_text(group: GroupResult, library: Library, lang: Lang = "zh") -> RenderableType:
    """For the terminal: rich Text and Table objects only (no markup is parsed)."""
    return render_rich(build_group(group, library, lang, None, terminal=True))


def _profile(group: GroupResult) -> str:
    return group.results[0].rules_profile if group.results else "clause-text"


def _management(grade: Grade | None, lang: Lang) -> str:
    if grade is None or grade.management_level is None:
        return t("not_assessed", lang)
    return t("maturity_level", lang, level=grade.management_level)


def build_group(group: GroupResult, library: Library, lang: Lang, generated: datetime | None,
                terminal: bool = False) -> Doc:
    head = _head(group, library, lang, generated)
    parts = [head, _grade(group, lang)]
    agreed = consensus_part(group, library, lang)  # the agreed result right after the mean's grade
    if agreed is not None:
        parts.append(agreed)
    parts += [_banks(group, library, lang), _sections(group, library, lang), _items(group, library, lang),
              agreement_part(group, library, lang)]
    if group.roles:
        parts.append(_roles(group, library, lang))
        role_items = role_items_part(group, library, lang)
        if role_items is not None:
            parts.append(role_items)
    g = group.grade
    parts.append(closing(lang, readings(
        library, lang, _profile(group), g.service_source if g else None,
        g is not None and g.management_level is not None, [b.id for b in group.banks]),
        extra=[t("group.reading.mean", lang), t("group.disagreement.rule", lang)]))
    if terminal:  # one continuous text: no page breaks, and no chart (the tables carry the bars)
        parts = [Part(p.id, p.title, [b for b in p.blocks if not isinstance(b, Figure)], False, p.cover) for p in parts]
    return Doc(lang=lang, title=f"{t('group.title', lang)} — {group.workshop}", parts=parts)


def _head(group: GroupResult, library: Library, lang: Lang, generated: datetime | None) -> Part:
    fields: list[tuple[str, Inline]] = [
        (t("workshop", lang), Span(group.workshop, "b")),
        (t("org", lang), group.org or Safe("—")),
        (t("group.respondents", lang), Safe(str(group.respondents))),
    ]
    if group.roles:
        fields.append((t("group.role", lang), ", ".join(f"{role} ({len(rs)})" for role, rs in sorted(group.roles.items()))))
    fields.append((t("doc.banks", lang), [Span(bank_title(library, b.id, lang), block=True) for b in group.banks]))
    fields.append((t("rules", lang), Safe(t(f"doc.profile.{_profile(group)}", lang))))
    if generated is not None:
        fields.append((t("doc.generated", lang), Safe(date_text(generated, with_time=True))))
    blocks: list[Block] = [Fields(fields)]
    if group.not_started:
        blocks.append(Para(t("group.not_started", lang, n=len(group.not_started)), cls="note"))
    for twins in group.duplicates:  # perhaps one person who joined twice (a reload before the room kept sessions)
        items = "; ".join(f"{m.respondent} {m.id} ({m.answered})" for m in twins)
        blocks.append(Para(t("group.duplicates", lang, items=items, name=group.workshop), cls="warn"))
    return Part("cover", t("group.title", lang), blocks, page_break=False, cover=True)


def _grade(group: GroupResult, lang: Lang) -> Part:
    g = group.grade
    rows: list[tuple[str, Inline]] = []
    if g is not None:
        rows += [
            (t("grade", lang), [Span(headline(g.label, lang), "big"), Span(gate_text(g, lang), block=True)]),
            (t("service_score", lang), [Span(pct(g.service_score), "b"), Span(source_text(g, lang), block=True)]),
            (t("management_level", lang), _management(g, lang)),
        ]
    if group.activities_mean_percent is not None:
        rows.append((t("group.activities_mean", lang), Safe(fmt(group.activities_mean_percent))))
    return Part("grade", t("grade", lang), [Fields(rows), Para(t("group.grade_note", lang)),
                                            Para(t("provisional", lang), cls="note")], page_break=False)


def _low_high(b: BankGroup) -> tuple[Decimal | None, Decimal | None]:
    return (min(b.percents), max(b.percents)) if b.percents else (None, None)


def _banks(group: GroupResult, library: Library, lang: Lang) -> Part:
    chart, rows = [], []
    for b in group.banks:
        low, high = _low_high(b)
        title = bank_title(library, b.id, lang)
        chart.append(svg.BarRow(title, b.mean_percent, strong=True, low=low, high=high))
        rows.append(Row([title, Safe(str(len(b.percents))), Pct(b.mean_percent), Safe(fixed(low, 1)), Safe(fixed(high, 1))]))
    if group.activities_mean_percent is not None:
        chart.append(svg.BarRow(t("activities", lang), group.activities_mean_percent, strong=True))
        rows.append(Row([t("activities", lang), Safe(str(group.respondents)), Pct(group.activities_mean_percent),
                         Safe("—"), Safe("—")], cls="bank"))
    blocks: list[Block] = [
        Figure(svg.bar_chart(chart, title=t("group.chart", lang))),
        Table([t("bank", lang), t("group.respondents", lang), f"{t('group.mean', lang)} %", f"{t('group.min', lang)} %",
               f"{t('group.max', lang)} %"], rows, align="lrrrr", widths=(44, 14, 18, 12, 12)),
    ]
    return Part("banks", t("group.banks", lang), blocks)


def _sections(group: GroupResult, library: Library, lang: Lang) -> Part:
    rows = []
    for b in group.banks:
        rows.append(Row([bank_title(library, b.id, lang), Pct(b.mean_percent)], cls="bank"))
        for sid, mean in b.sections.items():
            rows.append(Row([section_title(library, b.id, sid, lang), Pct(mean)]))
    return Part("sections", t("group.sections", lang),
                [Table([f"{t('bank', lang)} / {t('section', lang)}", f"{t('group.mean', lang)} %"], rows,
                       align="lr", widths=(75, 25))], page_break=False)


def _items(group: GroupResult, library: Library, lang: Lang) -> Part:
    flagged = [f"{i.id}" for b in group.banks for i in b.items if i.disagreement]
    blocks: list[Block] = [Para(t("group.disagreement.rule", lang))]
    if flagged:
        blocks.append(Para(t("group.disagreement.count", lang, n=len(flagged), ids=", ".join(flagged)), cls="warn"))
    else:
        blocks.append(Para(t("group.disagreement.none", lang)))
    for b in group.banks:
        bank = library.banks.get(b.id)
        blocks.append(Heading(3, bank_title(library, b.id, lang)))
        rows = []
        level_width = max((places_needed(i.mean_level) for i in b.items), default=0)
        alpha_width = max((places_needed(i.mean_alpha) for i in b.items), default=0)
        for i in b.items:
            question = bank.question(i.id) if bank is not None else None
            likert = question is not None and question.kind is Kind.likert
            counts: list[str | Span] = [Safe(str(len(i.levels)))]
            if i.na:
                counts.append(Span(t("group.na_count", lang, n=i.na), "muted", block=True))
            if i.unanswered:
                counts.append(Span(t("group.unanswered_count", lang, n=i.unanswered), "muted", block=True))
            flag: Inline = Span(t("group.disagreement", lang), "flag") if i.disagreement else Safe("")
            rows.append(Row([
                i.id, question.text(lang) if question is not None else clause_ref(i.clause, lang),
                Safe(fixed(i.mean_level, level_width)), Safe(fixed(i.mean_alpha, alpha_width) if likert else "—"),
                Safe(str(min(i.levels)) if i.levels else "—"), Safe(str(max(i.levels)) if i.levels else "—"),
                counts, flag,
            ], cls="flag" if i.disagreement else ""))
        blocks.append(Table([t("doc.col.id", lang), t("doc.col.question", lang), t("group.mean_level", lang),
                             t("group.mean_alpha", lang), t("group.min", lang), t("group.max", lang),
                             t("group.answered", lang), t("group.flag", lang)],
                            rows, align="llrrrrrl", widths=(7, 43, 9, 8, 6, 6, 9, 12)))
    return Part("items", t("group.items", lang), blocks)


def _roles(group: GroupResult, library: Library, lang: Lang) -> Part:
    means = group.role_means()
    keys = [b.id for b in group.banks] + ([ACTIVITIES] if group.activities_mean_percent is not None else [])

    def name(key: str) -> str:
        return t("activities", lang) if key == ACTIVITIES else bank_title(library, key, lang)

    rows = [Row([role, Safe(str(len(group.roles[role])))] + [Safe(fixed(means[role].get(k), 1)) for k in keys])
            for role in sorted(means)]
    blocks: list[Block] = [Table([t("group.role", lang), t("group.respondents", lang)] + [name(k) for k in keys], rows,
                                 align="lr" + "r" * len(keys), cls="wide")]
    gaps = group.role_gaps()
    if gaps:
        blocks.append(Heading(3, Safe(t("group.gaps", lang))))
        blocks.append(Table([t("group.pair", lang), t("bank", lang), t("group.gap", lang)],
                            [Row([f"{g['roles'][0]} − {g['roles'][1]}", name(g["bank"]), Safe(signed_fixed(g["gap"], 1))])
                             for g in gaps],
                            align="llr", widths=(40, 44, 16)))
    return Part("roles", t("group.roles", lang), blocks)

