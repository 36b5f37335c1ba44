"""`selfcheck history --org ORG`: an organisation's self-checks over time, with the actions done in each cycle."""

from __future__ import annotations

import argparse

from ..errors import UserError
from ..i18n import t
from .common import dumps, emit, library, print_rich

NAME = "history"


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser, lang: str = "zh") -> None:
    p = sub.add_parser(NAME, parents=[common], help=t("cli.history", lang))
    p.add_argument("--org", required=True, metavar="ORG", help=t("cli.sessions.org", lang))
    p.add_argument("--format", choices=["text", "json", "xlsx"], default="text", help=t("cli.format", lang))
    p.add_argument("--out", metavar="FILE", help=t("cli.out", lang))


def run(args: argparse.Namespace) -> int:
    from datetime import datetime, timezone

    from ..domain.actions import done_between, per_cycle
    from ..domain.history import history_of_summaries, same_track
    from ..store import open_store

    lib = library()
    store = open_store(args.db)
    # the summaries carry each session's scores (kept by the store): no session is read or scored
    summaries = same_track(store.list_sessions(args.org, scored=True))
    rows = history_of_summaries(lib, summaries, store.get_session, args.lang)
    if not rows:
        raise UserError(t("cli.err.no_sessions_of", args.lang, org=args.org))
    actions = store.list_actions(args.org)
    done = per_cycle(actions, [r.created for r in rows])
    if args.format == "xlsx":
        from . import office_out

        return office_out.history(rows, lib, actions, done, args)
    if args.format == "json":
        emit(dumps([{**r.to_json(), "actions_done": [a.id for a in d]} for r, d in zip(rows, done)]), None)
    else:
        from ..report.text import history_table

        print_rich(history_table(rows, lib, args.lang, done))
        since = done_between(actions, rows[-1].created, datetime.now(timezone.utc))
        open_n = sum(1 for a in actions if a.is_open)
        if actions:
            print(t("history.actions", args.lang, open=open_n, since=len(since)))
    return 0
