"""Why this grade: the derivation of a result's provisional grade, and the distance to a grade above.

It restates, with the session's numbers, what `scoring.grade` did: S and where it comes from, M
and the 附录3 thresholds, the row of 003 §5.3 that S earns, whether the management gate capped it,
and for the next grade up how many service points and management points or levels are missing.
Pure: it reads a `Result` and computes nothing that scoring does not already define.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .results import Frozen, Outcome, Result, num
from .scoring import ACTIVITIES, GRADE_ROWS, MANAGEMENT_BANK, OUTCOME_LABELS, grade

# 003 附录3 说明 3): the lowest management total of each maturity level (of 145 points)
LEVEL_THRESHOLDS: dict[int, Decimal] = {1: Decimal(20), 2: Decimal(45), 3: Decimal(70), 4: Decimal(95), 5: Decimal(105)}

HALF_STEP = Decimal("0.05")  # a percent rounds half-up to one decimal: x ≥ T − 0.05 shows as ≥ T


def points_for_percent(target: Decimal, possible: Decimal) -> Decimal:
    """The least earned points whose percent (rounded half-up to one decimal) reaches `target`."""
    return possible * (target - HALF_STEP) / Decimal(100)


class Requirement(Frozen):
    """What an outcome needs, and how far the session is from it (0 where it is met)."""

    outcome: Outcome
    service_min: Decimal
    service_short: Decimal  # percentage points of S missing
    service_points_short: Decimal  # points the service source must still earn (of its possible)
    management_min: int
    management_assessed: bool
    management_levels_short: int
    management_points_short: Decimal  # points of the 145 missing to the level needed
    # the management conformity review was assessed and not passed: every grade waits for it (003 §5.3)
    conformity_short: bool = False

    @property
    def met(self) -> bool:
        return (self.service_short == 0 and self.management_assessed and self.management_levels_short == 0
                and not self.conformity_short)

    def to_json(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "service_min": num(self.service_min, 1),
            "service_short": num(self.service_short, 1),
            "service_points_short": num(self.service_points_short),
            "management_min": self.management_min,
            "management_assessed": self.management_assessed,
            "management_levels_short": self.management_levels_short,
            "management_points_short": num(self.management_points_short),
            "conformity_short": self.conformity_short,
        }


class Derivation(Frozen):
    rules_profile: str
    outcome: Outcome
    service_score: Decimal | None
    service_source: str | None
    service_earned: Decimal | None
    service_possible: Decimal | None
    management_total: Decimal | None  # None: not assessed
    management_level: int | None
    # the rows of 003 §5.3 under this profile, highest first: (outcome, S ≥, M ≥)
    rows: list[tuple[Outcome, Decimal, int]]
    earned_outcome: Outcome  # the row that S alone earns
    gate: str
    capped: bool
    conformity: str  # the management conformity review: pass | not-yet | not assessed (003 §5.3)
    before_conformity: Outcome  # the outcome S and M give before the conformity review holds it
    next: Requirement | None  # the next grade up, None at the top

    @property
    def management_next(self) -> tuple[int, Decimal] | None:
        """The next maturity level and the points of 145 missing to it (None at level 5 or not assessed)."""
        if self.management_total is None or self.management_level is None or self.management_level >= 5:
            return None
        level = self.management_level + 1
        return level, LEVEL_THRESHOLDS[level] - self.management_total

    def to_json(self) -> dict[str, Any]:
        nxt = self.management_next
        return {
            "rules_profile": self.rules_profile,
            "service_score": num(self.service_score, 1),
            "service_source": self.service_source,
            "service_earned": num(self.service_earned),
            "service_possible": num(self.service_possible),
            "management_total": num(self.management_total),
            "management_level": self.management_level,
            "management_thresholds": {str(k): num(v, 1) for k, v in LEVEL_THRESHOLDS.items()},
            "management_next": None if nxt is None else {"level": nxt[0], "points_short": num(nxt[1])},
            "rows": [{"outcome": o, "service_min": num(s, 1), "management_min": m} for o, s, m in self.rows],
            "earned_outcome": self.earned_outcome,
            "gate": self.gate,
            "capped": self.capped,
            "conformity": self.conformity,
            "outcome": self.outcome,
            "next": None if self.next is None else self.next.to_json(),
        }


def service_totals(result: Result) -> tuple[Decimal | None, Decimal | None]:
    """The earned and possible points behind S: the 附录1 bank's, or the activities' together."""
    source = result.grade.service_source
    if source == ACTIVITIES and result.activities is not None:
        return result.activities.earned, result.activities.possible
    bank = next((b for b in result.banks if b.id == source), None)
    return (bank.earned, bank.possible) if bank else (None, None)


def management_total(result: Result) -> Decimal | None:
    if result.grade.management_level is None:
        return None
    return next((b.earned for b in result.banks if b.id == MANAGEMENT_BANK), None)


def requirement(result: Result, outcome: Outcome) -> Requirement:
    """What `outcome` needs under the result's profile, and what the session still lacks for it."""
    rows = GRADE_ROWS[result.rules_profile]
    _, s_min, m_min = next(r for r in rows if r[0] == outcome)
    s = result.grade.service_score
    earned, possible = service_totals(result)
    if s is None or earned is None or possible is None or possible == 0:
        s_short, p_short = s_min, points_for_percent(s_min, Decimal(100))
    else:
        s_short = max(Decimal(0), s_min - s)
        p_short = max(Decimal(0), points_for_percent(s_min, possible) - earned) if s_short else Decimal(0)
    total, level = management_total(result), result.grade.management_level
    assessed = level is not None
    return Requirement(
        outcome=outcome, service_min=s_min, service_short=s_short, service_points_short=p_short,
        management_min=m_min, management_assessed=assessed,
        management_levels_short=max(0, m_min - level) if assessed else m_min,
        management_points_short=max(Decimal(0), LEVEL_THRESHOLDS[m_min] - total) if total is not None
        else LEVEL_THRESHOLDS[m_min],
        conformity_short=result.grade.conformity == "not-yet",
    )


def outcomes(profile: str) -> list[Outcome]:
    """The outcomes a profile can give, lowest first (not-yet, then its rows upwards)."""
    return ["not-yet", *[o for o, _, _ in reversed(GRADE_ROWS[profile])]]


def next_up(profile: str, outcome: Outcome) -> Outcome | None:
    order = outcomes(profile)
    i = order.index(outcome) if outcome in order else 0
    return order[i + 1] if i + 1 < len(order) else None


def at_least(profile: str, outcome: Outcome, target: Outcome) -> bool:
    order = outcomes(profile)
    return order.index(outcome) >= order.index(target)


def derive(result: Result) -> Derivation:
    g = result.grade
    up = next_up(result.rules_profile, g.outcome)
    earned, possible = service_totals(result)
    return Derivation(
        rules_profile=result.rules_profile, outcome=g.outcome, service_score=g.service_score,
        service_source=g.service_source, service_earned=earned, service_possible=possible,
        management_total=management_total(result), management_level=g.management_level,
        rows=GRADE_ROWS[result.rules_profile], earned_outcome=g.earned_outcome, gate=g.gate,
        capped=g.gate == "capped", conformity=g.conformity,
        before_conformity=grade(g.service_score, g.service_source, g.management_level, result.rules_profile).outcome,  # type: ignore[arg-type]
        next=None if up is None else requirement(result, up),
    )


def label(outcome: str, lang: str) -> str:
    return OUTCOME_LABELS[outcome]["zh" if lang == "zh" else "en"]
