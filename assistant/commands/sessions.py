"""`selfcheck sessions list|reindex`: the stored sessions, and rebuilding the store's index."""

from __future__ import annotations

import argparse
import sys

from ..i18n import t
from .common import dumps, emit, one_line, print_rich

NAME = "sessions"


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser, lang: str = "zh") -> None:
    sessions = sub.add_parser(NAME, parents=[common], help=t("cli.sessions", lang))
    ssub = sessions.add_subparsers(dest="sessions_command", metavar="ACTION", required=True)
    sl = ssub.add_parser("list", parents=[common], help=t("cli.sessions.list", lang))
    sl.add_argument("--org", metavar="ORG", help=t("cli.sessions.org", lang))
    sl.add_argument("--format", choices=["text", "json"], default="text", help=t("cli.format", lang))
    ssub.add_parser("reindex", parents=[common], help=t("cli.sessions.reindex", lang))


def run(args: argparse.Namespace) -> int:
    from ..store import open_store

    store = open_store(args.db)
    if args.sessions_command == "reindex":
        n = store.reindex()
        print(t("cli.reindexed", args.lang, n=n))
        return 0
    from rich.table import Table
    from rich.text import Text

    from ..i18n_errors import localise
    from ..printable import clipped, printable

    rows = store.list_sessions(args.org)
    for problem in store.problems:  # a damaged session file left out, a rebuilt index: say so, go on
        print(t("cli.warning", args.lang, message=one_line(localise(problem, args.lang))), file=sys.stderr)
    if args.format == "json":
        emit(dumps([{k: v for k, v in s.to_json().items() if k not in ("role", "scores")} for s in rows]), None)
        return 0
    lang = args.lang
    if not rows:
        print(t("sessions.none", lang))
        return 0
    table = Table(show_edge=False)
    table.add_column(t("session", lang), no_wrap=True, min_width=15)
    table.add_column(t("col.org", lang), ratio=2, overflow="fold", min_width=10)
    table.add_column(t("col.by", lang), ratio=1, overflow="fold", min_width=7)
    table.add_column(t("status", lang), no_wrap=True)
    table.add_column(t("created", lang), no_wrap=True)
    table.add_column(t("col.answered_short", lang), justify="right", no_wrap=True)
    for s in rows:
        # names as stored, however long (a session stored before there were limits): clipped for the table
        sid = Text(s.session_id)
        if s.kind == "consensus":  # a workshop's agreed result, not one respondent's self-check
            sid.append("\n" + t("consensus.kind.mark", lang), style="cyan")
        table.add_row(sid, Text(printable(clipped(s.org))), Text(printable(clipped(s.respondent))),
                      t(f"status.{s.status}", lang), s.created.astimezone().strftime("%Y-%m-%d %H:%M"),
                      str(s.answered))
    print_rich(table)
    return 0
