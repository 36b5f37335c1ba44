"""The scoring rules checked against numbers worked out BY HAND from the tables of CTS TBSC55-2026 (003).

Every expected value below is written as a literal, with the arithmetic that gives it in a comment;
no expectation is computed by calling the code under test. Sources:

- 003 §5.1.1: 实际得分/应得分 as a percent; the α bands of the five Likert levels.
- 003 §5.3: the grade table (read by SCORING.md §6, profiles clause-text and table-rows).
- 003 附录1: the 19 service-characteristics items, 100 points.
- 003 附录3: the 21 management requirements, 145 points, and the level thresholds of 说明 3).
- /work/shared/SCORING.md §1–§3, §5–§8.

Most tests build small banks of their own shaped exactly like 附录1 and 附录3, so they do not depend on
the shipped TOML files; the tests at the end (marked "real banks") run the same hand-computed cases on
the shipped certification banks.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from decimal import Decimal as D

import pytest

from assistant.domain.answers import Answer, AnswerError, Session, check_answer
from assistant.domain.bank import Bank
from assistant.domain.evaluate import evaluate
from assistant.domain.loader import Library, banks_dir, load_file
from assistant.domain.scoring import (
    grade,
    management_level,
    percent,
    score_bank,
    score_item,
)
from assistant.domain.suggestions import gaps, is_gap, pick

# --------------------------------------------------------------------------------------------------
# Building blocks


HELP = {"why": {"zh": "原因", "en": "why"}, "evidence": {"zh": "证据", "en": "evidence"}}
LEVELS = [{"zh": f"第{n}级", "en": f"level {n}"} for n in range(1, 6)]


def question(qid: str, points: str, kind: str = "likert", methods=("leadership.a",), **extra) -> dict:
    data = {
        "id": qid, "clause": f"test {qid}", "kind": kind, "max_points": points,
        "text": {"zh": f"问题 {qid}", "en": f"question {qid}"}, "help": HELP,
        "methods": list(methods) if kind in ("likert", "maturity") else [],
    }
    if kind == "maturity":
        data["levels"] = LEVELS
    if kind in ("likert", "maturity"):
        data["next_steps"] = {"source": f"test {qid}", "levels": [{"zh": f"{qid} 从 {n} 级提升", "en": f"{qid} from level {n}"}
                                                                  for n in range(1, 5)]}
    data.update(extra)
    return data


def make_bank(bank_id: str, sections: list[tuple[str, list[dict]]], kind: str = "likert",
              total: str | None = None, **extra) -> Bank:
    return Bank.model_validate({
        "id": bank_id, "version": "test", "kind": kind,
        "title": {"zh": bank_id, "en": bank_id}, "source": "test",
        "total_points": total,
        "sections": [{"id": sid, "title": {"zh": sid, "en": sid}, "questions": qs} for sid, qs in sections],
        **extra,
    })


# 003 附录1: (section, [(item, points)]) — 功能性 17 (5 + 7 + 5), 安全性 … 文明性 15 each (5 + 5 + 5),
# 服务规范 8: 17 + 5 × 15 + 8 = 100.
APPENDIX_1 = [
    ("1", [("1.1", "5"), ("1.2", "7"), ("1.3", "5")]),
    ("2", [("2.1", "5"), ("2.2", "5"), ("2.3", "5")]),
    ("3", [("3.1", "5"), ("3.2", "5"), ("3.3", "5")]),
    ("4", [("4.1", "5"), ("4.2", "5"), ("4.3", "5")]),
    ("5", [("5.1", "5"), ("5.2", "5"), ("5.3", "5")]),
    ("6", [("6.1", "5"), ("6.2", "5"), ("6.3", "5")]),
    ("7", [("7.1", "8")]),
]

# 003 附录3: 13 requirements of 5 points and 8 of 10: 13 × 5 + 8 × 10 = 65 + 80 = 145.
APPENDIX_3 = [
    ("1", [("1.1", "5"), ("1.2", "5"), ("1.3", "5"), ("1.4", "5")]),
    ("2", [("2.1", "5"), ("2.2", "5"), ("2.3", "5")]),
    ("3", [("3.1", "5"), ("3.2", "5")]),
    ("4", [("4.1", "10"), ("4.2", "10"), ("4.3", "10"), ("4.4", "5"), ("4.5", "5")]),
    ("5", [("5.1", "10"), ("5.2", "10")]),
    ("6", [("6.1", "10"), ("6.2", "10"), ("6.3", "10")]),
    ("7", [("7.1", "5"), ("7.2", "5")]),
]
FIVE_POINT = ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "3.1", "3.2", "4.4", "4.5", "7.1", "7.2"]
TEN_POINT = ["4.1", "4.2", "4.3", "5.1", "5.2", "6.1", "6.2", "6.3"]


def service_bank() -> Bank:
    return make_bank(
        "certification.service",
        [(sid, [question(qid, pts) for qid, pts in items]) for sid, items in APPENDIX_1],
        total="100",
    )


def management_bank() -> Bank:
    return make_bank(
        "certification.management",
        [(sid, [question(qid, pts, kind="maturity", required=True) for qid, pts in items]) for sid, items in APPENDIX_3],
        kind="maturity", total="145",
    )


def L(level: int, alpha: str | None = None) -> Answer:
    return Answer(level=level, alpha=None if alpha is None else D(alpha))


def NA(reason: str = "not offered here") -> Answer:
    return Answer(na=reason)


@pytest.fixture(scope="module")
def catalogue():
    return load_file(banks_dir() / "suggestions_appendix_a.toml")


@pytest.fixture(scope="module")
def activity_banks() -> dict[str, Bank]:
    names = ["design", "realisation", "effect", "verification"]
    return {f"activities.{n}": load_file(banks_dir() / f"activities_{n}.toml") for n in names}


def library_of(catalogue, *banks: Bank) -> Library:
    return Library(banks={b.id: b for b in banks}, catalogue=catalogue, files={})


def session_of(banks: list[Bank], answers: dict[str, dict[str, Answer]], profile: str = "clause-text",
               lang: str = "zh") -> Session:
    t = datetime(2026, 1, 8, 9, 0, tzinfo=timezone.utc)
    return Session(id="s-hand", org="测试组织", banks={b.id: b.version for b in banks}, answers=answers,
                   created=t, updated=t, rules_profile=profile, lang=lang)


def all_level(bank: Bank, level: int) -> dict[str, Answer]:
    return {q.id: L(level) for q in bank.questions if q.kind.scored}


def test_the_hand_tables_match_003():
    # 附录1: 19 items; 17 + 15 + 15 + 15 + 15 + 15 + 8 = 100
    assert sum(len(items) for _, items in APPENDIX_1) == 19
    assert sum(D(p) for _, items in APPENDIX_1 for _, p in items) == D(100)
    # 附录3: 21 requirements, 13 of 5 points and 8 of 10; 65 + 80 = 145
    assert sum(len(items) for _, items in APPENDIX_3) == 21
    assert sum(D(p) for _, items in APPENDIX_3 for _, p in items) == D(145)
    assert len(FIVE_POINT) == 13 and len(TEN_POINT) == 8


# --------------------------------------------------------------------------------------------------
# Item scores (SCORING.md §1, §2; 003 §5.1.1, 附录3)


@pytest.mark.parametrize("level, expected", [
    (1, D("1.4")),  # 7 × 0.2 = 1.4
    (2, D("2.8")),  # 7 × 0.4 = 2.8
    (3, D("4.2")),  # 7 × 0.6 = 4.2
    (4, D("5.6")),  # 7 × 0.8 = 5.6
    (5, D("7")),    # 7 × 1.0 = 7
])
def test_likert_level_without_alpha_takes_the_top_of_its_band(level, expected):
    bank = service_bank()
    item = score_item(bank, "1.2", L(level))  # 附录1 1.2 设备设施 / 7分
    assert item.earned == expected
    assert item.possible == D(7)
    assert item.level == level


def test_likert_exact_alpha():
    bank = service_bank()
    item = score_item(bank, "1.1", L(4, "0.75"))  # 5 × 0.75 = 3.75
    assert item.earned == D("3.75")
    assert item.alpha == D("0.75")
    assert score_item(bank, "7.1", L(5, "0.85")).earned == D("6.8")  # 8 × 0.85 = 6.8
    assert score_item(bank, "2.1", L(1, "0")).earned == D(0)          # 5 × 0 = 0


@pytest.mark.parametrize("qid, level, expected", [
    ("4.1", 3, D(6)),   # 附录3 4.1 资源, 10 points, 三级 → 6 (10 × 3/5)
    ("1.1", 3, D(3)),   # 附录3 1.1, 5 points, 三级 → 3 (5 × 3/5)
    ("4.1", 1, D(2)),   # 一级 of a 10-point requirement: 2
    ("4.1", 2, D(4)),   # 二级: 4
    ("4.1", 4, D(8)),   # 四级: 8
    ("4.1", 5, D(10)),  # 五级: 10
    ("7.2", 1, D(1)),   # 一级 of a 5-point requirement: 1
    ("7.2", 5, D(5)),   # 五级: 5
])
def test_maturity_item_follows_appendix_3_table(qid, level, expected):
    item = score_item(management_bank(), qid, L(level))
    assert item.earned == expected
    assert item.alpha is None


# --------------------------------------------------------------------------------------------------
# α bands (003 §5.1.1; SCORING.md §2: outside the band is an input error)


@pytest.mark.parametrize("level, alpha, accepted", [
    (1, "0", True),      # 0 ≤ α ≤ 0.2: level 1 takes 0
    (1, "0.2", True),
    (1, "0.21", False),
    (1, "-0.01", False),
    (2, "0.2", False),   # 0.2 < α ≤ 0.4: 0.2 itself belongs to level 1
    (2, "0.21", True),
    (2, "0.4", True),
    (2, "0.41", False),
    (3, "0.4", False),   # 0.4 < α ≤ 0.6
    (3, "0.41", True),
    (3, "0.6", True),
    (4, "0.6", False),   # 0.6 < α ≤ 0.8
    (4, "0.75", True),
    (4, "0.8", True),
    (4, "0.81", False),
    (5, "0.8", False),   # 0.8 < α ≤ 1
    (5, "0.81", True),
    (5, "1", True),
    (5, "1.01", False),
])
def test_alpha_band_edges(level, alpha, accepted):
    bank = service_bank()
    q = bank.question("1.1")
    answer = L(level, alpha)
    if accepted:
        check_answer(bank, q, answer)
    else:
        with pytest.raises(AnswerError):
            check_answer(bank, q, answer)


def test_alpha_on_a_maturity_item_is_refused():
    bank = management_bank()
    with pytest.raises(AnswerError):
        check_answer(bank, bank.question("4.1"), L(3, "0.6"))


def test_na_rules():
    service, management = service_bank(), management_bank()
    check_answer(service, service.question("1.2"), NA("no equipment is used in this service"))
    with pytest.raises(AnswerError):  # SCORING.md §5: N/A is not allowed in the maturity bank
        check_answer(management, management.question("4.1"), NA("does not apply"))
    with pytest.raises(ValueError):  # SCORING.md §1: an N/A answer must carry a reason
        Answer(na="   ")


# --------------------------------------------------------------------------------------------------
# A full 附录1 session with chosen levels (SCORING.md §3)

# item: answer → earned
FULL_SESSION = {
    "1.1": L(5),          # 5 × 1.0 = 5
    "1.2": L(4),          # 7 × 0.8 = 5.6
    "1.3": L(3),          # 5 × 0.6 = 3
    "2.1": L(5),          # 5
    "2.2": L(4),          # 4
    "2.3": L(4, "0.75"),  # 5 × 0.75 = 3.75
    "3.1": L(2),          # 5 × 0.4 = 2
    "3.2": L(3),          # 3
    "3.3": L(4),          # 4
    "4.1": L(5),          # 5
    "4.2": L(4),          # 4
    "4.3": L(4),          # 4
    "5.1": L(3),          # 3
    "5.2": L(1, "0.1"),   # 5 × 0.1 = 0.5
    "5.3": L(4),          # 4
    "6.1": L(5),          # 5
    "6.2": L(5, "0.9"),   # 5 × 0.9 = 4.5
    "6.3": L(4),          # 4
    "7.1": L(4),          # 8 × 0.8 = 6.4
}
# sections: 1: 5 + 5.6 + 3 = 13.6 | 2: 5 + 4 + 3.75 = 12.75 | 3: 2 + 3 + 4 = 9 | 4: 5 + 4 + 4 = 13
#           5: 3 + 0.5 + 4 = 7.5  | 6: 5 + 4.5 + 4 = 13.5  | 7: 6.4
# total: 13.6 + 12.75 + 9 + 13 + 7.5 + 13.5 + 6.4 = 75.75 of 100 → 75.75 % → 75.8 (half-up)


def test_full_appendix_1_session():
    result = score_bank(service_bank(), FULL_SESSION)
    assert result.earned == D("75.75")
    assert result.possible == D(100)
    assert result.percent == D("75.8")  # 75.75 rounds half-up to 75.8
    sections = {s.id: (s.earned, s.possible, s.percent) for s in result.sections}
    assert sections == {
        "1": (D("13.6"), D(17), D("80.0")),   # 13.6 / 17 = 0.8
        "2": (D("12.75"), D(15), D("85.0")),  # 12.75 / 15 = 0.85
        "3": (D(9), D(15), D("60.0")),        # 9 / 15 = 0.6
        "4": (D(13), D(15), D("86.7")),       # 13 / 15 = 0.8666… → 86.7
        "5": (D("7.5"), D(15), D("50.0")),    # 7.5 / 15 = 0.5
        "6": (D("13.5"), D(15), D("90.0")),   # 13.5 / 15 = 0.9
        "7": (D("6.4"), D(8), D("80.0")),     # 6.4 / 8 = 0.8
    }
    assert result.unanswered == [] and result.not_applicable == []


def test_full_appendix_1_session_evaluated(catalogue):
    bank = service_bank()
    result = evaluate(library_of(catalogue, bank), session_of([bank], {bank.id: FULL_SESSION}))
    assert result.complete is True
    assert result.activities is None
    # S = 75.8: 60 ≤ S < 80 → 基本符合, management not assessed → needs level 2 (SCORING.md §6)
    assert result.grade.service_score == D("75.8")
    assert result.grade.service_source == "certification.service"
    assert result.grade.outcome == "basic"
    assert result.grade.gate == "not assessed"
    assert result.grade.needs_level == 2


def test_na_removes_the_item_from_earned_and_possible():
    answers = dict(FULL_SESSION, **{"1.2": NA("no equipment")})
    result = score_bank(service_bank(), answers)
    assert result.earned == D("70.15")   # 75.75 − 5.6 = 70.15
    assert result.possible == D(93)      # 100 − 7 = 93
    assert result.percent == D("75.4")   # 70.15 / 93 = 0.75430… → 75.4 (was 75.8 with the item)
    section_1 = next(s for s in result.sections if s.id == "1")
    assert (section_1.earned, section_1.possible, section_1.percent) == (D(8), D(10), D("80.0"))  # 5 + 3 of 5 + 5
    assert result.not_applicable == ["1.2"]
    item = next(i for i in result.items if i.id == "1.2")
    assert (item.earned, item.possible, item.na) == (D(0), D(0), True)


def test_unanswered_earns_zero_and_makes_the_result_incomplete(catalogue):
    answers = {k: v for k, v in FULL_SESSION.items() if k != "7.1"}
    bank = service_bank()
    scored = score_bank(bank, answers)
    assert scored.earned == D("69.35")  # 75.75 − 6.4 = 69.35
    assert scored.possible == D(100)    # the unanswered item stays in the possible points
    assert scored.percent == D("69.4")  # 69.35 half-up → 69.4 (a float round() would give 69.3)
    assert scored.unanswered == ["7.1"]
    result = evaluate(library_of(catalogue, bank), session_of([bank], {bank.id: answers}))
    assert result.complete is False


# --------------------------------------------------------------------------------------------------
# Rounding half-up to one decimal (SCORING.md §3)


@pytest.mark.parametrize("earned, possible, expected", [
    ("2", "3", "66.7"),      # 66.666… → 66.7
    ("1", "3", "33.3"),      # 33.333… → 33.3
    ("80.25", "100", "80.3"),  # .x5 rounds up (half-even would give 80.2)
    ("69.35", "100", "69.4"),  # .x5 rounds up (float 69.35 is 69.3499…)
    ("0.05", "100", "0.1"),    # 0.05 → 0.1
    ("75.75", "100", "75.8"),
    ("13", "15", "86.7"),
])
def test_percent_rounds_half_up(earned, possible, expected):
    result = percent(D(earned), D(possible))
    assert result == D(expected)
    assert result.as_tuple().exponent == -1  # one decimal, e.g. 80.0 not 80


def test_two_thirds_from_answers():
    bank = make_bank("t.thirds", [("1", [question("a", "1"), question("b", "1"), question("c", "1")])], total="3")
    # 1 × 1.0 + 1 × 1.0 + 1 × 0 = 2 of 3 → 66.666… → 66.7
    result = score_bank(bank, {"a": L(5), "b": L(5), "c": L(1, "0")})
    assert (result.earned, result.possible, result.percent) == (D(2), D(3), D("66.7"))


def test_x5_rounds_up_from_answers():
    answers = all_level(service_bank(), 4)  # every item × 0.8: 100 × 0.8 = 80
    answers["2.1"] = L(5, "0.85")           # 5 × 0.85 = 4.25 instead of 4: 80.25 → 80.3
    result = score_bank(service_bank(), answers)
    assert result.earned == D("80.25")
    assert result.percent == D("80.3")


# --------------------------------------------------------------------------------------------------
# Management maturity level (003 附录3 说明 3); SCORING.md §5


def maturity_answers(five: list[int | None], ten: list[int | None]) -> dict[str, Answer]:
    out = {}
    for qid, level in [*zip(FIVE_POINT, five, strict=True), *zip(TEN_POINT, ten, strict=True)]:
        if level is not None:
            out[qid] = L(level)
    return out


MANAGEMENT_CASES = [
    # (5-point levels ×13, 10-point levels ×8, total by hand, level, percent by hand)
    ([1] * 11 + [None] * 2, [1] * 4 + [None] * 4, D(19), 0, D("13.1")),   # 11 + 4 × 2 = 19; 19/145 = 13.10…
    ([1] * 12 + [None], [1] * 4 + [None] * 4, D(20), 1, D("13.8")),       # 12 + 8 = 20; 20/145 = 13.79…
    ([2] + [1] * 12, [2] * 7 + [1], D(44), 1, D("30.3")),                 # 2 + 12 + 7 × 4 + 2 = 44; 30.34…
    ([1] * 13, [2] * 8, D(45), 2, D("31.0")),                             # 13 + 8 × 4 = 45; 31.03…
    ([3] * 12 + [1], [2] * 8, D(69), 2, D("47.6")),                       # 36 + 1 + 32 = 69; 47.58…
    ([3] * 12 + [2], [2] * 8, D(70), 3, D("48.3")),                       # 36 + 2 + 32 = 70; 48.27…
    ([4] + [5] * 12, [2] * 7 + [1], D(94), 3, D("64.8")),                 # 4 + 60 + 28 + 2 = 94; 64.82…
    ([5] * 13, [2] * 7 + [1], D(95), 4, D("65.5")),                       # 65 + 28 + 2 = 95; 65.51…
    ([4] + [5] * 12, [3] * 4 + [2] * 4, D(104), 4, D("71.7")),            # 64 + 24 + 16 = 104; 71.72…
    ([5] * 13, [3] * 4 + [2] * 4, D(105), 5, D("72.4")),                  # 65 + 24 + 16 = 105; 72.41…
    ([5] * 13, [5] * 8, D(145), 5, D("100.0")),                           # 65 + 80 = 145
]


@pytest.mark.parametrize("five, ten, total, level, pct", MANAGEMENT_CASES,
                         ids=[str(c[2]) for c in MANAGEMENT_CASES])
def test_management_level_from_answers(five, ten, total, level, pct):
    result = score_bank(management_bank(), maturity_answers(five, ten))
    assert result.earned == total
    assert result.possible == D(145)
    assert result.level == level
    assert result.percent == pct


@pytest.mark.parametrize("total, level", [
    ("0", 0), ("19", 0), ("19.9", 0), ("20", 1), ("44", 1), ("44.9", 1), ("45", 2), ("69", 2), ("70", 3),
    ("94", 3), ("95", 4), ("104", 4), ("104.9", 4), ("105", 5), ("145", 5),
])
def test_management_level_thresholds(total, level):
    # 003 附录3 说明 3): 20 ≤ T < 45 一级; 45 ≤ T < 70 二级; 70 ≤ T < 95 三级; 95 ≤ T < 105 四级; 105 ≤ T ≤ 145 五级
    assert management_level(D(total)) == level


# --------------------------------------------------------------------------------------------------
# The provisional grade (003 §5.3; SCORING.md §6)


@pytest.mark.parametrize("s, m, outcome, gate", [
    ("96", 5, "five-star", "met"),        # S ≥ 95 and M ≥ 4
    ("96", 4, "five-star", "met"),
    ("96", 3, "three-star", "capped"),    # five-star needs 4, four-star needs 4, three-star needs 3
    ("96", 1, "not-yet", "capped"),       # … basic needs 2: M = 1 falls below every row
    ("95", 4, "five-star", "met"),
    ("94.9", 5, "four-star", "met"),      # 90 ≤ S < 95
    ("90", 4, "four-star", "met"),
    ("90", 2, "basic", "capped"),         # four-star → three-star (needs 3) → basic (needs 2)
    ("89.9", 3, "three-star", "met"),
    ("80", 3, "three-star", "met"),       # S = 80.0 exactly is 三星级
    ("80", 2, "basic", "capped"),
    ("79.9", 5, "basic", "met"),          # 60 ≤ S < 80
    ("60", 2, "basic", "met"),
    ("60", 1, "not-yet", "capped"),
    ("59.9", 5, "not-yet", None),         # below 60: 尚未达到 whatever M
])
def test_grade_clause_text(s, m, outcome, gate):
    g = grade(D(s), "certification.service", m, "clause-text")
    assert g.outcome == outcome
    if gate is not None:
        assert g.gate == gate
    assert g.management_level == m
    assert g.provisional is True


@pytest.mark.parametrize("s, needs, outcome", [
    ("85", 3, "three-star"),   # 80 ≤ 85 < 90 → 三星级, which needs management level ≥ 3
    ("80", 3, "three-star"),
    ("96", 4, "five-star"),
    ("92", 4, "four-star"),
    ("65", 2, "basic"),
])
def test_grade_without_management_is_not_assessed(s, needs, outcome):
    g = grade(D(s), "certification.service", None, "clause-text")
    assert g.outcome == outcome
    assert g.gate == "not assessed"
    assert g.needs_level == needs
    assert g.management_level is None


def test_grade_below_60_and_with_no_score():
    assert grade(D("59.9"), "certification.service", None, "clause-text").outcome == "not-yet"
    assert grade(None, None, None, "clause-text").outcome == "not-yet"


@pytest.mark.parametrize("s, m, outcome, gate", [
    ("85", 3, "four-star", "met"),        # table row 2: 80–90 with 三级及以上
    ("65", 2, "three-star", "met"),       # table row 1: 60–79 with 二级及以上
    ("92", 3, "four-star", "capped"),     # row 3 needs 四级: step down to row 2
    ("92", 4, "five-star", "met"),        # row 3: 90 and above with 四级及以上
    ("90", 4, "five-star", "met"),
    ("80", 2, "three-star", "capped"),
    ("65", 1, "not-yet", "capped"),
    ("59.9", 5, "not-yet", None),
])
def test_grade_table_rows(s, m, outcome, gate):
    g = grade(D(s), "certification.service", m, "table-rows")
    assert g.outcome == outcome
    if gate is not None:
        assert g.gate == gate


def test_grade_table_rows_not_assessed():
    g = grade(D("92"), "certification.service", None, "table-rows")
    assert (g.outcome, g.gate, g.needs_level) == ("five-star", "not assessed", 4)


@pytest.mark.parametrize("outcome_s, label", [
    ("96", "五星级"), ("92", "四星级"), ("85", "三星级"), ("70", "基本符合"), ("50", "尚未达到"),
])
def test_grade_labels_zh(outcome_s, label):
    assert grade(D(outcome_s), "certification.service", 5, "clause-text", "zh").label == label


def test_grade_79_95_rounds_to_80_from_answers(catalogue):
    bank = service_bank()
    answers = all_level(bank, 4)      # 100 × 0.8 = 80
    answers["2.1"] = L(4, "0.79")     # 5 × 0.79 = 3.95 instead of 4: 80 − 0.05 = 79.95
    result = evaluate(library_of(catalogue, bank), session_of([bank], {bank.id: answers}))
    assert result.banks[0].earned == D("79.95")
    assert result.grade.service_score == D("80.0")  # 79.95 half-up → 80.0, compared after rounding
    assert result.grade.outcome == "three-star"
    assert result.grade.gate == "not assessed"


def test_grade_with_both_certification_banks(catalogue):
    service, management = service_bank(), management_bank()
    lib = library_of(catalogue, service, management)
    s_answers = all_level(service, 5)
    for qid in ("2.1", "2.2", "2.3", "3.1"):
        s_answers[qid] = L(4)  # four 5-point items at 0.8: 100 − 4 × 1 = 96
    cases = [
        (all_level(management, 4), "five-star", "met", 5),    # 145 × 0.8 = 116 ≥ 105 → 五级
        (maturity_answers([5] * 13, [2] * 7 + [1]), "five-star", "met", 4),          # 95 → 四级
        (maturity_answers([3] * 12 + [2], [2] * 8), "three-star", "capped", 3),      # 70 → 三级
        (maturity_answers([1] * 13, [1] * 8), "not-yet", "capped", 1),               # 13 + 16 = 29 → 一级
    ]
    for m_answers, outcome, gate, level in cases:
        result = evaluate(lib, session_of([service, management], {service.id: s_answers, management.id: m_answers}))
        assert result.grade.service_score == D("96.0")
        assert result.grade.management_level == level
        assert (result.grade.outcome, result.grade.gate) == (outcome, gate)


def test_table_rows_profile_from_answers(catalogue):
    service, management = service_bank(), management_bank()
    lib = library_of(catalogue, service, management)
    s_answers = all_level(service, 5)
    for qid in ("2.1", "2.2", "2.3"):
        s_answers[qid] = L(2)  # three 5-point items at 0.4: 100 − 3 × 3 = 91 → 90 and above
    m_answers = maturity_answers([3] * 12 + [2], [2] * 8)  # 70 → 三级
    for profile, outcome, gate in [("table-rows", "four-star", "capped"), ("clause-text", "three-star", "capped")]:
        result = evaluate(lib, session_of([service, management], {service.id: s_answers, management.id: m_answers},
                                          profile=profile))
        assert result.grade.service_score == D("91.0")
        assert (result.grade.outcome, result.grade.gate) == (outcome, gate)
        assert result.to_json()["rules_profile"] == profile


# --------------------------------------------------------------------------------------------------
# Service score source and the activity percent (SCORING.md §3, §6)


def test_activity_percent_is_pooled_not_the_mean_of_bank_percents(catalogue, activity_banks):
    banks = list(activity_banks.values())
    answers = {b.id: all_level(b, 5) for b in banks}
    answers["activities.design"] = all_level(activity_banks["activities.design"], 1)
    answers["activities.verification"]["D8.2-0"] = Answer(choice="yes")
    result = evaluate(library_of(catalogue, *banks), session_of(banks, answers))
    percents = {b.id: b.percent for b in result.banks}
    assert percents == {
        "activities.design": D("20.0"),         # 30 × 0.2 = 6 of 30
        "activities.realisation": D("100.0"),   # 35 of 35
        "activities.effect": D("100.0"),        # 20 of 20
        "activities.verification": D("100.0"),  # 15 of 15
    }
    # pooled: (6 + 35 + 20 + 15) / (30 + 35 + 20 + 15) = 76 / 100 = 76.0
    # the mean of the four percents would be (20 + 100 + 100 + 100) / 4 = 80.0
    assert result.activities.earned == D(76)
    assert result.activities.possible == D(100)
    assert result.activities.percent == D("76.0")
    assert result.grade.service_source == "activities"
    assert result.grade.service_score == D("76.0")
    assert result.grade.outcome == "basic"  # 76.0 < 80: 基本符合 (the mean, 80.0, would wrongly give 三星级)


def test_activity_percent_with_na(catalogue, activity_banks):
    banks = list(activity_banks.values())
    answers = {b.id: all_level(b, 5) for b in banks}
    answers["activities.design"]["5.3.1"] = NA("no objectives system")  # 4 points out
    answers["activities.design"]["5.3.2"] = NA("no objectives system")  # 4 points out
    answers["activities.verification"] = all_level(activity_banks["activities.verification"], 1)
    answers["activities.verification"]["D8.2-0"] = Answer(choice="yes")
    result = evaluate(library_of(catalogue, *banks), session_of(banks, answers))
    # design 22 of 22 (100 %), realisation 35, effect 20, verification 15 × 0.2 = 3 of 15 (20 %)
    # pooled: (22 + 35 + 20 + 3) / (22 + 35 + 20 + 15) = 80 / 92 = 0.869565… → 87.0
    # (the mean of the percents would be (100 + 100 + 100 + 20) / 4 = 80.0)
    assert result.activities.earned == D(80)
    assert result.activities.possible == D(92)
    assert result.activities.percent == D("87.0")


def test_service_score_comes_from_the_service_bank_when_answered(catalogue, activity_banks):
    service = service_bank()
    banks = [*activity_banks.values(), service]
    answers = {b.id: all_level(b, 5) for b in activity_banks.values()}  # activities 100 %
    answers["activities.verification"]["D8.2-0"] = Answer(choice="yes")
    answers[service.id] = all_level(service, 4)  # 100 × 0.8 = 80
    result = evaluate(library_of(catalogue, *banks), session_of(banks, answers))
    assert result.activities.percent == D("100.0")
    assert result.grade.service_source == "certification.service"
    assert result.grade.service_score == D("80.0")
    assert result.grade.outcome == "three-star"


def test_service_score_falls_back_to_activities(catalogue, activity_banks):
    banks = list(activity_banks.values())
    answers = {b.id: all_level(b, 4) for b in banks}  # every activity item × 0.8 → 80 of 100
    answers["activities.verification"]["D8.2-0"] = Answer(choice="yes")
    result = evaluate(library_of(catalogue, *banks), session_of(banks, answers))
    assert result.grade.service_source == "activities"
    assert result.grade.service_score == D("80.0")
    assert result.to_json()["grade"]["service_source"] == "activities"


def test_service_bank_listed_but_not_answered_falls_back_to_activities(catalogue, activity_banks):
    # SCORING.md §6: "S is the service-characteristics bank percent when it was answered; otherwise the
    # activity banks' combined percent stands in for it". A session that lists the service bank but has
    # not answered any of its items has not answered it.
    service = service_bank()
    banks = [*activity_banks.values(), service]
    answers = {b.id: all_level(b, 4) for b in activity_banks.values()}  # 80 of 100
    answers["activities.verification"]["D8.2-0"] = Answer(choice="yes")
    result = evaluate(library_of(catalogue, *banks), session_of(banks, answers))
    assert result.grade.service_source == "activities"
    assert result.grade.service_score == D("80.0")


def test_management_bank_listed_but_not_answered_is_not_assessed(catalogue, activity_banks):
    # The same reading as for the service bank: a management bank with no answer at all has not been
    # assessed, so the grade follows S alone (gate "not assessed") instead of being capped by level 0.
    management = management_bank()
    banks = [*activity_banks.values(), management]
    answers = {b.id: all_level(b, 4) for b in activity_banks.values()}  # 80 of 100
    answers["activities.verification"]["D8.2-0"] = Answer(choice="yes")
    result = evaluate(library_of(catalogue, *banks), session_of(banks, answers))
    assert result.grade.management_level is None
    assert result.grade.gate == "not assessed"
    assert result.grade.outcome == "three-star"  # S = 80.0 earns three-star (clause-text)
    # one answered requirement (level 5 on a 10-point item: 10 of 145, level 0) does assess it
    answers[management.id] = {"4.1": Answer(level=5)}
    result = evaluate(library_of(catalogue, *banks), session_of(banks, answers))
    assert result.grade.management_level == 0
    assert result.grade.outcome == "not-yet" and result.grade.gate == "capped"


# --------------------------------------------------------------------------------------------------
# Gate D8.2-0 of activities.verification (question_banks/README.md; SCORING.md §1)


def test_gate_no_scores_follow_ups_zero_and_answered(catalogue, activity_banks):
    bank = activity_banks["activities.verification"]
    answers = {"D8.1-1": L(5), "D8.1-2": L(5), "D8.1-3": L(5), "D8.2-0": Answer(choice="no")}
    result = score_bank(bank, answers)
    items = {i.id: i for i in result.items}
    for qid in ("D8.2-1", "D8.2-2"):
        assert items[qid].earned == D(0)
        assert items[qid].possible == D("3.5")
        assert items[qid].unanswered is False
    assert result.unanswered == []
    assert result.earned == D(8)        # 3 + 2.5 + 2.5 = 8
    assert result.possible == D(15)     # 8 + 3.5 + 3.5 = 15
    assert result.percent == D("53.3")  # 8 / 15 = 0.5333… → 53.3
    section = next(s for s in result.sections if s.id == "8.2")
    assert (section.earned, section.possible, section.percent) == (D(0), D(7), D("0.0"))
    full = evaluate(library_of(catalogue, bank), session_of([bank], {bank.id: answers}))
    assert full.complete is True


def test_gate_no_overrides_a_follow_up_answer(activity_banks):
    bank = activity_banks["activities.verification"]
    answers = {"D8.1-1": L(5), "D8.1-2": L(5), "D8.1-3": L(5), "D8.2-0": Answer(choice="no"),
               "D8.2-1": L(5), "D8.2-2": L(5)}
    result = score_bank(bank, answers)
    assert result.earned == D(8)  # D8.2-1 and D8.2-2 still earn 0 of 3.5 each


def test_gate_yes_keeps_the_follow_ups(activity_banks):
    bank = activity_banks["activities.verification"]
    base = {"D8.1-1": L(5), "D8.1-2": L(5), "D8.1-3": L(5)}
    yes = score_bank(bank, {**base, "D8.2-0": Answer(choice="yes"), "D8.2-1": L(5), "D8.2-2": L(3)})
    # 3 + 2.5 + 2.5 + 3.5 × 1.0 + 3.5 × 0.6 = 3 + 2.5 + 2.5 + 3.5 + 2.1 = 13.6 of 15
    assert yes.earned == D("13.6")
    assert yes.percent == D("90.7")  # 13.6 / 15 = 0.90666… → 90.7


def test_gate_partly_does_not_skip(activity_banks):
    bank = activity_banks["activities.verification"]
    base = {"D8.1-1": L(5), "D8.1-2": L(5), "D8.1-3": L(5)}
    partly = score_bank(bank, {**base, "D8.2-0": Answer(choice="partly")})
    assert partly.unanswered == ["D8.2-1", "D8.2-2"]  # skip_on defaults to ["no"]: still to be answered
    assert partly.earned == D(8)


# --------------------------------------------------------------------------------------------------
# Suggestions (SCORING.md §7)


def suggestion_bank() -> Bank:
    return make_bank("t.suggest", [("1", [
        question("a", "5", methods=["leadership.a", "leadership.b"]),   # level 3 (α 0.6): gap, 5 × 0.4 = 2.0
        question("b", "10", methods=["culture.e"]),                     # level 4, α 0.61: no gap (3.9)
        question("c", "4", methods=["leadership.b", "culture.a"]),      # level 2 (α 0.4): gap, 4 × 0.6 = 2.4
        question("d", "2", methods=["culture.b"]),                      # unanswered: gap, 2 × 1 = 2.0
        question("e", "8", methods=["culture.c"]),                      # N/A: never a gap
        question("f", "5", methods=["culture.f"]),                      # level 5, α 0.9: no gap
        question("g", "2.5", methods=["leadership.a", "engagement.a"]),  # level 1 (α 0.2): gap, 2.5 × 0.8 = 2.0
    ])], total="36.5")


SUGGESTION_ANSWERS = {"a": L(3), "b": L(4, "0.61"), "c": L(2), "e": NA("no such service"), "f": L(5, "0.9"),
                      "g": L(1)}


def test_gaps_are_ranked_by_points_at_stake_ties_in_bank_order():
    result = score_bank(suggestion_bank(), SUGGESTION_ANSWERS)
    ranked = [(i.id, i.points_at_stake) for _, i in gaps([result])]
    # c 2.4 first; a, d, g tie at 2.0 and keep bank order
    assert ranked == [("c", D("2.4")), ("a", D("2.0")), ("d", D(2)), ("g", D("2.0"))]


@pytest.mark.parametrize("answer, gap, stake", [
    (L(3), True, D("2.0")),             # α 0.6 ≤ 0.6: 5 × (1 − 0.6) = 2
    (L(3, "0.45"), True, D("2.75")),    # 5 × (1 − 0.45) = 2.75
    (L(4, "0.61"), False, D("1.95")),   # α 0.61 > 0.6: 5 × 0.39 = 1.95, not a gap
    (L(4), False, D("1.0")),            # 5 × 0.2 = 1
    (None, True, D(5)),                 # unanswered: 5 × (1 − 0) = 5
    (NA(), False, D(0)),
])
def test_likert_gap_threshold_and_points_at_stake(answer, gap, stake):
    item = score_item(service_bank(), "1.1", answer)
    assert is_gap(item) is gap
    assert item.points_at_stake == stake


@pytest.mark.parametrize("qid, level, gap, stake", [
    ("4.1", 3, True, D(4)),     # 10 × (1 − 3/5) = 4
    ("4.1", 4, False, D(2)),    # 10 × (1 − 4/5) = 2, level 4 is not a gap
    ("1.1", 3, True, D(2)),     # 5 × (1 − 3/5) = 2
    ("1.1", 1, True, D(4)),     # 5 × (1 − 1/5) = 4
    ("1.1", 5, False, D(0)),
])
def test_maturity_gap_threshold_and_points_at_stake(qid, level, gap, stake):
    item = score_item(management_bank(), qid, L(level))
    assert is_gap(item) is gap
    assert item.points_at_stake == stake


def test_methods_collected_without_repeats_up_to_n(catalogue):
    bank = suggestion_bank()
    result = score_bank(bank, SUGGESTION_ANSWERS)
    picked = pick([result], {bank.id: bank}, catalogue, "en", count=5)
    # breadth first (SCORING §11, reading): each gap's first method, then each one's second, …
    #   first pass:  c → leadership.b; a → leadership.a; d → culture.b; g → (leadership.a taken)
    #   second pass: c → culture.a; a → (leadership.b taken); g → engagement.a
    # then shown in the order of the points at stake they show (ties keep the walk's order)
    assert [s.method for s in picked] == ["leadership.b", "leadership.a", "culture.a", "culture.b", "engagement.a"]
    stakes = {s.method: (sorted(i.id for i in s.items), s.points_at_stake) for s in picked}
    assert stakes == {
        "leadership.b": (["a", "c"], D("4.4")),   # c 2.4 + a 2.0
        "culture.a": (["c"], D("2.4")),
        "leadership.a": (["a", "g"], D("4.0")),   # a 2.0 + g 2.0
        "culture.b": (["d"], D(2)),
        "engagement.a": (["g"], D("2.0")),
    }
    assert picked[0].area == "Leadership and management"
    three = pick([result], {bank.id: bank}, catalogue, "zh", count=3)
    assert [s.method for s in three] == ["leadership.b", "leadership.a", "culture.b"]
    assert three[0].area == "领导和管理"


def test_ties_across_banks_keep_bank_order(catalogue):
    first = make_bank("t.first", [("1", [question("x", "5", methods=["culture.a"])])], total="5")
    second = make_bank("t.second", [("1", [question("y", "5", methods=["culture.b"])])], total="5")
    r1, r2 = score_bank(first, {"x": L(3)}), score_bank(second, {"y": L(3)})  # both 5 × 0.4 = 2
    assert [i.id for _, i in gaps([r1, r2])] == ["x", "y"]
    assert [i.id for _, i in gaps([r2, r1])] == ["y", "x"]
    picked = pick([r2, r1], {first.id: first, second.id: second}, catalogue, "en", count=5)
    assert [s.method for s in picked] == ["culture.b", "culture.a"]


# --------------------------------------------------------------------------------------------------
# The JSON result (SCORING.md §8)


# "checklists" (issue 15): the verdicts of checklist banks, added beside SCORING §8's keys
TOP_KEYS = {"session_id", "org", "rules_profile", "complete", "banks", "activities", "grade", "derivation", "suggestions",
            "checklists"}
BANK_KEYS = {"id", "kind", "earned", "possible", "percent", "level", "unanswered", "not_applicable", "sections", "items"}
SECTION_KEYS = {"id", "earned", "possible", "percent"}
ITEM_KEYS = {"id", "earned", "possible", "alpha", "level", "na"}
ACTIVITIES_KEYS = {"earned", "possible", "percent"}
GRADE_KEYS = {"outcome", "label", "service_score", "service_source", "management_level", "gate", "provisional",
              "conformity"}  # the management conformity review (issue 15, 003 §5.3)
SUGGESTION_KEYS = {"kind", "method", "bank", "area", "text", "addresses", "points_at_stake"}


def test_result_json_has_exactly_the_keys_of_scoring_8(catalogue, activity_banks):
    service, management = service_bank(), management_bank()
    banks = [*activity_banks.values(), service, management]
    answers = {b.id: all_level(b, 3) for b in activity_banks.values()}
    answers["activities.verification"]["D8.2-0"] = Answer(choice="no")
    answers[service.id] = dict(FULL_SESSION, **{"1.2": NA("no equipment")})
    del answers[service.id]["7.1"]
    answers[management.id] = maturity_answers([3] * 12 + [2], [2] * 8)  # 70 → 三级
    result = evaluate(library_of(catalogue, *banks), session_of(banks, answers))
    data = result.to_json()
    json.loads(json.dumps(data, ensure_ascii=False))  # plain JSON
    assert set(data) == TOP_KEYS
    assert set(data["activities"]) == ACTIVITIES_KEYS
    assert set(data["grade"]) == GRADE_KEYS
    assert data["grade"]["provisional"] is True
    assert data["complete"] is False
    assert data["suggestions"]
    for s in data["suggestions"]:
        assert set(s) == SUGGESTION_KEYS
        assert isinstance(s["points_at_stake"], (int, float))
    for b in data["banks"]:
        assert set(b) == BANK_KEYS
        assert all(isinstance(b[k], (int, float)) for k in ("earned", "possible", "percent"))
        for s in b["sections"]:
            assert set(s) == SECTION_KEYS
        for i in b["items"]:
            assert set(i) == ITEM_KEYS
    by_id = {b["id"]: b for b in data["banks"]}
    svc = by_id["certification.service"]
    assert svc["kind"] == "likert" and svc["level"] is None
    assert svc["unanswered"] == ["7.1"] and svc["not_applicable"] == ["1.2"]
    # 75.75 − 5.6 − 6.4 = 63.75 of 100 − 7 = 93 → 68.548… → 68.5
    assert (svc["earned"], svc["possible"], svc["percent"]) == (63.75, 93.0, 68.5)
    items = {i["id"]: i for i in svc["items"]}
    assert items["1.1"] == {"id": "1.1", "earned": 5.0, "possible": 5.0, "alpha": 1.0, "level": 5, "na": False}
    assert items["2.3"]["alpha"] == 0.75 and items["2.3"]["earned"] == 3.75
    assert items["1.2"] == {"id": "1.2", "earned": 0.0, "possible": 0.0, "alpha": None, "level": None, "na": True}
    assert items["7.1"]["alpha"] is None and items["7.1"]["level"] is None and items["7.1"]["na"] is False
    mgmt = by_id["certification.management"]
    assert mgmt["kind"] == "maturity" and mgmt["level"] == 3 and mgmt["earned"] == 70.0
    m_items = {i["id"]: i for i in mgmt["items"]}
    assert m_items["4.1"] == {"id": "4.1", "earned": 4.0, "possible": 10.0, "alpha": None, "level": 2, "na": False}
    # service 68.5 → 基本符合 needs 二级, management 三级: met
    assert data["grade"]["outcome"] == "basic"
    assert data["grade"]["service_score"] == 68.5
    assert data["grade"]["service_source"] == "certification.service"
    assert data["grade"]["management_level"] == 3
    assert data["grade"]["gate"] == "met"
    assert data["grade"]["label"] == "基本符合"


# --------------------------------------------------------------------------------------------------
# The same hand-computed cases on the shipped certification banks (real banks)

# 附录1 points in table order: 5, 7, 5, then 5 × 15, then 8
REAL_SERVICE_POINTS = [D(5), D(7), D(5)] + [D(5)] * 15 + [D(8)]
# 附录3 points in table order: 1.1–3.2 (9 × 5), 4.1–4.3 (3 × 10), 4.4–4.5 (2 × 5), 5.1–6.3 (5 × 10), 7.1–7.2 (2 × 5)
REAL_MANAGEMENT_POINTS = [D(5)] * 9 + [D(10)] * 3 + [D(5)] * 2 + [D(10)] * 5 + [D(5)] * 2


def scored(bank: Bank):
    return [q for q in bank.questions if q.kind.scored]


def test_real_service_bank_is_appendix_1(library):
    bank = library.bank("certification.service")
    qs = scored(bank)
    assert bank.kind == "likert"
    assert len(qs) == 19
    assert [q.max_points for q in qs] == REAL_SERVICE_POINTS
    assert sum(q.max_points for q in qs) == D(100)
    assert bank.group is None  # never mixed into the activity percent


def test_real_service_bank_full_session(library):
    bank = library.bank("certification.service")
    # the hand session above, item by item in 附录1 order
    answers = {q.id: a for q, a in zip(scored(bank), FULL_SESSION.values(), strict=True)}
    result = score_bank(bank, answers)
    assert result.earned == D("75.75")
    assert result.percent == D("75.8")


def test_real_management_bank_is_appendix_3(library):
    bank = library.bank("certification.management")
    qs = scored(bank)
    assert bank.kind == "maturity"
    assert len(qs) == 21
    assert [q.max_points for q in qs] == REAL_MANAGEMENT_POINTS
    assert sum(q.max_points for q in qs) == D(145)
    assert all(q.required for q in qs)  # SCORING.md §5: N/A is not allowed
    with pytest.raises(AnswerError):
        check_answer(bank, qs[0], NA("does not apply"))


@pytest.mark.parametrize("five, ten, total, level, pct", MANAGEMENT_CASES,
                         ids=[str(c[2]) for c in MANAGEMENT_CASES])
def test_real_management_levels(library, five, ten, total, level, pct):
    bank = library.bank("certification.management")
    fives = iter(five)
    tens = iter(ten)
    answers = {}
    for q in scored(bank):
        lvl = next(fives) if q.max_points == 5 else next(tens)
        if lvl is not None:
            answers[q.id] = L(lvl)
    result = score_bank(bank, answers)
    assert result.earned == total
    assert result.level == level
    assert result.percent == pct


def test_real_banks_grade(library):
    service, management = library.bank("certification.service"), library.bank("certification.management")
    s_answers = {q.id: L(5) for q in scored(service)}
    for q in [q for q in scored(service) if q.max_points == 5][:4]:
        s_answers[q.id] = L(4)  # four 5-point items at 0.8: 100 − 4 = 96
    m_answers = {q.id: L(3) for q in scored(management)}  # 145 × 3/5 = 87 → 三级
    banks = [service, management]
    result = evaluate(library, session_of(banks, {service.id: s_answers, management.id: m_answers}))
    assert result.grade.service_score == D("96.0")
    assert result.grade.management_level == 3
    assert (result.grade.outcome, result.grade.gate) == ("three-star", "capped")
    table = evaluate(library, session_of(banks, {service.id: s_answers, management.id: m_answers},
                                         profile="table-rows"))
    assert (table.grade.outcome, table.grade.gate) == ("four-star", "capped")  # ≥ 90 needs 四级 → row 80–90
