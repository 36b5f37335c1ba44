"""Repeat self-checks: an organisation's history, and two of its sessions compared item by item."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Callable, Protocol, Sequence, TypeVar

from .answers import Session
from .digest import Digest, digest
from .evaluate import evaluate
from .loader import Library
from .results import Result, num



class Tracked(Protocol):
    workshop: str | None
    respondent: str


S = TypeVar("S", bound=Tracked)


@dataclass(frozen=True)
class HistoryRow:
    session_id: str
    created: datetime
    result: Digest  # the session's scores in brief, in the view's language (shaped like a Result's)
    kind: str = "self_check"  # or "consensus": a workshop's agreed result (domain/consensus.py)

    @property
    def activities_percent(self) -> Decimal | None:
        return self.result.activities.percent if self.result.activities else None

    def section_percents(self) -> dict[str, Decimal | None]:
        """{"<bank id> <section id>": percent} for the trend of each section."""
        return {f"{b.id} {s.id}": s.percent for b in self.result.banks for s in b.sections}

    def to_json(self) -> dict[str, Any]:
        """SCORING.md §10 (history), plus the grade label and the section percents."""
        grade = self.result.grade
        assert grade is not None  # history() leaves out what cannot be scored
        return {
            "session_id": self.session_id,
            "created": self.created.isoformat(),
            "activities_percent": num(self.activities_percent, 1),
            "banks": {b.id: num(b.percent, 1) for b in self.result.banks},
            "outcome": grade.outcome,
            "label": grade.label,
            "sections": {k: num(v, 1) for k, v in self.section_percents().items()},
            "kind": self.kind,
        }


class Summarised(Protocol):
    """What history_of_summaries reads of a store's summary (store/summary.py Summary)."""

    session_id: str
    created: datetime
    banks: list[str]
    scores: dict[str, Any] | None


def same_track(sessions: list[S], like: Session | None = None) -> list[S]:
    """The sessions (or their summaries) that make one history. An organisation's own self-checks
    are one track; workshop participants are not part of it (the workshop report holds them), and a
    participant's track is their own sessions in that workshop."""
    if like is None or like.workshop is None:
        return [s for s in sessions if s.workshop is None]
    return [s for s in sessions if s.workshop == like.workshop and s.respondent == like.respondent]


def history(library: Library, sessions: list[Session], lang: str = "zh") -> list[HistoryRow]:
    """Oldest first; sessions using a bank this program no longer has are left out."""
    return [HistoryRow(s.id, s.created, digest(library, s).in_lang(lang), s.kind)
            for s in sorted(sessions, key=lambda s: (s.created, s.id)) if all(b in library.banks for b in s.banks)]


def history_of_summaries(library: Library, summaries: Sequence[Summarised], load: Callable[[str], Session],
                         lang: str = "zh") -> list[HistoryRow]:
    """history() from a store's summaries: each one's stored digest where it was computed under this
    library (its fingerprint), else its session loaded (`load(session id)`) and scored."""
    rows = []
    for s in sorted(summaries, key=lambda s: (s.created, s.session_id)):
        if not all(b in library.banks for b in s.banks):
            continue
        found = _stored(s.scores, library.fingerprint)
        if found is None or found.grade is None:
            found = digest(library, load(s.session_id))
        rows.append(HistoryRow(s.session_id, s.created, found.in_lang(lang), getattr(s, "kind", "self_check")))
    return rows


def _stored(scores: Any, basis: str) -> Digest | None:
    """A summary's stored scores when computed under `basis` and readable; else None (scored again)."""
    if not isinstance(scores, dict) or scores.get("basis") != basis:
        return None
    try:
        return Digest.from_json(scores)
    except (KeyError, TypeError, ValueError, AttributeError):  # damaged (a store checks them too)
        return None


@dataclass(frozen=True)
class BankDelta:
    id: str
    before_percent: Decimal | None
    after_percent: Decimal | None
    before_version: str | None
    after_version: str | None

    @property
    def delta(self) -> Decimal | None:
        if self.before_percent is None or self.after_percent is None:
            return None
        return self.after_percent - self.before_percent


