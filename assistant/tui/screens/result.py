"""The full result of a session: grade, scores per bank and section, suggestions (the report's Rich view)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from ...domain.evaluate import evaluate
from ...report.text import render
from ..bindings import bilingual, visible_in


class ResultScreen(Screen):
    CSS_PATH = "result.tcss"
    BINDINGS = [*bilingual("escape", "close", "key.back")]

    def __init__(self, session_id: str):
        super().__init__()
        self.session_id = session_id

    @property
    def lang(self) -> str:
        return self.app.lang  # type: ignore[attr-defined]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        shown = visible_in(self.lang, parameters)
        return True if shown is None else shown

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="result-scroll"):
            yield Static(id="result")
        yield Footer()

    def on_mount(self) -> None:
        self.relabel(self.lang)
        self.query_one("#result-scroll").focus()

    def relabel(self, lang: str) -> None:
        session = self.app.store.get_session(self.session_id)  # type: ignore[attr-defined]
        session = session.model_copy(update={"lang": lang})
        result = evaluate(self.app.library, session)  # type: ignore[attr-defined]
        self.query_one("#result", Static).update(
            render(result, self.app.library, session.created.strftime("%Y-%m-%d %H:%M")))  # type: ignore[attr-defined]
        self.refresh_bindings()

    def action_close(self, _lang: str = "") -> None:
        self.app.pop_screen()
