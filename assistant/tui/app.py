"""The Textual app: holds the store, the banks and the language; screens do the work."""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING, Any, Callable, Iterable

from textual.app import App, SystemCommand
from textual.await_complete import AwaitComplete
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen

from ..i18n import t
from ..printable import printable
from ..store import StoreError
from .bindings import bilingual, visible_in

if TYPE_CHECKING:  # not imported at start-up: a chat shown from its opening frame loads them in a thread
    from ..domain.loader import Library
    from ..store import TinyStore
    from .opening import Opening

# what the launcher's `prepare` gives once the models, the banks and the store are loaded:
# (store, library, the session to chat in)
Prepared = tuple[Any, Any, str]


class SelfcheckApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "selfcheck"
    BINDINGS = [
        *bilingual("f1", "help", "key.help"),
        *bilingual("f2", "switch_lang", "key.lang"),
        *bilingual("ctrl+q", "quit", "key.quit", priority=True),
        # the command palette's key, labelled in the footer in the app's language (Textual's own says "palette")
        *bilingual(App.COMMAND_PALETTE_BINDING, "command_palette", "key.palette", show=False, priority=True),
    ]
    lang: reactive[str] = reactive("zh", init=False)

    def __init__(self, store: TinyStore | None, library: Library | None, lang: str = "zh", *,
                 chat: str | None = None, resumed: bool = False, org: str = "", respondent: str = "",
                 rules_profile: str = "clause-text", participant: dict | None = None, join_code: str | None = None,
                 gc_paused: bool = False, opening: Opening | None = None,
                 prepare: Callable[[], Prepared] | None = None, opening_key: str | None = None):
        super().__init__()
        # a chat launched from its opening frame (tui/opening.py): the frame is shown at once and
        # `prepare` (the launcher's loading of banks, store and session) runs in a thread meanwhile;
        # store and library are None until then. `opening_key` names the frame this launch may write.
        self._opening, self._prepare = opening, prepare
        if opening is not None:  # the frame is the first screen: its stylesheet (the chat's) is read with the app's
            from pathlib import Path

            self.css_path = [*self.css_path, Path(__file__).parent / "screens" / "chat.tcss"]
        self.opening_key = opening_key
        self.failure: BaseException | None = None  # what `prepare` raised: the launcher reports it
        self._quit_when_ready = False
        self.gc_paused = gc_paused  # by the launcher (launch.py), until the first frame is shown
        # a served workshop participant sees the join screen and their own chat only:
        # no home, no other sessions, no history, no file export
        self.participant = participant
        self.join_code = join_code
        self.store = store
        self.library = library
        self.set_reactive(SelfcheckApp.lang, lang)
        self._chat, self._resumed = chat, resumed
        self._org, self._respondent = org, respondent
        self.rules_profile = rules_profile
        # sessions this run created: one left without a single answer is not kept as clutter
        self.created_here: set[str] = {chat} if chat and not resumed and participant is None else set()

    def on_mount(self) -> None:
        self.title = t("app.title", self.lang)
        if self.participant is not None:
            from .screens.join import JoinScreen

            self.push_screen(JoinScreen(self.participant, self.join_code))
            return
        # a chat opened from the command line is the only screen built: home (its widgets, its list of
        # sessions, its stylesheet) is built when the chat is left (pop_screen, switch_to_home)
        if self.preparing:
            return  # the opening frame is the first screen itself (get_default_screen)
        if self._chat:
            self.open_chat(self._chat, self._resumed)
        else:
            self.push_screen(self._home())

    def get_default_screen(self) -> Screen:
        """The opening frame, when the launcher gives one: the first screen Textual builds (no second
        screen pushed over a blank one, no stylesheet parsed again for it). The live chat is pushed
        over it, where it would be over Textual's blank default screen, and the frame is emptied."""
        if self._opening is not None and self.preparing:
            from .opening import title
            from .screens.opening import OpeningScreen

            return OpeningScreen(self._opening, title(self.lang, self._org, self._respondent))
        return super().get_default_screen()

    def wants_opening(self, session_id: str) -> bool:
        """Is this chat the new session this launch made for a frame it may keep (tui/opening.py)?"""
        return bool(self.opening_key) and session_id == self._chat

    def keep_opening(self, frame: Opening) -> None:
        """The launch's chat's first screen, kept for the next launch unless it is the frame shown."""
        from . import opening

        if self._opening is None or frame.to_json() != self._opening.to_json():  # none shown, or a stale one
            opening.write(self.opening_key, frame)

    def _home(self) -> Screen:
        from .screens.home import HomeScreen

        return HomeScreen(self._org, self._respondent)

    def _home_below(self) -> bool:
        """Is the home screen the user's first screen (above Textual's default one)?"""
        from .screens.home import HomeScreen

        return len(self.screen_stack) < 2 or isinstance(self.screen_stack[1], HomeScreen)

    def pop_screen(self) -> AwaitComplete:
        """Closing the last screen of a chat opened from the command line shows home, built now."""
        if self.participant is None and len(self.screen_stack) == 2 and not self._home_below():
            return self.switch_screen(self._home())
        return super().pop_screen()

    @property
    def preparing(self) -> bool:
        """Shown from the opening frame, still loading: only typing (kept) and quitting (after) work."""
        return self._prepare is not None

    def prepare_in_thread(self) -> None:
        """Called by the opening frame once it is on screen."""
        self.run_worker(self._prepare_thread, thread=True, exit_on_error=False, name="prepare")

    def _prepare_thread(self) -> None:
        assert self._prepare is not None
        try:
            prepared = self._prepare()
        except BaseException as e:  # UserError, StoreError, BankError…: reported by the launcher, as before
            self.call_from_thread(self._prepare_failed, e)
            return
        try:
            self.call_from_thread(self._prepared, *prepared)
        except RuntimeError:  # the app ended meanwhile (its terminal closed): no empty session left behind
            store, _, chat = prepared
            store.discard_if_empty(chat)

    def _prepare_failed(self, error: BaseException) -> None:
        self._prepare = None
        self.failure = error
        self.exit(return_code=1)

    def _prepared(self, store: Any, library: Any, chat: str) -> None:
        from .screens.chat import ChatScreen
        from .screens.opening import OpeningScreen

        self._prepare = None
        self.store, self.library, self._chat = store, library, chat
        self.created_here.add(chat)
        if self._quit_when_ready:
            self.action_quit()
            return
        frame = self.screen_stack[0]
        typed = frame.typed() if isinstance(frame, OpeningScreen) else ""
        self.push_screen(ChatScreen(chat, typed=typed))
        if isinstance(frame, OpeningScreen):
            self.call_after_refresh(frame.remove_children)  # the frame's widgets, under the chat, are not needed
        if self.gc_paused:
            self.call_after_refresh(self.on_ready)

    def on_ready(self) -> None:
        if self.gc_paused and self._prepare is None:
            self.gc_paused = False
            gc.enable()

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Messages carry organisation names, file names and errors: plain text, never markup. The
        store's messages are English; in Chinese they are said in Chinese."""
        from ..i18n_errors import localise  # not at start-up: its patterns take ~8 ms to compile

        super().notify(printable(localise(message, self.lang)), title=title, severity=severity, timeout=timeout,
                       markup=markup)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.preparing and action != "quit":
            return False
        shown = visible_in(self.lang, parameters)
        return True if shown is None else shown

    # -- navigation ----------------------------------------------------------------------------

    def open_chat(self, session_id: str, resumed: bool = False) -> None:
        from .screens.chat import ChatScreen

        self.push_screen(ChatScreen(session_id, resumed=resumed))

    def start_session(self, org: str, respondent: str, banks: list[str], *, workshop: str | None = None,
                      baseline: str | None = None, sector: str | None = None) -> None:
        try:
            session = self.store.create_session(
                org, {b.id: b.version for b in self.library.banks.values() if b.id in banks}, respondent,
                rules_profile=self.rules_profile, lang=self.lang, workshop=workshop, baseline=baseline,
                sector=sector,
            )
        except StoreError as e:
            self.notify(str(e), severity="error", timeout=10)
            return
        self.created_here.add(session.id)
        self.open_chat(session.id)

    def join_workshop(self, name: str, role: str | None) -> None:
        from .screens.chat import ChatScreen

        workshop = self.participant or {}
        banks = workshop.get("banks") or [b.id for b in self.library.group("activities")]
        try:
            session = self.store.create_session(
                workshop["org"], {b.id: b.version for b in self.library.banks.values() if b.id in banks}, name,
                role=role, workshop=workshop["name"], rules_profile=self.rules_profile, lang=self.lang,
            )
        except StoreError as e:
            self.notify(str(e), severity="error", timeout=10)
            return
        self.switch_screen(ChatScreen(session.id))

    def discard_empty(self) -> None:
        for sid in list(self.created_here):
            try:
                self.store.discard_if_empty(sid)
            except StoreError:
                pass  # kept: an empty session is clutter, not a fault
            self.created_here.discard(sid)

    def switch_to_home(self) -> None:
        if self.participant is not None:
            return
        self.discard_empty()
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if not self._home_below():
            self.pop_screen()  # the chat it was opened with: home takes its place
            return
        self.screen.refresh()
        load = getattr(self.screen, "load_sessions", None)
        if load:
            load()

    # -- actions -------------------------------------------------------------------------------

    def action_help(self, _lang: str = "") -> None:
        from .screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def action_switch_lang(self, _lang: str = "") -> None:
        self.lang = "en" if self.lang == "zh" else "zh"

    def action_quit(self, _lang: str = "") -> None:  # type: ignore[override]
        if self.preparing:  # the session is being made: quit once it is, and drop it unanswered
            self._quit_when_ready = True
            return
        self.discard_empty()
        self.exit()

    def watch_lang(self, lang: str) -> None:
        self.title = t("app.title", lang)
        for screen in self.screen_stack:
            relabel = getattr(screen, "relabel", None)
            if relabel:
                relabel(lang)
        self.refresh_bindings()

    def action_command_palette(self, _lang: str = "") -> None:
        """Textual's command palette, its texts in the app's language."""
        from .palette import Palette

        if self.use_command_palette and not Palette.is_open(self):
            self.push_screen(Palette(self.lang))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette's commands, all in the app's language: Textual's own (theme, keys, screenshot,
        maximize, all in English) are left out; quitting is one of ours."""
        lang = self.lang
        if self.participant is None:
            yield SystemCommand(t("cmd.new", lang), t("cmd.new.help", lang), self.switch_to_home)
        yield SystemCommand(t("cmd.lang", lang), t("cmd.lang.help", lang), self.action_switch_lang)
        yield SystemCommand(t("cmd.help", lang), t("cmd.help.help", lang), self.action_help)
        if hasattr(screen, "session_id"):
            yield SystemCommand(t("cmd.result", lang), t("cmd.result.help", lang),
                                lambda: screen.action_result() if hasattr(screen, "action_result") else None)
        org = self._org_of(screen) if self.participant is None else None
        if org:
            yield SystemCommand(t("actions.cmd", lang), t("actions.cmd.help", lang), lambda: self.open_actions(org))
        if self.participant is None:  # each workshop's consensus meeting
            from .screens.consensus import consensus_commands

            yield from consensus_commands(self, screen)
        yield SystemCommand(t("cmd.quit", lang), t("cmd.quit.help", lang), self.action_quit)

    def _org_of(self, screen: Screen) -> str | None:
        """The organisation a screen is about: its own `org`, or its session's."""
        if isinstance(getattr(screen, "org", None), str):
            return screen.org  # type: ignore[attr-defined]
        sid = getattr(screen, "session_id", None)
        try:
            return self.store.get_session(sid).org if isinstance(sid, str) else None
        except StoreError:
            return None

    def open_actions(self, org: str) -> None:
        """The organisation's action plan (screens/actions.py)."""
        from .screens.actions import ActionsScreen

        if not (isinstance(self.screen, ActionsScreen) and self.screen.org == org):
            self.push_screen(ActionsScreen(org))
