"""`selfcheck actions …` — placeholder while the action-plan commands are written (issue 9)."""

from __future__ import annotations

import argparse

from ..errors import UserError

NAME = "actions"


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    sub.add_parser(NAME, parents=[common], help="the organisation's action plan (NOT YET BUILT)")


def run(args: argparse.Namespace) -> int:
    raise UserError("selfcheck actions is not built yet")
