"""The facilitator's consensus meeting (issue 12): the workshop's items, most disputed first, each with
the respondents' distribution over levels 1–5, its figures, and what they wrote (by number unless the
workshop shows names); the facilitator records the agreed level (and α), the reason and any dissent.

Each item is saved when it is recorded (Enter on the last field, or Ctrl+S), so a meeting stopped at
any point resumes at the first item not yet agreed. PageUp/PageDown move without saving. An item that
may be N/A (not required, SCORING.md §1) takes "n" in the level box (or Ctrl+N), the reason saying why
it does not apply, as the chat's "n/a because …" does.

The screen runs inside the main app (F4 on a workshop's session on the home screen, or the command
palette's "Consensus meeting: NAME") and, from `selfcheck workshop consensus NAME`, on its own.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Iterable

from rich.text import Text
from textual import events
from textual.app import ComposeResult, SystemCommand
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Static

from ...domain.answers import ALPHA_BANDS, Answer, AnswerError, check_answer
from ...domain.bank import Kind
from ...domain.consensus import agreed
from ...i18n import t
from ...printable import printable
from ...report.common import bank_title, colon
from ...report.consensus_view import figures, who
from ...store import StoreError
from ..app import SelfcheckApp
from ..bindings import BilingualScreen, bilingual
from ..widgets.footer import FittedFooter

FIELDS = ("level", "alpha", "reason", "dissent")
NA = "n"  # what the level box holds for an N/A agreement (typed, or put there by Ctrl+N)


class ConsensusScreen(BilingualScreen):
    DEFAULT_CSS = """
    ConsensusScreen #c-title { height: 1; background: $primary; text-style: bold; padding: 0 1; }
    ConsensusScreen #c-question { height: auto; max-height: 6; padding: 0 1; }
    ConsensusScreen #c-figures { height: auto; padding: 0 1; color: $text-muted; }
    ConsensusScreen #c-middle { height: 1fr; min-height: 5; border-top: solid $accent; }
    ConsensusScreen #c-dist { width: 28; height: auto; padding: 0 1; }
    ConsensusScreen #c-remarks { width: 1fr; padding: 0 1; }
    ConsensusScreen #c-form { height: 3; }
    ConsensusScreen #c-level { width: 22; }
    ConsensusScreen #c-alpha { width: 18; }
    ConsensusScreen #c-reason { width: 1fr; }
    ConsensusScreen #c-dissent { height: 3; }
    ConsensusScreen #c-status { height: 1; padding: 0 1; }
    """
    BINDINGS = [*bilingual("ctrl+s", "save", "key.consensus.save", priority=True),
                *bilingual("ctrl+n", "na", "key.consensus.na", priority=True),
                *bilingual("pagedown", "next", "key.consensus.next", priority=True),
                *bilingual("pageup", "previous", "key.consensus.prev", priority=True),
                *bilingual("escape", "close", "key.close")]

    def __init__(self, meeting) -> None:
        super().__init__()
        self.meeting = meeting
        self._said: tuple[str, dict[str, object], bool] = ("", {}, False)  # the status line's text key
        pending = meeting.pending()
        self.index = meeting.agenda.index(pending[0]) if pending else 0

    @property
    def org(self) -> str:
        """The organisation the meeting is about (the palette offers its action plan)."""
        return self.meeting.workshop["org"]

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
        yield FittedFooter()

    def on_mount(self) -> None:
        self.show()

    # -- what is shown -------------------------------------------------------------------------

    def na_allowed(self) -> bool:
        """May the current item be agreed N/A? Scored items unless their bank marks them required
        (SCORING.md §1; the maturity bank's items all are)."""
        item = self.meeting.agenda[self.index].item
        question = self.meeting.library.bank(item.bank).question(item.id)
        return (question.kind.scored or question.kind is Kind.check) and not question.required

    def show(self) -> None:
        """The current item: its texts, and in the boxes what was agreed on it (empty if nothing)."""
        m = self.meeting
        agenda = m.agenda[self.index]
        a = m.agreed(agenda.key)
        level = (NA if a.na is not None else str(a.level or "")) if a else ""
        values = {"level": level, "alpha": str(a.alpha) if a and a.alpha else "",
                  "reason": ((a.na if a.na is not None else a.reason) or "") if a else "",
                  "dissent": (a.dissent or "") if a else ""}
        self.query_one("#c-level", Input).restrict = r"[1-5nN]?" if self.na_allowed() else r"[1-5]?"
        for name in FIELDS:
            self.query_one(f"#c-{name}", Input).value = values[name]
        self.relabel(self.lang)
        self.query_one("#c-level", Input).focus()
        self.say("consensus.screen.na_chosen" if self.is_na() else "")

    def relabel(self, lang: str) -> None:
        """The texts in `lang`; what is typed in the boxes stays (F2 switches the language)."""
        if not self.query("#c-title"):  # not composed yet
            return
        m = self.meeting
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
        na = self.is_na()
        placeholders = {"level": "consensus.screen.level_na" if self.na_allowed() else "consensus.screen.level",
                        "alpha": "consensus.screen.alpha",
                        "reason": "consensus.screen.na_reason" if na else "consensus.screen.reason",
                        "dissent": "consensus.screen.dissent"}
        for name in FIELDS:
            self.query_one(f"#c-{name}", Input).placeholder = t(placeholders[name], lang)
        key, values, error = self._said
        self.say(key, error, **values)
        self.refresh_bindings()

    def is_na(self) -> bool:
        return self.query_one("#c-level", Input).value.strip().lower() == NA

    def say(self, key: str, error: bool = False, **values: object) -> None:
        """The status line: the text `key` (none if empty), said again in the new language after F2."""
        self._said = (key, values, error)
        text = t(key, self.lang, **values) if key else ""
        self.query_one("#c-status", Static).update(Text(text, style="red" if error else "green"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        shown = super().check_action(action, parameters)
        if action == "na" and shown and self.query("#c-level"):
            return self.na_allowed()  # Ctrl+N is shown only where N/A may be agreed
        return shown

    # -- what the facilitator does -------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "c-level":
            self.query_one("#c-reason", Input).placeholder = t(
                "consensus.screen.na_reason" if self.is_na() else "consensus.screen.reason", self.lang)
            if self.is_na():
                self.say("consensus.screen.na_chosen")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter moves to the next field; on the last one it saves the item."""
        name = (event.input.id or "").removeprefix("c-")
        if name == FIELDS[-1]:
            self.action_save()
        elif name == "level" and self.is_na():
            self.query_one("#c-reason", Input).focus()  # no α for N/A
        elif name in FIELDS:
            self.query_one(f"#c-{FIELDS[FIELDS.index(name) + 1]}", Input).focus()

    def action_na(self, _lang: str = "") -> None:
        """The current item does not apply: the reason box takes why."""
        if not self.na_allowed():
            return self.say("notice.na_required", error=True)
        self.query_one("#c-level", Input).value = NA
        self.query_one("#c-alpha", Input).value = ""
        self.query_one("#c-reason", Input).focus()

    def _answer(self) -> Answer | None:
        """What the boxes say, checked against the item; None (and the box to fix focused) if it
        does not fit."""
        m = self.meeting
        agenda = m.agenda[self.index]
        bank = m.library.bank(agenda.item.bank)
        question = bank.question(agenda.item.id)
        text = {name: self.query_one(f"#c-{name}", Input).value.strip() for name in FIELDS}

        def refuse(box: str, key: str, **values: object) -> None:
            self.query_one(f"#c-{box}", Input).focus()
            self.say(key, error=True, **values)

        na = text["level"].lower() == NA
        if not na and not (text["level"].isdigit() and 1 <= int(text["level"]) <= 5):
            return refuse("level", "consensus.screen.bad_level_na" if self.na_allowed() else "consensus.screen.bad_level")
        if na and not self.na_allowed():
            return refuse("level", "notice.na_required")
        if not text["reason"]:  # how the group reached the level (or why N/A) is what an assessor asks
            return refuse("reason", "consensus.screen.na_reason_missing" if na else "consensus.screen.no_reason")
        if na:
            if text["alpha"]:
                return refuse("alpha", "consensus.screen.na_alpha")
            return Answer(na=text["reason"], dissent=text["dissent"] or None)
        level = int(text["level"])
        try:
            alpha = Decimal(text["alpha"]) if text["alpha"] else None
            answer = agreed(level, alpha, text["reason"], text["dissent"])
            check_answer(bank, question, answer)
        except (InvalidOperation, AnswerError, ValueError):
            if agenda.kind is not Kind.likert:
                return refuse("alpha", "consensus.screen.no_alpha")
            low, high = ALPHA_BANDS[level]
            band = f"{low} ≤ α ≤ {high}" if level == 1 else f"{low} < α ≤ {high}"
            return refuse("alpha", "consensus.screen.bad_alpha", band=band, level=level)
        return answer

    def action_save(self, _lang: str = "") -> None:
        m = self.meeting
        agenda = m.agenda[self.index]
        answer = self._answer()
        if answer is None:
            return
        try:
            session = m.agree(agenda.key, answer)
        except StoreError as e:
            self.app.notify(str(e), severity="error", timeout=10)  # the app says the store's words in the user's language
            return
        if not m.pending():
            self.show()
            return self.say("consensus.screen.done", id=session.id)
        following = [n for n, a in enumerate(m.agenda) if n > self.index and a in m.pending()]
        self.index = following[0] if following else m.agenda.index(m.pending()[0])
        self.show()
        self.say("consensus.screen.saved", id=agenda.item.id)

    def action_next(self, _lang: str = "") -> None:
        self.index = (self.index + 1) % len(self.meeting.agenda)
        self.show()

    def action_previous(self, _lang: str = "") -> None:
        self.index = (self.index - 1) % len(self.meeting.agenda)
        self.show()

    def action_close(self, _lang: str = "") -> None:
        """Back to the screen it was opened from; opened on its own, the meeting's app ends."""
        if len(self.app.screen_stack) > 2:
            self.dismiss()
        else:
            self.app.exit()


def open_consensus(app: SelfcheckApp, name: str, facilitator: str = "") -> None:
    """The consensus screen of workshop `name` over the app's screens; a workshop that cannot be
    read or that nobody has answered yet is said in a notice."""
    from ...consensus import open_meeting

    try:
        workshop = app.store.get_workshop(name)
        meeting = open_meeting(app.store, app.library, workshop, app.lang, app.rules_profile, facilitator)
    except StoreError as e:
        app.notify(str(e), severity="error", timeout=10)
        return
    if not meeting.agenda:
        app.notify(t("cli.err.none_answered", app.lang, name=name), severity="warning")
        return
    app.push_screen(ConsensusScreen(meeting))


def consensus_commands(app: SelfcheckApp, screen) -> Iterable[SystemCommand]:
    """The command palette's "Consensus meeting: NAME", one for each workshop in the store (the
    facilitator is whoever is named in the home screen's respondent box)."""
    lang = app.lang
    try:
        workshops = app.store.list_workshops()
    except StoreError:
        return
    facilitator = getattr(screen, "typed_respondent", "")
    for w in workshops:
        name = w["name"]
        yield SystemCommand(t("consensus.cmd", lang, name=printable(name, newlines=False)),
                            t("consensus.cmd.help", lang, org=printable(w["org"], newlines=False)),
                            lambda name=name: open_consensus(app, name, facilitator))


class ConsensusApp(SelfcheckApp):
    """`selfcheck workshop consensus NAME` on a terminal: the consensus screen on its own, with the
    app's keys (F1 help, F2 language, the command palette) in the app's language."""

    CSS_PATH = "../app.tcss"  # the main app's stylesheet, relative to this module

    def __init__(self, meeting, lang: str = "zh"):
        super().__init__(meeting.store, meeting.library, lang, rules_profile=meeting.profile)
        self.meeting = meeting

    def on_mount(self, event: events.Mount) -> None:
        event.prevent_default()  # the main app's on_mount would open home (Textual calls both)
        self.title = t("app.title", self.lang)
        self.push_screen(ConsensusScreen(self.meeting))
