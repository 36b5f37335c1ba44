"""The CLI's and the reports' Rich output breaks lines by the chat's rules (assistant/rich_linebreak.py):
a narrow table never splits an ASCII word or number in a Chinese cell, nor starts a line with a
closing mark, in rich_text (--format text, --out) and print_rich (the terminal) alike."""

from __future__ import annotations

import re

import pytest
from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from assistant.commands.common import print_rich, rich_text
from assistant.domain.evaluate import evaluate
from assistant.linebreak import CLOSING, OPENING, narrowest
from assistant.rich_linebreak import Broken, broken
from assistant.report.text import render

from .test_reports import make_session

CELL = "请填写关键绩效指标（KPI）的完成情况，记录编号QA-2026-03已归档；共12项，其中1级3项。"
WHOLE = ("（KPI）", "QA-2026-03", "12项", "1级")


def table(fold: bool = True) -> Table:
    out = Table(show_edge=False)
    out.add_column("#")
    out.add_column("说明", overflow="fold" if fold else None)
    out.add_row("1", Text(CELL))
    out.add_row("2", CELL)  # a str cell too
    return out


def cells(output: str) -> list[list[str]]:
    """The table's body as its cells' lines, column by column (the lines under the header rule)."""
    body = output.split("\n")[2:]
    rows = [[c.strip() for c in line.split("│")] for line in body if "│" in line]
    return [list(col) for col in zip(*rows)]


def assert_broken_well(output: str) -> None:
    text_lines = [line for line in cells(output)[1] if line]
    assert text_lines, output
    assert not [line for line in text_lines if line[0] in CLOSING], output
    assert not [line for line in text_lines if line[-1] in OPENING], output
    joined = "\n".join(text_lines)
    for piece in WHOLE:
        assert joined.count(piece) == 2, (piece, output)  # each of the two rows keeps it whole


@pytest.mark.parametrize("width", [18, 20, 24, 27, 30, 36])
def test_a_narrow_table_keeps_words_numbers_and_marks(width):
    assert_broken_well(rich_text(table(), width))


def test_rich_alone_splits_them(width=24):
    """What the test above guards against: Rich's own folding splits QA-2026-03 or starts a line with ，."""
    from rich.console import Console
    import io

    console = Console(record=True, width=width, file=io.StringIO(), color_system=None)
    console.print(table())
    with pytest.raises(AssertionError):
        assert_broken_well(console.export_text())


def test_the_terminal_breaks_the_same_way(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "24")
    print_rich(table())
    assert_broken_well(capsys.readouterr().out)


def test_a_cell_that_is_not_folded_wraps_instead_of_being_cut():
    """Rich puts an unspaced Chinese run on one line and cuts it with "…"; it is broken instead."""
    out = rich_text(table(fold=False), 24)
    assert "…" not in out
    assert_broken_well(out)


def test_groups_panels_and_styles_are_reached():
    styled = Text("重点：")
    styled.append("QA-2026-03", style="bold")
    group = Group(Panel(Text(CELL)), Text(CELL), styled)
    broken(group)
    panel, text, kept = group.renderables
    assert isinstance(panel.renderable, Broken) and isinstance(text, Broken)
    assert [kept.plain[s.start:s.end] for s in kept.spans if s.style == "bold"] == ["QA-2026-03"]
    out = rich_text(Group(Text(CELL), Panel(Text(CELL))), 16)
    lines = [line.strip("│ ") for line in out.split("\n") if line.strip("│ ╭╮╰╯─")]
    assert not [line for line in lines if line[0] in CLOSING], out
    for piece in WHOLE:
        assert out.count(piece) == 2, (piece, out)


def test_a_table_is_told_the_narrowest_a_chinese_cell_can_be():
    assert narrowest("记录编号QA-2026-03已归档") == len("QA-2026-03") + 2  # "QA-2026-03已" stays together
    assert narrowest("（KPI）") == 7
    assert narrowest("one two  three ") == 5
    assert narrowest("") == 0


def test_the_text_report_in_chinese(library):
    """The real report (chat's result view, `report --format text`): no line of it or of its
    tables' cells starts with a closing mark, and each method's text keeps its words and numbers
    (Rich alone, at 76 columns, puts "）服务水平协议" at the start of a line)."""
    session = make_session(library)
    result = evaluate(library, session)
    for width in (64, 76, 100):
        out = rich_text(render(result, library), width)
        for line in out.split("\n"):
            assert line[:1] not in CLOSING, (width, line)
            for cell in (c.strip() for c in line.split("│")[1:]):
                assert not cell or cell[0] not in CLOSING, (width, line)
        for s in result.suggestions:
            for word in re.findall(r"[A-Za-z0-9][A-Za-z0-9.\-:]*[A-Za-z0-9]", s.text):
                assert word in out, (width, word)
