"""The first screen of a served participant: the join code (when the room needs one), name and role."""

from __future__ import annotations

import hmac

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Footer, Input, Label, Static

from ...i18n import t
from ..bindings import BilingualScreen

MAX_TRIES = 5  # wrong codes per page
ROOM_MAX, ROOM_WINDOW = 20, 60.0  # wrong codes per minute for the whole room: guessing 10^6 codes takes weeks


class JoinScreen(BilingualScreen):
    CSS_PATH = "join.tcss"

    def __init__(self, workshop: dict, join_code: str | None):
        super().__init__()
        self.workshop = workshop
        self.join_code = join_code
        self.tries = 0

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield Static(f"{t('app.title', lang)} · {self.workshop['name']}", id="title", markup=False)
        with Vertical(id="join-box"):
            yield Label(t("join.welcome", lang, org=self.workshop["org"]), markup=False)
            if self.join_code:
                yield Input(id="code", password=True, placeholder=t("join.code", lang), compact=True)
            yield Input(id="name", placeholder=t("join.name", lang), compact=True, max_length=80)
            yield Input(id="role", placeholder=t("join.role", lang), compact=True, max_length=40)
            yield Button(t("join.start", lang), id="join", variant="primary", compact=True)
            yield Label("", id="join-error", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#code" if self.join_code else "#name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        order = [w.id for w in self.query(Input)]
        i = order.index(event.input.id)
        if i + 1 < len(order):
            self.query_one(f"#{order[i + 1]}", Input).focus()
        else:
            self.join()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "join":
            self.join()

    def join(self) -> None:
        error = self.query_one("#join-error", Label)
        if self.join_code:
            store = self.app.store  # type: ignore[attr-defined]
            # per page and per room: a reload starts a new app, so the room-wide count lives in the store
            if self.tries >= MAX_TRIES or store.join_failures(self.workshop["name"], ROOM_WINDOW) >= ROOM_MAX:
                error.update(t("join.locked", self.lang))
                return
            typed = self.query_one("#code", Input).value.strip()
            if not hmac.compare_digest(typed.encode(), self.join_code.encode()):
                self.tries += 1
                store.record_join_failure(self.workshop["name"])
                error.update(t("join.wrong", self.lang))
                self.query_one("#code", Input).value = ""
                self.query_one("#code", Input).focus()
                return
        name = self.query_one("#name", Input).value.strip()
        if not name:
            error.update(t("join.name_missing", self.lang))
            self.query_one("#name", Input).focus()
            return
        role = self.query_one("#role", Input).value.strip() or None
        self.app.join_workshop(name, role)  # type: ignore[attr-defined]
