"""A line chart of percents over self-checks inside a Word document, as Word's own chart (DrawingML):
Word, WPS and LibreOffice draw it with the reader's fonts, Chinese included, and its data travels
with it as a small embedded workbook (Word's "Edit data" opens it). The HTML report draws the same
trend as SVG (svg.line_chart); this is its counterpart for .docx.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Sequence
from xml.sax.saxutils import escape

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part

from .svg import SERIES

C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
# the SVG chart's dash patterns as DrawingML's preset dashes (told apart when printed in grey too)
DASHES = {"": "solid", "6 3": "dash", "2 3": "sysDot", "8 3 2 3": "dashDot", "4 2": "sysDash", "1 2": "sysDot",
          "10 4": "lgDash"}


@dataclass(frozen=True)
class LineChart:
    """A block of the document model for the Word renderer: the trend of percents (0–100)."""

    title: str
    labels: Sequence[str]  # one per self-check (its date)
    series: Sequence[tuple[str, Sequence[float | None]]]  # (name, a percent or None per label)
    lang: str = "zh"


def _column(n: int) -> str:
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _workbook(chart: LineChart) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.cell(row=1, column=1, value="")
    for k, (name, values) in enumerate(chart.series, start=2):
        c = ws.cell(row=1, column=k, value=name)
        c.data_type = "s"
        for r, v in enumerate(values, start=2):
            ws.cell(row=r, column=k, value=v)
    for r, label in enumerate(chart.labels, start=2):
        ws.cell(row=r, column=1, value=label).data_type = "s"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _chart_xml(chart: LineChart, package_rid: str) -> str:
    n = len(chart.labels)
    last = n + 1
    cats = "".join(f'<c:pt idx="{i}"><c:v>{escape(x)}</c:v></c:pt>' for i, x in enumerate(chart.labels))
    cat = (f"<c:cat><c:strRef><c:f>Sheet1!$A$2:$A${last}</c:f><c:strCache><c:ptCount val=\"{n}\"/>{cats}"
           "</c:strCache></c:strRef></c:cat>")
    sers = []
    for k, (name, values) in enumerate(chart.series):
        colour, dash = SERIES[k % len(SERIES)]
        colour = colour.lstrip("#").upper()
        col = _column(k + 1)
        pts = "".join(f'<c:pt idx="{i}"><c:v>{v}</c:v></c:pt>' for i, v in enumerate(values) if v is not None)
        sers.append(
            f'<c:ser><c:idx val="{k}"/><c:order val="{k}"/>'
            f"<c:tx><c:strRef><c:f>Sheet1!${col}$1</c:f><c:strCache><c:ptCount val=\"1\"/>"
            f'<c:pt idx="0"><c:v>{escape(name)}</c:v></c:pt></c:strCache></c:strRef></c:tx>'
            f'<c:spPr><a:ln w="22225" cap="rnd"><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>'
            f'<a:prstDash val="{DASHES.get(dash, "solid")}"/><a:round/></a:ln></c:spPr>'
            f'<c:marker><c:symbol val="circle"/><c:size val="5"/><c:spPr><a:solidFill><a:srgbClr val="{colour}"/>'
            f"</a:solidFill><a:ln><a:noFill/></a:ln></c:spPr></c:marker>{cat}"
            f"<c:val><c:numRef><c:f>Sheet1!${col}$2:${col}${last}</c:f><c:numCache><c:formatCode>0.0</c:formatCode>"
            f'<c:ptCount val="{n}"/>{pts}</c:numCache></c:numRef></c:val><c:smooth val="0"/></c:ser>')
    lang = "zh-CN" if chart.lang == "zh" else "en-GB"
    fonts = '<a:latin typeface="Arial"/><a:ea typeface="宋体"/>'
    title = (f'<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="1100" b="1">{fonts}</a:defRPr>'
             f'</a:pPr><a:r><a:rPr lang="{lang}" sz="1100" b="1">{fonts}</a:rPr><a:t>{escape(chart.title)}</a:t></a:r></a:p>'
             '</c:rich></c:tx><c:overlay val="0"/></c:title>') if chart.title else ""
    grid = '<c:spPr><a:ln w="6350"><a:solidFill><a:srgbClr val="D5DBE1"/></a:solidFill></a:ln></c:spPr>'
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<c:chartSpace xmlns:c="{C_NS}" xmlns:a="{A_NS}" xmlns:r="{R_NS}"><c:lang val="{lang}"/>'
        f'<c:roundedCorners val="0"/><c:chart>{title}<c:autoTitleDeleted val="{0 if chart.title else 1}"/><c:plotArea><c:layout/>'
        f'<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>{"".join(sers)}'
        '<c:marker val="1"/><c:axId val="5001"/><c:axId val="5002"/></c:lineChart>'
        '<c:catAx><c:axId val="5001"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>'
        '<c:axPos val="b"/><c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="out"/>'
        '<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="5002"/><c:crosses val="autoZero"/>'
        '<c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>'
        '<c:valAx><c:axId val="5002"/><c:scaling><c:orientation val="minMax"/><c:max val="100"/><c:min val="0"/>'
        f'</c:scaling><c:delete val="0"/><c:axPos val="l"/><c:majorGridlines>{grid}</c:majorGridlines>'
        '<c:numFmt formatCode="0" sourceLinked="0"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/>'
        '<c:tickLblPos val="nextTo"/><c:crossAx val="5001"/><c:crosses val="autoZero"/><c:crossBetween val="between"/>'
        '<c:majorUnit val="20"/></c:valAx></c:plotArea><c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend>'
        '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
        f'<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="900">{fonts}</a:defRPr></a:pPr>'
        f'<a:endParaRPr lang="{lang}"/></a:p></c:txPr>'
        f'<c:externalData r:id="{package_rid}"><c:autoUpdate val="0"/></c:externalData></c:chartSpace>')


def add_chart(document_part, chart: LineChart, number: int, width_emu: int, height_emu: int) -> str:
    """The chart as a part of the document (its data as an embedded workbook), and the run that shows it."""
    package = document_part.package
    part = Part(PackURI(f"/word/charts/chart{number}.xml"), CT.DML_CHART, b"", package)
    book = Part(PackURI(f"/word/embeddings/Microsoft_Excel_Worksheet{number}.xlsx"), CT.SML_SHEET, _workbook(chart),
                package)
    part._blob = _chart_xml(chart, part.relate_to(book, RT.PACKAGE)).encode("utf-8")
    rid = document_part.relate_to(part, RT.CHART)
    return (f'<w:r><w:drawing><wp:inline xmlns:wp="{WP_NS}" distT="0" distB="0" distL="0" distR="0">'
            f'<wp:extent cx="{width_emu}" cy="{height_emu}"/><wp:docPr id="{2000 + number}" name="Chart {number}"/>'
            f'<wp:cNvGraphicFramePr/><a:graphic xmlns:a="{A_NS}"><a:graphicData uri="{C_NS}">'
            f'<c:chart xmlns:c="{C_NS}" xmlns:r="{R_NS}" r:id="{rid}"/></a:graphicData></a:graphic></wp:inline>'
            "</w:drawing></w:r>")
