"""The scores in the index's summaries kept up to date: a history asks for summaries with their scores
under the current banks (TinyStore.list_sessions(scored=True)), and those missing or stale are
computed again from the session files and written back, so that the next history reads them.
Stored scores are checked here, where they are used (summary.checked_scores): damaged ones count as
missing."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from .errors import StoreError
from .index_files import org_hash
from .summary import Summary, checked_scores

if TYPE_CHECKING:
    from .index import IndexStore


class ScoredIndex:
    """Mixed into IndexStore (index.py), whose files, locks and writing it uses."""

    def _scored(self: IndexStore, summaries: list[Summary]) -> list[Summary]:
        """The summaries, each completed one with its scores under the current banks: those missing
        (a schema 2 store, banks that could not be loaded at the time) or stale (computed under other
        banks or scoring code: another fingerprint) are scored again from the session files, and kept
        in the index so that the next history reads them. The scores are a cache: nothing is lost
        where they cannot be kept (a read-only store), and a session that cannot be read is left as
        it is (its history row says why when it is read)."""
        from ..domain.digest import shipped_library

        library = shipped_library()
        if library is None or not library.fingerprint:
            return summaries
        out, fresh = [], []
        for s in summaries:
            scores = checked_scores(s.scores)
            if s.status == "completed" and (scores is None or scores["basis"] != library.fingerprint):
                try:
                    scored = Summary.of(self._load(s.session_id, self._session_path(s.session_id)))
                except StoreError:
                    out.append(s)
                    continue
                if scored.scores is not None and scored == replace(s, scores=scored.scores):
                    fresh.append(scored)  # the file is as the index says: only its scores change
                s = scored
            out.append(s)
        if fresh:
            self._keep_scores(fresh)
        return out

    def _keep_scores(self: IndexStore, fresh: list[Summary]) -> None:
        """Write the new scores of these summaries into the index, where its entry is still the same
        summary otherwise (a writer may have changed the session since it was read); best effort."""
        from .index import Fix

        try:
            with self._lock("index", readers=True) as locked:
                if not locked:
                    return
                marked = {sid for _, sid in self._marks()}
                rows: dict[str, dict[str, Summary]] = {}
                fixes = []
                for s in fresh:
                    h = org_hash(s.org)
                    if h not in rows:
                        rows[h] = self._org_rows(h)
                    known = rows[h].get(s.session_id)
                    if s.session_id not in marked and known is not None and replace(known, scores=s.scores) == s:
                        fixes.append(Fix(h, s.org, s.session_id, s, True))
                if fixes:
                    self._apply(fixes)
        except StoreError:
            pass  # the next history scores them again
