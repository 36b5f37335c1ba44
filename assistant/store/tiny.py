"""The session store on TinyDB: one small file per session plus an index, so saving an answer costs
the same with ten stored sessions or ten thousand.

Layout of a store folder (default ./sessions):

    store.json            {"format": "selfcheck-store", "schema": 1}
    index.json            TinyDB: one summary per session, written when a session is created or
                          changes status (never per answer: that would grow with history)
    s/<session id>.json   TinyDB: the session and its answers, rewritten atomically per answer
    locks/                one lock file per session and one for the index (cross-process)
"""

from __future__ import annotations

import secrets
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

from contextlib import contextmanager
from filelock import FileLock, Timeout
from pydantic import ValidationError
from tinydb import Query, TinyDB
from tinydb.table import Table

from ..domain.answers import Answer, Position, Session
from .atomic import AtomicJSONStorage, read_json, write_atomic
from .errors import SessionNotFound, StoreDamaged, StoreError
from .summary import Summary

SCHEMA = 1
FORMAT = "selfcheck-store"
LOCK_TIMEOUT = 30.0

Clock = Callable[[], datetime]


def local_now() -> datetime:
    return datetime.now(timezone.utc).astimezone()


class TinyStore:
    def __init__(self, root: Path | str, clock: Clock = local_now, ids: Callable[[datetime], str] | None = None):
        self.root = Path(root)
        self.clock = clock
        self._ids = ids  # tests give fixed ids; by default the date and six random hex digits
        self._checked = False

    # -- files and locks -------------------------------------------------------------------

    @property
    def _index_path(self) -> Path:
        return self.root / "index.json"

    def _session_path(self, sid: str) -> Path:
        return self.root / "s" / f"{sid}.json"

    @contextmanager
    def _lock(self, name: str) -> Iterator[None]:
        lock = FileLock(str(self.root / "locks" / f"{name}.lock"), timeout=LOCK_TIMEOUT)
        try:
            with lock:
                yield
        except Timeout:
            raise StoreError(f"the store {self.root} is busy (another selfcheck holds {name}); try again") from None

    def _check_schema(self, create: bool) -> bool:
        """True when the store exists (and is one we can read); creates it when asked."""
        if self._checked:
            return True
        marker = self.root / "store.json"
        data = read_json(marker)
        if data is None:
            if self._index_path.exists():
                raise StoreDamaged(marker, "it is missing although the store holds an index")
            if not create:
                return False
            try:
                for sub in ("s", "locks"):
                    (self.root / sub).mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise StoreError(f"cannot create the store folder {self.root}: {e.strerror or e}") from e
            write_atomic(marker, '{"format": "%s", "schema": %d}' % (FORMAT, SCHEMA))
        elif data.get("format") != FORMAT or not isinstance(data.get("schema"), int):
            raise StoreDamaged(marker, "it is not a selfcheck store marker")
        elif data["schema"] > SCHEMA:
            raise StoreError(
                f"the store {self.root} was written by a newer selfcheck ({marker} says schema "
                f"{data['schema']}, this one reads {SCHEMA}); upgrade selfcheck to open it"
            )
        for sub in ("s", "locks"):
            (self.root / sub).mkdir(exist_ok=True)
        self._checked = True
        return True

    def _db(self, path: Path, create: bool = False) -> TinyDB:
        return TinyDB(path, storage=AtomicJSONStorage, create=create)

    # -- sessions --------------------------------------------------------------------------

    def _new_id(self, now: datetime) -> str:
        while True:
            sid = self._ids(now) if self._ids else f"{now:%Y%m%d}-{secrets.token_hex(3)}"
            if not self._session_path(sid).exists():
                return sid

    def create_session(
        self,
        org: str,
        banks: dict[str, str],
        respondent: str = "",
        *,
        role: str | None = None,
        workshop: str | None = None,
        rules_profile: str = "clause-text",
        lang: str = "zh",
        answers: dict[str, dict[str, Answer]] | None = None,
        status: str = "in_progress",
        position: Position | None = None,
        baseline: str | None = None,
    ) -> Session:
        self._check_schema(create=True)
        now = self.clock()
        with self._lock("index"):
            sid = self._new_id(now)
            session = Session(
                id=sid, org=org, respondent=respondent, role=role, workshop=workshop, banks=banks,
                answers=answers or {}, status=status, created=now, updated=now, position=position,
                rules_profile=rules_profile, lang=lang, baseline=baseline,
            )
            with self._lock(sid):
                db = self._db(self._session_path(sid), create=True)
                db.table("session").insert(self._dump(session))
            self._index_put(session)
        return session

    @staticmethod
    def _dump(session: Session) -> dict[str, Any]:
        return {"schema": SCHEMA, **session.model_dump(mode="json", exclude_none=False)}

    def _load(self, sid: str, path: Path) -> Session:
        docs = self._db(path).table("session").all()
        if len(docs) != 1:
            raise StoreDamaged(path, f"it holds {len(docs)} session records instead of 1")
        return self._parse(path, dict(docs[0]))

    @staticmethod
    def _parse(path: Path, doc: dict[str, Any]) -> Session:
        doc = dict(doc)
        schema = doc.pop("schema", None)
        if not isinstance(schema, int):
            raise StoreDamaged(path, "its session record has no schema version")
        if schema > SCHEMA:
            raise StoreError(f"{path} was written by a newer selfcheck (schema {schema}); upgrade selfcheck to open it")
        try:
            return Session.model_validate(doc)
        except ValidationError as e:
            err = e.errors()[0]
            where = ".".join(str(p) for p in err["loc"])
            raise StoreDamaged(path, f"its session record is invalid at {where}: {err['msg']}") from None

    def get_session(self, ref: str) -> Session:
        sid = self.resolve(ref)
        return self._load(sid, self._session_path(sid))

    def resolve(self, ref: str) -> str:
        """A session id from its id or a unique prefix of it."""
        if not self._check_schema(create=False):
            raise SessionNotFound(ref)
        if "/" in ref or "\\" in ref or ref.startswith("."):
            raise SessionNotFound(ref)
        if self._session_path(ref).exists():
            return ref
        matches = sorted(p.stem for p in (self.root / "s").glob(f"{ref}*.json"))
        if len(matches) == 1:
            return matches[0]
        raise SessionNotFound(ref, matches)

    def _update(self, ref: str, change: Callable[[dict[str, Any]], None]) -> Session:
        """Read-modify-write of one session under its lock; durable when this returns.

        The changed record is validated before it is written, so a bad change writes nothing.
        """
        sid = self.resolve(ref)
        path = self._session_path(sid)
        now = self.clock().isoformat()
        result: list[Session] = []

        def transform(doc: dict[str, Any]) -> None:
            self._parse(path, doc)  # refuses a damaged or newer record before anything is written
            change(doc)
            doc["updated"] = now
            result.append(self._parse(path, doc))

        with self._lock(sid):
            table = self._db(path).table("session")
            if len(table) != 1:
                raise StoreDamaged(path, f"it holds {len(table)} session records instead of 1")
            table.update(transform, doc_ids=[1])
        return result[0]

    def record_answer(self, ref: str, bank_id: str, question_id: str, answer: Answer,
                      position: Position | None = None) -> Session:
        """Store one answer; it is on disk (fsynced) when this returns."""
        data = answer.model_dump(mode="json", exclude_defaults=True)

        def change(doc: dict[str, Any]) -> None:
            if bank_id not in doc["banks"]:
                raise StoreError(f"session {doc['id']} does not include bank {bank_id}")
            doc["answers"].setdefault(bank_id, {})[question_id] = data
            if position is not None:
                doc["position"] = position.model_dump()

        return self._update(ref, change)

    def set_position(self, ref: str, position: Position | None) -> Session:
        def change(doc: dict[str, Any]) -> None:
            doc["position"] = position.model_dump() if position else None

        return self._update(ref, change)

    def set_status(self, ref: str, status: str) -> Session:
        def change(doc: dict[str, Any]) -> None:
            doc["status"] = status

        session = self._update(ref, change)
        with self._lock("index"):
            self._index_put(session)
        return session

    def set_workshop(self, ref: str, workshop: str | None, role: str | None = None) -> Session:
        def change(doc: dict[str, Any]) -> None:
            doc["workshop"] = workshop
            if role is not None:
                doc["role"] = role or None

        session = self._update(ref, change)
        with self._lock("index"):
            self._index_put(session)
        return session

    def put_session(self, session: Session) -> str:
        """Store a whole session made elsewhere (an import). Returns "added", "updated" or "unchanged".

        An existing session with the same id is replaced only by a newer version of itself.
        """
        self._check_schema(create=True)
        path = self._session_path(session.id)
        with self._lock("index"):
            with self._lock(session.id):
                if path.exists():
                    current = self._load(session.id, path)
                    if current.org != session.org or current.created != session.created:
                        raise StoreError(f"a different session with the id {session.id} is already in this store")
                    if session.updated <= current.updated:
                        return "unchanged"
                    outcome = "updated"
                else:
                    outcome = "added"
                AtomicJSONStorage(path, create=True).write({"session": {"1": self._dump(session)}})
            self._index_put(session)
        return outcome

    def sessions(self, org: str | None = None, workshop: str | None = None) -> list[Session]:
        """Whole sessions (with answers), oldest first, of one organisation and/or one workshop."""
        out = []
        for summary in self.list_sessions(org):
            if workshop is not None and summary.workshop != workshop:
                continue
            out.append(self._load(summary.session_id, self._session_path(summary.session_id)))
        out.sort(key=lambda s: (s.created, s.id))
        return out

    # -- workshops -------------------------------------------------------------------------

    @property
    def _workshops_path(self) -> Path:
        return self.root / "workshops.json"

    def create_workshop(self, name: str, org: str, banks: list[str] | None = None) -> dict[str, Any]:
        self._check_schema(create=True)
        with self._lock("workshops"):
            table = self._db(self._workshops_path, create=True).table("workshops")
            if table.get(Query().name == name) is not None:
                raise StoreError(f"a workshop named {name!r} already exists")
            record = {"name": name, "org": org, "created": self.clock().isoformat(), "banks": banks or []}
            table.insert(record)
        return record

    def get_workshop(self, name: str) -> dict[str, Any]:
        if self._check_schema(create=False) and self._workshops_path.exists():
            found = self._db(self._workshops_path).table("workshops").get(Query().name == name)
            if found is not None:
                return dict(found)
        raise StoreError(f"no workshop named {name!r} (create it with `selfcheck workshop create`)")

    def list_workshops(self) -> list[dict[str, Any]]:
        if not self._check_schema(create=False) or not self._workshops_path.exists():
            return []
        return [dict(w) for w in self._db(self._workshops_path).table("workshops").all()]

    # -- the index -------------------------------------------------------------------------

    def _index(self) -> TinyDB:
        return self._db(self._index_path, create=True)

    def _index_rows(self, table: Table) -> list[Summary]:
        """Every summary of the index; a row that is not a summary makes the index damaged."""
        out = []
        for row in table.all():
            try:
                out.append(Summary.from_json(row))
            except (KeyError, ValueError, TypeError):
                raise StoreDamaged(self._index_path, f"a summary is invalid: {dict(row)!r:.80}") from None
        return out

    def _index_put(self, session: Session) -> None:
        table = self._index().table("sessions")
        self._index_rows(table)  # never write into an index we cannot read back
        table.upsert(Summary.of(session).to_json(), Query().session_id == session.id)

    def list_sessions(self, org: str | None = None) -> list[Summary]:
        """Newest first. Summaries of sessions still in progress are read live from their files."""
        if not self._check_schema(create=False):
            return []
        out = []
        for summary in self._index_rows(self._index().table("sessions")):
            if org is not None and summary.org != org:
                continue
            if summary.status == "in_progress":
                summary = Summary.of(self._load(summary.session_id, self._session_path(summary.session_id)))
            out.append(summary)
        out.sort(key=lambda s: (s.created, s.session_id), reverse=True)
        return out

    def reindex(self) -> int:
        """Rebuild the index from the session files (they are the truth); returns the count."""
        self._check_schema(create=True)
        with self._lock("index"):
            sessions = [self._load(p.stem, p) for p in sorted((self.root / "s").glob("*.json"))]
            data = {"sessions": {str(i): Summary.of(s).to_json() for i, s in enumerate(sessions, 1)}}
            AtomicJSONStorage(self._index_path, create=True).write(data)
        return len(sessions)
