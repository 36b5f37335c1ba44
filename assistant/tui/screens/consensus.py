"""The facilitator's consensus meeting (issue 12): the workshop's items, most disputed first, each with
the respondents' distribution over levels 1–5, its figures, and what they wrote (by number unless the
workshop shows names); the facilitator records the agreed level (and α), the reason and any dissent.

Each item is saved when it is recorded (Enter on the last field, or Ctrl+S), so a meeting stopped at
any point resumes at the first item not yet agreed. PageUp/PageDown move without saving.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Input, Static

from ...domain.answers import ALPHA_BANDS, AnswerError, check_answer
from ...domain.bank import Kind
from ...domain.consensus import agreed
from ...i18n import t
from ...printable import printable
from ...report.common import bank_title, colon
from ...report.consensus_view import figures, who
from ...store import StoreError
from ..bindings import BilingualScreen, bilingual

FIELDS = ("level", "alpha", "reason", "dissent")


class ConsensusScreen(BilingualScreen):
    DEFAULT_CSS = """
    ConsensusScreen #c-title { height: 1; background: $primary; text-style: bold; padding: 0 1; }
    ConsensusScreen #c-question { height: auto; max-height: 6; padding: 0 1; }
    ConsensusScreen #c-figures { height: auto; padding: 0 1; color: $text-muted; }
    ConsensusScreen #c-middle { height: 1fr; min-height: 5; border-top: solid $accent; }
    ConsensusScreen #c-dist { width: 28; height: auto; padding: 0 1; }
    ConsensusScreen #c-remarks { width: 1fr; padding: 0 1; }
    ConsensusScreen #c-form { height: 3; }
    ConsensusScreen #c-level { width: 15; }
    ConsensusScreen #c-alpha { width: 18; }
    ConsensusScreen #c-reason { width: 1fr; }
    ConsensusScreen #c-dissent { height: 3; }
    ConsensusScreen #c-status { height: 1; padding: 0 1; }
    """
    BINDINGS = [*bilingual("ctrl+s", "save", "key.consensus.save", priority=True),
                *bilingual("pagedown", "next", "key.consensus.next", priority=True),
                *bilingual("pageup", "previous", "key.consensus.prev", priority=True),
                *bilingual("escape", "close", "key.quit")]

    def __init__(self, meeting) -> None:
        super().__init__()
        self.meeting = meeting
        pending = meeting.pending()
        self.index = meeting.agenda.index(pending[0]) if pending else 0

    def compose(self) -> ComposeResult:
        yield Static(id="c-title", markup=False)
        yield Static(id="c-question", markup=False)
        yield Static(id="c-figures", markup=False)
        with Horizontal(id="c-middle"):
            yield Static(id="c-dist", markup=False)
            with VerticalScroll(id="c-remarks"):
                yield Static(id="c-remarks-text", markup=False)
        with Horizontal(id="c-form"):
            yield Input(id="c-level", restrict=r"[1-5]?", max_length=1)
            yield Input(id="c-alpha", restrict=r"[0-9.]*", max_length=6)
            yield Input(id="c-reason", max_length=2000)
        yield Input(id="c-dissent", max_length=2000)
        yield Static(id="c-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.show()

    # -- what is shown -------------------------------------------------------------------------

    def show(self) -> None:
        m, lang = self.meeting, self.lang
        agenda = m.agenda[self.index]
        item = agenda.item
        library = m.library
        done = len(m.agenda) - len(m.pending())
        self.query_one("#c-title", Static).update(
            f"{t('consensus.title', lang)} · {printable(m.workshop['name'], newlines=False)} · "
            f"{t('consensus.progress', lang, done=done, total=len(m.agenda), n=len(m.respondents))}")
        head = Text(t("consensus.screen.item", lang, n=self.index + 1, total=len(m.agenda),
                      bank=bank_title(library, item.bank, lang)), style="dim")
        if m.agreed(agenda.key) is not None:
            head.append(f" · {t('consensus.screen.agreed', lang)}", style="green")
        head.append("\n")
        head.append(f"{item.id} ", style="bold")
        head.append(printable(library.bank(item.bank).question(item.id).text(lang), newlines=False))
        self.query_one("#c-question", Static).update(head)
        dist = Text()
        top = max(item.distribution.values(), default=0) or 1
        for level, count in item.distribution.items():
            dist.append(f"{level} ", style="bold")
            dist.append("█" * round(count / top * 16) or "▏", style="cyan")
            dist.append(f" {count}\n")
        self.query_one("#c-dist", Static).update(dist)
        line = Text(figures(item, lang))
        if item.disagreement:
            line.append(f"  {t('group.disagreement', lang)}", style="yellow")
        self.query_one("#c-figures", Static).update(line)
        remarks = Text(t("consensus.screen.remarks", lang) + colon(lang).rstrip() + "\n", style="bold")
        if not agenda.remarks:
            remarks.append(t("consensus.screen.no_remarks", lang), style="dim")
        for r in agenda.remarks:
            remarks.append(printable(who(r.who, r.role, lang), newlines=False), style="bold")
            said = f"{t('consensus.na', lang)}{colon(lang)}{r.text}" if r.na else (f"L{r.level}{colon(lang)}{r.text}" if r.level else r.text)
            remarks.append(f"  {printable(said)}\n")
        self.query_one("#c-remarks-text", Static).update(remarks)
        a = m.agreed(agenda.key)
        values = {"level": str(a.level) if a and a.level else "", "alpha": str(a.alpha) if a and a.alpha else "",
                  "reason": (a.reason or "") if a else "", "dissent": (a.dissent or "") if a else ""}
        for name in FIELDS:
            box = self.query_one(f"#c-{name}", Input)
            box.value = values[name]
            box.placeholder = t(f"consensus.screen.{name}", lang)
        self.query_one("#c-level", Input).focus()
        self.say("")

    def say(self, message: str, error: bool = False) -> None:
        self.query_one("#c-status", Static).update(Text(message, style="red" if error else "green"))

    # -- what the facilitator does -------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter moves to the next field; on the last one it saves the item."""
        name = (event.input.id or "").removeprefix("c-")
        if name == FIELDS[-1]:
            self.action_save()
        elif name in FIELDS:
            self.query_one(f"#c-{FIELDS[FIELDS.index(name) + 1]}", Input).focus()

    def action_save(self, _lang: str = "") -> None:
        m, lang = self.meeting, self.lang
        agenda = m.agenda[self.index]
        text = {name: self.query_one(f"#c-{name}", Input).value.strip() for name in FIELDS}
        if not text["level"].isdigit() or not 1 <= int(text["level"]) <= 5:
            self.query_one("#c-level", Input).focus()
            return self.say(t("consensus.screen.bad_level", lang), error=True)
        if not text["reason"]:  # how the group reached the level is what an assessor asks
            self.query_one("#c-reason", Input).focus()
            return self.say(t("consensus.screen.no_reason", lang), error=True)
        level = int(text["level"])
        try:
            alpha = Decimal(text["alpha"]) if text["alpha"] else None
            answer = agreed(level, alpha, text["reason"], text["dissent"])
            bank = m.library.bank(agenda.item.bank)
            check_answer(bank, bank.question(agenda.item.id), answer)
        except (InvalidOperation, AnswerError, ValueError):
            self.query_one("#c-alpha", Input).focus()
            if agenda.kind is not Kind.likert:
                return self.say(t("consensus.screen.no_alpha", lang), error=True)
            low, high = ALPHA_BANDS[level]
            band = f"{low} ≤ α ≤ {high}" if level == 1 else f"{low} < α ≤ {high}"
            return self.say(t("consensus.screen.bad_alpha", lang, band=band, level=level), error=True)
        try:
            session = m.agree(agenda.key, answer)
        except StoreError as e:
            return self.say(str(e), error=True)
        if not m.pending():
            self.show()
            return self.say(t("consensus.screen.done", lang, id=session.id))
        following = [n for n, a in enumerate(m.agenda) if n > self.index and a in m.pending()]
        self.index = following[0] if following else m.agenda.index(m.pending()[0])
        self.show()
        self.say(t("consensus.screen.saved", lang, id=agenda.item.id))

    def action_next(self, _lang: str = "") -> None:
        self.index = (self.index + 1) % len(self.meeting.agenda)
        self.show()

    def action_previous(self, _lang: str = "") -> None:
        self.index = (self.index - 1) % len(self.meeting.agenda)
        self.show()

    def action_close(self, _lang: str = "") -> None:
        self.app.exit()


class ConsensusApp(App):
    """`selfcheck workshop consensus NAME` on a terminal: the consensus screen on its own."""

    TITLE = "selfcheck"
    ENABLE_COMMAND_PALETTE = False

    def __init__(self, meeting, lang: str = "zh"):
        super().__init__()
        self.meeting, self.lang = meeting, lang

    def on_mount(self) -> None:
        self.push_screen(ConsensusScreen(self.meeting))
