"""`selfcheck actions list|add|set|export`: the organisation's action plan, kept in the store.

Bad input (an unknown bank or question, an item that is not scored, an unknown method or session,
a malformed date, an unknown status) exits 2 and stores nothing: everything is checked before the
store is asked to write.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any, Iterable

from ..domain.choices import STATUSES
from ..errors import UserError
from ..i18n import t
from ..printable import printable
from ..store import StoreError
from .common import dumps, emit, library, one_line, print_rich

if TYPE_CHECKING:  # the models load where they are used: `selfcheck --help` imports this module
    from datetime import date
    from decimal import Decimal

    from ..domain.actions import Action, ItemMove, ItemRef
    from ..domain.answers import Session
    from ..domain.loader import Library
    from ..store import TinyStore

NAME = "actions"
CSV_COLUMNS = ["id", "status", "items", "what", "owner", "due", "note", "method", "session", "created", "updated", "done"]


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser, lang: str = "zh") -> None:
    p = sub.add_parser(NAME, parents=[common], help=t("cli.actions", lang), description=t("cli.actions.description", lang))
    asub = p.add_subparsers(dest="actions_command", metavar="ACTION", required=True)

    ls = asub.add_parser("list", parents=[common], help=t("cli.actions.list", lang))
    ls.add_argument("--org", required=True, metavar="ORG", help=t("cli.sessions.org", lang))
    ls.add_argument("--format", choices=["text", "json", "csv"], default="text", help=t("cli.format", lang))
    shown = ls.add_mutually_exclusive_group()
    shown.add_argument("--all", dest="open_only", action="store_false", help=t("cli.actions.all", lang))
    shown.add_argument("--open", dest="open_only", action="store_true", help=t("cli.actions.open", lang))
    ls.set_defaults(open_only=False)

    add = asub.add_parser("add", parents=[common], help=t("cli.actions.add", lang), epilog=t("cli.actions.add.epilog", lang))
    add.add_argument("--org", required=True, metavar="ORG", help=t("cli.sessions.org", lang))
    add.add_argument("--item", required=True, action="append", metavar="BANK:QUESTION",
                     help=t("cli.actions.item", lang))
    add.add_argument("--what", required=True, metavar="TEXT", help=t("cli.actions.what", lang))
    add.add_argument("--owner", default="", metavar="NAME", help=t("cli.actions.owner", lang))
    add.add_argument("--due", default="", metavar="YYYY-MM-DD", help=t("cli.actions.due", lang))
    add.add_argument("--status", choices=STATUSES, default="planned", help=t("cli.actions.status", lang))
    add.add_argument("--note", default="", metavar="TEXT", help=t("cli.actions.note", lang))
    add.add_argument("--session", metavar="SESSION_ID", help=t("cli.actions.session", lang))
    add.add_argument("--method", metavar="METHOD_ID", help=t("cli.actions.method", lang))

    st = asub.add_parser("set", parents=[common], help=t("cli.actions.set", lang))
    st.add_argument("action_id", metavar="ACTION_ID", help=t("cli.actions.id", lang))
    st.add_argument("--org", required=True, metavar="ORG", help=t("cli.sessions.org", lang))
    st.add_argument("--status", choices=STATUSES, help=t("cli.actions.status", lang))
    st.add_argument("--owner", metavar="NAME", help=t("cli.actions.owner", lang))
    st.add_argument("--due", metavar="YYYY-MM-DD", help=t("cli.actions.due_clear", lang))
    st.add_argument("--note", metavar="TEXT", help=t("cli.actions.note", lang))
    st.add_argument("--what", metavar="TEXT", help=t("cli.actions.what", lang))

    ex = asub.add_parser("export", parents=[common], help=t("cli.actions.export", lang))
    ex.add_argument("--org", required=True, metavar="ORG", help=t("cli.sessions.org", lang))
    ex.add_argument("--format", choices=["csv", "json"], required=True, help=t("cli.format", lang))
    ex.add_argument("--out", metavar="FILE", help=t("cli.out", lang))


def run(args: argparse.Namespace) -> int:
    from ..domain.actions import ActionError
    from ..i18n_errors import localise
    from ..store import open_store

    lang = args.lang or "zh"
    org = args.org.strip()
    if not org:
        raise UserError(t("actions.err.org", lang))
    store = open_store(args.db)
    try:
        if args.actions_command == "add":
            return _add(store, org, args, lang)
        if args.actions_command == "set":
            return _set(store, org, args, lang)
    except ActionError as e:  # bad input, found before anything was written
        raise UserError(str(e)) from None
    actions = store.list_actions(org)
    if args.actions_command == "list" and args.open_only:
        actions = [a for a in actions if a.is_open]
    fmt = args.format
    if fmt == "csv":
        emit("\ufeff" + to_csv(actions), getattr(args, "out", None), lang, newline="")  # the BOM: Excel reads UTF-8
        return 0
    plan = Plan(store, library(), org, actions)
    for problem in [*store.problems, *plan.problems]:
        print(t("cli.warning", lang, message=one_line(localise(problem, lang))), file=sys.stderr)
    if fmt == "json":
        emit(dumps(plan.to_json()), getattr(args, "out", None), lang)
    else:
        print_rich(plan.view(lang))
    return 0


# -- add and set ------------------------------------------------------------------------------------


def parse_items(texts: Iterable[str], lib: Library, lang: str) -> list[ItemRef]:
    """BANK:QUESTION texts as items, each once, each a scored question of the shipped banks; else
    ActionError saying why in `lang`. The bank may be named by its last part (service:4.3)."""
    from ..domain.actions import ActionError, ItemRef, item_problem

    out: list[ItemRef] = []
    for text in texts:
        bank, sep, qid = text.strip().rpartition(":")
        if not sep or not bank.strip() or not qid.strip():
            raise ActionError(t("actions.err.item_format", lang, text=text))
        ref = ItemRef(bank=_bank_id(lib, bank.strip()), id=qid.strip())
        problem = item_problem(lib, ref)
        if problem:
            raise ActionError(t(f"actions.err.{problem}", lang, item=str(ref), bank=ref.bank, known=", ".join(lib.banks)))
        if ref not in out:
            out.append(ref)
    if not out:
        raise ActionError(t("actions.err.items", lang))
    return out


def _bank_id(lib: Library, name: str) -> str:
    """A bank id from its id or its last part (service for certification.service), when unique."""
    if name in lib.banks:
        return name
    matches = [b for b in lib.banks if b.rsplit(".", 1)[-1] == name]
    return matches[0] if len(matches) == 1 else name


def short_item(lib: Library, ref: ItemRef) -> str:
    """service:4.3 for certification.service:4.3, when the last part names one bank (for narrow tables)."""
    tail = ref.bank.rsplit(".", 1)[-1]
    return f"{tail}:{ref.id}" if _bank_id(lib, tail) == ref.bank else str(ref)


def parse_date(text: str, lang: str) -> date | None:
    """YYYY-MM-DD as a date, "" as None; else ActionError saying so in `lang`."""
    import datetime

    from ..domain.actions import ActionError

    try:
        return datetime.date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        raise ActionError(t("actions.err.date", lang, text=text)) from None


def _add(store: TinyStore, org: str, args: argparse.Namespace, lang: str) -> int:
    from ..domain.actions import ActionError

    lib = library()
    items = parse_items(args.item, lib, lang)
    due = parse_date(args.due, lang)
    if not args.what.strip():
        raise ActionError(t("actions.err.what", lang))
    method = (args.method or "").strip() or None
    if method is not None and method not in lib.catalogue.methods:
        raise ActionError(t("actions.err.method", lang, method=method))
    session = None
    if args.session:
        found = store.get_session(args.session)  # unknown: SessionNotFound, exit 2
        if found.org != org:
            raise ActionError(t("actions.err.session_org", lang, session=found.id, other=found.org, org=org))
        session = found.id
    action = store.add_action(org, items, args.what, owner=args.owner, due=due, status=args.status,
                              note=args.note, method=method, session=session)
    print(t("actions.added", lang, id=action.id))
    print_rich(Plan(store, lib, org, [action]).view(lang, header=False))
    return 0


def _set(store: TinyStore, org: str, args: argparse.Namespace, lang: str) -> int:
    from ..domain.actions import ActionError

    changes: dict[str, Any] = {k: getattr(args, k) for k in ("status", "owner", "note", "what")
                               if getattr(args, k) is not None}
    if args.due is not None:
        changes["due"] = parse_date(args.due, lang)
    if "what" in changes and not changes["what"].strip():
        raise ActionError(t("actions.err.what", lang))
    if not changes:
        raise ActionError(t("actions.err.nothing", lang))
    before = store.get_action(org, args.action_id)
    action = store.update_action(org, before.id, **changes)
    print(t("actions.updated" if action != before else "actions.unchanged", lang, id=action.id))
    print_rich(Plan(store, library(), org, [action]).view(lang, header=False))
    return 0


# -- the plan as a table, JSON and CSV ---------------------------------------------------------------


def counts(actions: list[Action]) -> dict[str, int]:
    from ..domain.actions import OPEN

    by = {s: sum(1 for a in actions if a.status == s) for s in STATUSES}
    return {"total": len(actions), "open": sum(by[s] for s in OPEN), **by}


def to_csv(actions: list[Action]) -> str:
    """One row per action, the columns of CSV_COLUMNS; items as BANK:QUESTION separated by spaces."""
    from ..report.csv_out import csv_text  # text that would run as a formula starts with '

    rows = []
    for a in actions:
        data = a.model_dump(mode="json")
        data["items"] = " ".join(str(i) for i in a.items)
        rows.append([data[c] for c in CSV_COLUMNS])
    return csv_text(CSV_COLUMNS, rows, bom=False)


def _points(value: Decimal) -> str:
    return f"{value:+.2f}".rstrip("0").rstrip(".")


class Plan:
    """An organisation's actions with, per action, how its items moved from the self-check it was
    planned from to the organisation's latest completed self-check (when both exist)."""

    def __init__(self, store: TinyStore, lib: Library, org: str, actions: list[Action]):
        self.org, self.actions, self.lib = org, actions, lib
        self.latest: Session | None = None
        self._results: dict[str, Any] = {}
        self.moves: dict[str, list[ItemMove]] = {}
        self.problems: list[str] = []
        if any(a.session for a in actions):
            self._compare(store)

    def _scores(self, session: Session) -> Any:
        from ..domain.evaluate import evaluate

        if session.id not in self._results:
            self._results[session.id] = evaluate(self.lib, session, count=0).banks
        return self._results[session.id]

    def _compare(self, store: TinyStore) -> None:
        from ..domain.actions import moves
        from ..domain.history import same_track

        try:
            sessions = store.sessions(org=self.org)
        except StoreError as e:  # a damaged session file: the plan is still shown, without the moves
            self.problems.append(str(e))
            return
        usable = [s for s in sessions if all(b in self.lib.banks for b in s.banks)]
        completed = [s for s in same_track(usable) if s.status == "completed"]
        if not completed:
            return
        self.latest = completed[-1]
        by_id = {s.id: s for s in usable}
        for a in self.actions:
            before = by_id.get(a.session or "")
            if before is None or before.id == self.latest.id or before.created > self.latest.created:
                continue
            self.moves[a.id] = moves(a, self._scores(before), self._scores(self.latest))

    def to_json(self) -> dict[str, Any]:
        from ..domain.results import num

        rows = []
        for a in self.actions:
            row = a.model_dump(mode="json")
            found = self.moves.get(a.id)
            row["moves"] = None if found is None else [
                {"item": m.item.model_dump(), "before_level": m.before_level, "after_level": m.after_level,
                 "before_earned": num(m.before_earned), "after_earned": num(m.after_earned), "delta": num(m.delta)}
                for m in found]
            rows.append(row)
        return {"org": self.org, "counts": counts(self.actions),
                "latest_session": self.latest.id if self.latest and self.moves else None, "actions": rows}

    def view(self, lang: str, header: bool = True) -> Any:
        """A Rich table that fits 80 columns; user text is shown as text, never as markup."""
        from rich import box
        from rich.console import Group
        from rich.table import Table
        from rich.text import Text

        parts: list[Any] = []
        if header:
            parts.append(Text(printable(t("actions.title", lang, org=self.org)), style="bold"))
            if not self.actions:
                parts.append(Text(printable(t("actions.none", lang, org=self.org)) + "\n" + t("actions.none.cli", lang)))
                return Group(*parts)
            parts.append(Text(t("actions.counts", lang, **counts(self.actions))))
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
        table.add_column(t("actions.col.id", lang), no_wrap=True)
        table.add_column(t("actions.col.status", lang), no_wrap=True)
        table.add_column(t("actions.col.due", lang), no_wrap=True)
        table.add_column(t("actions.col.owner", lang), overflow="fold", max_width=10)
        table.add_column(t("actions.col.items", lang), overflow="fold", ratio=2)
        table.add_column(t("actions.col.what", lang), overflow="fold", ratio=3)
        for a in self.actions:
            table.add_row(a.id, Text(t(f"actions.status.{a.status}", lang), style=STATUS_STYLES[a.status]),
                          a.due.isoformat() if a.due else "", Text(printable(a.owner)),
                          self._items_cell(a), self._what_cell(a, lang))
        parts.append(table)
        if self.moves and self.latest is not None:
            note = t("actions.moves", lang, session=self.latest.id, date=f"{self.latest.created:%Y-%m-%d}")
            parts.append(Text(note, style="dim"))
        return Group(*parts)

    def _items_cell(self, a: Action) -> Any:
        from rich.text import Text

        cell = Text()
        found = {m.item: m for m in self.moves.get(a.id, [])}
        for n, ref in enumerate(a.items):
            cell.append(("\n" if n else "") + printable(short_item(self.lib, ref)))
            m = found.get(ref)
            if m is not None:
                b = "–" if m.before_level is None else str(m.before_level)
                after = "–" if m.after_level is None else str(m.after_level)
                delta = "" if not m.delta else f" {_points(m.delta)}"
                style = "green" if (m.delta or 0) > 0 else "red" if (m.delta or 0) < 0 else "dim"
                cell.append(f" {b}→{after}{delta}", style=style)
        return cell

    def _what_cell(self, a: Action, lang: str) -> Any:
        from rich.text import Text

        cell = Text(printable(a.what))
        if a.note:
            cell.append("\n" + printable(t("actions.note", lang, note=a.note)), style="dim italic")
        if a.method:
            cell.append("\n" + t("actions.method", lang, method=printable(a.method)), style="dim")
        return cell


STATUS_STYLES = {"planned": "", "doing": "yellow", "done": "green", "dropped": "dim strike"}

