"""The store layer: sessions, answers and history. The only layer that touches TinyDB.

Everything above it uses `open_store` and the methods of the returned store; an association that
runs self-checks for many organisations could put the same methods on a server database.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

from .errors import SessionNotFound, StoreDamaged, StoreError, WorkshopError
from .summary import Summary
from .tiny import TinyStore

ENV_VAR = "SELFCHECK_DB"
LOCAL = Path("sessions")  # the store of earlier versions, in the folder selfcheck was started from


def user_path() -> Path:
    """The per-user store, the same wherever selfcheck is started: ~/.local/share/selfcheck/sessions
    on Linux, ~/Library/Application Support/selfcheck/sessions on macOS,
    %LOCALAPPDATA%\\selfcheck\\sessions on Windows."""
    return user_data_path("selfcheck", appauthor=False) / "sessions"


def default_path() -> Path:
    """The store when --db is not given: $SELFCHECK_DB, else ./sessions when the current folder has
    one (kept for stores made before the per-user folder), else the per-user folder."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    return LOCAL if is_store(LOCAL) else user_path()


def is_store(path: Path) -> bool:
    """Does `path` hold a store (not just any folder called sessions)?"""
    return any((path / name).exists() for name in ("store.json", "index.json", "s"))


def open_store(path: Path | str | None = None) -> TinyStore:
    return TinyStore(Path(path) if path else default_path())


__all__ = ["open_store", "default_path", "user_path", "TinyStore", "Summary", "StoreError", "StoreDamaged", "SessionNotFound", "WorkshopError"]
