"""The chat's progress line: one row, whichever of its texts fits the width (turns.progress_variants).

It re-chooses on every render, so a resized terminal gets the longest text that fits."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from ...linebreak import fitting


class ProgressLine(Widget):
    DEFAULT_CSS = """
    ProgressLine { height: auto; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.variants: list[str] = [""]

    def show(self, variants: list[str]) -> None:
        self.variants = variants or [""]
        self.refresh(layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:
        """The rows of the text chosen for `width` (one, unless even the shortest does not fit)."""
        return max(1, len(Text(fitting(self.variants, width)).wrap(self.app.console, max(1, width))))

    def render(self) -> Text:  # plain text: bank titles are data, never markup
        width = self.content_size.width
        return Text(fitting(self.variants, width if width > 0 else None))
