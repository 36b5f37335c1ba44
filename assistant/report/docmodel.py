"""The report's small document model — headings, paragraphs, fields, lists, tables, charts, all of
plain text — and its three renderers (Markdown, one self-contained HTML file, Rich). Renderers
escape every text they are given; only the SVG charts (assistant/report/svg.py, which escapes its
own labels) and the renderers' own tags are emitted as markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape as _html_escape
from typing import Sequence, Union

from rich.console import Group as RichGroup
from rich.console import RenderableType
from rich.table import Table as RichTable
from rich.text import Text

from ..i18n import Lang
from ..printable import printable
from ..rich_linebreak import LongTable  # prints what RichTable prints, faster for long tables
from .common import bar, fixed
from .markdown import md

def escape(text: str) -> str:
    """HTML text: markup escaped, and control and bidi characters shown (printable)."""
    return _html_escape(printable(text))


def _shown(text: str) -> Text:
    return Text(printable(text))


# -- the document model --------------------------------------------------------------------------


class Safe(str):
    """Text the program writes itself (numbers, dates, its own labels): Markdown escapes only what
    would break a table. Anything from a user or a bank stays a plain str and is fully escaped."""


@dataclass(frozen=True)
class Span:
    text: str
    style: str = ""  # "b" bold, "muted", "flag", "big", "org"
    block: bool = False  # on a line of its own (HTML), after a dash (Markdown)


Inline = Union[str, Span, Sequence[Union[str, Span]]]


@dataclass(frozen=True)
class Pct:
    """A percent cell: a text bar and the number in Markdown and the terminal, the number in HTML
    (where a chart beside the table draws the bars)."""

    value: Decimal | None


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Para:
    content: Inline
    cls: str = ""  # "note", "lead", "warn", "small"


@dataclass(frozen=True)
class Fields:
    rows: list[tuple[str, Inline]]


@dataclass(frozen=True)
class Bullets:
    items: list[Inline]
    ordered: bool = False


@dataclass(frozen=True)
class Row:
    cells: list[Inline | Pct]
    cls: str = ""  # "bank" (a heading row), "flag" (highlighted), "current"


@dataclass(frozen=True)
class Table:
    head: list[str]
    rows: list[Row]
    align: str = ""  # one letter a column: l or r (default l)
    widths: tuple[int, ...] | None = None  # percent of the table's width, for HTML
    cls: str = ""


@dataclass(frozen=True)
class Figure:
    svg: str  # markup from assistant.report.svg; HTML only


Block = Union[Heading, Para, Fields, Bullets, Table, Figure]


@dataclass(frozen=True)
class Part:
    id: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    page_break: bool = True  # start on a new page when printed
    cover: bool = False


@dataclass(frozen=True)
class Doc:
    lang: Lang
    title: str  # the HTML <title>
    parts: list[Part]


def _spans(content: Inline) -> list[Span]:
    if isinstance(content, Span):
        return [content]
    if isinstance(content, str):
        return [Span(content)]
    return [c if isinstance(c, Span) else Span(c) for c in content]


# -- Markdown --------------------------------------------------------------------------------------


_LIGHT = re.compile(r"([\\`*_\[\]<>|])")


def _md_text(text: str, trusted: bool = False) -> str:
    """Markdown for one text: fully escaped (md()) unless it is the program's own (Safe, or trusted)."""
    if isinstance(text, Safe) or trusted:
        return _LIGHT.sub(r"\\\1", " ".join(printable(text).split()))
    return md(text)


def _md_inline(content: Inline) -> str:
    out = ""
    for span in _spans(content):
        body = _md_text(span.text)
        if not body:
            if span.text and not span.text.strip() and out and not out.endswith(" "):
                out += " "  # a separator made of spaces only
            continue
        if span.style in ("b", "big", "org", "flag"):
            body = f"**{body}**"
        elif span.style == "muted":
            body = f"*{body}*"
        if span.block and out:
            out = out.rstrip() + " — "
        elif out and span.text[:1].isspace() and not out.endswith(" "):
            out += " "
        out += body
        if span.text[-1:].isspace():
            out += " "
    return out.strip()


def _md_cell(cell: Inline | Pct) -> str:
    if isinstance(cell, Pct):
        return f"`{bar(cell.value, 10)}` {fixed(cell.value, 1)}" if cell.value is not None else "—"
    return _md_inline(cell) or " "


