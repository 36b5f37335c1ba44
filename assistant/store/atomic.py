"""A TinyDB storage that never tears its file: write a temp file beside it, fsync, os.replace, fsync the folder.

TinyDB's stock JSONStorage truncates and rewrites the file in place, so a process killed mid-write
leaves half a file. Here a reader sees either the old file or the new one, never a mix.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from .errors import StoreDamaged, StoreError


def fsync_dir(folder: Path) -> None:
    if os.name != "posix":  # Windows cannot open a folder; os.replace is durable enough there
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as e:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        raise StoreError(f"could not save {path}: {e.strerror or e}. Nothing was changed on disk.") from e
    fsync_dir(path.parent)


def read_json(path: Path) -> Any | None:
    """The parsed file, None if it does not exist; a damaged file raises StoreDamaged naming it."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as e:
        raise StoreError(f"cannot read {path}: {e.strerror or e}") from e
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise StoreDamaged(path, f"it is not valid JSON ({e})") from None
    if not isinstance(data, dict):
        raise StoreDamaged(path, "it does not hold a JSON object")
    return data


class AtomicJSONStorage(Storage):
    """TinyDB storage over one JSON file, written atomically and durably."""

    def __init__(self, path: str | Path, create: bool = False) -> None:
        self.path = Path(path)
        self.create = create

    def read(self) -> dict[str, dict[str, Any]] | None:
        data = read_json(self.path)
        if data is None:
            if not self.create:
                raise StoreError(f"{self.path} does not exist")
            return None
        for name, table in data.items():
            if not isinstance(table, dict):
                raise StoreDamaged(self.path, f"its table {name!r} is not an object")
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        write_atomic(self.path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))

    def close(self) -> None:
        pass
