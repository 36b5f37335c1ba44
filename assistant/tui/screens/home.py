"""The home screen: start a new self-check, resume an unfinished one, open a past result.

The list shows each self-check's organisation (cut to the column, whole in a tooltip and in the
line under the list), its grade and service score S when finished, and answered as n/total; the
store's folder is named at the bottom, so a user always knows where the data is. F4 (shown when the
highlighted session belongs to a workshop, or is one's consensus) opens that workshop's consensus
meeting; Enter on an unfinished consensus goes on with the meeting."""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal
from textual.coordinate import Coordinate
from textual.widgets import Button, Checkbox, DataTable, Input, Label, Select, Static

from ...domain.answers import Session, gated
from ...domain.answers import LIMITS
from ...domain.bank import SECTORS
from ...domain.evaluate import evaluate
from ...domain.loader import Library
from ...i18n import t
from ...printable import printable
from ...report.common import fixed
from ...store import StoreError, Summary
from ..bindings import BilingualScreen, bilingual
from ..widgets.footer import FittedFooter
from ..wrap import Wrapped

# the columns after the organisation's: (key, label, width); the organisation takes what is left
COLUMNS = (("grade", "home.col.grade", 12), ("percent", "percent", 7), ("answered", "col.progress", 8),
           ("when", "col.when", 16))
ORG_MIN = 12
FIRST = 40  # rows whose grade is worked out before the list shows; the rest follow in the background


@dataclass(frozen=True)
class Details:
    """What the list shows of a session beyond its index summary."""

    total: int | None  # questions it asks (follow-ups of a closed gate left out); None: a bank is unknown
    outcome: str | None = None  # the provisional grade of a finished self-check
    percent: Decimal | None = None  # its service score S


def details(library: Library, session: Session) -> Details:
    if any(b not in library.banks for b in session.banks):
        return Details(None)
    banks = [library.bank(b) for b in session.banks]
    total = sum(1 for bank in banks for q in bank.questions if q.id not in gated(bank, session.answers.get(bank.id, {})))
    if session.status != "completed":
        return Details(total)
    grade = evaluate(library, session, count=0).grade  # scores and grade, no suggestions
    return Details(total, grade.outcome, grade.service_score)


def shown_path(path: Path) -> str:
    """A folder as the user would type it: absolute, and under the home folder as ~/… (POSIX)."""
    if isinstance(path, str):  # a PostgreSQL store's address, its password already hidden
        return path
    path = path.resolve()
    home = Path.home()
    if os.name == "posix" and path.is_relative_to(home) and home != Path("/"):
        return str(Path("~") / path.relative_to(home))
    return str(path)


class SessionTable(DataTable):
    """The list of self-checks; hovering over a row whose organisation is cut shows it whole."""

    def __init__(self, **kwargs: object):
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.full_names: dict[int, str] = {}  # row -> the organisation's name
        self.org_width = 0  # the organisation column's width

    def watch_hover_coordinate(self, old: Coordinate, value: Coordinate) -> None:
        super().watch_hover_coordinate(old, value)
        name = self.full_names.get(value.row, "")
        self.tooltip = name if cell_len(name) > self.org_width else None


