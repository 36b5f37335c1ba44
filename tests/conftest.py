"""Shared fixtures: the shipped banks, a fresh store in a temporary folder, a fixed clock."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from datetime import datetime, timedelta, timezone

import pytest

import assistant.store
from assistant.domain.loader import load_library
from assistant.store import TinyStore

from .pg_fixture import any_store, pg_server, pg_url, store_location  # noqa: F401  (the PostgreSQL store's server and fixtures)


def pytest_configure(config):
    """The bank cache (assistant/domain/bank_cache.py) in a folder of the run's own, never the user's
    ~/.cache/selfcheck: XDG_CACHE_HOME, which platformdirs reads at each call, in this process and
    in every `selfcheck` subprocess. Set before any test module loads the banks."""
    config.selfcheck_cache = tempfile.mkdtemp(prefix="selfcheck-test-cache-")
    os.environ["XDG_CACHE_HOME"] = config.selfcheck_cache


def pytest_unconfigure(config):
    shutil.rmtree(getattr(config, "selfcheck_cache", ""), ignore_errors=True)


@pytest.fixture(autouse=True, scope="session")
def user_data_folder(tmp_path_factory):
    """No test writes into the real per-user data folder (~/.local/share/selfcheck, which is root's
    in CI): a test that forgets --db lands in a temporary one, in this process and in the
    `selfcheck` subprocesses (XDG_DATA_HOME, which platformdirs follows on Linux)."""
    home = tmp_path_factory.mktemp("user-data")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_DATA_HOME", str(home))
        patch.setattr(assistant.store, "user_data_path", lambda app, appauthor=None: home / app)
        yield home / "selfcheck"


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
