"""`selfcheck chat` (and bare `selfcheck`): the chat app in the terminal."""

from __future__ import annotations

import argparse

from ..domain.choices import SECTORS
from ..i18n import t

NAME = "chat"


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser, lang: str = "zh") -> None:
    p = sub.add_parser(NAME, parents=[common], help=t("cli.chat", lang))
    p.add_argument("--org", metavar="ORG", help=t("cli.chat.org", lang))
    p.add_argument("--respondent", metavar="NAME", default="", help=t("cli.chat.respondent", lang))
    p.add_argument("--bank", metavar="BANK_ID", nargs="+", help=t("cli.chat.bank", lang))
    p.add_argument("--resume", metavar="SESSION_ID", help=t("cli.chat.resume", lang))
    p.add_argument("--rules", choices=["clause-text", "table-rows"], default="clause-text", help=t("cli.rules", lang))
    p.add_argument("--workshop", metavar="NAME", help=t("cli.chat.workshop", lang))
    p.add_argument("--role", metavar="ROLE", help=t("cli.chat.role", lang))
    p.add_argument("--sector", choices=list(SECTORS), default=None, help=t("cli.sector", lang))
    p.add_argument("--from", dest="baseline", metavar="SESSION_ID", help=t("cli.chat.from", lang))


def run(args: argparse.Namespace) -> int:
    from ..tui.launch import launch

    return launch(args)
