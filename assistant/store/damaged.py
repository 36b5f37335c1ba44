"""Damaged files copied aside before anything else happens to them: a damaged session file into
<store>/damaged/<file name>.<UTC time>, a damaged index file beside itself (index.py). The originals
stay; a copy with the same bytes kept earlier is reused."""

from __future__ import annotations

import os
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

from .atomic import write_atomic
from .errors import StoreDamaged, StoreError


class DamageKeeper:
    """The copies kept aside, for TinyStore (a mixin): its folder and clock."""

    root: Path
    clock: Callable[[], datetime]

    def _utc_stamp(self) -> str:
        return self.clock().astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")

    def _copy_aside(self, path: Path, folder: Path, prefix: str) -> Path:
        """Copy `path` byte for byte to folder/<prefix><UTC time>, atomically. A copy with the same
        bytes kept earlier under the same prefix is reused, so finding the damage again adds nothing."""
        try:
            raw = path.read_bytes()
            if folder.is_dir():
                for name in sorted(os.listdir(folder)):
                    if name.startswith(prefix) and (folder / name).read_bytes() == raw:
                        return folder / name
            folder.mkdir(parents=True, exist_ok=True)
            stamp = self._utc_stamp()
            target, n = folder / f"{prefix}{stamp}", 1
            while target.exists():
                n += 1
                target = folder / f"{prefix}{stamp}-{n}"
        except OSError as e:
            raise StoreError(f"cannot copy {path} aside into {folder}: {e.strerror or e}") from None
        write_atomic(target, raw)
        return target

    def _kept_aside(self, damage: StoreDamaged) -> StoreDamaged:
        """The same damage, with a copy of the session file kept in <store>/damaged/."""
        if damage.kept is not None or damage.kept_failed is not None:
            return damage
        path = damage.path
        try:
            kept = self._copy_aside(path, self.root / "damaged", f"{path.name}.")
        except StoreError as e:
            return StoreDamaged(path, damage.problem, kept_failed=str(e))
        return StoreDamaged(path, damage.problem, kept=kept)

    @contextmanager
    def _reading_session(self, path: Path) -> Iterator[None]:
        """Damage found in this session file is raised with a copy of the file kept aside."""
        try:
            yield
        except StoreDamaged as e:
            if e.path != path:
                raise
            raise self._kept_aside(e) from None
