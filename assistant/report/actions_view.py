"""The action plan as Rich text for the app: per action its status, what, owner and due date, and
how its items moved since the self-check it was planned from (to `now`, when given).

Built with rich.text.Text: what, owner and note are data, never markup.
"""

from __future__ import annotations

from rich.text import Text

from ..domain.actions import Action, moves
from ..domain.loader import Library
from ..domain.results import Result
from ..i18n import Lang, t
from .common import bank_title, signed

STATUS_STYLE = {"planned": "yellow", "doing": "cyan", "done": "green", "dropped": "dim"}


def planned_results(store, library: Library, actions: list[Action]) -> dict[str, Result]:
    """The results of the self-checks the actions were planned from (one that is gone is left out)."""
    from ..domain.evaluate import evaluate
    from ..domain.loader import UnknownBank
    from ..store import StoreError

    out = {}
    for sid in sorted({a.session for a in actions if a.session}):
        try:
            out[sid] = evaluate(library, store.get_session(sid), count=0)
        except (StoreError, UnknownBank):
            continue
    return out


def _level(n: int | None) -> str:
    return "—" if n is None else str(n)


def actions_text(actions: list[Action], planned_from: dict[str, Result], now: Result | None,
                 library: Library, lang: Lang) -> Text:
    out = Text()
    out.append(t("actions.view.title", lang, open=sum(a.is_open for a in actions),
                 done=sum(a.status == "done" for a in actions)) + "\n", style="bold")
    if not actions:
        out.append(t("doc.actions.none", lang) + "\n", style="dim")
        return out
    for a in sorted(actions, key=lambda a: (not a.is_open, a.id)):
        out.append(f"{a.id} ", style="bold")
        out.append(f"[{t(f'actions.status.{a.status}', lang)}] ", style=STATUS_STYLE[a.status])
        out.append(a.what)
        extra = [x for x in (a.owner, a.due.isoformat() if a.due else "") if x]
        if extra:
            out.append(" · " + " · ".join(extra), style="dim")
        before = planned_from.get(a.session or "")
        for m in moves(a, before.banks if before else None, now.banks if now else []):
            out.append(f"\n    {bank_title(library, m.item.bank, lang)} {m.item.id}: ", style="dim")
            if now is None:
                out.append(t("actions.view.before", lang, level=_level(m.before_level)))
            elif before is None:
                out.append(t("actions.view.now", lang, level=_level(m.after_level)))
            else:
                style = "green" if (m.delta or 0) > 0 else "red" if (m.delta or 0) < 0 else ""
                out.append(f"{_level(m.before_level)} → {_level(m.after_level)} ({signed(m.delta, 2)})", style=style)
        out.append("\n")
    return out
