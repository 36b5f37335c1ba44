"""The one-line summary of a session kept in the store's index (SCORING.md §10, sessions list)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from ..domain.answers import Session


@dataclass(frozen=True)
class Summary:
    session_id: str
    org: str
    respondent: str
    status: str
    created: datetime
    updated: datetime
    banks: list[str]
    answered: int
    workshop: str | None
    role: str | None = None

    @classmethod
    def of(cls, s: Session) -> Summary:
        return cls(
            session_id=s.id, org=s.org, respondent=s.respondent, status=s.status, created=s.created,
            updated=s.updated, banks=list(s.banks), answered=s.answered_count(), workshop=s.workshop,
            role=s.role,
        )

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["created"] = self.created.isoformat()
        d["updated"] = self.updated.isoformat()
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Summary:
        d = dict(d)
        d["created"] = datetime.fromisoformat(d["created"])
        d["updated"] = datetime.fromisoformat(d["updated"])
        return cls(**d)
