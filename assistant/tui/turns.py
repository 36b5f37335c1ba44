"""Turns of the conversation as Rich Text, in either language.

Everything is built with Text.append, never parsed as markup: bank texts and what users type are data.
"""

from __future__ import annotations

from rich.text import Text

from ..domain.answers import Answer
from ..domain.bank import Kind
from ..domain.engine import (
    Ask,
    AskNote,
    Explain,
    FlowDone,
    Help,
    Notice,
    Saved,
    SessionDone,
    Step,
    Turn,
)
from ..domain.replies import LIKERT_WORDS
from ..clauses import clause_ref
from ..linebreak import fitting
from ..i18n import Lang, t
from ..domain.derivation import derive
from ..report.common import answer_text, bar, compare_headline, fmt, gate_text, method_label, pct, signed
from ..printable import printable
from ..report.why import next_lines


def choices(kind: Kind, lang: Lang) -> list[tuple[str, Answer]]:
    """The quick replies of a question kind: (label, answer); keys 1..n choose them in order."""
    if kind is Kind.likert:  # the short English forms keep five buttons on one line at 80 columns
        return [(f"{n} {LIKERT_WORDS[n][0 if lang == 'zh' else 2]}", Answer(level=n)) for n in range(1, 6)]
    if kind is Kind.maturity:
        return [(f"{n} {t('level.n', lang, n=n)}" if lang == "en" else t("level.n", lang, n=n), Answer(level=n))
                for n in range(1, 6)]
    if kind.by_choice:
        return [(f"{i} {t(f'gate.{c}', lang)}", Answer(choice=c)) for i, c in enumerate(("yes", "partly", "no"), 1)]
    return []


def progress_variants(step: Step, lang: Lang) -> list[str]:
    """The progress line, longest first, each one shorter: the points (or "checklist") in short, the
    section by its number only (the question's heading names it), the flow without its bank's name."""
    checklist = step.bank.kind == "checklist"  # no points to show
    position = t("progress.item" if checklist else "progress.question", lang, n=step.number, m=step.total)

    def tail(short: bool) -> str:
        if checklist:
            return t("progress.checklist.short" if short else "progress.checklist", lang)
        return t("progress.points.short" if short else "progress.points", lang,
                 earned=fmt(step.earned, 2), possible=fmt(step.possible, 2))

    flow = t("progress.flow", lang, bn=step.bank_number, bt=step.bank_total, bank=step.bank.title(lang))
    bare = t("progress.flow.bare", lang, bn=step.bank_number, bt=step.bank_total)
    section = f"{step.section.id} {step.section.title(lang)}"
    return [" · ".join(parts) for parts in (
        (flow, section, position, tail(False)),
        (flow, section, position, tail(True)),
        (flow, step.section.id, position, tail(True)),
        (bare, step.section.id, position, tail(True)),
    )]


def progress_text(step: Step, lang: Lang, width: int | None = None) -> str:
    """The progress line for a row `width` cells wide (None: the full line)."""
    return fitting(progress_variants(step, lang), width)


def _example(q, lang: Lang, sector: str | None) -> Text:
    """The question's example for the session's sector (bank help.examples), if it has one."""
    out = Text()
    if sector and sector in q.help.examples:
        out.append("\n" + t("example", lang, sector=t(f"sector.{sector}", lang)) + ("：" if lang == "zh" else ": "),
                   style="italic")
        out.append(q.help.examples[sector](lang))
    return out


def _next_step(q, level: int | None, lang: Lang) -> Text:
    """What would raise this answer a level (bank next_steps), for levels 1–4."""
    out = Text()
    if q.next_steps is not None and level is not None and level < 5:
        out.append("\n" + t("next.title", lang, level=level, to=level + 1) + ("：" if lang == "zh" else ": "),
                   style="italic")
        out.append(q.next_steps.at(level)[1](lang))
    return out


def _question(step: Step, lang: Lang, full: bool = True, sector: str | None = None) -> Text:
    q = step.question
    out = Text()
    out.append(f"{step.bank.title(lang)} · {step.section.id} {step.section.title(lang)} · {step.number}/{step.total}\n",
               style="dim")
    out.append(q.text(lang), style="bold")
    first = step.section.questions[0]
    if full and step.section.help is not None and q.help == step.section.help and q.id != first.id:
        # a checklist section's shared help is shown once, on its first item, not on each of its items
        out.append("\n" + t("ask.shared_help", lang, first=first.id), style="dim italic")
    elif full:
        out.append("\n" + t("ask.why", lang), style="italic")
        out.append(q.help.why(lang))
        out.append("\n" + t("ask.evidence", lang), style="italic")
        out.append(q.help.evidence(lang))
        out.append(_example(q, lang, sector))
    if q.kind is Kind.maturity and q.levels:
        for n, level in enumerate(q.levels, 1):
            # no space after the number in Chinese: Rich wraps at spaces, and would push the whole
            # unspaced CJK description onto the next line
            out.append(f"\n{n}．" if lang == "zh" else f"\n{n}. ", style="bold")
            out.append(level(lang))
        if step.bank.level_guidance is not None:
            out.append("\n" + step.bank.level_guidance(lang), style="italic")
    out.append("\n" + t("ask.clause", lang) + clause_ref(q.clause, lang), style="dim")
    if q.derived:
        out.append(t("ask.derived", lang), style="dim")
    if q.truncated:
        out.append(t("ask.truncated", lang), style="dim")
    if step.answer is not None:
        out.append("\n" + t("ask.current", lang), style="cyan")
        out.append(answer_text(step.answer, q, None, lang), style="cyan")
        if step.answer.answered:
            out.append(t("ask.current.keep", lang), style="dim cyan")
    elif step.baseline is not None:
        out.append("\n" + t("ask.baseline", lang), style="magenta")
        out.append(answer_text(step.baseline, q, None, lang), style="magenta")
        out.append(t("ask.baseline.keep", lang), style="dim magenta")
    return out


