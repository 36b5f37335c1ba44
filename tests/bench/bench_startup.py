"""How fast the headless CLI starts, and whether importing it drags Textual in.

    .venv/bin/python tests/bench/bench_startup.py [--runs 10]

Times `selfcheck --help` and `selfcheck banks list` as subprocesses (the venv's `selfcheck`, next to
the running interpreter; median of --runs), then runs `python -X importtime -c "import assistant.cli"`
and says whether any textual module was imported.

Not a pytest test: its name does not match test_*.py.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def selfcheck_path() -> Path:
    bindir = Path(sys.executable).parent
    for name in ("selfcheck", "selfcheck.exe"):
        if (bindir / name).exists():
            return bindir / name
    raise SystemExit(f"no selfcheck next to {sys.executable}; install the project into this venv first")


def env() -> dict[str, str]:
    e = dict(os.environ)
    e.pop("PYTHONPROFILEIMPORTTIME", None)
    return e


def time_command(cmd: list[str], runs: int) -> tuple[float, float]:
    subprocess.run(cmd, check=True, capture_output=True, cwd=PROJECT, env=env())  # warm the disk cache
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, cwd=PROJECT, env=env())
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times)


def import_profile() -> tuple[list[str], int]:
    """The modules `import assistant.cli` loads, and its cumulative import time in µs."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import assistant.cli"],
        check=True, capture_output=True, text=True, cwd=PROJECT, env=env(),
    )
    modules, total = [], 0
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        _, self_us, cumulative, name = (part.strip() for part in line.replace("import time:", "|", 1).split("|"))
        modules.append(name)
        if name == "assistant.cli":
            total = int(cumulative)
    return modules, total


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args(argv)

    exe = selfcheck_path()
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; {exe}")
    print()
    head = ("command".ljust(20), f"median of {args.runs} s", "fastest s")
    print(" | ".join(head))
    print(" | ".join("-" * len(h) for h in head))
    for cmd in (["--help"], ["banks", "list"]):
        median, fastest = time_command([str(exe), *cmd], args.runs)
        cells = ("selfcheck " + " ".join(cmd), f"{median:.3f}", f"{fastest:.3f}")
        print(" | ".join(c.ljust(len(h)) if i == 0 else c.rjust(len(h)) for i, (c, h) in enumerate(zip(cells, head))))

    modules, total = import_profile()
    textual = sorted(m for m in modules if m == "textual" or m.startswith("textual."))
    print()
    print(f"import assistant.cli: {total / 1000:.1f} ms cumulative, {len(modules)} modules")
    print(f"textual NOT imported by assistant.cli: {'no' if textual else 'yes'}")
    if textual:
        print("  textual modules loaded: " + ", ".join(textual[:10]))
    return 1 if textual else 0


if __name__ == "__main__":
    sys.exit(main())
