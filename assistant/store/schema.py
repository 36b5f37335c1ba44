"""The folder store's marker, store.json ({"format": "selfcheck-store", "schema": N}): checked when the
store is opened (a damaged or newer one is refused, naming it), written when the store is created,
and an older store upgraded (schema 1: its single index.json is replaced by the index per
organisation; schema 2: only the marker changes)."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import Callable

from .atomic import read_json, write_atomic
from .errors import StoreDamaged, StoreError

SCHEMA = 3  # of the store (store.json); 2: the index per organisation; 3: summaries with their scores
FORMAT = "selfcheck-store"


class StoreSchema:
    """The schema check and upgrade of TinyStore (a mixin): its folder, locks, index and problems."""

    root: Path
    _checked: bool
    _legacy: bool
    _lock: Callable[..., AbstractContextManager[bool]]
    _sweep_temp_files: Callable[..., None]
    _upgrade_index: Callable[[], None]
    _problem: Callable[[str], None]
    _index_path: Path
    _index_dir: Path

    def _check_schema(self, create: bool) -> bool:
        """True when the store exists (and is one we can read); creates it when asked, upgrades it
        from schema 1 when it can be written."""
        if self._checked:
            return True
        marker = self.root / "store.json"
        data = read_json(marker)
        if data is None:
            if self._index_path.exists() or self._index_dir.exists():
                raise StoreDamaged(marker, "it is missing although the store holds an index")
            if not create:
                return False
            try:
                for sub in ("s", "locks"):
                    (self.root / sub).mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise StoreError(f"cannot create the store folder {self.root}: {e.strerror or e}") from e
            write_atomic(marker, '{"format": "%s", "schema": %d}' % (FORMAT, SCHEMA))
            data = {"schema": SCHEMA}
        elif data.get("format") != FORMAT or type(data.get("schema")) is not int:
            raise StoreDamaged(marker, "it is not a selfcheck store marker")
        elif data["schema"] < 1:
            raise StoreDamaged(marker, f"it names schema {data['schema']}, which no selfcheck writes")
        elif data["schema"] > SCHEMA:
            raise StoreError(
                f"the store {self.root} was written by a newer selfcheck ({marker} says schema "
                f"{data['schema']}, this one reads {SCHEMA}); upgrade selfcheck to open it"
            )
        for sub in ("s", "locks"):
            try:
                (self.root / sub).mkdir(exist_ok=True)
            except OSError:
                pass  # a read-only store: reading works; a write says so when it asks for its lock
        self._checked = True
        self._sweep_temp_files(self.root, self.root / "actions", self.root / "index")
        if data["schema"] < SCHEMA:
            self._upgrade(marker)
        return True

    def _upgrade(self, marker: Path) -> None:
        """A store of schema 1: its single index.json is replaced by the index per organisation, written
        from the session files. Where the store cannot be written, the index is read from the session
        files instead (the old index.json is not read). Schema 2's index is schema 3's without the
        summaries' scores, which a history adds as it reads them (list_sessions(scored=True)): only
        store.json changes. Then store.json says schema 3."""
        with self._lock("index", readers=True) as locked:
            data = read_json(marker)
            schema = data.get("schema") if data else None
            if schema not in (1, 2):
                return  # upgraded by another process meanwhile
            if not locked:
                self._legacy = schema == 1
                return
            try:
                if schema == 1:
                    self._upgrade_index()
                write_atomic(marker, '{"format": "%s", "schema": %d}' % (FORMAT, SCHEMA))
            except StoreDamaged:
                raise
            except StoreError as e:  # no room, say: the next open tries again
                self._legacy = True
                self._problem(f"the index {self._index_path} is missing and could not be rebuilt ({e}); the "
                              f"sessions were read from their files instead")
