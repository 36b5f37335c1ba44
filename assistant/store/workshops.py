"""The workshops of a store: `workshops.json` (TinyDB), one record per workshop, and the wrong join
codes typed lately (shared by the participants' processes of `selfcheck serve`).

`WorkshopStore` is a mixin of TinyStore: it uses the store's folder, clock, locks and schema check.
A record that is not a workshop makes the file damaged: it is refused, naming it, never rewritten.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from tinydb import TinyDB
from tinydb.table import Table

from .errors import StoreDamaged, WorkshopError


def is_workshop(row: Any) -> bool:
    """Is this record a workshop (of any store: workshops.json here, a row of the PostgreSQL store)?"""
    return (isinstance(row, dict) and isinstance(row.get("name"), str) and isinstance(row.get("org"), str)
            and isinstance(row.get("created"), str) and isinstance(row.get("banks"), list)
            and all(isinstance(b, str) for b in row["banks"]))


class WorkshopStore:
    """The workshops. Mixed into TinyStore, whose folder, clock, locks and files it uses."""

    root: Path
    clock: Callable[[], datetime]
    _lock: Callable[..., AbstractContextManager[bool]]
    _check_schema: Callable[[bool], bool]
    _db: Callable[..., TinyDB]

    @property
    def _workshops_path(self) -> Path:
        return self.root / "workshops.json"

    def _workshops(self, table: Table) -> list[dict[str, Any]]:
        """Every workshop record; one that is not a workshop makes workshops.json damaged."""
        out = []
        for row in table.all():
            if not is_workshop(row):
                raise StoreDamaged(self._workshops_path, f"a workshop record is invalid: {dict(row)!r:.80}")
            out.append(dict(row))
        return out

    def create_workshop(self, name: str, org: str, banks: list[str] | None = None, names: bool = False) -> dict[str, Any]:
        """`names`: the participants agreed that the facilitator sees who wrote which note (consensus
        meeting, issue 12); kept in the record only when true, so older records read as hidden."""
        self._check_schema(create=True)
        with self._lock("workshops"):
            table = self._db(self._workshops_path, create=True).table("workshops")
            if any(w["name"] == name for w in self._workshops(table)):
                raise WorkshopError(f"a workshop named {name!r} already exists")
            record = {"name": name, "org": org, "created": self.clock().isoformat(), "banks": banks or []}
            if names:
                record["names"] = True
            table.insert(record)
        return record

    def get_workshop(self, name: str) -> dict[str, Any]:
        for workshop in self.list_workshops():
            if workshop["name"] == name:
                return workshop
        raise WorkshopError(f"no workshop named {name!r} (create it with `selfcheck workshop create`)")

    def list_workshops(self) -> list[dict[str, Any]]:
        if not self._check_schema(create=False) or not self._workshops_path.exists():
            return []
        return self._workshops(self._db(self._workshops_path).table("workshops"))

    def join_failures(self, workshop: str, within_seconds: float) -> int:
        """How many wrong join codes were typed for this workshop lately, by any participant process."""
        if not self._check_schema(create=False) or not self._workshops_path.exists():
            return 0
        since = self.clock().timestamp() - within_seconds
        table = self._db(self._workshops_path).table("join_failures")
        return sum(1 for row in table.all() if row.get("workshop") == workshop and row.get("at", 0) >= since)

    def record_join_failure(self, workshop: str) -> None:
        """Count one wrong join code (kept an hour): served participants share the count through the store."""
        self._check_schema(create=True)
        now = self.clock().timestamp()
        with self._lock("workshops"):
            table = self._db(self._workshops_path, create=True).table("join_failures")
            old = [row.doc_id for row in table.all() if not isinstance(row.get("at"), (int, float)) or row["at"] < now - 3600]
            if old:
                table.remove(doc_ids=old)
            table.insert({"workshop": workshop, "at": now})
