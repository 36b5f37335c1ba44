"""How long one durable save takes with few and with many stored sessions.

    .venv/bin/python tests/bench/bench_store.py --sizes 10,5000 --repeats 200

For each size N it builds a store of N sessions through TinyStore.create_session (timed), times ten
more create_session calls on the full store ("next create"), then times `record_answer` (each call has fsynced the session file and its folder when it returns) `--repeats`
times into one of those sessions, and `list_sessions()` a few times. The store lives in a fresh
temporary folder (or under --dir) on the disk you want to measure: fsync on tmpfs costs nothing.

Not a pytest test: its name does not match test_*.py.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from assistant.domain.answers import Answer, Position  # noqa: E402
from assistant.store import TinyStore  # noqa: E402

BANK = "activities.design"
BANKS = {BANK: "2026.1"}
QUESTIONS = [f"5.{s}.{q}" for s in (1, 2, 3) for q in range(1, 8)]  # 21 ids, about one bank's worth


def p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=100, method="inclusive")[94] if len(xs) > 1 else xs[0]


def seed_answers(i: int) -> dict[str, dict[str, Answer]]:
    """A session half way through one bank, so session files have a realistic size."""
    return {BANK: {q: Answer(level=(i + k) % 5 + 1) for k, q in enumerate(QUESTIONS[:10])}}


def build(root: Path, n: int) -> float:
    store = TinyStore(root)
    t0 = time.perf_counter()
    for i in range(n):
        store.create_session(f"org-{i % 50}", BANKS, f"respondent {i}", answers=seed_answers(i))
    return time.perf_counter() - t0


def time_creates(root: Path, k: int = 10) -> list[float]:
    """create_session once the store is full: one append to its organisation's index log (and
    index.json's count), so it should not grow with N (it did, up to schema 1's single index.json)."""
    store = TinyStore(root)
    times = []
    for i in range(k):
        t0 = time.perf_counter()
        store.create_session("extra", BANKS, f"extra {i}", answers=seed_answers(i))
        times.append(time.perf_counter() - t0)
    return times


def time_records(root: Path, repeats: int) -> list[float]:
    store = TinyStore(root)
    sid = store.create_session("bench", BANKS, "bench").id  # the newest session; built like the others
    times = []
    for i in range(repeats):
        q = QUESTIONS[i % len(QUESTIONS)]
        answer = Answer(level=4, alpha=Decimal("0.7"), note=f"run {i}")
        pos = Position(bank=BANK, question=QUESTIONS[(i + 1) % len(QUESTIONS)])
        t0 = time.perf_counter()
        store.record_answer(sid, BANK, q, answer, position=pos)
        times.append(time.perf_counter() - t0)
    return times


def time_list(root: Path, repeats: int) -> tuple[list[float], int]:
    times, count = [], 0
    for _ in range(repeats):
        store = TinyStore(root)  # a fresh process-like start: nothing cached
        t0 = time.perf_counter()
        count = len(store.list_sessions())
        times.append(time.perf_counter() - t0)
    return times, count


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10,5000", help="comma-separated numbers of stored sessions")
    ap.add_argument("--repeats", type=int, default=200, help="record_answer calls timed per size")
    ap.add_argument("--list-repeats", type=int, default=5, help="list_sessions calls timed per size")
    ap.add_argument("--dir", type=Path, help="where to build the stores (default: a temporary folder)")
    ap.add_argument("--keep", action="store_true", help="keep the stores afterwards")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]

    base = Path(tempfile.mkdtemp(prefix="selfcheck-bench-", dir=args.dir))
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; stores under {base}")
    rows = []
    try:
        for n in sizes:
            root = base / f"store-{n}"
            built = build(root, n)
            print(f"  built {n} sessions in {built:.2f} s ({built / n * 1000:.2f} ms per create_session)", flush=True)
            created = time_creates(root)
            rec = time_records(root, args.repeats)
            lst, listed = time_list(root, args.list_repeats)
            rows.append((n, built, statistics.median(created), rec, statistics.median(lst), listed))
            print(f"  {n}: record_answer median {statistics.median(rec) * 1000:.2f} ms, "
                  f"list_sessions {statistics.median(lst) * 1000:.1f} ms ({listed} sessions)", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)

    print()
    head = ("sessions", "build total s", "build ms/session", "next create ms", "record p50 ms", "record p95 ms",
            "list_sessions ms")
    print(" | ".join(head))
    print(" | ".join("-" * len(h) for h in head))
    for n, built, created, rec, lst, _ in rows:
        cells = (f"{n}", f"{built:.2f}", f"{built / n * 1000:.2f}", f"{created * 1000:.2f}",
                 f"{statistics.median(rec) * 1000:.2f}",
                 f"{p95(rec) * 1000:.2f}", f"{lst * 1000:.1f}")
        print(" | ".join(c.rjust(len(h)) for c, h in zip(cells, head)))
    if len(rows) > 1:
        small, large = rows[0], rows[-1]
        ratio = statistics.median(large[3]) / statistics.median(small[3])
        print(f"\nrecord_answer median with {large[0]} sessions / with {small[0]}: {ratio:.2f}x "
              f"({args.repeats} saves each, fsync included)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
