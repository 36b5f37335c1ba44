"""Fast, realistic stores for the benchmarks (shared by bench_save.py and bench_history.py).

Building thousands of sessions through `TinyStore.create_session` costs a few fsyncs each (about
4 ms: 40 s for 10,000; before the index per organisation each call also rewrote the whole index, so
the build was quadratic). Here the store writes ONE session itself (through
`create_session`, so the file has exactly the store's format), that file is read back, and copies
with new ids, organisations, dates and answers are written next to it as plain files; then
`TinyStore.reindex()` builds the index once. Nothing under assistant/ is changed or bypassed for
the timed operations: only the build takes this shortcut.

Not a pytest test (its name does not match test_*.py).
"""

from __future__ import annotations

import json
import os
import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

from assistant.domain.answers import ALPHA_BANDS, Answer, check_answer
from assistant.domain.bank import Kind
from assistant.domain.loader import Library
from assistant.store import TinyStore

TZ = timezone(timedelta(hours=8))  # the sessions are made in China
START = datetime(2024, 1, 8, 9, 0, tzinfo=TZ)

NOTES = ["已有制度文件，执行记录不全", "去年整改后已形成闭环", "部分科室落实，尚未全院推广", "有台账，缺少数据分析",
         "服务设计经院务会审议通过"]
EVIDENCE = ("患者满意度调查报告（2025年第三季度）、服务流程再造方案、科室服务承诺书、投诉处理台账及"
            "整改跟踪记录、服务质量月度分析会议纪要。")


def activity_banks(library: Library) -> dict[str, str]:
    return {b.id: b.version for b in library.group("activities")}


def answers_for(library: Library, banks: dict[str, str], rng: random.Random, mean_level: float = 3.2,
                limit: int | None = None) -> dict[str, dict[str, Answer]]:
    """Valid answers to the first `limit` questions (all by default) of `banks`: Likert levels drawn
    around `mean_level`, an α on about a third of them, a note on about one in five, the evidence
    texts filled in, gates answered yes or partly. Every answer passes `check_answer`."""
    out: dict[str, dict[str, Answer]] = {}
    count = 0
    for bank_id in banks:
        bank = library.bank(bank_id)
        for q in bank.questions:
            if limit is not None and count >= limit:
                return out
            if q.kind in (Kind.likert, Kind.maturity):
                level = min(5, max(1, round(rng.gauss(mean_level, 0.9))))
                alpha = None
                if q.kind is Kind.likert and rng.random() < 0.33:
                    low, high = ALPHA_BANDS[level]
                    alpha = (high - Decimal("0.05")).quantize(Decimal("0.01"))
                    alpha = max(alpha, low)
                note = rng.choice(NOTES) if rng.random() < 0.2 else None
                a = Answer(level=level, alpha=alpha, note=note)
            elif q.kind.by_choice:  # gates, and the items of a checklist
                a = Answer(choice=rng.choice(["yes", "yes", "partly"]))
            else:
                a = Answer(text=EVIDENCE)
            check_answer(bank, q, a)
            out.setdefault(bank_id, {})[q.id] = a
            count += 1
    return out


def answers_json(answers: dict[str, dict[str, Answer]]) -> dict[str, dict[str, Any]]:
    """As the store writes them (TinyStore.record_answer: mode json, defaults left out)."""
    return {b: {q: a.model_dump(mode="json", exclude_defaults=True) for q, a in per.items()} for b, per in answers.items()}


@dataclass
class Spec:
    """One session to write: what differs from the template."""

    id: str
    org: str
    created: datetime
    status: str = "completed"
    respondent: str = ""
    workshop: str | None = None
    role: str | None = None
    answers: dict[str, dict[str, Any]] | None = None  # answers_json(...); None keeps the template's


def session_id(created: datetime, i: int) -> str:
    """The store's id shape (date, dash, six hex digits), made unique by the counter."""
    return f"{created:%Y%m%d}-{i:06x}"


def template(store: TinyStore, banks: dict[str, str], answers: dict[str, dict[str, Answer]]) -> tuple[Path, dict[str, Any]]:
    """One session made by the store itself; returns its file and the file's parsed content."""
    s = store.create_session("template", banks, "template", answers=answers)
    path = store.root / "s" / f"{s.id}.json"
    return path, json.loads(path.read_text(encoding="utf-8"))


def write_store(store: TinyStore, banks: dict[str, str], answers: dict[str, dict[str, Answer]],
                specs: list[Spec]) -> tuple[float, float]:
    """Write one session file per spec in the store's own format, then reindex once.

    Returns (seconds writing the files, seconds of reindex). The template session is removed before
    the reindex, so the store holds exactly the specs. The files are flushed to disk (os.sync) before
    the reindex, so the benchmark's fsyncs do not pay for the build's writeback."""
    import time

    t0 = time.perf_counter()
    tpath, raw = template(store, banks, answers)
    doc = raw["session"]["1"]
    folder = store.root / "s"
    for spec in specs:
        d = dict(doc)
        stamp = spec.created.isoformat()
        d.update(id=spec.id, org=spec.org, respondent=spec.respondent, status=spec.status, created=stamp,
                 updated=(spec.created + timedelta(minutes=40)).isoformat(), workshop=spec.workshop,
                 role=spec.role, position=None)
        if spec.answers is not None:
            d["answers"] = spec.answers
        data = json.dumps({"session": {"1": d}}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        with open(folder / f"{spec.id}.json", "wb") as f:
            f.write(data)
    tpath.unlink()
    lock = store.root / "locks" / f"{tpath.stem}.lock"
    lock.unlink(missing_ok=True)
    if hasattr(os, "sync"):
        os.sync()
    t1 = time.perf_counter()
    count = store.reindex()
    if hasattr(os, "sync"):
        os.sync()
    t2 = time.perf_counter()
    assert count == len(specs), (count, len(specs))
    return t1 - t0, t2 - t1


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def profile(label: str, fn: Callable[[], Any], top: int = 15) -> None:
    """Print the top entries of a cProfile run of `fn`, by cumulative and by own time."""
    import cProfile
    import gc
    import io
    import pstats

    gc.collect()
    prof = cProfile.Profile()
    prof.enable()
    fn()
    prof.disable()
    for key in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats(key).print_stats(top)
        lines = out.getvalue().splitlines()
        start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls")), 0)
        total = next((line.strip() for line in lines if "function calls" in line), "")
        print(f"\n--- cProfile: {label}, top {top} by {key} ({total}) ---")
        print("\n".join(line for line in lines[start:] if line.strip()))
