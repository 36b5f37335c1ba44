"""The errors of the store, with messages meant for the user (they name the file and say what to do)."""

from __future__ import annotations

from pathlib import Path


class StoreError(Exception):
    """The store cannot do what was asked; nothing on disk was changed."""


class StoreDamaged(StoreError):
    """A store file that cannot be read as what it should be. It is left untouched on disk."""

    def __init__(self, path: Path | str, problem: str):
        self.path = Path(path)
        super().__init__(
            f"the store file {self.path} is damaged: {problem}. It was left as it is "
            f"(nothing was overwritten); restore it from a backup or move it aside to go on."
        )


class SessionNotFound(StoreError):
    def __init__(self, ref: str, candidates: list[str] | None = None):
        if candidates:
            msg = f"session {ref!r} is ambiguous: it matches {', '.join(candidates[:5])}"
        else:
            msg = f"no session {ref!r} in this store (see `selfcheck sessions list`)"
        super().__init__(msg)
