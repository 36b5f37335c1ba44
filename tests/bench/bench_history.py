"""History, comparison, workshop result and the management report on a store with a long history.

    .venv/bin/python tests/bench/bench_history.py [--org-sessions 500] [--respondents 200] [--repeats 5] [--runs 3]

Builds one store (quickly, see _fill.py) holding
- an organisation with --org-sessions completed self-checks, one a week, all 33 questions of the
  four activity banks answered (levels drawn around a mean that rises over the years, α on about a
  third, notes, evidence texts, the gate answered), and
- a workshop "W" of another organisation with --respondents completed sessions, one in five
  tagged role "leaders", the others "staff",
then times, in this process (median of --repeats, each on a fresh TinyStore; the library is loaded
once, as in a CLI process):
  store.sessions(org=…), history(library, sessions), compare of the two newest sessions,
  store.sessions(workshop="W"), group_result, and the HTML report of the newest session
  (its history over all of the organisation's sessions and the comparison with the one before,
  rendered by assistant.report.document.html);
and as subprocesses (median of --runs, after one warm-up run; the `selfcheck` next to this
interpreter, so interpreter start-up and imports are included):
  selfcheck history --org ORG --format json
  selfcheck compare A B --format json
  selfcheck workshop report W --format json
  selfcheck report ID --format html
--profile prints the cProfile top entries of history(), group_result and the report's HTML step.

Not a pytest test: its name does not match test_*.py.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Callable

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT))
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

from assistant.domain.evaluate import evaluate  # noqa: E402
from assistant.domain.group import group_result  # noqa: E402
from assistant.domain.history import compare, history  # noqa: E402
from assistant.domain.loader import load_library  # noqa: E402
from assistant.report import document  # noqa: E402
from assistant.store import TinyStore  # noqa: E402

ORG = "某市中心医院"
WORKSHOP_ORG = "某区人民医院"
WORKSHOP = "W"


def selfcheck_path() -> Path:
    bindir = Path(sys.executable).parent
    for name in ("selfcheck", "selfcheck.exe"):
        if (bindir / name).exists():
            return bindir / name
    raise SystemExit(f"no selfcheck next to {sys.executable}; install the project into this venv first")


def build(root: Path, org_sessions: int, respondents: int) -> tuple[TinyStore, list[Spec], float, float]:
    library = load_library()
    banks = activity_banks(library)
    rng = random.Random(2026)
    specs = []
    for i in range(org_sessions):  # one a week; the mean level climbs from about 2 to about 4.5
        created = START + timedelta(days=7 * i, minutes=rng.randrange(0, 480))
        mean = 2.0 + 2.5 * i / max(1, org_sessions - 1)
        specs.append(Spec(id=session_id(created, i), org=ORG, created=created, respondent=f"质控办{i % 7}",
                          answers=answers_json(answers_for(library, banks, rng, mean))))
    day = START + timedelta(days=7 * org_sessions + 3)
    for j in range(respondents):
        created = day + timedelta(seconds=20 * j)
        role = "leaders" if j % 5 == 0 else "staff"
        mean = 3.6 if role == "leaders" else 3.0
        specs.append(Spec(id=session_id(created, org_sessions + j), org=WORKSHOP_ORG, created=created,
                          respondent=f"参会者{j}", workshop=WORKSHOP, role=role,
                          answers=answers_json(answers_for(library, banks, rng, mean))))
    store = TinyStore(root)
    write_s, reindex_s = write_store(store, banks, answers_for(library, banks, rng), specs)
    store.create_workshop(WORKSHOP, WORKSHOP_ORG, list(banks))
    return store, specs, write_s, reindex_s


def timed(fn: Callable[[], Any], repeats: int) -> tuple[float, float, Any]:
    times, value = [], None
    for _ in range(repeats):
        value = None
        gc.collect()
        t0 = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times), value


def run_cli(args: list[str], db: Path, runs: int) -> tuple[float, float, int]:
    cmd = [str(selfcheck_path()), *args, "--db", str(db)]
    env = dict(os.environ)
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    out = subprocess.run(cmd, check=True, capture_output=True, cwd=PROJECT, env=env).stdout  # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=PROJECT, env=env)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times), len(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--org-sessions", type=int, default=500, help="completed sessions of the organisation")
    ap.add_argument("--respondents", type=int, default=200, help="sessions in the workshop")
    ap.add_argument("--repeats", type=int, default=5, help="in-process timings (median)")
    ap.add_argument("--runs", type=int, default=3, help="subprocess timings (median, after a warm-up run)")
    ap.add_argument("--dir", type=Path, help="where to build the store (default: a temporary folder)")
    ap.add_argument("--keep", action="store_true", help="keep the store afterwards")
    ap.add_argument("--profile", action="store_true", help="print cProfile top entries of the slow steps")
    args = ap.parse_args(argv)

    base = Path(tempfile.mkdtemp(prefix="selfcheck-bench-history-", dir=args.dir))
    root = base / "store"
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; store {root}")
    try:
        t0 = time.perf_counter()
        library = load_library()
        lib_s = time.perf_counter() - t0
        store, specs, write_s, reindex_s = build(root, args.org_sessions, args.respondents)
        print(f"  built {len(specs)} sessions ({args.org_sessions} of {ORG}, {args.respondents} in workshop "
              f"{WORKSHOP}): files {write_s:.2f} s + reindex {reindex_s:.2f} s, {folder_size(root) / 1e6:.1f} MB; "
              f"load_library {lib_s * 1000:.0f} ms (once per process)", flush=True)

        rows: list[tuple[str, str, float, float, str]] = []

        def add(what: str, how: str, median: float, fastest: float, note: str = "") -> None:
            rows.append((what, how, median, fastest, note))
            print(f"  {what:55} {how:10} {median * 1000:9.1f} ms", flush=True)

        r = args.repeats
        m, f, mine = timed(lambda: TinyStore(root).sessions(org=ORG), r)
        add("store.sessions(org=ORG)", "in-process", m, f, f"{len(mine)} sessions")
        m, f, hist = timed(lambda: history(library, mine), r)
        add("history(library, sessions)", "in-process", m, f, f"{len(hist)} rows")
        m, f, _ = timed(lambda: history(library, TinyStore(root).sessions(org=ORG)), r)
        add("store.sessions(org=ORG) + history(…)", "in-process", m, f, "what `selfcheck history` does")
        before, after = mine[-2], mine[-1]
        m, f, cmp = timed(lambda: compare(library, before, after), r)
        add("compare(library, A, B)", "in-process", m, f, f"{len(cmp.items)} items")
        m, f, ws = timed(lambda: TinyStore(root).sessions(workshop=WORKSHOP), r)
        add("store.sessions(workshop=W)", "in-process", m, f, f"{len(ws)} sessions")
        m, f, group = timed(lambda: group_result(library, WORKSHOP, WORKSHOP_ORG, ws), r)
        add("group_result(library, W, …)", "in-process", m, f, f"{group.respondents} respondents")

        def report_data(sessions: list) -> document.ReportData:
            session = sessions[-1]
            rows_ = history(library, [s for s in sessions if s.created <= session.created], session.lang)
            earlier = [s for s in sessions if s.created < session.created]
            return document.ReportData(session=session, result=evaluate(library, session), library=library,
                                       history=rows_, comparison=compare(library, earlier[-1], session, session.lang),
                                       generated=datetime.now(timezone.utc).astimezone())

        data = report_data(mine)
        m, f, page = timed(lambda: document.html(data), r)
        add("document.html(ReportData) (render only)", "in-process", m, f, f"{len(page.encode()) / 1e3:.0f} kB")
        m, f, _ = timed(lambda: document.html(report_data(TinyStore(root).sessions(org=ORG))), r)
        add("report HTML: sessions + history + compare + html", "in-process", m, f, "")

        a, b = before.id, after.id
        for label, cli in (
            ("selfcheck history --org ORG --format json", ["history", "--org", ORG, "--format", "json"]),
            ("selfcheck compare A B --format json", ["compare", a, b, "--format", "json"]),
            ("selfcheck workshop report W --format json", ["workshop", "report", WORKSHOP, "--format", "json"]),
            ("selfcheck report ID --format html", ["report", b, "--format", "html"]),
        ):
            m, f, size = run_cli(cli, root, args.runs)
            add(label, "subprocess", m, f, f"{size / 1e3:.0f} kB out")
        m, f, _ = run_cli(["sessions", "list", "--org", ORG, "--format", "json"], root, args.runs)
        add("selfcheck sessions list --org ORG --format json", "subprocess", m, f, "")

        print()
        head = ("operation".ljust(52), "how".ljust(10), "median ms", "fastest ms", "notes")
        print(" | ".join(head))
        print(" | ".join("-" * len(h) for h in head))
        for what, how, median, fastest, note in rows:
            print(" | ".join((what.ljust(len(head[0])), how.ljust(len(head[1])), f"{median * 1000:.1f}".rjust(len(head[2])),
                              f"{fastest * 1000:.1f}".rjust(len(head[3])), note)))
        median = {what: m for what, _, m, _, _ in rows}
        print(f"\nhistory: {median['history(library, sessions)'] / max(1, len(hist)) * 1000:.2f} ms per session "
              f"evaluated; group_result: {median['group_result(library, W, …)'] / max(1, group.respondents) * 1000:.2f} "
              f"ms per respondent; store.sessions: {median['store.sessions(org=ORG)'] / max(1, len(mine)) * 1000:.2f} "
              f"ms per session loaded")

        if args.profile:
            profile(f"history() of {len(mine)} sessions", lambda: history(library, mine))
            profile(f"group_result of {len(ws)} respondents", lambda: group_result(library, WORKSHOP, WORKSHOP_ORG, ws))
            profile("document.html of the report", lambda: document.html(data))
            profile(f"store.sessions(org=ORG) ({len(mine)} sessions)", lambda: TinyStore(root).sessions(org=ORG))
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
