"""The one-line summary of a session kept in the store's index (SCORING.md §10, sessions list).

What the index holds is checked as strictly as a session file is: `SummaryRow` (pydantic, strict)
refuses a row of the wrong shape or type, and a session id that could not be a file name in the store.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, StringConstraints, TypeAdapter, with_config
from typing_extensions import NotRequired, TypedDict

from ..domain.answers import Session

# what a session id may look like on disk (ours are YYYYMMDD-xxxxxx); anything else names no session
SESSION_ID_PATTERN = r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$"
SESSION_ID = re.compile(SESSION_ID_PATTERN)


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
    def from_json(cls, d: Any) -> Summary:
        """A summary from its JSON form; ValueError (pydantic's ValidationError is one) when it is not one."""
        return summary_of(ROW.validate_python(d))


SessionId = Annotated[str, StringConstraints(pattern=SESSION_ID_PATTERN)]


@with_config(ConfigDict(strict=True, extra="forbid"))
class SummaryRow(TypedDict):
    """One summary as the index stores it: every field there, each of its type, nothing else (the
    times are ISO 8601 text with their UTC offset, checked by `summary_of`)."""

    session_id: SessionId
    org: str
    respondent: str
    status: Literal["in_progress", "completed"]
    created: str
    updated: str
    banks: list[str]
    answered: Annotated[int, Field(ge=0)]
    workshop: str | None
    role: NotRequired[str | None]


ROW = TypeAdapter(SummaryRow)
ROWS = TypeAdapter(dict[str, SummaryRow])  # a whole table in one call: 10,000 rows in about 20 ms


def _stamp(text: str, field: str) -> datetime:
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{field}: {text!r:.40} is not an ISO 8601 time") from None
    if when.tzinfo is None:
        raise ValueError(f"{field}: {text!r:.40} has no UTC offset")
    return when


def summary_of(row: SummaryRow) -> Summary:
    """The summary of a validated row; ValueError when one of its times is not a time with its offset."""
    return Summary(row["session_id"], row["org"], row["respondent"], row["status"], _stamp(row["created"], "created"),
                   _stamp(row["updated"], "updated"), row["banks"], row["answered"], row["workshop"], row.get("role"))
