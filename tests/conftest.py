"""Shared fixtures: the shipped banks, a fresh store in a temporary folder, a fixed clock."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from assistant.domain.loader import load_library
from assistant.store import TinyStore


@pytest.fixture(autouse=True)
def quick_keys_answer_at_once(monkeypatch):
    """A lone key 1–5 waits a moment for more typing before it answers (ChatInput.hold); Pilot
    tests that press one key and look at once get no wait. Tests of typing at human speed set
    the real hold back (tests/test_conversation.py)."""
    from assistant.tui.widgets.chat_input import ChatInput

    monkeypatch.setattr(ChatInput, "hold", 0.0)


@pytest.fixture(scope="session")
def library():
    return load_library()


class FixedClock:
    """A clock that starts at a fixed moment and moves one second per call."""

    def __init__(self, start: datetime = datetime(2026, 11, 21, 9, 0, tzinfo=timezone(timedelta(hours=8)))):
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def clock():
    return FixedClock()


@pytest.fixture
def store(tmp_path, clock):
    return TinyStore(tmp_path / "sessions", clock=clock)


class Run:
    """What an in-process `selfcheck` run gave: exit code, standard output and error."""

    def __init__(self, code: int, out: str, err: str):
        self.code, self.out, self.err = code, out, err

    def json(self):
        return json.loads(self.out)
