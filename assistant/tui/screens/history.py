"""An organisation's self-checks over time: the table, a trend of the activity percent and of each
section (bars on one 0–100 scale), and the comparison of the highlighted session with the one before.

The whole page scrolls by keyboard (PageUp/PageDown, Home/End, Ctrl+Up/Down) while the table keeps
the focus for Up/Down and Ctrl+K."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partialmethod

from rich.color import blend_rgb
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult, RenderResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Label, Sparkline, Static

from ...domain.history import HistoryRow, compare, history, same_track
from ...domain.scoring import OUTCOME_LABELS
from ...i18n import t
from ...rich_linebreak import broken
from ...report.common import fmt, headline, section_title
from ...report.text import comparison_view
from ...store import StoreError
from ..bindings import BilingualScreen, bilingual
from ..widgets.footer import FittedFooter


class ScaledSparkline(Sparkline):
    """A sparkline on a fixed scale, 0–100 (percent) by default, instead of Textual's min-to-max of
    its own data: every row of the trend shares the scale, and a flat line at 100 draws high.
    A value of None (a session without this section) draws as a gap, so the columns of all rows
    stand for the same sessions."""

    BARS = "▁▂▃▄▅▆▇█"

    def __init__(self, data: Sequence[float | None], *, low: float = 0.0, high: float = 100.0,
                 classes: str | None = None):
        super().__init__(data, classes=classes)  # type: ignore[arg-type]
        self.low, self.high = low, high

    def ratio(self, value: float) -> float:
        return min(1.0, max(0.0, (value - self.low) / (self.high - self.low)))

    def bar(self, value: float) -> str:
        return self.BARS[round(self.ratio(value) * (len(self.BARS) - 1))]

    def render(self) -> RenderResult:
        colours = super().render()  # Textual's renderable carries the colours the CSS gives
        low, high = colours.min_color.color.get_truecolor(), colours.max_color.color.get_truecolor()  # type: ignore[union-attr]
        data, width = list(self.data or []), self.size.width
        out = Text(no_wrap=True, overflow="crop")
        for column in range(width if data else 0):  # the values spread over the width, as Textual's
            start = column * len(data) // width
            bucket = [v for v in data[start:max(start + 1, (column + 1) * len(data) // width)] if v is not None]
            if not bucket:
                out.append(" ")
                continue
            value = self.summary_function(bucket)
            out.append(self.bar(value), Style(color=blend_rgb(low, high, self.ratio(value)).hex))
        return out


# key, action, label (the keys panel lists them): the keys that scroll the page
SCROLL_KEYS = (("pagedown", "scroll_next", "history.key.scroll"), ("pageup", "scroll_previous", "history.key.scroll_up"),
               ("home", "scroll_top", "history.key.top"), ("end", "scroll_bottom", "history.key.bottom"),
               ("ctrl+up", "scroll_line_up", "history.key.line_up"), ("ctrl+down", "scroll_line_down", "history.key.line_down"))


class HistoryScreen(BilingualScreen):
    CSS_PATH = "history.tcss"
    BINDINGS = [*bilingual("escape", "close", "history.key.back"), *bilingual("ctrl+k", "compare", "key.compare"),
                # the page scrolls; priority, or the focused table would take PageUp/PageDown/Home/End
                *[binding for key, action, label in SCROLL_KEYS
                  for binding in bilingual(key, action, label, show=False, priority=True)]]

    def __init__(self, org: str):
        super().__init__()
        self.org = org
        self.rows: list[HistoryRow] = []
        self.sessions: list = []

    def compose(self) -> ComposeResult:
        yield Static(id="title", markup=False)
        with VerticalScroll(id="page", can_focus=False):
            yield DataTable(id="history", cursor_type="row", zebra_stripes=True)
            with Vertical(id="trends"):
                yield Label(id="trend-label", markup=False)
            yield Static(id="comparison")
        yield FittedFooter()

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
                          Text(headline(OUTCOME_LABELS[r.result.grade.outcome][lang], lang)
                               + (f" · {t('consensus.kind', lang)}" if r.kind == "consensus" else "")), key=r.session_id)
        if self.rows:
            table.move_cursor(row=len(self.rows) - 1)
        self._trends(lang)
        self.refresh_bindings()

    def _trends(self, lang: str) -> None:
        box = self.query_one("#trends", Vertical)
        for old in box.query(".trend"):
            old.remove()
        self.query_one("#trend-label", Label).update(t("history.trend", lang) if len(self.rows) > 1 else "")
        if len(self.rows) < 2:
            return
        library = self.app.library  # type: ignore[attr-defined]
        # one value per session (None where a session lacks the section), so the columns line up
        series: list[tuple[str, list[float | None]]] = [
            (t("activities", lang), [None if r.activities_percent is None else float(r.activities_percent) for r in self.rows])]
        for key in self.rows[-1].section_percents():
            bank_id, section_id = key.split(" ", 1)
            values = [r.section_percents().get(key) for r in self.rows]
            series.append((section_title(library, bank_id, section_id, lang), [None if v is None else float(v) for v in values]))
        for name, values in series:
            points = [v for v in values if v is not None]
            if len(points) < 2:
                continue
            row = Horizontal(classes="trend")
            box.mount(row)
            row.mount(Label(Text(name), classes="trend-name").with_tooltip(name))
            row.mount(ScaledSparkline(values, classes="trend-line"))
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
        comparison = self.query_one("#comparison", Static)
        comparison.update(broken(comparison_view(cmp, self.app.library, self.lang)))  # type: ignore[attr-defined]
        # bring the comparison into view, its head at the top (at 80×24 it starts below the fold)
        self.call_after_refresh(self._page().scroll_to_widget, comparison, animate=False, top=True)

    def _page(self) -> VerticalScroll:
        return self.query_one("#page", VerticalScroll)

    def _scroll(self, how: str, _lang: str = "") -> None:
        getattr(self._page(), how)(animate=False)

    action_scroll_next = partialmethod(_scroll, "scroll_page_down")
    action_scroll_previous = partialmethod(_scroll, "scroll_page_up")
    action_scroll_top = partialmethod(_scroll, "scroll_home")
    action_scroll_bottom = partialmethod(_scroll, "scroll_end")
    action_scroll_line_up = partialmethod(_scroll, "scroll_up")
    action_scroll_line_down = partialmethod(_scroll, "scroll_down")

    def action_close(self, _lang: str = "") -> None:
        self.app.pop_screen()
