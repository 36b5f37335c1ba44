"""Asks for a file name and writes the session's report there, its format by the extension: HTML,
Markdown, Word (.docx) or Excel (.xlsx)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from ...i18n import t

SUFFIXES = (".html", ".htm", ".md", ".docx", ".xlsx")


def report_bytes(data: Any, suffix: str) -> bytes:
    """The report (document.ReportData) in the format its file name's extension names."""
    from ...report import document

    suffix = suffix.lower()
    if suffix == ".docx":
        from ...report.docx import report_docx

        return report_docx(data)
    if suffix == ".xlsx":
        from ...report.xlsx import report_workbook

        return report_workbook(data)
    return (document.markdown(data) if suffix == ".md" else document.html(data)).encode("utf-8")


class ExportScreen(ModalScreen[Path | None]):
    CSS = """
    ExportScreen { align: center middle; }
    #export-box { width: 74; height: auto; border: round $primary; background: $surface; padding: 1 2; }
    #export-box Input { margin-top: 1; }
    #export-hint { color: $text-muted; width: 100%; }
    #export-error { color: $error; }
    """
    BINDINGS = [("escape", "cancel", "Cancel")]

    def __init__(self, default: str):
        super().__init__()
        self.default = default

    def compose(self) -> ComposeResult:
        lang = self.app.lang  # type: ignore[attr-defined]
        with Vertical(id="export-box"):
            yield Label(t("export.ask", lang), markup=False)
            yield Label(t("office.export.formats", lang), id="export-hint", markup=False)
            yield Input(self.default, id="export-path")
            yield Label("", id="export-error", markup=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if not name:
            return
        path = Path(name).expanduser()
        if path.suffix.lower() not in SUFFIXES:
            self.query_one("#export-error", Label).update(t("export.suffix", self.app.lang))  # type: ignore[attr-defined]
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)
