"""A PostgreSQL server for the tests: $SELFCHECK_TEST_PG (a postgresql:// URL) when set, else a throwaway
cluster started here (initdb in a temporary folder, a free local port, its socket in that folder,
synchronous_commit=on) as a non-root user (as root: the system user `selfcheck-pg`, made when missing),
stopped when the test session ends.

Without a server (no PostgreSQL binaries, initdb failing) the PostgreSQL tests are skipped with the
reason said loudly, except under CI (CI=true), where that is a failure: CI must run them.
Every test gets a schema of its own (search_path in the URL), dropped afterwards.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path
from urllib.parse import quote

import pytest

ENV = "SELFCHECK_TEST_PG"
BIN_DIRS = [Path(p) for p in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)]
USER = "selfcheck-pg"


def _tool(name: str) -> str | None:
    for folder in BIN_DIRS:
        if (folder / name).exists():
            return str(folder / name)
    return shutil.which(name)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A throwaway cluster: `start()` gives its URL, `stop()` stops it and removes its folder."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="selfcheck-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self.as_user: list[str] = []

    def _run(self, *argv: str) -> None:
        done = subprocess.run([*self.as_user, *argv], capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{Path(argv[0]).name} failed: {(done.stderr or done.stdout).strip()[-800:]}")

    def start(self) -> str:
        initdb, pg_ctl = _tool("initdb"), _tool("pg_ctl")
        if not initdb or not pg_ctl:
            raise RuntimeError("no PostgreSQL binaries (initdb, pg_ctl) on this machine; install Debian's "
                               "`postgresql` or set SELFCHECK_TEST_PG=postgresql://…")
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            try:
                pwd.getpwnam(USER)
            except KeyError:
                subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER],
                               check=True, capture_output=True)
            entry = pwd.getpwnam(USER)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
            self.as_user = ["runuser", "-u", USER, "--"]
        self._run(initdb, "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync",
                  "--locale=C")
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c synchronous_commit=on "
                   f"-c fsync=on -c max_connections=200")
        self._run(pg_ctl, "-D", str(self.data), "-l", str(self.folder / "log"), "-o", options, "-w", "-t", "60",
                  "start")
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        pg_ctl = _tool("pg_ctl")
        if pg_ctl and (self.data / "postmaster.pid").exists():
            subprocess.run([*self.as_user, pg_ctl, "-D", str(self.data), "-m", "immediate", "-w", "stop"],
                           capture_output=True, timeout=60)
        shutil.rmtree(self.folder, ignore_errors=True)


def no_server(why: str) -> None:
    """Skip, loudly; under CI (CI=true) fail instead: CI must run the PostgreSQL tests."""
    reason = f"PostgreSQL store tests NOT RUN: {why}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the PostgreSQL tests must run in CI)", pytrace=False)
    warnings.warn(reason, stacklevel=2)
    print(f"\n*** {reason} ***", file=sys.stderr)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_server():
    """The server's URL, or a skip (a failure under CI) saying why there is none."""
    if os.environ.get(ENV):
        yield os.environ[ENV]
        return
    cluster = Cluster()
    try:
        url = cluster.start()
    except (RuntimeError, OSError, subprocess.SubprocessError) as e:
        cluster.stop()
        no_server(str(e))
    try:
        yield url
    finally:
        cluster.stop()


def with_schema(url: str, schema: str) -> str:
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture
def pg_url(pg_server):
    """A URL of the test server whose tables land in a schema of this test's own (dropped afterwards)."""
    import psycopg

    schema = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    url = with_schema(pg_server, schema)
    try:
        yield url
    finally:
        from assistant.store.postgres_db import Database

        Database(url).close()  # this process's pool for it (the server's connections are few)
        with psycopg.connect(pg_server, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


BACKENDS = ["folder", "postgres"]


@pytest.fixture(params=BACKENDS)
def any_store(request, tmp_path, clock):
    """The store contract's store: a folder store, then a PostgreSQL one (the same tests run on both)."""
    if request.param == "folder":
        from assistant.store import TinyStore

        return TinyStore(tmp_path / "sessions", clock=clock)
    from assistant.store.postgres import PostgresStore

    store = PostgresStore(request.getfixturevalue("pg_url"), clock=clock)
    request.addfinalizer(store.close)
    return store


def reopen(store, **kwargs):
    """Another store object on the same store (as another process would open it)."""
    from assistant.store import TinyStore

    if isinstance(store, TinyStore):
        return TinyStore(store.root, **kwargs)
    from assistant.store.postgres import PostgresStore

    return PostgresStore(store.url, **kwargs)


@pytest.fixture(params=BACKENDS)
def store_location(request, tmp_path):
    """Where a store is, as --db takes it (for other processes): a folder, then a PostgreSQL URL."""
    if request.param == "folder":
        return tmp_path / "sessions"
    return request.getfixturevalue("pg_url")
