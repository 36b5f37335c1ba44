"""The session store on a PostgreSQL server (--db postgresql://user:pass@host:port/dbname), for an
association that runs self-checks for many organisations from several machines at once.

The same methods as TinyStore (store/tiny.py), so nothing above the store changes. Each session is one
row: the same JSON document the folder store writes (`TinyStore._dump`, parsed back with the same
model), plus the columns that listing orders and filters by, plus its summary (`Summary.of`, the one
the folder store's index holds), rewritten in the same transaction as every answer. One transaction
per answer; the row lock (SELECT … FOR UPDATE) does what the session's lock file does, advisory locks
what the index and per-organisation lock files do. Tables, indexes and the schema version:
store/postgres_db.py; workshops and action plans: store/postgres_plans.py.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any, Callable

from psycopg import Cursor
from psycopg.types.json import Jsonb

from ..domain.answers import Answer, Position, Session
from .errors import SessionNotFound, StoreError
from .postgres_db import Database, RowDamaged
from .postgres_plans import PlanStore
from .summary import SESSION_ID, Summary
from .sessions_files import session_of_record
from .tiny import Clock, TinyStore, local_now

_COLUMNS = "id, org, workshop, status, created, updated, doc, summary"
_BATCH = 500  # rows per statement when summaries are written anew


def _summary(session: Session) -> Summary:
    """The summary kept with a session, as the folder store's index keeps it: with its scores once it is
    completed; one in progress is scored when a listing asks for scores (list_sessions(scored=True))."""
    return Summary.of(session, scored=session.status == "completed")


def _row(session: Session) -> tuple[Any, ...]:
    """The row of a session, in the order of _COLUMNS."""
    return (session.id, session.org, session.workshop, session.status, session.created, session.updated,
            Jsonb(TinyStore._dump(session)), Jsonb(_summary(session).to_json()))


def _rewrite(cur: Cursor[Any], session: Session) -> None:
    """Write a changed session over its row (id, org and created never change)."""
    sid, _org, workshop, status, _created, updated, doc, summary = _row(session)
    cur.execute("UPDATE selfcheck_sessions SET workshop = %s, status = %s, updated = %s, doc = %s, summary = %s "
                "WHERE id = %s", (workshop, status, updated, doc, summary, sid))


def parse(sid: str, doc: Any) -> Session:
    """A session from its stored document; RowDamaged (left as it is) when it is not one."""
    where = f"selfcheck_sessions {sid}"
    return session_of_record(doc, sid, where, lambda problem: RowDamaged(where, problem))


def _basis() -> str | None:
    """The fingerprint of the banks and scoring code scores are computed under now (None: none can be)."""
    from ..domain.digest import shipped_library

    library = shipped_library()
    return library.fingerprint if library is not None and library.fingerprint else None


class PostgresStore(PlanStore):
    """TinyStore's methods on a PostgreSQL database; `problems` as TinyStore's (what a listing left out)."""

    def __init__(self, url: str, clock: Clock = local_now, ids: Callable[[datetime], str] | None = None):
        self.db = Database(url)
        self.url = url  # for the processes this one starts (selfcheck serve's participants)
        self.root = self.db.shown  # where the store is, as messages show it: never the password
        self.clock = clock
        self._ids = ids
        self._checked = False
        self.problems: list[str] = []

    def close(self) -> None:
        self.db.close()

    def _problem(self, message: str) -> None:
        if message not in self.problems:
            self.problems.append(message)

    def _check_schema(self, create: bool) -> bool:
        if self._checked:
            return True
        exists = self.db.check_schema(create)
        self._checked = exists
        return exists

    # -- sessions --------------------------------------------------------------------------

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

        def work(cur: Cursor[Any]) -> Session:
            while True:
                sid = self._ids(now) if self._ids else f"{now:%Y%m%d}-{secrets.token_hex(3)}"
                session = Session(
                    id=sid, org=org, respondent=respondent, role=role, workshop=workshop, banks=banks,
                    answers=answers or {}, status=status, created=now, updated=now, position=position,
                    rules_profile=rules_profile, lang=lang, baseline=baseline, sector=sector,
                )
                cur.execute(f"INSERT INTO selfcheck_sessions ({_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "
                            f"ON CONFLICT (id) DO NOTHING", _row(session))
                if cur.rowcount == 1:  # an id taken already (by another writer too): draw again
                    return session

        return self.db.run(work)

    def resolve(self, ref: str) -> str:
        """A session id from its id or a unique prefix of it."""
        if not SESSION_ID.fullmatch(ref) or not self._check_schema(create=False):
            raise SessionNotFound(ref)
        return self.db.run(lambda cur: self._resolve(cur, ref), read=True)

    @staticmethod
    def _resolve(cur: Cursor[Any], ref: str) -> str:
        cur.execute("SELECT id FROM selfcheck_sessions WHERE id LIKE %s ORDER BY id LIMIT 50",
                    (ref.replace("_", r"\_") + "%",))  # the id pattern allows _ (a LIKE wildcard), never % or \
        matches = [row[0] for row in cur.fetchall()]
        if ref in matches or len(matches) == 1:
            return ref if ref in matches else matches[0]
        raise SessionNotFound(ref, matches)

    def _locked(self, cur: Cursor[Any], ref: str, lock: bool = True) -> tuple[str, Any]:
        """In a transaction: the id and document of the session `ref` names, its row locked (FOR UPDATE)
        until the transaction ends, when `lock`. One query when `ref` is a whole id."""
        if not SESSION_ID.fullmatch(ref) or not self._check_schema(create=False):
            raise SessionNotFound(ref)
        query = "SELECT doc FROM selfcheck_sessions WHERE id = %s" + (" FOR UPDATE" if lock else "")
        cur.execute(query, (ref,))
        row = cur.fetchone()
        sid = ref
        if row is None:  # a prefix
            sid = self._resolve(cur, ref)
            cur.execute(query, (sid,))
            row = cur.fetchone()
            if row is None:
                raise SessionNotFound(ref)
        return sid, row[0]

    def get_session(self, ref: str) -> Session:
        return parse(*self.db.run(lambda cur: self._locked(cur, ref, lock=False), read=True))

    def _update(self, ref: str, change: Callable[[dict[str, Any]], None], index: bool = False) -> Session:
        """Read-modify-write of one session under its row lock, in one transaction; durable (committed,
        synchronous_commit=on) when this returns. The changed record is validated before it is written, so
        a bad change writes nothing. Its summary is rewritten with it, always (`index` is the folder
        store's: which changes reach its index)."""
        now = self.clock().isoformat()

        def work(cur: Cursor[Any]) -> Session:
            sid, stored = self._locked(cur, ref)
            parse(sid, stored)  # refuses a damaged or newer record before anything is written
            doc = dict(stored)
            change(doc)
            doc["updated"] = now
            session = parse(sid, doc)
            _rewrite(cur, session)
            return session

        return self.db.run(work)

    # what each change does to the document is the folder store's own code; how it is written differs (_update)
    record_answer = TinyStore.record_answer
    set_position = TinyStore.set_position
    set_status = TinyStore.set_status
    set_workshop = TinyStore.set_workshop

    def discard_if_empty(self, ref: str) -> bool:
        """Remove a session opened and left without a single answer (and in no workshop). A session with
        any answer is never removed."""
        def work(cur: Cursor[Any]) -> bool:
            sid, stored = self._locked(cur, ref)
            session = parse(sid, stored)
            if any(session.answers.values()) or session.status != "in_progress" or session.workshop:
                return False
            cur.execute("DELETE FROM selfcheck_sessions WHERE id = %s", (sid,))
            return True

        return self.db.run(work)

    def put_session(self, session: Session) -> str:
        """Store a whole session made elsewhere (an import). Returns "added", "updated" or "unchanged";
        an existing session with the same id is replaced only by a newer version of itself."""
        if not SESSION_ID.fullmatch(session.id):
            raise StoreError(f"the session id {session.id!r:.60} cannot be used as a file name in the store")
        self._check_schema(create=True)

        def work(cur: Cursor[Any]) -> str:
            cur.execute(f"INSERT INTO selfcheck_sessions ({_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "
                        f"ON CONFLICT (id) DO NOTHING", _row(session))
            if cur.rowcount == 1:
                return "added"
            cur.execute("SELECT doc FROM selfcheck_sessions WHERE id = %s FOR UPDATE", (session.id,))
            current = parse(session.id, cur.fetchone()[0])
            if current.org != session.org or current.created != session.created:
                raise StoreError(f"a different session with the id {session.id} is already in this store")
            if session.updated <= current.updated:
                return "unchanged"
            _rewrite(cur, session)
            return "updated"

        return self.db.run(work)

    def sessions(self, org: str | None = None, workshop: str | None = None) -> list[Session]:
        """Whole sessions (with answers), oldest first, of one organisation and/or one workshop: one query."""
        out = []
        for sid, doc in self._select("id, doc", org, workshop, "created, id"):
            try:
                out.append(parse(sid, doc))
            except StoreError as e:
                self._problem(f"session {sid} was left out: {e}")
        return out

    def _select(self, columns: str, org: str | None, workshop: str | None, order: str) -> list[tuple[Any, ...]]:
        """The rows of one organisation and/or one workshop (all when neither is given): one query, on an index."""
        if not self._check_schema(create=False):
            return []
        terms = [(name, value) for name, value in (("org", org), ("workshop", workshop)) if value is not None]
        where = " WHERE " + " AND ".join(f"{name} = %s" for name, _ in terms) if terms else ""
        query = f"SELECT {columns} FROM selfcheck_sessions{where} ORDER BY {order}"
        return self.db.run(lambda cur: cur.execute(query, tuple(v for _, v in terms)).fetchall(), read=True)

    # -- listing ---------------------------------------------------------------------------

    def list_sessions(self, org: str | None = None, scored: bool = False) -> list[Summary]:
        """Newest first, one query (an organisation's own index).

        `scored`: each summary carries its scores under the current banks (Summary.scores); those missing
        or stale are computed from the documents (one more query) and kept, as the folder store does. A
        stored summary that cannot be read (written by another selfcheck) is made anew from its document
        and kept; a session whose document cannot be read either is left out and the problem recorded
        in `self.problems`."""
        basis = _basis() if scored else None
        out: list[Summary | str] = []  # a summary, or the id of a session to summarise from its document
        broken = set()
        for sid, row in self._select("id, summary", org, None, "created DESC, id DESC"):
            try:
                summary = Summary.from_json(row)
            except ValueError:
                out.append(sid)
                broken.add(sid)
                continue
            stale = basis is not None and (summary.status != "completed" or summary.scores is None
                                           or summary.scores.get("basis") != basis)
            out.append(sid if stale else summary)
        redo = [x for x in out if isinstance(x, str)]
        fresh = self._summaries_of(redo, scored, broken) if redo else {}
        return [x if isinstance(x, Summary) else fresh[x] for x in out if isinstance(x, Summary) or x in fresh]

    def _summaries_of(self, ids: list[str], scored: bool, broken: set[str]) -> dict[str, Summary]:
        """Summaries made from the documents; those of completed sessions, and those that could not be
        read, kept in their rows (unless a writer changed the row meanwhile: the next listing makes
        them again)."""

        def read(cur: Cursor[Any]) -> list[tuple[str, Any, datetime]]:
            cur.execute("SELECT id, doc, updated FROM selfcheck_sessions WHERE id = ANY(%s)", (ids,))
            return cur.fetchall()

        out, keep = {}, []
        for sid, doc, updated in self.db.run(read, read=True):
            try:
                session = parse(sid, doc)
            except StoreError as e:
                self._problem(f"session {sid} was left out: {e}")
                continue
            kept = _summary(session)
            out[sid] = Summary.of(session, scored=True) if scored and session.status != "completed" else kept
            if session.status == "completed" or sid in broken:
                keep.append((Jsonb(kept.to_json()), sid, updated))

        def write(cur: Cursor[Any]) -> None:
            cur.executemany("UPDATE selfcheck_sessions SET summary = %s WHERE id = %s AND updated = %s", keep)

        if keep:
            try:
                self.db.run(write)
            except StoreError:
                pass  # a cache: the next listing makes them again
        return out

    def reindex(self) -> int:
        """Write every session's summary anew from its document (the truth); returns the count. Refuses,
        naming the session, when a document cannot be read: every session must be summarised."""
        self._check_schema(create=True)

        def work(cur: Cursor[Any]) -> int:
            # every row locked until the summaries are written: a save meanwhile waits, never overwritten
            cur.execute("SELECT id, doc FROM selfcheck_sessions ORDER BY id FOR UPDATE")
            rows = cur.fetchall()
            for start in range(0, len(rows), _BATCH):
                batch = [(Jsonb(_summary(parse(sid, doc)).to_json()), sid) for sid, doc in rows[start:start + _BATCH]]
                cur.executemany("UPDATE selfcheck_sessions SET summary = %s WHERE id = %s", batch)
            return len(rows)

        return self.db.run(work)
