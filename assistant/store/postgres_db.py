"""The PostgreSQL side of the server store: the address (never shown with its password), the connection
pool, one transaction per operation with retries, the errors said to the user, and the schema the
program creates and upgrades itself (recorded in selfcheck_meta).

Only assistant/store/postgres*.py import this module, and only when --db or SELFCHECK_DB is a
postgresql:// URL: psycopg is loaded by nobody else.
"""

from __future__ import annotations

import atexit
import re
import threading
import time
from contextlib import contextmanager, nullcontext
from typing import Any, Callable, Iterator, TypeVar

import psycopg
from psycopg import errors as pgerrors
from psycopg_pool import ConnectionPool, PoolTimeout

from .errors import StoreDamaged, StoreError

SCHEMA = 1  # of the tables (selfcheck_meta "schema"); refuse a newer one
URL_PREFIXES = ("postgresql://", "postgres://")
LOCK_SPACE = 0x5E1F  # the first key of every advisory lock selfcheck takes (the second names what is locked)
CONNECT_TIMEOUT = 10  # seconds
POOL_SIZE = 4  # connections per process at most (a served participant is one process; 8 writers, 8 processes)
RETRIES = 8  # a transaction that lost a serialization conflict or a deadlock is run again this often

T = TypeVar("T")

# the schema, created by the program; each version a list of statements run in one transaction
MIGRATIONS: dict[int, list[str]] = {
    1: [
        # every session as the same JSON document the folder store writes, plus the columns the
        # queries select and order by; the summary (store/summary.py) is kept with it, per answer
        """CREATE TABLE IF NOT EXISTS selfcheck_sessions (
               id text PRIMARY KEY,
               org text NOT NULL,
               workshop text,
               status text NOT NULL,
               created timestamptz NOT NULL,
               updated timestamptz NOT NULL,
               doc jsonb NOT NULL,
               summary jsonb NOT NULL)""",
        # one organisation's history, newest first; the whole store's; one workshop's respondents
        "CREATE INDEX IF NOT EXISTS selfcheck_sessions_org ON selfcheck_sessions (org, created DESC, id DESC)",
        "CREATE INDEX IF NOT EXISTS selfcheck_sessions_created ON selfcheck_sessions (created DESC, id DESC)",
        "CREATE INDEX IF NOT EXISTS selfcheck_sessions_workshop ON selfcheck_sessions (workshop, created, id) "
        "WHERE workshop IS NOT NULL",
        # a session named by a prefix of its id (LIKE 'prefix%')
        "CREATE INDEX IF NOT EXISTS selfcheck_sessions_prefix ON selfcheck_sessions (id text_pattern_ops)",
        # the record as the folder store keeps it (name, org, created, banks and what else it holds)
        """CREATE TABLE IF NOT EXISTS selfcheck_workshops (
               name text PRIMARY KEY,
               doc jsonb NOT NULL,
               seq bigserial NOT NULL)""",
        """CREATE TABLE IF NOT EXISTS selfcheck_join_failures (
               workshop text NOT NULL,
               at double precision NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS selfcheck_join_failures_at ON selfcheck_join_failures (workshop, at)",
        """CREATE TABLE IF NOT EXISTS selfcheck_actions (
               org text NOT NULL,
               number integer NOT NULL,
               doc jsonb NOT NULL,
               PRIMARY KEY (org, number))""",
    ],
}

def is_url(text: object) -> bool:
    return isinstance(text, str) and text.startswith(URL_PREFIXES)


def masked(url: str) -> str:
    """The address without its password: what messages show."""
    url = re.sub(r"(://[^:/@?#]*):[^@/?#]*@", r"\1:***@", url)
    return re.sub(r"(?i)(password=)[^&\s]*", r"\1***", url)


def _reason(error: BaseException, url: str) -> str:
    """psycopg's message in one line, never with the password in it."""
    text = " ".join(str(error).split()) or type(error).__name__
    password = _conninfo(url).get("password")
    if password:
        text = text.replace(str(password), "***")
    return masked(text)


def _conninfo(url: str) -> dict[str, Any]:
    """The parts of the address; {} when it cannot be read (connecting then says why)."""
    try:
        return psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.Error:
        return {}


class RowDamaged(StoreDamaged):
    """A record in the server's tables that cannot be read as what it should be; it is left as it is."""

    def __init__(self, where: str, problem: str):
        self.path = where  # type: ignore[assignment]  # a table and key, not a file
        self.problem = problem
        self.kept = self.kept_failed = None
        StoreError.__init__(self, f"the store record {where} is damaged: {problem}. It was left as it is "
                                  f"(nothing was overwritten); restore it from a backup or remove it to go on.")


_POOLS: dict[str, ConnectionPool] = {}  # one pool per address and process, whatever opens the store how often
_OPENING = threading.Lock()


class Database:
    """One PostgreSQL database through this process's pool of connections to it, opened at the first use."""

    def __init__(self, url: str):
        self.url = url
        self.shown = masked(url)
        self._local = threading.local()  # the cursor of the transaction this thread is in, if any

    def _unreachable(self, error: BaseException) -> StoreError:
        return StoreError(f"cannot reach the PostgreSQL store {self.shown} ({_reason(error, self.url)}). Check that "
                          f"the server is running and that the address, user and password are right "
                          f"(--db or SELFCHECK_DB)")

    def pool(self) -> ConnectionPool:
        with _OPENING:
            if self.url not in _POOLS:
                given = _conninfo(self.url)
                kwargs = {"autocommit": True,  # reads are single statements; writes say BEGIN (transaction())
                          "connect_timeout": given.get("connect_timeout", CONNECT_TIMEOUT),
                          "application_name": given.get("application_name", "selfcheck"),
                          # an answer acknowledged is on the server's disk, whatever the server's default
                          # (added to the URL's own options, such as a search_path)
                          "options": f"{given.get('options', '')} -c synchronous_commit=on".strip()}
                try:  # one connection first, for a clear reason when the server cannot be reached
                    psycopg.connect(self.url, **kwargs).close()
                except psycopg.Error as e:
                    raise self._unreachable(e) from None
                pool = ConnectionPool(self.url, kwargs=kwargs, min_size=1, max_size=POOL_SIZE, open=True,
                                      name="selfcheck", timeout=60)
                atexit.register(pool.close)
                _POOLS[self.url] = pool
        return _POOLS[self.url]

    def close(self) -> None:
        """Close this process's connections to the database (the next use opens them again)."""
        with _OPENING:
            pool = _POOLS.pop(self.url, None)
        if pool is not None:
            pool.close()

    @contextmanager
    def transaction(self, read: bool = False) -> Iterator[psycopg.Cursor[Any]]:
        """One transaction (committed when the block ends, rolled back when it raises), or the one this
        thread is already in. `read`: statements that only read, each on its own (no BEGIN and COMMIT:
        one round trip for a listing). psycopg's errors become StoreErrors that say what failed."""
        current = getattr(self._local, "cursor", None)
        if current is not None:
            yield current
            return
        try:
            with self.pool().connection() as conn:
                with nullcontext() if read else conn.transaction(), conn.cursor() as cur:
                    self._local.cursor = cur
                    try:
                        yield cur
                    finally:
                        self._local.cursor = None
        except PoolTimeout:
            raise StoreError(f"the store {self.shown} is busy (another selfcheck holds every connection); "
                             f"try again") from None
        except (pgerrors.SerializationFailure, pgerrors.DeadlockDetected):
            raise  # run() runs it again
        except psycopg.OperationalError as e:
            raise self._unreachable(e) from None
        except psycopg.Error as e:
            raise StoreError(f"the PostgreSQL store {self.shown} answered with an error: {_reason(e, self.url)}") from None

    def run(self, work: Callable[[psycopg.Cursor[Any]], T], read: bool = False) -> T:
        """`work` in one transaction, run again (from the start) when it lost a serialization conflict
        or a deadlock to another writer; durable when this returns. `read`: see transaction()."""
        for attempt in range(RETRIES):
            try:
                with self.transaction(read) as cur:
                    return work(cur)
            except (pgerrors.SerializationFailure, pgerrors.DeadlockDetected):
                if getattr(self._local, "cursor", None) is not None or attempt == RETRIES - 1:
                    raise StoreError(f"the store {self.shown} is busy (other writers kept conflicting); "
                                     f"try again") from None
                time.sleep(0.005 * 2 ** attempt)
        raise AssertionError("unreachable")

    @staticmethod
    def lock(cur: psycopg.Cursor[Any], what: str) -> None:
        """Hold the advisory lock `what` until the transaction ends (what the folder store's lock files do)."""
        cur.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (LOCK_SPACE, what))

    def check_schema(self, create: bool) -> bool:
        """Do the tables exist? Creates them when asked, upgrades an older schema, refuses a newer one."""

        def work(cur: psycopg.Cursor[Any]) -> bool:
            self.lock(cur, "schema")
            # pg_class read by this statement's snapshot (to_regclass may answer from a catalog cache
            # that the advisory lock does not refresh, and miss a table another writer just made)
            cur.execute("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables WHERE tablename = 'selfcheck_meta' "
                        "AND schemaname = current_schema())")
            exists = cur.fetchone()[0]
            meta: dict[str, str] = {}
            if exists:
                cur.execute("SELECT key, value FROM selfcheck_meta")
                meta = dict(cur.fetchall())
            elif not create:
                return False
            else:
                cur.execute("CREATE TABLE IF NOT EXISTS selfcheck_meta (key text PRIMARY KEY, value text NOT NULL)")
            version = meta.get("schema", "0")
            if not version.isdigit():
                raise RowDamaged("selfcheck_meta schema", f"it names schema {version!r:.20}, which no selfcheck writes")
            if int(version) > SCHEMA:
                raise StoreError(f"the store {self.shown} was written by a newer selfcheck (selfcheck_meta says "
                                 f"schema {version}, this one reads {SCHEMA}); upgrade selfcheck to open it")
            if int(version) < SCHEMA:  # created or upgraded here; a current one is only read (a read-only user can)
                for step in range(int(version) + 1, SCHEMA + 1):
                    for statement in MIGRATIONS[step]:
                        cur.execute(statement)
                cur.execute("INSERT INTO selfcheck_meta VALUES ('schema', %s) ON CONFLICT (key) DO UPDATE "
                            "SET value = EXCLUDED.value", (str(SCHEMA),))
            return True

        return self.run(work)
