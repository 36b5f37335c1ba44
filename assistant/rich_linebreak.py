"""Rich renderables whose texts break their lines by the rules of assistant/linebreak.py: `Broken`
(a Text that wraps so), and `broken`, which makes every text of a table, group, panel or tree one
— what the CLI prints (commands/common.py) and the result and history screens show. `LongTable`
is a Table of many such rows that prints the same, faster (issue 14: a history of 500 sessions)."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import Any, Iterable

from rich.cells import cell_len
from rich.measure import Measurement
from rich.padding import Padding
from rich.segment import Segment
from rich.table import Column, Table
from rich.text import Lines, Span, Text

from .linebreak import cells, narrowest, wrap


class Broken(Text):
    """A Rich Text that breaks its lines by `wrap` wherever Rich lays it out (a table cell, a
    panel, the terminal), and tells a table the narrowest it can be by the same rules."""

    @classmethod
    def of(cls, text: Text) -> Broken:
        # as `append_text` would make it (the base style also as a span over the whole text), in one step
        spans = [Span(0, len(text), text.style)] if text.style else []
        return cls(text.plain, style=text.style, justify=text.justify, overflow=text.overflow,
                   no_wrap=text.no_wrap, end=text.end, tab_size=text.tab_size, spans=[*spans, *text._spans])

    def wrap(self, console: Any, width: int, **options: Any) -> Lines:
        if options.get("no_wrap") or (options.get("no_wrap") is None and self.no_wrap) \
                or options.get("overflow") == "ignore":
            return super().wrap(console, width, **options)
        text: Text = self
        if "\t" in self.plain:
            text = self.copy()
            text.expand_tabs(options.get("tab_size", 8))
        elif all(_fits(line, width) for line in self.plain.split("\n")):
            return Text.wrap(self, console, width, **options)  # what `wrap` would give: the text as it is
        # every line fits now: Rich's own wrapping only draws them
        return Text.wrap(wrap(text, width), console, width, **options)

    def __rich_measure__(self, console: Any, options: Any) -> Measurement:
        return Measurement(*_range(self.plain))


class LongTable(Table):
    """A Table of hundreds of rows of texts (`selfcheck history`), laid out as Table lays it out, in
    the same widths: each column is measured on the two cells that decide its width (the one that
    needs the most, the one that would take the most) rather than through Rich's measuring of every
    cell, which takes most of the time of a long table."""

    def _measure_column(self, console: Any, options: Any, column: Column) -> Measurement:
        texts = [c for c in column._cells if isinstance(c, Broken)]
        if len(texts) > 2:
            # Measurement.get normalises each cell's range and caps it at the width: both keep the order
            ranges = [_normalised(c.plain) for c in texts]
            least = max(range(len(texts)), key=lambda i: ranges[i][0])
            most = max(range(len(texts)), key=lambda i: ranges[i][1])
            others = [c for c in column._cells if not isinstance(c, Broken)]
            column = replace(column, _cells=[*others, texts[least], texts[most]])
        return super()._measure_column(console, options, column)

    def _get_cells(self, console: Any, column_index: int, column: Column) -> Iterable[Any]:
        plain_table = not console.get_style(self.style or "") and not self.row_styles
        for cell in super()._get_cells(console, column_index, column):
            padded = cell.renderable
            if plain_table and not cell.style and isinstance(padded, Padding) and _one_plain_line(padded.renderable) \
                    and not padded.top and not padded.bottom:
                yield cell._replace(renderable=_PlainCell(padded))
            else:
                yield cell


def _one_plain_line(text: Any) -> bool:
    """A text that Rich draws as one unstyled segment, if it fits: one line, no style, nothing to strip."""
    if not isinstance(text, Broken) or text.style or text._spans or text.end != "\n":
        return False
    plain = text.plain
    return bool(plain) and plain.isprintable() and plain == plain.strip()


class _PlainCell:
    """A table cell of one unstyled line (`_one_plain_line`) that fits its column: drawn as
    Padding(Broken) draws it (its padding, the text justified in the rest), without Rich's general
    wrapping and measuring. Any other: drawn by Padding itself."""

    def __init__(self, padded: Padding):
        self.padded = padded

    def __rich_measure__(self, console: Any, options: Any) -> Measurement:
        return Measurement.get(console, options, self.padded)

    def __rich_console__(self, console: Any, options: Any) -> Iterable[Segment]:
        padded, text = self.padded, self.padded.renderable
        plain = text.plain
        width = options.max_width - padded.left - padded.right
        justify = text.justify or options.justify or "default"
        room = width - cell_len(plain)
        if room < 0 or justify not in ("default", "left", "right") or not _fits(plain, width):
            yield from console.render(padded, options)
            return
        body = " " * room + plain if justify == "right" else plain + " " * room
        yield Segment(" " * padded.left + body + " " * padded.right)
        yield Segment.line()


# A table of hundreds of rows (`selfcheck history`) measures and wraps thousands of short cells, most of
# them ASCII (ids, dates, numbers) or repeated (grades): these answer them without the rules' per-character work.
def _fits(line: str, width: int) -> bool:
    """Does `line` fit `width` cells as `wrap` counts them (then `wrap` leaves it as it is)?"""
    if width <= 1:
        return True  # `wrap` leaves the text as it is
    if line.isascii():
        return len(line) <= width  # an ASCII character is one cell
    return len(line) * 2 <= width or cells(line) <= width


def _narrowest(line: str) -> int:
    if line.isascii() and " " not in line:
        return len(line)  # one word: no break inside it (linebreak._may_break)
    return narrowest(line)


@lru_cache(maxsize=4096)
def _range(plain: str) -> tuple[int, int]:
    """The least and the most cells a text takes: its widest unbreakable piece, its widest line."""
    lines = plain.split("\n")
    return max(map(_narrowest, lines)), max(map(cell_len, lines))


def _normalised(plain: str) -> tuple[int, int]:
    return Measurement(*_range(plain)).normalize()  # type: ignore[return-value]


def broken(renderable: Any) -> Any:
    """`renderable` with every Text and text cell in it (tables, groups, panels, trees, paddings)
    made Broken, in place: what the CLI and the reports print breaks its lines as the chat does.
    A text cell given as a str becomes plain Text (data, never markup)."""
    from rich.console import Group
    from rich.padding import Padding
    from rich.panel import Panel
    from rich.table import Table
    from rich.tree import Tree

    if isinstance(renderable, Broken):
        return renderable
    if isinstance(renderable, Text):
        return Broken.of(renderable)
    if isinstance(renderable, Group):
        renderable._renderables = tuple(broken(r) for r in renderable._renderables)
        renderable._render = None
    elif isinstance(renderable, Table):
        for column in renderable.columns:
            column.header = _cell(column.header)
            column._cells = [_cell(c) for c in column._cells]
    elif isinstance(renderable, (Panel, Padding)):
        renderable.renderable = broken(renderable.renderable)
    elif isinstance(renderable, Tree):
        renderable.label = _cell(renderable.label)
        for child in renderable.children:
            broken(child)
    return renderable


def _cell(cell: Any) -> Any:
    return Broken(cell) if isinstance(cell, str) else broken(cell)
