"""Durable save of one answer against the number of stored sessions, with SQLite as a baseline.

    .venv/bin/python tests/bench/bench_save.py [--sizes 10,1000,10000] [--layouts spread,one] [--repeats 200]

For each size N and each layout (`spread`: the N sessions spread over --orgs organisations;
`one`: all N in one organisation) it builds a store quickly (see _fill.py: one session written by
TinyStore.create_session with --answers answers, copies written in the same format, one reindex;
--in-progress of them still in progress, the rest completed) and prints the build time. Then:

- `record_answer` into the newest in-progress session, --repeats times (each call has fsynced the
  session file and its folder when it returns), alternating with
- the same save on SQLite (standard library sqlite3, journal_mode=WAL, synchronous=FULL; a table of
  sessions and a table of answers holding the same N sessions and N x --answers answers): one
  upsert of the answer and one update of the session's `updated` and `position` in one transaction;
- `list_sessions()`, `list_sessions(org=…)` of the target's organisation and, in the spread layout,
  of the organisation with 10 sessions at every size (median of --list-repeats, each on a fresh
  TinyStore);
- `set_status` on the newest stored completed sessions, the target's organisation first (median of
  2 x --statuses: each session to in_progress and back to completed), a write to the session file
  and the index;
- `create_session` on the full store (median and mean of --creates), the other write to the index.

Then a table: median and p95 of both saves and the ratio TinyStore/SQLite. --profile prints the
cProfile top entries of record_answer and list_sessions on the largest store.

The stores go into a temporary folder (or under --dir: fsync on tmpfs costs nothing, so measure on
the disk the store will really use) and are removed after each size unless --keep.

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
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _fill import (  # noqa: E402
    START,
    Spec,
    activity_banks,
    answers_for,
    answers_json,
    folder_size,
    profile,
    session_id,
    write_store,
)

from assistant.domain.answers import Answer, Position  # noqa: E402
from assistant.domain.loader import load_library  # noqa: E402
from assistant.store import TinyStore  # noqa: E402


def p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=100, method="inclusive")[94] if len(xs) > 1 else xs[0]


def ms(x: float) -> str:
    return f"{x * 1000:.2f}"


def in_progress(i: int, share: float) -> bool:
    """Spreads the in-progress sessions evenly: i is one when floor(i*share) steps up."""
    return int((i + 1) * share) != int(i * share)


PROBE = "对照医院"  # spread: the organisation of the first 10 sessions, whatever the store's size


def specs_for(n: int, layout: str, orgs: int, share: float) -> list[Spec]:
    """The newest session is always in progress: the benchmark saves into it. In the spread layout
    the first 10 sessions are of PROBE, so that one organisation has 10 sessions at every size."""
    out = []
    for i in range(n):
        created = START + timedelta(hours=7 * i)  # 10,000 sessions span about 8 years
        org = "某市中心医院" if layout == "one" else PROBE if i < 10 else f"医院{i % orgs:03d}"
        out.append(Spec(id=session_id(created, i), org=org, created=created,
                        status="in_progress" if in_progress(i, share) or i == n - 1 else "completed",
                        respondent=f"答卷人{i}"))
    return out


# -- SQLite baseline -----------------------------------------------------------------------------

SCHEMA = """
CREATE TABLE sessions(
  id TEXT PRIMARY KEY, org TEXT NOT NULL, respondent TEXT NOT NULL, role TEXT, workshop TEXT,
  banks TEXT NOT NULL, status TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL,
  position TEXT, rules_profile TEXT NOT NULL, lang TEXT NOT NULL, baseline TEXT);
CREATE INDEX sessions_org ON sessions(org, created);
CREATE TABLE answers(
  session_id TEXT NOT NULL, bank TEXT NOT NULL, question TEXT NOT NULL, answer TEXT NOT NULL,
  PRIMARY KEY(session_id, bank, question)) WITHOUT ROWID;
