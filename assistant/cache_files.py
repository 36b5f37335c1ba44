"""Files of the per-user cache folder (the bank cache, the opening frame): written whole or not at
all, and only the newest few of a kind kept. Best effort: a cache that cannot be written costs
speed, never a start."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def keep(folder: Path, name: str, data: bytes, newest: int) -> None:
    """Write `data` as folder/name atomically, then keep only the `newest` files with name's suffix.
    Raises OSError (callers ignore it)."""
    suffix = Path(name).suffix
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".cache-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, folder / name)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    old = sorted(folder.glob(f"*{suffix}"), key=lambda p: p.stat().st_mtime, reverse=True)[newest:]
    for path in old:
        path.unlink(missing_ok=True)
