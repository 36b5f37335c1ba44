"""Which store folder a path lies in: results and exports are never written into a store (`--out`)."""

from __future__ import annotations

import json
from pathlib import Path

from .tiny import FORMAT


def store_holding(path: Path | str, root: Path | str | None = None) -> Path | None:
    """The store folder that `path` is in (or is): `root` when given (a store that may not exist
    yet), else the nearest folder above it holding a selfcheck store marker; None when it is in none."""
    target = Path(path).expanduser().resolve()
    if root is not None:
        folder = Path(root).expanduser().resolve()
        if target == folder or folder in target.parents:
            return folder
    for folder in target.parents:
        marker = folder / "store.json"
        try:
            data = json.loads(marker.read_bytes()) if marker.is_file() else None
        except (OSError, ValueError, RecursionError):
            continue
        if isinstance(data, dict) and data.get("format") == FORMAT:
            return folder
    return None
