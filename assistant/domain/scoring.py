"""The shared scoring rules of SCORING.md: item, section and bank scores, the management maturity
level and the provisional grade, as pure functions of (banks, answers). Nothing else computes a score.

Sources: CTS TBSC55-2026 (003) §5.1, §5.3, 附录1, 附录3; T/QAHN008—2025 (002) for the activities.
Rules marked (reading) are this project's reading of an ambiguous source (SCORING.md) and reports
say so.

Results are made with Frozen.built (what model_construct makes, faster): every value comes from a
validated bank and validated answers and is of its field's type already, so validating it again
would only cost time (issue 14 §2).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Iterable, Literal, Mapping

from .answers import Answer, gated
from .bank import Bank, Kind, Lang
from .conformity import Verdict
from .results import (
    BankResult,
    Grade,
    ItemResult,
    Outcome,
    SectionResult,
    Totals,
    round_half_up,
)

ACTIVITIES = "activities"
SERVICE_BANK = "certification.service"
MANAGEMENT_BANK = "certification.management"

HUNDRED = Decimal(100)
FIVE = Decimal(5)


def default_alpha(level: int) -> Decimal:
    """α when only a level is given: the top of the level's band (SCORING.md §2, reading)."""
    return Decimal(level) / FIVE


def score_item(bank: Bank, question_id: str, answer: Answer | None, gate: str | None = None) -> ItemResult:
    q = bank.question(question_id)
    base = dict(id=q.id, section=bank.section_of(q.id).id, clause=q.clause, max_points=q.max_points)
    if gate is not None:
        # A follow-up skipped by its gate: the practice is absent, α = 0 (SCORING.md §1 gate, reading).
        return ItemResult.built(**base, earned=Decimal(0), possible=q.max_points, level=1, alpha=Decimal(0),
                                na=False, unanswered=False, gated_by=gate)
    if answer is not None and answer.na is not None:
        # 003 §5.1.1 实际得分/应得分: an N/A item leaves both earned and possible points.
        return ItemResult.built(**base, earned=Decimal(0), possible=Decimal(0), level=None, alpha=None,
                                na=True, unanswered=False)
    if answer is None or answer.level is None:
        return ItemResult.built(**base, earned=Decimal(0), possible=q.max_points, level=None, alpha=None,
                                na=False, unanswered=True)
    if q.kind is Kind.likert:
        # 003 §5.1.1: Likert five-point scale, earned = points × α
        alpha = answer.alpha if answer.alpha is not None else default_alpha(answer.level)
        return ItemResult.built(**base, earned=q.max_points * alpha, possible=q.max_points,
                                level=answer.level, alpha=alpha, na=False, unanswered=False)
    # 003 附录3: a maturity item earns max × level / 5 (5 points: 1..5, 10 points: 2..10)
    return ItemResult.built(**base, earned=q.max_points * Decimal(answer.level) / FIVE,
                            possible=q.max_points, level=answer.level, alpha=None, na=False,
                            unanswered=False)


def percent(earned: Decimal, possible: Decimal) -> Decimal | None:
    """003 §5.1.1 1): 实际得分 / 应得分 as a percent, rounded half-up to one decimal (SCORING.md §3)."""
    if possible == 0:
        return None
    return round_half_up(HUNDRED * earned / possible)


def management_level(total: Decimal) -> int:
    """003 附录3 说明 3): the maturity level of a management total out of 145."""
    for threshold, level in ((105, 5), (95, 4), (70, 3), (45, 2), (20, 1)):
        if total >= threshold:
            return level
    return 0  # below level 1: only reachable with unanswered items (SCORING.md §5)


def score_bank(bank: Bank, answers: Mapping[str, Answer]) -> BankResult:
    skipped_by = gated(bank, dict(answers))
    items = [
        score_item(bank, q.id, answers.get(q.id), skipped_by.get(q.id))
        for q in bank.questions
        if q.kind.scored
    ]
    sections = []
    for s in bank.sections:
        mine = [i for i in items if i.section == s.id]
        if not mine:
            continue
        earned = sum((i.earned for i in mine), Decimal(0))
        possible = sum((i.possible for i in mine), Decimal(0))
        sections.append(SectionResult.built(id=s.id, earned=earned, possible=possible,
                                            percent=percent(earned, possible)))
    earned = sum((i.earned for i in items), Decimal(0))
    possible = sum((i.possible for i in items), Decimal(0))
    return BankResult.built(
        id=bank.id, version=bank.version, kind=bank.kind, group=bank.group,
        earned=earned, possible=possible, percent=percent(earned, possible),
        level=management_level(earned) if bank.kind == "maturity" else None,
        sections=sections, items=items,
    )


