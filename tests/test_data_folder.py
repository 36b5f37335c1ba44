"""Where the store lives when no --db is given: $SELFCHECK_DB, else ./sessions of the current folder
when it holds a store (as earlier versions made it), else the per-user data folder, so that
selfcheck finds its sessions wherever it is started. conftest.py points the per-user folder at a
temporary one for every test."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.store import TinyStore, default_path, user_path

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "answers.json"


@pytest.fixture
def elsewhere(tmp_path, monkeypatch):
    """A fresh current folder, no $SELFCHECK_DB."""
    monkeypatch.delenv("SELFCHECK_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_tests_never_touch_the_real_per_user_folder(user_data_folder):
    assert user_path() == user_data_folder / "sessions"
    assert not user_path().is_relative_to(Path.home())


def test_the_default_is_the_per_user_folder(elsewhere, user_data_folder):
    assert default_path() == user_data_folder / "sessions"


def test_sessions_of_the_current_folder_are_kept_when_they_hold_a_store(elsewhere):
    TinyStore(elsewhere / "sessions").create_session("测试医院", {"activities.effect": "2026.1"})
    assert default_path() == Path("sessions")


def test_a_folder_called_sessions_that_holds_no_store_is_not_taken(elsewhere, user_data_folder):
    (elsewhere / "sessions").mkdir()
    (elsewhere / "sessions" / "notes.txt").write_text("not a store", encoding="utf-8")
    assert default_path() == user_data_folder / "sessions"


def test_selfcheck_db_comes_first(elsewhere, monkeypatch):
    TinyStore(elsewhere / "sessions").create_session("测试医院", {"activities.effect": "2026.1"})
    monkeypatch.setenv("SELFCHECK_DB", str(elsewhere / "mine"))
    assert default_path() == elsewhere / "mine"


def test_a_session_stored_in_one_folder_is_listed_from_another(elsewhere, capsys, user_data_folder):
    assert main(["run", "--answers", str(EXAMPLE), "--format", "json"]) == 0
    sid = json.loads(capsys.readouterr().out)["session_id"]
    other = elsewhere / "somewhere" / "else"
    other.mkdir(parents=True)
    os.chdir(other)  # the fixture's monkeypatch goes back to the first folder afterwards
    assert main(["sessions", "list", "--format", "json"]) == 0
    assert [s["session_id"] for s in json.loads(capsys.readouterr().out)] == [sid]
    assert (user_data_folder / "sessions" / "s" / f"{sid}.json").is_file()
    assert not (elsewhere / "sessions").exists()
