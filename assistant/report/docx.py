"""The report's document model (docmodel.py) as a Word document, with python-docx.

Same content as the HTML report (the same Doc from document.build), plus a sign-off block. Typeset
for Word and WPS: every run names a Latin font and an East-Asian one (宋体 for text, 黑体 for
headings), headings are Word's own Heading styles (they fill the navigation pane), table rows never
split across pages and a table's header row repeats on each page. User text is only ever run text.

Charts: a percent cell (Pct) is drawn as a bar — a one-pixel PNG stretched to the percent's length —
beside its number, so the scores table is the chart; the history's trend is Word's own line chart
(docx_chart.py). Every label stays real text in the reader's fonts: none is embedded or fetched.
The HTML's SVG bar charts are left out, their bars being in the tables beside them.
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from functools import lru_cache

from xml.sax.saxutils import escape as xml_escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from ..i18n import Lang, t
from ..printable import printable
from .common import fixed
from .docx_chart import LineChart, add_chart
from .docmodel import Bullets, Doc, Fields, Figure, Heading, Inline, Para, Part, Pct, Row, Span, Table, _spans

INK, BLUE, MUTED, FLAG = "1B1F24", "17375E", "5B6670", "8A4B00"
HEAD_FILL, BANK_FILL, FLAG_FILL, NOTE_FILL, WARN_FILL = "EEF2F6", "F4F6F8", "FFF1CC", "F5F8FB", "FFF8E6"
BAR_COLOUR = (0x3B, 0x6E, 0xA8)
TEXT_WIDTH_MM = 170  # A4 less 20 mm margins
BAR_MM = 12.0  # a 100 % bar
TWIPS_PER_MM = 56.6929
NUMBER_MM = 13  # room for a percent's number (and the cell's margins) beside its bar
# (Latin, East-Asian) fonts: Word and WPS on Windows have both; elsewhere the reader substitutes
FONTS = {"body": ("Times New Roman", "宋体"), "head": ("Arial", "黑体")}
SIZES = {"Title": 22, "Heading 1": 16, "Heading 2": 14, "Heading 3": 12, "Heading 4": 11}


# -- fonts and small XML helpers ------------------------------------------------------------------

W_NS = nsdecls("w")


def _fonts_xml(kind: str, lang: Lang) -> str:
    """The w:rFonts of a run or a style; in Chinese, quotes and dashes in the Chinese font too (hint)."""
    latin, east = FONTS[kind]
    if lang == "en":
        latin = "Calibri" if kind == "body" else "Arial"
    hint = ' w:hint="eastAsia"' if lang == "zh" else ""
    return f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:cs="{latin}" w:eastAsia="{east}"{hint}/>'


def _set_fonts(rpr, kind: str, lang: Lang) -> None:
    """A style's fonts: its w:rFonts replaced whole (theme fonts, asciiTheme …, would win over names)."""
    fonts = parse_xml(_fonts_xml(kind, lang).replace("<w:rFonts", f"<w:rFonts {W_NS}", 1))
    old = rpr.find(qn("w:rFonts"))
    if old is not None:
        rpr.replace(old, fonts)
    else:
        rpr.insert(0, fonts)


