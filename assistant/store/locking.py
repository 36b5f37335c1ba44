"""The folder store's cross-process locks (locks/<name>.lock), and the sweep of the temp files that
writers killed mid-save left behind, which a store does before its first write."""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from filelock import FileLock, Timeout

from .errors import StoreError

LOCK_TIMEOUT = 30.0


class FolderLocks:
    """The locks of TinyStore (a mixin): its folder, and what its __init__ sets for them."""

    root: Path
    _unlocked: StoreError | None
    _held: threading.local
    _swept: bool

    @contextmanager
    def _lock(self, name: str, readers: bool = False) -> Iterator[bool]:
        """Hold the lock `name` (cross-process). One order for every writer: "index", then "session-…".

        `readers`: where the lock cannot be taken because the store cannot be written (read-only),
        go on without it (yield False; the reason in self._unlocked): nobody can write there either.
        A lock this thread already holds is held on (a reader inside a writer)."""
        held: set[str] = self._held.__dict__.setdefault("names", set())
        if name in held:
            yield True
            return
        lock = FileLock(str(self.root / "locks" / f"{name}.lock"), timeout=LOCK_TIMEOUT)
        try:
            # poll often: with the default 50 ms one writer keeps the lock for a whole batch
            lock.acquire(poll_interval=0.005)
        except Timeout:
            raise StoreError(f"the store {self.root} is busy (another selfcheck holds {name}); try again") from None
        except OSError as e:
            error = StoreError(f"cannot write to the store {self.root}: {e.strerror or e}. Results can still be "
                               f"viewed; to save, use a folder you can write to (--db PATH)")
            if not readers:
                raise error from None
            self._unlocked = error
            yield False
            return
        held.add(name)
        if not readers and not self._swept:  # a writer: first clear what killed writers left in s/
            self._swept = True
            self._sweep_temp_files(self.root / "s")
        try:
            yield True
        finally:
            held.discard(name)
            lock.release()

    def _sweep_temp_files(self, *folders: Path) -> None:
        """Remove the temp files of writers killed mid-save (never read as data) whose process is gone.

        The small folders are swept when the store is opened; s/, which holds a file per session, by
        the first write (readers never read temp files, and listing s/ would cost every reader)."""
        if os.name != "posix":
            return
        for folder in folders:
            try:
                names = [name for name in os.listdir(folder) if name.startswith(".") and name.endswith(".tmp")]
            except OSError:
                continue
            for path in (folder / name for name in names):
                pid = path.name.rsplit(".", 2)[-2]
                if not pid.isdigit():
                    continue
                try:
                    os.kill(int(pid), 0)
                    continue  # that process is alive (maybe saving right now): leave its file
                except ProcessLookupError:
                    pass
                except (PermissionError, OverflowError, ValueError):
                    continue
                try:
                    path.unlink()
                except OSError:
                    pass  # a read-only store keeps them; they are harmless