def render_markdown(doc: Doc) -> str:
    out: list[str] = []
    for part in doc.parts:
        out += [f"{'#' if part.cover else '##'} {_md_text(part.title, trusted=True)}", ""]
        for block in part.blocks:
            if isinstance(block, Heading):
                out += [f"{'#' * block.level} {_md_text(block.text)}", ""]
            elif isinstance(block, Para):
                text = _md_inline(block.content)
                out += [f"> {text}" if block.cls in ("note", "warn") else text, ""]
            elif isinstance(block, Fields):
                for k, v in block.rows:
                    spans = _spans(v)
                    if len(spans) > 1 and all(x.block for x in spans):  # one line each: a nested list
                        out.append(f"- **{_md_text(k, trusted=True)}**:")
                        out += [f"  - {_md_inline(x)}" for x in spans]
                    else:
                        out.append(f"- **{_md_text(k, trusted=True)}**: {_md_inline(v)}")
                out.append("")
            elif isinstance(block, Bullets):
                out += [f"{f'{n}.' if block.ordered else '-'} {_md_inline(item)}" for n, item in enumerate(block.items, 1)]
                out.append("")
            elif isinstance(block, Table):
                align = block.align.ljust(len(block.head), "l")
                out.append("| " + " | ".join(_md_text(h) or " " for h in block.head) + " |")
                out.append("|" + "|".join("---:" if a == "r" else "---" for a in align) + "|")
                for row in block.rows:
                    cells = [_md_cell(c) for c in row.cells]
                    if row.cls == "bank" and cells[0].strip() and not cells[0].startswith("**"):
                        cells[0] = f"**{cells[0]}**"
                    out.append("| " + " | ".join(cells) + " |")
                out.append("")
            # a Figure is the HTML's chart: Markdown has the bars in its tables
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


# -- HTML ----------------------------------------------------------------------------------------

