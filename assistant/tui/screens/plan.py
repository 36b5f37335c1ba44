"""The path to a target grade in the app: the fewest raises (SCORING §12) and the suggestions, each
row with its question, next-step advice and sector example below the table; `a` turns the
highlighted row into an action of the organisation's plan, `t` switches the target grade."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from ...domain.actions import ItemRef
from ...domain.derivation import label
from ...domain.evaluate import evaluate
from ...domain.planner import Plan, plan, targets
from ...clauses import clause_refs
from ...i18n import t
from ...report.common import bank_title, fixed, method_label, places_needed
from ...report.plan import advice, after_line, example, head_lines, item_label, question, raise_text
from ...store import StoreError
from ..bindings import BilingualScreen, bilingual
from ..widgets.footer import FittedFooter


class PlanScreen(BilingualScreen):
    CSS_PATH = "plan.tcss"
    BINDINGS = [*bilingual("escape", "close", "key.close"), *bilingual("t", "target", "key.target"),
                *bilingual("a", "add_action", "key.add_action"), *bilingual("o", "actions", "key.actions")]

    def __init__(self, session_id: str, target: str | None = None):
        super().__init__()
        self.session_id = session_id
        self.target = target
        self.plan: Plan | None = None
        self.rows: list[tuple[str, list[ItemRef], str, str | None, int | None]] = []  # kind, items, what, method, level

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("add_action", "actions") and self.app.participant is not None:  # type: ignore[attr-defined]
            return False  # a served participant sees only their own answers, not the organisation's plan
        return super().check_action(action, parameters)

    def compose(self) -> ComposeResult:
        yield Static(id="plan-head", markup=False)
        yield DataTable(id="plan-table", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="plan-detail-scroll"):
            yield Static(id="plan-detail", markup=False)
        yield FittedFooter()

    def on_mount(self) -> None:
        self.relabel(self.lang)
        self.query_one(DataTable).focus()

    def relabel(self, lang: str) -> None:
        store, library = self.app.store, self.app.library  # type: ignore[attr-defined]
        try:
            self.session = store.get_session(self.session_id).model_copy(update={"lang": lang})
        except StoreError as e:
            self.query_one("#plan-head", Static).update(Text(str(e), style="red"))
            return
        result = evaluate(library, self.session)
        self.plan = plan(library, self.session, self.target, result)  # type: ignore[arg-type]
        self.target = self.plan.target
        head = Text()
        lines = head_lines(self.plan, lang)
        head.append(lines[0] + "\n", style="bold")
        head.append("\n".join(lines[1:]))
        if self.plan.steps:
            head.append("\n" + after_line(self.plan, lang), style="bold green" if self.plan.reachable else "bold")
        self.query_one("#plan-head", Static).update(head)
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for key, width in (("plan.col.item", 22), ("plan.col.raise", 9), ("plan.col.gain", 7), ("plan.col.what", 34)):
            table.add_column(Text(t(key, lang)), width=width)
        self.rows = []
        # one number of decimals in the points column (two at most)
        width = max((places_needed(v) for v in [s.points_gained for s in self.plan.steps]
                     + [sg.points_at_stake for sg in result.suggestions]), default=0)
        for s in self.plan.steps:
            what = advice(library, s.bank, s.id, s.from_level, lang) or ""
            self.rows.append(("step", [ItemRef(bank=s.bank, id=s.id)], what, None, s.from_level))
            table.add_row(Text(f"{s.id} {bank_title(library, s.bank, lang)}", overflow="ellipsis", no_wrap=True),
                          Text(raise_text(s, lang)),
                          Text("+" + fixed(s.points_gained, width)), Text(what, overflow="ellipsis", no_wrap=True))
        for sg in result.suggestions:
            refs = [ItemRef(bank=i.bank, id=i.id) for i in sg.items]
            self.rows.append(("suggestion", refs, sg.text, sg.method if sg.kind == "method" else None, None))
            table.add_row(Text(t("plan.suggestion", lang)), Text(", ".join(i.id for i in sg.items), overflow="ellipsis"),
                          Text(fixed(sg.points_at_stake, width)),
                          Text(f"{method_label(sg.method, sg.area)} {sg.text}", overflow="ellipsis", no_wrap=True))
        self._detail(table.cursor_row if self.rows else None)
        self.refresh_bindings()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail(event.cursor_row)

    def _detail(self, row: int | None) -> None:
        lang, library = self.lang, self.app.library  # type: ignore[attr-defined]
        out = Text()
        if row is None or not (0 <= row < len(self.rows)):
            out.append(t("plan.detail.none", lang), style="dim")
        else:
            kind, items, what, method, level = self.rows[row]
            first = items[0]
            q = question(library, first.bank, first.id)
            out.append(item_label(library, first.bank, first.id, lang) + "  ", style="bold")
            if q is not None:
                out.append(q.text(lang) + "\n")
            if kind == "step":
                if q is not None and q.next_steps is not None:
                    n = q.next_steps.at(level)[0]
                    out.append(t("next.title", lang, level=n, to=n + 1) + ("：" if lang == "zh" else ": "), style="bold")
                out.append(what + "\n")
            else:
                out.append(what + "\n")
                if q is not None and not q.methods:
                    out.append(t("next.none_fits", lang) + "\n", style="italic")
            sector = getattr(self.session, "sector", None)
            ex = example(library, first.bank, first.id, sector, lang)
            if ex:
                out.append(t("example", lang, sector=t(f"sector.{sector}", lang)) + ("：" if lang == "zh" else ": "),
                           style="bold")
                out.append(ex + "\n")
            if q is not None and q.next_steps is not None:
                out.append(clause_refs(q.next_steps.source, lang), style="dim")
        out.append("\n" + t("plan.hint", lang), style="dim italic")
        self.query_one("#plan-detail", Static).update(out)

    def action_close(self, _lang: str = "") -> None:
        self.app.pop_screen()

    def action_target(self, _lang: str = "") -> None:
        if self.plan is None:
            return
        order = targets(self.plan.rules_profile)
        self.target = order[(order.index(self.target) + 1) % len(order)] if self.target in order else order[0]
        self.relabel(self.lang)
        self.app.notify(t("plan.target_now", self.lang, target=label(self.target, self.lang)))

    def action_add_action(self, _lang: str = "") -> None:
        row = self.query_one(DataTable).cursor_row
        if not (0 <= row < len(self.rows)):
            return
        from .action_form import plan_action

        _, items, what, method, _ = self.rows[row]
        plan_action(self.app, self.session.org, items, what, method=method, session=self.session_id)

    def action_actions(self, _lang: str = "") -> None:
        from .actions import ActionsScreen

        self.app.push_screen(ActionsScreen(self.session.org))
