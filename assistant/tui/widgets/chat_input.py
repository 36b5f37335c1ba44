"""The reply line. On an empty line that has not been typed into, a key 1–5 answers by itself.

A reply that only starts with a digit ("4，已有三项团体标准", "4 0.75", "1.5") must reach the reply
parser whole. So a quick key is shown in the line and held for a moment: if nothing else is typed
in that moment, it answers; if more follows, the digit stays as the start of a typed reply, which
Enter sends to the parser. Once the line has been typed into (or emptied again), digits are text
until the next question.
"""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input

from ...domain.limits import LIMITS


class ChatInput(Input):
    class QuickKey(Message):
        def __init__(self, number: int):
            super().__init__()
            self.number = number

    class Scroll(Message):
        """Home / End on an empty line scroll the transcript (elsewhere they move the cursor)."""

        def __init__(self, where: str):
            super().__init__()
            self.where = where

    hold = 0.35  # seconds a lone quick key waits for more typing before it answers
    quick_keys = True  # off while the assistant waits for free text (a note, a text question)
    touched = False  # typed into since the question was asked: digits are text
    _pending: Timer | None = None

    @classmethod
    def reply_line(cls, placeholder: str = "") -> ChatInput:
        """The chat's reply line (#reply), as the chat and its opening frame both show it."""
        return cls(id="reply", placeholder=placeholder, select_on_focus=False, compact=True, max_length=LIMITS["text"])

    def fresh(self) -> None:
        """A new question: an empty, untouched line where keys 1–5 answer again."""
        self._cancel()
        self.value = ""
        self.touched = False

    def _cancel(self) -> None:
        if self._pending is not None:
            self._pending.stop()
            self._pending = None

    def _fire(self, number: int) -> None:
        self._pending = None
        if self.value == str(number):
            self.value = ""
            self.post_message(self.QuickKey(number))

    async def _on_key(self, event: events.Key) -> None:
        if not self.value and event.key in ("home", "end"):
            event.stop()
            event.prevent_default()
            self.post_message(self.Scroll(event.key))
            return
        quick = (self.quick_keys and not self.touched and not self.value
                 and event.character in ("1", "2", "3", "4", "5"))
        if quick:
            event.stop()
            event.prevent_default()
            number = int(event.character)
            if self.hold <= 0:
                self.post_message(self.QuickKey(number))
                return
            self.insert_text_at_cursor(event.character)
            self._pending = self.set_timer(self.hold, lambda: self._fire(number))
            return
        if event.is_printable or event.key in ("backspace", "delete", "ctrl+u", "ctrl+w"):
            self._cancel()  # the digit held is the start of a typed reply
            self.touched = True
        elif event.key == "enter":
            self._cancel()  # Enter sends the line as it is ("4" answers 4 through the parser)
        await super()._on_key(event)
