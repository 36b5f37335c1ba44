"""A TinyDB storage that never tears its file: write a temp file beside it, fsync, os.replace, fsync the folder.

TinyDB's stock JSONStorage truncates and rewrites the file in place, so a process killed mid-write
leaves half a file. Here a reader sees either the old file or the new one, never a mix. A write that
fails (a full disk, a read-only folder) removes its temp file and leaves the old file as it was.
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


def temp_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def write_atomic(path: Path, content: str | bytes) -> None:
    data = content.encode("utf-8") if isinstance(content, str) else content
    tmp = temp_path(path)
    try:
        try:
            with open(tmp, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except BaseException:
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass
            raise
    except OSError as e:
        raise StoreError(f"could not save {path}: {e.strerror or e}. Nothing was changed on disk.") from e
    try:
        fsync_dir(path.parent)
    except OSError as e:
        raise StoreError(f"{path} was written, but the folder could not be synced to disk: {e.strerror or e}") from e


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
    except UnicodeDecodeError as e:
        raise StoreDamaged(path, f"it is not UTF-8 text ({e.reason} at byte {e.start})") from None
    except (ValueError, RecursionError) as e:  # JSONDecodeError is a ValueError; so are huge numbers
        raise StoreDamaged(path, f"it is not valid JSON ({e})") from None
    if not isinstance(data, dict):
        raise StoreDamaged(path, "it does not hold a JSON object")
    return data


def dumps(data: Any) -> bytes:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate in some text: escape it (\udxxx), it reads back the same
        return json.dumps(data, ensure_ascii=True, separators=(",", ":")).encode("ascii")


class AtomicJSONStorage(Storage):
    """TinyDB storage over one JSON file, written atomically and durably.

    What it reads must have TinyDB's shape (tables of records keyed by number); anything else is
    refused as damaged here, before TinyDB could trip over it.
    """

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
            for doc_id, doc in table.items():
                if not (doc_id.isascii() and doc_id.isdigit()):
                    raise StoreDamaged(self.path, f"its table {name!r} has a record key {doc_id!r:.40} that is not a number")
                if not isinstance(doc, dict):
                    raise StoreDamaged(self.path, f"its table {name!r} has a record ({doc_id}) that is not an object")
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        write_atomic(self.path, dumps(data))

    def close(self) -> None:
        pass
