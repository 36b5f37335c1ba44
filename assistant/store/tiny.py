"""The session store on TinyDB: one small file per session plus an index, so saving an answer costs
the same with ten stored sessions or ten thousand.

Layout of a store folder (default ./sessions):

    store.json            {"format": "selfcheck-store", "schema": 1}
    index.json            TinyDB: one summary per session, written when a session is created or
                          changes status (never per answer: that would grow with history)
    s/<session id>.json   TinyDB: the session and its answers, rewritten atomically per answer
    workshops.json        TinyDB: the workshops
    actions/<sha1>.json   the action plan of one organisation (store/actions.py)
    locks/                one lock file per session and one for the index (cross-process)
    damaged/              copies of damaged session files, <file name>.<UTC time> (the originals stay)

Damage is never repaired by throwing data away. A damaged session file is refused with a message
naming it and a copy kept aside; listing skips it and records the problem in `store.problems`.
The index is derived from the session files: a damaged index is copied aside
(index.json.damaged-<UTC time>) and rebuilt from them, with a problem recorded. A damaged or newer
store.json and a damaged workshops.json are refused, naming the file.
"""

from __future__ import annotations

import os
import re
import secrets
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

from filelock import FileLock, Timeout
from pydantic import ValidationError
from tinydb import TinyDB
from tinydb.table import Table

from ..domain.answers import Answer, Position, Session
from .actions import ActionStore
from .atomic import AtomicJSONStorage, read_json, write_atomic
from .errors import SessionNotFound, StoreDamaged, StoreError, WorkshopError, invalid
from .summary import Summary

SCHEMA = 1
FORMAT = "selfcheck-store"
LOCK_TIMEOUT = 30.0
# what a session id may look like on disk (ours are YYYYMMDD-xxxxxx); anything else names no session
SESSION_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$")

Clock = Callable[[], datetime]


def local_now() -> datetime:
    return datetime.now(timezone.utc).astimezone()


