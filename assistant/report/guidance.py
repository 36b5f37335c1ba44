"""The guidance parts of the management report: why this grade, the path to the next grade up,
and the organisation's open action plan with how each action's items moved.

Built in the document model (docmodel.py), so the Markdown and HTML renderers escape every text.
"""

from __future__ import annotations

from typing import Any

from ..domain.actions import Action, moves
from ..domain.planner import plan
from ..i18n import Lang, t
from .common import signed
from .docmodel import Block, Bullets, Heading, Para, Part, Row, Safe, Span, Table
from .plan import after_line, head_lines, rows
from .why import why_lines


def why_blocks(data: Any) -> list[Block]:
    lang = data.result.lang
    return [Heading(3, Safe(t("why.title", lang))), Bullets([[line] for line in why_lines(data.result, lang)])]


def path_part(data: Any) -> Part | None:
    """The fewest raises to the next grade up (SCORING §12), each with its next-step advice."""
    lang, r = data.result.lang, data.result
    p = plan(data.library, data.session, None, r)
    if p.target == r.grade.outcome and not p.reason:
        return None  # at the top already
    lines = head_lines(p, lang)
    blocks: list[Block] = [Para(line) for line in lines[1:]]
    if p.steps:
        table_rows = [Row([a, Safe(b), Safe(c), d]) for a, b, c, d in rows(p, data.library, lang, data.session.sector)]
        blocks.append(Table([t("plan.col.item", lang), t("plan.col.raise", lang), t("plan.col.gain", lang),
                             t("plan.col.next", lang)], table_rows, align="llrl", widths=(22, 10, 8, 60)))
        blocks.append(Para(Span(after_line(p, lang), "b")))
    return Part("path", lines[0], blocks)


def actions_part(data: Any, actions: list[Action], results_by_session: dict[str, Any]) -> Part:
    """The organisation's actions: open ones first, each with how its items moved since it was planned."""
    lang: Lang = data.result.lang
    if not actions:
        return Part("actions", t("doc.actions", lang), [Para(t("doc.actions.none", lang))])
    ordered = sorted(actions, key=lambda a: (not a.is_open, a.due or a.created.date(), a.id))
    table_rows = []
    for a in ordered:
        before = results_by_session.get(a.session or "")
        moved = moves(a, before.banks if before else None, data.result.banks)
        change = "; ".join(f"{m.item.id} {_level(m.before_level)}→{_level(m.after_level)} ({signed(m.delta, 2)})"
                           for m in moved) if before else "—"
        table_rows.append(Row([Safe(a.id), _s(f"actions.status.{a.status}", lang), ", ".join(i.id for i in a.items),
                               a.what, a.owner or Safe("—"), Safe(a.due.isoformat() if a.due else "—"), change],
                              cls="" if a.is_open else "muted"))
    open_n = sum(1 for a in actions if a.is_open)
    done_n = sum(1 for a in actions if a.status == "done")
    return Part("actions", t("doc.actions", lang), [
        Para(t("doc.actions.intro", lang, open=open_n, done=done_n)),
        Table([t("doc.col.id", lang), t("doc.col.status", lang), t("doc.col.items", lang), t("doc.col.what", lang),
               t("doc.col.owner", lang), t("doc.col.due", lang), t("doc.col.moved", lang)],
              table_rows, align="lllllll", widths=(5, 8, 12, 33, 10, 11, 21)),
    ])


def _level(n: int | None) -> str:
    return "—" if n is None else str(n)


def _s(key: str, lang: Lang) -> Safe:
    return Safe(t(key, lang))

