"""Property tests of the scoring rules (SCORING.md §1–§6, 003 §5.1.1, §5.3, 附录3) over the shipped banks.

Random sessions answer every shipped bank (unanswered, N/A, a level, or a level with an exact α inside
its band; gates yes / partly / no). The oracles here are independent of the code under test: the α
bands and the management thresholds are copied from 003, and percents are recomputed with exact
fractions.
"""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal as D
from fractions import Fraction
from math import floor

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.domain.answers import Answer, Session
from assistant.domain.bank import Kind
from assistant.domain.evaluate import evaluate
from assistant.domain.loader import load_library
from assistant.domain.scoring import management_level, score_bank

LIB = load_library()
BANKS = list(LIB.banks.values())
ACTIVITY_IDS = [b.id for b in BANKS if b.group == "activities"]
SERVICE, MANAGEMENT = "certification.service", "certification.management"

# 003 §5.1.1, in hundredths: level 1 0 ≤ α ≤ 0.2; level n (n > 1) 0.2(n−1) < α ≤ 0.2n
BANDS = {1: (0, 20), 2: (21, 40), 3: (41, 60), 4: (61, 80), 5: (81, 100)}
# 003 附录3 说明 3): the totals at which levels 1..5 begin
THRESHOLDS = (20, 45, 70, 95, 105)
# SCORING.md §6 outcomes, lowest first
ORDER = {"not-yet": 0, "basic": 1, "three-star": 2, "four-star": 3, "five-star": 4}

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def hand_level(total) -> int:
    return sum(1 for t in THRESHOLDS if total >= t)


def hand_percent(earned: D, possible: D) -> D:
    """100 × earned / possible, half-up to one decimal, by exact fractions."""
    tenths = floor(Fraction(1000) * Fraction(earned) / Fraction(possible) + Fraction(1, 2))
    return D(tenths) / D(10)


def scored_or_gate(bank):
    return [q for q in bank.questions if q.kind.scored or q.kind is Kind.gate]


def level_answer(q, low: int = 1) -> st.SearchStrategy[Answer]:
    """A level ≥ low, with or without an exact α inside its band (likert only)."""
    plain = st.integers(low, 5).map(lambda n: Answer(level=n))
    if q.kind is not Kind.likert:
        return plain
    exact = st.integers(low, 5).flatmap(
        lambda n: st.integers(*BANDS[n]).map(lambda h: Answer(level=n, alpha=D(h) / D(100))))
    return st.one_of(plain, exact)


def answer_strategy(q) -> st.SearchStrategy[Answer | None]:
    if q.kind is Kind.gate:
        return st.one_of(st.none(), st.sampled_from(["yes", "partly", "no"]).map(lambda c: Answer(choice=c)))
    options = [st.none(), level_answer(q)]
    if not q.required:
        options.append(st.just(Answer(na="not applicable here")))
    return st.one_of(*options)


def bank_answers(bank) -> st.SearchStrategy[dict[str, Answer]]:
    return st.fixed_dictionaries({q.id: answer_strategy(q) for q in scored_or_gate(bank)}).map(
        lambda d: {k: v for k, v in d.items() if v is not None})


ALL_ANSWERS = st.fixed_dictionaries({b.id: bank_answers(b) for b in BANKS})


def make_session(answers, bank_ids, profile) -> Session:
    t = datetime(2026, 1, 8, tzinfo=timezone.utc)
    return Session(id="prop", org="org", banks={i: LIB.bank(i).version for i in bank_ids},
                   answers={i: answers.get(i, {}) for i in bank_ids}, created=t, updated=t, rules_profile=profile)


@st.composite
def sessions(draw):
    answers = draw(ALL_ANSWERS)
    ids = list(ACTIVITY_IDS)
    if draw(st.booleans()):
        ids.append(SERVICE)
    if draw(st.booleans()):
        ids.append(MANAGEMENT)
    profile = draw(st.sampled_from(["clause-text", "table-rows"]))
    return answers, ids, profile


# --------------------------------------------------------------------------------------------------


@FAST
@given(answers=ALL_ANSWERS)
def test_scores_stay_within_bounds(answers):
    for bank in BANKS:
        r = score_bank(bank, answers[bank.id])
        assert D(0) <= r.earned <= r.possible <= bank.total_points
        if r.percent is not None:
            assert D(0) <= r.percent <= D(100)
        for i in r.items:
            assert D(0) <= i.earned <= i.possible
            assert i.possible in (D(0), i.max_points)
            assert (i.possible == 0) == i.na
        for s in r.sections:
            assert D(0) <= s.earned <= s.possible
            if s.percent is not None:
                assert D(0) <= s.percent <= D(100)


