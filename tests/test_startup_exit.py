"""`selfcheck run` ends without tearing the interpreter down (assistant/fast_exit.py, issue 14 §2), and
loses nothing by it: the whole output is written, the session is stored, what was registered with
atexit runs, and a process that must end normally (a thread still running, a failed command, a call
in-process) does.

Each child is `python -c` with a small prelude, then the program as the console script starts it
(`assistant.cli.main()` with sys.argv). The prelude leaves a module-level object whose __del__
prints "torn down" when Python frees the modules at a normal exit, and an atexit handler that
prints "atexit ran"."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "answers.json"

PRELUDE = """
import atexit, sys, threading
class Witness:
    def __del__(self):
        print("torn down", file=sys.stderr, flush=True)
witness = Witness()
atexit.register(lambda: print("atexit ran", file=sys.stderr, flush=True))
returned = threading.Event()
{extra}
sys.argv = ["selfcheck", *{argv!r}]
from assistant.cli import main
code = main()
returned.set()
sys.exit(code)
"""

# a thread that is not a daemon, still running when the command returns (it ends only once main() has
# returned, however long the command took): Python's exit waits for it
THREAD = "threading.Thread(target=returned.wait).start()"


def program(argv: list[str], extra: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "SELFCHECK_DB"}
    return subprocess.run([sys.executable, "-c", PRELUDE.format(extra=extra, argv=argv)], capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=120)


def run_args(db: Path, *more: str) -> list[str]:
    return ["run", "--answers", str(EXAMPLE), "--db", str(db), "--lang", "en", *more]


def stored(db: Path) -> list[str]:
    from assistant.store import open_store

    return [s.session_id for s in open_store(db).list_sessions()]


def test_run_ends_fast_with_its_output_whole_and_the_session_stored(tmp_path):
    p = program(run_args(tmp_path / "db", "--format", "json"))
    assert p.returncode == 0, p.stderr[-2000:]
    result = json.loads(p.stdout)  # all of it: a cut JSON text would not parse
    assert result["grade"]["outcome"] and result["banks"]
    assert stored(tmp_path / "db") == [result["session_id"]]
    assert "atexit ran" in p.stderr
    assert "torn down" not in p.stderr  # the modules were not freed one by one


def test_run_into_a_file_writes_it_whole(tmp_path):
    out = tmp_path / "result.md"
    p = program(run_args(tmp_path / "db", "--format", "md", "--out", str(out)))
    assert p.returncode == 0, p.stderr[-2000:]
    assert "torn down" not in p.stderr
    in_process = tmp_path / "again.md"  # the same command in this process, which ends normally
    from assistant.cli import main

    assert main(run_args(tmp_path / "db2", "--format", "md", "--out", str(in_process))) == 0
    def masked(path: Path) -> str:  # the session's id and time differ
        text = re.sub(r"\d{8}-[0-9a-f]{6}", "ID", path.read_text(encoding="utf-8"))
        return re.sub(r"\d{4}-\d\d-\d\dT[\d:+-]+", "TIME", text)

    assert masked(out) == masked(in_process)
    assert "## " in masked(out) and masked(out).endswith("\n")


def test_a_thread_still_running_gets_the_normal_exit(tmp_path):
    p = program(run_args(tmp_path / "db", "--format", "json"), extra=THREAD)
    assert p.returncode == 0, p.stderr[-2000:]
    assert json.loads(p.stdout)["banks"]
    assert p.stderr.count("atexit ran") == 1
    assert "torn down" in p.stderr


def test_a_failed_run_ends_normally_with_its_message(tmp_path):
    bad = tmp_path / "answers.json"
    bad.write_text("{", encoding="utf-8")
    p = program(["run", "--answers", str(bad), "--db", str(tmp_path / "db"), "--lang", "en"])
    assert p.returncode == 2
    assert "answers.json" in p.stderr
    assert "torn down" in p.stderr and "atexit ran" in p.stderr
    assert not (tmp_path / "db").exists() or stored(tmp_path / "db") == []


def test_other_commands_end_normally(tmp_path):
    p = program(["banks", "list", "--format", "json", "--db", str(tmp_path / "db")])
    assert p.returncode == 0, p.stderr[-2000:]
    assert "torn down" in p.stderr


def test_an_output_that_cannot_be_written_gets_the_normal_exit_and_its_error(tmp_path):
    """Standard output full (its buffer large enough to hold the result until the end): the last flush
    fails, so the program exits as Python always does, saying so (exit 120), not as if all was well."""
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    full = "sys.stdout = open('/dev/full', 'w', buffering=1 << 20)"
    p = program(run_args(tmp_path / "db", "--format", "json"), extra=full)
    assert p.returncode == 120, p.stderr[-2000:]
    assert "No space left on device" in p.stderr
    assert "torn down" in p.stderr
