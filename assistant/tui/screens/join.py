"""The first screen of a served participant. `selfcheck serve` asks for the join code, the name
and the role itself, before this process starts, and gives it the session: this screen then only
opens that session's chat. Run on its own (`selfcheck participant` without --session), it asks
for the name and role."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Input, Label, Static

from ...i18n import t
from ..bindings import BilingualScreen
from ..widgets.footer import FittedFooter
from ..wrap import Wrapped


READY = {"type": "selfcheck_ready"}  # the meta packet assistant/serve.py waits for (its READY)


class JoinScreen(BilingualScreen):
    CSS_PATH = "join.tcss"

    def __init__(self, workshop: dict, join_code: str | None = None):
        super().__init__()
        self.workshop = workshop

    @property
    def given(self) -> str | None:
        """The session the server admitted this participant to (`--session`)."""
        return getattr(self.app, "_chat", None)

    def compose(self) -> ComposeResult:
        if self.given:
            return
        yield Static(id="title", markup=False)
        with Vertical(id="join-box"):
            yield Wrapped(Text(), id="welcome")  # broken as the chat's lines are: it is longer than 80 columns
            yield Input(id="name", compact=True, max_length=80)
            yield Input(id="role", compact=True, max_length=40)
            yield Button("", id="join", variant="primary", compact=True)
            yield Label("", id="join-error", markup=False)
        yield FittedFooter()

    def relabel(self, lang: str) -> None:
        """The texts in `lang` (F2 switches it); what is typed stays."""
        if self.given or not self.query("#title"):  # no form: the chat opens
            return
        self.query_one("#title", Static).update(f"{t('app.title', lang)} · {self.workshop['name']}")
        self.query_one("#welcome", Wrapped).update(Text(t("join.welcome", lang, org=self.workshop["org"])))
        self.query_one("#name", Input).placeholder = t("join.name", lang)
        self.query_one("#role", Input).placeholder = t("join.role", lang)
        self.query_one("#join", Button).label = t("join.start", lang)
        self.query_one("#join-error", Label).update("")

    def on_mount(self) -> None:
        if self.given:
            from .chat import ChatScreen

            self.app.switch_screen(ChatScreen(self.given, resumed=getattr(self.app, "_resumed", False)))
            tell_ready(self.app)
            return
        self.relabel(self.lang)
        self.query_one("#name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "name":
            self.query_one("#role", Input).focus()
        else:
            self.join()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "join":
            self.join()

    def join(self) -> None:
        name = " ".join(self.query_one("#name", Input).value.split())
        if not name:
            self.query_one("#join-error", Label).update(t("join.name_missing", self.lang))
            self.query_one("#name", Input).focus()
            return
        role = " ".join(self.query_one("#role", Input).value.split()) or None
        self.app.join_workshop(name, role)  # type: ignore[attr-defined]


def tell_ready(app, tries: int = 200) -> None:
    """Tell `selfcheck serve` that the chat is up and can take the keys typed while it started."""
    from .chat import ChatScreen

    if isinstance(app.screen, ChatScreen) and app.screen.is_mounted and app.focused is not None:
        write_meta = getattr(app._driver, "write_meta", None)
        if write_meta is not None:
            app.call_after_refresh(write_meta, READY)
    elif tries:
        app.set_timer(0.05, lambda: tell_ready(app, tries - 1))
