"""The path to a target grade (SCORING §12): the fewest item raises whose answers would earn it.

A target outcome needs S ≥ its row's service score and M ≥ its row's management level (003 §5.3,
under the session's rules profile). S and M come from different banks, so the two halves are
planned apart: each is a pool of item raises, and each raise is a series of one-level steps. A
step's gain is max_points/5, except an item's first step, which also makes up the rest of its
current band (an exact α below the band's top, or nothing at all for an unanswered item). So each
item's gains never grow from one step to the next, and the k steps with the largest gains are the
most any k steps can earn: taking steps from the largest gain down until the requirement holds
gives the fewest steps, and among those the most points (ties: bank order). `after` is not
predicted but scored: the raised answers go through `evaluate` like any session.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable, Iterable

from .answers import Answer, Session
from .bank import Bank, Kind
from .derivation import LEVEL_THRESHOLDS, at_least, next_up, outcomes, points_for_percent
from .evaluate import evaluate
from .loader import Library
from .results import BankResult, Frozen, Grade, Outcome, Result, num
from .scoring import ACTIVITIES, GRADE_ROWS, MANAGEMENT_BANK, SERVICE_BANK, default_alpha

FIVE = Decimal(5)


class PlanError(ValueError):
    """A target this rules profile does not have (e.g. basic under table-rows)."""


class Step(Frozen):
    bank: str
    id: str
    clause: str
    from_level: int | None  # None: unanswered, or skipped by its gate
    to_level: int
    points_gained: Decimal
    opens_gate: str | None = None  # the gate whose answer must become "yes" for the item to count
    # every gate that now skips the item, opens_gate first (a follow-up may sit behind several, as
    # the realisation's questions behind the gates of 002 3.3 and 4.1): all must become "yes"
    opens_gates: list[str] = []
    # the gate's other follow-ups: counted as unanswered once it opens (an answer stored before the
    # gate was closed is not assumed to be still true)
    unasked: list[str] = []

    def to_json(self) -> dict[str, Any]:
        return {"bank": self.bank, "id": self.id, "from_level": self.from_level, "to_level": self.to_level,
                "points_gained": num(self.points_gained), "opens_gate": self.opens_gate,
                "opens_gates": list(self.opens_gates)}


class Plan(Frozen):
    session_id: str
    rules_profile: str
    current: Grade
    target: Outcome
    reachable: bool
    # why not, when not: "no-service-score" (nothing answered gives S), "management-not-assessed"
    reason: str | None
    needs_service_score: Decimal
    needs_management_level: int
    steps: list[Step]
    after: Grade

    @property
    def level_steps(self) -> int:
        return sum(s.to_level - (s.from_level or 0) for s in self.steps)

    @property
    def points_gained(self) -> Decimal:
        return sum((s.points_gained for s in self.steps), Decimal(0))

    def to_json(self) -> dict[str, Any]:
        return {
            "session_id": self.session_id,
            "rules_profile": self.rules_profile,
            "current": self.current.to_json(),
            "target": self.target,
            "reachable": self.reachable,
            "reason": self.reason,
            "needs_service_score": num(self.needs_service_score, 1),
            "needs_management_level": self.needs_management_level,
            "level_steps": self.level_steps,
            "steps": [s.to_json() for s in self.steps],
            "after": {"service_score": num(self.after.service_score, 1),
                      "management_level": self.after.management_level, "outcome": self.after.outcome},
        }


class _Candidate(Frozen):
    bank: str
    id: str
    clause: str
    order: int  # position in the flow (bank order, then question order): the last tie-break
    max_points: Decimal
    level: int  # 0 when unanswered or gated
    alpha: Decimal  # 0 when unanswered or gated
    kind: Kind
    gate: str | None
    gates: list[str] = []
    unasked: list[str] = []


def _closed_gates(bank: Bank, answers: dict[str, Answer], qid: str) -> list[str]:
    """The gates whose answers now skip follow-up `qid`, in bank order."""
    return [g.id for g in bank.questions if g.kind is Kind.gate and qid in g.skips
            and (a := answers.get(g.id)) is not None and a.choice in g.skip_on]


def _candidates(results: Iterable[BankResult], banks: dict[str, Bank], flow: dict[str, int],
                answers: dict[str, dict[str, Answer]]) -> list[_Candidate]:
    """The items a raise can lift: every scored item below level 5, unanswered and gated ones
    included (from nothing); N/A items stay N/A (SCORING §12)."""
    out = []
    for r in results:
        for m, item in enumerate(r.items):
            fresh = item.unanswered or item.gated_by is not None
            if item.na or (not fresh and (item.level or 0) >= 5):
                continue
            gates = _closed_gates(banks[r.id], answers.get(r.id, {}), item.id) if item.gated_by else []
            out.append(_Candidate(
                bank=r.id, id=item.id, clause=item.clause, order=flow[r.id] * 10_000 + m, max_points=item.max_points,
                level=0 if fresh else item.level or 0,
                alpha=Decimal(0) if fresh or item.alpha is None else item.alpha,
                kind=banks[r.id].question(item.id).kind, gate=item.gated_by, gates=gates,
                unasked=[q for g in gates for q in banks[r.id].question(g).skips if q != item.id],
            ))
    return out


def _value(c: _Candidate, level: int) -> Decimal:
    """Points the item earns at `level` (0 for level 0): points × α, or points × level / 5."""
    if level == 0:
        return Decimal(0)
    return c.max_points * (default_alpha(level) if c.kind is Kind.likert else Decimal(level) / FIVE)


def _current(c: _Candidate) -> Decimal:
    return c.max_points * c.alpha if c.kind is Kind.likert else c.max_points * Decimal(c.level) / FIVE


def _cheapest(pool: list[_Candidate], have: Decimal, enough: Callable[[Decimal], bool]) -> list[Step] | None:
    """The fewest one-level steps over `pool` that make `enough(have + gained)` true; None if none do."""
    if enough(have):
        return []
    gains = []
    for c in pool:
        before = _current(c)
        for level in range(c.level + 1, 6):
            gain = _value(c, level) - (before if level == c.level + 1 else _value(c, level - 1))
            gains.append((-gain, c.order, level, c))
    gains.sort(key=lambda g: g[:3])
    reached: dict[str, int] = {}
    total = have
    for neg, _, level, c in gains:
        total -= neg
        reached[c.bank + "\0" + c.id] = level
        if enough(total):
            break
    else:
        return None
    steps = []
    for c in sorted(pool, key=lambda c: c.order):
        level = reached.get(c.bank + "\0" + c.id)
        if level:
            steps.append(Step(bank=c.bank, id=c.id, clause=c.clause, from_level=c.level or None, to_level=level,
                              points_gained=_value(c, level) - _current(c), opens_gate=c.gate,
                              opens_gates=c.gates, unasked=c.unasked))
    return steps


def apply(session: Session, steps: list[Step]) -> Session:
    """The session with the steps' raises answered (α the top of the new band; notes kept)."""
    answers = {b: dict(a) for b, a in session.answers.items()}
    raised = {(s.bank, s.id) for s in steps}
    for s in steps:
        bank = answers.setdefault(s.bank, {})
        old = bank.get(s.id)
        bank[s.id] = Answer(level=s.to_level, note=old.note if old else None)
        for gate in s.opens_gates or ([s.opens_gate] if s.opens_gate else []):
            bank[gate] = Answer(choice="yes", note=bank[gate].note if gate in bank else None)
        if s.opens_gate:
            for other in s.unasked:
                if (s.bank, other) not in raised:
                    bank.pop(other, None)
    return session.model_copy(update={"answers": answers})


