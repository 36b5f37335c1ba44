"""The command line: `selfcheck run | banks | sessions | report | chat`; bare `selfcheck` opens the chat app.

Headless commands never import Textual (start-up stays fast); the app is imported only to run it.
Exit codes: 0 done, 1 the store cannot be used, 2 bad input (nothing stored).
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone
from typing import Any, Sequence

from . import __version__
from .domain.answers_file import AnswersFileError, parse_answers_file
from .domain.answers import TooLong
from .domain.bank import SECTORS, Bank, Catalogue
from .domain.loader import BankError, Library, UnknownBank, load_library, validate
from .commands.common import dumps as _dumps
from .commands.common import emit as _emit
from .commands.common import library as _library
from .commands.common import one_line
from .commands.common import print_rich as _print_rich
from .commands.common import read_text as _read_text
from .commands.common import rich_text as _rich_text
from .errors import EXIT_INPUT, EXIT_STORE, UserError
from .i18n import t
from .i18n_cli import Parser, argparse_in, lang_of_argv
from .i18n_errors import localise
from .printable import clipped, printable
from .store import SessionNotFound, StoreError, WorkshopError, default_path, open_store

def _parser(lang: str = "zh") -> argparse.ArgumentParser:
    """The parser, its help texts in `lang` (argparse's own texts: run it inside i18n_cli.argparse_in)."""
    common = argparse.ArgumentParser(add_help=False)
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

    run = sub.add_parser("run", parents=[common], help=t("cli.run", lang),
                         description=t("cli.run.description", lang))
    run.add_argument("--answers", required=True, metavar="FILE", help=t("cli.run.answers", lang))
    run.add_argument("--rules", choices=["clause-text", "table-rows"], default="clause-text",
                     help=t("cli.rules", lang))
    run.add_argument("--format", choices=["text", "json", "md"], default="text", help=t("cli.format", lang))
    run.add_argument("--out", metavar="FILE", help=t("cli.out", lang))
    run.add_argument("--suggestions", type=int, default=5, metavar="N", help=t("cli.suggestions", lang))
    run.add_argument("--sector", choices=list(SECTORS), default=None, help=t("cli.sector", lang))

    banks = sub.add_parser("banks", parents=[common], help=t("cli.banks", lang))
    bsub = banks.add_subparsers(dest="banks_command", metavar="ACTION", required=True)
    bl = bsub.add_parser("list", parents=[common], help=t("cli.banks.list", lang))
    bl.add_argument("--format", choices=["text", "json"], default="text", help=t("cli.format", lang))
    bs = bsub.add_parser("show", parents=[common], help=t("cli.banks.show", lang))
    bs.add_argument("bank_id", metavar="BANK_ID")
    bs.add_argument("--format", choices=["text", "json"], default="text", help=t("cli.format", lang))
    bv = bsub.add_parser("validate", parents=[common], help=t("cli.banks.validate", lang))
    bv.add_argument("paths", nargs="+", metavar="PATH")

    sessions = sub.add_parser("sessions", parents=[common], help=t("cli.sessions", lang))
    ssub = sessions.add_subparsers(dest="sessions_command", metavar="ACTION", required=True)
    sl = ssub.add_parser("list", parents=[common], help=t("cli.sessions.list", lang))
    sl.add_argument("--org", metavar="ORG", help=t("cli.sessions.org", lang))
    sl.add_argument("--format", choices=["text", "json"], default="text", help=t("cli.format", lang))
    ssub.add_parser("reindex", parents=[common], help=t("cli.sessions.reindex", lang))

    rep = sub.add_parser("report", parents=[common], help=t("cli.report", lang))
    rep.add_argument("session_id", metavar="SESSION_ID", help=t("cli.session_id", lang))
    rep.add_argument("--format", choices=["text", "json", "md", "html"], default="text", help=t("cli.format", lang))
    rep.add_argument("--out", metavar="FILE", help=t("cli.out", lang))
    rep.add_argument("--rules", choices=["clause-text", "table-rows"], default=None, help=t("cli.rules.session", lang))

    hist = sub.add_parser("history", parents=[common], help=t("cli.history", lang))
    hist.add_argument("--org", required=True, metavar="ORG", help=t("cli.sessions.org", lang))
    hist.add_argument("--format", choices=["text", "json"], default="text", help=t("cli.format", lang))

    cmp_ = sub.add_parser("compare", parents=[common], help=t("cli.compare", lang))
    cmp_.add_argument("before", metavar="A", help=t("cli.compare.a", lang))
    cmp_.add_argument("after", metavar="B", help=t("cli.compare.b", lang))
    cmp_.add_argument("--format", choices=["text", "json", "md"], default="text", help=t("cli.format", lang))
    cmp_.add_argument("--out", metavar="FILE", help=t("cli.out", lang))

    ex = sub.add_parser("export", parents=[common], help=t("cli.export", lang))
    ex.add_argument("session_id", metavar="SESSION_ID", help=t("cli.session_id", lang))
    ex.add_argument("--out", required=True, metavar="FILE", help=t("cli.out", lang))
    ex.add_argument("--sanitise", "--sanitize", action="store_true",
                    help=t("cli.export.sanitise", lang))
    im = sub.add_parser("import", parents=[common], help=t("cli.import", lang))
    im.add_argument("files", nargs="+", metavar="FILE")
    im.add_argument("--workshop", metavar="NAME", help=t("cli.import.workshop", lang))

    srv = sub.add_parser("serve", parents=[common], help=t("cli.serve", lang),
                         description=t("cli.serve.description", lang))
    srv.add_argument("--workshop", required=True, metavar="NAME")
    srv.add_argument("--host", default="127.0.0.1",
                     help=t("cli.serve.host", lang))
    srv.add_argument("--port", type=int, default=8000, help=t("cli.serve.port", lang))
    srv.add_argument("--public-url", metavar="URL", help=t("cli.serve.public_url", lang))
    srv.add_argument("--join-code", metavar="CODE", help=t("cli.serve.join_code", lang))
    srv.add_argument("--max-participants", type=int, metavar="N", help=t("cli.serve.max_participants", lang))
    # what `serve` runs for each browser; not for people, so left out of the command list
    part = sub.add_parser("participant", parents=[common])
    part.add_argument("--workshop", required=True, metavar="NAME")
    part.add_argument("--session", metavar="SESSION_ID")
    part.add_argument("--resumed", action="store_true")
    sub._choices_actions = [a for a in sub._choices_actions if a.dest != "participant"]

    chat = sub.add_parser("chat", parents=[common], help=t("cli.chat", lang))
    chat.add_argument("--org", metavar="ORG", help=t("cli.chat.org", lang))
    chat.add_argument("--respondent", metavar="NAME", default="", help=t("cli.chat.respondent", lang))
    chat.add_argument("--bank", metavar="BANK_ID", nargs="+", help=t("cli.chat.bank", lang))
    chat.add_argument("--resume", metavar="SESSION_ID", help=t("cli.chat.resume", lang))
    chat.add_argument("--rules", choices=["clause-text", "table-rows"], default="clause-text", help=t("cli.rules", lang))
    chat.add_argument("--workshop", metavar="NAME", help=t("cli.chat.workshop", lang))
    chat.add_argument("--role", metavar="ROLE", help=t("cli.chat.role", lang))
    chat.add_argument("--sector", choices=list(SECTORS), default=None, help=t("cli.sector", lang))
    chat.add_argument("--from", dest="baseline", metavar="SESSION_ID", help=t("cli.chat.from", lang))
    for module in _command_modules():
        module.register(sub, common, lang)
    return p


def _command_modules() -> list[Any]:
    """The commands that live in modules of their own (assistant/commands/), each with its
    NAME, register(subparsers, common) and run(args)."""
    from .commands import actions, plan, workshop

    return [workshop, plan, actions]


def _result_output(result: Any, library: Library, fmt: str, out: str | None, created: str) -> None:
    if fmt == "json":
        _emit(_dumps(result.to_json()), out, result.lang)
    elif fmt == "md":
        from .report import markdown

        _emit(markdown.render(result, library, created), out, result.lang)
    else:
        from .report import text

        renderable = text.render(result, library, created)
        if out:
            _emit(_rich_text(renderable), out, result.lang)
        else:
            _print_rich(renderable)


# -- commands ------------------------------------------------------------------------------


def cmd_run(args: argparse.Namespace) -> int:
    from .domain.evaluate import evaluate

    library = _library()
    source = t("cli.stdin", args.lang) if args.answers == "-" else args.answers
    text = _read_text(args.answers, args.lang)
    try:
        parsed = parse_answers_file(text, library, source)
    except AnswersFileError as e:
        raise UserError(e.say(args.lang)) from None
    if args.suggestions < 0:
        raise UserError(t("cli.err.suggestions", args.lang))
    from .commands.common import OutputError, check_out

    if args.out and args.out != "-":  # fail before anything is stored (exit 2 promises nothing was)
        check_out(args.out, args.lang, store=args.db)  # never into the store folder
        try:
            with open(args.out, "a", encoding="utf-8"):
                pass
        except OSError as e:
            raise UserError(t("cli.err.write", args.lang, path=args.out, error=e.strerror or e)) from None
    store = open_store(args.db)
    session = store.create_session(
        parsed.org, {b.id: b.version for b in library.banks.values() if b.id in parsed.answers}, parsed.respondent,
        rules_profile=args.rules, lang=args.lang, answers=parsed.answers, status="completed", sector=args.sector,
    )
    result = evaluate(library, session, args.suggestions)
    try:
        _result_output(result, library, args.format, args.out, session.created.isoformat(timespec="seconds"))
    except OutputError as e:  # the session is stored: say so (exit 1), never that nothing was
        stored = t("stored", args.lang, id=session.id, path=store.root)
        raise UserError(f"{e}{'。' if args.lang == 'zh' else '. '}{stored}", EXIT_STORE) from None
    if args.format != "json" or args.out:
        print(t("stored", args.lang, id=session.id, path=store.root), file=sys.stderr)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from .domain.evaluate import evaluate

    library = _library()
    store = open_store(args.db)
    session = store.get_session(args.session_id)
    missing = [b for b in session.banks if b not in library.banks]
    if missing:
        raise UserError(t("cli.err.bank_missing", args.lang or "zh", session=session.id, bank=missing[0]))
    if args.lang:
        session = session.model_copy(update={"lang": args.lang})
    if args.rules:
        session = session.model_copy(update={"rules_profile": args.rules})
    result = evaluate(library, session)
    if args.format in ("md", "html"):
        _emit(_full_report(store, library, session, result, args.format), args.out, result.lang)
        return 0
    _result_output(result, library, args.format, args.out, session.created.isoformat(timespec="seconds"))
    return 0


def _full_report(store: Any, library: Library, session: Any, result: Any, fmt: str) -> str:
    from datetime import datetime, timezone

    from .report import document

    data = document.report_data(store, library, session, result, datetime.now(timezone.utc).astimezone())
    return document.html(data) if fmt == "html" else document.markdown(data)


def bank_json(item: Bank | Catalogue) -> dict[str, Any]:
    """SCORING.md §9: the bank as the program loaded it."""
    if isinstance(item, Catalogue):
        return {
            "id": item.id, "version": item.version,
            "areas": [
                {"id": a.id, "title": {"zh": a.title.zh, "en": a.title.en},
                 "methods": [{"id": m.id, "letter": m.letter, "text": {"zh": m.text.zh, "en": m.text.en}}
                             for m in a.methods]}
                for a in item.areas
            ],
        }
    return {
        "id": item.id, "version": item.version, "kind": item.kind,
        "title": {"zh": item.title.zh, "en": item.title.en}, "source": item.source,
        "sections": [
            {"id": s.id, "title": {"zh": s.title.zh, "en": s.title.en},
             "questions": [
                 {"id": q.id, "clause": q.clause, "kind": q.kind.value, "max_points": float(q.max_points),
                  "required": q.required, "methods": list(q.methods or [])}
                 for q in s.questions
             ]}
            for s in item.sections
        ],
    }


def cmd_banks(args: argparse.Namespace) -> int:
    from rich.table import Table
    from rich.text import Text
    from rich.tree import Tree

    if args.banks_command == "validate":
        try:
            shipped = load_library()
        except BankError:
            shipped = None  # the installed banks are broken themselves: check the files on their own
        try:
            good, problems = validate(args.paths, shipped)
        except BankError as e:
            raise UserError(str(e)) from None
        for problem in problems:  # every problem, each on its own line naming its file
            print(t("cli.error", args.lang, message=one_line(localise(problem, args.lang))), file=sys.stderr)
        if problems:
            return EXIT_INPUT
        for path, bank_id in good:
            print(f"ok  {bank_id}  {path}")
        return 0
    library = _library()
    items: dict[str, Bank | Catalogue] = {**library.banks, library.catalogue.id: library.catalogue}
    lang = args.lang
    if args.banks_command == "list":
        if args.format == "json":
            rows = [{"id": i.id, "version": i.version, "title": {"zh": i.title.zh, "en": i.title.en},
                     "source": i.source, "questions": len(i.questions) if isinstance(i, Bank) else None,
                     "total_points": float(i.total_points) if isinstance(i, Bank) else None,
                     "file": library.files[i.id].name} for i in items.values()]
            _emit(_dumps(rows), None)
            return 0
        table = Table(show_edge=False)
        table.add_column(t("cli.banks.id", lang), no_wrap=True)
        for col in ("version", "title", "questions", "points"):
            table.add_column(t(f"cli.banks.{col}", lang))
        for i in items.values():
            is_bank = isinstance(i, Bank)
            table.add_row(Text(i.id), Text(i.version), Text(i.title(lang)), str(len(i.questions)) if is_bank else "—",
                          str(i.total_points) if is_bank else "—")
        _print_rich(table)
        return 0
    if args.bank_id not in items:
        raise UserError(t("cli.err.unknown_bank", lang, bank=args.bank_id, known=", ".join(items)))
    item = items[args.bank_id]
    if args.format == "json":
        _emit(_dumps(bank_json(item)), None)
        return 0
    tree = Tree(Text(f"{item.id} {item.version} — {item.title(lang)}", style="bold"))
    if isinstance(item, Catalogue):
        for a in item.areas:
            branch = tree.add(Text(f"{a.id} {a.title(lang)}"))
            for m in a.methods:
                branch.add(Text(f"{m.letter}) {m.text(lang)}"))
    else:
        for s in item.sections:
            branch = tree.add(Text(f"{s.id} {s.title(lang)}"))
            for q in s.questions:
                pts = f" [{q.max_points}]" if q.kind.scored else ""
                flag = t("cli.banks.derived", lang) if q.derived else ""
                branch.add(Text(f"{q.id} {q.kind.value}{pts}{flag}: {q.text(lang)}"))
    _print_rich(tree)
    return 0


def cmd_sessions(args: argparse.Namespace) -> int:
    store = open_store(args.db)
    if args.sessions_command == "reindex":
        n = store.reindex()
        print(t("cli.reindexed", args.lang, n=n))
        return 0
    from rich.table import Table
    from rich.text import Text

    rows = store.list_sessions(args.org)
    for problem in store.problems:  # a damaged session file left out, a rebuilt index: say so, go on
        print(t("cli.warning", args.lang, message=one_line(localise(problem, args.lang))), file=sys.stderr)
    if args.format == "json":
        _emit(_dumps([{k: v for k, v in s.to_json().items() if k != "role"} for s in rows]), None)
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
        table.add_row(s.session_id, Text(printable(clipped(s.org))), Text(printable(clipped(s.respondent))),
                      t(f"status.{s.status}", lang), s.created.astimezone().strftime("%Y-%m-%d %H:%M"),
                      str(s.answered))
    _print_rich(table)
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    from .domain.history import history, same_track
    from .report.text import history_table

    from .domain.actions import done_between, per_cycle

    library = _library()
    store = open_store(args.db)
    rows = history(library, same_track(store.sessions(org=args.org)), args.lang)
    if not rows:
        raise UserError(t("cli.err.no_sessions_of", args.lang, org=args.org))
    actions = store.list_actions(args.org)
    done = per_cycle(actions, [r.created for r in rows])
    if args.format == "json":
        _emit(_dumps([{**r.to_json(), "actions_done": [a.id for a in d]} for r, d in zip(rows, done)]), None)
    else:
        _print_rich(history_table(rows, library, args.lang, done))
        since = done_between(actions, rows[-1].created, datetime.now(timezone.utc))
        open_n = sum(1 for a in actions if a.is_open)
        if actions:
            print(t("history.actions", args.lang, open=open_n, since=len(since)))
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from .domain.history import compare

    library = _library()
    store = open_store(args.db)
    a, b = store.get_session(args.before), store.get_session(args.after)
    if a.org != b.org:
        raise UserError(t("cli.err.orgs_differ", args.lang, a=a.org, b=b.org))
    cmp = compare(library, a, b, args.lang)
    if args.format == "json":
        _emit(_dumps(cmp.to_json()), args.out, args.lang)
    elif args.format == "md":
        from .report.markdown import comparison_markdown

        _emit(comparison_markdown(cmp, library, args.lang), args.out, args.lang)
    else:
        from .report.text import comparison_view

        if args.out:
            _emit(_rich_text(comparison_view(cmp, library, args.lang)), args.out, args.lang)
        else:
            _print_rich(comparison_view(cmp, library, args.lang))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from datetime import datetime, timezone

    from .domain.exchange import export_document

    session = open_store(args.db).get_session(args.session_id)
    doc = export_document(session, datetime.now(timezone.utc).astimezone(), args.sanitise)
    _emit(_dumps(doc), args.out)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from .domain.exchange import ExchangeError, parse_document

    library = _library()
    store = open_store(args.db)
    workshop = store.get_workshop(args.workshop) if args.workshop else None
    parsed = []
    for f in args.files:  # every file is checked before anything is stored
        text = _read_text(f, args.lang)
        try:
            session = parse_document(text, library, f)
        except ExchangeError as e:
            raise UserError(e.say(args.lang)) from None
        if workshop and session.org != workshop["org"]:
            raise UserError(t("cli.err.import_org", args.lang, file=f, org=session.org, workshop_org=workshop["org"]))
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


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    store = open_store(args.db)
    workshop = store.get_workshop(args.workshop)
    if args.max_participants is not None and args.max_participants < 1:
        raise UserError(t("cli.err.max_participants", args.lang))
    try:
        return serve(store, workshop, args.host, args.port, args.join_code, args.lang, args.public_url,
                     args.max_participants)
    except OSError as e:
        raise UserError(t("cli.err.serve", args.lang, host=args.host, port=args.port, error=e.strerror or e)) from None


def cmd_participant(args: argparse.Namespace) -> int:
    from .tui.launch import participant

    store = open_store(args.db)
    return participant(store, _library(), store.get_workshop(args.workshop), args.lang, args.session, args.resumed)


def cmd_chat(args: argparse.Namespace) -> int:
    from .tui.launch import launch

    return launch(args)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # the language of the help and of the messages before a session's is known: --lang, else zh
    early = lang_of_argv(argv) or "zh"
    with argparse_in(early):
        args = _parser(early).parse_args(argv)
    if not hasattr(args, "db"):
        args.db = None
    args.lang = getattr(args, "lang", None)
    if args.command not in (None, "report", "chat"):
        args.lang = args.lang or "zh"
    if args.db is None:
        args.db = str(default_path())
    handlers = {"run": cmd_run, "report": cmd_report, "banks": cmd_banks, "sessions": cmd_sessions,
                "history": cmd_history, "compare": cmd_compare,
                "export": cmd_export, "import": cmd_import, "serve": cmd_serve, "participant": cmd_participant}
    handlers.update({m.NAME: m.run for m in _command_modules()})

    def error(message: object) -> None:
        lang = args.lang or early
        print(t("cli.error", lang, message=one_line(localise(str(message), lang))), file=sys.stderr)

    try:
        if args.command is None:
            return cmd_chat(args)
        if args.command == "chat":
            return cmd_chat(args)
        return handlers[args.command](args)
    except UserError as e:
        error(e)
        return e.code
    except (SessionNotFound, WorkshopError, UnknownBank, TooLong) as e:
        error(e.args[0] if isinstance(e, UnknownBank) else e)
        return EXIT_INPUT
    except StoreError as e:
        error(e)
        return EXIT_STORE
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
