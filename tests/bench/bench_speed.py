"""Issue 14 §2 side by side: start-up against bare Python and the libraries, the chat's first question
against a Textual hello-world, and history / workshop report in-process, all in one run.

    .venv/bin/python tests/bench/bench_speed.py [--runs 10] [--repeats 5] [--org-sessions 500] [--respondents 200]

Subprocess timings interleave the commands compared (round robin, after one warm-up round each), so
that load from other work on the machine falls on both sides alike; each figure is the median wall
time of a fresh process, interpreter start included. The ratios are the issue's targets:

  selfcheck --help / --version / an argument error   ≤ 4×   python -c pass
  selfcheck run (four flows, text)                    ≤ 1.5× python -c "from pydantic import BaseModel…" (LIBRARIES)
  chat launch to its first question                   ≤ 1.3× a Textual hello-world to its first paint
      (twice: headless with run_test, as bench_chat_startup.py; and `selfcheck chat --org …` itself in an
      80×24 pseudo-terminal, until the first question's text is written, beside a hello-world App.run());
      the first question comes from the opening frame the warm-up round kept (tui/opening.py), so the
      time until the live chat has taken its place ("ready": the progress bar drawn) is printed too
  history of 500 sessions, in-process                 ≤ 0.25 s
  200-respondent workshop report, in-process          ≤ 0.3 s

The libraries line is checked against `run` each time (-X importtime of both): it must import nothing
`run` does not; what `run` needs beyond it from outside the project (pydantic's plugin loader with
importlib.metadata, annotated_types, argparse) is printed, a cost the baseline leaves on `run`'s side.

"In-process" is `assistant.cli.main([...])` in this process with the output thrown away, after one
warm-up call (the banks loaded, as in any CLI process): what the command costs beyond start-up.
Not a pytest test: its name does not match test_*.py.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import io
import os
import platform
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_chat_startup import CHILD  # noqa: E402  (the chat to its first question, as that bench runs it)

# Both children print the wall clock at the moment their first screen is there ("shown"): the time from
# launch to it is what a user waits for; the whole process adds Python's exit, which nobody watches
# (for the chat, about 70 ms of freeing what the app and the models built). The chat also prints when
# the live chat has taken the opening frame's place ("ready": answers are taken from then on).
CHAT = CHILD

EXAMPLE = PROJECT / "examples" / "answers.json"
# what `run` takes from its libraries; `import pydantic` alone would load almost nothing (pydantic 2 loads
# BaseModel and its machinery on first use), so the names are imported, as the program imports them
LIBRARIES = ("from pydantic import BaseModel, TypeAdapter; from tinydb import TinyDB; from filelock import FileLock; "
             "from platformdirs import user_data_path; from rich.console import Console; from rich.table import Table; "
             "from rich.text import Text")



def imported(cmd: list[str]) -> dict[str, int]:
    """The modules a fresh `cmd` (a Python command line) imports, with each one's own import time in µs."""
    p = subprocess.run([cmd[0], "-X", "importtime", *cmd[1:]], capture_output=True, text=True, cwd=PROJECT, env=env())
    out = {}
    for row in p.stderr.splitlines():
        if row.startswith("import time:") and "self [us]" not in row:
            own, _, name = row[len("import time:"):].split("|")
            out[name.strip()] = int(own)
    return out


def fair(py: str, run: list[str]) -> None:
    """Is the libraries line a fair baseline for `run`? It must import nothing `run` does not; what `run`
    imports beyond it from outside the project is said, as a cost the baseline leaves to `run`."""
    libs, ours = imported([py, "-c", LIBRARIES]), imported(run)
    unused = sorted(set(libs) - set(ours))
    beyond = {m: us for m, us in ours.items() if m not in libs and not m.startswith("assistant")}
    tops: dict[str, int] = {}
    for m, us in beyond.items():
        tops[m.split(".")[0]] = tops.get(m.split(".")[0], 0) + us
    heaviest = ", ".join(f"{m} {us / 1000:.1f}" for m, us in sorted(tops.items(), key=lambda x: -x[1])[:4])
    print(f"  baseline check: the libraries line imports {len(unused)} module(s) `run` does not"
          f"{' (' + ', '.join(unused[:5]) + ')' if unused else ''}; `run` imports "
          f"{sum(beyond.values()) / 1000:.1f} ms more outside the project ({heaviest} ms), not in the baseline")


