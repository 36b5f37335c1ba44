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

    def _render(self, console: Any, options: Any, widths: list[int]) -> Iterable[Segment]:
        """As Table draws it. A table of plain rows (a history: no edge, no row styles, no lines
        between rows) draws its body here: a row of one-line cells is joined into one segment, any
        other row goes through Rich's steps for its cells — the same characters and styles, without
        Rich's line work for each of thousands of short cells."""
        if not (self.box and self.show_header and not self.show_edge and not self.show_lines and not self.leading
                and not self.show_footer and not self.row_styles and not console.get_style(self.style or "")
                and not self.border_style and self.rows and not any(r.end_section for r in self.rows)):
            yield from super()._render(console, options, widths)
            return
        columns, kept = [c._cells for c in self.columns], self.rows
        try:  # the header and its rule, as Table draws them: the table without its rows
            for column in self.columns:
                column._cells = []
            self.rows = []
            yield from list(super()._render(console, options, widths))
        finally:
            for column, cells in zip(self.columns, columns):
                column._cells = cells
            self.rows = kept
        box = self.box.substitute(options, safe=console.safe_box if self.safe_box is None else self.safe_box)
        body = zip(*(list(self._get_cells(console, i, c))[1:] for i, c in enumerate(self.columns)))
        new_line, last = Segment.line(), len(self.rows) - 1
        drawn: dict[tuple, list[str] | None] = {}  # a history repeats its grades
        for n, (row, kind) in enumerate(zip(body, self.rows)):
            divider = box.foot_vertical if n == last else box.mid_vertical
            if kind.style:  # a styled row (a bank's, a flagged one): its cells take the style, as Table draws them
                yield from self._row(console, options, widths, row, [None] * len(row), Segment(divider),
                                     console.get_style(kind.style))
                continue
            plain = []
            for index, (cell, width, column) in enumerate(zip(row, widths, self.columns)):
                if not isinstance(cell.renderable, _PlainCell) or cell.style or cell.vertical != "top":
                    plain.append(None)
                    continue
                text = cell.renderable.padded.renderable
                key = (text.plain, text.justify, text.overflow, text.no_wrap, index, width)
                if key not in drawn:
                    drawn[key] = cell.renderable.lines(console, width, column)
                plain.append(drawn[key])
            if None not in plain:
                height = max(map(len, plain))  # type: ignore[arg-type]
                for line_no in range(height):  # a cell of fewer lines: blank below (vertical "top")
                    yield Segment(divider.join(c[line_no] if line_no < len(c) else " " * w  # type: ignore[index,arg-type]
                                               for c, w in zip(plain, widths)))
                    yield new_line
                continue
            yield from self._row(console, options, widths, row, plain, Segment(divider))

    def _row(self, console: Any, options: Any, widths: list[int], row: Any, plain: list[list[str] | None],
             divider: Segment, row_style: Any = None) -> Iterable[Segment]:
        """One row with cells of styles or other renderables, drawn as Table._render draws a body row."""
        from rich.style import Style

        row_style = row_style or Style.null()
        get_style, lines = console.get_style, []
        for cell, width, column, drawn in zip(row, widths, self.columns, plain):
            if drawn is not None:
                lines.append([[Segment(line)] for line in drawn])
                continue
            render_options = options.update(width=width, justify=column.justify, no_wrap=column.no_wrap,
                                            overflow=column.overflow, height=None, highlight=column.highlight)
            renderable = cell.renderable
            if row_style and isinstance(renderable, _PlainCell):  # its padding takes the row's style apart, as Padding's does
                segments = None if cell.style else renderable.styled(width, column.justify, row_style)
                if segments is not None:
                    lines.append([segments])
                    continue
                renderable = renderable.padded
            lines.append(console.render_lines(renderable, render_options, style=get_style(cell.style) + row_style))
        height = max(map(len, lines))
        align = {"top": Segment.align_top, "middle": Segment.align_middle, "bottom": Segment.align_bottom}
        shaped = [Segment.set_shape(align[cell.vertical](cell_lines, width, height, get_style(cell.style) + row_style),
                                    width, height)
                  for cell, cell_lines, width in zip(row, lines, widths)]
        if not divider.text.strip():  # a blank divider takes the row's background, as Table's does
            divider = Segment(divider.text, row_style.background_style + divider.style)
        for line_no in range(height):
            for n, cell_lines in enumerate(shaped):
                if n:
                    yield divider
                yield from cell_lines[line_no]
            yield Segment.line()


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

    def _fitted(self, width: int, justify: str | None) -> tuple[str, int, str] | None:
        """(text, cells of fill, justify) of the cell's one line in a column `width` cells wide, or
        None when it does not fit as one line (or is centred): Padding must draw it."""
        padded, text = self.padded, self.padded.renderable
        plain = text.plain
        room_for_text = width - padded.left - padded.right
        justify = text.justify or justify or "default"
        room = room_for_text - cell_len(plain)
        if room < 0 or justify not in ("default", "left", "right") or not _fits(plain, room_for_text):
            return None
        return plain, room, justify

    def line(self, width: int, justify: str | None) -> str | None:
        """The cell's one line in a column `width` cells wide, or None when Padding must draw it."""
        fitted = self._fitted(width, justify)
        if fitted is None:
            return None
        plain, room, justify = fitted
        body = " " * room + plain if justify == "right" else plain + " " * room
        return " " * self.padded.left + body + " " * self.padded.right

    def styled(self, width: int, justify: str | None, style: Any) -> list[Segment] | None:
        """The cell's one line in a row of `style`, cut into segments as Padding(Broken) draws it
        there (its padding, the text, the fill that makes up the width: each a segment of `style`),
        or None when Padding must draw it."""
        fitted = self._fitted(width, justify)
        if fitted is None:
            return None
        plain, room, justify = fitted
        padded = self.padded
        if justify == "right":  # Rich pads a justified line inside the text: one segment
            body = [Segment(" " * room + plain, style)]
        elif justify == "left":
            body = [Segment(plain + " " * room, style)]
        else:  # the line as it is, and the fill of its width after it
            body = [Segment(plain, style)] + ([Segment(" " * room, style)] if room else [])
        left = [Segment(" " * padded.left, style)] if padded.left else []
        right = [Segment(" " * padded.right, style)] if padded.right else []
        return left + body + right

    def lines(self, console: Any, width: int, column: Column) -> list[str] | None:
        """The cell's lines in a column `width` cells wide, each padded to it, as Padding(Broken)
        draws them (wrapped by Broken.wrap when the text does not fit); None when only Padding can."""
        line = self.line(width, column.justify)
        if line is not None:
            return [line]
        padded, text = self.padded, self.padded.renderable
        room = width - padded.left - padded.right
        justify = text.justify or column.justify or "default"
        if room < 1 or justify not in ("default", "left", "right") or column.no_wrap or text.no_wrap:
            return None
        wrapped = [w.plain for w in text.wrap(console, room, justify=justify, overflow=text.overflow or column.overflow)]
        if any(cell_len(w) > room for w in wrapped):
            return None
        return [" " * padded.left + w + " " * (room - cell_len(w) + padded.right) for w in wrapped]

    def __rich_console__(self, console: Any, options: Any) -> Iterable[Segment]:
        line = self.line(options.max_width, options.justify)
        if line is None:
            yield from console.render(self.padded, options)
            return
        yield Segment(line)
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
