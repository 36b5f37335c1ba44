"""The action plan's storage: one small file per organisation, `actions/<sha1 of the org>.json`.

    {"format": "selfcheck-actions", "schema": 1, "org": "<the organisation>", "actions": [<Action>, …]}

Written as a session is: the whole file to a temporary file, flushed to disk and renamed over the
old one, under a lock per organisation (`locks/actions-<sha1>.lock`), so a killed process never
leaves a torn file and two processes never lose each other's actions or hand out one id twice.
Every change is validated before anything is written (an unknown status, a malformed date, an
empty "what" write nothing). A damaged file is refused with its name and never overwritten; one
written by a newer selfcheck is refused.

`ActionStore` is a mixin of TinyStore: it uses the store's folder, clock, locks and schema check.
"""

from __future__ import annotations

import hashlib
from contextlib import AbstractContextManager
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Iterable

from pydantic import ValidationError

from ..domain.actions import Action, ActionError, ItemRef, parse_due, parse_item, parse_status
from .atomic import dumps, read_json, write_atomic
from .errors import StoreDamaged, StoreError, invalid

FORMAT = "selfcheck-actions"
SCHEMA = 1
# what update_action may change; id, org and the timestamps are the store's
EDITABLE = ("items", "what", "owner", "due", "status", "note", "method", "session")
_FIELD_NAMES = {"what": "what to do", "items": "items", "owner": "owner", "note": "note", "due": "due date",
                "status": "status", "method": "method", "session": "session"}


def _number(action_id: str) -> int:
    return int(action_id[1:])


def _items(items: Iterable[ItemRef | str]) -> list[ItemRef]:
    """Items as ItemRefs (a string is BANK:QUESTION), each once, in the order given."""
    if isinstance(items, (str, ItemRef)):
        items = [items]
    out: list[ItemRef] = []
    for item in items:
        ref = parse_item(item) if isinstance(item, str) else item
        if not isinstance(ref, ItemRef):
            raise ActionError(f"{item!r} is not an item: write BANK:QUESTION")
        if ref not in out:
            out.append(ref)
    if not out:
        raise ActionError("an action needs at least one item (BANK:QUESTION)")
    return out


def _normalised(changes: dict[str, Any]) -> dict[str, Any]:
    """The values as the model takes them: text parsed (items, due date, status), the rest as given."""
    out = dict(changes)
    if "items" in out:
        out["items"] = _items(out["items"])
    if isinstance(out.get("due"), str):
        out["due"] = parse_due(out["due"])
    elif isinstance(out.get("due"), datetime):
        raise ActionError("the due date is a date (YYYY-MM-DD), not a moment")
    elif out.get("due") is not None and not isinstance(out["due"], date):
        raise ActionError(f"{out['due']!r} is not a date: write YYYY-MM-DD")
    if "status" in out:
        if not isinstance(out["status"], str):
            raise ActionError(f"{out['status']!r} is not a status")
        out["status"] = parse_status(out["status"])
    for key in ("method", "session"):
        if key in out and isinstance(out[key], str) and not out[key].strip():
            out[key] = None
    return out


def _validated(data: dict[str, Any]) -> Action:
    """The action, or ActionError saying which field is wrong (the user's input, never the store)."""
    try:
        return Action.model_validate(data)
    except ValidationError as e:
        err = e.errors()[0]
        field = str(err["loc"][0]) if err["loc"] else ""
        if field == "what" and err["type"] in ("string_too_short", "missing"):
            raise ActionError("an action needs a text saying what to do") from None
        raise ActionError(f"{_FIELD_NAMES.get(field, field or 'the action')}: {err['msg']}") from None


