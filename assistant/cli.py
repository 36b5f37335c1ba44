"""The command line: `selfcheck COMMAND …`; bare `selfcheck` opens the chat app.

Each command is a module of assistant/commands/ (NAME, register, run), listed once in
`_command_modules`. Parsing imports only those modules, whose heavy imports (pydantic models, the
store, reports, Textual) wait inside run(): `--help`, `--version` and a bad argument cost little more
than starting Python (tests/test_startup.py).
Exit codes: 0 done, 1 the store cannot be used, 2 bad input (nothing stored).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, Sequence

from . import __version__
from .commands.common import one_line
from .errors import EXIT_INPUT, EXIT_STORE, UserError
from .i18n import t
from .i18n_cli import Parser, argparse_in, lang_of_argv
from .store import SessionNotFound, StoreError, WorkshopError

# errors of modules a command may have loaded that are the user's input at fault (exit 2); looked up
# only when loaded: an exception of a module never imported cannot have been raised
_INPUT_ERRORS = (("assistant.domain.loader", "UnknownBank"), ("assistant.domain.limits", "TooLong"))


def _parser(lang: str = "zh", only: str | None = None) -> argparse.ArgumentParser:
    """The parser, its help texts in `lang` (argparse's own texts: run it inside i18n_cli.argparse_in);
    with `only`, of that command alone (building every command's parser costs about 2 ms more)."""
    common = Parser(add_help=False)  # Parser's formatter: argparse's own would import shutil for the width
    common.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS,
                        help=t("cli.db", lang))
    # on every command, before or after its name; report and chat default to the session's language
    common.add_argument("--lang", choices=["zh", "en"], default=argparse.SUPPRESS,
                        help=t("cli.lang", lang))
    p = Parser(
        prog="selfcheck", parents=[common],
        description=t("cli.description", lang), epilog=t("cli.epilog", lang),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"selfcheck {__version__}",
                   help=t("cli.version", lang))
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for module in _command_modules():
        if only is None or module.NAME == only:
            module.register(sub, common, lang)
    return p


def _command_modules() -> list[Any]:
    """The commands, in the order `--help` lists them: modules of assistant/commands/, each with its
    NAME, register(subparsers, common, lang) and run(args)."""
    from .commands import (actions, banks, chat, compare, export, history, importing, pack, plan, report, run, serve,
                           sessions, store_copy, workshop)

    return [run, banks, sessions, report, history, compare, export, importing, serve, serve.Participant, chat,
            workshop, plan, actions, store_copy, pack]


def _input_error(e: BaseException) -> bool:
    kinds = tuple(getattr(sys.modules[m], name) for m, name in _INPUT_ERRORS if m in sys.modules)
    return isinstance(e, (SessionNotFound, WorkshopError, *kinds))


def main(argv: Sequence[str] | None = None) -> int:
    program = argv is None  # the program itself (not a call in a test or a benchmark)
    argv = list(sys.argv[1:] if argv is None else argv)
    # the language of the help and of the messages before a session's is known: --lang, else zh
    early = lang_of_argv(argv) or "zh"
    # `selfcheck COMMAND …`: the first word can only be the command, so only its parser is needed (any
    # other form, e.g. an option first or an unknown command, gets the whole parser and its messages)
    only = argv[0] if argv and argv[0] in {m.NAME for m in _command_modules()} else None
    with argparse_in(early):
        args = _parser(early, only).parse_args(argv)
    if not hasattr(args, "db"):
        args.db = None
    args.lang = getattr(args, "lang", None)
    if args.command not in (None, "report", "chat", "pack", "plan"):  # these default to the session's language
        args.lang = args.lang or "zh"
    if args.db is None:
        from .store import default_path

        args.db = str(default_path())
    modules = {m.NAME: m for m in _command_modules()}

    def error(message: object) -> None:
        from .i18n_errors import localise

        lang = args.lang or early
        print(t("cli.error", lang, message=one_line(localise(str(message), lang))), file=sys.stderr)

    command = modules[args.command or "chat"]
    try:
        if program and getattr(command, "FAST_EXIT", False):
            from . import fast_exit

            return fast_exit.run(command, args)  # when it succeeds, the process ends there
        return command.run(args)
    except UserError as e:
        error(e)
        return e.code
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as e:
        if _input_error(e):
            error(e)
            return EXIT_INPUT
        if isinstance(e, StoreError):
            error(e)
            return EXIT_STORE
        raise
