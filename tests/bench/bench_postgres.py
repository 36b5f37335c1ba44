"""The PostgreSQL store beside the folder store and an SQLite baseline, in one run.

    .venv/bin/python tests/bench/bench_postgres.py [--sizes 10,1000,10000] [--repeats 50] [--url postgresql://…]

For each size N, three stores hold the same sessions: N sessions spread over 100 organisations, plus
an organisation "History" with 500 completed sessions (all four activity banks answered) and a
workshop "W" of 200 completed respondents, so the history and the workshop are measured at every
size. Stores:
- PostgreSQL: assistant.store.postgres.PostgresStore on a local server (started here as a throwaway
  cluster, tests/pg_fixture.py, unless --url or SELFCHECK_TEST_PG names one), synchronous_commit=on,
  a fresh schema per size;
- folder: TinyStore (store/tiny.py) in a temporary folder on the same disk;
- SQLite: one sqlite3 table (journal_mode=WAL, synchronous=FULL) holding each session's JSON document
  and summary with the same indexes, doing the same operations (parsed with the same models).

Setup is a bulk insert, not the API (10,700 sessions through create_session would take minutes):
PostgreSQL rows by COPY (the store's own row shape, `postgres._row`), the folder store by _fill.py,
SQLite by executemany. Then, timed (median and p95 of --repeats, each through the API):
  save      record_answer into an in-progress session (durable when it returns)
  create    create_session
  list org  list_sessions(org=…) of an organisation of about N/100 sessions
  history   sessions(org="History"): the 500 whole sessions a history reads from the documents
  hist sums list_sessions(org="History", scored=True): the 500 summaries with their scores (what a
            history reads once the summaries carry the scores, issue 14 §2)
  workshop  sessions(workshop="W"): the 200 respondents of a workshop report

Not a pytest test: its name does not match test_*.py.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any, Callable

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _fill import START, Spec, activity_banks, answers_for, answers_json, session_id, write_store  # noqa: E402

from assistant.domain.answers import Answer, Session  # noqa: E402
from assistant.domain.loader import load_library  # noqa: E402
from assistant.store import TinyStore  # noqa: E402
from assistant.store.postgres import PostgresStore, _row, _summary  # noqa: E402
from assistant.store.summary import Summary  # noqa: E402
from assistant.store.tiny import TinyStore as _Tiny  # noqa: E402
from tests.pg_fixture import Cluster, with_schema  # noqa: E402

ORGS = 100
HISTORY, RESPONDENTS = 500, 200


def specs_for(n: int) -> list[Spec]:
    out, i = [], 0
    for k in range(n):
        out.append(Spec(session_id(START + timedelta(hours=k), i), f"org-{k % ORGS}", START + timedelta(hours=k),
                        "in_progress" if k % 20 == 0 else "completed", f"r{k}"))
        i += 1
    for k in range(HISTORY):
        out.append(Spec(session_id(START + timedelta(weeks=k), i), "History", START + timedelta(weeks=k)))
        i += 1
    for k in range(RESPONDENTS):
        out.append(Spec(session_id(START + timedelta(minutes=k), i), "Workshop org", START + timedelta(minutes=k),
                        respondent=f"p{k}", workshop="W", role="leaders" if k % 5 == 0 else "staff"))
        i += 1
    return out


def sessions_for(specs: list[Spec], template: Session) -> list[Session]:
    return [template.model_copy(update={
        "id": s.id, "org": s.org, "created": s.created, "updated": s.created + timedelta(minutes=40),
        "status": s.status, "respondent": s.respondent, "workshop": s.workshop, "role": s.role}) for s in specs]


# -- setup ---------------------------------------------------------------------------------------


def pg_build(url: str, sessions: list[Session]) -> float:
    import psycopg

    store = PostgresStore(url)
    store._check_schema(True)
    t0 = time.perf_counter()
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        with cur.copy("COPY selfcheck_sessions (id, org, workshop, status, created, updated, doc, summary) "
                      "FROM STDIN") as copy:
            for s in sessions:
                copy.write_row(_row(s))
        cur.execute("ANALYZE selfcheck_sessions")
    store.close()
    return time.perf_counter() - t0


SQLITE_SCHEMA = """
CREATE TABLE sessions(id TEXT PRIMARY KEY, org TEXT NOT NULL, workshop TEXT, status TEXT NOT NULL,
  created TEXT NOT NULL, updated TEXT NOT NULL, doc TEXT NOT NULL, summary TEXT NOT NULL);