class ActionStore:
    """The action plan of each organisation. Mixed into TinyStore, whose folder, clock and locks it uses."""

    root: Path
    clock: Callable[[], datetime]
    _lock: Callable[[str], AbstractContextManager[None]]
    _check_schema: Callable[[bool], bool]

    def _actions_path(self, org: str) -> Path:
        digest = hashlib.sha1(org.encode("utf-8", "surrogatepass")).hexdigest()
        return self.root / "actions" / f"{digest}.json"

    def _read_actions(self, path: Path, org: str) -> list[Action]:
        """The actions in the file, in id order; [] when there is none. Damage raises StoreDamaged."""
        data = read_json(path)
        if data is None:
            return []
        schema = data.get("schema")
        if data.get("format") != FORMAT or not isinstance(schema, int) or isinstance(schema, bool):
            raise StoreDamaged(path, "it is not a selfcheck action-plan file")
        if schema > SCHEMA:
            raise StoreError(f"{path} was written by a newer selfcheck (schema {schema}, this one reads {SCHEMA}); "
                             f"upgrade selfcheck to open it")
        if data.get("org") != org:
            raise StoreDamaged(path, f"it holds the actions of {data.get('org')!r:.60}, not of {org!r:.60}")
        rows = data.get("actions")
        if not isinstance(rows, list):
            raise StoreDamaged(path, "its actions are not a list")
        out: list[Action] = []
        for i, row in enumerate(rows):
            try:
                action = Action.model_validate(row)
            except ValidationError as e:
                raise invalid(path, f"action {i + 1}", e) from None
            if action.org != org:
                raise StoreDamaged(path, f"action {action.id} belongs to {action.org!r:.60}")
            out.append(action)
        ids = [a.id for a in out]
        if len(set(ids)) != len(ids):
            raise StoreDamaged(path, "it holds two actions with the same id")
        out.sort(key=lambda a: _number(a.id))
        return out

    def _write_actions(self, path: Path, org: str, actions: list[Action]) -> None:
        try:
            path.parent.mkdir(exist_ok=True)
        except OSError as e:
            raise StoreError(f"cannot create the folder {path.parent}: {e.strerror or e}") from None
        doc = {"format": FORMAT, "schema": SCHEMA, "org": org,
               "actions": [a.model_dump(mode="json") for a in actions]}
        write_atomic(path, dumps(doc))

    def _org_lock(self, path: Path) -> AbstractContextManager[None]:
        return self._lock(f"actions-{path.stem}")

    # -- the API ---------------------------------------------------------------------------

    def add_action(self, org: str, items: Iterable[ItemRef | str], what: str, *, owner: str = "",
                   due: date | str | None = None, status: str = "planned", note: str = "",
                   method: str | None = None, session: str | None = None) -> Action:
        """Add an action to the organisation's plan, with the next id (A1, A2, …); on disk when this returns.

        Bad input (no item, an empty "what", a malformed date, an unknown status) raises ActionError
        and writes nothing. Whether the items, method and session exist is the caller's to check.
        """
        if not org.strip():
            raise ActionError("an action belongs to an organisation: name it")
        values = _normalised({"items": items, "what": what, "owner": owner, "due": due, "status": status,
                              "note": note, "method": method, "session": session})
        now = self.clock()
        draft = _validated({"id": "A1", "org": org, "created": now, "updated": now,
                            "done": now if values["status"] == "done" else None, **values})
        self._check_schema(True)
        path = self._actions_path(org)
        with self._org_lock(path):
            actions = self._read_actions(path, org)
            number = max((_number(a.id) for a in actions), default=0) + 1
            action = draft.model_copy(update={"id": f"A{number}"})
            self._write_actions(path, org, [*actions, action])
        return action

    def update_action(self, org: str, action_id: str, **changes: Any) -> Action:
        """Change some of items, what, owner, due, status, note, method, session; on disk when this returns.

        `updated` is set on every real change, `done` when the status becomes done. An unknown id or
        field, or a bad value, raises ActionError and writes nothing. A change to nothing new writes nothing.
        """
        unknown = sorted(set(changes) - set(EDITABLE))
        if unknown:
            raise ActionError(f"an action's {unknown[0]} cannot be changed (only {', '.join(EDITABLE)})")
        values = _normalised(changes)
        wanted = action_id.strip().upper()
        path = self._actions_path(org)
        if not self._check_schema(False) or not path.exists():
            raise ActionError(f"no action {action_id!r} in the plan of {org!r} (it has no actions)")
        with self._org_lock(path):
            actions = self._read_actions(path, org)
            at = next((i for i, a in enumerate(actions) if a.id == wanted), None)
            if at is None:
                ids = ", ".join(a.id for a in actions[:10]) + (" …" if len(actions) > 10 else "")
                raise ActionError(f"no action {action_id!r} in the plan of {org!r} (it has {ids})")
            old = actions[at]
            new = _validated({**old.model_dump(), **values})
            if new.model_dump() == old.model_dump():
                return old
            now = self.clock()
            stamps = {"updated": now, **({"done": now} if new.status == "done" and old.status != "done" else {})}
            actions[at] = new.model_copy(update=stamps)
            self._write_actions(path, org, actions)
        return actions[at]

    def list_actions(self, org: str) -> list[Action]:
        """The organisation's actions in id order; [] when it has none (or there is no store yet)."""
        if not self._check_schema(False):
            return []
        return self._read_actions(self._actions_path(org), org)

    def get_action(self, org: str, action_id: str) -> Action:
        wanted = action_id.strip().upper()
        for action in self.list_actions(org):
            if action.id == wanted:
                return action
        raise ActionError(f"no action {action_id!r} in the plan of {org!r}")

