"""The session store on TinyDB: one small file per session plus an index, so saving an answer costs
the same with ten stored sessions or ten thousand, and so do creating a session, changing its
status and listing one organisation (the index is kept per organisation: store/index.py).

Layout of a store folder (default ./sessions):

    store.json            {"format": "selfcheck-store", "schema": 2}
    s/<session id>.json   TinyDB: the session and its answers, rewritten atomically per answer
    index.json, index/    the index: one summary per session, per organisation (store/index.py),
                          written when a session is created or changes status (never per answer
                          while it is in progress: that would grow with history)
    pending/              marks of changes under way to a session and the index (store/index.py)
    workshops.json        TinyDB: the workshops
    actions/<sha1>.json   the action plan of one organisation (store/actions.py)
    locks/                one lock file per session and one for the index (cross-process)
    damaged/              copies of damaged session files, <file name>.<UTC time> (the originals stay)

Damage is never repaired by throwing data away. A damaged session file is refused with a message
naming it and a copy kept aside; listing skips it and records the problem in `store.problems`.
The index is derived from the session files: an index file in doubt is copied aside
(<name>.damaged-<UTC time>) and the index rebuilt from them, with a problem recorded. A damaged
or newer store.json and a damaged workshops.json are refused, naming the file. A store of schema 1
(one index.json for every session) is upgraded when it is opened: its index is written anew.
"""

from __future__ import annotations

import os
import secrets
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from ..domain.answers import Answer, Position, Session
from .actions import ActionStore
from .atomic import AtomicJSONStorage
from .damaged import DamageKeeper
from .errors import SessionNotFound, StoreDamaged, StoreError, WorkshopError
from .index import IndexStore
from .index_files import org_hash
from .locking import LOCK_TIMEOUT, FolderLocks
from .schema import FORMAT, SCHEMA, StoreSchema
from .sessions_files import SESSION_SCHEMA, SessionFiles
from .summary import SESSION_ID, Summary
from .workshops import WorkshopStore

# importable from here as before (folder.py, postgres.py and the tests import them from store.tiny)
__all__ = ["TinyStore", "Clock", "local_now", "FORMAT", "SCHEMA", "SESSION_SCHEMA", "LOCK_TIMEOUT"]

Clock = Callable[[], datetime]


def local_now() -> datetime:
    return datetime.now(timezone.utc).astimezone()


class _NeedsIndex(Exception):
    """A change to a completed session: its summary in the index changes too (store._update)."""


