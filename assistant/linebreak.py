"""Line breaking for mixed Chinese and English text, with the rules a reader expects, for every
place text is broken into lines: chat bubbles and the help box (tui/wrap.py), Rich tables and text
of the CLI and the reports (rich_linebreak.py), and the CLI's --help (i18n_cli.py).

Chinese (禁则): no line starts with a closing mark such as ，。；）」 and none ends with an opening
one such as （「《. English: lines break at spaces, and the spaces at a break are dropped, so no
line starts with one. Mixed: an ASCII word or number is never split (`（KPI）`, `QA-2026-03`,
`09:30`, `0.75`), nor a number from the character after it (`1级`), nor a date (`2026年3月31日`).
Only a word longer than the whole line is cut. The continuation lines of an indented line or a
list item start under its text.

Rich breaks an unspaced Chinese run at any character, which puts "；" at the start of a line; here
the breaks are chosen first, then Rich only draws the lines. Styles survive: the breaks are
offsets into the Text, which `Text.divide` splits at. The rules themselves need no Rich (the
CLI's --help imports none): a character's width is its East Asian width, as a terminal shows it.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text

# may not begin a line
CLOSING = set("，。、；：？！…）」』》〉】〕｝”’%％,.;:?!)]}·ー々～")
# may not end a line
OPENING = set("（「『《〈【〔｛“‘([{")
# dates and times written the Chinese way: never broken inside
_DATES = re.compile(r"\d{1,4}年\d{1,2}月(?:\d{1,2}日)?|\d{1,2}月\d{1,2}日|\d{1,2}[时点]\d{1,2}分?")


def char_cells(ch: str) -> int:
    """The columns a character takes in a terminal: two for a wide (Chinese) one, none for a
    combining mark."""
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def cells(text: str) -> int:
    """The columns `text` takes in a terminal."""
    return sum(map(char_cells, text))


def _glued(line: str) -> set[int]:
    """Offsets i where a line may not break before line[i] because a date runs across them."""
    return {i for m in _DATES.finditer(line) for i in range(m.start() + 1, m.end())}


def _may_break(line: str, widths: list[int], i: int, glued: set[int]) -> tuple[int, int] | None:
    """May a line end before line[i]? Then (where this line ends, where the next begins)."""
    before, here = line[i - 1], line[i]
    if here == " ":
        if before == " ":
            return None  # a run of spaces breaks at its start
        end, after = _cut(line, i)
        if after < len(line) and line[after] in CLOSING or before in OPENING:
            return None
        return end, after
    if before == " " or i in glued or here in CLOSING or before in OPENING:
        return None
    wide_before, wide_here = widths[i - 1] == 2, widths[i] == 2
    if not wide_before and not wide_here:
        return None  # inside a word, a number, 09:30, QA-2026-03
    if before.isascii() and before.isdigit() and wide_here:
        return None  # 1级, 12项
    return i, i


def _cut(line: str, i: int) -> tuple[int, int]:
    """No place to break before line[i]: cut there (a word longer than the line), spaces dropped."""
    after = i
    while after < len(line) and line[after] == " ":
        after += 1
    return i, after


def _spans(line: str, width: int, rest: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each screen line that `line` becomes, the first `width` cells wide, the
    others `rest` (a hanging indent takes the difference); the spaces at a break are left out."""
    glued = _glued(line)
    widths = [char_cells(ch) for ch in line]
    spans: list[tuple[int, int]] = []
    start = 0
    while True:
        used, i, best = 0, start, None
        limit = width if start == 0 or rest is None else rest
        while i < len(line):
            w = widths[i]
            if i > start:
                if used + w > limit:
                    break
                best = _may_break(line, widths, i, glued) or best
            used += w
            i += 1
        if i >= len(line):
            spans.append((start, len(line)))
            return spans
        best = _may_break(line, widths, i, glued) or best or _cut(line, i)
        spans.append((start, best[0]))
        if best[1] >= len(line):
            return spans  # only spaces were left
        start = best[1]


def narrowest(line: str) -> int:
    """The width of the widest piece of `line` that may not be broken: the least width it needs."""
    glued = _glued(line)
    widths = [char_cells(ch) for ch in line]
    widest, start = 0, 0
    for i in range(1, len(line)):
        where = _may_break(line, widths, i, glued)
        if where is not None and where[0] > start:
            widest = max(widest, sum(widths[start:where[0]]))
            start = where[1]
    return max(widest, sum(widths[start:len(line.rstrip(" "))]))


# a list item's marker after its indent: its continuation lines start under its text
_MARKER = re.compile(r" *(?:(?:[•\-–*]|——|\d{1,2}[.)]|[\u2460-\u2473]|[a-z][.)]) +)?")


def hang(line: str, width: int) -> int:
    """The hanging indent of `line`'s continuation lines: its own indent and list marker ("  • ",
    "—— ", "1) "), none where that would leave less than half the width."""
    marker = cells(_MARKER.match(line).group(0))  # type: ignore[union-attr]
    return marker if marker * 2 <= width else 0


def wrap(text: Text, width: int) -> Text:
    """`text` with newlines inserted so that every line fits `width` cells; the continuation lines
    of an indented line or a list item start under its text (`hang`)."""
    from rich.text import Text

    if width <= 1:
        return text
    plain = text.plain
    spans: list[tuple[int, int, int]] = []  # start, end, the indent put before it
    position = 0
    for line in plain.split("\n"):
        indent = hang(line, width)
        spans += [(position + s, position + e, indent if n else 0)
                  for n, (s, e) in enumerate(_spans(line, width, width - indent))]
        position += len(line) + 1
    if len(spans) == plain.count("\n") + 1 and all(e - s == len(line) for (s, e, _), line in zip(spans, plain.split("\n"))):
        return text  # every line fits as it is
    cuts = sorted({offset for s, e, _ in spans for offset in (s, e)} - {0, len(plain)})
    pieces = {start: piece for start, piece in zip([0, *cuts], text.divide(cuts))}
    out = Text(style=text.style, justify=text.justify, no_wrap=text.no_wrap, end=text.end)
    for n, (start, end, indent) in enumerate(spans):
        if n:
            out.append("\n" + " " * indent)
        if end > start:
            out.append_text(pieces[start])
    return out


def lines(text: str, width: int) -> list[str]:
    """`text` (one paragraph or several lines) as lines of at most `width` columns, by the rules above."""
    out: list[str] = []
    for line in text.split("\n"):
        indent = hang(line, width)
        out += [(" " * indent if n else "") + line[s:e] for n, (s, e) in enumerate(_spans(line, width, width - indent))]
    return out


def fitting(variants: list[str], width: int | None) -> str:
    """The first text that fits `width` cells (CJK characters take two), else the shortest."""
    if width is None:
        return variants[0]
    from rich.cells import cell_len

    return next((v for v in variants if cell_len(v) <= width), variants[-1])
