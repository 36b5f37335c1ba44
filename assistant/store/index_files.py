"""The files of a store's index (their layout is described in index.py): where they are, the pending
marks, and reading and validating index.json, an organisation's file and its log. Every file is
validated strictly (pydantic: summary.SummaryRow); damage raises StoreDamaged naming the file."""

from __future__ import annotations

import hashlib
import json
import os
import re
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Callable

from pydantic import ValidationError

from ..domain.answers import Session
from .atomic import dumps, fsync_dir, read_json, write_atomic
from .errors import StoreDamaged, StoreError
from .summary import ROW, ROWS, SESSION_ID, Summary, summary_of

FORMAT = "selfcheck-index"
ORG_FORMAT = "selfcheck-index-org"
SCHEMA = 3  # 3: summaries may carry their scores (summary.py); the files of 2 read as they are
READS = (2, 3)
HASH = re.compile(r"^[0-9a-f]{40}$")
# a log is folded into its organisation's file once it is larger than this plus an eighth of that file
COMPACT_BYTES = 16384


def org_hash(org: str) -> str:
    """The file name of an organisation's index files (the same digest as its action plan's)."""
    return hashlib.sha1(org.encode("utf-8", "surrogatepass")).hexdigest()


def _problem_of(path: Path, what: str, error: ValidationError) -> StoreDamaged:
    err = error.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    return StoreDamaged(path, f"{what} is invalid: {where or 'the top'}: {err['msg']}")


