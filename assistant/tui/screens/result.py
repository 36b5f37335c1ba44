"""The full result of a session: grade, scores per bank and section, suggestions (the report's Rich view)."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...domain.evaluate import evaluate
from ...domain.loader import UnknownBank
from ...i18n import t
from ...rich_linebreak import broken
from ...printable import printable
from ...report.text import render
from ...store import StoreError
from ..bindings import BilingualScreen, bilingual
from ..widgets.footer import FittedFooter


class ResultScreen(BilingualScreen):
    CSS_PATH = "result.tcss"
    BINDINGS = [*bilingual("escape", "close", "key.close"), *bilingual("ctrl+e", "export", "key.export"),
                *bilingual("f3", "history", "key.history"), *bilingual("p", "plan", "key.plan"),
                *bilingual("o", "actions", "key.actions")]

    def __init__(self, session_id: str):
        super().__init__()
        self.session_id = session_id

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("export", "history", "actions") and self.app.participant is not None:  # type: ignore[attr-defined]
            return False  # a served participant gets no files and no one else's sessions
        return super().check_action(action, parameters)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="result-scroll"):
            yield Static(id="result")
        yield FittedFooter()

    def on_mount(self) -> None:
        self.relabel(self.lang)
        self.query_one("#result-scroll").focus()

    def relabel(self, lang: str) -> None:
        try:
            session = self.app.store.get_session(self.session_id)  # type: ignore[attr-defined]
            session = session.model_copy(update={"lang": lang})
            result = evaluate(self.app.library, session)  # type: ignore[attr-defined]
        except (StoreError, UnknownBank) as e:
            self.query_one("#result", Static).update(Text(printable(str(e)), style="red"))
            return
        body = render(result, self.app.library, session.created.strftime("%Y-%m-%d %H:%M"))  # type: ignore[attr-defined]
        if self.app.participant is None:  # type: ignore[attr-defined]
            body = Group(body, Text(""), self._actions(session, result), Text(t("result.keys", lang), style="dim italic"))
        self.query_one("#result", Static).update(broken(body))  # lines break as the chat's do
        self.refresh_bindings()

    def _actions(self, session, result) -> Text:
        """The organisation's action plan, with how each action's items moved up to this self-check."""
        from ...report.actions_view import actions_text, planned_results

        store, library = self.app.store, self.app.library  # type: ignore[attr-defined]
        try:
            actions = store.list_actions(session.org)
        except StoreError as e:
            return Text(printable(str(e)), style="red")
        return actions_text(actions, planned_results(store, library, actions), result, library, self.lang)

    def action_close(self, _lang: str = "") -> None:
        self.app.pop_screen()

    def action_plan(self, _lang: str = "") -> None:
        from .plan import PlanScreen

        self.app.push_screen(PlanScreen(self.session_id))

    def action_actions(self, _lang: str = "") -> None:
        from .actions import ActionsScreen

        self.app.push_screen(ActionsScreen(self.app.store.get_session(self.session_id).org))  # type: ignore[attr-defined]

    def action_history(self, _lang: str = "") -> None:
        from .history import HistoryScreen

        org = self.app.store.get_session(self.session_id).org  # type: ignore[attr-defined]
        self.app.push_screen(HistoryScreen(org))

    def action_export(self, _lang: str = "") -> None:
        from .export import ExportScreen

        self.app.push_screen(ExportScreen(f"report-{self.session_id}.html"), self._write_report)

    def _write_report(self, path) -> None:
        if path is None:
            return
        from datetime import datetime, timezone

        from ...report import document

        lang = self.lang
        store, library = self.app.store, self.app.library  # type: ignore[attr-defined]
        session = store.get_session(self.session_id).model_copy(update={"lang": lang})
        data = document.report_data(store, library, session, evaluate(library, session),
                                    datetime.now(timezone.utc).astimezone())
        from .export import report_bytes

        try:
            path.write_bytes(report_bytes(data, path.suffix))
        except OSError as e:
            self.app.notify(t("export.failed", lang, error=e.strerror or e), severity="error", timeout=10)
            return
        self.app.notify(t("export.done", lang, path=str(path.resolve())))
