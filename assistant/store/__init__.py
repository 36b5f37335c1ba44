"""The store layer: sessions, answers and history. The only layer that touches TinyDB.

Everything above it uses `open_store` and the methods of the returned store; an association that
runs self-checks for many organisations could put the same methods on a server database.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import SessionNotFound, StoreDamaged, StoreError, WorkshopError
from .summary import Summary
from .tiny import TinyStore

ENV_VAR = "SELFCHECK_DB"


def default_path() -> Path:
    """--db, else $SELFCHECK_DB, else ./sessions."""
    return Path(os.environ.get(ENV_VAR) or "sessions")


def open_store(path: Path | str | None = None) -> TinyStore:
    return TinyStore(Path(path) if path else default_path())


__all__ = ["open_store", "default_path", "TinyStore", "Summary", "StoreError", "StoreDamaged", "SessionNotFound", "WorkshopError"]