class TinyStore(SessionFiles, StoreSchema, FolderLocks, DamageKeeper, ActionStore, IndexStore, WorkshopStore):
    """The store in a folder; its parts are mixins: store/sessions_files.py, schema.py, locking.py,
    damaged.py, actions.py, index.py, workshops.py. Here: creating, changing and listing sessions."""

    def __init__(self, root: Path | str, clock: Clock = local_now, ids: Callable[[datetime], str] | None = None):
        self.root = Path(root)
        self.clock = clock
        self._ids = ids  # tests give fixed ids; by default the date and six random hex digits
        self._checked = False
        self._unlocked: StoreError | None = None  # why a reader went on without the index lock
        self._legacy = False  # a schema 1 store that could not be upgraded (read-only): read from the files
        self._held = threading.local()  # the locks this thread holds (taking one again is a no-op)
        self._swept = False  # s/ (large) is swept of killed writers' temp files by this store's first write
        # what went wrong without stopping the operation (a damaged session skipped by a listing, a
        # rebuilt index), one message each, for the caller to show as warnings
        self.problems: list[str] = []

    def _problem(self, message: str) -> None:
        if message not in self.problems:
            self.problems.append(message)

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

            def write() -> Session:
                self._db(path, create=True).table("session").insert(self._dump(session))
                return session

            with self._lock(f"session-{sid}"):
                self._write_indexed(sid, org, write, added=True, new_file=True)
        return session

    def _write_indexed(self, sid: str, org: str, write: Callable[[], Session], *, added: bool,
                       new_file: bool) -> Session:
        """Under the index and session locks: mark the change, write the session file, index what was
        written (`added`: the index did not have it), unmark.

        A new file (`new_file`) whose summary cannot be indexed is taken away again (the user is told
        the session was not stored); a changed one stays changed, and its mark makes the next reader
        index it."""
        h = org_hash(org)
        self._mark(h, sid)
        try:
            session = write()
        except BaseException:
            self._unmark(h, sid)
            raise
        try:
            self._index_put(session, added=added)
        except BaseException:
            if new_file:
                try:
                    self._session_path(sid).unlink(missing_ok=True)
                except OSError:
                    raise  # the mark stays: the next reader indexes the file
                self._unmark(h, sid)
            raise
        self._unmark(h, sid)
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
        index follows when asked, and always for a completed session (it keeps their final summaries):
        then the index lock is taken first, the session's second, and both are held until the index
        has followed, so that two changes can never leave the file and the index disagreeing.
        """
        sid = self.resolve(ref)
        path = self._session_path(sid)
        now = self.clock().isoformat()
        if not index:  # an answer to a session in progress: its lock alone
            with self._lock(f"session-{sid}"):
                try:
                    return self._rewrite(sid, path, change, now, in_progress_only=True)
                except _NeedsIndex:
                    pass  # completed: its status changes only under the index lock, so ask for that first
        with self._lock("index"), self._lock(f"session-{sid}"):
            org = self._load(sid, path).org  # never changes
            return self._write_indexed(sid, org, lambda: self._rewrite(sid, path, change, now), added=False,
                                       new_file=False)

    def _rewrite(self, sid: str, path: Path, change: Callable[[dict[str, Any]], None], now: str,
                 in_progress_only: bool = False) -> Session:
        """Under the session's lock: apply `change` to its record and write the file (atomically)."""
        result: list[Session] = []

        def transform(doc: dict[str, Any]) -> None:
            current = self._parse(path, doc)  # refuses a damaged or newer record before anything is written
            if in_progress_only and current.status != "in_progress":
                raise _NeedsIndex
            change(doc)
            doc["updated"] = now
            result.append(self._parse(path, doc))

        with self._reading_session(path):
            if not path.exists():
                raise SessionNotFound(sid)
            table = self._db(path).table("session")
            ids = [doc.doc_id for doc in table.all()]
            if len(ids) != 1:
                raise StoreDamaged(path, f"it holds {len(ids)} session records instead of 1")
            table.update(transform, doc_ids=ids)
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
        with self._lock("index"), self._lock(f"session-{sid}"):
            session = self._load(sid, path)
            if any(session.answers.values()) or session.status != "in_progress" or session.workshop:
                return False
            h = org_hash(session.org)
            self._mark(h, sid)
            try:
                path.unlink()
            except OSError as e:
                self._unmark(h, sid)
                raise StoreError(f"cannot remove the empty session {path}: {e.strerror or e}") from None
            self._index_drop(sid, session.org)  # if this fails, the mark stays: the next reader drops it
            self._unmark(h, sid)
        return True

    def put_session(self, session: Session) -> str:
        """Store a whole session made elsewhere (an import). Returns "added", "updated" or "unchanged".

        An existing session with the same id is replaced only by a newer version of itself. An
        unchanged one is still indexed if the index lacks it (an import killed half way).
        """
        if not SESSION_ID.fullmatch(session.id):
            raise StoreError(f"the session id {session.id!r:.60} cannot be used as a file name in the store")
        self._check_schema(create=True)
        path = self._session_path(session.id)
        with self._lock("index"), self._lock(f"session-{session.id}"):
            known = self._summaries(session.org)
            indexed = next((s for s in known if s.session_id == session.id), None)
            if path.exists():
                current = self._load(session.id, path)
                if current.org != session.org or current.created != session.created:
                    raise StoreError(f"a different session with the id {session.id} is already in this store")
                if session.updated <= current.updated:
                    if indexed != Summary.of(current):
                        self._index_put(current, added=indexed is None)
                    return "unchanged"
                outcome = "updated"
            else:
                outcome = "added"
            data = {"session": {"1": self._dump(session)}}

            def write() -> Session:
                AtomicJSONStorage(path, create=True).write(data)
                return session

            try:
                self._write_indexed(session.id, session.org, write, added=indexed is None,
                                    new_file=outcome == "added")
            except StoreError as e:
                if outcome == "added" or not path.exists():
                    raise
                raise StoreError(f"session {session.id} was updated in {path}, but the index could not be: {e} "
                                 f"Run `selfcheck sessions reindex` when the store can be written again.") from e
        return outcome

    def sessions(self, org: str | None = None, workshop: str | None = None) -> list[Session]:
        """Whole sessions (with answers), oldest first, of one organisation and/or one workshop."""
        if org is None and workshop is not None:
            try:  # a workshop's sessions are of its organisation (joining checks it): list that one only
                org = self.get_workshop(workshop)["org"]
            except WorkshopError:
                pass  # a workshop removed since: its sessions may be anywhere
        out = []
        for summary in self.list_sessions(org):
            if workshop is not None and summary.workshop != workshop:
                continue
            try:
                out.append(self._load(summary.session_id, self._session_path(summary.session_id)))
            except SessionNotFound:
                continue  # removed since it was listed
        out.sort(key=lambda s: (s.created, s.id))
        return out

    # -- listing ---------------------------------------------------------------------------

    def list_sessions(self, org: str | None = None, scored: bool = False) -> list[Summary]:
        """Newest first. Summaries of sessions still in progress are read live from their files.

        `scored`: each summary carries its scores under the current banks (Summary.scores); those
        missing or stale are computed from the session files and kept in the index (index_scores.py).

        A session whose file cannot be read is left out and the problem recorded in `self.problems`.
        """
        if not self._check_schema(create=False):
            return []
        summaries = self._summaries_from_files(org) if getattr(self, "_legacy", False) else self._summaries(org)
        out = []
        for summary in summaries:
            if org is not None and summary.org != org:
                continue
            if summary.status == "in_progress":
                try:
                    summary = Summary.of(self._load(summary.session_id, self._session_path(summary.session_id)),
                                         scored=scored)
                except SessionNotFound:
                    continue  # removed since it was indexed
                except StoreError as e:
                    self._problem(f"session {summary.session_id} was left out: {e}")
                    continue
            out.append(summary)
        out.sort(key=lambda s: (s.created, s.session_id), reverse=True)
        return self._scored(out) if scored else out

    def reindex(self) -> int:
        """Rebuild the index from the session files (they are the truth); returns the count.

        Refuses (naming the file) when a session file cannot be read: every session must be indexed.
        A damaged index file it replaces is kept aside first.
        """
        self._check_schema(create=True)
        with self._lock("index"):
            sessions = [self._load(sid, self._session_path(sid)) for sid in sorted(self._session_ids())]
            self._check_index_files()
            self._write_index([Summary.of(s) for s in sessions])
        return len(sessions)
