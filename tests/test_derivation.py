"""Why this grade (issue 9, part 1): the derivation restates the grade with the session's numbers —
S and its source, M and the 附录3 thresholds, the §5.3 row S earns, the gate — and gives the exact
distance to the next grade up. Numbers here are worked by hand from 003 §5.3 and 附录3."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal as D

from assistant.domain.actions import ItemRef
from assistant.domain.answers import Answer, Session
from assistant.domain.derivation import derive, points_for_percent
from assistant.domain.evaluate import evaluate
from assistant.report.why import why_lines

NOW = datetime(2026, 12, 1, tzinfo=timezone.utc)
SERVICE, MANAGEMENT = "certification.service", "certification.management"


def session(library, service_level=None, management_level=None, activities_level=None, profile="clause-text"):
    answers = {}
    for bank_id, level in ((SERVICE, service_level), (MANAGEMENT, management_level)):
        if level is not None:
            answers[bank_id] = {q.id: Answer(level=level) for q in library.bank(bank_id).questions}
    if activities_level is not None:
        for b in library.group("activities"):
            answers[b.id] = {q.id: Answer(level=activities_level) for q in b.questions if q.kind.scored}
    return Session(id="20261201-dddddd", org="O", banks={b: "x" for b in answers}, answers=answers,
                   status="completed", created=NOW, updated=NOW, rules_profile=profile)


def test_three_star_and_the_distance_to_four_star(library):
    # S: every 附录1 item at level 4 (α 0.8) → 80.0 %. M: every requirement at level 3 → 145 × 3/5 = 87 → level 3
    d = derive(evaluate(library, session(library, 4, 3)))
    assert (d.service_score, d.management_total, d.management_level) == (D("80.0"), D(87), 3)
    assert (d.earned_outcome, d.outcome, d.gate, d.capped) == ("three-star", "three-star", "met", False)
    assert d.management_next == (4, D(8))  # level 4 starts at 95
    r = d.next
    assert (r.outcome, r.service_min, r.management_min) == ("four-star", D(90), 4)
    # 90 % shows from 89.95 points of 100 (half-up to one decimal): 9.95 more points
    assert (r.service_short, r.service_points_short) == (D("10.0"), D("9.95"))
    assert (r.management_levels_short, r.management_points_short) == (1, D(8))


def test_a_capped_grade_says_so_and_what_m_needs(library):
    # S 100 % earns five-star, but M: every requirement at level 2 → 58 → level 2: steps down to 基本符合
    result = evaluate(library, session(library, 5, 2))
    d = derive(result)
    assert (d.earned_outcome, d.outcome, d.capped) == ("five-star", "basic", True)
    assert (d.next.outcome, d.next.service_short, d.next.management_levels_short, d.next.management_points_short) == \
        ("three-star", D(0), 1, D(12))
    lines = why_lines(result, "zh")
    assert any("M = 2 级低于该行要求的 4 级" in line for line in lines)
    assert any("S 已满足" in line and "M 还差 1 级（管理要求还需 12 分）" in line for line in lines)


def test_not_assessed_names_the_management_level_needed(library):
    # activities all level 3 (α 0.6): 60 %; no management bank
    result = evaluate(library, session(library, activities_level=3))
    d = derive(result)
    assert (d.service_source, d.service_score, d.gate, d.management_level) == ("activities", D("60.0"), "not assessed", None)
    assert d.next.outcome == "three-star" and not d.next.management_assessed and d.next.management_levels_short == 3
    en = why_lines(result, "en")
    assert en[0].startswith("Service score S = 60%")
    assert "answer the management maturity bank and reach level 3 (≥ 70 points)" in en[-1]


def test_table_rows_profile_and_the_top(library):
    d = derive(evaluate(library, session(library, 5, 5, profile="table-rows")))
    assert d.outcome == "five-star" and d.next is None and [r[0] for r in d.rows] == ["five-star", "four-star", "three-star"]
    assert "This is the highest grade" in why_lines(evaluate(library, session(library, 5, 5, profile="table-rows")), "en")


def test_points_for_percent_is_the_least_that_rounds_up():
    from assistant.domain.scoring import percent

    for possible in (D(100), D(30), D("37.5"), D(145)):
        for target in (D(60), D(80), D(90), D(95)):
            least = points_for_percent(target, possible)
            assert percent(least, possible) >= target
            assert percent(least - D("0.0001"), possible) < target


def test_the_result_json_carries_the_derivation(library):
    data = evaluate(library, session(library, 4, 3)).to_json()
    d = data["derivation"]
    assert d["management_thresholds"] == {"1": 20.0, "2": 45.0, "3": 70.0, "4": 95.0, "5": 105.0}
    assert d["earned_outcome"] == "three-star" and d["gate"] == "met"
    assert d["next"] == {"outcome": "four-star", "service_min": 90.0, "service_short": 10.0, "service_points_short": 9.95,
                         "management_min": 4, "management_assessed": True, "management_levels_short": 1,
                         "management_points_short": 8.0, "conformity_short": False}


def test_history_lists_the_actions_done_in_each_cycle(store, library, tmp_path):
    import contextlib
    import io
    import json

    from assistant.cli import main

    answers = {"activities.design": {"5.1.1": Answer(level=2)}}
    first = store.create_session("O", {"activities.design": "2026.1"}, answers=answers, status="completed")
    a1 = store.add_action("O", [ItemRef(bank="activities.design", id="5.1.1")], "需求调研", session=first.id)
    store.add_action("O", [ItemRef(bank="activities.design", id="5.1.2")], "战略对接", session=first.id)
    store.update_action("O", a1.id, status="done")
    store.create_session("O", {"activities.design": "2026.1"}, answers=answers, status="completed")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["history", "--org", "O", "--format", "json", "--db", str(store.root)]) == 0
    rows = json.loads(out.getvalue())
    assert [r["actions_done"] for r in rows] == [[], ["A1"]]
