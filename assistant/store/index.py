"""The index of a store: a summary of every session, kept per organisation, so that creating a
session, changing its status and listing one organisation cost the same with ten stored sessions or
ten thousand.

    index.json           the table of contents: {"format": "selfcheck-index", "schema": 2,
                         "orgs": {"<sha1 of the org>": {"org": ORG, "sessions": N}}}
    index/<sha1>.json    one organisation's summaries: {"format": "selfcheck-index-org", "schema": 2,
                         "org": ORG, "sessions": {"<session id>": <summary>}}
    index/<sha1>.log     that organisation's changes since, one JSON line each, appended and fsynced:
                         {"put": <summary>} or {"drop": "<session id>"}; folded into the .json (and
                         emptied) once it outgrows an eighth of it, so a write costs one short append
    pending/<sha1>.<id>  an empty file that exists while a change to session <id> is under way

The session files are the truth and the index is derived from them:

- Every change that touches the index runs under one lock order: the index lock (`locks/index.lock`),
  then the session's. The change is marked in pending/ (fsynced) before the session file is written
  and unmarked after the index followed; a reader that finds a mark (its writer was killed) brings
  those sessions' summaries up to date from their files. Nothing written is ever hidden, and an index
  entry whose file was removed goes too. Listing looks at pending/ (normally empty) and nothing more.
- Readers take the index lock as well (so a log being folded is never read half way); on a store
  that cannot be written (read-only) they read without it, and apply what they find in memory only.
- Every file of the index is validated as a session file is (pydantic, strict: summary.SummaryRow),
  and an organisation's summaries are counted against index.json. Doubt (damage, a wrong type, a
  count that does not match, a session id that is no file name) means the index is rebuilt from the
  session files, the doubtful file kept aside first (<name>.damaged-<UTC time>), with a problem
  recorded. A full listing also compares the index with the names in s/: a session file the index
  lacks is added (and said), an entry whose file is gone is dropped.
"""

from __future__ import annotations

from .errors import StoreDamaged, StoreError
from .index_files import org_hash
from .index_scores import ScoredIndex
from .index_writer import Fix, IndexWriter
from .summary import Summary

class IndexMissing(Exception):
    """The index is not there although the store holds session files: it is rebuilt."""


