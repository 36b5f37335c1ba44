"""What the three checklist banks of issue 15 cost: validating their files, scoring a checklist, and
evaluating a full session that holds the conformity review beside the two certification banks.

    .venv/bin/python tests/bench/bench_checklists.py [--runs 20]

Prints medians (milliseconds) of --runs: load_file() of each checklist file (TOML + pydantic, no
cache), load_paths() of the whole question_banks folder, score_checklist() of the 113-item
conformity review, and evaluate() of a session with certification.service, .management and
.conformity answered (the review failing on one item). Not a pytest test.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT))

from assistant.domain.answers import Answer, Session  # noqa: E402
from assistant.domain.conformity import CONFORMITY_BANK, score_checklist  # noqa: E402
from assistant.domain.evaluate import evaluate  # noqa: E402
from assistant.domain.loader import load_file, load_paths  # noqa: E402

BANKS = PROJECT / "question_banks"
FILES = ["certification_conformity.toml", "writing_service_standard.toml", "writing_practice_to_standard.toml"]


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    for name in FILES:
        print(f"load_file {name:40} {median_ms(lambda: load_file(BANKS / name), runs):8.1f} ms")
    print(f"load_paths question_banks/ (all files)          {median_ms(lambda: load_paths([BANKS]), runs):8.1f} ms")
    library = load_paths([BANKS])
    review = library.bank(CONFORMITY_BANK)
    answers = {q.id: Answer(choice="yes") for q in review.questions if q.kind.by_choice} | {"A6.2": Answer(choice="no")}
    print(f"score_checklist conformity ({len(review.questions)} items)        "
          f"{median_ms(lambda: score_checklist(review, answers), runs):8.2f} ms")
    banks = ["certification.service", "certification.management", CONFORMITY_BANK]
    full = {b: {q.id: Answer(level=4) for q in library.bank(b).questions if q.kind.scored} for b in banks[:2]}
    full[CONFORMITY_BANK] = answers
    now = datetime(2026, 12, 1, tzinfo=timezone.utc)
    session = Session(id="20261201-bench1", org="bench", banks={b: library.bank(b).version for b in banks},
                      answers=full, created=now, updated=now, status="completed")
    result = evaluate(library, session)
    print(f"evaluate service + management + conformity      {median_ms(lambda: evaluate(library, session), runs):8.2f} ms"
          f"  (grade {result.grade.outcome}, review {result.grade.conformity})")


if __name__ == "__main__":
    main()
