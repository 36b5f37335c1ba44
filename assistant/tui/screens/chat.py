"""The chat: one question at a time, every answer saved to the store before the next turn is shown."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import ProgressBar, Static

from ...domain.answers import Answer
from ...domain.bank import Kind
from ...domain.engine import Ask, Conversation, Notice, OpenIndex, Outcome, Saved
from ...domain.loader import UnknownBank
from ...i18n import t
from ...store import StoreError
from ..bindings import BilingualScreen, bilingual
from ..opening import Opening, title as opening_title
from ..widgets.footer import FittedFooter
from ..turns import progress_variants
from ..widgets.progress_line import ProgressLine
from ..widgets.chat_input import ChatInput
from ..widgets.quick_replies import QuickReplies
from ..widgets.transcript import Bubble, Transcript


class ChatScreen(BilingualScreen):
    CSS_PATH = "chat.tcss"
    BINDINGS = [
        *bilingual("ctrl+b", "back", "key.back"),
        *bilingual("ctrl+n", "skip", "key.skip"),
        *bilingual("ctrl+w", "why", "key.why", show=False),
        *bilingual("ctrl+r", "result", "key.result"),
        *bilingual("ctrl+g", "index", "key.index", show=False),  # in the reply line's hint: the footer is full
        *bilingual("escape", "home", "key.home"),
        # the transcript scrolls by keyboard while the reply line keeps the focus
        Binding("pageup", "scroll('page_up')", show=False),
        Binding("pagedown", "scroll('page_down')", show=False),
        Binding("ctrl+up", "scroll('up')", show=False),
        Binding("ctrl+down", "scroll('down')", show=False),
        Binding("ctrl+home", "scroll('home')", show=False),
        Binding("ctrl+end", "scroll('end')", show=False),
    ]

    def __init__(self, session_id: str, resumed: bool = False, typed: str = ""):
        super().__init__()
        self.session_id = session_id
        self.resumed = resumed
        self.typed = typed  # typed into the opening frame's reply line while this screen was loading
        self.conversation: Conversation | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="title", markup=False)
        yield ProgressLine(id="progress-text")
        yield ProgressBar(id="progress-bar", show_eta=False, show_percentage=False)
        yield Transcript(id="transcript")
        yield QuickReplies(id="quick")
        yield ChatInput.reply_line()
        yield FittedFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "home" and self.app.participant is not None:  # type: ignore[attr-defined]
            return False
        return super().check_action(action, parameters)

    def on_mount(self) -> None:
        try:
            session = self.app.store.get_session(self.session_id)  # type: ignore[attr-defined]
            self.conversation = self._conversation(session)
        except (StoreError, UnknownBank) as e:  # a damaged file, a bank this program lacks: say so, go back
            self.app.notify(str(e.args[0] if isinstance(e, UnknownBank) else e), severity="error", timeout=15)
            self.app.pop_screen()
            return
        self.conversation.session.lang = self.lang  # type: ignore[assignment]
        transcript = self.query_one(Transcript)
        transcript.sector = session.sector
        if self.resumed and self.conversation.mode == "done":
            transcript.add_turn(Notice("reopened", {"id": session.id}), self.lang)
        elif self.resumed and session.answered_count():
            transcript.add_turn(Notice("resumed", {"id": session.id, "n": str(session.answered_count())}), self.lang)
        elif not self.resumed:
            transcript.add_turn(Notice("started"), self.lang)
        if session.baseline and not self.resumed and self.app.participant is None:  # type: ignore[attr-defined]
            self._show_actions(session)
        self.show(self.conversation.start(), save=False)
        reply = self.query_one(ChatInput)
        reply.focus()
        if self.typed:
            reply.insert_text_at_cursor(self.typed)
            reply.touched = True
        if not self.resumed and not session.baseline and self.app.wants_opening(session.id):  # type: ignore[attr-defined]
            self.call_after_refresh(self._keep_opening)

    def _keep_opening(self) -> None:
        """What a new session's chat shows first, for the next launch to show at once (tui/opening.py)."""
        frame = Opening(
            tuple((b.role, b.text) for b in self.query_one(Transcript).query(Bubble)),
            tuple(self.query_one("#progress-text", ProgressLine).variants),
            str(self.query_one(ChatInput).placeholder), bool(self.query_one(QuickReplies).display))
        self.app.keep_opening(frame)  # type: ignore[attr-defined]

    def _show_actions(self, session) -> None:
        """A repeat self-check starts with the organisation's action plan: each action's status and
        the level its items had when it was planned."""
        from rich.text import Text

        from ...report.actions_view import actions_text, planned_results

        store, library = self.app.store, self.app.library  # type: ignore[attr-defined]
        try:
            actions = store.list_actions(session.org)
            planned_from = planned_results(store, library, actions)
        except StoreError as e:
            self.app.notify(str(e), severity="warning")
            return
        if not actions:
            return
        text = Text(t("actions.view.repeat", self.lang) + "\n", style="italic")
        text.append_text(actions_text(actions, planned_from, None, library, self.lang))
        self.query_one(Transcript).add_text("assistant", text)

    def _conversation(self, session) -> Conversation:
        baseline = None
        if session.baseline:
            try:
                baseline = self.app.store.get_session(session.baseline)  # type: ignore[attr-defined]
            except StoreError as e:
                self.app.notify(str(e), severity="warning")
        return Conversation(self.app.library, session, baseline)  # type: ignore[attr-defined]

    # -- the loop: engine -> store -> screen ---------------------------------------------------

    def show(self, outcome: Outcome, save: bool = True, echo: str | None = None) -> None:
        transcript = self.query_one(Transcript)
        if save and not self.persist(outcome):
            return
        if echo is not None and not (outcome.turns and isinstance(outcome.turns[0], Saved)):
            transcript.add_user(echo)
        for turn in outcome.turns:
            if isinstance(turn, OpenIndex):
                self.action_index()
                continue
            transcript.add_turn(turn, self.lang)
        self.refresh_state()

    def persist(self, outcome: Outcome) -> bool:
        """Save before showing: an answer the user sees acknowledged is on disk."""
        store = self.app.store  # type: ignore[attr-defined]
        try:
            for save in outcome.saves:
                store.record_answer(self.session_id, save.bank, save.question, save.answer, outcome.position)
            if not outcome.saves and outcome.position is not None:
                store.set_position(self.session_id, outcome.position)
            if outcome.completed:
                store.set_status(self.session_id, "completed")
        except StoreError as e:
            # what is on disk is the truth: rebuild the conversation from it and ask again
            self.query_one(Transcript).add_turn(Notice("save_failed", {"error": str(e)}), self.lang)
            self.app.notify(str(e), severity="error", timeout=10)
            try:
                session = store.get_session(self.session_id)
            except StoreError:
                return False
            self.conversation = self._conversation(session)
            if self.conversation.mode != "done":
                self.query_one(Transcript).add_turn(Ask(self.conversation.step()), self.lang)
            self.refresh_state()
            return False
        return True

    def refresh_state(self) -> None:
        c = self.conversation
        assert c is not None
        lang = self.lang
        session = c.session
        self.query_one("#title", Static).update(opening_title(lang, session.org, session.respondent))
        bar = self.query_one(ProgressBar)
        quick = self.query_one(QuickReplies)
        reply = self.query_one(ChatInput)
        if c.mode == "done":
            self.query_one("#progress-text", ProgressLine).show([t("progress.done", lang)])
            bar.update(total=1, progress=1)
            quick.show(None, lang)
            reply.quick_keys = False
            reply.placeholder = t("notice.done", lang)
            return
        step = c.step()
        self.query_one("#progress-text", ProgressLine).show(progress_variants(step, lang))
        bar.update(total=step.total, progress=step.number - 1)
        kind = step.question.kind
        if c.mode == "note":
            quick.show(None, lang)
            reply.quick_keys = False
            reply.placeholder = t("check.note.ask" if kind is Kind.check else "note.ask", lang)  # as the bubble asks
        else:
            quick.show(kind, lang)
            reply.quick_keys = kind is not Kind.text
            reply.placeholder = t(f"ask.hint.{kind.value}", lang)

    def relabel(self, lang: str) -> None:
        if self.conversation is None:
            return
        self.conversation.session.lang = lang  # type: ignore[assignment]
        self.query_one(Transcript).relabel(lang)  # type: ignore[arg-type]
        self.refresh_state()
        self.refresh_bindings()

    # -- what the user does --------------------------------------------------------------------

    def on_input_submitted(self, event: ChatInput.Submitted) -> None:
        event.stop()
        text = event.value
        self.query_one(ChatInput).fresh()
        c = self.conversation
        if c is None:
            return
        if not text.strip() and c.mode == "question":
            step = c.step()  # scored once: the reply line is the hot path
            if step.baseline is None and step.answer is None:
                return
        self.show(c.reply(text), echo=text if text.strip() else None)

    def on_chat_input_quick_key(self, event: ChatInput.QuickKey) -> None:
        answer = self.query_one(QuickReplies).answer_for_key(event.number)
        if answer is not None:
            self.choose(answer)

    def on_chat_input_scroll(self, event: ChatInput.Scroll) -> None:
        self.action_scroll(event.where)

    def action_scroll(self, where: str) -> None:
        transcript = self.query_one(Transcript)
        {"page_up": transcript.scroll_page_up, "page_down": transcript.scroll_page_down,
         "up": transcript.scroll_up, "down": transcript.scroll_down,
         "home": transcript.scroll_home, "end": transcript.scroll_end}[where](animate=False)

    def action_index(self, _lang: str = "") -> None:
        """The question index: every question with its answer; Enter jumps to one."""
        from .question_index import QuestionIndex

        c = self.conversation
        if c is None:
            return
        self.app.push_screen(QuestionIndex(c.entries(), self.lang), self._jump)

    def _jump(self, position) -> None:
        if position is not None and self.conversation is not None:
            self.show(self.conversation.goto(position))
        self.query_one(ChatInput).focus()

    def on_quick_replies_chosen(self, event: QuickReplies.Chosen) -> None:
        self.choose(event.answer)
        self.query_one(ChatInput).focus()

    def choose(self, answer: Answer) -> None:
        if self.conversation is not None and self.conversation.mode == "question":
            self.query_one(ChatInput).fresh()
            self.show(self.conversation.answer(answer))

    def action_back(self, _lang: str = "") -> None:
        if self.conversation is not None:
            self.show(self.conversation.command("back"))

    def action_skip(self, _lang: str = "") -> None:
        if self.conversation is not None:
            self.show(self.conversation.command("skip"))

    def action_why(self, _lang: str = "") -> None:
        if self.conversation is not None and self.conversation.mode != "done":
            self.show(self.conversation.command("why"))

    def action_result(self, _lang: str = "") -> None:
        from .result import ResultScreen

        self.app.push_screen(ResultScreen(self.session_id))

    def action_home(self, _lang: str = "") -> None:
        self.app.switch_to_home()  # type: ignore[attr-defined]
