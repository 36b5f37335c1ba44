"""`selfcheck history` as a text table (issue 14 §2): LongTable (rich_linebreak.py) lays out a long
table faster than Rich's Table and must print the very same bytes, in colour and without, at every
width: here against Table itself, on tables with the cells a history has and the cells that take the
slow path (two lines, styles, Chinese that must break, padding to strip)."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

import pytest
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

import assistant.rich_linebreak as rich_linebreak
from assistant.cli import main
from assistant.domain.answers import Answer
from assistant.rich_linebreak import LongTable, broken

WIDTHS = (12, 30, 47, 80, 100, 160)
ORG = "湘潭市中心医院"


def printed(table: Table, width: int, colour: bool) -> str:
    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=colour, color_system="truecolor" if colour else None)
    console.print(broken(table))
    return out.getvalue()


def filled(cls: type[Table], rows: int = 60, **options) -> Table:
    table = cls(**{"show_edge": False, **options})
    table.add_column(Text("会话"), no_wrap=True)
    table.add_column(Text("Created"), no_wrap=True)
    table.add_column(Text("活动"), justify="right")
    table.add_column(Text("Service outcomes 服务效果"), justify="right")
    table.add_column(Text("等级"))
    table.add_column(Text("done"), justify="center")
    for n in range(rows):
        sid = Text(f"2024{n:04d}-{n * 7919 % 10000:04d}")
        if n % 17 == 3:  # a workshop's agreed result: two lines, the second styled
            sid.append("\n（共识）", style="cyan")
        grade = ["未达到一星级", "三星级（达标）", "Five stars", "  padded  ", "—", "很长的等级说明，需要在窄列里按规则断行；不能以标点开头。"][n % 6]
        done = ", ".join(f"A{k}" for k in range(n % 4)) or "—"
        percent = Text(f"{(n * 37) % 1000 / 10:.1f}", style="bold red" if n % 11 == 0 else "")
        table.add_row(sid, (datetime(2024, 1, 1) + timedelta(days=7 * n)).strftime("%Y-%m-%d"), percent,
                      Text("" if n % 9 == 0 else f"{n % 100}.5"), Text(grade), Text(done))
    return table


@pytest.mark.parametrize("colour", [False, True])
@pytest.mark.parametrize("width", WIDTHS)
def test_a_long_table_prints_what_rich_prints(width, colour):
    assert printed(filled(LongTable), width, colour) == printed(filled(Table), width, colour)


def test_a_long_table_measures_as_rich_measures():
    """Inside another table or a panel, a table is measured: the least and the most it takes."""
    console = Console(file=io.StringIO(), width=200)
    for width in WIDTHS:
        options = console.options.update_width(width)
        assert Measurement.get(console, options, broken(filled(LongTable))) == \
            Measurement.get(console, options, broken(filled(Table)))


@pytest.mark.parametrize("options", [{"row_styles": ["", "on grey23"]}, {"style": "on blue"},
                                     {"padding": (1, 2)}, {"show_header": False, "show_edge": True}])
def test_a_long_table_with_styles_or_padding_prints_what_rich_prints(options):
    for width in (40, 100):
        for colour in (False, True):
            assert printed(filled(LongTable, 25, **options), width, colour) == \
                printed(filled(Table, 25, **options), width, colour)


def test_the_fast_cells_are_the_ones_drawn(monkeypatch):
    """Not a table where every cell went the slow way: most cells of a history are drawn directly."""
    slow = []
    real = rich_linebreak.Broken.wrap
    monkeypatch.setattr(rich_linebreak.Broken, "wrap", lambda self, *a, **k: slow.append(1) or real(self, *a, **k))
    printed(filled(LongTable, 120), 120, True)
    assert 0 < len(slow) < 120 * 6 / 2


def test_the_history_command_prints_what_rich_prints(store, clock, library, capsys, monkeypatch):
    activities = [b.id for b in library.group("activities")]
    for n in range(40):
        clock.now = datetime(2024, 1, 1, 9, tzinfo=timezone(timedelta(hours=8))) + timedelta(days=7 * n)
        banks = activities if n % 3 else activities[:2]
        answers = {b: {q.id: Answer(level=1 + (n + k) % 5) for k, q in enumerate(library.bank(b).questions)
                       if q.kind.value == "likert"} for b in banks}
        store.create_session(ORG, {b: library.bank(b).version for b in banks}, f"填写人{n}", answers=answers,
                             status="completed")

    def history(lang: str, width: int, colour: bool) -> str:
        monkeypatch.setenv("COLUMNS", str(width))
        if colour:
            monkeypatch.setenv("FORCE_COLOR", "1")
        else:
            monkeypatch.delenv("FORCE_COLOR", raising=False)
        capsys.readouterr()
        assert main(["history", "--org", ORG, "--db", str(store.root), "--lang", lang]) == 0
        return capsys.readouterr().out

    cases = [(lang, width, colour) for lang in ("zh", "en") for width in (30, 80, 132) for colour in (False, True)]
    fast = [history(*case) for case in cases]
    monkeypatch.setattr(rich_linebreak, "LongTable", Table)
    assert [history(*case) for case in cases] == fast
    ids = [s.session_id for s in store.list_sessions(ORG)]
    assert len(ids) == 40 and all(i in fast[cases.index(("zh", 132, False))] for i in ids)  # the table, whole


@pytest.mark.parametrize("width", (14, 40, 100))
def test_rows_of_wrapped_plain_cells_print_what_rich_prints(width):
    """A history's rows are mostly joined into one segment a line (LongTable._render), wrapped grades
    included; the same text justified otherwise, or in another column, is not taken for the first."""
    def table(cls: type[Table]) -> Table:
        t = cls(show_edge=False)
        t.add_column(Text("等级"))
        t.add_column(Text("n"), justify="right")
        t.add_column(Text("Grade"), vertical="middle")
        for n in range(30):
            grade = ["尚未达到", "Three stars (pass)", "很长的等级说明，需要在窄列里断行。"][n % 3]
            t.add_row(Text(grade, justify="right" if n % 4 == 0 else None), Text(grade if n % 5 == 0 else str(n)),
                      Text(grade if n % 2 else "—"))
        return t

    for colour in (False, True):
        assert printed(table(LongTable), width, colour) == printed(table(Table), width, colour)


@pytest.mark.parametrize("width", (30, 80, 120))
def test_styled_rows_among_plain_ones_print_what_rich_prints(width):
    """The reports' tables (report/docmodel.py) mark a bank's row bold and a disputed item's with a
    background: those rows take Table's steps, the rest are joined, the whole prints the same."""
    def table(cls: type[Table]) -> Table:
        t = cls(show_edge=False, pad_edge=False, expand=False)
        t.add_column(Text("项目"), overflow="fold")
        t.add_column(Text("均值 %"), justify="right", overflow="fold")
        t.add_column(Text("Note"), justify="left")
        for n in range(40):
            style = {0: "bold", 1: "on #5a4500", 2: "italic"}.get(n % 7)
            note = Text(["agreed", "两人以上相差 2 级", ""][n % 3], justify="right" if n % 5 == 0 else None)
            t.add_row(Text(f"6.{n}.1 服务设计的输入与输出" if n % 3 else "D6.3-1"), Text(f"{n * 2.5:.1f}"), note,
                      style=style)
        return t

    for colour in (False, True):
        assert printed(table(LongTable), width, colour) == printed(table(Table), width, colour)
