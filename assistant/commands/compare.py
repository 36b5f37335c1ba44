"""`selfcheck compare A B`: two sessions of one organisation, item by item."""

from __future__ import annotations

import argparse

from ..errors import UserError
from ..i18n import t
from .common import dumps, emit, library, print_rich, rich_text

NAME = "compare"


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser, lang: str = "zh") -> None:
    p = sub.add_parser(NAME, parents=[common], help=t("cli.compare", lang))
    p.add_argument("before", metavar="A", help=t("cli.compare.a", lang))
    p.add_argument("after", metavar="B", help=t("cli.compare.b", lang))
    p.add_argument("--format", choices=["text", "json", "md"], default="text", help=t("cli.format", lang))
    p.add_argument("--out", metavar="FILE", help=t("cli.out", lang))


def run(args: argparse.Namespace) -> int:
    from ..domain.history import compare
    from ..store import open_store

    lib = library()
    store = open_store(args.db)
    a, b = store.get_session(args.before), store.get_session(args.after)
    if a.org != b.org:
        raise UserError(t("cli.err.orgs_differ", args.lang, a=a.org, b=b.org))
    cmp = compare(lib, a, b, args.lang)
    if args.format == "json":
        emit(dumps(cmp.to_json()), args.out, args.lang)
    elif args.format == "md":
        from ..report.markdown import comparison_markdown

        emit(comparison_markdown(cmp, lib, args.lang), args.out, args.lang)
    else:
        from ..report.text import comparison_view

        if args.out:
            emit(rich_text(comparison_view(cmp, lib, args.lang)), args.out, args.lang)
        else:
            print_rich(comparison_view(cmp, lib, args.lang))
    return 0
