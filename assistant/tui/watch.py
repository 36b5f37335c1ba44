"""`selfcheck workshop watch NAME`: who has joined, each participant's progress, and the live group result."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Static

from ..domain.engine import Conversation
from ..domain.group import Member, duplicates, group_result
from ..domain.loader import Library
from ..i18n import t
from ..printable import printable
from ..report.common import colon, fixed, pct
from ..report.consensus_view import distribution_bar
from ..store import StoreError, TinyStore
from .bindings import bilingual, visible_in

REFRESH_SECONDS = 2.0
DISPUTED = 5  # the most disputed items shown


class WatchApp(App):
    CSS = """
    #title { height: 1; background: $primary; text-style: bold; padding: 0 1; }
    #participants { height: auto; max-height: 60%; margin: 1 1 0 1; }
    #group { margin: 1 1; height: auto; }
    """
    BINDINGS = [*bilingual("q", "leave", "key.quit"), *bilingual("r", "refresh", "key.refresh")]

    def __init__(self, store: TinyStore, library: Library, workshop: dict, lang: str = "zh"):
        super().__init__()
        self.store, self.library, self.workshop, self.lang = store, library, workshop, lang

    def compose(self) -> ComposeResult:
        yield Static(id="title", markup=False)
        yield DataTable(id="participants", cursor_type="row", zebra_stripes=True)
        with VerticalScroll():
            yield Static(id="group")
        yield Footer()

    def on_mount(self) -> None:
        lang = self.lang
        self.query_one("#title", Static).update(
            f"{t('watch.title', lang)} · {self.workshop['name']} · {self.workshop['org']}")
        table = self.query_one(DataTable)
        for key, width in (("respondent", 18), ("watch.role", 8), ("col.status", 11), ("watch.progress", 8),
                           ("watch.where", 16), ("col.when", 8)):
            table.add_column(Text(t(key, lang)), width=width, key=key)
        self.action_refresh()
        self.set_interval(REFRESH_SECONDS, self.action_refresh)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        shown = visible_in(self.lang, parameters)
        return True if shown is None else shown

    def action_leave(self, _lang: str = "") -> None:
        self.exit()

    def action_refresh(self, _lang: str = "") -> None:
        lang = self.lang
        try:
            sessions = self.store.sessions(workshop=self.workshop["name"])
        except StoreError as e:
            self.query_one("#group", Static).update(Text(str(e), style="red"))
            return
        usable = [s for s in sessions if all(b in self.library.banks for b in s.banks)]
        if len(usable) < len(sessions) and not getattr(self, "_warned", False):
            self._warned = True
            self.notify(f"{len(sessions) - len(usable)} session(s) use banks this program does not have",
                        severity="warning", markup=False)
        sessions = usable
        table = self.query_one(DataTable)
        table.clear()
        twins = {m.id for d in duplicates([Member(s.id, s.respondent or "", s.role, 0) for s in sessions]) for m in d}
        for s in sessions:
            c = Conversation(self.library, s)
            total = len(c.visible())
            where = "—"
            if c.mode != "done" and c.position is not None:
                step = c.step()
                where = f"{step.bank.title(lang)} {step.question.id}"
            answered = sum(1 for p in c.visible() if (a := s.answers.get(p.bank, {}).get(p.question)) and a.answered)
            who = Text(printable(s.respondent or "—", newlines=False))
            if s.id in twins:  # perhaps one person who joined twice: `selfcheck workshop remove` takes one out
                who.append(f" ({t('watch.duplicate', lang)})", style="yellow")
            table.add_row(who, Text(printable(s.role or "", newlines=False)), Text(t(f"status.{s.status}", lang)),
                          Text(f"{answered}/{total}"), Text(where), Text(s.updated.strftime("%H:%M:%S")),
                          key=s.id)
        group = self.query_one("#group", Static)
        result = group_result(self.library, self.workshop["name"], self.workshop["org"], sessions, lang=lang)
        if not result.respondents:
            group.update(Text(t("watch.nobody_answered" if sessions else "watch.nobody", lang)))
            return
        out = Text()
        c = colon(lang)
        count = f"（{result.respondents}）" if lang == "zh" else f" ({result.respondents})"
        out.append(f"{t('watch.group', lang)}{count}\n", style="bold")
        if result.grade is not None:
            out.append(f"{t('grade', lang)}{c}{result.grade.label} · {t('service_score', lang)} "
                       f"{pct(result.grade.service_score)}\n")
        # first after the grade: where the consensus meeting will start (issue 12), as answers come in
        disputed = [i for i in result.disputed() if len(i.levels) > 1 and i.spread][:DISPUTED]
        if disputed:
            out.append(f"{t('watch.disputed', lang)}\n", style="bold")
            for i in disputed:
                out.append(f"  {i.id:<8} {distribution_bar(i.distribution)}  ")
                out.append(f"{t('group.mean', lang)} {fixed(i.mean_level, 2)} · {t('agreement.sd', lang)} "
                           f"{fixed(i.sd, 2)} · {t('agreement.index', lang)} {fixed(i.agreement, 2)}",
                           style="yellow" if i.disagreement else "")
                out.append("\n")
            out.append("\n")
        out.append(f"{t('activities', lang)}{c}{fixed(result.activities_mean_percent, 1)}\n")
        for b in result.banks:
            flagged = [i.id for i in b.items if i.disagreement]
            out.append(f"  {self.library.bank(b.id).title(lang)}{c}{fixed(b.mean_percent, 1)}")
            if flagged:
                out.append(f"  {t('watch.disagree', lang)}{c}{', '.join(flagged)}", style="yellow")
            out.append("\n")
        if result.not_started:
            out.append(t("group.not_started", lang, n=len(result.not_started)) + "\n", style="dim")
        group.update(out)
