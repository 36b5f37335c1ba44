"""Quick-reply buttons for the current question's kind (Likert labels, maturity levels, yes/partly/no)."""

from __future__ import annotations

from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button

from ...domain.answers import Answer
from ...domain.bank import Kind
from ...i18n import Lang
from ..turns import choices


class QuickReplies(Horizontal, can_focus=False):
    class Chosen(Message):
        def __init__(self, answer: Answer):
            super().__init__()
            self.answer = answer

    SLOTS = 5  # the most choices a kind has (Likert and maturity levels 1–5)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._answers: list[Answer] = []

    def compose(self):
        for i in range(self.SLOTS):
            yield Button(" ", id=f"choice-{i}", compact=True)

    def show(self, kind: Kind | None, lang: Lang) -> None:
        options = choices(kind, lang) if kind is not None else []
        self._answers = [a for _, a in options]
        for i, button in enumerate(self.query(Button)):
            if i < len(options):
                button.label = options[i][0]
            button.display = i < len(options)
        self.display = bool(options)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id and event.button.id.startswith("choice-"):
            self.post_message(self.Chosen(self._answers[int(event.button.id.removeprefix("choice-"))]))

    def answer_for_key(self, number: int) -> Answer | None:
        return self._answers[number - 1] if 0 < number <= len(self._answers) else None
