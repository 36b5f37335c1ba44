"""The help screen: how to answer, and the keys. Its text breaks its lines as the chat bubbles do
(tui/wrap.py): Chinese rules, whole English words, no line starting with a space."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ...i18n import t
from ..wrap import Wrapped


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS = [("escape", "close", "Close"), ("f1", "close", "Close"), ("q", "close", "Close")]

    def compose(self) -> ComposeResult:
        lang = self.app.lang  # type: ignore[attr-defined]
        with VerticalScroll(id="help-box"):
            yield Static(Text(t("help.title", lang), style="bold"), id="help-title")
            yield Wrapped(Text(t("help.body", lang)), id="help-body")
            yield Static(Text("Esc", style="dim"))

    def action_close(self) -> None:
        self.dismiss(None)
