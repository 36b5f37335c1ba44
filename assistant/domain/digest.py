"""A session's scores in brief: what a history row shows of its result (each bank's and section's
percent, the activities' percent, the grade), small enough for the store to keep with the session's
summary so that a history of hundreds of sessions reads summaries instead of scoring every session.

A Digest is shaped like the part of a `Result` the history views read (`banks[i].percent`,
`activities.percent`, `grade.outcome`…), so a view takes either. It records the `basis` it was
computed on, the library's fingerprint (bank files and the domain's code, bank_cache.py): one
computed under other banks or other rules is stale, and the store computes it again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from .answers import Session
from .loader import BankError, Library


@dataclass(frozen=True)
class SectionScore:
    id: str
    percent: Decimal | None


@dataclass(frozen=True)
class BankScore:
    id: str
    percent: Decimal | None
    sections: list[SectionScore]


@dataclass(frozen=True)
class Share:
    """The activity banks together."""

    percent: Decimal | None


@dataclass(frozen=True)
class GradeScore:
    outcome: str
    service_score: Decimal | None
    management_level: int | None
    label: str = ""  # in the language of the view (Digest.in_lang); not stored


@dataclass(frozen=True)
class Digest:
    basis: str
    banks: list[BankScore]
    activities: Share | None
    grade: GradeScore | None  # None: a bank the session names is not in the library, so no score

    def in_lang(self, lang: str) -> Digest:
        from .scoring import OUTCOME_LABELS

        if self.grade is None:
            return self
        return replace(self, grade=replace(self.grade, label=OUTCOME_LABELS[self.grade.outcome][lang]))

    def to_json(self) -> dict[str, Any]:
        """The stored form (store/summary.py validates it): percents as exact decimal text."""
        g = self.grade
        return {
            "basis": self.basis,
            "outcome": g.outcome if g else None,
            "service_score": _text(g.service_score) if g else None,
            "management_level": g.management_level if g else None,
            "activities": _text(self.activities.percent) if self.activities else None,
            "has_activities": self.activities is not None,
            "banks": [{"id": b.id, "percent": _text(b.percent), "sections": {s.id: _text(s.percent) for s in b.sections}}
                      for b in self.banks],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Digest:
        """From a stored form already checked for shape (store/summary.py); ValueError on a bad number."""
        grade = None
        if d["outcome"] is not None:
            grade = GradeScore(d["outcome"], _number(d["service_score"]), d["management_level"])
        return cls(
            basis=d["basis"],
            banks=[BankScore(b["id"], _number(b["percent"]), [SectionScore(sid, _number(p)) for sid, p in b["sections"].items()])
                   for b in d["banks"]],
            activities=Share(_number(d["activities"])) if d["has_activities"] else None,
            grade=grade,
        )


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _number(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text)
    except ArithmeticError:
        raise ValueError(f"{text!r:.40} is not a number") from None
    if not value.is_finite():
        raise ValueError(f"{text!r:.40} is not a finite number")
    return value


def digest(library: Library, session: Session) -> Digest:
    """The session's scores under `library` (its own rules profile)."""
    from .evaluate import evaluate

    if not all(b in library.banks for b in session.banks):
        return Digest(library.fingerprint, [], None, None)
    r = evaluate(library, session, count=0)  # a history needs no suggestions (a quarter of the cost)
    return Digest(
        basis=library.fingerprint,
        banks=[BankScore(b.id, b.percent, [SectionScore(s.id, s.percent) for s in b.sections]) for b in r.banks],
        activities=Share(r.activities.percent) if r.activities is not None else None,
        grade=GradeScore(r.grade.outcome, r.grade.service_score, r.grade.management_level),
    )


def shipped_library() -> Library | None:
    """The shipped banks, or None when they cannot be loaded (a store still saves; nothing is scored)."""
    from .loader import load_library

    try:
        return load_library()
    except BankError:
        return None


def stored_digest(session: Session) -> dict[str, Any] | None:
    """What a store keeps with the session's summary: its digest under the shipped banks, in stored
    form, or None when the banks cannot be loaded."""
    library = shipped_library()
    return None if library is None or not library.fingerprint else digest(library, session).to_json()