class IndexFiles:
    """The index's files, for IndexStore (and so TinyStore, whose folder and locks they use)."""

    root: Path
    problems: list[str]
    _unlocked: StoreError | None
    _lock: Callable[..., AbstractContextManager[bool]]
    _load: Callable[[str, Path], Session]
    _session_path: Callable[[str], Path]
    _problem: Callable[[str], None]
    _copy_aside: Callable[[Path, Path, str], Path]

    # -- files -----------------------------------------------------------------------------

    @property
    def _index_path(self) -> Path:
        return self.root / "index.json"

    @property
    def _index_dir(self) -> Path:
        return self.root / "index"

    @property
    def _pending_dir(self) -> Path:
        return self.root / "pending"

    def _org_files(self, h: str) -> tuple[Path, Path]:
        return self._index_dir / f"{h}.json", self._index_dir / f"{h}.log"

    def _is_index_file(self, path: Path) -> bool:
        return path == self._index_path or path.parent == self._index_dir

    def _listdir(self, folder: Path) -> list[str]:
        try:
            return os.listdir(folder)
        except FileNotFoundError:
            return []
        except OSError as e:
            raise StoreError(f"cannot read the store folder {folder}: {e.strerror or e}") from None

    def _session_ids(self) -> set[str]:
        """The sessions in s/, by their file names (nothing is read)."""
        return {name[:-5] for name in self._listdir(self.root / "s")
                if name.endswith(".json") and SESSION_ID.fullmatch(name[:-5])}

    def _has_session_files(self, new: str | None = None) -> bool:
        return any(sid != new for sid in self._session_ids())

    # -- pending changes -------------------------------------------------------------------

    def _mark(self, h: str, sid: str) -> None:
        """Say, durably, that session `sid` (of the organisation `h`) is about to change."""
        path = self._pending_dir / f"{h}.{sid}"
        try:
            self._pending_dir.mkdir(exist_ok=True)
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o644))
            fsync_dir(self._pending_dir)
        except OSError as e:
            raise StoreError(f"could not save {path}: {e.strerror or e}. Nothing was changed on disk.") from e

    def _unmark(self, h: str, sid: str) -> None:
        try:
            (self._pending_dir / f"{h}.{sid}").unlink(missing_ok=True)
        except OSError:
            pass  # a mark left behind only makes the next reader look at this session's file again

    def _marks(self) -> list[tuple[str, str]]:
        out = []
        for name in self._listdir(self._pending_dir):
            h, _, sid = name.partition(".")
            if HASH.fullmatch(h) and SESSION_ID.fullmatch(sid):
                out.append((h, sid))
        return sorted(out)

    # -- reading the files ---------------------------------------------------------------

    def _read_manifest(self) -> dict[str, tuple[str, int]] | None:
        """index.json: the number of sessions of each organisation (by its hash); None when missing."""
        path = self._index_path
        data = read_json(path)
        if data is None:
            return None
        if data.get("format") != FORMAT or set(data) != {"format", "schema", "orgs"}:
            raise StoreDamaged(path, "it is not a selfcheck index")
        if type(data["schema"]) is not int or data["schema"] not in READS:
            raise StoreDamaged(path, f"its schema {data['schema']!r:.20} is not one this selfcheck "
                                     f"reads ({', '.join(map(str, READS))})")
        orgs = data["orgs"]
        if not isinstance(orgs, dict):
            raise StoreDamaged(path, "its organisations are not an object")
        out = {}
        for h, entry in orgs.items():
            ok = (isinstance(entry, dict) and set(entry) == {"org", "sessions"} and isinstance(entry["org"], str)
                  and type(entry["sessions"]) is int and entry["sessions"] > 0)
            if not ok or org_hash(entry["org"]) != h:
                raise StoreDamaged(path, f"its entry {h!r:.50} is invalid")
            out[h] = (entry["org"], entry["sessions"])
        return out

    def _write_manifest(self, counts: dict[str, tuple[str, int]]) -> None:
        orgs = {h: {"org": org, "sessions": n} for h, (org, n) in sorted(counts.items()) if n > 0}
        write_atomic(self._index_path, dumps({"format": FORMAT, "schema": SCHEMA, "orgs": orgs}))

    def _org_rows(self, h: str) -> dict[str, Summary]:
        """One organisation's summaries: its file with its log replayed. Damage raises StoreDamaged."""
        snap, log = self._org_files(h)
        rows: dict[str, Summary] = {}
        data = read_json(snap)
        if data is not None:
            if (data.get("format") != ORG_FORMAT or set(data) != {"format", "schema", "org", "sessions"}
                    or type(data["schema"]) is not int or data["schema"] not in READS):
                raise StoreDamaged(snap, "it is not a selfcheck index of one organisation")
            org = data["org"]
            if not isinstance(org, str) or org_hash(org) != h:
                raise StoreDamaged(snap, "it names another organisation than its file name")
            try:
                table = ROWS.validate_python(data["sessions"])
                for sid, row in table.items():
                    if sid != row["session_id"] or row["org"] != org:
                        raise StoreDamaged(snap, f"a summary is invalid: {sid!r:.50} is filed under the wrong "
                                                 f"id or organisation")
                    rows[sid] = summary_of(row)
            except ValidationError as e:
                raise _problem_of(snap, "a summary", e) from None
            except ValueError as e:
                raise StoreDamaged(snap, f"a summary is invalid: {e}") from None
        for n, change in enumerate(self._log_lines(log), 1):
            try:
                if set(change) == {"put"}:
                    summary = summary_of(ROW.validate_python(change["put"]))
                    if org_hash(summary.org) != h:
                        raise ValueError("it belongs to another organisation")
                    rows[summary.session_id] = summary
                elif set(change) == {"drop"} and isinstance(change["drop"], str):
                    if not SESSION_ID.fullmatch(change["drop"]):
                        raise ValueError(f"{change['drop']!r:.50} is not a session id")
                    rows.pop(change["drop"], None)
                else:
                    raise ValueError("it is neither a put nor a drop")
            except ValidationError as e:
                raise _problem_of(log, f"its line {n}", e) from None
            except ValueError as e:
                raise StoreDamaged(log, f"its line {n} is invalid: {e}") from None
        return rows

    @staticmethod
    def _log_lines(log: Path) -> list[dict[str, Any]]:
        """The log's complete lines, parsed; a last line without its newline (a write cut short) is
        not part of it."""
        try:
            raw = log.read_bytes()
        except FileNotFoundError:
            return []
        except OSError as e:
            raise StoreError(f"cannot read {log}: {e.strerror or e}") from e
        out = []
        for n, line in enumerate(raw.split(b"\n")[:-1], 1):
            try:
                change = json.loads(line.decode("utf-8"))
            except (UnicodeDecodeError, ValueError, RecursionError):
                raise StoreDamaged(log, f"its line {n} is not JSON") from None
            if not isinstance(change, dict):
                raise StoreDamaged(log, f"its line {n} is not an object")
            out.append(change)
        return out
