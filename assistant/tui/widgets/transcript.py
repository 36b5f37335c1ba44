"""The chat transcript: bubbles for the assistant, the user and notices, scrolling like a chat."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.geometry import Size
from textual.widget import Widget

from ...domain.engine import Turn
from ...i18n import Lang
from ...printable import printable
from ..turns import render
from ..wrap import wrap


class Bubble(Widget):
    """One message. Bubbles made from a turn re-render themselves when the language changes.

    The text is broken into lines here (Chinese line-breaking rules, see tui/wrap.py) for the
    width the bubble has, and again whenever that width changes.
    """

    DEFAULT_CSS = "Bubble { height: auto; }"

    def __init__(self, role: str, text: Text, turn: Turn | None = None, sector: str | None = None):
        super().__init__(classes=f"bubble {role}")
        self.text = text
        self.turn = turn
        self.sector = sector

    @property
    def plain(self) -> str:
        """The message without the line breaks added for the screen."""
        return self.text.plain

    def update(self, text: Text) -> None:
        self.text = text
        self.refresh(layout=True)

    def relabel(self, lang: Lang) -> None:
        if self.turn is not None:
            self.update(render(self.turn, lang, self.sector)[1])

    def render(self) -> Text:
        return wrap(self.text, self.content_region.width or self.size.width)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(wrap(self.text, width).plain.split("\n"))


class Transcript(VerticalScroll, can_focus=False):
    sector: str | None = None  # the session's sector: questions show its examples

    def add_turn(self, turn: Turn, lang: Lang) -> Bubble:
        role, text = render(turn, lang, self.sector)
        return self._add(Bubble(role, text, turn, self.sector))

    def add_text(self, role: str, text: Text) -> Bubble:
        """A message built elsewhere (already plain Text): it keeps its language."""
        return self._add(Bubble(role, text))

    def add_user(self, text: str) -> Bubble:
        return self._add(Bubble("user", Text(printable(text))))

    def _add(self, bubble: Bubble) -> Bubble:
        self.mount(bubble)
        self.call_after_refresh(self.scroll_end, animate=False)
        return bubble

    def relabel(self, lang: Lang) -> None:
        for bubble in self.query(Bubble):
            bubble.relabel(lang)
