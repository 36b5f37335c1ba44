"""Charts as inline SVG, generated here (no library, nothing external): a horizontal bar chart of
percents 0–100 and a line chart of percents over sessions.

Every label is escaped: bank titles, section titles and dates are data. The SVG carries no xmlns
(inline SVG in HTML does not need it) and no font of its own: it inherits the page's.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from html import escape
from typing import Sequence

from .common import fmt

Number = Decimal | float | int

INK = "#1b1f24"
MUTED = "#5b6670"
GRID = "#d5dbe1"
BAR = "#3b6ea8"
BAR_LIGHT = "#8fb1d8"
# distinguishable in colour and, printed in grey, by their dashes
SERIES = [("#1f5fa8", ""), ("#c0392b", "6 3"), ("#2e8b57", "2 3"), ("#d68910", "8 3 2 3"),
          ("#7d3c98", "4 2"), ("#5d6d7e", "1 2"), ("#17a2b8", "10 4")]


def text_width(text: str, size: float) -> float:
    """A fair estimate of a label's width: CJK and full-width characters are one em, others about half."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.56 for ch in text)


def clip(text: str, size: float, room: float) -> str:
    """The label cut to fit `room` pixels, with an ellipsis where it was cut."""
    if text_width(text, size) <= room:
        return text
    while text and text_width(text + "…", size) > room:
        text = text[:-1]
    return text + "…"


def _f(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _clamp(value: Number) -> float:
    return max(0.0, min(100.0, float(value)))


def opening(cls: str, width: float, height: float, title: str) -> list[str]:
    """A chart's <svg> start tag and, given a title, its <title> and the title drawn at the top left."""
    out = [f'<svg class="chart {cls}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
           f'role="img" aria-label="{escape(title)}">']
    if title:
        out.append(f"<title>{escape(title)}</title>")
        out.append(f'<text x="0" y="14" font-size="12" font-weight="600" fill="{INK}">{escape(title)}</text>')
    return out


@dataclass(frozen=True)
class BarRow:
    label: str
    value: Number | None
    strong: bool = False  # a bank (bold, dark) rather than one of its sections
    low: Number | None = None  # an optional range (a group's lowest and highest percent)
    high: Number | None = None


def bar_chart(rows: Sequence[BarRow], title: str = "", width: int = 680) -> str:
    """Horizontal bars of percents on a 0–100 scale, a label left of each bar and its value right of it."""
    size = 12.0
    row_h, top, bottom = 22, 26 if title else 8, 26
    label_w = min(max((text_width(r.label, size) for r in rows), default=0) + 14, width * 0.4)
    x0, x1 = label_w, width - 44
    scale = (x1 - x0) / 100
    height = top + row_h * len(rows) + bottom
    out = opening("bar-chart", width, height, title)
    plot_bottom = top + row_h * len(rows)
    for tick in range(0, 101, 20):
        x = x0 + tick * scale
        out.append(f'<line x1="{_f(x)}" y1="{top - 4}" x2="{_f(x)}" y2="{plot_bottom}" stroke="{GRID}" stroke-width="1"/>')
        out.append(f'<text x="{_f(x)}" y="{plot_bottom + 15}" font-size="10" fill="{MUTED}" text-anchor="middle">{tick}</text>')
    for n, row in enumerate(rows):
        y = top + n * row_h
        mid = y + row_h / 2
        label = clip(row.label, size, label_w - 12)
        weight = ' font-weight="600"' if row.strong else ""
        out.append(f'<text x="{_f(x0 - 8)}" y="{_f(mid + 4)}" font-size="{_f(size)}" fill="{INK}" '
                   f'text-anchor="end"{weight}>{escape(label)}</text>')
        if row.value is None:
            out.append(f'<text x="{_f(x0 + 4)}" y="{_f(mid + 4)}" font-size="11" fill="{MUTED}">—</text>')
            continue
        w = _clamp(row.value) * scale
        bar_h = 14 if row.strong else 11
        out.append(f'<rect x="{_f(x0)}" y="{_f(mid - bar_h / 2)}" width="{_f(w)}" height="{bar_h}" '
                   f'fill="{BAR if row.strong else BAR_LIGHT}"/>')
        end = x0 + w
        if row.low is not None and row.high is not None:
            lx, hx = x0 + _clamp(row.low) * scale, x0 + _clamp(row.high) * scale
            out.append(f'<line x1="{_f(lx)}" y1="{_f(mid)}" x2="{_f(hx)}" y2="{_f(mid)}" stroke="{INK}" stroke-width="1.5"/>')
            for x in (lx, hx):
                out.append(f'<line x1="{_f(x)}" y1="{_f(mid - 5)}" x2="{_f(x)}" y2="{_f(mid + 5)}" stroke="{INK}" stroke-width="1.5"/>')
            end = max(end, hx)
        out.append(f'<text x="{_f(end + 5)}" y="{_f(mid + 4)}" font-size="11" fill="{INK}"{weight}>'
                   f'{escape(fmt(Decimal(str(row.value))))}</text>')
    out.append("</svg>")
    return "".join(out)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Number | None]  # one per x label; None leaves a gap


