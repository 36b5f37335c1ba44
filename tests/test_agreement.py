"""Agreement of a group's ratings (issue 12): Krippendorff's α (ordinal) against published and
hand-computed values, the per-item figures (median, SD, IQR, consensus index), and what the workshop
report's JSON says about them. Expected numbers are worked out in the comments, never by the code
under test."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from itertools import permutations

import pytest

from assistant.domain import agreement
from assistant.domain.agreement import consensus, iqr, krippendorff_alpha, median, sd

from assistant.domain.answers import Answer

from .test_history_workshop import ORG, cli  # noqa: F401  (the cli fixture)

N = None

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", §E (C): 4 observers × 12 units
# with missing values; the paper gives α = 0.743 nominal, 0.815 ordinal, 0.849 interval.
PAPER = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]


def units(observers):
    return [list(u) for u in zip(*observers)]


def test_the_published_ordinal_example_with_missing_values():
    assert krippendorff_alpha(units(PAPER)) == Decimal("0.815")


def pairwise_alpha(table):
    """α from its pairwise form (Krippendorff 2011 §A): 1 − D_o / D_e, D_o the mean δ² over the pairs
    of ratings within units (each unit weighted 1/(m_u − 1)), D_e over all pairs of pairable ratings.
    An oracle independent of the coincidence matrix the module builds."""
    pairable = [[v for v in u if v is not None] for u in table]
    pairable = [u for u in pairable if len(u) >= 2]
    values = [v for u in pairable for v in u]
    n = len(values)
    count = {c: values.count(c) for c in set(values)}

    def d2(c, k):
        lo, hi = min(c, k), max(c, k)
        return Fraction(sum(count[g] for g in count if lo <= g <= hi) - Fraction(count[c] + count[k], 2)) ** 2

    d_o = sum(Fraction(sum(d2(a, b) for a, b in permutations(u, 2)), len(u) - 1) for u in pairable) / n
    d_e = Fraction(sum(d2(a, b) for a, b in permutations(values, 2)), n * (n - 1))
    return 1 - d_o / d_e


def test_the_pairwise_oracle_agrees_on_the_published_example():
    assert round(float(pairwise_alpha(units(PAPER))), 3) == 0.815


@pytest.mark.parametrize("table, expected", [
    # two raters, units (1,1) (1,2) (2,2): o11 = 2, o12 = o21 = 1, o22 = 2; n1 = n2 = 3, n = 6;
    # δ²12 = (6 − 3)² = 9; observed 2 · 9 = 18; expected 2 · 3 · 3 · 9 = 162 → 1 − 5 · 18 / 162 = 4/9
    ([[1, 1], [1, 2], [2, 2]], Decimal("0.444")),
    # missing ratings: (1, 2, –) (3, 3, 3) (–, –, 2) — the last unit is not pairable;
    # o12 = o21 = 1, o33 = 3 · 2 / 2 = 3; n1 = 1, n2 = 1, n3 = 3, n = 5;
    # δ²12 = (2 − 1)² = 1, δ²13 = (5 − 2)² = 9, δ²23 = (4 − 2)² = 4;
    # observed 2 · 1 = 2; expected 2 (1·1·1 + 1·3·9 + 1·3·4) = 80 → 1 − 4 · 2 / 80 = 0.9
    ([[1, 2, N], [3, 3, 3], [N, N, 2]], Decimal("0.900")),
    # perfect agreement with missing ratings: every pair within a unit agrees → D_o = 0 → α = 1
    ([[1, 1, 1], [3, 3, N], [5, N, 5], [N, 2, N]], Decimal("1.000")),
    # systematic disagreement: (1,5) (5,1): o15 = o51 = 2, n1 = n5 = 2, n = 4, δ²15 = (4 − 2)² = 4;
    # observed 2 · 2 · 4 = 16, expected 2 · 2 · 2 · 4 = 32 → 1 − 3 · 16 / 32 = −0.5
    ([[1, 5], [5, 1]], Decimal("-0.500")),
])
def test_small_tables_by_hand(table, expected):
    assert krippendorff_alpha(table) == expected
    assert round(pairwise_alpha(table), 3) == Fraction(str(expected))


@pytest.mark.parametrize("table", [
    [[3, 3], [3, 3, 3]],  # one value only: no expected disagreement, α undefined
    [[4], [2], [N, 5]],  # one rating per unit: nothing pairable
    [],
])
def test_alpha_is_undefined_without_variation_or_pairs(table):
    assert krippendorff_alpha(table) is None


def test_figures_of_one_item_by_hand():
    # 1, 3, 2: median 2; population SD √(2/3) = 0.816 → 0.82; quartiles (inclusive) 1.5 and 2.5 → IQR 1.00
    assert (median([1, 3, 2]), sd([1, 3, 2]), iqr([1, 3, 2])) == (Decimal(2), Decimal("0.82"), Decimal("1.00"))
    assert median([2, 5]) == Decimal("3.5") and iqr([4]) == 0 and sd([4]) == 0
    assert (median([]), sd([]), iqr([]), consensus([])) == (None, None, None, None)
    # Tastle & Wierman: all alike 1; half at 1 and half at 5 → 0;
    # 2, 4: μ 3, each |x − μ| / 4 = 0.25 → 1 + log2(0.75) = 0.585
    assert consensus([3, 3, 3]) == Decimal("1.000")
    assert consensus([1, 5, 1, 5]) == Decimal("0.000")
    assert consensus([2, 4]) == Decimal(str(round(1 + math.log2(0.75), 3)))
    assert agreement.distribution([2, 2, 5]) == {1: 0, 2: 2, 3: 0, 4: 0, 5: 1}


# -- the workshop report ----------------------------------------------------------------------------

# The three respondents of test_history_workshop (activities.effect):
#            7.1.1 7.1.2 7.1.3 7.2.1 7.2.2
#   甲 leaders  1     2     4    N/A    5
#   乙 leaders  3     3     4     3     5
#   丙 staff    2     3     5     2     —
# consensus index: 7.1.1 (1,3,2) μ 2 → 1 + 2/3 log2(0.75) = 0.723; 7.2.1 (3,2) μ 2.5 → 1 + log2(0.875) = 0.807;
# 7.1.2 (2,3,3) μ 8/3 → 1 + 1/3 log2(1 − 2/12) + 2/3 log2(1 − 1/12) = 0.829; 7.1.3 (4,4,5) the same;
# 7.2.2 (5,5) → 1. Most disputed first: 7.1.1, 7.2.1, 7.1.2, 7.1.3 (a tie keeps the bank's order), 7.2.2.
# role gaps per item, leaders − staff: 7.1.1 (1+3)/2 − 2 = 0; 7.1.2 2.5 − 3 = −0.5; 7.1.3 4 − 5 = −1;
# 7.2.1 3 − 2 = +1 (甲 N/A); 7.2.2 has no staff level → left out. Largest first (ties in bank order).


BANK = "activities.effect"
# the levels of the table above, per respondent, in the order of the bank's five scored items
LEVELS = {"甲": [1, 2, 4, "na", 5], "乙": [3, 3, 4, 3, 5], "丙": [2, 3, 5, 2, None]}
ROLES = {"甲": "leaders", "乙": "leaders", "丙": "staff"}


def scored(library) -> list[str]:
    """The bank's five scored items, whatever their ids are called (7.1.1 … 7.2.2 in the table)."""
    ids = [q.id for q in library.bank(BANK).questions if q.kind.scored]
    assert len(ids) == 5
    return ids