class IndexStore(ScoredIndex, IndexWriter):
    """The index. Mixed into TinyStore, whose folder, locks, loader and problems it uses; its files
    are read and written by IndexFiles (index_files.py), changes to it by IndexWriter (index_writer.py)."""

    # -- reading ---------------------------------------------------------------------------

    def _summaries(self, org: str | None = None) -> list[Summary]:
        """The index's summaries (of one organisation, or all), reconciled with the session files.

        An index in doubt is rebuilt from them (kept aside first when damaged); where it cannot be
        rebuilt (a read-only store) the summaries are read from the session files, with a problem."""
        with self._lock("index", readers=True) as locked:
            try:
                return self._read_index(org, locked)
            except StoreDamaged as e:
                if not self._is_index_file(e.path):
                    raise
                doubt: StoreDamaged | None = e
            except IndexMissing:
                doubt = None
            if locked:
                try:
                    return [s for s in self._rebuild(doubt) if org is None or s.org == org]
                except StoreDamaged:
                    raise
                except StoreError as e:
                    reason: Exception = e
            else:
                reason = self._unlocked
        path = doubt.path if doubt is not None else self._index_path
        what = f"damaged ({doubt.problem})" if doubt is not None else "missing"
        self._problem(f"the index {path} is {what} and could not be rebuilt ({reason}); the sessions were "
                      f"read from their files instead")
        return self._summaries_from_files(org)

    def _read_index(self, org: str | None, locked: bool) -> list[Summary]:
        overlay = self._settle(self._marks(), locked)
        counts = self._read_manifest()
        if counts is None:
            if self._has_session_files() or self._listdir(self._index_dir):
                raise IndexMissing
            return []
        hs = [org_hash(org)] if org is not None else sorted(counts)
        rows: dict[str, Summary] = {}
        unsettled = {fix.h for fix in overlay}
        for h in hs:
            mine = self._org_rows(h)
            expected = counts.get(h, (org, 0))[1]
            if len(mine) != expected and h not in unsettled:
                snap, log = self._org_files(h)
                raise StoreDamaged(snap if snap.exists() or not log.exists() else log,
                                   f"it holds {len(mine)} summaries where {self._index_path.name} counts {expected}")
            rows.update(mine)
        for fix in overlay:
            if fix.h in hs:
                if fix.summary is None:
                    rows.pop(fix.sid, None)
                else:
                    rows[fix.sid] = fix.summary
        if org is None or not counts:
            # every session, or an index that names none: what the index says is compared with s/
            self._compare_with_files(rows, locked)
        return [s for s in rows.values() if org is None or s.org == org]

    def _compare_with_files(self, rows: dict[str, Summary], locked: bool) -> None:
        """Add to `rows` the readable session files the index lacks and take out the entries whose file
        is gone; on disk too when the store can be written. A file the index lacks is said."""
        ids = self._session_ids()
        fixes = [Fix(org_hash(s.org), s.org, sid, None, True) for sid, s in rows.items() if sid not in ids]
        added = []
        for sid in sorted(ids - rows.keys()):
            try:
                session = self._load(sid, self._session_path(sid))
            except StoreError as e:  # damaged, newer, or gone meanwhile: left out and said, as a listing does
                self._problem(f"skipped: {e}")
                continue
            fixes.append(Fix(org_hash(session.org), session.org, sid, Summary.of(session), False))
            added.append(sid)
        if not fixes:
            return
        for fix in fixes:
            if fix.summary is None:
                rows.pop(fix.sid, None)
            else:
                rows[fix.sid] = fix.summary
        saved = ""
        if locked:
            recount = {}
            for s in rows.values():
                org, n = recount.get(org_hash(s.org), (s.org, 0))
                recount[org_hash(s.org)] = (org, n + 1)
            for fix in fixes:
                recount.setdefault(fix.h, (fix.org, 0))
            try:
                self._apply(fixes, recount=recount)
            except StoreError as e:
                saved = f" (not on disk: {e})"
        if added:
            more = f" and {len(added) - 3} more" if len(added) > 3 else ""
            self._problem(f"the index {self._index_path} lacked {len(added)} sessions "
                          f"({', '.join(added[:3])}{more}); they were added from their files{saved}")

    def _settle(self, marks: list[tuple[str, str]], locked: bool) -> list[Fix]:
        """Bring the summaries of marked sessions (their writer was stopped) up to date from their files.

        Returns what could not be written (a read-only store), for the caller to apply in memory."""
        if not marks:
            return []
        fixes = []
        for h, sid in marks:
            path = self._session_path(sid)
            try:
                session = self._load(sid, path) if path.exists() else None
            except StoreError as e:
                self._problem(f"session {sid} was left out: {e}")
                continue
            if session is not None:
                h = org_hash(session.org)
            fixes.append(Fix(h, session.org if session else "", sid, Summary.of(session) if session else None, False))
        if not locked:
            return fixes
        by_org: dict[str, dict[str, Summary]] = {}
        for fix in fixes:
            if fix.h not in by_org:
                by_org[fix.h] = self._org_rows(fix.h)  # damage: the caller rebuilds
            rows = by_org[fix.h]
            old = rows.get(fix.sid)
            fix.known = old is not None
            if fix.summary is None:
                fix.org = old.org if old is not None else fix.org
                rows.pop(fix.sid, None)
            else:
                rows[fix.sid] = fix.summary
        # the writer may have been stopped between the log and index.json: count what is there now
        recount = {h: (next(iter(rows.values())).org if rows else "", len(rows)) for h, rows in by_org.items()}
        try:
            self._apply([f for f in fixes if f.known or f.summary is not None], recount=recount)
        except StoreError as e:
            self._problem(f"the index {self._index_path} could not be brought up to date ({e}); "
                          f"the changed sessions were read from their files")
            return fixes
        for h, sid in marks:
            self._unmark(h, sid)
        return []

    def _summaries_from_files(self, org: str | None = None) -> list[Summary]:
        """A summary of every readable session file; the others are skipped with a problem recorded."""
        out = []
        for sid in sorted(self._session_ids()):
            try:
                summary = Summary.of(self._load(sid, self._session_path(sid)))
            except StoreError as e:
                self._problem(f"skipped: {e}")
                continue
            if org is None or summary.org == org:
                out.append(summary)
        return out
