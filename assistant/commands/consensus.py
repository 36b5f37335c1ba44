"""`selfcheck workshop consensus NAME`: the facilitator's consensus meeting (issue 12).

Three ways, none of which waits for input it cannot get:
- `--answers FILE|-`: the agreed levels (an answers file whose entries carry a "reason", and may carry
  a "dissent")
  are recorded item by item, most disputed first; the meeting is completed when every rated item
  is agreed. A meeting already started is resumed (the file's items replace what was agreed).
- on a terminal (standard input and output both a TTY) and without --answers: the TUI screen.
- otherwise (a pipe, CI): the agenda — items in order of disagreement, their distribution, the
  respondents' notes, and what is agreed so far — as text or JSON, then exit.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from ..errors import UserError
from ..i18n import t
from .common import dumps, emit, print_rich, read_text, rich_text
from .common import library as _library

if TYPE_CHECKING:  # Rich loads when the agenda is shown: `selfcheck --help` imports this module
    from rich.console import Group


def register(wsub: argparse._SubParsersAction, common: argparse.ArgumentParser, lang: str = "zh") -> None:
    wc = wsub.add_parser("consensus", parents=[common], help=t("cli.workshop.consensus", lang),
                         description=t("cli.workshop.consensus.description", lang))
    wc.add_argument("name", metavar="NAME")
    wc.add_argument("--answers", metavar="FILE", help=t("cli.consensus.answers", lang))
    wc.add_argument("--facilitator", metavar="NAME", default="", help=t("cli.consensus.facilitator", lang))
    wc.add_argument("--rules", choices=["clause-text", "table-rows"], default="clause-text", help=t("cli.rules", lang))
    wc.add_argument("--format", choices=["text", "json"], default="text", help=t("cli.format", lang))
    wc.add_argument("--out", metavar="FILE", help=t("cli.out", lang))


def run(args: argparse.Namespace, store: Any, workshop: dict[str, Any]) -> int:
    from ..consensus import open_meeting

    lang = args.lang
    library = _library()
    if args.facilitator:
        from ..domain.answers import TooLong, check_length

        try:
            check_length("respondent", args.facilitator.strip())
        except TooLong as e:
            raise UserError(t("input.too_long", lang, place="--facilitator", field=e.field, n=e.n, limit=e.limit)) from None
    meeting = open_meeting(store, library, workshop, lang, args.rules, args.facilitator.strip())
    if not meeting.agenda:
        raise UserError(t("cli.err.none_answered", lang, name=workshop["name"]))
    if args.answers:
        return _record(args, meeting)
    if sys.stdin.isatty() and sys.stdout.isatty() and not args.out and args.format == "text":
        from ..tui.launch import consensus

        return consensus(meeting, lang)
    return _show(args, meeting)


def _record(args: argparse.Namespace, meeting: Any) -> int:
    from ..domain.answers_file import AnswersFileError, parse_answers_file

    lang = args.lang
    source = t("cli.stdin", lang) if args.answers == "-" else args.answers
    try:
        parsed = parse_answers_file(read_text(args.answers, lang), meeting.library, source)
    except AnswersFileError as e:
        raise UserError(e.say(lang)) from None
    if parsed.org != meeting.workshop["org"]:
        raise UserError(t("consensus.err.org", lang, source=source, org=parsed.org, workshop_org=meeting.workshop["org"]))
    on_agenda = {a.key for a in meeting.agenda}
    given = {(b, q): a for b, per in parsed.answers.items() for q, a in per.items()}
    for (bank, qid), answer in given.items():  # all checked before any is stored
        if (bank, qid) not in on_agenda:
            raise UserError(t("consensus.err.not_rated", lang, source=source, bank=bank, id=qid))
        if not (answer.reason or answer.na):  # an N/A carries its reason
            raise UserError(t("consensus.err.no_reason", lang, source=source, bank=bank, id=qid))
    for item in meeting.agenda:  # most disputed first, as the meeting would take them
        if item.key in given:
            meeting.agree(item.key, given[item.key])
            answer = given[item.key]
            print(t("consensus.recorded", lang, id=item.item.id, level=answer.level or t("consensus.na", lang),
                    mean=f"{item.item.mean_level:.2f}"), file=sys.stderr)
    return _show(args, meeting)


def agenda_json(meeting: Any) -> dict[str, Any]:
    from ..domain.results import num

    items = []
    for a in meeting.agenda:
        i = a.item
        agreed = meeting.agreed(a.key)
        items.append({
            "bank": i.bank, "id": i.id, "question": meeting.library.bank(i.bank).question(i.id).text(meeting.lang),
            "answered": len(i.levels), "distribution": {str(k): v for k, v in i.distribution.items()},
            "mean_level": num(i.mean_level, 2), "median": num(i.median, 1), "sd": num(i.sd, 2), "iqr": num(i.iqr, 2),
            "agreement": num(i.agreement, 3), "disagreement": i.disagreement,
            "remarks": [{"who": r.who, "role": r.role, "level": r.level, "text": r.text, "na": r.na} for r in a.remarks],
            "agreed": None if agreed is None else {"level": agreed.level, "alpha": num(agreed.alpha), "na": agreed.na,
                                                   "reason": agreed.reason, "dissent": agreed.dissent},
        })
    s = meeting.session
    return {"workshop": meeting.workshop["name"], "org": meeting.workshop["org"], "respondents": len(meeting.respondents),
            "names_shown": meeting.names, "session_id": s.id if s else None, "status": s.status if s else None,
            "agreed": len(meeting.agenda) - len(meeting.pending()), "items": items}


def _show(args: argparse.Namespace, meeting: Any) -> int:
    if args.format == "json":
        emit(dumps(agenda_json(meeting)), args.out, args.lang)
        return 0
    text = agenda_text(meeting)
    if args.out:
        emit(rich_text(text), args.out, args.lang)
    else:
        print_rich(text)
    return 0


def agenda_text(meeting: Any) -> Group:
    """The agenda for the terminal: Text objects only (what respondents wrote is never markup)."""
    from rich.console import Group
    from rich.text import Text

    from ..report.common import colon
    from ..report.consensus_view import distribution_bar, figures, who

    lang = meeting.lang
    parts: list[Text] = []
    s = meeting.session
    head = Text(f"{t('consensus.title', lang)} — {meeting.workshop['name']}", style="bold")
    parts.append(head)
    done = len(meeting.agenda) - len(meeting.pending())
    parts.append(Text(t("consensus.progress", lang, done=done, total=len(meeting.agenda),
                        n=len(meeting.respondents)) + (f" · {s.id} ({t(f'status.{s.status}', lang)})" if s else "")))
    parts.append(Text(t("consensus.names_shown" if meeting.names else "consensus.names_hidden", lang), style="dim"))
    for a in meeting.agenda:
        i = a.item
        line = Text()
        line.append(f"\n{i.id} ", style="bold")
        line.append(meeting.library.bank(i.bank).question(i.id).text(lang))
        parts.append(line)
        row = Text("  ")
        row.append(distribution_bar(i.distribution))
        row.append("  " + figures(i, lang))
        if i.disagreement:
            row.append(f"  {t('group.disagreement', lang)}", style="yellow")
        parts.append(row)
        for r in a.remarks:
            name = who(r.who, r.role, lang)
            c = colon(lang)
            said = f"{t('consensus.na', lang)}{c}{r.text}" if r.na else (f"L{r.level}{c}{r.text}" if r.level else r.text)
            parts.append(Text(f"    {name} — {said}", style="dim"))
        agreed = meeting.agreed(a.key)
        if agreed is not None:
            parts.append(Text("  → " + agreed_text(agreed, lang), style="green"))
    return Group(*parts)


def agreed_text(answer: Any, lang: str) -> str:
    from ..report.common import colon

    c = colon(lang)
    level = (f"{t('consensus.na', lang)}{c}{answer.na}" if answer.na
             else f"{t('consensus.agreed', lang)} {answer.level}")
    if answer.alpha is not None:
        level += f" α {answer.alpha}"
    out = [level]
    if answer.reason:
        out.append(f"{t('consensus.reason', lang)}{c}{answer.reason}")
    if answer.dissent:
        out.append(f"{t('consensus.dissent', lang)}{c}{answer.dissent}")
    return " · ".join(out)
