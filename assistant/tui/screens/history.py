"""An organisation's self-checks over time: the table, a trend of the activity percent and of each
section (Textual's Sparkline), and the comparison of the highlighted session with the one before."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Footer, Label, Sparkline, Static

from ...domain.history import HistoryRow, compare, history, same_track
from ...domain.scoring import OUTCOME_LABELS
from ...i18n import t
from ...report.common import fmt, section_title
from ...report.text import comparison_view
from ...store import StoreError
from ..bindings import BilingualScreen, bilingual


class HistoryScreen(BilingualScreen):
    CSS_PATH = "history.tcss"
    BINDINGS = [*bilingual("escape", "close", "key.back"), *bilingual("ctrl+k", "compare", "key.compare")]

    def __init__(self, org: str):
        super().__init__()
        self.org = org
        self.rows: list[HistoryRow] = []
        self.sessions: list = []

    def compose(self) -> ComposeResult:
        yield Static(id="title", markup=False)
        yield DataTable(id="history", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="trends"):
            yield Label(id="trend-label", markup=False)
        yield Static(id="comparison")
        yield Footer()

    def on_mount(self) -> None:
        self.relabel(self.lang)
        self.query_one(DataTable).focus()

    def relabel(self, lang: str) -> None:
        self.query_one("#title", Static).update(f"{t('history.title', lang)} · {self.org}")
        try:
            self.sessions = same_track(self.app.store.sessions(org=self.org))  # type: ignore[attr-defined]
        except StoreError as e:
            self.app.notify(str(e), severity="error", timeout=10)
            self.sessions = []
        library = self.app.library  # type: ignore[attr-defined]
        self.rows = history(library, self.sessions, lang)
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for key, width in (("session", 15), ("created", 17), ("col.activities", 12), ("grade", 24)):
            table.add_column(Text(t(key, lang)), width=width)
        for r in self.rows:
            table.add_row(Text(r.session_id), Text(r.created.strftime("%Y-%m-%d %H:%M")), Text(fmt(r.activities_percent)),
                          Text(OUTCOME_LABELS[r.result.grade.outcome][lang]), key=r.session_id)
        if self.rows:
            table.move_cursor(row=len(self.rows) - 1)
        self._trends(lang)
        self.refresh_bindings()

    def _trends(self, lang: str) -> None:
        box = self.query_one("#trends", VerticalScroll)
        for old in box.query(".trend"):
            old.remove()
        self.query_one("#trend-label", Label).update(t("history.trend", lang) if len(self.rows) > 1 else "")
        if len(self.rows) < 2:
            return
        library = self.app.library  # type: ignore[attr-defined]
        series: list[tuple[str, list[float]]] = []
        acts = [float(r.activities_percent) for r in self.rows if r.activities_percent is not None]
        if len(acts) > 1:
            series.append((t("activities", lang), acts))
        keys = list(self.rows[-1].section_percents())
        for key in keys:
            values = [r.section_percents().get(key) for r in self.rows]
            points = [float(v) for v in values if v is not None]
            if len(points) > 1:
                bank_id, section_id = key.split(" ", 1)
                series.append((section_title(library, bank_id, section_id, lang), points))
        for name, points in series:
            row = Horizontal(classes="trend")
            box.mount(row)
            row.mount(Label(Text(name), classes="trend-name"))
            row.mount(Sparkline(points, classes="trend-line"))
            row.mount(Label(Text(f"{points[0]:.1f} → {points[-1]:.1f}"), classes="trend-values"))

    def action_compare(self, _lang: str = "") -> None:
        """The highlighted session against the one before it."""
        table = self.query_one(DataTable)
        i = table.cursor_row
        if i is None or i < 1 or i >= len(self.rows):
            self.app.notify(t("history.pick", self.lang), severity="warning")
            return
        by_id = {s.id: s for s in self.sessions}
        before, after = by_id[self.rows[i - 1].session_id], by_id[self.rows[i].session_id]
        cmp = compare(self.app.library, before, after, self.lang)  # type: ignore[attr-defined]
        self.query_one("#comparison", Static).update(comparison_view(cmp, self.app.library, self.lang))  # type: ignore[attr-defined]

    def action_close(self, _lang: str = "") -> None:
        self.app.pop_screen()
