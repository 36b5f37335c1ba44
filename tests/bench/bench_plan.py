"""How long `selfcheck plan` takes on a full session (all six banks), beside `selfcheck report`.

    .venv/bin/python tests/bench/bench_plan.py [--runs 10]

Stores one session that answers every question of the six shipped banks (levels spread so that
every target needs raises in both the service and the management bank), then times, as
subprocesses (median of --runs): `selfcheck report ID`, and `selfcheck plan ID --target T` for
each target, text and JSON. In process, it also times the planner alone (plan()) per target.
Issue 9 asks that plan stay under 2× report.

Not a pytest test: its name does not match test_*.py.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT))

from assistant.domain.answers import Answer  # noqa: E402
from assistant.domain.evaluate import evaluate  # noqa: E402
from assistant.domain.loader import load_library  # noqa: E402
from assistant.domain.planner import plan  # noqa: E402
from assistant.store import TinyStore  # noqa: E402


def full_session(store: TinyStore):
    library = load_library()
    answers = {}
    scored = [b for b in library.banks.values() if b.kind != "checklist"]  # the six scored banks
    for bank in scored:
        mine = {}
        for n, q in enumerate(bank.questions):
            if q.kind.scored:
                mine[q.id] = Answer(level=2 + n % 3)  # levels 2, 3, 4
            elif q.kind.value == "gate":
                mine[q.id] = Answer(choice="yes")
            else:
                mine[q.id] = Answer(text="evidence")
        answers[bank.id] = mine
    banks = {b.id: b.version for b in scored}
    return library, store.create_session("Bench Org", banks, "bench", answers=answers, status="completed")


def median_seconds(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=dict(os.environ))
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()
    selfcheck = str(Path(sys.executable).parent / "selfcheck")
    with tempfile.TemporaryDirectory() as tmp:
        store = TinyStore(Path(tmp) / "db")
        library, session = full_session(store)
        db = ["--db", str(store.root)]
        print(f"python {platform.python_version()} · {os.cpu_count()} cores · {args.runs} runs, median")
        result = evaluate(library, session)
        print(f"session: all six banks, grade now {result.grade.outcome}, S {result.grade.service_score}, "
              f"M {result.grade.management_level}")
        report = median_seconds([selfcheck, "report", session.id, *db], args.runs)
        print(f"selfcheck report            {report * 1000:7.1f} ms")
        for target in ("three-star", "four-star", "five-star"):
            for fmt in ("text", "json"):
                took = median_seconds([selfcheck, "plan", session.id, "--target", target, "--format", fmt, *db], args.runs)
                print(f"selfcheck plan {target:10} {fmt:4} {took * 1000:7.1f} ms  ({took / report:.2f}× report)")
        for target in ("three-star", "four-star", "five-star"):
            times = []
            for _ in range(args.runs * 5):
                start = time.perf_counter()
                p = plan(library, session, target, result)
                times.append(time.perf_counter() - start)
            print(f"plan() in process {target:10} {statistics.median(times) * 1000:7.2f} ms "
                  f"({len(p.steps)} raises, {p.level_steps} level steps)")


if __name__ == "__main__":
    main()
