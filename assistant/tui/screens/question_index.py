"""The question index of a chat: every question the flow will ask, with its answer so far, to
jump to one (Enter) — like a jump list. Opened with Ctrl+G or `/goto` without a question."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from ...domain.answers import Position
from ...domain.engine import Step
from ...i18n import t
from ...report.common import answer_text


class QuestionIndex(ModalScreen[Position | None]):
    """Dismisses with the position chosen, or None."""

    DEFAULT_CSS = """
    QuestionIndex { align: center middle; }
    #index-box { width: 96%; height: 90%; border: round $accent; background: $surface; padding: 0 1; }
    #index-title { height: auto; text-style: bold; }
    #index-table { height: 1fr; }
    """
    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, entries: list[tuple[Step, bool]], lang: str):
        super().__init__()
        self.entries = entries
        self.lang = lang

    def compose(self) -> ComposeResult:
        with Vertical(id="index-box"):
            yield Static(Text(t("index.title", self.lang)), id="index-title")
            yield DataTable(id="index-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        lang = self.lang
        table = self.query_one(DataTable)
        table.add_column(Text(t("index.col.question", lang)), width=12)
        table.add_column(Text(t("index.col.answer", lang)), width=22)
        table.add_column(Text(t("index.col.text", lang)))
        current = 0
        for n, (step, here) in enumerate(self.entries):
            q = step.question
            mark = "▶ " if here else "  "
            answer = answer_text(step.answer, q, None, lang) if step.answer is not None else "—"  # type: ignore[arg-type]
            table.add_row(Text(mark + q.id, style="bold" if here else ""), Text(answer, overflow="ellipsis", no_wrap=True),
                          Text(f"{step.bank.title(lang)} · {q.text(lang)}", overflow="ellipsis", no_wrap=True))  # type: ignore[arg-type]
            if here:
                current = n
        table.move_cursor(row=current)
        table.focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.dismiss(self.entries[event.cursor_row][0].position)

    def action_cancel(self) -> None:
        self.dismiss(None)
