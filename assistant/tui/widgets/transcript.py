"""The chat transcript: bubbles for the assistant, the user and notices, scrolling like a chat."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...domain.engine import Turn
from ...i18n import Lang
from ...printable import printable
from ..turns import render


class Bubble(Static):
    """One message. Bubbles made from a turn re-render themselves when the language changes."""

    def __init__(self, role: str, text: Text, turn: Turn | None = None):
        super().__init__(text, classes=f"bubble {role}", markup=False)
        self.turn = turn

    def relabel(self, lang: Lang) -> None:
        if self.turn is not None:
            self.update(render(self.turn, lang)[1])


class Transcript(VerticalScroll, can_focus=False):
    def add_turn(self, turn: Turn, lang: Lang) -> Bubble:
        role, text = render(turn, lang)
        return self._add(Bubble(role, text, turn))

    def add_user(self, text: str) -> Bubble:
        return self._add(Bubble("user", Text(printable(text))))

    def _add(self, bubble: Bubble) -> Bubble:
        self.mount(bubble)
        self.call_after_refresh(self.scroll_end, animate=False)
        return bubble

    def relabel(self, lang: Lang) -> None:
        for bubble in self.query(Bubble):
            bubble.relabel(lang)
