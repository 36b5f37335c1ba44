"""The workshops, wrong join codes and action plans of the PostgreSQL store (store/postgres.py).

The action plan reuses ActionStore (store/actions.py) whole, its checks and numbering included; only
where the plan lives differs: rows of selfcheck_actions instead of actions/<sha1>.json, and the
organisation's advisory lock, held for the whole transaction, instead of its lock file.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Iterator

from psycopg import Cursor
from psycopg.types.json import Jsonb
from pydantic import ValidationError

from ..domain.actions import Action
from .actions import ActionStore
from .errors import WorkshopError
from .workshops import WorkshopStore, is_workshop
from .postgres_db import Database, RowDamaged


@dataclass(frozen=True)
class _Plan:
    """Where ActionStore keeps an organisation's plan (its file in the folder store): here, its rows."""

    db: Database
    org: str

    def exists(self) -> bool:
        def work(cur: Cursor[Any]) -> bool:
            cur.execute("SELECT 1 FROM selfcheck_actions WHERE org = %s LIMIT 1", (self.org,))
            return cur.fetchone() is not None

        return self.db.run(work, read=True)


class PlanStore(ActionStore):
    """Workshops and action plans; mixed into PostgresStore, whose database, clock and schema check it uses."""

    db: Database
    clock: Callable[[], datetime]
    _check_schema: Callable[[bool], bool]

    # -- action plans (ActionStore's methods, on rows) -------------------------------------

    def _actions_path(self, org: str) -> _Plan:  # type: ignore[override]
        return _Plan(self.db, org)

    @contextmanager
    def _org_lock(self, path: _Plan) -> Iterator[None]:  # type: ignore[override]
        """One transaction for ActionStore's read-number-write, under the organisation's lock."""
        with self.db.transaction() as cur:
            self.db.lock(cur, f"actions:{path.org}")
            yield

    def _read_actions(self, path: _Plan, org: str) -> list[Action]:  # type: ignore[override]
        with self.db.transaction(read=True) as cur:  # or the plan's transaction, when in one
            cur.execute("SELECT number, doc FROM selfcheck_actions WHERE org = %s ORDER BY number", (org,))
            rows = cur.fetchall()
        out = []
        for number, doc in rows:
            where = f"selfcheck_actions {org!r:.60} A{number}"
            try:
                action = Action.model_validate(doc)
            except ValidationError as e:
                err = e.errors()[0]
                raise RowDamaged(where, f"it is invalid at {'.'.join(map(str, err['loc'])) or 'the top'}: "
                                        f"{err['msg']}") from None
            if action.org != org or action.id != f"A{number}":
                raise RowDamaged(where, f"it holds action {action.id} of {action.org!r:.60}")
            out.append(action)
        return out

    def _write_actions(self, path: _Plan, org: str, actions: list[Action]) -> None:  # type: ignore[override]
        rows = [(org, int(a.id[1:]), Jsonb(a.model_dump(mode="json"))) for a in actions]
        with self.db.transaction() as cur:
            cur.executemany("INSERT INTO selfcheck_actions (org, number, doc) VALUES (%s, %s, %s) "
                            "ON CONFLICT (org, number) DO UPDATE SET doc = EXCLUDED.doc "
                            "WHERE selfcheck_actions.doc IS DISTINCT FROM EXCLUDED.doc", rows)

    def action_orgs(self) -> list[str]:
        """The organisations that have an action plan (for `selfcheck store copy`)."""
        if not self._check_schema(False):
            return []

        def work(cur: Cursor[Any]) -> list[str]:
            cur.execute("SELECT DISTINCT org FROM selfcheck_actions ORDER BY org")
            return [row[0] for row in cur.fetchall()]

        return self.db.run(work, read=True)

    # -- workshops -------------------------------------------------------------------------

    def create_workshop(self, name: str, org: str, banks: list[str] | None = None, names: bool = False) -> dict[str, Any]:
        """`names`: the facilitator may see who wrote which note (kept only when true, as the folder store does)."""
        self._check_schema(True)
        record = {"name": name, "org": org, "created": self.clock().isoformat(), "banks": banks or []}
        if names:
            record["names"] = True

        def work(cur: Cursor[Any]) -> None:
            cur.execute("INSERT INTO selfcheck_workshops (name, doc) VALUES (%s, %s) ON CONFLICT (name) DO NOTHING",
                        (name, Jsonb(record)))
            if cur.rowcount != 1:
                raise WorkshopError(f"a workshop named {name!r} already exists")

        self.db.run(work)
        return record

    get_workshop = WorkshopStore.get_workshop  # by list_workshops

    def list_workshops(self) -> list[dict[str, Any]]:
        if not self._check_schema(False):
            return []

        def work(cur: Cursor[Any]) -> list[tuple[Any, ...]]:
            cur.execute("SELECT name, doc FROM selfcheck_workshops ORDER BY seq")
            return cur.fetchall()

        out = []
        for name, row in self.db.run(work, read=True):  # checked as the folder store checks workshops.json
            if not is_workshop(row) or row["name"] != name:
                raise RowDamaged(f"selfcheck_workshops {name!r:.60}", f"a workshop record is invalid: {row!r:.80}")
            out.append(row)
        return out

    def join_failures(self, workshop: str, within_seconds: float) -> int:
        """How many wrong join codes were typed for this workshop lately, by any participant process."""
        if not self._check_schema(False):
            return 0
        since = self.clock().timestamp() - within_seconds

        def work(cur: Cursor[Any]) -> int:
            cur.execute("SELECT count(*) FROM selfcheck_join_failures WHERE workshop = %s AND at >= %s",
                        (workshop, since))
            return cur.fetchone()[0]

        return self.db.run(work, read=True)

    def record_join_failure(self, workshop: str) -> None:
        """Count one wrong join code (kept an hour): served participants share the count through the store."""
        self._check_schema(True)
        now = self.clock().timestamp()

        def work(cur: Cursor[Any]) -> None:
            cur.execute("DELETE FROM selfcheck_join_failures WHERE at < %s", (now - 3600,))
            cur.execute("INSERT INTO selfcheck_join_failures (workshop, at) VALUES (%s, %s)", (workshop, now))

        self.db.run(work)
