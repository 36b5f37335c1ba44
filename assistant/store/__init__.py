"""The store layer: sessions, answers and history. The only layer that touches TinyDB.

Everything above it uses `open_store` and the methods of the returned store; an association that
runs self-checks for many organisations could put the same methods on a server database.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from .errors import SessionNotFound, StoreDamaged, StoreError, WorkshopError

if TYPE_CHECKING:
    from pathlib import Path

    from .summary import Summary
    from .tiny import TinyStore

_LAZY = {"TinyStore": "tiny", "Summary": "summary"}


def __getattr__(name: str) -> object:
    """The store's classes load on first use (TinyDB, pydantic): `selfcheck --help` never needs them."""
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


ENV_VAR = "SELFCHECK_DB"
LOCAL = "sessions"  # the store of earlier versions, in the folder selfcheck was started from (pathlib is
# not imported here: the CLI imports this package before it parses, and `--help` needs no paths)


def user_data_path(appname: str, appauthor: bool | None = None) -> Path:
    """platformdirs' (imported when first asked: the CLI imports this package before it parses)."""
    from platformdirs import user_data_path as per_user

    return per_user(appname, appauthor=appauthor)


def user_path() -> Path:
    """The per-user store, the same wherever selfcheck is started: ~/.local/share/selfcheck/sessions
    on Linux, ~/Library/Application Support/selfcheck/sessions on macOS,
    %LOCALAPPDATA%\\selfcheck\\sessions on Windows."""
    return user_data_path("selfcheck", appauthor=False) / "sessions"


def default_path() -> Path | str:
    """The store when --db is not given: $SELFCHECK_DB (a folder, or a postgresql:// URL kept as text),
    else ./sessions when the current folder has one (kept for stores made before the per-user folder),
    else the per-user folder."""
    from pathlib import Path

    if os.environ.get(ENV_VAR):
        value = os.environ[ENV_VAR]
        return value if is_server(value) else Path(value)
    return Path(LOCAL) if is_store(Path(LOCAL)) else user_path()


def is_store(path: Path) -> bool:
    """Does `path` hold a store (not just any folder called sessions)?"""
    return any((path / name).exists() for name in ("store.json", "index.json", "s"))


def is_server(location: object) -> bool:
    """Does --db name a PostgreSQL server (postgresql://user:pass@host:port/dbname) rather than a folder?"""
    return isinstance(location, str) and location.startswith(("postgresql://", "postgres://"))


def open_store(path: Path | str | None = None) -> TinyStore:
    """The store in a folder (TinyStore) or on a PostgreSQL server (store/postgres.py, same methods)."""
    location = path if path else default_path()
    if is_server(location):
        from .postgres import PostgresStore  # psycopg is loaded only for a server store

        return PostgresStore(str(location))  # type: ignore[return-value]  # the same interface
    from pathlib import Path

    from .tiny import TinyStore

    return TinyStore(Path(location))


__all__ = ["open_store", "default_path", "user_path", "TinyStore", "Summary", "StoreError", "StoreDamaged", "SessionNotFound", "WorkshopError"]
