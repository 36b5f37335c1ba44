"""A workshop's consensus meeting (issue 12): the items in order of disagreement, what the
respondents said about each, and the agreed result — a session of kind "consensus", scored by the
same rules as a self-check, whose answers carry the agreed level (and α), the reason and any dissent.

Knows nothing of the store: the caller finds the sessions and saves the answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from .answers import Answer, Position, Session
from .bank import Kind
from .group import GroupResult, ItemGroup
from .loader import Library
from .results import Result, num

KIND = "consensus"


@dataclass(frozen=True)
class Remark:
    """What one respondent wrote on an item: a note, or the reason for N/A (`na`)."""

    who: str  # their name where the workshop shows names, else "#n" (their place in the workshop)
    role: str | None
    level: int | None
    text: str
    na: bool = False


@dataclass(frozen=True)
class Agenda:
    """One item to agree on: its group figures, its question, and the respondents' remarks."""

    item: ItemGroup
    kind: Kind
    remarks: list[Remark]

    @property
    def key(self) -> tuple[str, str]:
        return (self.item.bank, self.item.id)


def agenda(library: Library, group: GroupResult, sessions: list[Session], names: bool = False) -> list[Agenda]:
    """The rated items, most disputed first, each with the respondents' remarks (names hidden unless
    `names`: then each respondent is "#n", n their place among the workshop's sessions)."""
    answered = [s for s in sessions if s.answered_count() and s.kind != KIND]  # numbered as group_result counts
    out = []
    for item in group.disputed():
        remarks = []
        for n, s in enumerate(answered, 1):
            a = s.answers.get(item.bank, {}).get(item.id)
            if a is None:
                continue
            who = (s.respondent or f"#{n}") if names else f"#{n}"
            if a.na is not None:
                remarks.append(Remark(who, s.role, None, a.na, na=True))
            elif a.note:
                remarks.append(Remark(who, s.role, a.level, a.note))
        out.append(Agenda(item, library.bank(item.bank).question(item.id).kind, remarks))
    return out


def is_consensus(session: Session, workshop: str | None = None) -> bool:
    return session.kind == KIND and (workshop is None or session.consensus_of == workshop)


def find(sessions: list[Session], workshop: str) -> Session | None:
    """The workshop's consensus session: the newest one (sessions of its organisation, any order)."""
    mine = [s for s in sessions if is_consensus(s, workshop)]
    return max(mine, key=lambda s: (s.created, s.id)) if mine else None


def new_session(sid: str, workshop: dict[str, Any], banks: dict[str, str], now: datetime, facilitator: str = "",
                lang: str = "zh", profile: str = "clause-text") -> Session:
    """A consensus session for the workshop, not yet stored (the store's put_session keeps it whole)."""
    return Session(id=sid, org=workshop["org"], respondent=facilitator, banks=banks, created=now, updated=now,
                   kind=KIND, consensus_of=workshop["name"], lang=lang, rules_profile=profile)  # type: ignore[arg-type]


def pending(items: list[Agenda], session: Session) -> list[Agenda]:
    """The agenda's items the consensus has not agreed on yet, in agenda order (where to resume)."""
    return [a for a in items if session.answers.get(a.item.bank, {}).get(a.item.id) is None]


def position_after(items: list[Agenda], session: Session, done: tuple[str, str]) -> Position | None:
    """Where the meeting goes next once `done` is agreed: the first item still open after it."""
    left = [a for a in pending(items, session) if a.key != done]
    return Position(bank=left[0].item.bank, question=left[0].item.id) if left else None


def agreed(level: int, alpha: Decimal | None = None, reason: str = "", dissent: str = "") -> Answer:
    return Answer(level=level, alpha=alpha, reason=reason.strip() or None, dissent=dissent.strip() or None)


def to_json(session: Session, result: Result, group: GroupResult) -> dict[str, Any]:
    """The `consensus` key of the workshop report: the agreed result beside the group's means."""
    means = {(i.bank, i.id): i for b in group.banks for i in b.items}
    items = []
    for bank_id, per in session.answers.items():
        for qid, a in per.items():
            g = means.get((bank_id, qid))
            items.append({"bank": bank_id, "id": qid, "level": a.level, "alpha": num(a.alpha),
                          "mean_level": num(g.mean_level, 2) if g else None, "reason": a.reason, "dissent": a.dissent,
                          "na": a.na})
    return {
        "session_id": session.id,
        "status": session.status,
        "updated": session.updated.isoformat(),
        "banks": [{"id": b.id, "percent": num(b.percent, 1)} for b in result.banks],
        "activities_percent": num(result.activities.percent, 1) if result.activities else None,
        "grade": result.grade.to_json(),
        "items": items,
    }
