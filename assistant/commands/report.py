"""`selfcheck report SESSION_ID`: a stored session's result, or its management report (md, html)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ..errors import UserError
from ..i18n import t
from .common import dumps, emit, library, print_rich, rich_text

if TYPE_CHECKING:
    from ..domain.loader import Library

NAME = "report"


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser, lang: str = "zh") -> None:
    p = sub.add_parser(NAME, parents=[common], help=t("cli.report", lang))
    p.add_argument("session_id", metavar="SESSION_ID", help=t("cli.session_id", lang))
    p.add_argument("--format", choices=["text", "json", "md", "html", "docx", "xlsx", "csv"], default="text",
                   help=t("cli.format", lang))
    p.add_argument("--out", metavar="FILE", help=t("cli.out", lang))
    p.add_argument("--rules", choices=["clause-text", "table-rows"], default=None, help=t("cli.rules.session", lang))


def result_output(result: Any, lib: Library, fmt: str, out: str | None, created: str) -> None:
    """One session's result as JSON, Markdown or a Rich view (`run` and `report`)."""
    if fmt == "json":
        emit(dumps(result.to_json()), out, result.lang)
    elif fmt == "md":
        from ..report import markdown

        emit(markdown.render(result, lib, created), out, result.lang)
    else:
        from ..report import text

        renderable = text.render(result, lib, created)
        if out:
            emit(rich_text(renderable), out, result.lang)
        else:
            print_rich(renderable)


def run(args: argparse.Namespace) -> int:
    from ..domain.evaluate import evaluate
    from ..store import open_store

    lib = library()
    store = open_store(args.db)
    session = store.get_session(args.session_id)
    missing = [b for b in session.banks if b not in lib.banks]
    if missing:
        raise UserError(t("cli.err.bank_missing", args.lang or "zh", session=session.id, bank=missing[0]))
    if args.lang:
        session = session.model_copy(update={"lang": args.lang})
    if args.rules:
        session = session.model_copy(update={"rules_profile": args.rules})
    result = evaluate(lib, session)
    if args.format in ("docx", "xlsx", "csv"):
        from . import office_out

        return office_out.report(store, lib, session, result, args)
    if args.format in ("md", "html"):
        emit(_full_report(store, lib, session, result, args.format), args.out, result.lang)
        return 0
    result_output(result, lib, args.format, args.out, session.created.isoformat(timespec="seconds"))
    return 0


def _full_report(store: Any, lib: Library, session: Any, result: Any, fmt: str) -> str:
    from datetime import datetime, timezone

    from ..report import document

    data = document.report_data(store, lib, session, result, datetime.now(timezone.utc).astimezone())
    return document.html(data) if fmt == "html" else document.markdown(data)
