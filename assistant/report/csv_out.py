"""CSV for other tools: UTF-8 with a byte-order mark (so Excel reads Chinese), CRLF line ends, and
text that a spreadsheet would run as a formula written with a leading ' (user text is data).
The action plan's CSV (commands/actions.py) and the answers CSV both go through csv_text()."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any, Iterable, Sequence

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet would run as a formula


def cell(value: Any) -> str:
    """A CSV cell: numbers as they are (a negative number stays a number), text starting like a
    formula gets a leading '."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_text(head: Sequence[str], rows: Iterable[Sequence[Any]], bom: bool = True) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([cell(h) for h in head])
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return (BOM if bom else "") + buf.getvalue()


def answers_csv(library: Any, session: Any, result: Any, lang: Any) -> str:
    """Every question of the session, one row each, the columns of item_rows.COLUMNS plus the bank's id."""
    from ..i18n import t
    from .item_rows import headers, item_rows

    rows = item_rows(library, session, result, lang)
    return csv_text([*headers(lang), t("office.col.bank_id", lang)], ([*r.values(), r.bank_id] for r in rows))
