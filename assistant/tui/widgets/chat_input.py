"""The reply line. On an empty line the keys 1–5 answer at once instead of being typed.

Typing on straight after such a key ("4 0.75", "1.0") would otherwise drop the rest into the
next question's line or the evidence prompt; for a moment after a quick answer, the keys that
follow in the same burst are held back and the screen is told, so it can explain how to type an
exact α (start with 0. or α).
"""

from __future__ import annotations

import time

from textual import events
from textual.message import Message
from textual.widgets import Input

BURST_SECONDS = 0.4


class ChatInput(Input):
    class QuickKey(Message):
        def __init__(self, number: int):
            super().__init__()
            self.number = number

    class HeldBack(Message):
        """Keys typed right after a quick answer were not used."""

    quick_keys = True  # off while the assistant waits for free text (a note, a text question)
    _burst_until = 0.0
    _told = False

    async def _on_key(self, event: events.Key) -> None:
        now = time.monotonic()
        quick = self.quick_keys and not self.value and event.character in ("1", "2", "3", "4", "5")
        # in a burst, another quick key is another answer (5, 5, 5 in a row), until something else
        # was typed: then the whole rest of the burst ("4 0.75") is held back
        if now < self._burst_until and event.is_printable and (self._told or not quick):
            event.stop()
            event.prevent_default()
            self._burst_until = now + BURST_SECONDS
            if not self._told:
                self._told = True
                self.post_message(self.HeldBack())
            return
        if quick:
            event.stop()
            event.prevent_default()
            self._burst_until, self._told = now + BURST_SECONDS, False
            self.post_message(self.QuickKey(int(event.character)))
            return
        await super()._on_key(event)
