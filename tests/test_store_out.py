"""`--out` and the store folder (issue 11, point 13): a result is never written into a store, and
`--out -` is standard output. (A full output device after the session was stored: test_faults.py.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.store import TinyStore

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "answers.json"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def store_files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.parent.name != "locks"}


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SELFCHECK_DB", raising=False)
    return tmp_path / "db"


@pytest.mark.parametrize("where", ["report.json", "s/20261121-aaaaaa.json", "index.json", "store.json",
                                   "s/sub/deeper.txt", "./s/../x.json"])
def test_run_refuses_an_output_file_in_the_store_and_stores_nothing(capsys, db, where):
    first = run(capsys, "run", "--answers", str(EXAMPLE), "--format", "json", "--db", str(db))
    assert first[0] == 0, first[2]
    before = store_files(db)
    target = db / where
    code, out, err = run(capsys, "run", "--answers", str(EXAMPLE), "--out", str(target), "--db", str(db))
    assert code == 2 and out == "", (code, err)
    assert "Traceback" not in err and str(db) in err
    assert store_files(db) == before  # nothing stored, nothing written
    assert len(TinyStore(db).list_sessions()) == 1


def test_run_refuses_an_output_file_in_a_store_it_would_create(capsys, db):
    code, out, err = run(capsys, "run", "--answers", str(EXAMPLE), "--out", str(db / "result.txt"), "--db", str(db))
    assert code == 2 and out == "" and "Traceback" not in err
    assert not (db / "result.txt").exists() and not (db / "s").exists()


@pytest.mark.parametrize("command", ["report", "export", "compare"])
def test_other_commands_refuse_an_output_file_in_the_store(capsys, db, command):
    assert run(capsys, "run", "--answers", str(EXAMPLE), "--format", "json", "--db", str(db))[0] == 0
    assert run(capsys, "run", "--answers", str(EXAMPLE), "--format", "json", "--db", str(db))[0] == 0
    a, b = sorted(s.session_id for s in TinyStore(db).list_sessions())
    before = store_files(db)
    argv = {"report": ["report", a], "export": ["export", a], "compare": ["compare", a, b]}[command]
    for target in (db / "index.json", db / "s" / f"{a}.json", db / "out.md"):
        code, out, err = run(capsys, *argv, "--out", str(target), "--db", str(db))
        assert code == 2 and out == "" and "Traceback" not in err, (target, code, err)
    assert store_files(db) == before


def test_out_dash_writes_to_standard_output(capsys, db, tmp_path):
    code, out, err = run(capsys, "run", "--answers", str(EXAMPLE), "--format", "json", "--out", "-", "--db", str(db))
    assert code == 0, err
    sid = json.loads(out)["session_id"]
    assert not (tmp_path / "-").exists()
    code, out, err = run(capsys, "report", sid, "--format", "md", "--out", "-", "--db", str(db))
    assert code == 0 and out.startswith("#") and not (tmp_path / "-").exists(), err
    code, out, err = run(capsys, "export", sid, "--out", "-", "--db", str(db))
    assert code == 0 and json.loads(out)["session"]["id"] == sid
    assert not (tmp_path / "-").exists()
    code, out, err = run(capsys, "report", sid, "--format", "text", "--out", "-", "--db", str(db))
    assert code == 0 and sid in out and not (tmp_path / "-").exists()
