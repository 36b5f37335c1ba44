"""Line breaking for mixed Chinese and English text, with the Chinese rules a reader expects
(禁则): no line starts with a closing mark such as ，。；）」 and none ends with an opening one
such as （「《. Rich breaks an unspaced Chinese run at any character, which puts "；" at the
start of a line; here the breaks are chosen first, then Rich only draws the lines.

Styles survive: the breaks are offsets into the Text, which `Text.divide` splits at.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

# may not begin a line
CLOSING = set("，。、；：？！…）」』》〉】〕｝”’%％,.;:?!)]}·ー々～")
# may not end a line
OPENING = set("（「『《〈【〔｛“‘([{")


def _is_wide(ch: str) -> bool:
    return cell_len(ch) == 2


def _breaks(line: str, width: int) -> list[int]:
    """Offsets (into `line`) where new lines start."""
    breaks: list[int] = []
    start, used, last_space = 0, 0, -1
    i = 0
    while i < len(line):
        ch = line[i]
        w = cell_len(ch)
        if ch == " ":
            last_space = i
        if used + w > width and i > start:
            cut = i
            if not _is_wide(ch) and ch != " " and last_space > start:
                cut = last_space + 1  # a Latin word goes whole onto the next line
            else:
                # keep closing marks off the start and opening marks off the end of a line
                while cut - 1 > start and (line[cut] in CLOSING or line[cut - 1] in OPENING):
                    cut -= 1
            breaks.append(cut)
            start, last_space = cut, -1
            used = cell_len(line[start:i + 1])
            i += 1
            continue
        used += w
        i += 1
    return breaks


def wrap(text: Text, width: int) -> Text:
    """`text` with newlines inserted so that every line fits `width` cells."""
    if width <= 1:
        return text
    plain = text.plain
    offsets: list[int] = []
    position = 0
    for line in plain.split("\n"):
        offsets += [position + b for b in _breaks(line, width)]
        position += len(line) + 1
    if not offsets:
        return text
    pieces = text.divide(offsets)
    out = Text(style=text.style, justify=text.justify, no_wrap=text.no_wrap, end=text.end)
    for n, piece in enumerate(pieces):
        if n:
            out.append("\n")
        out.append_text(piece)
    return out
