"""`selfcheck store copy FROM TO`: every session, workshop and action of one store into another (a folder
or a postgresql:// URL, either way), idempotently, then checked: every session is there and identical,
scored the same (the domain's scoring, as `selfcheck report` does), and the workshops and actions counted.
"""

from __future__ import annotations

import argparse
import sys

from ..errors import UserError
from ..i18n import t

NAME = "store"


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser, lang: str = "zh") -> None:
    p = sub.add_parser(NAME, parents=[common], help=t("store.help", lang), description=t("store.description", lang))
    actions = p.add_subparsers(dest="store_command", metavar="ACTION", required=True)
    copy = actions.add_parser("copy", parents=[common], help=t("store.copy.help", lang),
                              description=t("store.copy.description", lang))
    copy.add_argument("source", metavar="FROM", help=t("store.copy.from", lang))
    copy.add_argument("target", metavar="TO", help=t("store.copy.to", lang))


class _Progress:
    """One line per kind of record, rewritten in place on a terminal, else said every tenth."""

    def __init__(self, lang: str):
        self.lang = lang
        self.tty = sys.stderr.isatty()

    def __call__(self, what: str, done: int, total: int) -> None:
        line = t("store.copy.progress", self.lang, what=t(f"store.copy.{what}", self.lang), done=done, total=total)
        if self.tty:
            print("\r" + line, end="\n" if done == total else "", file=sys.stderr, flush=True)
        elif done == total or done % max(1, total // 10) == 0:
            print(line, file=sys.stderr, flush=True)


def _verify(src, dst, lang: str, newer_there: list[str]) -> list[str]:
    """What does not match after the copy (empty when all does): counts, documents and scores."""
    from ..domain.evaluate import evaluate
    from .common import library

    from ..store.postgres_copy import action_orgs, each_session

    lib = library()
    wrong: list[str] = []
    for session in each_session(src)[1]:
        if session.id in newer_there:
            continue
        copied = dst.get_session(session.id)
        if copied != session:
            wrong.append(t("store.copy.differs", lang, id=session.id))
        elif all(b in lib.banks for b in session.banks):
            before, after = evaluate(lib, session, count=0).grade, evaluate(lib, copied, count=0).grade
            if (before.outcome, before.service_score) != (after.outcome, after.service_score):
                wrong.append(t("store.copy.score_differs", lang, id=session.id))
    names = {w["name"] for w in dst.list_workshops()}
    wrong += [t("store.copy.workshop_missing", lang, name=w["name"]) for w in src.list_workshops()
              if w["name"] not in names]
    for org in action_orgs(src):
        there = {a.id: a for a in dst.list_actions(org)}
        wrong += [t("store.copy.action_missing", lang, org=org, id=a.id) for a in src.list_actions(org)
                  if a.id not in there or there[a.id].updated < a.updated]
    return wrong


def run(args: argparse.Namespace) -> int:
    from ..i18n_errors import localise
    from ..store import open_store
    from ..store.postgres_copy import copy_store

    lang = args.lang or "zh"
    if args.source == args.target:
        raise UserError(t("store.copy.same", lang))
    src, dst = open_store(args.source), open_store(args.target)
    if not src._check_schema(False):  # never creates the source: a mistyped FROM is said, not copied from
        raise UserError(t("store.copy.no_source", lang, path=args.source))
    copied = copy_store(src, dst, _Progress(lang))
    for sid in copied.newer_there:
        print(t("store.copy.newer_there", lang, id=sid), file=sys.stderr)
    wrong = _verify(src, dst, lang, copied.newer_there)
    # a session FROM holds but could not read: not copied (named, and said why)
    wrong += [localise(problem, lang) for problem in src.problems]
    s, w, a = copied.sessions, copied.workshops, copied.actions
    print(t("store.copy.done", lang, source=src.root, target=dst.root,
            s=sum(s.values()), s_added=s["added"], s_updated=s["updated"], s_same=s["unchanged"],
            w=sum(w.values()), w_added=w["added"], a=sum(a.values()), a_added=a["added"], a_updated=a["updated"]))
    if wrong:
        for line in wrong:
            print(line, file=sys.stderr)
        print(t("store.copy.not_verified", lang, n=len(wrong)), file=sys.stderr)
        return 1
    print(t("store.copy.verified", lang, n=sum(s.values()) - len(copied.newer_there)))
    return 0