class HomeScreen(BilingualScreen):
    CSS_PATH = "home.tcss"
    BINDINGS = [*bilingual("ctrl+o", "start", "home.start"), *bilingual("ctrl+f", "start_from", "home.from"),
                *bilingual("f3", "history", "key.history"), *bilingual("f4", "consensus", "key.consensus")]

    def __init__(self, org: str = "", respondent: str = ""):
        super().__init__()
        self._org, self._respondent = org, respondent
        self.summaries: list[Summary] = []
        self._details: dict[tuple[str, datetime], Details] = {}  # by (session id, updated)

    def compose(self) -> ComposeResult:
        yield Static(id="title", markup=False)
        yield Label(id="new-label", markup=False)
        with Horizontal(id="who"):
            yield Input(self._org, id="org", compact=True, max_length=LIMITS["org"])
            yield Input(self._respondent, id="respondent", compact=True, max_length=LIMITS["respondent"])
            yield Input(id="workshop", compact=True, max_length=LIMITS["workshop"])
        with Grid(id="flows"):
            for bank in self.app.library.banks.values():  # type: ignore[attr-defined]
                yield Checkbox(Text(bank.title(self.lang)), value=bank.group == "activities", id=f"bank-{bank.id.replace('.', '-')}",
                               compact=True, name=bank.id)
        with Horizontal(id="go"):
            yield Select([], id="sector", compact=True, allow_blank=True)
            yield Button(id="start", variant="primary", compact=True)
        yield Label(id="sessions-label", markup=False)
        yield SessionTable(id="sessions", cursor_type="row", zebra_stripes=True)
        yield Wrapped(Text(), id="selected")
        yield Wrapped(Text(), id="store-path")
        yield FittedFooter()

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
        self.query_one("#start", Button).label = t("home.start", lang) + ("（Ctrl+O）" if lang == "zh" else " (Ctrl+O)")
        sector = self.query_one("#sector", Select)
        chosen = sector.value
        sector.set_options([(t(f"sector.{s}", lang), s) for s in SECTORS])
        sector.prompt = t("home.sector", lang)
        if chosen in SECTORS:
            sector.value = chosen
        self.load_sessions()
        self.refresh_bindings()

    def load_sessions(self) -> None:
        lang = self.lang
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
        for summary in self._pending()[:FIRST]:
            self._work_out(summary)
        self._fill_table()
        self.query_one("#sessions-label", Label).update(t("home.sessions" if self.summaries else "home.no_sessions", lang))
        self.query_one("#store-path", Wrapped).update(
            Text(t("home.store", lang, path=printable(shown_path(store.root), newlines=False)), style="dim"))
        if self._pending():
            self.run_worker(self._work_out_the_rest(), exclusive=True, group="home-details")

    def _pending(self) -> list[Summary]:
        return [s for s in self.summaries if (s.session_id, s.updated) not in self._details]

    def _work_out(self, summary: Summary) -> Details:
        try:
            found = details(self.app.library, self.app.store.get_session(summary.session_id))  # type: ignore[attr-defined]
        except StoreError:  # damaged since it was listed: the list shows what the index knows
            found = Details(None)
        self._details[(summary.session_id, summary.updated)] = found
        return found

    async def _work_out_the_rest(self) -> None:
        table = self.query_one(SessionTable)
        for n, summary in enumerate(self._pending()):
            cells = self._cells(summary, self._work_out(summary))
            if summary.session_id in table.rows:
                for key in ("grade", "percent", "answered"):
                    table.update_cell(summary.session_id, key, cells[key])
            if n % 20 == 19:
                await asyncio.sleep(0)  # let the screen answer keys meanwhile

    def _org_width(self) -> int:
        """What the organisation's column gets: the width less the other columns, their padding
        (one cell each side), the table's margin and its scroll bar."""
        width = self.size.width or self.app.size.width
        return max(ORG_MIN, width - 2 - 2 - sum(w + 2 for _, _, w in COLUMNS) - 2)

    def _cells(self, s: Summary, found: Details | None) -> dict[str, Text]:
        lang = self.lang
        if s.status == "completed" and found is not None and found.outcome is not None:
            grade = Text(t(f"home.grade.{found.outcome}", lang))
            # one decimal in every row, so the column reads down (58.0% under 62.4%, not 58%)
            percent = Text("—" if found.percent is None else fixed(found.percent, 1) + "%")
        else:
            grade = Text(t(f"status.{s.status}", lang))
            percent = Text("…" if found is None and s.status == "completed" else "—", style="dim")
        total = "/…" if found is None else "" if found.total is None else f"/{found.total}"
        return {"grade": grade, "percent": percent, "answered": Text(f"{s.answered}{total}")}

    def _fill_table(self) -> None:
        lang = self.lang
        table = self.query_one(SessionTable)
        row = table.cursor_row
        table.clear(columns=True)
        org_width = self._org_width()
        table.add_column(Text(t("org", lang)), width=org_width, key="org")
        for key, label, width in COLUMNS:
            table.add_column(Text(t(label, lang)), width=width, key=key)
        table.org_width = org_width
        table.full_names = {}
        for n, s in enumerate(self.summaries):
            org = printable(s.org, newlines=False)
            table.full_names[n] = org
            cells = self._cells(s, self._details.get((s.session_id, s.updated)))
            table.add_row(Text(org, no_wrap=True, overflow="ellipsis"), cells["grade"], cells["percent"],
                          cells["answered"], Text(s.updated.strftime("%Y-%m-%d %H:%M")), key=s.session_id)
        if self.summaries:
            table.move_cursor(row=min(row or 0, len(self.summaries) - 1))
        self._show_selected()

    def on_resize(self) -> None:
        if self.is_mounted and self.query_one(SessionTable).org_width != self._org_width():
            self._fill_table()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_selected()
        self.refresh_bindings()  # F4 shows for a workshop's session only

    def _show_selected(self) -> None:
        """The highlighted self-check in full: session id, organisation, respondent, workshop."""
        table = self.query_one(SessionTable)
        line = Text()
        if self.summaries and table.cursor_row is not None and table.cursor_row < len(self.summaries):
            s = self.summaries[table.cursor_row]
            parts = [t("home.selected.session", self.lang, id=s.session_id), printable(s.org, newlines=False),
                     printable(s.respondent, newlines=False)]
            if s.workshop:
                parts.append(t("home.selected.workshop", self.lang, workshop=printable(s.workshop, newlines=False)))
            if s.kind == "consensus":
                parts.append(t("consensus.session", self.lang))
            line = Text(" · ".join(p for p in parts if p))
        self.query_one("#selected", Wrapped).update(line)

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

    def _current(self) -> Summary | None:
        table = self.query_one(SessionTable)
        if not self.summaries or table.cursor_row is None or table.cursor_row >= len(self.summaries):
            return None
        return self.summaries[table.cursor_row]

    def _highlighted(self) -> Summary | None:
        current = self._current()
        if current is None:
            self.app.notify(t("home.pick_session", self.lang), severity="warning")
        return current

    @property
    def typed_respondent(self) -> str:
        """The name in the respondent box (a consensus meeting opened from here takes it as its facilitator)."""
        return self.query_one("#respondent", Input).value.strip()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        shown = super().check_action(action, parameters)
        if action == "consensus" and shown and self.query(SessionTable):
            s = self._current()
            return s is not None and bool(s.workshop or s.kind == "consensus")
        return shown

    def action_consensus(self, _lang: str = "") -> None:
        """The consensus meeting of the highlighted session's workshop (or of the workshop whose
        consensus it is)."""
        base = self._highlighted()
        if base is not None:
            self._open_consensus(base)

    def _open_consensus(self, base: Summary) -> None:
        from .consensus import open_consensus

        name = base.workshop
        if base.kind == "consensus":
            try:
                name = self.app.store.get_session(base.session_id).consensus_of  # type: ignore[attr-defined]
            except StoreError as e:
                self.app.notify(str(e), severity="error")
                return
        if not name:
            self.app.notify(t("consensus.not_in_workshop", self.lang), severity="warning")
            return
        open_consensus(self.app, name, self.typed_respondent)  # type: ignore[arg-type]

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
        if summary.kind == "consensus" and summary.status != "completed":
            self._open_consensus(summary)  # a meeting goes on in its own screen, not in the chat
        elif summary.status == "completed":
            from .result import ResultScreen

            self.app.push_screen(ResultScreen(sid))
        else:
            self.app.open_chat(sid, resumed=True)  # type: ignore[attr-defined]
