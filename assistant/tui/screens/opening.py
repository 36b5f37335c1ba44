"""The opening frame on screen: a new chat's greeting and first question as the chat last showed
them (tui/opening.py), laid out as the chat lays them out, while the chat itself is loaded.

Built from the lightest widgets (no buttons, no footer, no progress bar: their rows are kept free so
that nothing moves when the chat takes its place). The reply line takes typing meanwhile; what is
typed is handed to the chat (digits are text here: there is no question object to answer yet).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from ..opening import Opening
from ..widgets.chat_input import ChatInput
from ..widgets.progress_line import ProgressLine
from ..widgets.transcript import Bubble, Transcript


class OpeningScreen(Screen):
    CSS_PATH = "chat.tcss"
    DEFAULT_CSS = """
    OpeningScreen #bar-space { height: 1; }
    OpeningScreen #quick-space { height: 1; }
    OpeningScreen #footer-space { dock: bottom; height: 1; background: $footer-background; }
    """

    def __init__(self, opening: Opening, title: str):
        super().__init__()
        self.opening = opening
        self.title_text = title

    def compose(self) -> ComposeResult:
        yield Static(self.title_text, id="title", markup=False)
        progress = ProgressLine(id="progress-text")
        progress.variants = list(self.opening.progress)
        yield progress
        yield Static(id="bar-space")
        with Transcript(id="transcript"):
            for role, text in self.opening.bubbles:
                yield Bubble(role, text)
        if self.opening.quick:
            yield Static(id="quick-space")
        reply = ChatInput.reply_line(self.opening.placeholder)
        reply.quick_keys = False
        yield reply
        yield Static(id="footer-space")

    def on_mount(self) -> None:
        self.query_one(ChatInput).focus()
        transcript = self.query_one(Transcript)
        transcript.call_after_refresh(transcript.reveal, transcript.children[-1])
        self.call_after_refresh(self.app.prepare_in_thread)  # type: ignore[attr-defined]

    def typed(self) -> str:
        """What was typed into the reply line while the chat was loading."""
        return self.query_one(ChatInput).value