class TinyStore(ActionStore):  # the action plans: store/actions.py
    def __init__(self, root: Path | str, clock: Clock = local_now, ids: Callable[[datetime], str] | None = None):
        self.root = Path(root)
        self.clock = clock
        self._ids = ids  # tests give fixed ids; by default the date and six random hex digits
        self._checked = False
        # what went wrong without stopping the operation (a damaged session skipped by a listing, a
        # rebuilt index), one message each, for the caller to show as warnings
        self.problems: list[str] = []

    def _problem(self, message: str) -> None:
        if message not in self.problems:
            self.problems.append(message)

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
            # poll often: with the default 50 ms one writer keeps the lock for a whole batch
            lock.acquire(poll_interval=0.005)
        except Timeout:
            raise StoreError(f"the store {self.root} is busy (another selfcheck holds {name}); try again") from None
        except OSError as e:
            raise StoreError(f"cannot write to the store {self.root}: {e.strerror or e}. Results can still be "
                             f"viewed; to save, use a folder you can write to (--db PATH)") from None
        try:
            yield
        finally:
            lock.release()

    def _utc_stamp(self) -> str:
        return self.clock().astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")

    def _copy_aside(self, path: Path, folder: Path, prefix: str) -> Path:
        """Copy `path` byte for byte to folder/<prefix><UTC time>, atomically. A copy with the same
        bytes kept earlier under the same prefix is reused, so finding the damage again adds nothing."""
        try:
            raw = path.read_bytes()
            if folder.is_dir():
                for name in sorted(os.listdir(folder)):
                    if name.startswith(prefix) and (folder / name).read_bytes() == raw:
                        return folder / name
            folder.mkdir(parents=True, exist_ok=True)
            stamp = self._utc_stamp()
            target, n = folder / f"{prefix}{stamp}", 1
            while target.exists():
                n += 1
                target = folder / f"{prefix}{stamp}-{n}"
        except OSError as e:
            raise StoreError(f"cannot copy {path} aside into {folder}: {e.strerror or e}") from None
        write_atomic(target, raw)
        return target

    def _keep_index_aside(self) -> Path:
        return self._copy_aside(self._index_path, self.root, "index.json.damaged-")

    def _kept_aside(self, damage: StoreDamaged) -> StoreDamaged:
        """The same damage, with a copy of the session file kept in <store>/damaged/."""
        if damage.kept is not None or damage.kept_failed is not None:
            return damage
        path = damage.path
        try:
            kept = self._copy_aside(path, self.root / "damaged", f"{path.name}.")
        except StoreError as e:
            return StoreDamaged(path, damage.problem, kept_failed=str(e))
        return StoreDamaged(path, damage.problem, kept=kept)

    @contextmanager
    def _reading_session(self, path: Path) -> Iterator[None]:
        """Damage found in this session file is raised with a copy of the file kept aside."""
        try:
            yield
        except StoreDamaged as e:
            if e.path != path:
                raise
            raise self._kept_aside(e) from None

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
        elif data.get("format") != FORMAT or not isinstance(data.get("schema"), int) or isinstance(data["schema"], bool):
            raise StoreDamaged(marker, "it is not a selfcheck store marker")
        elif data["schema"] > SCHEMA:
            raise StoreError(
                f"the store {self.root} was written by a newer selfcheck ({marker} says schema "
                f"{data['schema']}, this one reads {SCHEMA}); upgrade selfcheck to open it"
            )
        for sub in ("s", "locks"):
            try:
                (self.root / sub).mkdir(exist_ok=True)
            except OSError:
                pass  # a read-only store: reading works; a write says so when it asks for its lock
        self._checked = True
        self._sweep_temp_files()
        return True

    def _sweep_temp_files(self) -> None:
        """Remove the temp files of writers killed mid-save (never read as data) whose process is gone."""
        if os.name != "posix":
            return
        for folder in (self.root, self.root / "s", self.root / "actions"):
            for path in folder.glob(".*.tmp"):
                pid = path.name.rsplit(".", 2)[-2]
                if not pid.isdigit():
                    continue
                try:
                    os.kill(int(pid), 0)
                    continue  # that process is alive (maybe saving right now): leave its file
                except ProcessLookupError:
                    pass
                except (PermissionError, OverflowError, ValueError):
                    continue
                try:
                    path.unlink()
                except OSError:
                    pass  # a read-only store keeps them; they are harmless

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
        sector: str | None = None,
    ) -> Session:
        self._check_schema(create=True)
        now = self.clock()
        with self._lock("index"):
            sid = self._new_id(now)
            session = Session(
                id=sid, org=org, respondent=respondent, role=role, workshop=workshop, banks=banks,
                answers=answers or {}, status=status, created=now, updated=now, position=position,
                rules_profile=rules_profile, lang=lang, baseline=baseline, sector=sector,
            )
            path = self._session_path(sid)
            with self._lock(f"session-{sid}"):
                db = self._db(path, create=True)
                db.table("session").insert(self._dump(session))
            try:
                self._index_put(session)
            except BaseException:
                # a session the user is told was not created must not linger on disk
                try:
                    path.unlink(missing_ok=True)
                except OSError:
                    pass
                raise
        return session

    @staticmethod
    def _dump(session: Session) -> dict[str, Any]:
        return {"schema": SCHEMA, **session.model_dump(mode="json", exclude_none=False)}

    def _load(self, sid: str, path: Path) -> Session:
        with self._reading_session(path):
            docs = self._db(path).table("session").all()
            if len(docs) != 1:
                raise StoreDamaged(path, f"it holds {len(docs)} session records instead of 1")
            return self._parse(path, dict(docs[0]))

    @staticmethod
    def _parse(path: Path, doc: dict[str, Any]) -> Session:
        doc = dict(doc)
        schema = doc.pop("schema", None)
        if not isinstance(schema, int) or isinstance(schema, bool):
            raise StoreDamaged(path, "its session record has no schema version")
        if schema > SCHEMA:
            raise StoreError(f"{path} was written by a newer selfcheck (schema {schema}); upgrade selfcheck to open it")
        try:
            session = Session.model_validate(doc)
        except ValidationError as e:
            raise invalid(path, "its session record", e) from None
        if path.suffix == ".json" and session.id != path.stem:
            raise StoreDamaged(path, f"its session record has the id {session.id!r:.40}, not {path.stem!r}")
        return session

    def get_session(self, ref: str) -> Session:
        sid = self.resolve(ref)
        return self._load(sid, self._session_path(sid))

    def resolve(self, ref: str) -> str:
        """A session id from its id or a unique prefix of it."""
        if not self._check_schema(create=False):
            raise SessionNotFound(ref)
        if not SESSION_ID.fullmatch(ref):  # also "", "*", "../x", ".hidden": a reference is never a pattern or a path
            raise SessionNotFound(ref)
        try:
            if self._session_path(ref).is_file():
                return ref
            matches = sorted(name[:-5] for name in os.listdir(self.root / "s")
                             if name.endswith(".json") and name.startswith(ref) and SESSION_ID.fullmatch(name[:-5]))
        except OSError as e:
            raise StoreError(f"cannot read the store folder {self.root / 's'}: {e.strerror or e}") from None
        if len(matches) == 1:
            return matches[0]
        raise SessionNotFound(ref, matches)

    def _update(self, ref: str, change: Callable[[dict[str, Any]], None], index: bool = False) -> Session:
        """Read-modify-write of one session under its lock; durable when this returns.

        The changed record is validated before it is written, so a bad change writes nothing. The
        index follows when asked, and always for a completed session (it keeps their final summaries).
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

        with self._lock(f"session-{sid}"), self._reading_session(path):
            table = self._db(path).table("session")
            ids = [doc.doc_id for doc in table.all()]
            if len(ids) != 1:
                raise StoreDamaged(path, f"it holds {len(ids)} session records instead of 1")
            table.update(transform, doc_ids=ids)
        if index or result[0].status == "completed":
            with self._lock("index"):
                self._index_put(result[0])
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

        return self._update(ref, change, index=True)

    def set_workshop(self, ref: str, workshop: str | None, role: str | None = None) -> Session:
        def change(doc: dict[str, Any]) -> None:
            doc["workshop"] = workshop
            if role is not None:
                doc["role"] = role or None

        return self._update(ref, change, index=True)

    def discard_if_empty(self, ref: str) -> bool:
        """Remove a session opened and left without a single answer (and in no workshop, where a
        participant who joined should stay visible). A session with any answer is never removed."""
        sid = self.resolve(ref)
        path = self._session_path(sid)
        with self._lock("index"):
            with self._lock(f"session-{sid}"):
                session = self._load(sid, path)
                if any(session.answers.values()) or session.status != "in_progress" or session.workshop:
                    return False
                try:
                    path.unlink()
                except OSError as e:
                    raise StoreError(f"cannot remove the empty session {path}: {e.strerror or e}") from None
            table = self._index().table("sessions")
            mine = [doc.doc_id for doc in table if doc.get("session_id") == sid]
            if mine:
                table.remove(doc_ids=mine)
        return True

    def put_session(self, session: Session) -> str:
        """Store a whole session made elsewhere (an import). Returns "added", "updated" or "unchanged".

        An existing session with the same id is replaced only by a newer version of itself.
        """
        if not SESSION_ID.fullmatch(session.id):
            raise StoreError(f"the session id {session.id!r:.60} cannot be used as a file name in the store")
        self._check_schema(create=True)
        path = self._session_path(session.id)
        with self._lock("index"):
            with self._lock(f"session-{session.id}"):
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
            try:
                self._index_put(session)
            except StoreError as e:
                if outcome == "added":  # not stored after all: take the new file away again
                    try:
                        path.unlink(missing_ok=True)
                    except OSError:
                        pass
                    raise
                raise StoreError(f"session {session.id} was updated in {path}, but the index could not be: {e} "
                                 f"Run `selfcheck sessions reindex` when the store can be written again.") from e
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

    def _workshops(self, table: Table) -> list[dict[str, Any]]:
        """Every workshop record; one that is not a workshop makes workshops.json damaged."""
        out = []
        for row in table.all():
            ok = (isinstance(row.get("name"), str) and isinstance(row.get("org"), str)
                  and isinstance(row.get("created"), str) and isinstance(row.get("banks"), list)
                  and all(isinstance(b, str) for b in row["banks"]))
            if not ok:
                raise StoreDamaged(self._workshops_path, f"a workshop record is invalid: {dict(row)!r:.80}")
            out.append(dict(row))
        return out

    def create_workshop(self, name: str, org: str, banks: list[str] | None = None) -> dict[str, Any]:
        self._check_schema(create=True)
        with self._lock("workshops"):
            table = self._db(self._workshops_path, create=True).table("workshops")
            if any(w["name"] == name for w in self._workshops(table)):
                raise WorkshopError(f"a workshop named {name!r} already exists")
            record = {"name": name, "org": org, "created": self.clock().isoformat(), "banks": banks or []}
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

    def _summaries(self, locked: bool = False, new: str | None = None) -> list[Summary]:
        """The index's summaries. A damaged index is rebuilt from the session files (they are the
        truth), after a copy of it was kept aside; so is a missing one when there are session files
        (other than `new`, the one being added)."""
        rows, damage = self._read_index(new)
        if rows is not None:
            return rows
        try:
            if locked:
                return self._rebuild_index(new)
            with self._lock("index"):
                return self._rebuild_index(new)
        except StoreDamaged:
            raise
        except StoreError as e:  # cannot write here (read-only, disk full): list from the files, change nothing
            what = f"damaged ({damage.problem})" if damage else "missing"
            self._problem(f"the index {self._index_path} is {what} and could not be rebuilt ({e}); the sessions "
                          f"were read from their files instead")
            return self._summaries_from_files()

    def _read_index(self, new: str | None) -> tuple[list[Summary] | None, StoreDamaged | None]:
        """(the summaries, None) when the index can be used; (None, its damage) when it is damaged,
        (None, None) when it is missing although there are session files (other than `new`)."""
        try:
            if self._index_path.exists() or not self._has_session_files(new):
                return self._index_rows(self._index().table("sessions")), None
            return None, None
        except StoreDamaged as e:
            if e.path != self._index_path:
                raise
            return None, e

    def _has_session_files(self, new: str | None = None) -> bool:
        folder = self.root / "s"
        try:
            return any(name.endswith(".json") and name != f"{new}.json" for name in os.listdir(folder))
        except FileNotFoundError:
            return False
        except OSError as e:
            raise StoreError(f"cannot read the store folder {folder}: {e.strerror or e}") from None

    def _summaries_from_files(self) -> list[Summary]:
        """A summary of every readable session file; the others are skipped with a problem recorded."""
        out = []
        for path in sorted((self.root / "s").glob("*.json")):
            try:
                out.append(Summary.of(self._load(path.stem, path)))
            except StoreError as e:
                self._problem(f"skipped: {e}")
        return out

    def _rebuild_index(self, new: str | None = None) -> list[Summary]:
        """Under the index lock: keep the damaged index aside and write one rebuilt from the files."""
        rows, damage = self._read_index(new)  # another process may have rebuilt it while we waited
        if rows is not None:
            return rows
        kept = self._keep_index_aside() if damage is not None else None
        summaries = self._summaries_from_files()
        data = {"sessions": {str(i): s.to_json() for i, s in enumerate(summaries, 1)}}
        AtomicJSONStorage(self._index_path, create=True).write(data)
        if damage is not None:
            self._problem(f"the index {self._index_path} was damaged ({damage.problem}); it was kept aside as "
                          f"{kept} and rebuilt from {len(summaries)} session files")
        else:
            self._problem(f"the index {self._index_path} was missing; it was rebuilt from {len(summaries)} session files")
        return summaries

    def _index_put(self, session: Session) -> None:
        """Under the index lock: add or replace the session's summary."""
        self._summaries(locked=True, new=session.id)  # never write into an index we cannot read back
        table = self._index().table("sessions")
        # not table.upsert: when nothing matches it writes the whole index twice (update, then insert)
        mine = [doc.doc_id for doc in table if doc.get("session_id") == session.id]
        if mine:
            table.update(Summary.of(session).to_json(), doc_ids=mine)
        else:
            table.insert(Summary.of(session).to_json())

    def list_sessions(self, org: str | None = None) -> list[Summary]:
        """Newest first. Summaries of sessions still in progress are read live from their files.

        A session whose file cannot be read is left out and the problem recorded in `self.problems`.
        """
        if not self._check_schema(create=False):
            return []
        out = []
        for summary in self._summaries():
            if org is not None and summary.org != org:
                continue
            if summary.status == "in_progress":
                try:
                    summary = Summary.of(self._load(summary.session_id, self._session_path(summary.session_id)))
                except StoreError as e:
                    self._problem(f"session {summary.session_id} was left out: {e}")
                    continue
            out.append(summary)
        out.sort(key=lambda s: (s.created, s.session_id), reverse=True)
        return out

    def reindex(self) -> int:
        """Rebuild the index from the session files (they are the truth); returns the count.

        Refuses (naming the file) when a session file cannot be read: every session must be indexed.
        A damaged index it replaces is kept aside first.
        """
        self._check_schema(create=True)
        with self._lock("index"):
            sessions = [self._load(p.stem, p) for p in sorted((self.root / "s").glob("*.json"))]
            try:
                read_json(self._index_path)
            except StoreDamaged:
                self._keep_index_aside()
            data = {"sessions": {str(i): Summary.of(s).to_json() for i, s in enumerate(sessions, 1)}}
            AtomicJSONStorage(self._index_path, create=True).write(data)
        return len(sessions)
