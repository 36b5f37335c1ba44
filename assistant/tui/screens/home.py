"""The home screen: start a new self-check, resume an unfinished one, open a past result."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal
from textual.widgets import Button, Checkbox, DataTable, Footer, Input, Label, Select, Static

from ...domain.bank import SECTORS
from ...i18n import t
from ...printable import printable
from ...store import StoreError, Summary
from ..bindings import BilingualScreen, bilingual


class HomeScreen(BilingualScreen):
    CSS_PATH = "home.tcss"
    BINDINGS = [*bilingual("ctrl+o", "start", "home.start"), *bilingual("ctrl+f", "start_from", "home.from"),
                *bilingual("f3", "history", "key.history")]

    def __init__(self, org: str = "", respondent: str = ""):
        super().__init__()
        self._org, self._respondent = org, respondent
        self.summaries: list[Summary] = []

    def compose(self) -> ComposeResult:
        yield Static(id="title", markup=False)
        yield Label(id="new-label", markup=False)
        with Horizontal(id="who"):
            yield Input(self._org, id="org", compact=True)
            yield Input(self._respondent, id="respondent", compact=True)
            yield Input(id="workshop", compact=True)
        with Grid(id="flows"):
            for bank in self.app.library.banks.values():  # type: ignore[attr-defined]
                yield Checkbox(Text(bank.title(self.lang)), value=bank.group == "activities", id=f"bank-{bank.id.replace('.', '-')}",
                               compact=True, name=bank.id)
        with Horizontal(id="go"):
            yield Select([], id="sector", compact=True, allow_blank=True)
            yield Button(id="start", variant="primary", compact=True)
        yield Label(id="sessions-label", markup=False)
        yield DataTable(id="sessions", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.relabel(self.lang)
        self.query_one("#org", Input).focus()

    def on_screen_resume(self) -> None:
        self.load_sessions()

    def relabel(self, lang: str) -> None:
        self.query_one("#title", Static).update(t("app.title", lang))
        self.query_one("#new-label", Label).update(t("home.new", lang))
        self.query_one("#org", Input).placeholder = t("home.org", lang)
        self.query_one("#respondent", Input).placeholder = t("home.respondent", lang)
        self.query_one("#workshop", Input).placeholder = t("home.workshop", lang)
        for box in self.query(Checkbox):
            box.label = Text(self.app.library.bank(box.name).title(lang))  # type: ignore[attr-defined]
        self.query_one("#start", Button).label = t("home.start", lang) + " (Ctrl+O)"
        sector = self.query_one("#sector", Select)
        chosen = sector.value
        sector.set_options([(t(f"sector.{s}", lang), s) for s in SECTORS])
        sector.prompt = t("home.sector", lang)
        if chosen in SECTORS:
            sector.value = chosen
        self.query_one("#sessions-label", Label).update(t("home.sessions", lang))
        self.load_sessions()
        self.refresh_bindings()

    def load_sessions(self) -> None:
        lang = self.lang
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for key, width in (("session", 15), ("org", 18), ("col.status", 11), ("col.progress", 7), ("col.when", 17)):
            table.add_column(Text(t(key, lang)), width=width)
        store = self.app.store  # type: ignore[attr-defined]
        try:
            self.summaries = store.list_sessions()
        except StoreError as e:  # a damaged store: say so, keep the screen usable
            self.summaries = []
            self.app.notify(printable(str(e)), severity="error", timeout=15)
        shown = getattr(self, "_shown_problems", set())
        for problem in store.problems:  # a damaged session left out, a rebuilt index: said once
            if problem not in shown:
                self.app.notify(printable(problem), severity="warning", timeout=15)
                shown.add(problem)
        self._shown_problems = shown
        # unfinished first, then the newest
        self.summaries.sort(key=lambda s: s.status != "in_progress")
        for s in self.summaries:
            table.add_row(Text(s.session_id), Text(printable(s.org, newlines=False)), Text(t(f"status.{s.status}", lang)),
                          Text(str(s.answered)), Text(s.updated.strftime("%Y-%m-%d %H:%M")), key=s.session_id)
        if not self.summaries:
            self.query_one("#sessions-label", Label).update(t("home.no_sessions", lang))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "start":
            self.action_start()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        following = {"org": "#respondent", "respondent": "#workshop"}
        if event.input.id in following:
            self.query_one(following[event.input.id], Input).focus()
        else:
            self.action_start()

    def action_start(self, _lang: str = "") -> None:
        org = self.query_one("#org", Input).value.strip()
        if not org:
            self.app.notify(t("home.org_missing", self.lang), severity="warning")
            self.query_one("#org", Input).focus()
            return
        banks = [box.name for box in self.query(Checkbox) if box.value]
        if not banks:
            self.app.notify(t("home.no_flow", self.lang), severity="warning")
            return
        respondent = self.query_one("#respondent", Input).value.strip()
        workshop = self.query_one("#workshop", Input).value.strip() or None
        if workshop is not None:
            try:
                record = self.app.store.get_workshop(workshop)  # type: ignore[attr-defined]
            except StoreError as e:
                self.app.notify(str(e), severity="warning")
                return
            if record["org"] != org:
                self.app.notify(t("home.workshop_org", self.lang, workshop=workshop, org=record["org"]),
                                severity="warning")
                return
        sector = self.query_one("#sector", Select).value
        self.app.start_session(org, respondent, banks, workshop=workshop,  # type: ignore[attr-defined]
                               sector=sector if sector in SECTORS else None)

    def _highlighted(self) -> Summary | None:
        table = self.query_one(DataTable)
        if not self.summaries or table.cursor_row is None or table.cursor_row >= len(self.summaries):
            self.app.notify(t("home.pick_session", self.lang), severity="warning")
            return None
        return self.summaries[table.cursor_row]

    def action_history(self, _lang: str = "") -> None:
        """The history of the highlighted session's organisation."""
        from .history import HistoryScreen

        base = self._highlighted()
        if base is not None:
            self.app.push_screen(HistoryScreen(base.org))

    def action_start_from(self, _lang: str = "") -> None:
        """A new self-check of the highlighted session's organisation, its answers offered as a baseline."""
        base = self._highlighted()
        if base is None:
            return
        respondent = self.query_one("#respondent", Input).value.strip() or base.respondent
        try:
            sector = self.app.store.get_session(base.session_id).sector  # type: ignore[attr-defined]
        except StoreError:
            sector = None
        self.app.start_session(base.org, respondent, base.banks, workshop=base.workshop,  # type: ignore[attr-defined]
                               baseline=base.session_id, sector=sector)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        sid = event.row_key.value
        summary = next((s for s in self.summaries if s.session_id == sid), None)
        if summary is None:
            return
        if summary.status == "completed":
            from .result import ResultScreen

            self.app.push_screen(ResultScreen(sid))
        else:
            self.app.open_chat(sid, resumed=True)  # type: ignore[attr-defined]
