"""Workbooks (openpyxl): a session's report, an organisation's history, a workshop's group result.

Every sheet is a table: a bold header row that stays frozen, a filter on it, columns sized for
Chinese (a CJK character is two widths), long texts wrapped. Numbers are numbers (the JSON result's
values), dates are dates. User text is data: a text cell is always a text cell, and one starting
like a formula (= + - @) carries Excel's quote prefix, so editing it does not make it one.
"""

from __future__ import annotations

import io
import unicodedata
from copy import copy
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..i18n import Lang, t
from ..printable import printable
from .csv_out import FORMULA_START  # one list of what a spreadsheet would run as a formula
HEAD_FONT = Font(bold=True)
HEAD_FILL = PatternFill("solid", fgColor="EEF2F6")
FLAG_FILL = PatternFill("solid", fgColor="FFF1CC")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
LEFT = Alignment(vertical="top", horizontal="left")
MAX_WIDTH = 50  # characters; longer texts wrap
HEAD_WIDTH = 16
LINE_PT = 15  # the height of one line of 11-point text, CJK included
MAX_ROW_PT = 409  # Excel's highest row


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class Book:
    """A workbook being written, one table per sheet."""

    def __init__(self, lang: Lang):
        self.lang = lang
        self.wb = Workbook()
        self.wb.remove(self.wb.active)

    def sheet(self, title: str, head: Sequence[str], rows: Iterable[Sequence[Any]],
              flags: Sequence[bool] | None = None, left: bool = False) -> Any:
        """A sheet named `title` (cut to Excel's 31 characters) holding the table; rows whose flag is
        set are highlighted."""
        ws = self.wb.create_sheet(title[:31])
        styled: dict[tuple, Any] = {}  # one style per kind of cell, copied: openpyxl's setters are slow

        def style(c: Any, align: Alignment | None, number_format: str | None, quote: bool, fill: Any) -> None:
            key = (id(align), number_format, quote, id(fill))
            if key in styled:
                c._style = copy(styled[key])
                return
            if align is not None:
                c.alignment = align
            if number_format:
                c.number_format = number_format
            if quote:
                c.quotePrefix = True
            if fill is not None:
                c.fill = fill
            styled[key] = copy(c._style)

        for col, h in enumerate(head, start=1):  # a header may be user text too (a respondent's name)
            c = ws.cell(row=1, column=col)
            fmt, quote = self._put(c, h)
            c.font = HEAD_FONT
            style(c, WRAP, fmt, quote, HEAD_FILL)
        widths = [min(display_width(h), HEAD_WIDTH) for h in head]  # a long header wraps
        texts: list[tuple[int, int, list[int]]] = []  # (row, column, the widths of its lines)
        for r, row in enumerate(rows, start=2):
            fill = FLAG_FILL if flags and r - 2 < len(flags) and flags[r - 2] else None
            for col, value in enumerate(row, start=1):
                c = ws.cell(row=r, column=col)
                fmt, quote = self._put(c, value)
                align = None
                if isinstance(c.value, str):
                    lines = [display_width(x) for x in c.value.split("\n")]
                    widths[col - 1] = max(widths[col - 1], *lines)
                    texts.append((r, col, lines))
                    align = WRAP
                elif c.value is not None:
                    widths[col - 1] = max(widths[col - 1], len(str(c.value)) + 2)
                    align = LEFT if left else TOP
                if align is not None or fill is not None:
                    style(c, align, fmt, quote, fill)
        widths = [min(MAX_WIDTH, max(6, w + 2)) for w in widths]
        for col, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(col)].width = w
        # wrapped rows are given their height: neither Excel nor LibreOffice sizes them when opening
        lines_of: dict[int, int] = {1: max(-(-display_width(h) // (w - 1)) for h, w in zip(head, widths))}
        for r, col, lines in texts:
            n = sum(max(1, -(-x // widths[col - 1])) for x in lines)
            if n > lines_of.get(r, 1):
                lines_of[r] = n
        for r, n in lines_of.items():
            if n > 1:
                ws.row_dimensions[r].height = min(MAX_ROW_PT, LINE_PT * n + 3)
        ws.freeze_panes = "A2"
        # printed: landscape A4, as wide as the page, the header row on every page
        ws.page_setup.orientation, ws.page_setup.paperSize = "landscape", ws.PAPERSIZE_A4
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.print_title_rows = "1:1"
        if ws.max_row > 1:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(head))}{ws.max_row}"
        return ws

    def pairs(self, title: str, rows: Sequence[tuple[str, Any]]) -> Any:
        """A two-column sheet of labels and values (a summary)."""
        return self.sheet(title, [t("office.col.item", self.lang), t("office.col.value", self.lang)], rows, left=True)

    @staticmethod
    def _put(c: Any, value: Any) -> tuple[str | None, bool]:
        """The cell's value; returns the number format it needs and whether it needs the quote prefix."""
        if value is None:
            return None, False
        if isinstance(value, bool):
            value = "✓" if value else ""
        if isinstance(value, Decimal):
            value = float(value)
        if isinstance(value, datetime):
            c.value = value.replace(tzinfo=None)
            return "yyyy-mm-dd hh:mm", False
        if isinstance(value, date):
            c.value = value
            return "yyyy-mm-dd", False
        if isinstance(value, (int, float)):
            c.value = value
            return None, False
        text = printable(str(value))
        c.value = text
        c.data_type = TYPE_STRING  # openpyxl would take a leading = for a formula
        return None, text.startswith(FORMULA_START)

    def save(self) -> bytes:
        buf = io.BytesIO()
        self.wb.save(buf)
        return buf.getvalue()


# -- a session's report -------------------------------------------------------------------------------


def _n(value: Decimal | None, places: int = 4) -> float | None:
    from ..domain.results import num

    return num(value, places)


def actions_rows(actions: list[Any], lang: Lang) -> tuple[list[str], list[list[Any]]]:
    """The action plan as a table: the columns of the action plan's CSV, in the language, dates as dates."""
    head = [t(f"office.col.{k}", lang) for k in
            ("id", "status", "items", "what", "owner", "due", "note", "method", "session", "created", "updated", "done")]
    head[0] = t("actions.col.id", lang)
    rows = [[a.id, t(f"actions.status.{a.status}", lang), " ".join(str(i) for i in a.items), a.what, a.owner, a.due,
             a.note, a.method, a.session, a.created.astimezone(), a.updated.astimezone(),
             a.done.astimezone() if a.done else None] for a in actions]
    return head, rows


def history_rows(rows_in: list[Any], library: Any, lang: Lang) -> tuple[list[str], list[list[Any]]]:
    """Date, session, the activities' percent, each bank's percent and the grade, oldest first."""
    from .common import bank_title

    bank_ids = [b for b in library.banks if any(b == x.id for h in rows_in for x in h.result.banks)]
    head = [t("office.col.date", lang), t("office.col.session", lang), t("activities", lang),
            *[bank_title(library, b, lang) for b in bank_ids], t("office.col.service_score", lang),
            t("office.col.maturity", lang), t("office.col.grade", lang)]
    rows = []
    for h in rows_in:
        percents = {b.id: b.percent for b in h.result.banks}
        g = h.result.grade
        rows.append([h.created, h.session_id, _n(h.activities_percent, 1),
                     *[_n(percents.get(b), 1) for b in bank_ids], _n(g.service_score, 1), g.management_level, g.label])
    return head, rows


def report_workbook(data: Any) -> bytes:
    """The management report (document.ReportData) as a workbook: summary, scores, every answer,
    suggestions, the path to the next grade, the action plan and the history."""
    from ..domain.planner import plan
    from .common import bank_title, method_label, section_title, source_text
    from .item_rows import headers, item_rows
    from .plan import item_label, raise_text
    from ..clauses import clause_ref
    from ..domain.scoring import OUTCOME_LABELS
    from .checklists import summary as checklist_summary

    s, r, lib = data.session, data.result, data.library
    lang: Lang = r.lang
    book = Book(lang)
    g = r.grade
    p = plan(lib, s, None, r)  # the path to the next grade up
    book.pairs(t("office.sheet.summary", lang), [
        (t("org", lang), s.org), (t("respondent", lang), s.respondent), (t("office.col.session", lang), s.id),
        (t("doc.date", lang), s.created), (t("status", lang), t(f"status.{s.status}", lang)),
        (t("rules", lang), t(f"doc.profile.{r.rules_profile}", lang)),
        (t("office.col.grade", lang), OUTCOME_LABELS[g.outcome][lang]),
        (t("office.col.service_score", lang), _n(g.service_score, 1)), (t("office.summary.source", lang), source_text(g, lang)),
        (t("office.col.maturity", lang), g.management_level),
        (t("doc.activity_percent", lang), _n(r.activities.percent, 1) if r.activities else None),
        (t("office.summary.target", lang), OUTCOME_LABELS[p.target][lang] if p.steps else None),
        *[(c.title, checklist_summary(c, lang)) for c in r.checklists],
        (t("office.summary.complete", lang), t("office.yes" if r.complete else "office.no", lang)),
        (t("office.summary.generated", lang), data.generated),
        (t("office.summary.note", lang), t("provisional", lang)),
    ])
    score_rows = []
    for b in r.banks:
        score_rows.append([b.id, bank_title(lib, b.id, lang), _n(b.earned), _n(b.possible), _n(b.percent, 1), b.level])
        for sec in b.sections:
            score_rows.append([b.id, section_title(lib, b.id, sec.id, lang), _n(sec.earned), _n(sec.possible),
                               _n(sec.percent, 1), None])
    if r.activities is not None:
        a = r.activities
        score_rows.append(["activities", t("activities", lang), _n(a.earned), _n(a.possible), _n(a.percent, 1), None])
    book.sheet(t("office.sheet.scores", lang),
               [t("office.col.bank_id", lang), f"{t('bank', lang)} / {t('office.col.section', lang)}",
                t("office.col.earned", lang), t("office.col.possible", lang), t("office.col.percent", lang),
                t("office.col.maturity", lang)], score_rows)
    items = item_rows(lib, s, r, lang)
    open_ids = {(b.id, i.id) for b in r.banks for i in b.items if i.unanswered or i.gated_by}
    book.sheet(t("office.sheet.answers", lang), [*headers(lang), t("office.col.bank_id", lang)],
               [[*x.values(), x.bank_id] for x in items],
               flags=[(x.bank_id, x.id) in open_ids or x.failed or x.state == "open" for x in items])
    if r.checklists:
        checklists_sheet(book, data)
    sep = "；" if lang == "zh" else "; "
    book.sheet(t("office.sheet.suggestions", lang),
               [t("office.col.rank", lang), t("office.col.method", lang), t("office.col.text", lang),
                t("office.col.addresses", lang), t("office.col.at_stake", lang), t("office.col.owner", lang),
                t("office.col.due", lang)],
               [[n, method_label(sg.method, sg.area), sg.text,
                 sep.join(dict.fromkeys(clause_ref(i.clause, lang) for i in sg.items)), _n(sg.points_at_stake), None, None]
                for n, sg in enumerate(r.suggestions, 1)])
    if p.steps:
        from .plan import rows as plan_rows

        texts = plan_rows(p, lib, lang, s.sector)
        book.sheet(t("office.sheet.path", lang),
                   [t("office.col.item", lang), t("office.col.raise", lang), t("office.col.gain", lang),
                    t("office.col.next", lang)],
                   [[item_label(lib, st.bank, st.id, lang), raise_text(st, lang), _n(st.points_gained), row[3]]
                    for st, row in zip(p.steps, texts)])
    head, rows = actions_rows(data.actions, lang)
    book.sheet(t("office.sheet.actions", lang), head, rows)
    if data.history:
        head, rows = history_rows(data.history, lib, lang)
        book.sheet(t("office.sheet.history", lang), head, rows)
    return book.save()


def checklists_sheet(book: Book, data: Any) -> None:
    """Each checklist's verdict and counts on a row of its own, then a row per item not met and per
    item not answered (the items that hold it at "not yet"), with the answer, note and the 附录A
    methods to draw on."""
    from ..clauses import clause_ref
    from .checklists import methods_text, verdict_label

    lang: Lang = book.lang
    lib, r = data.library, data.result
    head = [t(f"office.col.{k}", lang) for k in ("checklist", "verdict", "yes", "partly", "no", "applicable",
                                                  "item_status", "id", "clause", "question", "answer", "note",
                                                  "methods", "bank_id")]
    rows: list[list[Any]] = []
    flags: list[bool] = []
    for c in r.checklists:
        bank = lib.banks.get(c.id)
        verdict = verdict_label(c, lang)
        rows.append([c.title, verdict, c.count("yes"), c.count("partly"), c.count("no"), c.applicable,
                     None, None, None, None, None, None, None, c.id])
        flags.append(False)
        answers = data.session.answers.get(c.id, {})
        for status, items in (("failed", c.failed), ("open", c.open)):
            for item in items:
                q = bank.question(item.id) if bank is not None else None
                a = answers.get(item.id)
                methods = methods_text(q, lib.catalogue, lang).removeprefix(t("check.methods", lang)) if q else ""
                rows.append([c.title, verdict, None, None, None, None, t(f"office.check.{status}", lang), item.id,
                             clause_ref(item.clause, lang), q.text(lang) if q else "",
                             t(f"gate.{item.state}", lang) if item.failed else t("doc.answer.none", lang),
                             (a.note or "") if a is not None else "", methods, c.id])
                flags.append(True)
    book.sheet(t("office.sheet.checklists", lang), head, rows, flags=flags)
