"""Textual's command palette with its own texts (the search prompt, "No matches found") in the app's
language; the commands themselves come from SelfcheckApp.get_system_commands."""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

from ..i18n import t


class Palette(CommandPalette):
    def __init__(self, lang: str):
        super().__init__(placeholder=t("palette.placeholder", lang), id="--command-palette")  # type: ignore[arg-type]
        self.lang = lang

    def _start_no_matches_countdown(self, search_value: str) -> None:
        """As Textual's, saying "no matches" in the app's language."""
        self._stop_no_matches_countdown()

        def show() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(Align.center(Text(t("palette.none", self.lang), style="not bold")), disabled=True,
                           id=self._NO_MATCHES))
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show)
