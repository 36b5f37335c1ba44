"""The path to a target grade, for the terminal (Rich), Markdown and the TUI: the plan's head lines,
one row per raise with the item's next-step advice, and what the grade becomes afterwards.

All texts are plain (built as rich.text.Text or escaped for Markdown): bank texts are data.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ..domain.bank import Question
from ..domain.derivation import label
from ..domain.loader import Library
from ..domain.planner import Plan, Step
from ..i18n import Lang, t
from .common import bank_title, fixed, fmt, places_needed


def question(library: Library, bank_id: str, qid: str) -> Question | None:
    bank = library.banks.get(bank_id)
    try:
        return bank.question(qid) if bank else None
    except KeyError:
        return None


def advice(library: Library, bank_id: str, qid: str, level: int | None, lang: Lang) -> str | None:
    """The item's next-step advice for its current level (an unanswered item starts at level 1)."""
    q = question(library, bank_id, qid)
    if q is None or q.next_steps is None:
        return None
    return q.next_steps.at(level)[1](lang)


def example(library: Library, bank_id: str, qid: str, sector: str | None, lang: Lang) -> str | None:
    q = question(library, bank_id, qid)
    if q is None or not sector or sector not in q.help.examples:
        return None
    return q.help.examples[sector](lang)  # type: ignore[index]


def item_label(library: Library, bank_id: str, qid: str, lang: Lang) -> str:
    return f"{bank_title(library, bank_id, lang)} {qid}"


def raise_text(step: Step, lang: Lang) -> str:
    start = t("plan.none", lang) if step.from_level is None else str(step.from_level)
    return f"{start} → {step.to_level}"


def head_lines(plan: Plan, lang: Lang) -> list[str]:
    target = label(plan.target, lang)
    c = plan.current
    m = "—" if c.management_level is None else str(c.management_level)
    out = [t("plan.title", lang, target=target),
           t("plan.current", lang, label=label(c.outcome, lang), s=fmt(c.service_score), m=m)]
    if plan.reason:
        out.append(t(f"plan.unreachable.{plan.reason}", lang, target=target, m=plan.needs_management_level,
                     smin=fmt(plan.needs_service_score)))
    if not plan.steps and not plan.reason:
        out.append(t("plan.already", lang, target=target))
    elif plan.steps:
        out.append(t("plan.steps", lang, n=plan.level_steps, k=len(plan.steps), points=fmt(plan.points_gained, 2)))
    return out


def after_line(plan: Plan, lang: Lang) -> str:
    a = plan.after
    m = "—" if a.management_level is None else str(a.management_level)
    return t("plan.after", lang, s=fmt(a.service_score), m=m, label=label(a.outcome, lang))


def rows(plan: Plan, library: Library, lang: Lang, sector: str | None = None) -> list[tuple[str, str, str, str]]:
    """(item, raise, points gained, next-step advice and the sector's example) per step, in flow order."""
    out = []
    width = max((places_needed(s.points_gained) for s in plan.steps), default=0)  # one in the column
    for s in plan.steps:
        text = advice(library, s.bank, s.id, s.from_level, lang) or ""
        if s.opens_gate:
            gates = ("、" if lang == "zh" else ", ").join(s.opens_gates or [s.opens_gate])
            text = t("plan.opens_gate", lang, gate=gates) + text
        ex = example(library, s.bank, s.id, sector, lang)
        if ex:
            name = t("example", lang, sector=t(f"sector.{sector}", lang))
            text += f"（{name}：{ex}）" if lang == "zh" else f" ({name}: {ex})"
        out.append((item_label(library, s.bank, s.id, lang), raise_text(s, lang), "+" + fixed(s.points_gained, width), text))
    return out


def render_text(plan: Plan, library: Library, lang: Lang, sector: str | None = None) -> RenderableType:
    head = Text()
    lines = head_lines(plan, lang)
    head.append(lines[0] + "\n", style="bold underline")
    for line in lines[1:]:
        head.append(line + "\n")
    parts: list[RenderableType] = [head]
    if plan.steps:
        table = Table(expand=True, show_edge=False, pad_edge=False)
        table.add_column(Text(t("plan.col.item", lang)), ratio=2, overflow="fold")
        table.add_column(Text(t("plan.col.raise", lang)), no_wrap=True)
        table.add_column(Text(t("plan.col.gain", lang)), justify="right", no_wrap=True)
        table.add_column(Text(t("plan.col.next", lang)), ratio=5, overflow="fold")
        for row in rows(plan, library, lang, sector):
            table.add_row(*(Text(cell) for cell in row))
        parts.append(table)
        parts.append(Text("\n" + after_line(plan, lang), style="bold"))
    parts.append(Text(t("provisional", lang), style="dim"))
    return Group(*parts)


def render_markdown(plan: Plan, library: Library, lang: Lang, sector: str | None = None) -> str:
    from .markdown import md

    lines = head_lines(plan, lang)
    out = [f"# {md(lines[0])}", ""] + [f"- {md(line)}" for line in lines[1:]] + [""]
    if plan.steps:
        out += [f"| {t('plan.col.item', lang)} | {t('plan.col.raise', lang)} | {t('plan.col.gain', lang)} | {t('plan.col.next', lang)} |",
                "|---|---|---:|---|"]
        out += [f"| {md(a)} | {md(b)} | {c} | {md(d)} |" for a, b, c, d in rows(plan, library, lang, sector)]
        out += ["", f"**{md(after_line(plan, lang))}**", ""]
    out += [f"> {md(t('provisional', lang))}", ""]
    return "\n".join(out)
