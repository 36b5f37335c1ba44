"""The reply line. On an empty line the keys 1–5 answer at once instead of being typed."""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widgets import Input


class ChatInput(Input):
    class QuickKey(Message):
        def __init__(self, number: int):
            super().__init__()
            self.number = number

    quick_keys = True  # off while the assistant waits for free text (a note, a text question)

    async def _on_key(self, event: events.Key) -> None:
        if self.quick_keys and not self.value and event.character in ("1", "2", "3", "4", "5"):
            event.stop()
            event.prevent_default()
            self.post_message(self.QuickKey(int(event.character)))
            return
        await super()._on_key(event)