@dataclass(frozen=True)
class ItemDelta:
    bank: str
    id: str
    clause: str
    before_earned: Decimal
    after_earned: Decimal
    before_level: int | None
    after_level: int | None

    @property
    def delta(self) -> Decimal:
        return self.after_earned - self.before_earned


@dataclass(frozen=True)
class ActedOn:
    """A suggestion of the earlier session, and whether its items gained points since."""

    method: str
    area: str
    text: str
    items: list[str]
    gained: Decimal
    acted_on: bool


@dataclass
class Comparison:
    before: Result
    after: Result
    before_created: datetime
    after_created: datetime
    banks: list[BankDelta] = field(default_factory=list)
    items: list[ItemDelta] = field(default_factory=list)
    only_before: list[tuple[str, str]] = field(default_factory=list)  # (bank, item id) missing later
    only_after: list[tuple[str, str]] = field(default_factory=list)
    suggestions: list[ActedOn] = field(default_factory=list)

    @property
    def improved(self) -> list[ItemDelta]:
        return sorted((i for i in self.items if i.delta > 0), key=lambda i: -i.delta)

    @property
    def slipped(self) -> list[ItemDelta]:
        return sorted((i for i in self.items if i.delta < 0), key=lambda i: i.delta)

    def to_json(self) -> dict[str, Any]:
        """SCORING.md §10 (compare), plus versions, items found on one side only and the suggestions."""
        return {
            "before": self.before.session_id,
            "after": self.after.session_id,
            "banks": [{"id": b.id, "before_percent": num(b.before_percent, 1), "after_percent": num(b.after_percent, 1),
                       "delta": num(b.delta, 1), "before_version": b.before_version, "after_version": b.after_version}
                      for b in self.banks],
            "items": [{"bank": i.bank, "id": i.id, "before_earned": num(i.before_earned), "after_earned": num(i.after_earned),
                       "delta": num(i.delta), "before_level": i.before_level, "after_level": i.after_level}
                      for i in self.items],
            "only_before": [{"bank": b, "id": q} for b, q in self.only_before],
            "only_after": [{"bank": b, "id": q} for b, q in self.only_after],
            "suggestions_acted_on": [{"method": s.method, "items": s.items, "gained": num(s.gained),
                                      "acted_on": s.acted_on} for s in self.suggestions],
        }


def compare(library: Library, before: Session, after: Session, lang: str = "zh") -> Comparison:
    """Join two sessions on (bank, question id); banks of other versions are compared where ids match."""
    if before.created > after.created:
        before, after = after, before
    a = evaluate(library, before.model_copy(update={"lang": lang}))
    b = evaluate(library, after.model_copy(update={"lang": lang}))
    out = Comparison(before=a, after=b, before_created=before.created, after_created=after.created)
    a_banks = {r.id: r for r in a.banks}
    b_banks = {r.id: r for r in b.banks}
    for bank_id in [*a_banks, *(k for k in b_banks if k not in a_banks)]:
        ra, rb = a_banks.get(bank_id), b_banks.get(bank_id)
        out.banks.append(BankDelta(bank_id, ra.percent if ra else None, rb.percent if rb else None,
                                   before.banks.get(bank_id), after.banks.get(bank_id)))
        if ra is None or rb is None:
            continue
        items_b = {i.id: i for i in rb.items}
        for ia in ra.items:
            ib = items_b.pop(ia.id, None)
            if ib is None:
                out.only_before.append((bank_id, ia.id))
                continue
            if ia.na or ib.na:
                continue  # not applicable on one side: no points to compare
            out.items.append(ItemDelta(bank_id, ia.id, ia.clause, ia.earned, ib.earned, ia.level, ib.level))
        out.only_after += [(bank_id, qid) for qid in items_b]
    deltas = {(i.bank, i.id): i.delta for i in out.items}
    for s in a.suggestions:
        keys = [(i.bank, i.id) for i in s.items]
        gained = sum((deltas.get(k, Decimal(0)) for k in keys), Decimal(0))
        out.suggestions.append(ActedOn(s.method, s.area, s.text, [i.id for i in s.items], gained,
                                       any(deltas.get(k, Decimal(0)) > 0 for k in keys)))
    return out
