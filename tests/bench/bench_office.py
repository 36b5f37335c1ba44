"""How long the office formats take: the DOCX and the XLSX of a full six-bank session (with its
history, comparison and action plan), the application pack, and a 200-respondent workshop workbook.
Issue 13 asks each to stay under 2 s.

    .venv/bin/python tests/bench/bench_office.py [--runs 5] [--respondents 200]

In process, median of --runs; the report's data (history, comparison) is gathered once outside the
timing, as `selfcheck report` does before it renders. The DOCX/XLSX are also written out as files
through the CLI (median of at least three), to time what a user waits for, start-up included.

Not a pytest test: its name does not match test_*.py.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT))

from assistant.domain.answers import Answer  # noqa: E402
from assistant.domain.evaluate import evaluate  # noqa: E402
from assistant.domain.group import group_result  # noqa: E402
from assistant.domain.loader import load_library  # noqa: E402
from assistant.store import TinyStore  # noqa: E402

ORG = "湘潭市中心医院"


def six_banks(library) -> list:
    """The four activity flows and the two certification banks."""
    from assistant.domain.scoring import MANAGEMENT_BANK, SERVICE_BANK

    return [*library.group("activities"), library.bank(SERVICE_BANK), library.bank(MANAGEMENT_BANK)]


def answers_of(library, seed: int) -> dict:
    answers = {}
    for bank in six_banks(library):
        mine = {}
        for n, q in enumerate(bank.questions):
            if q.kind.scored:
                mine[q.id] = Answer(level=1 + (n * 7 + seed * 3) % 5, note="有记录，见质量手册第 3 章" if n % 4 == 0 else None)
            elif q.kind.by_choice:
                mine[q.id] = Answer(choice="yes")
            else:
                mine[q.id] = Answer(text="质量手册、顾客满意度调查报告、服务标准体系表")
        answers[bank.id] = mine
    return answers


def median(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--respondents", type=int, default=200)
    args = ap.parse_args()
    from assistant.report import document
    from assistant.report.docx import report_docx
    from assistant.report.pack import build_pack
    from assistant.report.xlsx import report_workbook
    from assistant.report.xlsx_group import group_workbook

    library = load_library()
    banks = {b.id: b.version for b in six_banks(library)}
    print(f"python {platform.python_version()} on {platform.machine()}, {len(banks)} banks, "
          f"{sum(len(b.questions) for b in six_banks(library))} questions")
    with tempfile.TemporaryDirectory() as tmp:
        store = TinyStore(Path(tmp) / "db")
        before = store.create_session(ORG, banks, "质量办", answers=answers_of(library, 1), status="completed")
        session = store.create_session(ORG, banks, "质量办", answers=answers_of(library, 2), status="completed")
        from assistant.domain.actions import ItemRef

        for n, q in enumerate([q for q in library.bank("certification.service").questions if q.kind.scored][:8]):
            store.add_action(ORG, [ItemRef(bank="certification.service", id=q.id)], f"整改措施 {n}", owner="质量办",
                             session=before.id)
        result = evaluate(library, session)
        data = document.report_data(store, library, session, result, datetime.now(timezone.utc))
        print(f"report data: {len(data.history)} sessions in the history, comparison: {data.comparison is not None}")
        for lang in ("zh", "en"):
            d = data if lang == data.result.lang else document.report_data(
                store, library, session.model_copy(update={"lang": lang}),
                evaluate(library, session.model_copy(update={"lang": lang})), datetime.now(timezone.utc))
            docx_s = median(lambda: report_docx(d), args.runs)
            xlsx_s = median(lambda: report_workbook(d), args.runs)
            print(f"six-bank session, {lang}:  DOCX {docx_s:.3f} s ({len(report_docx(d)) // 1024} KiB)   "
                  f"XLSX {xlsx_s:.3f} s ({len(report_workbook(d)) // 1024} KiB)")
        pack_s = median(lambda: build_pack(data, english=True), max(1, args.runs // 2))
        print(f"application pack (with English): {pack_s:.3f} s")
        exe = str(PROJECT / ".venv" / "bin" / "selfcheck")
        for fmt in ("docx", "xlsx"):
            out = Path(tmp) / f"r.{fmt}"
            cmd = [exe, "report", session.id, "--format", fmt, "--out", str(out), "--db", str(store.root)]
            took = median(lambda: subprocess.run(cmd, check=True, stderr=subprocess.DEVNULL), max(3, args.runs // 2))
            print(f"`selfcheck report --format {fmt} --out …` as a command, start-up included: {took:.3f} s")

    created = datetime.now(timezone.utc) - timedelta(days=1)
    from assistant.domain.answers import Session

    people = [Session(id=f"20261130-{n:06x}", org=ORG, respondent=f"答题人{n}", role=("领导", "员工", "顾客代表")[n % 3],
                      banks=banks, answers=answers_of(library, n), created=created, updated=created,
                      status="completed", workshop="培训班") for n in range(args.respondents)]
    start = time.perf_counter()
    group = group_result(library, "培训班", ORG, people)
    grouping = time.perf_counter() - start
    book_s = median(lambda: group_workbook(group, library, "zh"), max(1, args.runs // 2))
    size = len(group_workbook(group, library, "zh")) // 1024
    print(f"workshop of {args.respondents} respondents × {len(banks)} banks: group result {grouping:.3f} s, "
          f"workbook {book_s:.3f} s ({size} KiB)")


if __name__ == "__main__":
    main()
