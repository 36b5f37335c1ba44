"""How one item's ratings are shown wherever a group is read (the workshop report, the consensus
screen and agenda, the live watch): the distribution over levels 1–5 as five characters, a compact
line of its figures, and the distribution as a small inline SVG chart for HTML (one row per item,
a stacked bar of the respondents at each level, the mean marked).
"""

from __future__ import annotations

from html import escape
from typing import Sequence

from ..domain.group import ItemGroup
from ..i18n import Lang, t
from .common import fixed
from .svg import GRID, INK, MUTED, _f, clip, opening, text_width

BLOCKS = "▁▂▃▄▅▆▇█"
# levels 1..5 from red to green, distinguishable printed in grey by their lightness
LEVEL_COLOURS = ["#c0392b", "#e67e22", "#d4ac0d", "#7dcea0", "#1e8449"]


def distribution_bar(distribution: dict[int, int]) -> str:
    """Five characters, one per level 1..5: a block as high as that level's share of the largest
    count, · where nobody chose it (e.g. "·▄█▂·")."""
    top = max(distribution.values(), default=0)
    if not top:
        return "·" * len(distribution)
    return "".join("·" if not n else BLOCKS[max(0, round(n / top * (len(BLOCKS) - 1)))] for n in distribution.values())


def who(name: str, role: str | None, lang: Lang) -> str:
    """A respondent as a remark names them: "#3 (staff)", "#3（员工）"."""
    if not role:
        return name
    return f"{name}（{role}）" if lang == "zh" else f"{name} ({role})"


def figures(item: ItemGroup, lang: Lang) -> str:
    """"mean 2.67 · median 3 · SD 0.47 · IQR 0.50 · agreement 0.79" (zh: 均值 … 一致度 …)."""
    median = item.median
    med = "—" if median is None else (f"{median:.1f}" if median % 1 else f"{median:.0f}")
    return " · ".join([f"{t('group.mean', lang)} {fixed(item.mean_level, 2)}", f"{t('agreement.median', lang)} {med}",
                       f"{t('agreement.sd', lang)} {fixed(item.sd, 2)}", f"{t('agreement.iqr', lang)} {fixed(item.iqr, 2)}",
                       f"{t('agreement.index', lang)} {fixed(item.agreement, 2)}"])


def distribution_chart(items: Sequence[tuple[str, ItemGroup]], title: str = "", legend: str = "",
                       width: int = 680) -> str:
    """One row per (label, item): the respondents at each level as a stacked bar (level 1 left), the
    count inside each part wide enough, and a tick at the mean level on a 1–5 scale under the bar."""
    size, row_h = 11.0, 20
    top, bottom = (26 if title else 8), 24
    label_w = min(max((text_width(label, size) for label, _ in items), default=0) + 12, width * 0.3)
    x0, x1 = label_w, width - 10
    height = top + row_h * len(items) + bottom
    out = opening("distribution-chart", width, height, title)
    for n, (label, item) in enumerate(items):
        y = top + n * row_h
        mid = y + row_h / 2
        out.append(f'<text x="{_f(x0 - 6)}" y="{_f(mid + 4)}" font-size="{_f(size)}" fill="{INK}" '
                   f'text-anchor="end">{escape(clip(label, size, label_w - 10))}</text>')
        total = sum(item.distribution.values())
        if not total:
            out.append(f'<text x="{_f(x0 + 4)}" y="{_f(mid + 4)}" font-size="11" fill="{MUTED}">—</text>')
            continue
        x = x0
        for level, count in item.distribution.items():
            if not count:
                continue
            w = (x1 - x0) * count / total
            out.append(f'<rect x="{_f(x)}" y="{_f(mid - 6)}" width="{_f(w)}" height="12" '
                       f'fill="{LEVEL_COLOURS[level - 1]}"><title>{level}: {count}</title></rect>')
            if w >= 14:
                out.append(f'<text x="{_f(x + w / 2)}" y="{_f(mid + 3.5)}" font-size="9" fill="#fff" '
                           f'text-anchor="middle">{count}</text>')
            x += w
        if item.mean_level is not None:
            mx = x0 + (x1 - x0) * float(item.mean_level - 1) / 4
            out.append(f'<line x1="{_f(mx)}" y1="{_f(mid + 6)}" x2="{_f(mx)}" y2="{_f(mid + 9)}" stroke="{INK}" '
                       f'stroke-width="2"/>')
    base = top + row_h * len(items)
    out.append(f'<line x1="{_f(x0)}" y1="{base}" x2="{_f(x1)}" y2="{base}" stroke="{GRID}"/>')
    for level in range(1, 6):
        lx = x0 + 8 + (level - 1) * 40
        out.append(f'<rect x="{_f(lx)}" y="{base + 8}" width="10" height="10" fill="{LEVEL_COLOURS[level - 1]}"/>'
                   f'<text x="{_f(lx + 13)}" y="{base + 17}" font-size="10" fill="{MUTED}">{level}</text>')
    if legend:
        out.append(f'<text x="{_f(x0 + 215)}" y="{base + 17}" font-size="10" fill="{MUTED}">{escape(legend)}</text>')
    out.append("</svg>")
    return "".join(out)
