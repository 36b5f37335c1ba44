"""Line breaking for mixed Chinese and English text, with the rules a reader expects.

Chinese (禁则): no line starts with a closing mark such as ，。；）」 and none ends with an opening
one such as （「《. English: lines break at spaces, and the spaces at a break are dropped, so no
line starts with one. Mixed: an ASCII word or number is never split (`（KPI）`, `QA-2026-03`,
`09:30`, `0.75`), nor a number from the character after it (`1级`), nor a date (`2026年3月31日`).
Only a word longer than the whole line is cut.

Rich breaks an unspaced Chinese run at any character, which puts "；" at the start of a line; here
the breaks are chosen first, then Rich only draws the lines. Styles survive: the breaks are
offsets into the Text, which `Text.divide` splits at.
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.console import RenderableType
from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

# may not begin a line
CLOSING = set("，。、；：？！…）」』》〉】〕｝”’%％,.;:?!)]}·ー々～")
# may not end a line
OPENING = set("（「『《〈【〔｛“‘([{")
# dates and times written the Chinese way: never broken inside
_DATES = re.compile(r"\d{1,4}年\d{1,2}月(?:\d{1,2}日)?|\d{1,2}月\d{1,2}日|\d{1,2}[时点]\d{1,2}分?")


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


def _spans(line: str, width: int) -> list[tuple[int, int]]:
    """(start, end) of each screen line that `line` becomes; the spaces at a break are left out."""
    glued = _glued(line)
    widths = [cell_len(ch) for ch in line]
    spans: list[tuple[int, int]] = []
    start = 0
    while True:
        used, i, best = 0, start, None
        while i < len(line):
            w = widths[i]
            if i > start:
                if used + w > width:
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


def wrap(text: Text, width: int) -> Text:
    """`text` with newlines inserted so that every line fits `width` cells."""
    if width <= 1:
        return text
    plain = text.plain
    spans: list[tuple[int, int]] = []
    position = 0
    for line in plain.split("\n"):
        spans += [(position + s, position + e) for s, e in _spans(line, width)]
        position += len(line) + 1
    if len(spans) == plain.count("\n") + 1 and all(e - s == len(line) for (s, e), line in zip(spans, plain.split("\n"))):
        return text  # every line fits as it is
    cuts = sorted({offset for span in spans for offset in span} - {0, len(plain)})
    pieces = {start: piece for start, piece in zip([0, *cuts], text.divide(cuts))}
    out = Text(style=text.style, justify=text.justify, no_wrap=text.no_wrap, end=text.end)
    for n, (start, end) in enumerate(spans):
        if n:
            out.append("\n")
        if end > start:
            out.append_text(pieces[start])
    return out


class Wrapped(Widget):
    """A block of text broken into lines by `wrap` for the width it has, and again whenever that
    width changes (the help box; chat bubbles do the same)."""

    DEFAULT_CSS = "Wrapped { height: auto; }"

    def __init__(self, text: Text, *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self.text = text

    def update(self, text: Text) -> None:
        self.text = text
        self.refresh(layout=True)

    def render(self) -> RenderableType:
        return wrap(self.text, self.content_region.width or self.size.width)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(wrap(self.text, width).plain.split("\n"))
