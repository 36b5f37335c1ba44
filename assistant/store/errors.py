"""The errors of the store, with messages meant for the user (they name the file and say what to do)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the CLI imports these errors before it parses anything: no pydantic (nor pathlib) here
    from pathlib import Path

    from pydantic import ValidationError


class StoreError(Exception):
    """The store cannot do what was asked; nothing on disk was changed."""


class StoreDamaged(StoreError):
    """A store file that cannot be read as what it should be. It is left untouched on disk.

    `kept` is where a copy of it was kept aside (a damaged session file is copied to
    <store>/damaged/ the first time it is found), `kept_failed` why no copy could be made.
    """

    def __init__(self, path: Path | str, problem: str, kept: Path | None = None, kept_failed: str | None = None):
        from pathlib import Path

        self.path = Path(path)
        self.problem = problem
        self.kept = kept
        self.kept_failed = kept_failed
        if kept is not None:
            after = (f"It was left as it is (nothing was overwritten) and a copy of it was kept aside as {kept}; "
                     f"restore it from a backup, or move it out of the store to go on without it.")
        elif kept_failed is not None:
            after = (f"It was left as it is (nothing was overwritten), but no copy could be kept aside "
                     f"({kept_failed}); restore it from a backup or move it aside to go on.")
        else:
            after = "It was left as it is (nothing was overwritten); restore it from a backup or move it aside to go on."
        super().__init__(f"the store file {self.path} is damaged: {problem}. {after}")


class SessionNotFound(StoreError):
    def __init__(self, ref: str, candidates: list[str] | None = None):
        if candidates:
            msg = f"session {ref!r} is ambiguous: it matches {', '.join(candidates[:5])}"
        else:
            msg = f"no session {ref!r} in this store (see `selfcheck sessions list`)"
        super().__init__(msg)


class WorkshopError(StoreError):
    """An unknown workshop, or one that exists already: the user's input, not the store, is at fault."""


def invalid(path: Path | str, what: str, error: ValidationError) -> StoreDamaged:
    """The damage of a record that does not validate, naming where: `what` is e.g. "its session record"."""
    err = error.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    return StoreDamaged(path, f"{what} is invalid at {where or 'the top'}: {err['msg']}")