def render(turn: Turn, lang: Lang, sector: str | None = None) -> tuple[str, Text]:
    """(role, text): role is assistant, user or notice, and picks the bubble's style."""
    if isinstance(turn, Ask):
        return "assistant", _question(turn.step, lang, sector=sector)
    if isinstance(turn, Saved):
        q, a = turn.step.question, turn.answer
        if a.skipped and not q.kind.scored and q.kind is not Kind.check:  # a skipped check item stays open
            return "user", Text(t("answer.skipped.optional", lang))
        out = Text(answer_text(a, q, None, lang))
        if a.note:
            out.append(("：" if lang == "zh" else ": ") + printable(a.note))
        return "user", out
    if isinstance(turn, AskNote):
        out = Text(t("check.note.ask" if turn.step.question.kind is Kind.check else "note.ask", lang))
        if turn.tip is not None:
            area, method = turn.tip
            out.append("\n" + t("note.tip", lang), style="italic")
            out.append(f"{area.title(lang)} {method.letter}) {method.text(lang)}")
        elif turn.step.question.kind.scored and not turn.step.question.methods:
            out.append("\n" + t("next.none_fits", lang), style="italic")
        answer = turn.step.answer
        out.append(_next_step(turn.step.question, answer.level if answer is not None else None, lang))
        return "assistant", out
    if isinstance(turn, Explain):
        # what the question's own help does not say: its clause and the related clauses with their
        # standards named in full, its points, and whether its clause's text is lost
        from ..report.sources import source_lines

        return "assistant", Text("\n".join(source_lines(turn.step.question, turn.step.bank, lang)))
    if isinstance(turn, Help):
        return "assistant", Text(t("help.body", lang) + "\n" + t("help.nav", lang))
    if isinstance(turn, Notice):
        if turn.code == "unknown":
            kind = turn.params.get("expected", "likert")
            hint_key = f"ask.hint.{kind}" if kind in ("likert", "maturity", "gate", "text", "check") else "ask.hint.likert"
            return "notice", Text(t("notice.unknown", lang) + " " + t(hint_key, lang))
        if turn.code == "note_saved":
            return "notice", Text(t("note.saved", lang))
        return "notice", Text(t(f"notice.{turn.code}", lang, **turn.params))
    if isinstance(turn, FlowDone) and turn.checklist is not None:
        from ..report.checklists import detail_lines, verdict_label

        c = turn.checklist
        out = Text(t("check.flow.done", lang, bank=turn.bank.title(lang), verdict=verdict_label(c, lang),
                     yes=c.count("yes"), partly=c.count("partly"), no=c.count("no"), applicable=c.applicable),
                   style="bold")
        for line in detail_lines(c, turn.bank, lang, limit=8):
            out.append("\n" + line)
        return "assistant", out
    if isinstance(turn, FlowDone):
        r = turn.result
        out = Text(t("flow.done", lang, bank=turn.bank.title(lang), earned=fmt(r.earned, 2),
                     possible=fmt(r.possible, 2), percent=fmt(r.percent)), style="bold")
        for s in r.sections:
            title = next(x.title(lang) for x in turn.bank.sections if x.id == s.id)
            out.append(f"\n{s.id} {title}".ljust(14))
            out.append(f"  {bar(s.percent, 16)} {fmt(s.percent)}%")
        return "assistant", out
    if isinstance(turn, SessionDone):
        r = turn.in_lang(lang)
        out = Text(t("session.done", lang, label=r.grade.label), style="bold")
        out.append(f"\n{t('service_score', lang)}: {pct(r.grade.service_score)}")
        if r.grade.management_level is not None:
            out.append(f" · {t('management_level', lang)}: {r.grade.management_level}")
        out.append("\n" + gate_text(r.grade, lang), style="italic")
        for c in r.checklists:
            from ..report.checklists import summary

            out.append(f"\n{c.title}: {summary(c, lang)}" if lang == "en" else f"\n{c.title}：{summary(c, lang)}")
        for line in next_lines(derive(r), lang):
            out.append("\n" + line)
        cmp = turn.comparisons.get(lang)
        if cmp is not None:
            out.append("\n" + t("done.compare", lang) + compare_headline(cmp, lang), style="bold")
            moved = [(t("done.improved", lang), cmp.improved), (t("done.slipped", lang), cmp.slipped)]
            for title, items in moved:
                if items:
                    out.append(f"\n{title}" + ("、" if lang == "zh" else ", ").join(
                        f"{i.id} {signed(i.delta, 2)}" for i in items[:5]))
        for n, s in enumerate(r.suggestions[:3], 1):
            out.append(f"\n{n}. {method_label(s.method, s.area)} {s.text} — {', '.join(i.id for i in s.items)} "
                       f"({fmt(s.points_at_stake, 2)})")
        out.append("\n" + t("provisional", lang), style="dim")
        out.append("\n" + t("session.more", lang), style="dim italic")
        return "assistant", out
    raise TypeError(f"unknown turn {turn!r}")
