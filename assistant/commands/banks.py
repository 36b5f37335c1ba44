"""`selfcheck banks list|show|validate`: the question banks as the program loaded them, and a check of
bank files before they are installed."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from ..errors import EXIT_INPUT, UserError
from ..i18n import t
from .common import dumps, emit, library, one_line, print_rich

if TYPE_CHECKING:
    from ..domain.bank import Bank, Catalogue

NAME = "banks"


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser, lang: str = "zh") -> None:
    banks = sub.add_parser(NAME, parents=[common], help=t("cli.banks", lang))
    bsub = banks.add_subparsers(dest="banks_command", metavar="ACTION", required=True)
    bl = bsub.add_parser("list", parents=[common], help=t("cli.banks.list", lang))
    bl.add_argument("--format", choices=["text", "json"], default="text", help=t("cli.format", lang))
    bs = bsub.add_parser("show", parents=[common], help=t("cli.banks.show", lang))
    bs.add_argument("bank_id", metavar="BANK_ID")
    bs.add_argument("--format", choices=["text", "json"], default="text", help=t("cli.format", lang))
    bv = bsub.add_parser("validate", parents=[common], help=t("cli.banks.validate", lang))
    bv.add_argument("paths", nargs="+", metavar="PATH")


def bank_json(item: Bank | Catalogue) -> dict[str, Any]:
    """SCORING.md §9: the bank as the program loaded it."""
    from ..domain.bank import Catalogue

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
                  "required": q.required, "methods": list(q.methods or []),
                  # where the question comes from and what the user reads (issue 15)
                  "derived": q.derived, "truncated": q.truncated, "refs": list(q.refs),
                  "text": q.text.model_dump(), "help": q.help.model_dump(),
                  **({"levels": [lv.model_dump() for lv in q.levels]} if q.levels else {}),
                  **({"skips": list(q.skips), "skip_on": list(q.skip_on)} if q.skips else {})}
                 for q in s.questions
             ]}
            for s in item.sections
        ],
        # former question ids → current ones (sessions stored with the old ids still join)
        "aliases": dict(item.aliases),
        **({"level_guidance": item.level_guidance.model_dump()} if item.level_guidance else {}),
    }


def _validate(args: argparse.Namespace) -> int:
    from ..domain.loader import BankError, load_library, validate
    from ..i18n_errors import localise

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


def run(args: argparse.Namespace) -> int:
    if args.banks_command == "validate":
        return _validate(args)
    from rich.table import Table
    from rich.text import Text
    from rich.tree import Tree

    from ..domain.bank import Bank, Catalogue

    lib = library()
    items: dict[str, Bank | Catalogue] = {**lib.banks, lib.catalogue.id: lib.catalogue}
    lang = args.lang
    if args.banks_command == "list":
        if args.format == "json":
            rows = [{"id": i.id, "version": i.version, "title": {"zh": i.title.zh, "en": i.title.en},
                     "source": i.source, "questions": len(i.questions) if isinstance(i, Bank) else None,
                     "total_points": float(i.total_points) if isinstance(i, Bank) else None,
                     "file": lib.files[i.id].name} for i in items.values()]
            emit(dumps(rows), None)
            return 0
        table = Table(show_edge=False)
        table.add_column(t("cli.banks.id", lang), no_wrap=True)
        for col in ("version", "title", "questions", "points"):
            table.add_column(t(f"cli.banks.{col}", lang))
        for i in items.values():
            is_bank = isinstance(i, Bank)
            table.add_row(Text(i.id), Text(i.version), Text(i.title(lang)), str(len(i.questions)) if is_bank else "—",
                          str(i.total_points) if is_bank else "—")
        print_rich(table)
        return 0
    if args.bank_id not in items:
        raise UserError(t("cli.err.unknown_bank", lang, bank=args.bank_id, known=", ".join(items)))
    item = items[args.bank_id]
    if args.format == "json":
        emit(dumps(bank_json(item)), None)
        return 0
    tree = Tree(Text(f"{item.id} {item.version} — {item.title(lang)}", style="bold"))
    if isinstance(item, Catalogue):
        for a in item.areas:
            branch = tree.add(Text(f"{a.id} {a.title(lang)}"))
            for m in a.methods:
                branch.add(Text(f"{m.letter}) {m.text(lang)}"))
    else:
        if item.level_guidance is not None:
            tree.add(Text(t("cli.banks.level_guidance", lang) + item.level_guidance(lang), style="italic"))
        for s in item.sections:
            branch = tree.add(Text(f"{s.id} {s.title(lang)}"))
            for q in s.questions:
                pts = f" [{q.max_points}]" if q.kind.scored else ""
                flag = t("cli.banks.derived", lang) if q.derived else ""
                flag += t("cli.banks.truncated", lang) if q.truncated else ""
                branch.add(Text(f"{q.id} {q.kind.value}{pts}{flag}: {q.text(lang)}"))
    print_rich(tree)
    return 0
