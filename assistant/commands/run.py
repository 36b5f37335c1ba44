"""`selfcheck run --answers FILE`: score an answers file (the four flows, or any banks), store it as
a completed session and print the result."""

from __future__ import annotations

import argparse
import sys

from ..domain.choices import SECTORS
from ..errors import EXIT_STORE, UserError
from ..i18n import t
from .common import library, read_text
from .report import result_output

NAME = "run"
# everything run() writes is closed when it returns (the store's files, --out), and it frees little: the
# program may run it without garbage collection and end without freeing its memory (assistant/fast_exit.py)
FAST_EXIT = True


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser, lang: str = "zh") -> None:
    p = sub.add_parser(NAME, parents=[common], help=t("cli.run", lang), description=t("cli.run.description", lang))
    p.add_argument("--answers", required=True, metavar="FILE", help=t("cli.run.answers", lang))
    p.add_argument("--rules", choices=["clause-text", "table-rows"], default="clause-text", help=t("cli.rules", lang))
    p.add_argument("--format", choices=["text", "json", "md"], default="text", help=t("cli.format", lang))
    p.add_argument("--out", metavar="FILE", help=t("cli.out", lang))
    p.add_argument("--suggestions", type=int, default=5, metavar="N", help=t("cli.suggestions", lang))
    p.add_argument("--sector", choices=list(SECTORS), default=None, help=t("cli.sector", lang))


def run(args: argparse.Namespace) -> int:
    from ..domain.answers_file import AnswersFileError, parse_answers_file
    from ..domain.evaluate import evaluate
    from ..store import open_store
    from .common import OutputError, check_out

    lib = library()
    source = t("cli.stdin", args.lang) if args.answers == "-" else args.answers
    text = read_text(args.answers, args.lang)
    try:
        parsed = parse_answers_file(text, lib, source)
    except AnswersFileError as e:
        raise UserError(e.say(args.lang)) from None
    if args.suggestions < 0:
        raise UserError(t("cli.err.suggestions", args.lang))
    if args.out and args.out != "-":  # fail before anything is stored (exit 2 promises nothing was)
        check_out(args.out, args.lang, store=args.db)  # never into the store folder
        try:
            with open(args.out, "a", encoding="utf-8"):
                pass
        except OSError as e:
            raise UserError(t("cli.err.write", args.lang, path=args.out, error=e.strerror or e)) from None
    store = open_store(args.db)
    session = store.create_session(
        parsed.org, {b.id: b.version for b in lib.banks.values() if b.id in parsed.answers}, parsed.respondent,
        rules_profile=args.rules, lang=args.lang, answers=parsed.answers, status="completed", sector=args.sector,
    )
    result = evaluate(lib, session, args.suggestions)
    try:
        result_output(result, lib, args.format, args.out, session.created.isoformat(timespec="seconds"))
    except (OutputError, OSError) as e:  # the session is stored: say so (exit 1), never that nothing was
        if isinstance(e, BrokenPipeError):  # a reader that stopped early (| head): not an error
            raise
        if not isinstance(e, OutputError):  # the standard output itself, e.g. on a full disk
            from ..i18n_errors import localise

            e = t("cli.err.write", args.lang, path=t("cli.stdout", args.lang), error=localise(e.strerror or str(e), args.lang))
        stored = t("stored", args.lang, id=session.id, path=store.root)
        raise UserError(f"{e}{'。' if args.lang == 'zh' else '. '}{stored}", EXIT_STORE) from None
    if args.format != "json" or args.out:
        print(t("stored", args.lang, id=session.id, path=store.root), file=sys.stderr)
    return 0
