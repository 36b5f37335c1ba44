"""`selfcheck export SESSION_ID --out FILE`: one session as an exchange file (optionally sanitised)."""

from __future__ import annotations

import argparse

from ..i18n import t
from .common import dumps, emit

NAME = "export"


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser, lang: str = "zh") -> None:
    p = sub.add_parser(NAME, parents=[common], help=t("cli.export", lang))
    p.add_argument("session_id", metavar="SESSION_ID", help=t("cli.session_id", lang))
    p.add_argument("--out", required=True, metavar="FILE", help=t("cli.out", lang))
    p.add_argument("--sanitise", "--sanitize", action="store_true", help=t("cli.export.sanitise", lang))


def run(args: argparse.Namespace) -> int:
    from datetime import datetime, timezone

    from ..domain.exchange import export_document
    from ..store import open_store

    session = open_store(args.db).get_session(args.session_id)
    doc = export_document(session, datetime.now(timezone.utc).astimezone(), args.sanitise)
    emit(dumps(doc), args.out)
    return 0
