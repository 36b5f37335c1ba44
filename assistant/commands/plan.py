"""`selfcheck plan SESSION_ID [--target …]`: the fewest item raises that would earn a target grade."""

from __future__ import annotations

import argparse

from ..errors import UserError
from ..i18n import t
from .common import dumps, emit, library, print_rich, rich_text

NAME = "plan"
TARGETS = ["basic", "three-star", "four-star", "five-star"]


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser, lang: str = "zh") -> None:
    p = sub.add_parser(NAME, parents=[common], help=t("cli.plan", lang), description=t("cli.plan.description", lang))
    p.add_argument("session_id", metavar="SESSION_ID", help=t("cli.session_id", lang))
    p.add_argument("--target", choices=TARGETS, default=None, help=t("cli.plan.target", lang))
    p.add_argument("--rules", choices=["clause-text", "table-rows"], default=None, help=t("cli.rules.session", lang))
    p.add_argument("--format", choices=["text", "json", "md"], default="text", help=t("cli.format", lang))
    p.add_argument("--out", metavar="FILE", help=t("cli.out", lang))


def run(args: argparse.Namespace) -> int:
    from ..domain.evaluate import evaluate
    from ..domain.planner import PlanError, plan
    from ..store import open_store

    lib = library()
    session = open_store(args.db).get_session(args.session_id)
    missing = [b for b in session.banks if b not in lib.banks]
    if missing:
        raise UserError(t("cli.err.bank_missing", args.lang or "zh", session=session.id, bank=missing[0]))
    update = {k: v for k, v in (("lang", args.lang), ("rules_profile", args.rules)) if v}
    session = session.model_copy(update=update) if update else session
    try:
        result = plan(lib, session, args.target, evaluate(lib, session, count=0))
    except PlanError as e:
        raise UserError(str(e)) from None
    lang = session.lang
    if args.format == "json":
        emit(dumps(result.to_json()), args.out, lang)
    elif args.format == "md":
        from ..report.plan import render_markdown

        emit(render_markdown(result, lib, lang, session.sector), args.out, lang)
    else:
        from ..report.plan import render_text

        if args.out:
            emit(rich_text(render_text(result, lib, lang, session.sector)), args.out, lang)
        else:
            print_rich(render_text(result, lib, lang, session.sector))
    return 0