"""

UPSERT = ("INSERT INTO answers(session_id, bank, question, answer) VALUES(?, ?, ?, ?) "
          "ON CONFLICT(session_id, bank, question) DO UPDATE SET answer = excluded.answer")


def sqlite_open(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path, isolation_level=None)  # explicit BEGIN/COMMIT
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    return con


def sqlite_build(path: Path, specs: list[Spec], banks: dict[str, str], answers: dict[str, dict[str, dict]]) -> float:
    t0 = time.perf_counter()
    con = sqlite_open(path)
    con.executescript(SCHEMA)
    rows = [(b, q, json.dumps(a, ensure_ascii=False)) for b, per in answers.items() for q, a in per.items()]
    con.execute("BEGIN")
    for s in specs:
        stamp = s.created.isoformat()
        con.execute("INSERT INTO sessions VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (s.id, s.org, s.respondent, s.role, s.workshop, json.dumps(banks), s.status, stamp,
                     (s.created + timedelta(minutes=40)).isoformat(), None, "clause-text", "zh", None))
        con.executemany("INSERT INTO answers VALUES(?,?,?,?)", [(s.id, *r) for r in rows])
    con.execute("COMMIT")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return time.perf_counter() - t0


def sqlite_save(con: sqlite3.Connection, sid: str, bank: str, question: str, answer: Answer, pos: Position,
                now: str) -> None:
    data = json.dumps(answer.model_dump(mode="json", exclude_defaults=True), ensure_ascii=False)
    con.execute("BEGIN IMMEDIATE")
    try:
        con.execute(UPSERT, (sid, bank, question, data))
        con.execute("UPDATE sessions SET updated = ?, position = ? WHERE id = ?",
                    (now, json.dumps(pos.model_dump()), sid))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


# -- one store -----------------------------------------------------------------------------------


@dataclass
class Row:
    layout: str
    n: int
    write_s: float
    reindex_s: float
    sqlite_build_s: float
    store_mb: float
    tiny: list[float] = field(default_factory=list)
    lite: list[float] = field(default_factory=list)
    listed: float = 0.0
    listed_n: int = 0
    listed_org: float = 0.0
    listed_org_n: int = 0
    listed_probe: float = float("nan")
    create: float = 0.0
    create_mean: float = 0.0
    status: float = 0.0


def measure(base: Path, n: int, layout: str, args: argparse.Namespace, library, banks) -> Row:
    rng = random.Random(n)
    seed = answers_for(library, banks, rng, limit=args.answers)
    specs = specs_for(n, layout, args.orgs, args.in_progress)
    root = base / f"{layout}-{n}"
    store = TinyStore(root)
    write_s, reindex_s = write_store(store, banks, seed, specs)
    lite_path = base / f"{layout}-{n}.sqlite"
    lite_s = sqlite_build(lite_path, specs, banks, answers_json(seed))
    if hasattr(os, "sync"):
        os.sync()
    row = Row(layout, n, write_s, reindex_s, lite_s, folder_size(root) / 1e6)
    index_mb = (folder_size(root / "index") + (root / "index.json").stat().st_size) / 1e6
    print(f"  {layout:6} {n:6}: files {write_s:6.2f} s + reindex {reindex_s:6.2f} s "
          f"({row.store_mb:.1f} MB, index {index_mb:.2f} MB); SQLite {lite_s:.2f} s "
          f"({lite_path.stat().st_size / 1e6:.1f} MB)", flush=True)

    target = next((s for s in reversed(specs) if s.status == "in_progress"), specs[-1])
    questions = [(b, q.id) for b in banks for q in library.bank(b).questions]
    store = TinyStore(root)  # as the app holds it: one object for the whole session
    con = sqlite_open(lite_path)
    for i in range(args.repeats):
        bank, q = questions[i % len(questions)]
        nxt = questions[(i + 1) % len(questions)]
        answer = Answer(level=4, alpha=Decimal("0.7"), note=f"run {i}")
        pos = Position(bank=nxt[0], question=nxt[1])
        t0 = time.perf_counter()
        store.record_answer(target.id, bank, q, answer, position=pos)
        t1 = time.perf_counter()
        sqlite_save(con, target.id, bank, q, answer, pos, store.clock().isoformat())
        t2 = time.perf_counter()
        row.tiny.append(t1 - t0)
        row.lite.append(t2 - t1)
    con.close()

    probe = [(PROBE, "listed_probe")] if layout == "spread" else []
    for org, attr in ((None, "listed"), (target.org, "listed_org"), *probe):
        times = []
        for _ in range(args.list_repeats):
            fresh = TinyStore(root)  # nothing cached, as a new CLI process
            t0 = time.perf_counter()
            count = len(fresh.list_sessions(org))
            times.append(time.perf_counter() - t0)
        setattr(row, attr, statistics.median(times))
        if attr != "listed_probe":
            setattr(row, attr + "_n", count)

    times = []
    # completed sessions, the target's organisation first (at 10 spread sessions each has its own)
    done = sorted((s for s in specs if s.status == "completed"), key=lambda s: (s.org == target.org, s.created))
    done = done[-args.statuses:]
    for s in done:
        for status in ("in_progress", "completed"):
            t0 = time.perf_counter()
            store.set_status(s.id, status)
            times.append(time.perf_counter() - t0)
    row.status = statistics.median(times) if times else float("nan")

    times = []
    for i in range(args.creates):
        t0 = time.perf_counter()
        store.create_session(target.org, banks, f"new {i}")
        times.append(time.perf_counter() - t0)
    row.create = statistics.median(times) if times else float("nan")
    row.create_mean = statistics.mean(times) if times else float("nan")

    print(f"  {layout:6} {n:6}: record_answer p50 {ms(statistics.median(row.tiny))} ms, SQLite p50 "
          f"{ms(statistics.median(row.lite))} ms; list_sessions {row.listed * 1000:.1f} ms, "
          f"list_sessions(org) {row.listed_org * 1000:.1f} ms (of 10: {row.listed_probe * 1000:.1f}); "
          f"set_status {row.status * 1000:.1f} ms; "
          f"create_session {row.create * 1000:.1f} ms (mean {row.create_mean * 1000:.1f})", flush=True)

    if args.profile and n == max(args.sizes_list) and layout == args.layouts_list[-1]:
        def records() -> None:
            for i in range(50):
                bank, q = questions[i % len(questions)]
                store.record_answer(target.id, bank, q, Answer(level=3), position=None)

        profile(f"50 x record_answer, {layout}, {n} sessions", records)
        profile(f"list_sessions(), {layout}, {n} sessions", lambda: TinyStore(root).list_sessions())
        profile(f"list_sessions(org=…), {layout}, {n} sessions", lambda: TinyStore(root).list_sessions(target.org))
        profile(f"create_session, {layout}, {n} sessions", lambda: store.create_session(target.org, banks, "p"))
        profile(f"set_status, {layout}, {n} sessions", lambda: store.set_status(done[0].id, "completed") if done else None)

    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
        for p in base.glob(f"{layout}-{n}.sqlite*"):
            p.unlink()
    return row


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10,1000,10000", help="comma-separated numbers of stored sessions")
    ap.add_argument("--layouts", default="spread,one", help="spread (over --orgs organisations) and/or one")
    ap.add_argument("--orgs", type=int, default=100, help="organisations of the spread layout")
    ap.add_argument("--answers", type=int, default=30, help="answers in each stored session")
    ap.add_argument("--in-progress", type=float, default=0.05,
                    help="share of stored sessions still in progress (list_sessions reads those files live)")
    ap.add_argument("--repeats", type=int, default=200, help="saves timed per store (TinyStore and SQLite each)")
    ap.add_argument("--list-repeats", type=int, default=5, help="list_sessions calls timed per store")
    ap.add_argument("--creates", type=int, default=20, help="create_session calls timed per store")
    ap.add_argument("--statuses", type=int, default=10, help="sessions whose status is changed (twice each) per store")
    ap.add_argument("--dir", type=Path, help="where to build the stores (default: a temporary folder)")
    ap.add_argument("--keep", action="store_true", help="keep the stores afterwards")
    ap.add_argument("--profile", action="store_true", help="cProfile top entries on the largest store")
    args = ap.parse_args(argv)
    args.sizes_list = [int(s) for s in args.sizes.split(",") if s.strip()]
    args.layouts_list = [s.strip() for s in args.layouts.split(",") if s.strip()]
    if any(x not in ("spread", "one") for x in args.layouts_list):
        ap.error("--layouts takes spread and/or one")

    library = load_library()
    banks = activity_banks(library)
    base = Path(tempfile.mkdtemp(prefix="selfcheck-bench-save-", dir=args.dir))
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs, "
          f"SQLite {sqlite3.sqlite_version}; stores under {base}")
    print(f"{args.answers} answers a session, {args.in_progress:.0%} in progress, {args.repeats} saves a store")
    started = time.perf_counter()
    rows = []
    try:
        for n in args.sizes_list:
            for layout in args.layouts_list:
                rows.append(measure(base, n, layout, args, library, banks))
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)

    print()
    head = ("layout", "sessions", "build s", "Tiny p50 ms", "Tiny p95 ms", "SQLite p50 ms", "SQLite p95 ms",
            "Tiny/SQLite p50", "list ms", "list(org) ms", "(org rows)", "list(org of 10) ms", "set_status ms",
            "create ms", "create mean ms")
    print(" | ".join(head))
    print(" | ".join("-" * len(h) for h in head))
    for r in rows:
        t50, l50 = statistics.median(r.tiny), statistics.median(r.lite)
        cells = (r.layout, f"{r.n}", f"{r.write_s + r.reindex_s:.2f}", ms(t50), ms(p95(r.tiny)), ms(l50),
                 ms(p95(r.lite)), f"{t50 / l50:.2f}x", f"{r.listed * 1000:.1f}", f"{r.listed_org * 1000:.1f}",
                 f"{r.listed_org_n}", f"{r.listed_probe * 1000:.1f}", f"{r.status * 1000:.1f}", f"{r.create * 1000:.1f}",
                 f"{r.create_mean * 1000:.1f}")
        print(" | ".join(c.ljust(len(h)) if i == 0 else c.rjust(len(h)) for i, (c, h) in enumerate(zip(cells, head))))
    for layout in args.layouts_list:
        mine = [r for r in rows if r.layout == layout]
        if len(mine) > 1:
            a, b = mine[0], mine[-1]
            print(f"{layout}: record_answer p50 with {b.n} sessions / with {a.n}: "
                  f"{statistics.median(b.tiny) / statistics.median(a.tiny):.2f}x; SQLite "
                  f"{statistics.median(b.lite) / statistics.median(a.lite):.2f}x")
    print(f"total {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
