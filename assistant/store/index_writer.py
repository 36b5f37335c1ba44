"""Writing the index (its files and rules are described in index.py): a change goes into its
organisation's log (fsynced) and index.json's counts follow; a log that has grown is folded into its
organisation's file; an index in doubt is written anew from the session files, the doubtful file kept
aside first. Everything here runs under the index lock."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ..domain.answers import Session
from .atomic import dumps, fsync_dir, write_atomic
from .errors import StoreDamaged, StoreError
from .index_files import COMPACT_BYTES, HASH, ORG_FORMAT, SCHEMA, IndexFiles, org_hash
from .summary import Summary


@dataclass
class Fix:
    """What a session's summary must become: `summary` None takes it out. `known` says whether the
    index had it, so that index.json's count follows."""

    h: str
    org: str
    sid: str
    summary: Summary | None
    known: bool


class IndexWriter(IndexFiles):
    """The index's writing, for IndexStore (index.py), whose reading of the session files it uses."""

    _summaries_from_files: Callable[..., list[Summary]]

    # -- writing (under the index lock) -----------------------------------------------------

    def _append(self, h: str, changes: list[dict[str, Any]]) -> Callable[[], None]:
        """Append changes to an organisation's log, fsynced; returns how to take them back."""
        log = self._org_files(h)[1]
        data = b"".join(dumps(change) + b"\n" for change in changes)
        try:
            self._index_dir.mkdir(exist_ok=True)
            created = not log.exists()
            fd = os.open(log, os.O_RDWR | os.O_CREAT | os.O_APPEND | getattr(os, "O_BINARY", 0), 0o644)
        except OSError as e:
            raise StoreError(f"could not save {log}: {e.strerror or e}. Nothing was changed on disk.") from e
        try:
            size = os.fstat(fd).st_size
            if size:
                os.lseek(fd, size - 1, os.SEEK_SET)  # (writes go to the end all the same: O_APPEND)
                if os.read(fd, 1) != b"\n":
                    data = b"\n" + data  # a line cut short stays a line of its own: a reader finds it damaged
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
                os.fsync(fd)
            except BaseException:
                try:
                    os.ftruncate(fd, size)
                except OSError:
                    pass
                raise
        except OSError as e:
            raise StoreError(f"could not save {log}: {e.strerror or e}. Nothing was changed on disk.") from e
        finally:
            os.close(fd)
        if created:
            try:
                fsync_dir(self._index_dir)
            except OSError as e:
                raise StoreError(f"{log} was written, but the folder could not be synced to disk: "
                                 f"{e.strerror or e}") from e

        def undo() -> None:
            try:
                if created:
                    log.unlink()
                else:
                    os.truncate(log, size)
            except OSError:
                pass

        return undo

    def _apply(self, fixes: list[Fix], new: str | None = None,
               recount: dict[str, tuple[str, int]] | None = None) -> None:
        """Write the fixes into the index: each organisation's log, then index.json's counts when they
        change (by the fixes' `known`, or set to `recount`: the organisations' numbers of sessions
        after the fixes). Nothing is written into an index whose index.json cannot be read back: a
        missing or damaged one is rebuilt from the session files instead (they already hold the
        changes). `new` is a session file just written, which alone does not make a missing
        index.json a loss."""
        try:
            counts = self._read_manifest()
        except StoreDamaged as e:
            if e.path != self._index_path:
                raise
            self._rebuild(e)
            return
        if counts is None:
            if self._has_session_files(new) or self._listdir(self._index_dir):
                self._rebuild(None)
                return
            counts = {}
        undos = []
        try:
            for h in sorted({f.h for f in fixes}):
                changes = [{"put": f.summary.to_json()} if f.summary else {"drop": f.sid} for f in fixes if f.h == h]
                undos.append(self._append(h, changes))
            delta = [f for f in fixes if f.known != (f.summary is not None)]
            for f in delta if recount is None else []:
                org, n = counts.get(f.h, (f.org, 0))
                counts[f.h] = (org, n + (1 if f.summary is not None else -1))
            changed = {h: c for h, c in (recount or {}).items() if counts.get(h, (c[0], 0))[1] != c[1]}
            counts.update(changed)
            if delta and recount is None or changed:
                self._write_manifest(counts)
        except BaseException:
            for undo in reversed(undos):
                undo()
            raise
        for h in sorted({f.h for f in fixes}):
            self._compact(h, next(f.org for f in fixes if f.h == h))

    def _index_put(self, session: Session, added: bool) -> None:
        """Under the index lock: the session's summary into the index (`added`: it was not there)."""
        h = org_hash(session.org)
        self._apply([Fix(h, session.org, session.id, Summary.of(session), not added)],
                    new=session.id if added else None)

    def _index_drop(self, sid: str, org: str) -> None:
        self._apply([Fix(org_hash(org), org, sid, None, True)])

    def _compact(self, h: str, org: str) -> None:
        """Fold an organisation's log into its file once the log has grown (best effort: a log that
        stays is as good, only slower to read)."""
        snap, log = self._org_files(h)
        try:
            log_size = log.stat().st_size
            snap_size = snap.stat().st_size if snap.exists() else 0
        except OSError:
            return
        if log_size <= COMPACT_BYTES + snap_size // 8:
            return
        try:
            rows = self._org_rows(h)
            if rows:
                org = next(iter(rows.values())).org
            self._write_org(h, org, rows.values())
            os.truncate(log, 0)
        except (StoreError, OSError):
            pass

    def _write_org(self, h: str, org: str, summaries: Any) -> None:
        doc = {"format": ORG_FORMAT, "schema": SCHEMA, "org": org,
               "sessions": {s.session_id: s.to_json() for s in sorted(summaries, key=lambda s: s.session_id)}}
        write_atomic(self._org_files(h)[0], dumps(doc))

    # -- rebuilding ------------------------------------------------------------------------

    def _keep_aside(self, path: Path) -> Path | None:
        if not path.exists():
            return None
        return self._copy_aside(path, path.parent, f"{path.name}.damaged-")

    def _rebuild(self, damage: StoreDamaged | None) -> list[Summary]:
        """Under the index lock: keep the damaged file aside and write the index anew from the session
        files (a damaged one is skipped, with a problem). Returns every summary."""
        kept = self._keep_aside(damage.path) if damage is not None else None
        summaries = self._summaries_from_files()
        self._write_index(summaries)
        if damage is not None:
            self._problem(f"the index {damage.path} was damaged ({damage.problem}); it was kept aside as {kept} "
                          f"and rebuilt from {len(summaries)} session files")
        else:
            self._problem(f"the index {self._index_path} was missing; it was rebuilt from {len(summaries)} "
                          f"session files")
        return summaries

    def _write_index(self, summaries: list[Summary]) -> None:
        """Under the index lock: the whole index from these summaries; every mark is settled by it.

        The organisations' files first, then the logs go (a log replayed on its new file changes
        nothing), then index.json: a writer stopped half way leaves counts that do not match, and the
        next reader rebuilds again."""
        by_org: dict[str, tuple[str, list[Summary]]] = {}
        for s in summaries:
            by_org.setdefault(org_hash(s.org), (s.org, []))[1].append(s)
        try:
            self._index_dir.mkdir(exist_ok=True)
        except OSError as e:
            raise StoreError(f"cannot create the folder {self._index_dir}: {e.strerror or e}") from None
        for h, (org, mine) in sorted(by_org.items()):
            self._write_org(h, org, mine)
        for name in sorted(self._listdir(self._index_dir)):  # logs, and organisations with no session now
            stem, _, ext = name.partition(".")
            if HASH.fullmatch(stem) and (ext == "log" or ext == "json" and stem not in by_org):
                try:
                    (self._index_dir / name).unlink()
                except OSError as e:
                    raise StoreError(f"cannot remove {self._index_dir / name}: {e.strerror or e}") from None
        self._write_manifest({h: (org, len(mine)) for h, (org, mine) in by_org.items()})
        for h, sid in self._marks():
            self._unmark(h, sid)

    def _check_index_files(self) -> None:
        """Keep aside every damaged file of the index (before `reindex` replaces them)."""
        for path, read in [(self._index_path, lambda: self._read_manifest()),
                           *[(self._index_dir / name, lambda h=name[:40]: self._org_rows(h))
                             for name in sorted(self._listdir(self._index_dir))
                             if HASH.fullmatch(name[:40]) and name[40:] == ".json"]]:
            try:
                read()
            except StoreDamaged as e:
                self._keep_aside(e.path)

    def _upgrade_index(self) -> None:
        """Under the index lock: the index of a schema 1 store (one index.json) written anew."""
        self._write_index(self._summaries_from_files())