HELLO = r"""
import asyncio, time
from textual.app import App
from textual.widgets import Static

class Hello(App):
    def compose(self):
        yield Static("hello", id="hello")

async def main():
    app = Hello()
    async with app.run_test(size=(80, 24)) as pilot:
        while not app.screen.query("#hello"):
            await pilot.pause(0.005)
        print('shown', time.time(), flush=True)
asyncio.run(main())
"""



def selfcheck() -> str:
    exe = Path(sys.executable).parent / "selfcheck"
    if not exe.exists():
        raise SystemExit(f"no selfcheck next to {sys.executable}; install the project into this venv first")
    return str(exe)


PYCACHE = Path(tempfile.gettempdir()) / "selfcheck-bench-pycache"


def env() -> dict[str, str]:
    """As an installed selfcheck runs: with compiled bytecode (pip compiles it at install; a checkout
    run with PYTHONDONTWRITEBYTECODE=1 would compile every module at every start), kept outside the
    checkout, the same for both sides of every comparison."""
    e = dict(os.environ)
    for name in ("PYTHONPROFILEIMPORTTIME", "PYTHONDONTWRITEBYTECODE"):
        e.pop(name, None)
    e["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return e


def interleaved(commands: dict[str, list[str]], runs: int, codes: dict[str, int]) -> dict[str, float]:
    """Median wall time of each command (a fresh process each run), run round robin. A command that
    prints "shown <time.time()>" also gets NAME.shown: the median time from launch to that moment
    (and "ready …", NAME.ready)."""
    times: dict[str, list[float]] = {}
    for round_ in range(runs + 1):
        for name, cmd in commands.items():
            launched, t0 = time.time(), time.perf_counter()
            p = subprocess.run(cmd, capture_output=True, cwd=PROJECT, env=env())
            elapsed = time.perf_counter() - t0
            if p.returncode != codes.get(name, 0):
                raise SystemExit(f"{name}: exit {p.returncode}\n{p.stderr.decode(errors='replace')[-2000:]}")
            if round_:  # the first round warms the disk cache
                times.setdefault(name, []).append(elapsed)
                for line in p.stdout.decode(errors="replace").splitlines():
                    if line.startswith(("shown ", "ready ")):
                        times.setdefault(f"{name}.{line.split()[0]}", []).append(float(line.split()[1]) - launched)
    return {k: statistics.median(v) for k, v in times.items()}


HELLO_APP = r"""
from textual.app import App
from textual.widgets import Static

class Hello(App):
    def compose(self):
        yield Static("hello, world")

Hello().run()
"""


def in_terminal(cmd: list[str], marker: bytes, ready: bytes | None = None,
                timeout: float = 30) -> tuple[float, float, float]:
    """`cmd` run as a user runs it, in a terminal (a pseudo-terminal of 80×24): the seconds from launch
    until `marker` is written to the screen, until `ready` is too (if given), then Ctrl+Q and the
    seconds until the process has ended."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    e = env()
    e["TERM"] = "xterm-256color"
    for name in ("COLUMNS", "LINES"):
        e.pop(name, None)
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave, env=e, cwd=PROJECT, start_new_session=True)
    os.close(slave)
    screen, shown, done = b"", None, None
    try:
        while p.poll() is None and time.perf_counter() - t0 < timeout:
            if select.select([master], [], [], 0.2)[0]:
                try:
                    chunk = os.read(master, 1 << 16)
                except OSError:  # the terminal closed: the process ended
                    break
                screen += chunk
                if shown is None and marker in screen:
                    shown = time.perf_counter() - t0
                    screen = b""  # `ready` is looked for in what comes after
                if shown is not None and done is None and (ready is None or ready in screen):
                    done = time.perf_counter() - t0
                    os.write(master, b"\x11")  # Ctrl+Q
        p.wait(timeout=10)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        os.close(master)
    if shown is None or done is None:
        raise SystemExit(f"{' '.join(cmd)}: {(ready if shown else marker).decode()!r} never shown (exit {p.returncode})")
    return shown, done, time.perf_counter() - t0


def in_process(argv: list[str], repeats: int) -> float:
    from assistant.cli import main

    def once() -> None:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            code = main(argv)
        if code != 0:
            raise SystemExit(f"{argv}: exit {code}")

    once()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        once()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


YARDSTICK = 3_000_000


def yardstick() -> float:
    """Seconds for a fixed pure-Python loop: this virtual machine's speed changes during a day (the same
    code took 2.3× longer an hour later), so a run says how fast the machine was when it ran."""
    best = float("inf")
    for _ in range(5):
        t0, total = time.perf_counter(), 0
        for i in range(YARDSTICK):
            total += i
        best = min(best, time.perf_counter() - t0)
    return best


def line(what: str, seconds: float, against: tuple[str, float] | None = None, target: str = "") -> None:
    ratio = f"{seconds / against[1]:5.2f}× {against[0]}" if against else ""
    print(f"  {what:48} {seconds * 1000:8.1f} ms  {ratio:32} {target}", flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=10, help="subprocess timings (median)")
    ap.add_argument("--repeats", type=int, default=5, help="in-process timings (median)")
    ap.add_argument("--org-sessions", type=int, default=500)
    ap.add_argument("--respondents", type=int, default=200)
    ap.add_argument("--skip", nargs="*", default=[], choices=["startup", "chat", "history"])
    ap.add_argument("--module", action="store_true",
                    help="run `python -m assistant` from the checkout this script is in, not the installed "
                         "`selfcheck` (to time another checkout, e.g. a `git archive` of an older commit)")
    args = ap.parse_args(argv)

    py = sys.executable
    exe = [py, "-m", "assistant"] if args.module else [selfcheck()]
    base = Path(tempfile.mkdtemp(prefix="selfcheck-bench-speed-"))
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs, "
          f"load {os.getloadavg()[0]:.2f}; {' '.join(exe)} in {PROJECT}")
    print(f"machine speed: {yardstick() * 1000:.0f} ms for {YARDSTICK:,} additions in a Python loop (the fastest of 5; "
          "the in-process figures are absolute and move with it, the ratios much less)")
    try:
        if "startup" not in args.skip:
            print(f"\nstart-up (median of {args.runs} fresh processes, interleaved)")
            m = interleaved({
                "pass": [py, "-c", "pass"],
                "help": [*exe, "--help"],
                "version": [*exe, "--version"],
                "bad": [*exe, "run", "--bogus"],
                "libs": [py, "-c", LIBRARIES],
                "run": [*exe, "run", "--answers", str(EXAMPLE), "--db", str(base / "run-db")],
            }, args.runs, {"bad": 2})
            bare, libs = ("python -c pass", m["pass"]), ("the libraries", m["libs"])
            line("python -c pass", m["pass"])
            line("selfcheck --help", m["help"], bare, "target ≤ 4×")
            line("selfcheck --version", m["version"], bare, "target ≤ 4×")
            line("selfcheck run --bogus (exit 2)", m["bad"], bare, "target ≤ 4×")
            line("python -c 'from pydantic import BaseModel…'", m["libs"])
            line("selfcheck run (four flows, text)", m["run"], libs, "target ≤ 1.5×")
            fair(py, [*([py, "-m", "assistant"] if args.module else [py, selfcheck()]), "run", "--answers",
                      str(EXAMPLE), "--db", str(base / "fair-db")])
        if "chat" not in args.skip:
            print(f"\nfirst paint (median of {args.runs} fresh processes, interleaved)")
            m = interleaved({"hello": [py, "-c", HELLO], "chat": [py, "-c", CHAT, str(base / "chat-db")]},
                            args.runs, {})
            line("Textual hello-world, launch to first paint", m["hello.shown"])
            line("selfcheck chat, launch to first question", m["chat.shown"], ("hello-world", m["hello.shown"]),
                 "target ≤ 1.3×")
            line("selfcheck chat, launch to the live chat (ready)", m["chat.ready"], ("hello-world", m["hello.shown"]))
            line("Textual hello-world, whole process", m["hello"])
            line("selfcheck chat, whole process", m["chat"], ("hello-world", m["hello"]))
            from assistant.domain.loader import load_library

            question = load_library().group("activities")[0].questions[0].text.zh.encode()
            live = "━━━━━━".encode()  # the progress bar: the live chat draws it, the opening frame keeps its row blank
            chat = [*exe, "chat", "--org", "Bench", "--lang", "zh", "--db", str(base / "terminal-db")]
            shown: dict[str, list[tuple[float, float, float]]] = {"hello": [], "chat": []}
            for round_ in range(args.runs + 1):  # the first round warms the disk cache and keeps the frame
                hello_t = in_terminal([py, "-c", HELLO_APP], b"hello, world")
                chat_t = in_terminal(chat, question, live)
                if round_:
                    shown["hello"].append(hello_t)
                    shown["chat"].append(chat_t)
            med = {k: tuple(statistics.median(x[i] for x in v) for i in range(3)) for k, v in shown.items()}
            print(f"in a terminal (`selfcheck chat --org …` and a Textual hello-world App.run(), 80×24 pseudo-terminal, "
                  f"median of {args.runs})")
            line("Textual hello-world, launch to 'hello, world'", med["hello"][0])
            line("selfcheck chat, launch to the first question", med["chat"][0], ("hello-world", med["hello"][0]),
                 "target ≤ 1.3×")
            line("selfcheck chat, launch to the live chat (ready)", med["chat"][1], ("hello-world", med["hello"][0]))
            line("Textual hello-world, launch to exit (Ctrl+Q)", med["hello"][2])
            line("selfcheck chat, launch to exit (Ctrl+Q)", med["chat"][2], ("hello-world", med["hello"][2]))
        if "history" not in args.skip:
            from bench_history import ORG, WORKSHOP, build

            root = base / "history-db"
            t0 = time.perf_counter()
            store, specs, _, _ = build(root, args.org_sessions, args.respondents)
            print(f"\nin-process (median of {args.repeats}; store of {len(specs)} sessions built in "
                  f"{time.perf_counter() - t0:.1f} s)")
            db = ["--db", str(root)]
            runs: list[tuple[str, list[str], float | None]] = [
                (f"history --org ({args.org_sessions} sessions) json", ["history", "--org", ORG, "--format", "json"], 0.25),
                (f"history --org ({args.org_sessions} sessions) text", ["history", "--org", ORG], 0.25),
                (f"workshop report ({args.respondents}) json", ["workshop", "report", WORKSHOP, "--format", "json"], 0.3),
                (f"workshop report ({args.respondents}) text", ["workshop", "report", WORKSHOP], 0.3),
                (f"workshop report ({args.respondents}) html", ["workshop", "report", WORKSHOP, "--format", "html"], 0.3),
            ]
            newest = max(s.id for s in specs if s.org == ORG)
            runs.append((f"report ID --format html ({args.org_sessions} in history)",
                         ["report", newest, "--format", "html"], None))
            for what, cli, limit in runs:
                line(what, in_process([*cli, *db], args.repeats), None, f"target ≤ {limit} s" if limit else "")
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
