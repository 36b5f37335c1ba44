"""`selfcheck workshop create|list|watch|add|remove|report|consensus`: group self-checks of many respondents,
the group result being the mean of their scores (003 §5.1.2)."""

from __future__ import annotations

import argparse
import sys

from ..errors import UserError
from ..i18n import t
from ..printable import clipped, printable
from .common import dumps, emit, one_line, print_rich, rich_text
from .common import library as _library
from . import consensus

NAME = "workshop"


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser, lang: str = "zh") -> None:
    ws = sub.add_parser(NAME, parents=[common], help=t("cli.workshop", lang))
    wsub = ws.add_subparsers(dest="workshop_command", metavar="ACTION", required=True)
    wc = wsub.add_parser("create", parents=[common], help=t("cli.workshop.create", lang))
    wc.add_argument("name", metavar="NAME")
    wc.add_argument("--org", required=True, metavar="ORG")
    wc.add_argument("--bank", nargs="+", metavar="BANK_ID",
                    help=t("cli.workshop.bank", lang))
    wc.add_argument("--names", action="store_true", help=t("cli.workshop.names", lang))
    ww = wsub.add_parser("watch", parents=[common], help=t("cli.workshop.watch", lang))
    ww.add_argument("name", metavar="NAME")
    wa = wsub.add_parser("add", parents=[common], help=t("cli.workshop.add", lang))
    wa.add_argument("name", metavar="NAME")
    wa.add_argument("session_ids", nargs="+", metavar="SESSION_ID")
    wa.add_argument("--role", metavar="ROLE", help=t("cli.workshop.role", lang))
    wrm = wsub.add_parser("remove", parents=[common], help=t("cli.workshop.remove", lang))
    wrm.add_argument("name", metavar="NAME")
    wrm.add_argument("session_ids", nargs="+", metavar="SESSION_ID")
    wl = wsub.add_parser("list", parents=[common], help=t("cli.workshop.list", lang))
    wl.add_argument("--format", choices=["text", "json"], default="text", help=t("cli.format", lang))
    wr = wsub.add_parser("report", parents=[common], help=t("cli.workshop.report", lang))
    wr.add_argument("name", metavar="NAME")
    wr.add_argument("--format", choices=["text", "json", "md", "html", "xlsx"], default="text", help=t("cli.format", lang))
    wr.add_argument("--out", metavar="FILE", help=t("cli.out", lang))
    wr.add_argument("--rules", choices=["clause-text", "table-rows"], default="clause-text", help=t("cli.rules", lang))
    consensus.register(wsub, common, lang)


def run(args: argparse.Namespace) -> int:
    from ..domain.answers import check_length
    from ..store import open_store

    store = open_store(args.db)
    if args.workshop_command == "create":
        if not args.name.strip() or not args.org.strip():
            raise UserError(t("cli.err.workshop_needs", args.lang))
        library = _library()
        banks = args.bank or [b.id for b in library.group("activities")]
        unknown = [b for b in banks if b not in library.banks]
        if unknown:
            raise UserError(t("cli.err.unknown_bank", args.lang, bank=unknown[0], known=", ".join(library.banks)))
        check_length("workshop", args.name.strip())
        check_length("org", args.org.strip())
        store.create_workshop(args.name.strip(), args.org.strip(), banks, names=args.names)
        print(t("cli.workshop.created", args.lang, name=args.name, org=args.org))
        return 0
    if args.workshop_command == "list":
        rows = store.list_workshops()
        if args.format == "json":
            emit(dumps(rows), None)
        else:
            for w in rows:
                print(printable(f"{clipped(w['name'])}\t{clipped(w['org'])}\t{w['created']}"))
        return 0
    workshop = store.get_workshop(args.name)
    if args.workshop_command == "consensus":
        return consensus.run(args, store, workshop)
    if args.workshop_command == "watch":
        from ..tui.launch import watch

        return watch(store, _library(), workshop, args.lang)
    if args.workshop_command == "remove":
        sessions = [store.get_session(ref) for ref in args.session_ids]  # all checked before any is changed
        for s in sessions:
            if s.workshop != workshop["name"]:
                raise UserError(t("cli.err.not_member", args.lang, session=s.id, name=workshop["name"]))
        for s in sessions:
            store.set_workshop(s.id, None)
            print(one_line(t("cli.workshop.removed", args.lang, session=s.id, name=workshop["name"])))
        return 0
    if args.workshop_command == "add":
        sessions = [store.get_session(ref) for ref in args.session_ids]  # all resolved before any is changed
        for s in sessions:
            if s.org != workshop["org"]:
                raise UserError(t("cli.err.session_not_of_workshop", args.lang, session=s.id, org=s.org,
                                  workshop_org=workshop["org"]))
            if s.kind == "consensus":  # the group's agreed result would count as nobody
                raise UserError(t("consensus.err.add", args.lang, session=s.id, of=s.consensus_of or "—"))
        members = {m.id: m for m in store.sessions(workshop=workshop["name"])}
        wanted = set(workshop.get("banks") or [])
        for s in sessions:
            if s.id in members and (args.role is None or args.role == s.role):
                print(one_line(t("cli.workshop.already", args.lang, session=s.id, name=workshop["name"])))
                continue
            if s.workshop and s.workshop != workshop["name"]:
                print(one_line(t("cli.workshop.moved", args.lang, session=s.id, old=s.workshop)), file=sys.stderr)
            twin = next((m for m in members.values() if m.id != s.id and s.respondent and m.respondent == s.respondent), None)
            if twin is not None:
                print(one_line(t("cli.workshop.twin", args.lang, session=s.id, respondent=s.respondent, twin=twin.id)),
                      file=sys.stderr)
            if wanted - set(s.banks):
                print(one_line(t("cli.workshop.lacks", args.lang, session=s.id,
                                 flows=", ".join(sorted(wanted - set(s.banks))))), file=sys.stderr)
            members[s.id] = store.set_workshop(s.id, workshop["name"], args.role)
            print(one_line(t("cli.workshop.added_as" if args.role else "cli.workshop.added", args.lang, session=s.id,
                             name=workshop["name"], role=args.role)))
        return 0
    from ..domain.group import group_result

    library = _library()
    sessions = store.sessions(org=workshop["org"], workshop=workshop["name"])  # one organisation's index, not all
    if not sessions:
        raise UserError(t("cli.err.workshop_empty", args.lang, name=workshop["name"]))
    group = group_result(library, workshop["name"], workshop["org"], sessions, args.rules, args.lang)
    if not group.respondents:
        raise UserError(t("cli.err.none_answered", args.lang, name=workshop["name"]))
    from ..consensus import find_consensus

    group.with_consensus(library, find_consensus(store, workshop))
    if args.format == "json":
        emit(dumps(group.to_json()), args.out, args.lang)
        return 0
    if args.format == "xlsx":
        from .office_out import workshop as workshop_xlsx

        return workshop_xlsx(group, library, args)
    from datetime import datetime, timezone

    from ..report import group as group_report

    generated = datetime.now(timezone.utc).astimezone()
    if args.format == "md":
        emit(group_report.group_markdown(group, library, generated, args.lang), args.out, args.lang)
    elif args.format == "html":
        emit(group_report.group_html(group, library, generated, args.lang), args.out, args.lang)
    elif args.out:
        emit(rich_text(group_report.group_text(group, library, args.lang)), args.out, args.lang)
    else:
        print_rich(group_report.group_text(group, library, args.lang))
    return 0