def targets(profile: str) -> list[Outcome]:
    return [o for o in outcomes(profile) if o != "not-yet"]


def plan(library: Library, session: Session, target: Outcome | None = None, result: Result | None = None) -> Plan:
    result = result or evaluate(library, session)
    profile = result.rules_profile
    target = target or next_up(profile, result.grade.outcome) or result.grade.outcome
    if target not in targets(profile):
        raise PlanError(f"{target} is not a grade of the {profile} rules (they give {', '.join(targets(profile))})")
    _, s_min, m_min = next(r for r in GRADE_ROWS[profile] if r[0] == target)
    banks = {b: library.bank(b) for b in session.banks}
    results = {r.id: r for r in result.banks}
    g = result.grade

    def finish(steps: list[Step], reachable: bool, reason: str | None) -> Plan:
        after = evaluate(library, apply(session, steps), count=0).grade if steps else g
        return Plan(session_id=session.id, rules_profile=profile, current=g, target=target,
                    reachable=reachable and at_least(profile, after.outcome, target), reason=reason,
                    needs_service_score=s_min, needs_management_level=m_min, steps=steps, after=after)

    if at_least(profile, g.outcome, target) and g.gate != "not assessed":
        return finish([], True, None)

    # S: the 附录1 bank when it is the source, else the activity banks together (SCORING §6)
    steps: list[Step] = []
    if g.service_source is None:
        return finish([], False, "no-service-score")
    if g.service_source == SERVICE_BANK:
        service = [results[SERVICE_BANK]]
    else:
        service = [r for r in result.banks if r.group == ACTIVITIES]
    earned = sum((r.earned for r in service), Decimal(0))
    possible = sum((r.possible for r in service), Decimal(0))
    need = points_for_percent(s_min, possible)
    flow = {b: i for i, b in enumerate(session.banks)}
    found = _cheapest(_candidates(service, banks, flow, session.answers), earned, lambda e: e >= need)
    if found is None:
        return finish([], False, "service-unreachable")
    steps += found

    if g.management_level is None:  # the gate cannot be met without assessing management maturity
        return finish(steps, False, "management-not-assessed")
    m = results[MANAGEMENT_BANK]
    threshold = LEVEL_THRESHOLDS[m_min]
    found = _cheapest(_candidates([m], banks, flow, session.answers), m.earned, lambda t: t >= threshold)
    if found is None:
        return finish(steps, False, "management-unreachable")
    steps += found
    steps.sort(key=lambda s: flow[s.bank])
    if g.conformity == "not-yet":  # no raise of a score passes the conformity review (003 §5.3, reading)
        return finish(steps, False, "conformity-not-passed")
    return finish(steps, True, None)
