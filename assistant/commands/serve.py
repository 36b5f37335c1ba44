"""`selfcheck serve --workshop NAME`: the workshop room in browsers; and `participant`, what it runs for
each browser (not listed among the commands: it is not for people)."""

from __future__ import annotations

import argparse

from ..errors import UserError
from ..i18n import t
from .common import library

NAME = "serve"


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser, lang: str = "zh") -> None:
    p = sub.add_parser(NAME, parents=[common], help=t("cli.serve", lang), description=t("cli.serve.description", lang))
    p.add_argument("--workshop", required=True, metavar="NAME")
    p.add_argument("--host", default="127.0.0.1", help=t("cli.serve.host", lang))
    p.add_argument("--port", type=int, default=8000, help=t("cli.serve.port", lang))
    p.add_argument("--public-url", metavar="URL", help=t("cli.serve.public_url", lang))
    p.add_argument("--join-code", metavar="CODE", help=t("cli.serve.join_code", lang))
    p.add_argument("--max-participants", type=int, metavar="N", help=t("cli.serve.max_participants", lang))


def run(args: argparse.Namespace) -> int:
    from ..serve import serve
    from ..store import open_store

    store = open_store(args.db)
    workshop = store.get_workshop(args.workshop)
    if args.max_participants is not None and args.max_participants < 1:
        raise UserError(t("cli.err.max_participants", args.lang))
    try:
        return serve(store, workshop, args.host, args.port, args.join_code, args.lang, args.public_url,
                     args.max_participants)
    except OSError as e:
        raise UserError(t("cli.err.serve", args.lang, host=args.host, port=args.port, error=e.strerror or e)) from None


class Participant:
    """`selfcheck participant`: one browser's app in the room."""

    NAME = "participant"

    @staticmethod
    def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser, lang: str = "zh") -> None:
        p = sub.add_parser(Participant.NAME, parents=[common])
        p.add_argument("--workshop", required=True, metavar="NAME")
        p.add_argument("--session", metavar="SESSION_ID")
        p.add_argument("--resumed", action="store_true")
        sub._choices_actions = [a for a in sub._choices_actions if a.dest != Participant.NAME]

    @staticmethod
    def run(args: argparse.Namespace) -> int:
        from ..store import open_store
        from ..tui.launch import participant

        store = open_store(args.db)
        return participant(store, library(), store.get_workshop(args.workshop), args.lang, args.session,
                           args.resumed)
