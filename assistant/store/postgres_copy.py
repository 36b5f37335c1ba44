"""Copying a whole store into another, either way between a folder store and a PostgreSQL store
(`selfcheck store copy FROM TO`): every session, workshop and action, idempotently.

Sessions go through `put_session` (a newer version replaces an older one; the same one is left alone).
Workshops keep their creation time and actions their ids and times: they are written as they are,
merged by name and id with what the destination holds (the destination's own are kept).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Iterator

from ..domain.actions import Action
from ..domain.answers import Session
from .atomic import read_json
from .errors import StoreError, WorkshopError

Progress = Callable[[str, int, int], None]  # (what, done, total)


@dataclass
class Copied:
    sessions: dict[str, int] = field(default_factory=lambda: {"added": 0, "updated": 0, "unchanged": 0})
    workshops: dict[str, int] = field(default_factory=lambda: {"added": 0, "unchanged": 0})
    actions: dict[str, int] = field(default_factory=lambda: {"added": 0, "updated": 0, "unchanged": 0})
    newer_there: list[str] = field(default_factory=list)  # sessions the destination holds a newer version of


def each_session(store: Any) -> tuple[int, Iterator[Session]]:
    """How many sessions the store lists, and each of them, read one organisation at a time (a store of
    ten thousand is never in memory at once). Sessions that cannot be read are in `store.problems`."""
    summaries = store.list_sessions()
    orgs = sorted({s.org for s in summaries})
    return len(summaries), (session for org in orgs for session in store.sessions(org=org))


def action_orgs(store: Any) -> list[str]:
    """Every organisation with an action plan in `store` (a PostgresStore says; a folder store's files do)."""
    if hasattr(store, "action_orgs"):
        return store.action_orgs()
    folder = store.root / "actions"
    orgs = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        data = read_json(path)
        if data is not None and isinstance(data.get("org"), str):
            orgs.append(data["org"])
    return orgs


def _put_workshop(dst: Any, record: dict[str, Any]) -> str:
    try:
        there = dst.get_workshop(record["name"])
    except WorkshopError:
        there = None
    if there is not None:
        if there["org"] != record["org"]:
            raise StoreError(f"the workshop {record['name']!r} of {record['org']!r} is, in the destination, one of "
                             f"{there['org']!r}: rename one of them first")
        return "unchanged"
    clock = dst.clock
    dst.clock = lambda: datetime.fromisoformat(record["created"])  # its creation time, not the copy's
    try:
        dst.create_workshop(record["name"], record["org"], list(record["banks"]), names=bool(record.get("names")))
    finally:
        dst.clock = clock
    return "added"


def _put_actions(dst: Any, org: str, actions: list[Action], counts: dict[str, int]) -> None:
    """Merge one organisation's actions into the destination's plan, by id, in one write under its lock."""
    dst._check_schema(True)
    path = dst._actions_path(org)
    with dst._org_lock(path):
        mine = {a.id: a for a in dst._read_actions(path, org)}
        for action in actions:
            there = mine.get(action.id)
            if there is None:
                counts["added"] += 1
            elif there.created != action.created:
                raise StoreError(f"action {action.id} of {org!r} is a different action in the destination: "
                                 f"copy it by hand (`selfcheck actions add`)")
            elif action.updated > there.updated:
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
                continue
            mine[action.id] = action
        dst._write_actions(path, org, sorted(mine.values(), key=lambda a: int(a.id[1:])))


def copy_store(src: Any, dst: Any, progress: Progress) -> Copied:
    out = Copied()
    total, sessions = each_session(src)
    for i, session in enumerate(sessions, 1):
        outcome = dst.put_session(session)
        out.sessions[outcome] += 1
        if outcome == "unchanged" and dst.get_session(session.id).updated > session.updated:
            out.newer_there.append(session.id)
        progress("sessions", i, total)
    workshops = src.list_workshops()
    for i, record in enumerate(workshops, 1):
        out.workshops[_put_workshop(dst, record)] += 1
        progress("workshops", i, len(workshops))
    orgs = action_orgs(src)
    for i, org in enumerate(orgs, 1):
        _put_actions(dst, org, src.list_actions(org), out.actions)
        progress("actions", i, len(orgs))
    return out