@FAST
@given(answers=ALL_ANSWERS)
def test_percents_are_rounded_half_up_to_one_decimal(answers):
    for bank in BANKS:
        r = score_bank(bank, answers[bank.id])
        for earned, possible, pct in [(r.earned, r.possible, r.percent),
                                      *((s.earned, s.possible, s.percent) for s in r.sections)]:
            if possible == 0:
                assert pct is None
                continue
            assert pct == hand_percent(earned, possible)
            assert pct.as_tuple().exponent == -1


@FAST
@given(answers=ALL_ANSWERS)
def test_management_level_follows_the_thresholds(answers):
    r = score_bank(LIB.bank(MANAGEMENT), answers[MANAGEMENT])
    assert r.level == hand_level(r.earned)


@settings(max_examples=300, deadline=None)
@given(tenths=st.integers(0, 1450))
def test_management_level_thresholds_exact(tenths):
    total = D(tenths) / D(10)
    assert management_level(total) == hand_level(total)


def test_management_level_threshold_neighbours():
    for t, level in zip(THRESHOLDS, range(1, 6)):
        assert management_level(D(t)) == level
        assert management_level(D(t) - D("0.001")) == level - 1


# --------------------------------------------------------------------------------------------------
# Raising one answer never lowers anything


def raised(draw, q, current: Answer | None) -> Answer | None:
    """A strictly better answer to q than `current`, or None when there is none."""
    if q.kind is Kind.gate:
        if current is not None and current.choice == "no":
            return Answer(choice=draw(st.sampled_from(["yes", "partly"])))
        return None
    if current is None:
        return draw(level_answer(q))
    if current.na is not None:
        return None
    options = []
    if current.level < 5:
        options.append(level_answer(q, current.level + 1))
    if q.kind is Kind.likert:
        low, high = BANDS[current.level]
        now = int(current.alpha * 100) if current.alpha is not None else high
        if now < high:
            options.append(st.integers(now + 1, high).map(lambda h: Answer(level=current.level, alpha=D(h) / D(100))))
            options.append(st.just(Answer(level=current.level)))  # no α: the top of the band
    if not options:
        return None
    return draw(st.one_of(*options))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=sessions(), data=st.data())
def test_raising_one_answer_never_lowers_a_score_or_the_grade(case, data):
    answers, ids, profile = case
    candidates = []
    for bank_id in ids:
        for q in scored_or_gate(LIB.bank(bank_id)):
            better = raised(data.draw, q, answers[bank_id].get(q.id))
            if better is not None:
                candidates.append((bank_id, q.id, better))
    if not candidates:
        return
    bank_id, qid, better = data.draw(st.sampled_from(candidates))
    after = {k: dict(v) for k, v in answers.items()}
    after[bank_id][qid] = better

    r0 = evaluate(LIB, make_session(answers, ids, profile))
    r1 = evaluate(LIB, make_session(after, ids, profile))
    for b0, b1 in zip(r0.banks, r1.banks, strict=True):
        assert b1.earned >= b0.earned, (b0.id, qid)
        if b0.percent is not None and b1.percent is not None:
            assert b1.percent >= b0.percent, (b0.id, qid)
        if b0.level is not None:
            assert b1.level >= b0.level
    if r0.activities.percent is not None and r1.activities.percent is not None:
        assert r1.activities.percent >= r0.activities.percent
    assert ORDER[r1.grade.outcome] >= ORDER[r0.grade.outcome], (r0.grade, r1.grade)


# --------------------------------------------------------------------------------------------------
# N/A shrinks the possible points by exactly the item's max_points


@FAST
@given(answers=ALL_ANSWERS, data=st.data())
def test_na_shrinks_possible_by_max_points(answers, data):
    likert = [b for b in BANKS if b.kind == "likert"]
    bank = data.draw(st.sampled_from(likert))
    before = score_bank(bank, answers[bank.id])
    items = {i.id: i for i in before.items}
    candidates = [q for q in bank.questions
                  if q.kind.scored and not q.required and not items[q.id].na and items[q.id].gated_by is None]
    if not candidates:
        return
    q = data.draw(st.sampled_from(candidates))
    after = score_bank(bank, {**answers[bank.id], q.id: Answer(na="does not apply")})
    assert after.possible == before.possible - q.max_points
    assert after.earned == before.earned - items[q.id].earned
    assert after.not_applicable == sorted([*before.not_applicable, q.id], key=[x.id for x in before.items].index)
    if bank.group == "activities":
        ids = ACTIVITY_IDS
        a0 = evaluate(LIB, make_session(answers, ids, "clause-text")).activities
        changed = {k: dict(v) for k, v in answers.items()}
        changed[bank.id][q.id] = Answer(na="does not apply")
        a1 = evaluate(LIB, make_session(changed, ids, "clause-text")).activities
        assert a1.possible == a0.possible - q.max_points


def test_activity_banks_add_up_to_100():
    assert sum(LIB.bank(i).total_points for i in ACTIVITY_IDS) == D(100)
