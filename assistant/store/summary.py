"""The one-line summary of a session kept in the store's index (SCORING.md §10, sessions list), with
its scores in brief (domain/digest.py) so that a history reads summaries, not every session.

Scoring on save belongs to the domain: `Summary.of` asks `domain.digest.stored_digest` for the scores
under the shipped banks (the store never scores by itself), and every store (the folder store, the
PostgreSQL store) builds its summaries through `Summary.of`. A digest records the fingerprint of the
banks and code it was computed with; `TinyStore.list_sessions(scored=True)` replaces stale ones.

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
from ..domain.results import Outcome

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
    # the session's scores in brief, in stored form (domain/digest.py Digest.to_json); None: not scored
    scores: dict[str, Any] | None = None
    kind: str = "self_check"  # or "consensus" (a workshop's agreed result, domain/consensus.py)

    @classmethod
    def of(cls, s: Session, scored: bool = True) -> Summary:
        """The summary of `s`, with its scores unless `scored` is False (a listing that shows none)."""
        return cls(
            session_id=s.id, org=s.org, respondent=s.respondent, status=s.status, created=s.created,
            updated=s.updated, banks=list(s.banks), answered=s.answered_count(), workshop=s.workshop,
            role=s.role, scores=_scores(s) if scored else None, kind=s.kind,
        )

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["created"] = self.created.isoformat()
        d["updated"] = self.updated.isoformat()
        if self.scores is None:
            del d["scores"]
        if self.kind == "self_check":  # a self-check's row is what it always was
            del d["kind"]
        return d

    @classmethod
    def from_json(cls, d: Any) -> Summary:
        """A summary from its JSON form; ValueError (pydantic's ValidationError is one) when it is not one."""
        return summary_of(ROW.validate_python(d))


def _scores(s: Session) -> dict[str, Any] | None:
    from ..domain.digest import stored_digest

    try:
        return stored_digest(s)
    except Exception:  # the scores are a cache: a session is stored whether or not it can be scored
        return None


SessionId = Annotated[str, StringConstraints(pattern=SESSION_ID_PATTERN)]
Percent = Annotated[str, StringConstraints(pattern=r"^-?[0-9]{1,4}(\.[0-9]{1,12})?$")]


@with_config(ConfigDict(strict=True, extra="forbid"))
class BankScoresRow(TypedDict):
    id: str
    percent: Percent | None
    sections: dict[str, Percent | None]


@with_config(ConfigDict(strict=True, extra="forbid", defer_build=True))
class ScoresRow(TypedDict):
    """A session's scores in brief as the index stores them (domain/digest.py Digest.to_json)."""

    basis: str
    outcome: Outcome | None
    service_score: Percent | None
    management_level: Annotated[int, Field(ge=0, le=5)] | None
    activities: Percent | None
    has_activities: bool
    banks: list[BankScoresRow]


# defer_build: a process that never reads the index (`selfcheck run` writes one summary) never builds the validator
@with_config(ConfigDict(strict=True, extra="forbid", defer_build=True))
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
    # checked where they are used (checked_scores), not by every listing: a listing that shows no
    # scores would pay for them four times over (an organisation of 500: 16 ms, 62 ms checked)
    scores: NotRequired[dict[str, Any]]
    kind: NotRequired[Literal["self_check", "consensus"]]


ROW = TypeAdapter(SummaryRow)
SCORES = TypeAdapter(ScoresRow)
ROWS = TypeAdapter(dict[str, SummaryRow], config=ConfigDict(defer_build=True))  # a whole table in one call: 10,000 rows in about 20 ms


def checked_scores(scores: Any) -> dict[str, Any] | None:
    """Stored scores when they are what Digest.to_json writes, else None: missing or damaged scores are
    computed again from the session, never shown (the scores are a cache)."""
    if scores is None:
        return None
    try:
        SCORES.validate_python(scores)
    except ValueError:
        return None
    return scores


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
                   _stamp(row["updated"], "updated"), row["banks"], row["answered"], row["workshop"], row.get("role"),
                   row.get("scores"), row.get("kind", "self_check"))  # type: ignore[arg-type]
