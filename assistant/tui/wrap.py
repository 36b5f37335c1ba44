"""The Wrapped widget: a block of text broken into lines by the rules of assistant/linebreak.py
(Chinese 禁则, whole English words, no line starting with a space) for the width it has."""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

from ..linebreak import CLOSING, OPENING, wrap

__all__ = ["CLOSING", "OPENING", "Wrapped", "wrap"]


class Wrapped(Widget):
    """A block of text broken into lines by `wrap` for the width it has, and again whenever that
    width changes: the help box, the home screen's lines, and the chat's bubbles (a subclass)."""

    DEFAULT_CSS = "Wrapped { height: auto; }"

    def __init__(self, text: Text, *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self.text = text

    def update(self, text: Text) -> None:
        self.text = text
        self.refresh(layout=True)

    def render(self) -> RenderableType:
        return wrap(self.text, self.content_region.width or self.size.width)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(wrap(self.text, width).plain.split("\n"))
