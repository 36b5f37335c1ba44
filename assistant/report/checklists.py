"""A checklist bank's verdict in words (the management conformity review, the standard-writing
checklists): the summary line and the items not met, as plain lines for every format.

Each line is plain text (no markup); the text, Markdown, HTML and TUI renderings escape it their own way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text

from ..clauses import clause_ref

from ..domain.bank import Bank, Catalogue, Question
from ..domain.conformity import ChecklistResult
from ..domain.loader import Library
from ..domain.results import Result
from ..i18n import Lang, t
from .common import method_label

if TYPE_CHECKING:
    from .docmodel import Part


def verdict_label(c: ChecklistResult, lang: Lang) -> str:
    return t(f"check.verdict.{c.verdict}", lang)


def summary(c: ChecklistResult, lang: Lang) -> str:
    """'not yet: yes 80, partly 3, no 2, of 90 that apply'."""
    return t("check.summary", lang, verdict=verdict_label(c, lang), yes=c.count("yes"), partly=c.count("partly"),
             no=c.count("no"), applicable=c.applicable)


def item_line(c: ChecklistResult, bank: Bank | None, item_id: str, lang: Lang,
              catalogue: Catalogue | None = None) -> str:
    """'A2.2-5 (partly) Is the policy … ?', and for an item not met that names 附录A methods, the
    methods to draw on (the first with its text)."""
    item = next(i for i in c.items if i.id == item_id)
    answer = t(f"gate.{item.state}", lang) if item.state in ("yes", "partly", "no") else ""
    q = bank.question(item_id) if bank is not None and item_id in {x.id for x in bank.questions} else None
    head = f"{item.id}" + (f"（{answer}）" if lang == "zh" and answer else f" ({answer})" if answer else "")
    out = f"{head} {q.text(lang) if q else ''}".rstrip()
    methods = methods_text(q, catalogue, lang) if q is not None and item.failed else ""
    return out + (" — " + methods if methods else "")


def methods_text(q: Question, catalogue: Catalogue | None, lang: Lang) -> str:
    """'Annex A methods to draw on: 活动和结果 a) <its text>; 活动和结果 d)', or '' when it names none."""
    known = catalogue.methods if catalogue is not None else {}
    methods = [known[m] for m in (q.methods or []) if m in known]
    if not methods:
        return ""
    named = [method_label(m.id, a.title(lang)) for a, m in methods]
    named[0] += " " + methods[0][1].text(lang)
    return t("check.methods", lang) + ("、" if lang == "zh" else "; ").join(named)


def detail_lines(c: ChecklistResult, bank: Bank | None, lang: Lang, limit: int | None = None,
                 open_limit: int | None = None, catalogue: Catalogue | None = None) -> list[str]:
    """The items not met, then those not answered; `limit` cuts each list, `open_limit` the second
    (with '…' saying so)."""
    out: list[str] = []
    for key, items in (("check.failed", c.failed), ("check.open", c.open)):
        if not items:
            continue
        out.append(t(key, lang, n=len(items)))
        cut = open_limit if key == "check.open" and open_limit is not None else limit
        shown = items if cut is None else items[:cut]
        out += ["  " + item_line(c, bank, i.id, lang, catalogue) for i in shown]
        if len(shown) < len(items):
            out.append("  …")
    if c.verdict == "pass":
        out.append(t("check.all_met", lang))
    return out + not_asked_lines(c, lang)


def not_asked_lines(c: ChecklistResult, lang: Lang) -> list[str]:
    """'Not asked because of the answer to 5.2.2: 4.2.1', a line per gate."""
    gates: dict[str, list[str]] = {}
    for i in c.items:
        if i.gated_by is not None:
            gates.setdefault(i.gated_by, []).append(i.id)
    sep = "、" if lang == "zh" else ", "
    return [t("check.not_asked", lang, gate=g, items=sep.join(ids)) for g, ids in gates.items()]


def checklists_text(result: Result, library: Library, lang: Lang) -> list[Text]:
    """Rich texts for the terminal report: each checklist's verdict and every item not met."""
    out: list[Text] = []
    for c in result.checklists:
        body = Text()
        body.append("\n" + c.title + ("：" if lang == "zh" else ": "), style="bold")
        body.append(summary(c, lang), style="green" if c.verdict == "pass" else "yellow")
        for line in detail_lines(c, library.banks.get(c.id), lang, open_limit=10, catalogue=library.catalogue):
            body.append("\n" + line)
        out.append(body)
    return out


def checklists_markdown(result: Result, library: Library, lang: Lang) -> list[str]:
    """Markdown lines: a heading per checklist with its verdict, then its items not met as a list."""
    from .markdown import md  # markdown.py calls this module

    out: list[str] = []
    for c in result.checklists:
        out += ["", f"## {md(c.title)}{'：' if lang == 'zh' else ': '}{md(summary(c, lang))}", ""]
        for line in detail_lines(c, library.banks.get(c.id), lang, catalogue=library.catalogue):
            out += [f"- {md(line)}"] if line.startswith("  ") else ["", md(line), ""]
    return out


def checklists_part(data: Any) -> Part | None:
    """The management report's part for the session's checklists: each verdict, then a table of the
    items not met, not answered or N/A (with their answers and notes); every other item is "yes"."""
    from .common import answer_text
    from .docmodel import Block, Heading, Para, Part, Row, Span, Table

    lang: Lang = data.result.lang
    if not data.result.checklists:
        return None
    blocks: list[Block] = []
    for c in data.result.checklists:
        bank = data.library.banks.get(c.id)
        answers = data.session.answers.get(c.id, {})
        blocks += [Heading(3, c.title), Para(summary(c, lang), cls="lead" if c.verdict == "pass" else "warn")]
        rows = []
        for item in c.items:
            if item.state in ("yes", "not asked") or bank is None:
                continue
            q = bank.question(item.id)
            a = answers.get(item.id)
            methods = methods_text(q, data.library.catalogue, lang) if item.failed else ""
            question: list[str | Span] = [q.text(lang)] + ([Span(methods, "muted", block=True)] if methods else [])
            rows.append(Row([item.id, clause_ref(item.clause, lang), question, answer_text(a, q, None, lang),
                             a.note if a is not None and a.note else ""], cls="" if item.state == "na" else "flag"))
        if rows:
            blocks.append(Table([t("doc.col.id", lang), t("doc.col.clause", lang), t("doc.col.question", lang),
                                 t("doc.col.answer", lang), t("doc.col.note", lang)], rows, widths=(9, 13, 46, 14, 18)))
        blocks += [Para(line, cls="small") for line in not_asked_lines(c, lang)]
    return Part("checklists", t("check.title", lang), blocks)
