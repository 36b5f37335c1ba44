"""Start-up: `selfcheck --help`, `--version` and a bad argument import nothing heavy (issue 14).

Behaviour, not timing: the modules a fresh `python -X importtime -m assistant …` loads are read
from its import log. The heavy ones are the libraries (pydantic, TinyDB, Rich, Textual) and our own
models and store; every command still works (tests/test_cli.py), each loading what it needs when it runs.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY_LIBRARIES = ("pydantic", "pydantic_core", "tinydb", "rich", "textual", "filelock", "tomllib", "platformdirs",
                   # the standard library's slow ones (3-5 ms each here): argparse's help would load shutil
                   # (with bz2 and lzma) for the width, pathlib loads urllib.parse and ipaddress
                   "pathlib", "shutil", "json", "bz2", "lzma")
HEAVY_OURS = ("assistant.domain.bank", "assistant.domain.answers", "assistant.domain.loader", "assistant.store.tiny",
              "assistant.store.summary", "assistant.report", "assistant.tui", "assistant.serve")


def imported(*args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run `python -X importtime -m assistant ARGS` and return it with the modules it imported."""
    env = {k: v for k, v in os.environ.items() if k != "SELFCHECK_DB"}
    p = subprocess.run([sys.executable, "-X", "importtime", "-m", "assistant", *args], capture_output=True,
                       text=True, cwd=ROOT, env=env, timeout=60)
    modules = {line.rsplit("|", 1)[1].strip() for line in p.stderr.splitlines()
               if line.startswith("import time:") and "self [us]" not in line}
    return p, modules


def heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules
                  if m.split(".")[0] in HEAVY_LIBRARIES or any(m == h or m.startswith(h + ".") for h in HEAVY_OURS))


@pytest.mark.parametrize("args, code, says", [
    (["--help"], 0, "selfcheck"),
    (["--help", "--lang", "en"], 0, "usage"),
    (["--version"], 0, "selfcheck "),
    (["run", "--help"], 0, "--answers"),
    (["history", "--help", "--lang", "en"], 0, "--org"),
    (["run"], 2, "--answers"),  # a required option missing
    (["report", "x", "--format", "pdf"], 2, "pdf"),  # a choice that is not one
    (["no-such-command"], 2, "no-such-command"),
])
def test_help_version_and_argument_errors_import_nothing_heavy(args, code, says):
    p, modules = imported(*args)
    assert p.returncode == code, p.stderr[-2000:]
    assert says in p.stdout + p.stderr
    assert "assistant.cli" in modules  # the log was read
    assert heavy(modules) == []


def test_a_command_still_loads_what_it_needs(tmp_path):
    """The lazy imports are not a stub: `banks list` loads the banks and prints them."""
    p, modules = imported("banks", "list", "--format", "json", "--db", str(tmp_path / "db"))
    assert p.returncode == 0, p.stderr[-2000:]
    assert "activities.design" in p.stdout
    assert "assistant.domain.bank" in modules and "pydantic" in modules


def test_every_command_module_is_light_to_import():
    """Each module in the registry imports nothing heavy at its top (its run() does)."""
    code = ("import sys\nfrom assistant.cli import _command_modules\nmods = _command_modules()\n"
            "print(len(mods))\nprint('\\n'.join(sorted(sys.modules)))\n")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert p.returncode == 0, p.stderr
    count, *modules = p.stdout.split("\n")
    assert int(count) >= 14
    assert heavy(set(modules)) == []


def test_the_i18n_tables_are_plain_data():
    """The texts every command reads at parse time import only the standard library's light parts."""
    code = "import sys\nimport assistant.i18n\nprint('\\n'.join(sorted(sys.modules)))\n"
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert p.returncode == 0, p.stderr
    layers = [m for m in p.stdout.split() if m.startswith(("assistant.domain", "assistant.store", "assistant.report",
                                                           "assistant.tui", "assistant.commands"))]
    assert layers == []
    assert heavy(set(p.stdout.split())) == []