CREATE INDEX sessions_org ON sessions(org, created DESC, id DESC);
CREATE INDEX sessions_workshop ON sessions(workshop, created, id) WHERE workshop IS NOT NULL;
"""


class Lite:
    """The SQLite baseline: the same document and summary per session, the same operations."""

    def __init__(self, path: Path):
        self.con = sqlite3.connect(path, isolation_level=None)
        self.con.execute("PRAGMA journal_mode=WAL")
        self.con.execute("PRAGMA synchronous=FULL")

    @staticmethod
    def row(s: Session) -> tuple:
        return (s.id, s.org, s.workshop, s.status, s.created.isoformat(), s.updated.isoformat(),
                json.dumps(_Tiny._dump(s), ensure_ascii=False), json.dumps(_summary(s).to_json(), ensure_ascii=False))

    def build(self, sessions: list[Session]) -> float:
        t0 = time.perf_counter()
        self.con.executescript(SQLITE_SCHEMA)
        self.con.execute("BEGIN")
        self.con.executemany("INSERT INTO sessions VALUES(?,?,?,?,?,?,?,?)", [self.row(s) for s in sessions])
        self.con.execute("COMMIT")
        return time.perf_counter() - t0

    def record_answer(self, sid: str, bank: str, q: str, answer: Answer) -> None:
        self.con.execute("BEGIN IMMEDIATE")
        doc = json.loads(self.con.execute("SELECT doc FROM sessions WHERE id = ?", (sid,)).fetchone()[0])
        doc["answers"].setdefault(bank, {})[q] = answer.model_dump(mode="json", exclude_defaults=True)
        doc.pop("schema")
        s = Session.model_validate(doc)
        self.con.execute("UPDATE sessions SET doc = ?, summary = ?, updated = ? WHERE id = ?", (*self.row(s)[6:], s.updated.isoformat(), sid))
        self.con.execute("COMMIT")

    def create_session(self, template: Session, sid: str) -> None:
        self.con.execute("BEGIN IMMEDIATE")
        self.con.execute("INSERT INTO sessions VALUES(?,?,?,?,?,?,?,?)", self.row(template.model_copy(update={"id": sid})))
        self.con.execute("COMMIT")

    def list_sessions(self, org: str) -> list[Summary]:
        rows = self.con.execute("SELECT summary FROM sessions WHERE org = ? ORDER BY created DESC, id DESC", (org,))
        return [Summary.from_json(json.loads(r[0])) for r in rows]

    def sessions(self, where: str, value: str) -> list[Session]:
        rows = self.con.execute(f"SELECT doc FROM sessions WHERE {where} = ? ORDER BY created, id", (value,))
        out = []
        for (doc,) in rows:
            d = json.loads(doc)
            d.pop("schema")
            out.append(Session.model_validate(d))
        return out


# -- timing --------------------------------------------------------------------------------------


def timed(fn: Callable[[], Any], repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=100, method="inclusive")[94] if len(xs) > 1 else xs[0]


def ms(xs: list[float]) -> str:
    return f"{statistics.median(xs) * 1000:8.1f} / {p95(xs) * 1000:7.1f}"


def one_size(n: int, url: str, base: Path, library, repeats: int) -> dict[str, dict[str, list[float]]]:
    banks = activity_banks(library)
    rng = random.Random(n)
    answers = answers_for(library, banks, rng)
    specs = specs_for(n)
    template = Session(id="template", org="t", banks=banks, answers=answers, created=START, updated=START,
                       status="completed")
    sessions = sessions_for(specs, template)
    folder = TinyStore(base / f"folder-{n}")
    fill_s = sum(write_store(folder, banks, answers, specs))
    lite = Lite(base / f"lite-{n}.sqlite")
    lite_s = lite.build(sessions)
    pg_s = pg_build(url, sessions)
    print(f"  N={n:>6} (+{HISTORY + RESPONDENTS}): setup PostgreSQL COPY {pg_s:.1f} s, folder {fill_s:.1f} s, "
          f"SQLite {lite_s:.1f} s", flush=True)
    pg = PostgresStore(url)
    target = next(s.id for s in specs if s.status == "in_progress") if n else None
    org = "org-1"
    bank = next(iter(banks))
    questions = [q.id for q in library.bank(bank).questions][:10]
    results: dict[str, dict[str, list[float]]] = {}
    for name, store in (("PostgreSQL", pg), ("folder", folder)):
        counter = iter(range(10**6))
        r = results[name] = {}
        if target:
            r["save"] = timed(lambda: store.record_answer(target, bank, questions[next(counter) % 10],
                                                          Answer(level=1 + next(counter) % 5)), repeats)
        r["create"] = timed(lambda: store.create_session("extra", banks, "x", answers=answers), max(5, repeats // 5))
        r["list org"] = timed(lambda: TinyStore(store.root).list_sessions(org) if name == "folder"
                              else store.list_sessions(org), 5)
        r["history 500"] = timed(lambda: store.sessions(org="History"), 3)
        store.list_sessions(org="History", scored=True)  # the first scores and keeps them
        r["hist sums"] = timed(lambda: store.list_sessions(org="History", scored=True), 3)
        r["workshop 200"] = timed(lambda: store.sessions(workshop="W"), 3)
        assert len(store.sessions(org="History")) == HISTORY and len(store.sessions(workshop="W")) == RESPONDENTS
    counter = iter(range(10**6))
    r = results["SQLite"] = {}
    if target:
        r["save"] = timed(lambda: lite.record_answer(target, bank, questions[next(counter) % 10],
                                                     Answer(level=1 + next(counter) % 5)), repeats)
    r["create"] = timed(lambda: lite.create_session(template, f"extra-{next(counter)}"), max(5, repeats // 5))
    r["list org"] = timed(lambda: lite.list_sessions(org), 5)
    r["history 500"] = timed(lambda: lite.sessions("org", "History"), 3)
    r["hist sums"] = timed(lambda: lite.list_sessions("History"), 3)
    r["workshop 200"] = timed(lambda: lite.sessions("workshop", "W"), 3)
    pg.close()
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10,1000,10000")
    ap.add_argument("--repeats", type=int, default=50, help="saves timed per store (creates: a fifth)")
    ap.add_argument("--url", default=os.environ.get("SELFCHECK_TEST_PG"), help="a server to use (else a throwaway one)")
    ap.add_argument("--dir", default=None, help="where the folder store and SQLite live (default: a temp folder)")
    args = ap.parse_args()
    import psycopg

    cluster = None
    url = args.url
    if not url:
        cluster = Cluster()
        url = cluster.start()
    base = Path(tempfile.mkdtemp(prefix="bench-pg-", dir=args.dir))
    library = load_library()
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            version = conn.execute("SHOW server_version").fetchone()[0]
            sync = conn.execute("SHOW synchronous_commit").fetchone()[0]
        print(f"{platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
              f"PostgreSQL {version} (synchronous_commit={sync}), SQLite {sqlite3.sqlite_version}")
        print("median / p95 in ms; N other sessions + 500 of one organisation + 200 of a workshop")
        table = []
        for n in (int(x) for x in args.sizes.split(",")):
            schema = f"bench_{n}"
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
                conn.execute(f"CREATE SCHEMA {schema}")
            results = one_size(n, with_schema(url, schema), base, library, args.repeats)
            table.append((n, results))
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA {schema} CASCADE")
        ops = ["save", "create", "list org", "history 500", "hist sums", "workshop 200"]
        print(f"\n{'N':>6} {'store':11}" + "".join(f"{op:>19}" for op in ops))
        for n, results in table:
            for name in ("PostgreSQL", "folder", "SQLite"):
                cells = [ms(results[name][op]) if op in results[name] else f"{'-':>17}" for op in ops]
                print(f"{n:>6} {name:11}" + "".join(f"  {c}" for c in cells))
    finally:
        shutil.rmtree(base, ignore_errors=True)
        if cluster:
            cluster.stop()


if __name__ == "__main__":
    main()
