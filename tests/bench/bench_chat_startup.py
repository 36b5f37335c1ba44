"""Benchmark: launch of the chat to the first question on screen, in a fresh process each time.

Each run starts a new Python process that imports the app, opens a store, creates a session and
runs the app headless (Textual's run_test) until the first question's bubble is mounted; the
figure is the wall time of the whole process as seen from outside (interpreter start included).

    .venv/bin/python tests/bench/bench_chat_startup.py [--runs 10]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time

CHILD = r"""
import asyncio, sys, time
from assistant.domain.loader import load_library
from assistant.store import open_store
from assistant.tui.app import SelfcheckApp
from assistant.tui.widgets.transcript import Bubble

async def main():
    store = open_store(sys.argv[1])
    library = load_library()
    session = store.create_session("Bench", {b.id: b.version for b in library.group("activities")})
    app = SelfcheckApp(store, library, "zh", chat=session.id)
    async with app.run_test(size=(80, 24)) as pilot:
        while not any(b.has_class("assistant") for b in app.screen.query(Bubble)):
            await pilot.pause(0.005)
asyncio.run(main())
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    times = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as db:
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", CHILD, db], check=True)
            times.append(time.perf_counter() - start)
    imports = subprocess.run([sys.executable, "-X", "importtime", "-c", "import assistant.tui.app"],
                             capture_output=True, text=True).stderr.splitlines()
    cumulative = sorted(((int(line.split("|")[1]), line.split("|")[2].strip()) for line in imports[1:]
                         if line.count("|") == 2), reverse=True)
    print(f"launch to first question (fresh process, {args.runs} runs)")
    print(f"  median {statistics.median(times) * 1000:8.1f} ms")
    print(f"  min    {min(times) * 1000:8.1f} ms")
    print(f"  max    {max(times) * 1000:8.1f} ms")
    print("heaviest imports of assistant.tui.app (cumulative):")
    for us, name in cumulative[:6]:
        print(f"  {us / 1000:8.1f} ms  {name}")


if __name__ == "__main__":
    main()
