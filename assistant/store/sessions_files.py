"""The session files of the folder store, s/<session id>.json (TinyDB, one record each): where they
are, the record a session is written as, and reading and validating it. A damaged record raises
StoreDamaged naming the file (a copy is kept aside: damaged.py); a newer one is refused."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Callable

from pydantic import ValidationError
from tinydb import TinyDB

from ..domain.answers import Session
from .atomic import AtomicJSONStorage
from .errors import SessionNotFound, StoreDamaged, StoreError, invalid
from .summary import SESSION_ID

SESSION_SCHEMA = 1  # of a session record


def session_of_record(doc: Any, sid: str | None, where: str, damaged: Callable[[str], StoreError]) -> Session:
    """A session from its stored record (both stores write the same one), or `damaged(problem)`
    raised when it is not one; a record of a newer selfcheck is refused, not taken for damage."""
    if not isinstance(doc, dict):
        raise damaged("it does not hold a JSON object")
    doc = dict(doc)
    schema = doc.pop("schema", None)
    if not isinstance(schema, int) or isinstance(schema, bool):
        raise damaged("its session record has no schema version")
    if schema > SESSION_SCHEMA:
        raise StoreError(f"{where} was written by a newer selfcheck (schema {schema}); upgrade selfcheck to open it")
    try:
        session = Session.model_validate(doc)
    except ValidationError as e:
        raise damaged(invalid(where, "its session record", e).problem) from None
    if sid is not None and session.id != sid:
        raise damaged(f"its session record has the id {session.id!r:.40}, not {sid!r}")
    return session


class SessionFiles:
    """The session files of TinyStore (a mixin): its folder, and its keeping of damaged copies."""

    root: Path
    _reading_session: Callable[[Path], AbstractContextManager[None]]

    def _session_path(self, sid: str) -> Path:
        if not SESSION_ID.fullmatch(sid):  # never a path: ids come from files and from the index
            raise SessionNotFound(sid)
        return self.root / "s" / f"{sid}.json"

    def _db(self, path: Path, create: bool = False) -> TinyDB:
        return TinyDB(path, storage=AtomicJSONStorage, create=create)

    @staticmethod
    def _dump(session: Session) -> dict[str, Any]:
        return {"schema": SESSION_SCHEMA, **session.model_dump(mode="json", exclude_none=False)}

    def _load(self, sid: str, path: Path) -> Session:
        with self._reading_session(path):
            if not path.exists():
                raise SessionNotFound(sid)
            docs = self._db(path).table("session").all()
            if len(docs) != 1:
                raise StoreDamaged(path, f"it holds {len(docs)} session records instead of 1")
            return self._parse(path, dict(docs[0]))

    @staticmethod
    def _parse(path: Path, doc: dict[str, Any]) -> Session:
        stem = path.stem if path.suffix == ".json" else None
        return session_of_record(doc, stem, str(path), lambda problem: StoreDamaged(path, problem))