def group_totals(results: Iterable[BankResult], group: str = ACTIVITIES) -> Totals | None:
    """SCORING.md §3: the activity percent is 100 × Σ earned / Σ possible over the activity banks answered."""
    members = [r for r in results if r.group == group]
    if not members:
        return None
    earned = sum((r.earned for r in members), Decimal(0))
    possible = sum((r.possible for r in members), Decimal(0))
    return Totals.built(earned=earned, possible=possible, percent=percent(earned, possible))


# 003 §5.3 (reading, SCORING.md §6): rows from the highest outcome down:
# (outcome, lowest service score S, management level M it requires).
GRADE_ROWS: dict[str, list[tuple[Outcome, Decimal, int]]] = {
    # default: the bullet text's stars (三星级 80–89, 四星级 90–94, 五星级 ≥ 95) with the table's levels
    "clause-text": [
        ("five-star", Decimal(95), 4),
        ("four-star", Decimal(90), 4),
        ("three-star", Decimal(80), 3),
        ("basic", Decimal(60), 2),
    ],
    # alternative: the table's three rows read as the three stars
    "table-rows": [
        ("five-star", Decimal(90), 4),
        ("four-star", Decimal(80), 3),
        ("three-star", Decimal(60), 2),
    ],
}

OUTCOME_LABELS: dict[str, dict[str, str]] = {
    "five-star": {"zh": "五星级", "en": "five-star"},
    "four-star": {"zh": "四星级", "en": "four-star"},
    "three-star": {"zh": "三星级", "en": "three-star"},
    "basic": {"zh": "基本符合", "en": "meets basic requirements"},
    "not-yet": {"zh": "尚未达到", "en": "not yet"},
}


def grade(
    service_score: Decimal | None,
    service_source: str | None,
    management: int | None,
    profile: Literal["clause-text", "table-rows"] = "clause-text",
    lang: Lang = "zh",
    conformity: Verdict = "not assessed",
) -> Grade:
    """003 §5.3 (reading): take the outcome S earns; while M is below what it requires, step down a row.

    003 §5.3 grants a grade only "必须通过管理要求符合性审查后": a conformity review that was
    assessed and not passed holds the outcome at not-yet (reading, README "Scoring"); not assessed, the
    grade is as before and says the review is still to come.
    """
    rows = GRADE_ROWS[profile]
    start = len(rows)
    if service_score is not None:
        start = next((i for i, (_, low, _) in enumerate(rows) if service_score >= low), len(rows))
    earned: Outcome = rows[start][0] if start < len(rows) else "not-yet"
    needs = rows[start][2] if start < len(rows) else None
    if management is None:
        outcome, gate = earned, "not assessed"
    else:
        i = start
        while i < len(rows) and management < rows[i][2]:
            i += 1
        outcome = rows[i][0] if i < len(rows) else "not-yet"
        gate = "met" if i == start else "capped"
    if conformity == "not-yet":
        outcome = "not-yet"
    return Grade.built(
        outcome=outcome, label=OUTCOME_LABELS[outcome][lang], service_score=service_score,
        service_source=service_source, management_level=management, gate=gate,
        needs_level=needs, earned_outcome=earned, conformity=conformity,
    )


def service_score(results: list[BankResult], activities: Totals | None) -> tuple[Decimal | None, str | None]:
    """SCORING.md §6: S is the 附录1 bank's percent when answered, else the activities' combined percent.

    A service bank that is part of the session but has no answer yet (or only N/A, which leaves no
    percent) counts as not answered.
    """
    for r in results:
        if r.id == SERVICE_BANK and r.percent is not None and any(not i.unanswered for i in r.items):
            return r.percent, SERVICE_BANK
    if activities is not None:
        return activities.percent, ACTIVITIES
    return None, None
