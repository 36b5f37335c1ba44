"""A modal form for one action of the plan: items, what, owner, due date, status, note.

Usable on its own: a screen that offers a suggestion or a plan step opens

    ActionForm(items=[ItemRef(bank=…, id=…)], what="…", method="leadership.a", session=session_id)

and gets back, when the user saves, a dict of the keyword arguments of `store.add_action` (and of
`store.update_action`): items, what, owner, due, status, note, method, session. It dismisses with
None when cancelled. `plan_action` does the whole round: open the form, store the action, say so.
The form checks what it can before dismissing (items of the banks and scored, something to do, a
real date) and shows the problem under the fields; it never writes anything itself.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import date
from typing import Any, Callable, Iterable, Iterator

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from ...domain.actions import STATUSES, Action, ActionError, ItemRef, Status, parse_item
from ...i18n import t
from ...printable import printable
from ...store import StoreError

_SEPARATORS = re.compile(r"[\s,，、;；]+")


class FieldError(ActionError):
    """A field of the form that cannot be used; `field` is its selector."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@contextmanager
def _field(selector: str) -> Iterator[None]:
    try:
        yield
    except FieldError:
        raise
    except ActionError as e:
        raise FieldError(selector, str(e)) from None


class ActionForm(ModalScreen[dict[str, Any] | None]):
    CSS_PATH = "actions.tcss"
    # a modal screen does not pass keys on to the app: F2 switches the language here too
    BINDINGS = [Binding("escape", "cancel", show=False), Binding("ctrl+s", "save", show=False, priority=True),
                Binding("f2", "app.switch_lang", show=False)]

    def __init__(self, items: Iterable[ItemRef | str] = (), what: str = "", *, owner: str = "",
                 due: date | None = None, status: Status = "planned", note: str = "",
                 method: str | None = None, session: str | None = None, action_id: str | None = None):
        super().__init__()
        self.items = [str(i) for i in items]
        self.what, self.owner, self.due, self.status, self.note = what, owner, due, status, note
        self.method, self.session = method, session
        self.action_id = action_id  # set when editing: only the title says so

    @classmethod
    def editing(cls, action: Action) -> ActionForm:
        """The form filled with an action, to change it (the caller calls store.update_action)."""
        return cls(action.items, action.what, owner=action.owner, due=action.due, status=action.status,
                   note=action.note, method=action.method, session=action.session, action_id=action.id)

    @property
    def lang(self) -> str:
        return getattr(self.app, "lang", "zh")

    def compose(self) -> ComposeResult:
        with Vertical(id="form-box"):
            yield Label(id="form-title", markup=False)
            with Grid(id="form-fields"):
                yield Label(id="label-items", markup=False)
                yield Input(" ".join(self.items), id="form-items", compact=True)
                yield Label(id="label-what", markup=False)
                yield Input(self.what, id="form-what", compact=True)
                yield Label(id="label-owner", markup=False)
                yield Input(self.owner, id="form-owner", compact=True)
                yield Label(id="label-due", markup=False)
                yield Input(self.due.isoformat() if self.due else "", id="form-due", compact=True)
                yield Label(id="label-status", markup=False)
                yield Select(self._statuses(self.lang), value=self.status, allow_blank=False, id="form-status",
                             compact=True)
                yield Label(id="label-note", markup=False)
                yield Input(self.note, id="form-note", compact=True)
            if self.method:
                yield Label(id="form-method", markup=False)
            yield Label("", id="form-error", markup=False)
            with Horizontal(id="form-buttons"):
                yield Button(id="form-save", variant="primary", compact=True)
                yield Button(id="form-cancel", compact=True)
                yield Label(id="form-keys", markup=False)

    @staticmethod
    def _statuses(lang: str) -> list[tuple[str, str]]:
        return [(t(f"actions.status.{s}", lang), s) for s in STATUSES]

    def relabel(self, lang: str) -> None:
        """Every text in `lang` (the app calls this when F2 switches the language)."""
        title = t("form.title.edit", lang, id=self.action_id) if self.action_id else t("form.title.add", lang)
        self.query_one("#form-title", Label).update(title)
        for name in ("items", "what", "owner", "due", "status", "note"):
            self.query_one(f"#label-{name}", Label).update(t(f"form.{name}", lang))
        self.query_one("#form-items", Input).placeholder = t("form.items.placeholder", lang)
        self.query_one("#form-due", Input).placeholder = t("form.due.placeholder", lang)
        status = self.query_one("#form-status", Select)
        chosen = status.value
        status.set_options(self._statuses(lang))
        status.value = chosen
        if self.method:
            self.query_one("#form-method", Label).update(printable(t("actions.method", lang, method=self.method)))
        self.query_one("#form-save", Button).label = t("form.save", lang)
        self.query_one("#form-cancel", Button).label = t("form.cancel", lang)
        self.query_one("#form-keys", Label).update(t("form.keys", lang))

    def on_mount(self) -> None:
        self.relabel(self.lang)
        # the caller usually presets the items: start where the user has to write
        first = "#form-what" if self.items else "#form-items"
        self.query_one(first, Input).focus()

    def values(self) -> dict[str, Any]:
        """The fields as add_action's keyword arguments; FieldError (in the app's language) when one is wrong."""
        from ...commands.actions import parse_date, parse_items

        lang = self.lang
        pieces = [p for p in _SEPARATORS.split(self.query_one("#form-items", Input).value) if p]
        library = getattr(self.app, "library", None)
        with _field("#form-items"):
            if library is not None:
                items = parse_items(pieces, library, lang)
            else:  # a form outside the selfcheck app: the caller checks the items
                items = list(dict.fromkeys(parse_item(p) for p in pieces))
                if not items:
                    raise ActionError(t("actions.err.items", lang))
        what = self.query_one("#form-what", Input).value.strip()
        if not what:
            raise FieldError("#form-what", t("actions.err.what", lang))
        with _field("#form-due"):
            due = parse_date(self.query_one("#form-due", Input).value, lang)
        status = self.query_one("#form-status", Select).value
        return {"items": items, "what": what, "owner": self.query_one("#form-owner", Input).value.strip(),
                "due": due, "status": status if status in STATUSES else "planned",
                "note": self.query_one("#form-note", Input).value.strip(),
                "method": self.method, "session": self.session}

    def action_save(self) -> None:
        try:
            values = self.values()
        except FieldError as e:
            self.query_one("#form-error", Label).update(printable(str(e)))
            self.query_one(e.field, Input).focus()
            return
        self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "form-save":
            self.action_save()
        else:
            self.action_cancel()


def plan_action(app: App, org: str, items: Iterable[ItemRef | str] = (), what: str = "", *,
                method: str | None = None, session: str | None = None,
                on_saved: Callable[[Action], None] | None = None) -> None:
    """Open the form for a new action of `org` and, when saved, store it (app.store.add_action),
    tell the user its id and call `on_saved` with it. A store that cannot be written is said, not raised."""

    def save(values: dict[str, Any] | None) -> None:
        if values is None:
            return
        lang = getattr(app, "lang", "zh")
        try:
            action = app.store.add_action(org, **values)  # type: ignore[attr-defined]
        except (ActionError, StoreError) as e:
            app.notify(printable(str(e)), severity="error", timeout=10)
            return
        app.notify(t("actions.added", lang, id=action.id))
        if on_saved is not None:
            on_saved(action)

    app.push_screen(ActionForm(items, what, method=method, session=session), save)