def _shade(element_pr, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    element_pr.append(shd)


@lru_cache(maxsize=4)
def _png(rgb: tuple[int, int, int]) -> bytes:
    """A one-pixel PNG of one colour (stretched, it is a bar)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" + bytes(rgb)))
            + chunk(b"IEND", b""))


# -- the renderer -----------------------------------------------------------------------------------


class _Writer:
    def __init__(self, lang: Lang):
        self.lang = lang
        self._fonts, self._head_fonts = _fonts_xml("body", lang), _fonts_xml("head", lang)
        self._bar_template: str | None = None
        self._charts = 0
        self._pictures = 0
        self.doc = Document()
        self._styles()
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(20)
        section.top_margin, section.bottom_margin = Mm(22), Mm(20)

    def _styles(self) -> None:
        styles = self.doc.styles
        normal = styles["Normal"]
        normal.font.size = Pt(10.5)
        normal.font.color.rgb = RGBColor.from_string(INK)
        rpr = normal.element.get_or_add_rPr()
        _set_fonts(rpr, "body", self.lang)
        lang_el = OxmlElement("w:lang")
        lang_el.set(qn("w:val"), "zh-CN" if self.lang == "zh" else "en-GB")
        lang_el.set(qn("w:eastAsia"), "zh-CN")
        rpr.append(lang_el)
        normal.paragraph_format.space_after = Pt(4)
        normal.paragraph_format.line_spacing = 1.25
        for name, size in SIZES.items():
            style = styles[name]
            style.font.size = Pt(size)
            style.font.bold = True
            style.font.italic = False
            style.font.color.rgb = RGBColor.from_string(BLUE)
            _set_fonts(style.element.get_or_add_rPr(), "head", self.lang)
            style.paragraph_format.keep_with_next = True
            style.paragraph_format.space_before = Pt(14 if name != "Heading 3" else 8)
            style.paragraph_format.space_after = Pt(6)
        for name in ("List Bullet",):
            _set_fonts(styles[name].element.get_or_add_rPr(), "body", self.lang)

    # runs ---------------------------------------------------------------------------------------

    def run_xml(self, text: str, style: str = "", size: float | None = None, bold: bool = False,
                colour: str | None = None, fonts: str = "") -> str:
        """A run of text as WordprocessingML (built as text and parsed once per table or paragraph:
        python-docx's element-by-element calls cost a second on a full report): fonts, bold, colour
        and size; line ends and tabs as Word's own. Every text is escaped here."""
        if style in ("b", "org", "big", "flag"):
            bold = True
        colour = {"big": BLUE, "flag": FLAG, "muted": MUTED}.get(style, colour)
        size = {"big": 18.0, "org": 17.0, "muted": (size - 1 if size else 9.0)}.get(style, size)
        props = (fonts or self._fonts) + ("<w:b/>" if bold else "")
        if colour:
            props += f'<w:color w:val="{colour}"/>'
        if size:
            props += f'<w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/>'
        body = []
        for n, line in enumerate(printable(text).split("\n")):
            if n:
                body.append("<w:br/>")
            for m, piece in enumerate(line.split("\t")):
                if m:
                    body.append("<w:tab/>")
                if piece:
                    body.append(f'<w:t xml:space="preserve">{xml_escape(piece)}</w:t>')
        return f"<w:r><w:rPr>{props}</w:rPr>{''.join(body)}</w:r>"

    def inline_xml(self, content: Inline, size: float | None = None, bold: bool = False,
                   colour: str | None = None) -> str:
        out = []
        for n, span in enumerate(_spans(content)):
            if span.block and n:
                out.append("<w:r><w:br/></w:r>")
            out.append(self.run_xml(span.text, span.style, size, bold, colour))
        return "".join(out)

    def run(self, paragraph, text: str, style: str = "", size: float | None = None, bold: bool = False,
            colour: str | None = None, fonts: str = "") -> None:
        paragraph._p.append(parse_xml(f"<w:r {W_NS}>" + self.run_xml(text, style, size, bold, colour, fonts)[5:]))

    def inline(self, paragraph, content: Inline, size: float | None = None, bold: bool = False,
               colour: str | None = None) -> None:
        for n, span in enumerate(_spans(content)):
            if span.block and n:
                paragraph._p.append(parse_xml(f"<w:r {W_NS}><w:br/></w:r>"))
            self.run(paragraph, span.text, span.style, size, bold, colour)

    def pct_xml(self, value: Decimal | None, size: float | None, bold: bool = False, full: float = BAR_MM) -> str:
        """A percent as a bar `full` mm long at 100 %, and its number; a column too narrow for a
        bar beside the number gets the number only."""
        out = ""
        if value is not None and value > 0 and full >= 5:
            out = self._bar(Mm(full * min(float(value), 100.0) / 100)) + self.run_xml(" ", "", size)
        return out + self.run_xml(fixed(value, 1), "", size, bold)

    def _bar(self, length: int) -> str:
        """A run holding the bar picture `length` EMU long (the picture is stored once)."""
        if self._bar_template is None:
            inline = self.doc.part.new_pic_inline(io.BytesIO(_png(BAR_COLOUR)), Mm(10), Mm(2.6))
            self._bar_template = etree.tostring(inline, encoding="unicode")
        self._pictures += 1
        xml = re.sub(r'(<(?:wp|a):ext(?:ent)? cx=")\d+', lambda m: m.group(1) + str(int(length)), self._bar_template)
        xml = re.sub(r'(<wp:docPr id=")\d+(" name="Picture )\d+', rf"\g<1>{1000 + self._pictures}\g<2>{self._pictures}", xml)
        return f"<w:r><w:drawing>{xml}</w:drawing></w:r>"

    # blocks -------------------------------------------------------------------------------------

    def part(self, part: Part, first: bool) -> None:
        if part.page_break and not first:
            self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        if part.cover:
            if part.id == "cover":  # the report's cover page
                self.doc.add_paragraph().paragraph_format.space_before = Mm(30)
            self.heading(part.title, 0)
        else:
            self.heading(part.title, 1)
        for block in part.blocks:
            if isinstance(block, Heading):
                self.heading(block.text, max(1, min(4, block.level - 1)))
            elif isinstance(block, Para):
                self.para(block)
            elif isinstance(block, Fields):
                self.fields(block)
            elif isinstance(block, Bullets):
                self.bullets(block)
            elif isinstance(block, Table):
                self.table(block)
            elif isinstance(block, LineChart):
                self.chart(block)
            elif isinstance(block, Figure):
                continue  # the HTML's bar chart: here the Pct cells of the table beside it draw the bars

    def chart(self, block: LineChart) -> None:
        self._charts += 1
        height = Mm(70 + 5 * ((len(block.series) + 2) // 3))  # the legend's lines below the plot
        run = add_chart(self.doc.part, block, self._charts, Mm(TEXT_WIDTH_MM), height)
        p = self.doc.add_paragraph()
        p._p.append(parse_xml(run.replace("<w:r>", f"<w:r {W_NS}>", 1)))

    def heading(self, text: str, level: int) -> None:
        p = self.doc.add_paragraph()
        p._p.style = "Title" if level == 0 else f"Heading{level}"  # the style's id: looking up its name is slow
        self.run(p, text, fonts=self._head_fonts)

    def para(self, block: Para) -> None:
        p = self.doc.add_paragraph()
        size = 9.0 if block.cls == "small" else None
        self.inline(p, block.content, size, colour=MUTED if block.cls == "for" else None)
        if block.cls in ("note", "warn"):
            ppr = p._p.get_or_add_pPr()
            border = OxmlElement("w:pBdr")
            left = OxmlElement("w:left")
            for k, v in (("w:val", "single"), ("w:sz", "18"), ("w:space", "6"),
                         ("w:color", "8AA4C0" if block.cls == "note" else "D68910")):
                left.set(qn(k), v)
            border.append(left)
            ppr.append(border)
            _shade(ppr, NOTE_FILL if block.cls == "note" else WARN_FILL)
            p.paragraph_format.left_indent = Mm(2)


    def bullets(self, block: Bullets) -> None:
        for n, item in enumerate(block.items, 1):
            if block.ordered:  # numbered by hand: Word's list numbering would run on across lists
                p = self.doc.add_paragraph()
                p.paragraph_format.left_indent = Mm(7)
                p.paragraph_format.first_line_indent = Mm(-7)
                self.run(p, f"{n}.\t")
            else:
                p = self.doc.add_paragraph()
                p._p.style = "ListBullet"
            p.paragraph_format.space_after = Pt(2)
            self.inline(p, item)

    def fields(self, block: Fields) -> None:
        rows = [([self.inline_xml(Span(key, "b")), self.inline_xml(value)], [BANK_FILL, None], "ll", "")
                for key, value in block.rows]
        self._table(rows, [30, 70])

    def table(self, block: Table) -> None:
        n = len(block.head)
        align = block.align.ljust(n, "l")
        size = {"wide": 8.0, "sign": 10.5}.get(block.cls, 9.0)
        rows = [([self.run_xml(text, "b", size) for text in block.head], [HEAD_FILL] * n, align, "<w:tblHeader/>")]
        widths = list(block.widths or [100 / n] * n)
        column_mm = [TEXT_WIDTH_MM * w / sum(widths) for w in widths]
        height = f'<w:trHeight w:val="{round(14 * TWIPS_PER_MM)}" w:hRule="atLeast"/>' if block.cls == "sign" else ""
        for row in block.rows:
            fill = {"bank": BANK_FILL, "flag": FLAG_FILL}.get(row.cls)
            bold, colour = row.cls in ("bank", "current"), MUTED if row.cls == "muted" else None
            cells = [self.pct_xml(c.value, size, bold, min(BAR_MM, w - NUMBER_MM)) if isinstance(c, Pct)
                     else self.inline_xml(c, size, bold, colour) for c, w in zip(row.cells, column_mm)]
            # a Pct cell's bar starts at the cell's left edge, as in a chart, its number after it
            row_align = "".join("l" if isinstance(c, Pct) else a for c, a in zip(row.cells, align))
            rows.append((cells, [fill] * n, row_align, height))
        self._table(rows, widths)

    def _table(self, rows: list[tuple[list[str], list[str | None], str, str]], widths: list[float]) -> None:
        """A table of (cells' runs, cells' fills, alignment per cell, extra row properties) rows,
        built as one XML text: full width, fixed columns, rows that never split."""
        total = sum(widths) or 1
        twips = [round(TEXT_WIDTH_MM * TWIPS_PER_MM * w / total) for w in widths]
        out = [f"<w:tbl {W_NS}><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"{sum(twips)}\" w:type=\"dxa\"/>"
               '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
               # narrower cell margins than Word's 1.9 mm: more room for the text
               '<w:tblCellMar><w:left w:w="70" w:type="dxa"/><w:right w:w="70" w:type="dxa"/></w:tblCellMar>'
               '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
               'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>']
        out += [f'<w:gridCol w:w="{w}"/>' for w in twips]
        out.append("</w:tblGrid>")
        for cells, fills, align, extra in rows:
            out.append(f"<w:tr><w:trPr><w:cantSplit/>{extra}</w:trPr>")  # header rows: <w:tblHeader/> repeats them
            for runs, fill, w, a in zip(cells, fills, twips, align):
                shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
                jc = '<w:jc w:val="right"/>' if a == "r" else ""
                out.append(f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/>{shade}</w:tcPr><w:p><w:pPr>'
                           f'<w:spacing w:after="0" w:line="264" w:lineRule="auto"/>{jc}</w:pPr>{runs}</w:p></w:tc>')
            out.append("</w:tr>")
        out.append("</w:tbl>")
        body = self.doc.element.body
        body.insert(len(body) - 1, parse_xml("".join(out)))  # before the section properties
        self.doc.add_paragraph().paragraph_format.space_after = Pt(0)

    def footer(self, text: str) -> None:
        p = self.doc.sections[0].footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.run(p, text + "  ·  ", "muted", 9.5)
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        p._p.append(field)

    def save(self) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()


def sign_off(lang: Lang) -> Part:
    """Prepared by / reviewed by / approved by, each with a name, a signature and a date to fill in."""
    rows = [Row([t(f"office.sign.{who}", lang), "", "", ""]) for who in ("prepared", "reviewed", "approved")]
    table = Table([t("office.sign.role", lang), t("office.sign.name", lang), t("office.sign.signature", lang),
                   t("office.sign.date", lang)], rows, widths=(22, 26, 30, 22), cls="sign")
    return Part("sign", t("office.sign.title", lang), [table], page_break=False)


def render_docx(doc: Doc, generated: datetime | None = None, footer: str = "", sign: bool = True) -> bytes:
    """`doc` as the bytes of a .docx file (with a sign-off block at the end unless sign=False)."""
    w = _Writer(doc.lang)
    parts = [*doc.parts, sign_off(doc.lang)] if sign else doc.parts
    for n, part in enumerate(parts):
        w.part(part, n == 0)
    w.footer(footer or doc.title)
    props = w.doc.core_properties
    props.title = printable(doc.title)
    props.language = "zh-CN" if doc.lang == "zh" else "en-GB"
    props.author = props.last_modified_by = "selfcheck"
    props.comments = ""
    props.revision = 1
    if generated is not None:
        props.created = props.modified = generated.replace(tzinfo=None)
    return w.save()


def report_docx(data) -> bytes:
    """The management report (document.ReportData) as .docx bytes."""
    from . import document

    doc = document.build(data)
    parts = [replace(p, blocks=[trend(data) if isinstance(b, Figure) else b for b in p.blocks]) if p.id == "history" else p
             for p in doc.parts]
    return render_docx(replace(doc, parts=parts), data.generated, footer=doc.title)


def trend(data) -> LineChart:
    """The history's trend (the HTML's SVG line chart) as Word's own chart: the activities' percent
    and each bank's, per self-check."""
    from .common import bank_title, date_text

    lang, lib, rows = data.result.lang, data.library, data.history
    bank_ids = [b for b in lib.banks if any(b == x.id for h in rows for x in h.result.banks)]
    series = []
    if any(h.result.activities is not None for h in rows):
        series.append((t("activities", lang), [_f(h.activities_percent) for h in rows]))
    for b in bank_ids:
        series.append((bank_title(lib, b, lang), [_f(next((x.percent for x in h.result.banks if x.id == b), None))
                                                   for h in rows]))
    return LineChart(t("doc.trend", lang), [date_text(h.created) for h in rows], series, lang)


def _f(value: Decimal | None) -> float | None:
    return None if value is None else float(value)
