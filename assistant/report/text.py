"""The result as Rich renderables, for the terminal (CLI `--format text` and the chat's result view).

Every text is built as a rich.text.Text, never parsed as markup: organisation names, notes and
bank texts are data.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..domain.loader import Library
from ..domain.results import Result
from ..i18n import Lang, t
from ..printable import printable
from .why import why_lines
from .checklists import checklists_text
from ..clauses import profile_name
from .common import (
    colon,
    column,
    fixed,
    headline,
    places_needed,
    pct,
    method_label,
    bank_title,
    bar,
    compare_headline,
    fmt,
    gate_text,
    management_text,
    section_title,
    source_text,
)


def grade_panel(result: Result, lang: Lang) -> Panel:
    g = result.grade
    body = Text()
    body.append(f"{headline(g.label, lang)}\n", style="bold")
    # Chinese has no space to break the line at: the source goes on a line of its own
    source = f"\n（{source_text(g, lang)}）" if lang == "zh" else f"  ({source_text(g, lang)})"
    body.append(f"{t('service_score', lang)}{colon(lang)}{pct(g.service_score)}{source}\n")
    body.append(f"{t('management_level', lang)}{colon(lang)}{management_text(result, lang)}\n")
    body.append(gate_text(g, lang) + "\n", style="italic")
    body.append(t("provisional", lang), style="dim")
    return Panel(body, title=Text(t("grade", lang)), title_align="left", border_style="cyan")


def why_text(result: Result, lang: Lang) -> Text:
    """Why this grade: S, M and their thresholds, the row of 003 §5.3, the gate, the next grade up."""
    body = Text()
    body.append(t("why.title", lang) + "\n", style="bold")
    for line in why_lines(result, lang):
        body.append("• " + line + "\n")
    return body


def banks_table(result: Result, library: Library, lang: Lang) -> Table:
    table = Table(expand=False, show_edge=False, pad_edge=False)
    table.add_column(Text(t("bank", lang) + " / " + t("section", lang)))
    table.add_column(Text(t("score", lang)), justify="right")
    table.add_column(Text(t("percent", lang)), justify="right")
    table.add_column(Text(""), no_wrap=True)
    totals = [x for b in result.banks for x in (b, *b.sections)]
    if result.activities is not None:
        totals.append(result.activities)
    # one number of decimals in the score column (two at most), one in the percent column
    width = max(places_needed(v) for x in totals for v in (x.earned, x.possible)) if totals else 0

    def score(x) -> Text:
        return Text(f"{fixed(x.earned, width)}/{fixed(x.possible, width)}")

    for b in result.banks:
        extra = f"  {t('maturity_level', lang, level=b.level)}" if b.level is not None else ""
        table.add_row(Text(bank_title(library, b.id, lang) + extra, style="bold"),
                      score(b), Text(fixed(b.percent, 1)), Text(bar(b.percent)))
        for s in b.sections:
            table.add_row(Text("  " + section_title(library, b.id, s.id, lang)),
                          score(s), Text(fixed(s.percent, 1)), Text(bar(s.percent)))
        sep = "、" if lang == "zh" else ", "
        if b.unanswered:
            table.add_row(Text(f"  {t('unanswered', lang)}{colon(lang)}{sep.join(b.unanswered)}", style="yellow"))
        if b.not_applicable:
            table.add_row(Text(f"  {t('na', lang)}{colon(lang)}{sep.join(b.not_applicable)}", style="dim"))
    if result.activities is not None:
        a = result.activities
        table.add_row(Text(t("activities", lang), style="bold cyan"),
                      score(a), Text(fixed(a.percent, 1)), Text(bar(a.percent)))
    return table


def suggestions_table(result: Result, lang: Lang) -> RenderableType:
    if not result.suggestions:
        return Text(t("no_suggestions", lang))
    table = Table(expand=True, show_edge=False, pad_edge=False)
    table.add_column("#", justify="right")
    table.add_column(Text(t("method", lang)), overflow="fold", ratio=1)
    table.add_column(Text(t("addresses", lang)))
    table.add_column(Text(t("at_stake", lang)), justify="right")
    stakes = column([s.points_at_stake for s in result.suggestions])
    sep = "、" if lang == "zh" else ", "
    for n, s in enumerate(result.suggestions, 1):
        table.add_row(str(n), Text(f"{method_label(s.method, s.area)} {s.text}"),
                      Text(sep.join(i.id for i in s.items)), Text(stakes[n - 1]))
    return table


def render(result: Result, library: Library, created: str = "") -> RenderableType:
    lang = result.lang
    head = Text()
    head.append(t("result.title", lang) + "\n", style="bold underline")
    c = colon(lang)
    head.append(f"{t('org', lang)}{c}")
    head.append(printable(result.org, newlines=False))
    head.append(f"   {t('session', lang)}{c}{result.session_id}   {t('rules', lang)}{c}{profile_name(result.rules_profile, lang)}")
    if created:
        head.append(f"   {t('created', lang)}{c}{created}")
    parts: list[RenderableType] = [head, grade_panel(result, lang), why_text(result, lang),
                                   *([banks_table(result, library, lang)] if result.banks else []),  # none: checklists only
                                   *checklists_text(result, library, lang)]
    if not result.complete:
        parts.append(Text(t("complete.no", lang), style="yellow"))
    parts += [Text("\n" + t("suggestions", lang), style="bold"), suggestions_table(result, lang)]
    return Group(*parts)


def history_table(rows: list, library: Library, lang: Lang, done: list | None = None) -> RenderableType:
    """An organisation's sessions, oldest first: activity percent, each bank's percent, the grade,
    and (given `done`) the actions of the plan done in each cycle."""
    from ..domain.scoring import OUTCOME_LABELS

    if not rows:
        return Text(t("sessions.none", lang))
    from ..rich_linebreak import LongTable

    bank_ids = [b for b in library.banks if any(b in (x.id for x in r.result.banks) for r in rows)]
    table = LongTable(show_edge=False)  # one row a session: hundreds of rows
    table.add_column(Text(t("session", lang)), no_wrap=True)
    table.add_column(Text(t("created", lang)), no_wrap=True)
    table.add_column(Text(t("activities", lang)), justify="right")
    for b in bank_ids:
        table.add_column(Text(library.bank(b).title(lang)), justify="right")
    table.add_column(Text(t("grade", lang)))
    if done is not None:
        table.add_column(Text(t("history.col.done", lang)))
    for n, r in enumerate(rows):
        percents = {b.id: b.percent for b in r.result.banks}
        extra = [] if done is None else [Text(", ".join(a.id for a in done[n]) or "—")]
        sid = Text(r.session_id)
        if getattr(r, "kind", "self_check") == "consensus":  # a workshop's agreed result, not a self-check
            sid.append(f"\n({t('consensus.kind', lang)})" if lang == "en" else f"\n（{t('consensus.kind', lang)}）", style="cyan")
        table.add_row(sid, r.created.strftime("%Y-%m-%d"), Text(fixed(r.activities_percent, 1)),
                      *[Text(fixed(percents.get(b), 1)) for b in bank_ids],
                      Text(headline(OUTCOME_LABELS[r.result.grade.outcome][lang], lang)), *extra)
    return table


def comparison_view(cmp, library: Library, lang: Lang) -> RenderableType:
    """Two sessions of one organisation: banks before/after, what improved, what slipped, suggestions acted on."""
    parts: list[RenderableType] = []
    def paren(x: str) -> str:
        return f"（{x}）" if lang == "zh" else f" ({x})"

    head = Text(f"{t('compare.title', lang)}{colon(lang)}{cmp.before.session_id}{paren(f'{cmp.before_created:%Y-%m-%d %H:%M}')} → "
                f"{cmp.after.session_id}{paren(f'{cmp.after_created:%Y-%m-%d %H:%M}')}", style="bold")
    parts.append(head)
    parts.append(Text(compare_headline(cmp, lang)))
    banks = Table(show_edge=False)
    for col in ("bank", "compare.before", "compare.after", "compare.delta"):
        banks.add_column(Text(t(col, lang)), justify="left" if col == "bank" else "right")
    for b in cmp.banks:
        version = "" if b.before_version == b.after_version or None in (b.before_version, b.after_version) else \
            f" ({b.before_version} → {b.after_version})"
        delta = "—" if b.delta is None else f"{b.delta:+.1f}"
        banks.add_row(Text(bank_title(library, b.id, lang) + version), Text(fixed(b.before_percent, 1)),
                      Text(fixed(b.after_percent, 1)), Text(delta, style="green" if (b.delta or 0) > 0 else "red" if (b.delta or 0) < 0 else ""))
    parts.append(banks)
    for key, items, style in (("compare.improved", cmp.improved, "green"), ("compare.slipped", cmp.slipped, "red")):
        parts.append(Text(f"\n{t(key, lang)}{paren(str(len(items)))}", style="bold " + style))
        for i in items[:10]:
            parts.append(Text(f"  {bank_title(library, i.bank, lang)} {i.id}{colon(lang)}{fmt(i.before_earned, 2)} → "
                              f"{fmt(i.after_earned, 2)} {t('unit.points', lang)}{paren(f'{i.delta:+.2f}')}"))
    if cmp.only_before or cmp.only_after:
        parts.append(Text("\n" + t("compare.unmatched", lang), style="bold"))
        for bank, qid in cmp.only_before:
            parts.append(Text(f"  − {bank} {qid}"))
        for bank, qid in cmp.only_after:
            parts.append(Text(f"  + {bank} {qid}"))
    if cmp.suggestions:
        parts.append(Text("\n" + t("compare.suggestions", lang), style="bold"))
        for s in cmp.suggestions:
            mark = "✓" if s.acted_on else "○"
            parts.append(Text(f"  {mark} {method_label(s.method, s.area)} {s.text} — {', '.join(s.items)}"
                              + paren(f"{t('compare.gained', lang)} {s.gained:+.2f}")))
    return Group(*parts)
