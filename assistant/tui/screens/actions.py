"""An organisation's action plan: the actions in a table; add (a), edit (e) and cycle the status (s).

`ActionsScreen(org)` gets the store, the banks and the language from the app, as every screen does;
every change is written through the store at once (durable when the table shows it).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Static

from ...domain.actions import STATUSES, Action, ActionError, ItemRef
from ...i18n import t
from ...printable import printable
from ...store import StoreError
from ..bindings import BilingualScreen, bilingual
from ..widgets.footer import FittedFooter
from .action_form import ActionForm

COLUMNS = (("actions.col.id", 4), ("actions.col.status", 7), ("actions.col.due", 10), ("actions.col.owner", 8),
           ("actions.col.items", 16), ("actions.col.what", 20))


def next_status(status: str) -> str:
    """planned → doing → done → dropped → planned."""
    return STATUSES[(STATUSES.index(status) + 1) % len(STATUSES)]  # type: ignore[arg-type]


class ActionsScreen(BilingualScreen):
    CSS_PATH = "actions.tcss"
    BINDINGS = [*bilingual("escape", "close", "actions.key.close"), *bilingual("a", "add", "actions.key.add"),
                *bilingual("e", "edit", "actions.key.edit"), *bilingual("s", "cycle", "actions.key.status")]

    def __init__(self, org: str, *, items: list[ItemRef] | None = None, session: str | None = None):
        """`items` and `session` preset the form of a new action (e.g. opened from a result)."""
        super().__init__()
        self.org = org
        self.items = items or []
        self.session = session
        self.actions: list[Action] = []

    def compose(self) -> ComposeResult:
        yield Static(id="title", markup=False)
        yield Static(id="counts", markup=False)
        yield DataTable(id="actions", cursor_type="row", zebra_stripes=True)
        yield Static(id="detail", markup=False)
        yield FittedFooter()

    def on_mount(self) -> None:
        self.relabel(self.lang)
        self.query_one(DataTable).focus()

    def relabel(self, lang: str) -> None:
        self.query_one("#title", Static).update(printable(t("actions.title", lang, org=self.org)))
        current = self.current() if self.actions else None
        self.load(select=current.id if current else None)
        self.refresh_bindings()

    def load(self, select: str | None = None) -> None:
        """Read the plan from the store and show it, the cursor on `select` (an action id) if given."""
        from ...commands.actions import counts

        lang = self.lang
        try:
            self.actions = self.app.store.list_actions(self.org)  # type: ignore[attr-defined]
        except StoreError as e:
            self.actions = []
            self.app.notify(str(e), severity="error", timeout=15)
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for key, width in COLUMNS:
            table.add_column(Text(t(key, lang)), width=width, key=key)
        for a in self.actions:
            table.add_row(*self._cells(a), key=a.id)
        summary = (t("actions.counts", lang, **counts(self.actions)) if self.actions
                   else t("actions.none", lang, org=self.org))
        self.query_one("#counts", Static).update(printable(summary))
        ids = [a.id for a in self.actions]
        if select in ids:
            table.move_cursor(row=ids.index(select))
        self._show_detail()

    def _cells(self, a: Action) -> list[Text]:
        from ...commands.actions import STATUS_STYLES, short_item

        library = self.app.library  # type: ignore[attr-defined]
        return [Text(a.id), Text(t(f"actions.status.{a.status}", self.lang), style=STATUS_STYLES[a.status]),
                Text(a.due.isoformat() if a.due else ""), Text(printable(a.owner)),
                Text(" ".join(short_item(library, i) for i in a.items)), Text(printable(a.what))]

    def current(self) -> Action | None:
        table = self.query_one(DataTable)
        if not self.actions or table.cursor_row is None or not 0 <= table.cursor_row < len(self.actions):
            return None
        return self.actions[table.cursor_row]

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        """The highlighted action in full: the table cuts long text."""
        a = self.current()
        detail = self.query_one("#detail", Static)
        if a is None:
            detail.update("")
            return
        lang = self.lang
        text = Text(f"{a.id} ", style="bold")
        text.append(printable(a.what))
        text.append("\n" + " ".join(str(i) for i in a.items), style="dim")
        if a.note:
            text.append("\n" + printable(t("actions.note", lang, note=a.note)), style="italic")
        if a.method:
            text.append("\n" + printable(t("actions.method", lang, method=a.method)), style="dim")
        detail.update(text)

    # -- keys --------------------------------------------------------------------------------

    def _pick(self) -> Action | None:
        a = self.current()
        if a is None:
            self.app.notify(t("actions.pick", self.lang), severity="warning")
        return a

    def _store(self, change: Any) -> Action | None:
        try:
            return change()
        except (ActionError, StoreError) as e:
            self.app.notify(str(e), severity="error", timeout=10)
            return None

    def action_cycle(self, _lang: str = "") -> None:
        a = self._pick()
        if a is None:
            return
        store = self.app.store  # type: ignore[attr-defined]
        changed = self._store(lambda: store.update_action(self.org, a.id, status=next_status(a.status)))
        if changed is not None:
            self.load(select=changed.id)
            self.app.notify(t("actions.status_set", self.lang, id=changed.id,
                              status=t(f"actions.status.{changed.status}", self.lang)))

    def action_edit(self, _lang: str = "") -> None:
        a = self._pick()
        if a is None:
            return
        store = self.app.store  # type: ignore[attr-defined]

        def save(values: dict[str, Any] | None) -> None:
            if values is not None and self._store(lambda: store.update_action(self.org, a.id, **values)):
                self.load(select=a.id)

        self.app.push_screen(ActionForm.editing(a), save)

    def action_add(self, _lang: str = "") -> None:
        store = self.app.store  # type: ignore[attr-defined]

        def save(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            added = self._store(lambda: store.add_action(self.org, **values))
            if added is not None:
                self.load(select=added.id)
                self.app.notify(t("actions.added", self.lang, id=added.id))

        self.app.push_screen(ActionForm(self.items, session=self.session), save)

    def action_close(self, _lang: str = "") -> None:
        self.app.pop_screen()