def line_chart(x_labels: Sequence[str], series: Sequence[Series], title: str = "", width: int = 680,
               height: int = 240) -> str:
    """Percents (0–100) over sessions: one line per series, a dot on every value, a legend below."""
    size = 11.0
    top = 26 if title else 10
    left, right, plot_h = 36, 16, height - top - 34
    x0, x1 = left, width - right
    n = len(x_labels)

    def x_of(i: int) -> float:
        return (x0 + x1) / 2 if n == 1 else x0 + 10 + i * (x1 - x0 - 20) / (n - 1)

    def y_of(v: Number) -> float:
        return top + plot_h * (1 - _clamp(v) / 100)

    # the legend: swatches that wrap onto as many lines as they need
    legend: list[tuple[float, int, int, str]] = []
    lx, line = float(x0), 0
    for k, s in enumerate(series):
        w = 34 + text_width(s.name, size) + 14
        if lx + w > x1 and lx > x0:
            lx, line = float(x0), line + 1
        legend.append((lx, line, k, s.name))
        lx += w
    legend_h = (line + 1) * 18 if series else 0
    total_h = height + legend_h
    out = opening("line-chart", width, total_h, title)
    for tick in range(0, 101, 20):
        y = y_of(tick)
        out.append(f'<line x1="{x0}" y1="{_f(y)}" x2="{x1}" y2="{_f(y)}" stroke="{GRID}" stroke-width="1"/>')
        out.append(f'<text x="{x0 - 6}" y="{_f(y + 4)}" font-size="10" fill="{MUTED}" text-anchor="end">{tick}</text>')
    every = max(1, -(-n * 80 // max(1, x1 - x0)))  # leave labels out rather than overlap them
    for i, label in enumerate(x_labels):
        if i % every == 0 or i == n - 1:
            out.append(f'<text x="{_f(x_of(i))}" y="{_f(top + plot_h + 16)}" font-size="10" fill="{MUTED}" '
                       f'text-anchor="middle">{escape(label)}</text>')
    for k, s in enumerate(series):
        colour, dash = SERIES[k % len(SERIES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        run: list[str] = []
        runs: list[list[str]] = []
        for i, v in enumerate(s.values):
            if v is None:
                if run:
                    runs.append(run)
                run = []
            else:
                run.append(f"{_f(x_of(i))},{_f(y_of(v))}")
        if run:
            runs.append(run)
        for r in runs:
            if len(r) > 1:
                out.append(f'<polyline points="{" ".join(r)}" fill="none" stroke="{colour}" stroke-width="2"{dash_attr}/>')
        for i, v in enumerate(s.values):
            if v is not None:
                out.append(f'<circle cx="{_f(x_of(i))}" cy="{_f(y_of(v))}" r="3" fill="{colour}"/>')
    for lx, line, k, name in legend:
        colour, dash = SERIES[k % len(SERIES)]
        y = height + line * 18 + 4
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<line x1="{_f(lx)}" y1="{y}" x2="{_f(lx + 26)}" y2="{y}" stroke="{colour}" stroke-width="2"{dash_attr}/>')
        out.append(f'<circle cx="{_f(lx + 13)}" cy="{y}" r="3" fill="{colour}"/>')
        out.append(f'<text x="{_f(lx + 32)}" y="{y + 4}" font-size="{_f(size)}" fill="{INK}">{escape(name)}</text>')
    out.append("</svg>")
    return "".join(out)
