"""Chinese help names its placeholders in Chinese (`--db 路径`, `会话编号`), and argparse's messages
name the arguments the same way; English help keeps PATH, SESSION_ID. Every argument of every
command is checked, so a new command with an English placeholder fails here."""

from __future__ import annotations

import argparse
import re

from assistant.cli import _parser
from assistant.i18n_cli import argparse_in, cells

from .test_one_language import run_cli as run

KEPT = re.compile(r"^(\{.*\}|YYYY-MM-DD|)$")  # choices and a date's form are typed as they are


def parsers(p: argparse.ArgumentParser):
    yield p
    for action in p._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from parsers(sub)


def placeholders(lang: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    with argparse_in(lang):
        for p in parsers(_parser(lang)):
            formatter = p._get_formatter()
            for action in p._actions:
                if action.nargs == 0 or isinstance(action, argparse._SubParsersAction) and action.metavar is None:
                    continue
                default = action.dest.upper() if action.option_strings else action.dest
                shown = formatter._metavar_formatter(action, default)(1)
                out.setdefault(p.prog, set()).update(shown)
    return out


def test_every_placeholder_is_chinese_in_chinese():
    english = {prog: {m for m in shown if re.search(r"[A-Za-z]", re.sub(r"\.\w+$", "", m)) and not KEPT.match(m)}
               for prog, shown in placeholders("zh").items()}
    assert not {prog: m for prog, m in english.items() if m}


def test_english_keeps_its_placeholders():
    shown = set().union(*placeholders("en").values())
    assert {"PATH", "FILE", "SESSION_ID", "ORG"} <= shown


def test_the_chinese_help_shows_them_and_keeps_its_columns(capsys):
    code, out, _ = run(capsys, "report", "--help")
    assert code == 0
    assert "[--db 路径]" in out and "[--out 文件]" in out and "会话编号" in out
    assert "PATH" not in out and "SESSION_ID" not in out and "FILE" not in out
    lines = out.split("\n")
    # the help texts start in one column, counted in cells (a Chinese placeholder takes two a character)
    starts = {cells(line[:line.index(help_)]) for line in lines
              for help_ in ("存储文件夹", "写入这个文件") if help_ in line}
    assert len(starts) == 1, lines


def test_argparse_names_a_missing_argument_in_chinese(capsys):
    code, _, err = run(capsys, "report")
    assert code == 2 and "会话编号" in err and "SESSION_ID" not in err
    code, _, err = run(capsys, "report", "--lang", "en")
    assert code == 2 and "SESSION_ID" in err