def answers_of(library, levels) -> dict[str, Answer]:
    return {qid: Answer(na="本院无对外示范任务") if x == "na" else Answer(level=x)
            for qid, x in zip(scored(library), levels) if x is not None}


def make_workshop(cli, store, library, name: str = "W", *extra: str) -> dict[str, str]:
    """The three respondents in workshop `name` with their roles: {respondent: session id}."""
    banks = {BANK: library.bank(BANK).version}
    ids = {who: store.create_session(ORG, banks, who, answers={BANK: answers_of(library, lv)}, status="completed").id
           for who, lv in LEVELS.items()}
    assert cli("workshop", "create", name, "--org", ORG, "--bank", BANK, *extra).code == 0
    for who, sid in ids.items():
        assert cli("workshop", "add", name, sid, "--role", ROLES[who]).code == 0
    return ids


@pytest.fixture
def workshop(cli, store, library):
    return make_workshop(cli, store, library)


def test_report_json_adds_agreement_keys(cli, workshop, library):
    run = cli("workshop", "report", "W", "--format", "json")
    assert run.code == 0, run.err
    data = run.json()
    [bank] = data["banks"]
    items = dict(zip(["7.1.1", "7.1.2", "7.1.3", "7.2.1", "7.2.2"], bank["items"]))
    one = items["7.1.1"]
    assert (one["median"], one["sd"], one["iqr"], one["agreement"]) == (2.0, 0.82, 1.0, 0.723)
    assert one["distribution"] == {"1": 1, "2": 1, "3": 1, "4": 0, "5": 0}
    assert one["disagreement"] is True and one["mean_level"] == 2.0  # the old keys stay
    assert items["7.2.2"]["sd"] == 0.0 and items["7.2.2"]["agreement"] == 1.0
    table = [[1, 3, 2], [2, 3, 3], [4, 4, 5], [N, 3, 2], [5, 5, N]]
    assert bank["krippendorff_alpha"] == round(float(pairwise_alpha(table)), 3)
    gaps = [g for g in data["role_gaps"] if g["bank"] == "activities.effect"]
    ids = dict(zip(scored(library), ["7.1.1", "7.1.2", "7.1.3", "7.2.1", "7.2.2"]))
    assert [(ids[i["id"]], i["gap"]) for i in gaps[0]["items"]] == [("7.1.3", -1.0), ("7.2.1", 1.0),
                                                                     ("7.1.2", -0.5), ("7.1.1", 0.0)]
    assert gaps[0]["gap"] == 18.0 and data["consensus"] is None


def test_items_in_order_of_disagreement(library, workshop, store):
    from assistant.domain.group import group_result

    group = group_result(library, "W", ORG, store.sessions(workshop="W"))
    ids = dict(zip(scored(library), ["7.1.1", "7.1.2", "7.1.3", "7.2.1", "7.2.2"]))
    assert [ids[i.id] for i in group.disputed()] == ["7.1.1", "7.2.1", "7.1.2", "7.1.3", "7.2.2"]


def test_text_and_markdown_reports_show_the_agreement(cli, workshop):
    md = cli("workshop", "report", "W", "--format", "md", "--lang", "en")
    assert md.code == 0, md.err
    assert "Krippendorff's α (ordinal):" in md.out and "Items where roles differ most" in md.out
    text = cli("workshop", "report", "W", "--lang", "zh")
    assert "克里彭多夫 α（定序）" in text.out and "一致度" in text.out
