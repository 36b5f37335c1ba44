"""`selfcheck import FILE…`: sessions from exchange files into the store, every file checked first."""

from __future__ import annotations

import argparse

from ..errors import UserError
from ..i18n import t
from .common import library, one_line, read_text

NAME = "import"


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser, lang: str = "zh") -> None:
    p = sub.add_parser(NAME, parents=[common], help=t("cli.import", lang))
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--workshop", metavar="NAME", help=t("cli.import.workshop", lang))


def run(args: argparse.Namespace) -> int:
    from ..domain.exchange import ExchangeError, parse_document
    from ..store import SessionNotFound, open_store

    lib = library()
    store = open_store(args.db)
    workshop = store.get_workshop(args.workshop) if args.workshop else None
    parsed = []
    for f in args.files:  # every file is checked before anything is stored
        text = read_text(f, args.lang)
        try:
            session = parse_document(text, lib, f)
        except ExchangeError as e:
            raise UserError(e.say(args.lang)) from None
        if workshop and session.org != workshop["org"]:
            raise UserError(t("cli.err.import_org", args.lang, file=f, org=session.org, workshop_org=workshop["org"]))
        if workshop and session.kind == "consensus":  # the group's agreed result would count as nobody
            raise UserError(t("consensus.err.import", args.lang, file=f, session=session.id, of=session.consensus_of or "—"))
        parsed.append((f, session))
    for f, session in parsed:
        # a session joins a workshop only when the facilitator names it (the file's workshop is the
        # participant's word; its role, what they said they are, is kept); one already in the store
        # keeps the membership it has
        try:
            known = store.get_session(session.id)
        except SessionNotFound:
            known = None
        if known is not None and known.id != session.id:  # a longer id of which this one is a prefix
            known = None
        if workshop:
            session = session.model_copy(update={"workshop": workshop["name"]})
        elif known is not None and known.org == session.org:
            session = session.model_copy(update={"workshop": known.workshop, "role": known.role})
        else:
            session = session.model_copy(update={"workshop": None})
        outcome = store.put_session(session)
        if workshop:
            store.set_workshop(session.id, workshop["name"])
        print(one_line(f"{outcome:9}  {session.id}  {session.org}  ({f})"))
    return 0
