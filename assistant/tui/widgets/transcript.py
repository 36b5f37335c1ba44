"""The chat transcript: bubbles for the assistant, the user and notices, scrolling like a chat."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.containers import VerticalScroll

from ...printable import printable
from ..wrap import Wrapped

if TYPE_CHECKING:  # the opening frame shows bubbles before the domain is loaded (tui/opening.py)
    from ...domain.engine import Turn
    from ...i18n import Lang


class Bubble(Wrapped):
    """One message, its lines broken as a Wrapped's are (assistant/linebreak.py) for the width it
    has. Bubbles made from a turn re-render themselves when the language changes."""

    def __init__(self, role: str, text: Text, turn: Turn | None = None, sector: str | None = None):
        super().__init__(text, classes=f"bubble {role}")
        self.role = role
        self.turn = turn
        self.sector = sector

    @property
    def plain(self) -> str:
        """The message without the line breaks added for the screen."""
        return self.text.plain

    def relabel(self, lang: Lang) -> None:
        if self.turn is not None:
            from ..turns import render

            self.update(render(self.turn, lang, self.sector)[1])


class Transcript(VerticalScroll, can_focus=False):
    sector: str | None = None  # the session's sector: questions show its examples

    def add_turn(self, turn: Turn, lang: Lang) -> Bubble:
        from ..turns import render

        role, text = render(turn, lang, self.sector)
        return self._add(Bubble(role, text, turn, self.sector))

    def add_text(self, role: str, text: Text) -> Bubble:
        """A message built elsewhere (already plain Text): it keeps its language."""
        return self._add(Bubble(role, text))

    def add_user(self, text: str) -> Bubble:
        return self._add(Bubble("user", Text(printable(text))))

    def _add(self, bubble: Bubble) -> Bubble:
        self.mount(bubble)
        self.call_after_refresh(self.reveal, bubble)
        return bubble

    def reveal(self, bubble: Bubble) -> None:
        """The end of the conversation in view; a message taller than the view (a long /why at
        80×24) shows its start instead, and the reader scrolls on."""
        if bubble is self.children[-1] and bubble.outer_size.height > self.scrollable_content_region.height:
            self.scroll_to_widget(bubble, animate=False, top=True)
        else:
            self.scroll_end(animate=False)

    def relabel(self, lang: Lang) -> None:
        for bubble in self.query(Bubble):
            bubble.relabel(lang)
