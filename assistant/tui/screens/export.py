"""Asks for a file name and writes the session's report there (HTML or Markdown by the extension)."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from ...i18n import t


class ExportScreen(ModalScreen[Path | None]):
    CSS = """
    ExportScreen { align: center middle; }
    #export-box { width: 70; height: auto; border: round $primary; background: $surface; padding: 1 2; }
    #export-box Input { margin-top: 1; }
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
            yield Input(self.default, id="export-path")
            yield Label("", id="export-error", markup=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        if not name:
            return
        path = Path(name).expanduser()
        if path.suffix.lower() not in (".html", ".htm", ".md"):
            self.query_one("#export-error", Label).update(t("export.suffix", self.app.lang))  # type: ignore[attr-defined]
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)
