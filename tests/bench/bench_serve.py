"""The workshop room under load: memory and CPU per participant, and the time to a participant's
first question with 30 and 60 joined.

    .venv/bin/python tests/bench/bench_serve.py [--steps 30,60] [--timeout 120]

Starts `selfcheck serve` on 127.0.0.1 (a free port, a new temporary store, a workshop of the four
activity flows, no join code, --max-participants above the largest step) and joins participants
over websockets as a browser page does (aiohttp, Origin of the page): each answers the server's
prompt (name, Enter for no role) and waits for its first question ("question 1 of" in its
terminal output). For each step it joins the participants up to that number all at once and
prints the times to the first question (median, 90th percentile, max), then joins one more and
prints its time, with that many already in. With everyone joined it reads /proc for each
participant process (the server's children): RSS, PSS (shared pages divided among the processes
that share them), the CPU time spent to start, and the CPU used while idle over 10 s. Linux only
(/proc). Nothing leaves 127.0.0.1; every wait is bounded by --timeout.

Not a pytest test: its name does not match test_*.py.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ANSI = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]")
TICK = os.sysconf("SC_CLK_TCK")
FIRST_QUESTION = "question 1 of"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def selfcheck(db: Path, *args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "assistant", "--db", str(db), *args], capture_output=True, text=True,
                          timeout=60)
    if done.returncode:
        raise SystemExit(done.stderr)


class Participant:
    def __init__(self, n: int):
        self.n = n
        self.seen = ""
        self.asked: float | None = None  # when the role was sent (the join is complete)
        self.first_question: float | None = None
        self.ws = None
        self.reader: asyncio.Task | None = None

    async def join(self, session: aiohttp.ClientSession, url: str, timeout: float) -> float:
        self.ws = await session.ws_connect(f"{url}/ws?width=100&height=30", headers={"Origin": url},
                                           max_msg_size=0, timeout=aiohttp.ClientWSTimeout(ws_close=5))
        prompt = asyncio.Event()
        question = asyncio.Event()

        async def read() -> None:
            async for msg in self.ws:
                if msg.type == aiohttp.WSMsgType.BINARY:
                    if question.is_set():
                        continue  # keep reading (no back-pressure), nothing to look for
                    self.seen = (self.seen + ANSI.sub("", msg.data.decode("utf-8", "replace")))[-4000:]
                    if "name" in self.seen:
                        prompt.set()
                    if self.asked is not None and FIRST_QUESTION in self.seen:
                        self.first_question = time.monotonic()
                        question.set()

        self.reader = asyncio.create_task(read())
        await asyncio.wait_for(prompt.wait(), timeout)
        self.seen = ""
        await self.ws.send_str(json.dumps(["stdin", f"p{self.n}\r"]))
        await asyncio.sleep(0.05)
        self.asked = time.monotonic()
        await self.ws.send_str(json.dumps(["stdin", "\r"]))
        await asyncio.wait_for(question.wait(), timeout)
        return self.first_question - self.asked  # type: ignore[operator]

    async def leave(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.reader is not None:
            self.reader.cancel()


def children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry.name))
    return out


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def memory(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in bytes."""
    rss = pss = 0
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Rss:"):
            rss = int(line.split()[1]) * 1024
        elif line.startswith("Pss:"):
            pss = int(line.split()[1]) * 1024
    return rss, pss


def summary(times: list[float]) -> str:
    times = sorted(times)
    p90 = times[min(len(times) - 1, int(0.9 * len(times)))]
    return f"median {statistics.median(times):5.2f} s, p90 {p90:5.2f} s, max {times[-1]:5.2f} s"


MIB = 2**20


async def run(steps: list[int], timeout: float) -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    db = folder / "sessions"
    selfcheck(db, "workshop", "create", "bench", "--org", "Bench Hospital")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "assistant", "--db", str(db), "serve", "--workshop", "bench", "--host", "127.0.0.1",
         "--port", str(port), "--lang", "en", "--max-participants", str(max(steps) + 10)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    print(f"selfcheck serve on {url}; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}")
    people: list[Participant] = []
    try:
        for _ in range(int(timeout * 10)):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                await asyncio.sleep(0.1)
        async with aiohttp.ClientSession() as session:
            for step in steps:
                burst = [Participant(len(people) + i) for i in range(step - len(people))]
                t0 = time.monotonic()
                times = await asyncio.gather(*(p.join(session, url, timeout) for p in burst))
                people += burst
                print(f"{len(burst):3d} join at once (up to {step:3d}): first question {summary(list(times))}; "
                      f"all in {time.monotonic() - t0:5.1f} s")
                await asyncio.sleep(3)  # let them settle
                extra = Participant(len(people))
                one = await extra.join(session, url, timeout)
                people.append(extra)
                print(f"  one more with {step:3d} joined: first question in {one:5.2f} s")
                await report(server.pid, len(people))
    finally:
        for p in people:
            try:
                await asyncio.wait_for(p.leave(), 5)
            except (asyncio.TimeoutError, Exception):
                pass
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        shutil.rmtree(folder, ignore_errors=True)


async def report(server_pid: int, joined: int) -> None:
    pids = children(server_pid)
    mem = [memory(p) for p in pids]
    start_cpu = {p: cpu_seconds(p) for p in pids}
    server_cpu = cpu_seconds(server_pid)
    await asyncio.sleep(10)
    idle = [cpu_seconds(p) - start_cpu[p] for p in pids]
    rss = [m[0] for m in mem]
    pss = [m[1] for m in mem]
    print(f"  {len(pids)} participant processes for {joined} joined")
    print(f"  per participant: RSS median {statistics.median(rss) / MIB:5.1f} MiB, PSS median "
          f"{statistics.median(pss) / MIB:5.1f} MiB (all together: PSS {sum(pss) / MIB:6.0f} MiB)")
    print(f"  per participant: CPU to start and show the first question median "
          f"{statistics.median(start_cpu.values()):4.2f} s; idle {statistics.mean(idle) / 10 * 100:4.2f} % of a CPU")
    srss, spss = memory(server_pid)
    print(f"  server: RSS {srss / MIB:5.1f} MiB, CPU {server_cpu:5.2f} s so far")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--steps", default="30,60", help="participants joined at each step (comma-separated)")
    ap.add_argument("--timeout", type=float, default=120.0, help="the longest wait for any one thing, in seconds")
    args = ap.parse_args()
    if not Path("/proc/self/smaps_rollup").exists():
        raise SystemExit("needs Linux /proc")
    steps = sorted({int(x) for x in args.steps.split(",") if x.strip()})
    asyncio.run(run(steps, args.timeout))


if __name__ == "__main__":
    main()
