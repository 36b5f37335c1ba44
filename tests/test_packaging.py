"""The wheel carries the question banks, and an installed copy finds them without the checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_carries_the_banks_and_finds_them_without_the_checkout(tmp_path):
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(ROOT), "-w", str(tmp_path)],
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("selfcheck-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    shipped = sorted(p.name for p in (ROOT / "question_banks").glob("*.toml"))
    assert shipped and all(f"assistant/question_banks/{n}" in names for n in shipped)
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    # run from elsewhere, with only the unpacked wheel (not the checkout) on the path
    probe = ("import sys; sys.path.insert(0, sys.argv[1]); "
             "from assistant.domain.loader import banks_dir, load_library; "
             "print(banks_dir()); print(len(load_library().banks))")
    out = subprocess.run([sys.executable, "-I", "-c", probe, str(site)], capture_output=True, text=True,
                         cwd=tmp_path, timeout=60)
    assert out.returncode == 0, out.stderr
    where, count = out.stdout.split()
    assert Path(where) == site / "assistant" / "question_banks"
    assert int(count) == 9  # six scored banks and the three checklists of issue 15
