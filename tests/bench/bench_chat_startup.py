"""Benchmark: launch of the chat to the first question on screen, in a fresh process each time.

Each run starts a new Python process that builds the app as `selfcheck chat --org Bench` does
(launch.build_app: from the opening frame kept by the run before, tui/opening.py, or loading the
banks, the store and the session first when there is none) and runs it headless (Textual's
run_test) until the live chat has taken the place of the first frame; the figure is the wall time
of the whole process as seen from outside (interpreter start included). One run before the timed
ones keeps the frame, as a user's first chat does.

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
import argparse, asyncio, sys, time
from assistant.tui.launch import build_app
from assistant.tui.widgets.transcript import Bubble

async def main():
    # as `selfcheck chat --org Bench --db DB` builds it (launch.build_app), headless
    args = argparse.Namespace(db=sys.argv[1], lang=None, org="Bench", respondent="", bank=None, resume=None,
                              rules="clause-text", workshop=None, role=None, sector=None, baseline=None)
    app = build_app(args, terminal=False)
    async with app.run_test(size=(80, 24)) as pilot:
        while not any(b.has_class("assistant") for b in app.screen.query(Bubble)):
            await pilot.pause(0.005)
        print('shown', time.time(), flush=True)  # the first question on screen
        while getattr(app.screen, "conversation", None) is None:
            await pilot.pause(0.005)
        print('ready', time.time(), flush=True)  # the live chat in its place: answers are taken
asyncio.run(main())
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    times = []
    for run in range(args.runs + 1):
        with tempfile.TemporaryDirectory() as db:
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", CHILD, db], check=True, stdout=subprocess.DEVNULL)
            if run:
                times.append(time.perf_counter() - start)
    imports = subprocess.run([sys.executable, "-X", "importtime", "-c", "import assistant.tui.app"],
                             capture_output=True, text=True).stderr.splitlines()
    cumulative = sorted(((int(line.split("|")[1]), line.split("|")[2].strip()) for line in imports[1:]
                         if line.count("|") == 2), reverse=True)
    print(f"launch until the live chat has taken the opening frame's place, whole process ({args.runs} runs; "
          "bench_speed.py times the first question itself)")
    print(f"  median {statistics.median(times) * 1000:8.1f} ms")
    print(f"  min    {min(times) * 1000:8.1f} ms")
    print(f"  max    {max(times) * 1000:8.1f} ms")
    print("heaviest imports of assistant.tui.app (cumulative):")
    for us, name in cumulative[:6]:
        print(f"  {us / 1000:8.1f} ms  {name}")


if __name__ == "__main__":
    main()
