"""The office formats on the command line: `report --format docx|xlsx|csv`, `history --format xlsx`,
`workshop report --format xlsx`. A binary file needs --out (a terminal gets a clear error, not
bytes); `--out -` sends it to standard output only when that is not a terminal."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from ..errors import UserError
from ..i18n import t
from .common import OutputError, check_out, emit

BINARY = {"docx": "DOCX (Word)", "xlsx": "XLSX (Excel)"}


def require_out(fmt: str, out: str | None, lang: str, stem: str = "report") -> None:
    """Refuse a binary format without a file to go to (before any work is done)."""
    if fmt in BINARY and (not out or (out == "-" and sys.stdout.isatty())):
        raise UserError(t("office.err.needs_out", lang, fmt=BINARY[fmt], example=f"{stem}.{fmt}"))


def write_bytes(data: bytes, out: str, lang: str) -> None:
    """`data` to the file `out` (whole or not at all: a temporary file renamed over it), or to a
    non-terminal standard output for `-`; a file that cannot be written is bad input (exit 2)."""
    if out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    check_out(out, lang)
    path = Path(out)
    try:
        if path.is_dir():
            raise IsADirectoryError(21, os.strerror(21))
        fd, tmp = tempfile.mkstemp(prefix=".selfcheck-", dir=path.parent if str(path.parent) else ".")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as e:
        raise OutputError(t("cli.err.write", "zh" if lang == "zh" else "en", path=out, error=e.strerror or e)) from None
    print(("已写入 " if lang == "zh" else "Written to ") + out, file=sys.stderr)


def report(store: Any, library: Any, session: Any, result: Any, args: argparse.Namespace) -> int:
    """`selfcheck report ID --format docx|xlsx|csv`, in the session's language (or --lang's)."""
    from datetime import datetime, timezone

    lang = result.lang
    require_out(args.format, args.out, lang, f"report-{session.id}")
    if args.format == "csv":
        from ..report.csv_out import answers_csv

        emit(answers_csv(library, session, result, lang), args.out, lang, newline="")
        return 0
    from ..report import document

    data = document.report_data(store, library, session, result, datetime.now(timezone.utc).astimezone())
    if args.format == "docx":
        from ..report.docx import report_docx

        write_bytes(report_docx(data), args.out, lang)
    else:
        from ..report.xlsx import report_workbook

        write_bytes(report_workbook(data), args.out, lang)
    return 0


def history(rows: list[Any], library: Any, actions: list[Any], done: list[list[Any]], args: argparse.Namespace) -> int:
    from ..report.xlsx_group import history_workbook

    require_out("xlsx", args.out, args.lang, "history")
    write_bytes(history_workbook(rows, library, args.lang, args.org, actions, done), args.out, args.lang)
    return 0


def workshop(group: Any, library: Any, args: argparse.Namespace) -> int:
    from ..report.xlsx_group import group_workbook

    require_out("xlsx", args.out, args.lang, "workshop")
    write_bytes(group_workbook(group, library, args.lang), args.out, args.lang)
    return 0
