"""The parts of the workshop report about agreement (issue 12): per bank Krippendorff's α and the
items in order of disagreement with their distribution, median, SD, IQR and consensus index; the
items where two roles differ most; and the consensus meeting's agreed result beside the mean, with
its reasons and dissent. Built on the document model, like the rest of the group report.
"""

from __future__ import annotations

from ..domain.group import GroupResult, ItemGroup
from ..domain.loader import Library
from ..i18n import Lang, t
from .common import bank_title, fixed, gate_text, headline, pct, signed_fixed
from .consensus_view import distribution_bar, distribution_chart
from .docmodel import Block, Fields, Figure, Heading, Inline, Para, Part, Row, Safe, Span, Table


def _question(library: Library, item: ItemGroup, lang: Lang) -> str:
    bank = library.banks.get(item.bank)
    return bank.question(item.id).text(lang) if bank is not None else item.id


def _agreed(group: GroupResult, item: ItemGroup, lang: Lang) -> Inline:
    if group.consensus is None:
        return Safe("")
    a = group.consensus.answers.get(item.bank, {}).get(item.id)
    if a is None:
        return Span("—", "muted")
    if a.na is not None:
        return Safe(t("consensus.na", lang))
    return Span(f"{a.level}" + (f" (α {a.alpha})" if a.alpha is not None else ""), "b")


def agreement_part(group: GroupResult, library: Library, lang: Lang) -> Part:
    blocks: list[Block] = [Para(t("agreement.reading", lang)), Para(t("agreement.flag", lang), cls="note")]
    agreed = group.consensus is not None
    for b in group.banks:
        rated = sorted((i for i in b.items if i.levels), key=ItemGroup.dispute_key)
        if not rated:
            continue
        blocks.append(Heading(3, bank_title(library, b.id, lang)))
        blocks.append(Para(Safe(t("agreement.alpha", lang, alpha=fixed(b.krippendorff_alpha, 3), items=len(rated),
                                  n=len(b.percents)))))
        blocks.append(Figure(distribution_chart([(i.id, i) for i in rated], title=t("agreement.chart", lang),
                                                legend=t("agreement.chart.legend", lang))))
        rows = []
        for i in rated:
            # the "levels 2 or more apart" flag (SCORING.md §4) as a mark after the id: the table is wide
            cells: list[Inline] = [[i.id, Span(" !", "flag")] if i.disagreement else i.id,
                                   Safe(distribution_bar(i.distribution)), Safe(str(len(i.levels))),
                                   Safe(fixed(i.mean_level, 2)), Safe(fixed(i.median, 1)), Safe(fixed(i.sd, 2)),
                                   Safe(fixed(i.iqr, 2)), Safe(fixed(i.agreement, 2))]
            if agreed:
                cells.append(_agreed(group, i, lang))
            rows.append(Row(cells, cls="flag" if i.disagreement else ""))
        head = [t("doc.col.id", lang), "1–5", "n", t("group.mean", lang), t("agreement.median.col", lang),
                t("agreement.sd", lang), t("agreement.iqr", lang), t("agreement.index.col", lang)]
        head += [t("consensus.agreed", lang)] if agreed else []
        blocks.append(Table(head, rows, align="llrrrrrr" + ("r" if agreed else ""),
                            widths=(12, 12, 7, 11, 11, 10, 10, 14) + ((13,) if agreed else ())))
    return Part("agreement", t("agreement.title", lang), blocks)


def role_items_part(group: GroupResult, library: Library, lang: Lang) -> Part | None:
    roles = sorted(group.roles)
    blocks: list[Block] = []
    for n, a in enumerate(roles):
        for b in roles[n + 1:]:
            for bank in group.banks:
                gaps = group.item_role_gaps(a, b, bank)
                if not gaps:
                    continue
                blocks.append(Heading(3, f"{a} − {b} · {bank_title(library, bank.id, lang)}"))
                items = {i.id: i for i in bank.items}
                blocks.append(Table(
                    [t("doc.col.id", lang), t("doc.col.question", lang), a, b, t("group.gap", lang)],
                    [Row([g["id"], _question(library, items[g["id"]], lang), Safe(fixed(g["means"][0], 2)),
                          Safe(fixed(g["means"][1], 2)), Safe(signed_fixed(g["gap"], 2))]) for g in gaps],
                    align="llrrr", widths=(9, 55, 12, 12, 12)))
    if not blocks:
        return None
    return Part("role-items", t("agreement.role_items", lang), [Para(t("agreement.role_items.reading", lang)), *blocks])


def consensus_part(group: GroupResult, library: Library, lang: Lang) -> Part | None:
    s, r = group.consensus, group.consensus_result
    if s is None or r is None:
        return None
    g = r.grade
    agreed = sum(len(per) for per in s.answers.values())
    rated = sum(1 for b in group.banks for i in b.items if i.levels)
    status = t(f"status.{s.status}", lang)
    fields: list[tuple[str, Inline]] = [
        (t("consensus.session", lang), Safe(f"{s.id}（{status}）" if lang == "zh" else f"{s.id} ({status})")),
        (t("consensus.progress.short", lang), Safe(f"{agreed}/{rated}")),
    ]
    if s.status == "completed":  # a grade of the items agreed so far would read as the meeting's verdict
        fields += [
            (t("consensus.grade", lang), [Span(headline(g.label, lang), "big"), Span(gate_text(g, lang), block=True)]),
            (t("consensus.vs_mean", lang),
             Safe(f"{pct(g.service_score)} / {pct(group.grade.service_score if group.grade else None)}")),
        ]
    if s.respondent:
        fields.insert(1, (t("consensus.facilitator", lang), s.respondent))
    rows = []
    means = {(i.bank, i.id): i for b in group.banks for i in b.items}
    for bank_id, per in s.answers.items():
        for qid, a in per.items():
            item = means.get((bank_id, qid))
            level = t("consensus.na", lang) if a.na is not None else f"{a.level}" + (f" (α {a.alpha})" if a.alpha is not None else "")
            rows.append(Row([qid, Safe(fixed(item.mean_level, 2) if item else "—"), Safe(level),
                             a.reason or a.na or "", a.dissent or ""], cls="flag" if a.dissent else ""))
    blocks: list[Block] = [Fields(fields)]
    if s.status != "completed":
        blocks.append(Para(t("consensus.in_progress", lang, done=agreed, total=rated), cls="warn"))
    blocks += [Para(t("consensus.reading", lang), cls="note"),
                           Table([t("doc.col.id", lang), t("group.mean_level", lang), t("consensus.agreed", lang),
                                  t("consensus.reason", lang), t("consensus.dissent", lang)],
                                 rows, align="lrrll", widths=(9, 12, 12, 40, 27))]
    return Part("consensus", t("consensus.title", lang), blocks)