CSS = """
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
:root { color-scheme: light; }
html { background: #fff; }
body {
  margin: 0 auto; padding: 10mm 8mm; max-width: 182mm; background: #fff; color: #1b1f24;
  font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Hiragino Sans GB",
               "Microsoft YaHei", "Segoe UI", "Helvetica Neue", Arial, sans-serif;
  font-size: 10pt; line-height: 1.55;
}
h1 { font-size: 22pt; line-height: 1.25; margin: 0 0 3mm; color: #17375e; }
h2 { font-size: 15pt; margin: 9mm 0 4mm; padding-bottom: 1.5mm; color: #17375e; border-bottom: 1.5pt solid #17375e; }
h3 { font-size: 12pt; margin: 6mm 0 2mm; color: #17375e; }
h4 { font-size: 10.5pt; margin: 4mm 0 1.5mm; color: #2c3e50; }
h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
p { margin: 1.5mm 0 3mm; }
section.part { margin-top: 6mm; }
section.cover { padding-top: 30mm; }
section.cover .org { font-size: 17pt; font-weight: 600; margin: 0 0 10mm; }
section.cover .for { color: #5b6670; letter-spacing: .08em; margin-bottom: 12mm; }
table { width: 100%; border-collapse: collapse; margin: 2mm 0 4mm; font-size: 9pt; }
th, td { border: .6pt solid #b8c2cc; padding: 1.2mm 1.8mm; vertical-align: top; text-align: left;
         overflow-wrap: break-word; }
th { background: #eef2f6; font-weight: 600; }
thead { display: table-header-group; }
tr, figure, .fields tr { break-inside: avoid; page-break-inside: avoid; }
th.r, td.r { text-align: right; }
td.r { white-space: nowrap; }
tr.bank td { font-weight: 600; background: #f4f6f8; }
tr.flag td { background: #fff1cc; }
tr.current td { font-weight: 600; }
table.fields th { width: 30%; background: #f4f6f8; }
table.fields { font-size: 10pt; }
table.plan td.blank { min-width: 20mm; }
table.wide { font-size: 8pt; }
table.wide th { overflow-wrap: anywhere; }
.b { font-weight: 600; }
.muted { color: #5b6670; }
span.flag { color: #8a4b00; font-weight: 700; }
.big { font-size: 18pt; font-weight: 700; color: #17375e; }
.blk { display: block; margin-top: .6mm; }
.muted.blk { font-size: 8.5pt; }
p.note { border-left: 2.5pt solid #8aa4c0; background: #f5f8fb; padding: 1.5mm 3mm; }
p.warn { border-left: 2.5pt solid #d68910; background: #fff8e6; padding: 1.5mm 3mm; }
p.small { font-size: 8.5pt; color: #5b6670; }
ul, ol { margin: 1mm 0 3mm; padding-left: 6mm; }
li { margin: .8mm 0; break-inside: avoid; page-break-inside: avoid; }
figure { margin: 2mm 0 4mm; }
svg.chart { display: block; width: 100%; max-width: 100%; height: auto; font-family: inherit; }
@media print {
  body { max-width: none; padding: 0; }
  section.break { break-before: page; page-break-before: always; }
  section.cover { padding-top: 50mm; }
  th, tr.bank td, tr.flag td, p.note, p.warn, svg.chart { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def _html_inline(content: Inline) -> str:
    out = []
    for span in _spans(content):
        body = escape(span.text)
        cls = {"b": "b", "muted": "muted", "flag": "flag", "big": "big", "org": "b"}.get(span.style, "")
        if span.block:
            cls = (cls + " blk").strip()
        out.append(f'<span class="{cls}">{body}</span>' if cls else body)
    return "".join(out)


def _html_cell(cell: Inline | Pct) -> str:
    if isinstance(cell, Pct):
        return escape(fixed(cell.value, 1))
    return _html_inline(cell)


def render_html(doc: Doc) -> str:
    lang_attr = "zh-CN" if doc.lang == "zh" else "en"
    out = ["<!doctype html>", f'<html lang="{lang_attr}">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{escape(doc.title)}</title>", f"<style>{CSS}</style>", "</head>", "<body>"]
    for part in doc.parts:
        classes = ["part"] + (["cover"] if part.cover else []) + (["break"] if part.page_break else [])
        out.append(f'<section id="{escape(part.id)}" class="{" ".join(classes)}">')
        out.append(f"<h1>{escape(part.title)}</h1>" if part.cover else f"<h2>{escape(part.title)}</h2>")
        for block in part.blocks:
            if isinstance(block, Heading):
                out.append(f"<h{block.level}>{escape(block.text)}</h{block.level}>")
            elif isinstance(block, Para):
                cls = f' class="{block.cls}"' if block.cls else ""
                out.append(f"<p{cls}>{_html_inline(block.content)}</p>")
            elif isinstance(block, Fields):
                out.append('<table class="fields"><tbody>')
                out += [f"<tr><th>{escape(k)}</th><td>{_html_inline(v)}</td></tr>" for k, v in block.rows]
                out.append("</tbody></table>")
            elif isinstance(block, Bullets):
                tag = "ol" if block.ordered else "ul"
                out.append(f"<{tag}>" + "".join(f"<li>{_html_inline(i)}</li>" for i in block.items) + f"</{tag}>")
            elif isinstance(block, Table):
                align = block.align.ljust(len(block.head), "l")
                cls = f' class="{block.cls}"' if block.cls else ""
                out.append(f"<table{cls}>")
                if block.widths:
                    out.append("<colgroup>" + "".join(f'<col style="width:{w}%">' for w in block.widths) + "</colgroup>")
                out.append("<thead><tr>" + "".join(
                    f'<th{" class=r" if a == "r" else ""}>{escape(h)}</th>' for h, a in zip(block.head, align)) + "</tr></thead>")
                out.append("<tbody>")
                for row in block.rows:
                    rcls = f' class="{row.cls}"' if row.cls else ""
                    cells = []
                    for c, a in zip(row.cells, align):
                        blank = not isinstance(c, Pct) and all(not x.text for x in _spans(c))
                        td_cls = " ".join(x for x in ("r" if a == "r" else "", "blank" if blank else "") if x)
                        cells.append((f'<td class="{td_cls}">' if td_cls else "<td>") + _html_cell(c) + "</td>")
                    out.append(f"<tr{rcls}>" + "".join(cells) + "</tr>")
                out.append("</tbody></table>")
            elif isinstance(block, Figure):
                out.append(f"<figure>{block.svg}</figure>")
        out.append("</section>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


# -- the terminal (Rich: Text and Table only, never markup) ---------------------------------------


def _rich_inline(content: Inline) -> Text:
    text = Text()
    for span in _spans(content):
        if span.block and text:
            text.append("\n")
        style = {"b": "bold", "big": "bold", "org": "bold", "muted": "dim", "flag": "bold yellow"}.get(span.style, "")
        text.append(printable(span.text), style=style)
    return text


def render_rich(doc: Doc) -> RenderableType:
    parts: list[RenderableType] = []
    for part in doc.parts:
        parts.append(Text(("\n" if parts else "") + printable(part.title), style="bold underline" if part.cover else "bold cyan"))
        for block in part.blocks:
            if isinstance(block, Heading):
                parts.append(Text(printable(block.text), style="bold"))
            elif isinstance(block, Para):
                line = _rich_inline(block.content)
                if block.cls in ("note", "small"):
                    line.stylize("dim")
                elif block.cls == "warn":
                    line.stylize("yellow")
                parts.append(line)
            elif isinstance(block, Fields):
                grid = RichTable.grid(padding=(0, 2))
                grid.add_column(style="bold")
                grid.add_column()
                for k, v in block.rows:
                    grid.add_row(_shown(k), _rich_inline(v))
                parts.append(grid)
            elif isinstance(block, Bullets):
                for n, item in enumerate(block.items, 1):
                    line = Text(f"{n}. " if block.ordered else "• ")
                    line.append_text(_rich_inline(item))
                    parts.append(line)
            elif isinstance(block, Table):
                table = LongTable(show_edge=False, pad_edge=False, expand=False)
                align = block.align.ljust(len(block.head), "l")
                for h, a in zip(block.head, align):
                    table.add_column(_shown(h), justify="right" if a == "r" else "left", overflow="fold")
                for row in block.rows:
                    cells = []
                    for c in row.cells:
                        cells.append(Text(f"{bar(c.value, 10)} {fixed(c.value, 1)}") if isinstance(c, Pct) else _rich_inline(c))
                    style = {"bank": "bold", "flag": "on #5a4500", "current": "bold"}.get(row.cls, "")
                    table.add_row(*cells, style=style or None)
                parts.append(table)
    return RichGroup(*parts)


