"""Repeat self-checks and groups: history, compare, workshops (003 §5.1.2), export/import, a self-check
started from a baseline, and the facilitator's live view.

Every expected number is worked out by hand in the comments (SCORING.md §1–§4, §6, §10), never by
calling the code under test. The bank used throughout is activities.effect (2026.1):

    7.1 价值实现  D7.1-1 D7.1-2 D7.1-3   likert, 4 points each
    7.2 示范引领  D7.2-1 D7.2-2         likert, 4 points each
                  7.evidence          text, not scored
    total 20 points; α when none is given: level 1 → 0.2, 2 → 0.4, 3 → 0.6, 4 → 0.8, 5 → 1.0,
    so a 4-point item earns 0.8 / 1.6 / 2.4 / 3.2 / 4.0 at levels 1..5.

activities.design (2026.1, 30 points): 5.1.1 3.5, 5.1.2 3.5, 5.1.3 3, 5.2.1–5.2.4 3 each, 5.3.1 4, 5.3.2 4.
"""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from rich.text import Text

from assistant.cli import main
from assistant.domain.answers import Answer, Position, Session
from assistant.domain.bank import Bank
from assistant.domain.engine import Ask, Conversation, Notice, Save
from assistant.domain.history import compare
from assistant.store import TinyStore

from .conftest import Run

ORG = "湘潭市中心医院"
OTHER = "长沙市第一医院"
EFFECT = {"activities.effect": "2026.1"}
DESIGN_EFFECT = {"activities.design": "2026.1", "activities.effect": "2026.1"}
SCORED_EFFECT = ["D7.1-1", "D7.1-2", "D7.1-3", "D7.2-1", "D7.2-2"]
DESIGN_IDS = ["5.1.1", "5.1.2", "5.1.3", "5.2.1", "5.2.2", "5.2.3", "5.2.4", "5.3.1", "5.3.2"]
CST = timezone(timedelta(hours=8))

HISTORY_KEYS = {"session_id", "created", "activities_percent", "banks", "outcome"}
COMPARE_KEYS = {"before", "after", "banks", "items"}
COMPARE_BANK_KEYS = {"id", "before_percent", "after_percent", "delta"}
COMPARE_ITEM_KEYS = {"bank", "id", "before_earned", "after_earned", "delta"}
WORKSHOP_KEYS = {"workshop", "respondents", "banks", "activities_mean_percent", "grade"}
WORKSHOP_BANK_KEYS = {"id", "mean_percent", "min_percent", "max_percent", "items"}
WORKSHOP_ITEM_KEYS = {"id", "mean_level", "min_level", "max_level", "disagreement"}
GRADE_KEYS = {"outcome", "label", "service_score", "service_source", "management_level", "gate", "provisional"}


def levels(**by_id: int) -> dict[str, Answer]:
    """levels(**{"D7.1-1": 5}) → {"D7.1-1": Answer(level=5)}."""
    return {qid: Answer(level=lv) for qid, lv in by_id.items()}


def effect(*lv: int) -> dict[str, dict[str, Answer]]:
    """Levels for D7.1-1 D7.1-2 D7.1-3 D7.2-1 D7.2-2, in that order."""
    return {"activities.effect": {qid: Answer(level=x) for qid, x in zip(SCORED_EFFECT, lv)}}


def at(clock, when: datetime) -> None:
    """The next session the store creates is created at exactly `when` (the clock adds 1 s per call)."""
    clock.now = when - timedelta(seconds=1)


@pytest.fixture
def cli(capsys, tmp_path, monkeypatch):
    """Run `selfcheck ARGS… --db DB` in-process; DB defaults to the `store` fixture's folder."""
    monkeypatch.delenv("SELFCHECK_DB", raising=False)
    monkeypatch.chdir(tmp_path)

    def run(*args: str, db: Path | None = None) -> Run:
        argv = [*args, "--db", str(db if db is not None else tmp_path / "sessions")]
        capsys.readouterr()
        try:
            code = main(argv)
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 2)
        out, err = capsys.readouterr()
        return Run(code, out, err)

    return run


# -- 1. history ----------------------------------------------------------------------------------


@pytest.fixture
def three_checks(store, clock):
    """Three self-checks of ORG (created out of order on purpose) and one of OTHER in between."""
    # middle: effect all level 4 → 5 × 3.2 = 16.0 / 20 = 80.0 %
    middle = (at(clock, datetime(2025, 6, 1, 10, 0, tzinfo=CST)),
              store.create_session(ORG, EFFECT, "李四", answers=effect(4, 4, 4, 4, 4), status="completed"))[1]
    # oldest: effect all level 2 → 5 × 1.6 = 8.0 / 20 = 40.0 %
    oldest = (at(clock, datetime(2025, 1, 15, 9, 30, tzinfo=CST)),
              store.create_session(ORG, EFFECT, "张三", answers=effect(2, 2, 2, 2, 2), status="completed"))[1]
    other = (at(clock, datetime(2025, 3, 1, 8, 0, tzinfo=CST)),
             store.create_session(OTHER, EFFECT, "王五", answers=effect(5, 5, 5, 5, 5), status="completed"))[1]
    # newest: design all level 3 (α 0.6) → 3.5·.6 + 3.5·.6 + 5 × 3·.6 + 2 × 4·.6 = 2.1 + 2.1 + 9.0 + 4.8
    #         = 18.0 / 30 = 60.0 %; effect all level 5 → 20.0 / 20 = 100.0 %;
    #         activities together (18 + 20) / (30 + 20) = 38 / 50 = 76.0 %
    newest_answers = {"activities.design": {q: Answer(level=3) for q in DESIGN_IDS},
                      **effect(5, 5, 5, 5, 5)}
    newest = (at(clock, datetime(2025, 12, 1, 14, 0, tzinfo=CST)),
              store.create_session(ORG, DESIGN_EFFECT, "张三", answers=newest_answers, status="completed"))[1]
    return oldest, middle, newest, other


def test_history_json_is_oldest_first_with_hand_computed_percents(cli, three_checks):
    oldest, middle, newest, other = three_checks
    run = cli("history", "--org", ORG, "--format", "json")
    assert run.code == 0, run.err
    rows = run.json()
    assert isinstance(rows, list)
    assert [r["session_id"] for r in rows] == [oldest.id, middle.id, newest.id]
    assert other.id not in run.out
    for r in rows:
        assert HISTORY_KEYS <= set(r)
    # created: the times set on the clock, ISO 8601 with the +08:00 offset
    assert [r["created"] for r in rows] == ["2025-01-15T09:30:00+08:00", "2025-06-01T10:00:00+08:00",
                                             "2025-12-01T14:00:00+08:00"]
    # activities percent: 40.0, 80.0, 76.0 (see the fixture)
    assert [r["activities_percent"] for r in rows] == [40.0, 80.0, 76.0]
    assert rows[0]["banks"] == {"activities.effect": 40.0}
    assert rows[1]["banks"] == {"activities.effect": 80.0}
    assert rows[2]["banks"] == {"activities.design": 60.0, "activities.effect": 100.0}
    # grade (§6, clause-text, management not assessed → S alone): 40 < 60 not-yet; 80 ≤ 80 < 90
    # three-star; 60 ≤ 76 < 80 basic
    assert [r["outcome"] for r in rows] == ["not-yet", "three-star", "basic"]


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_history_of_an_unknown_org_exits_2(cli, three_checks, fmt):
    run = cli("history", "--org", "没有这家医院", "--format", fmt)
    assert run.code == 2, (run.code, run.out, run.err)
    assert "没有这家医院" in run.err


# -- 2. compare ----------------------------------------------------------------------------------


@pytest.fixture
def before_after(store, clock):
    # before: all level 2 → 5 × 1.6 = 8.0 / 20 = 40.0 %
    at(clock, datetime(2025, 1, 10, 9, 0, tzinfo=CST))
    before = store.create_session(ORG, EFFECT, "张三", answers=effect(2, 2, 2, 2, 2), status="completed")
    # after: D7.1-1 level 5 (4.0), D7.2-2 level 1 (0.8), the rest level 2 (3 × 1.6 = 4.8)
    #        → 4.0 + 4.8 + 0.8 = 9.6 / 20 = 48.0 %
    at(clock, datetime(2025, 7, 10, 9, 0, tzinfo=CST))
    after = store.create_session(ORG, EFFECT, "张三", answers=effect(5, 2, 2, 2, 1), status="completed")
    return before, after


# bank: 40.0 → 48.0, +8.0. Items: D7.1-1 1.6 → 4.0 (+2.4); D7.2-2 1.6 → 0.8 (−0.8); the others 1.6 → 1.6 (0)
EXPECTED_ITEMS = {
    "D7.1-1": (1.6, 4.0, 2.4),
    "D7.1-2": (1.6, 1.6, 0.0),
    "D7.1-3": (1.6, 1.6, 0.0),
    "D7.2-1": (1.6, 1.6, 0.0),
    "D7.2-2": (1.6, 0.8, -0.8),
}


def _check_comparison_json(data, before, after):
    assert COMPARE_KEYS <= set(data)
    assert data["before"] == before.id and data["after"] == after.id
    assert len(data["banks"]) == 1
    bank = data["banks"][0]
    assert COMPARE_BANK_KEYS <= set(bank)
    assert bank["id"] == "activities.effect"
    assert (bank["before_percent"], bank["after_percent"]) == (40.0, 48.0)
    assert bank["delta"] == pytest.approx(8.0)
    for item in data["items"]:
        assert COMPARE_ITEM_KEYS <= set(item)
        assert item["bank"] == "activities.effect"
    got = {i["id"]: (i["before_earned"], i["after_earned"], i["delta"]) for i in data["items"]}
    assert set(got) == set(EXPECTED_ITEMS)  # the five scored items (the text question earns nothing)
    for qid, (b, a, d) in EXPECTED_ITEMS.items():
        assert got[qid][0] == pytest.approx(b) and got[qid][1] == pytest.approx(a), qid
        assert got[qid][2] == pytest.approx(d), qid


def test_compare_domain_deltas_improved_and_slipped(library, before_after):
    before, after = before_after
    cmp = compare(library, before, after)
    assert cmp.before.session_id == before.id and cmp.after.session_id == after.id
    [bank] = cmp.banks
    assert (bank.before_percent, bank.after_percent, bank.delta) == (Decimal("40.0"), Decimal("48.0"), Decimal("8.0"))
    items = {i.id: i for i in cmp.items}
    assert items["D7.1-1"].before_earned == Decimal("1.6") and items["D7.1-1"].after_earned == Decimal("4.0")
    assert items["D7.1-1"].delta == Decimal("2.4")
    assert items["D7.2-2"].before_earned == Decimal("1.6") and items["D7.2-2"].after_earned == Decimal("0.8")
    assert items["D7.2-2"].delta == Decimal("-0.8")
    assert (items["D7.1-1"].before_level, items["D7.1-1"].after_level) == (2, 5)
    assert [i.id for i in cmp.improved] == ["D7.1-1"]
    assert [i.id for i in cmp.slipped] == ["D7.2-2"]


def test_compare_cli_json_and_orientation(cli, before_after):
    before, after = before_after
    run = cli("compare", before.id, after.id, "--format", "json")
    assert run.code == 0, run.err
    _check_comparison_json(run.json(), before, after)
    # given the other way round, the older session is still "before"
    swapped = cli("compare", after.id, before.id, "--format", "json")
    assert swapped.code == 0, swapped.err
    _check_comparison_json(swapped.json(), before, after)


def test_compare_sessions_of_different_orgs_exits_2(cli, store, before_after):
    before, _ = before_after
    stranger = store.create_session(OTHER, EFFECT, "王五", answers=effect(3, 3, 3, 3, 3))
    run = cli("compare", before.id, stranger.id, "--format", "json")
    assert run.code == 2
    assert run.out == ""
    assert ORG in run.err and OTHER in run.err


def test_compare_bank_in_one_session_only_and_suggestions_acted_on(library):
    t0 = datetime(2025, 1, 1, 9, 0, tzinfo=CST)
    t1 = datetime(2025, 9, 1, 9, 0, tzinfo=CST)
    # before: an older version of effect (2025.9) with an answer to 7.1.9, an id the current bank
    # lacks, plus the design bank; after: effect only, at the current version.
    before = Session(
        id="20250101-aaaaaa", org=ORG, banks={"activities.design": "2026.1", "activities.effect": "2025.9"},
        answers={"activities.design": {q: Answer(level=3) for q in DESIGN_IDS},
                 "activities.effect": {**effect(2, 2, 2, 2, 2)["activities.effect"], "7.1.9": Answer(level=3)}},
        status="completed", created=t0, updated=t0)
    after = Session(id="20250901-bbbbbb", org=ORG, banks=EFFECT, answers=effect(5, 2, 2, 2, 1),
                    status="completed", created=t1, updated=t1)
    cmp = compare(library, after, before)  # handed over in the wrong order on purpose
    assert cmp.before.session_id == before.id
    banks = {b.id: b for b in cmp.banks}
    assert set(banks) == {"activities.design", "activities.effect"}
    # design: 18.0 / 30 = 60.0 % before (see three_checks), absent after → after percent and delta null
    assert banks["activities.design"].before_percent == Decimal("60.0")
    assert banks["activities.design"].after_percent is None and banks["activities.design"].delta is None
    assert banks["activities.effect"].delta == Decimal("8.0")  # 40.0 → 48.0 as above
    data = cmp.to_json()
    jd = {b["id"]: b for b in data["banks"]}
    assert jd["activities.design"]["before_percent"] == 60.0
    assert jd["activities.design"]["after_percent"] is None and jd["activities.design"]["delta"] is None
    assert jd["activities.effect"]["before_version"] == "2025.9"
    assert jd["activities.effect"]["after_version"] == "2026.1"
    # items compared only where both sides have the bank: effect's five, none of design's
    assert {(i["bank"], i["id"]) for i in data["items"]} == {("activities.effect", q) for q in SCORED_EFFECT}

    # Suggestions of the earlier session (§7): gaps are effect all level 2, stake 4 × (1 − 0.4) = 2.4
    # each, and design all level 3, stake 3.5 × 0.4 = 1.4 / 3 × 0.4 = 1.2 / 4 × 0.4 = 1.6 — so
    # effect comes first, ties in bank order: D7.1-1 gives results.a, results.b, engagement.i;
    # D7.1-2 gives results.c, results.d → five methods.
    # Which methods those are is the banks' data; the rule is what is checked: each suggestion of
    # the earlier session gained the sum of its items' deltas, and was acted on if any item rose.
    assert [a.method for a in cmp.suggestions] == [sg.method for sg in cmp.before.suggestions]
    deltas = {i.id: i.delta for i in cmp.items}
    for a in cmp.suggestions:
        assert a.gained == sum((deltas.get(q, Decimal(0)) for q in a.items), Decimal(0))
        assert a.acted_on is any(deltas.get(q, Decimal(0)) > 0 for q in a.items)
    # D7.1-1 went 1.6 → 4.0 (+2.4): whatever addresses it was acted on
    on_711 = [a for a in cmp.suggestions if "D7.1-1" in a.items]
    assert on_711 and all(a.acted_on and a.gained >= Decimal("2.4") for a in on_711)
    js = {s["method"] or s["items"][0]: s for s in data["suggestions_acted_on"]}
    for a in cmp.suggestions:
        j = js[a.method if ":" not in a.method else a.method]
        assert j["acted_on"] is a.acted_on and j["gained"] == pytest.approx(float(a.gained))


# -- 3. workshops (003 §5.1.2, SCORING §4) --------------------------------------------------------

# Three respondents on activities.effect:
#              D7.1-1  D7.1-2  D7.1-3  D7.2-1  D7.2-2
#   甲 leaders   1      2      4     N/A     5     → 0.8 + 1.6 + 3.2 + 4.0 = 9.6 / 16 (D7.2-1 left out) = 60.0 %
#   乙 leaders   3      3      4      3      5     → 2.4 + 2.4 + 3.2 + 2.4 + 4.0 = 14.4 / 20 = 72.0 %
#   丙 staff     2      3      5      2      —     → 1.6 + 2.4 + 4.0 + 1.6 + 0 = 9.6 / 20 = 48.0 % (unanswered earns 0)
# bank: mean (60 + 72 + 48) / 3 = 60.0, min 48.0, max 72.0; activities mean the same 60.0
# items:  D7.1-1 levels 1,3,2 → mean 2.0, min 1, max 3, spread 2 → disagreement
#         D7.1-2 2,3,3 → 8/3 = 2.67, 2..3 no;   D7.1-3 4,4,5 → 13/3 = 4.33, 4..5 no
#         D7.2-1 3,2 (one N/A) → 2.5, 2..3 no;  D7.2-2 5,5 (one unanswered) → 5.0, 5..5 no
# mean α of D7.1-1: (0.2 + 0.6 + 0.4) / 3 = 0.4
# sections: 7.1  甲 5.6/12 = 46.7, 乙 8.0/12 = 66.7, 丙 8.0/12 = 66.7 → mean 60.0
#           7.2  甲 4.0/4 = 100.0, 乙 6.4/8 = 80.0, 丙 1.6/8 = 20.0 → mean 66.7
# roles: leaders (60 + 72) / 2 = 66.0; staff 48.0; gap leaders − staff = 18.0 (bank and activities)
# grade (§6 from the group mean): S = 60.0 from the activities, 60 ≤ S < 80 → basic (基本符合),
#        management not assessed
GROUP_ANSWERS = {
    "甲": {"D7.1-1": Answer(level=1), "D7.1-2": Answer(level=2), "D7.1-3": Answer(level=4),
          "D7.2-1": Answer(na="本院无对外示范任务"), "D7.2-2": Answer(level=5)},
    "乙": levels(**{"D7.1-1": 3, "D7.1-2": 3, "D7.1-3": 4, "D7.2-1": 3, "D7.2-2": 5}),
    "丙": levels(**{"D7.1-1": 2, "D7.1-2": 3, "D7.1-3": 5, "D7.2-1": 2}),
}


@pytest.fixture
def respondents(store):
    return {name: store.create_session(ORG, EFFECT, name, answers={"activities.effect": a}, status="completed")
            for name, a in GROUP_ANSWERS.items()}


def test_workshop_round_trip_through_the_cli(cli, respondents):
    ids = {name: s.id for name, s in respondents.items()}
    assert cli("workshop", "create", "春季自评", "--org", ORG, "--bank", "activities.effect").code == 0
    run = cli("workshop", "add", "春季自评", ids["甲"], ids["乙"], "--role", "leaders")
    assert run.code == 0, run.err
    assert cli("workshop", "add", "春季自评", ids["丙"], "--role", "staff").code == 0
    listed = cli("workshop", "list", "--format", "json")
    assert listed.code == 0
    assert [(w["name"], w["org"]) for w in listed.json()] == [("春季自评", ORG)]

    run = cli("workshop", "report", "春季自评", "--format", "json")
    assert run.code == 0, run.err
    data = run.json()
    assert WORKSHOP_KEYS <= set(data)
    assert data["workshop"] == "春季自评"
    assert data["respondents"] == 3
    [bank] = data["banks"]
    assert WORKSHOP_BANK_KEYS <= set(bank)
    assert bank["id"] == "activities.effect"
    assert (bank["mean_percent"], bank["min_percent"], bank["max_percent"]) == (60.0, 48.0, 72.0)
    items = {i["id"]: i for i in bank["items"]}
    assert list(items) == SCORED_EFFECT
    for i in bank["items"]:
        assert WORKSHOP_ITEM_KEYS <= set(i)
    expected = {  # id: (mean level, min, max, disagreement)
        "D7.1-1": (2.0, 1, 3, True),
        "D7.1-2": (2.67, 2, 3, False),
        "D7.1-3": (4.33, 4, 5, False),
        "D7.2-1": (2.5, 2, 3, False),
        "D7.2-2": (5.0, 5, 5, False),
    }
    for qid, (mean, low, high, flag) in expected.items():
        got = items[qid]
        assert got["mean_level"] == pytest.approx(mean), qid
        assert (got["min_level"], got["max_level"], got["disagreement"]) == (low, high, flag), qid
    # N/A and unanswered counted (extra keys)
    assert (items["D7.2-1"]["na"], items["D7.2-1"]["unanswered"], items["D7.2-1"]["answered"]) == (1, 0, 2)
    assert (items["D7.2-2"]["na"], items["D7.2-2"]["unanswered"], items["D7.2-2"]["answered"]) == (0, 1, 2)
    assert (items["D7.1-1"]["na"], items["D7.1-1"]["unanswered"], items["D7.1-1"]["answered"]) == (0, 0, 3)
    assert items["D7.1-1"]["mean_alpha"] == pytest.approx(0.4)
    assert {s["id"]: s["mean_percent"] for s in bank["sections"]} == {"7.1": 60.0, "7.2": 66.7}
    assert data["activities_mean_percent"] == 60.0
    grade = data["grade"]
    assert GRADE_KEYS <= set(grade)
    assert (grade["outcome"], grade["label"]) == ("basic", "基本符合")
    assert grade["service_score"] == 60.0 and grade["service_source"] == "activities"
    assert grade["management_level"] is None and grade["gate"] == "not assessed"
    assert grade["provisional"] is True
    assert data["roles"] == {"leaders": {"activities.effect": 66.0, "activities": 66.0},
                             "staff": {"activities.effect": 48.0, "activities": 48.0}}
    assert sorted((tuple(g["roles"]), g["bank"], g["gap"]) for g in data["role_gaps"]) == [
        (("leaders", "staff"), "activities", 18.0), (("leaders", "staff"), "activities.effect", 18.0)]


def test_group_result_domain_by_hand(library, respondents, store):
    from assistant.domain.group import group_result

    for name in ("甲", "乙"):
        store.set_workshop(respondents[name].id, "W", "leaders")
    store.set_workshop(respondents["丙"].id, "W", "staff")
    group = group_result(library, "W", ORG, store.sessions(workshop="W"))
    assert group.respondents == 3
    [bank] = group.banks
    assert sorted(bank.percents) == [Decimal("48.0"), Decimal("60.0"), Decimal("72.0")]
    assert bank.mean_percent == Decimal("60.0")
    items = {i.id: i for i in bank.items}
    assert items["D7.1-1"].spread == 2 and items["D7.1-1"].disagreement  # levels 1 and 3
    assert items["D7.2-1"].spread == 1 and not items["D7.2-1"].disagreement  # levels 2 and 3
    assert items["D7.2-1"].na == 1 and items["D7.2-2"].unanswered == 1
    means = group.role_means()
    assert means["leaders"]["activities.effect"] == Decimal("66.0")
    assert means["staff"]["activities.effect"] == Decimal("48.0")
    gaps = {g["bank"]: g for g in group.role_gaps()}
    assert gaps["activities.effect"]["roles"] == ["leaders", "staff"]
    assert gaps["activities.effect"]["gap"] == Decimal("18.0")
    assert group.activities_mean_percent == Decimal("60.0")
    assert group.grade.outcome == "basic"


def test_workshop_add_refuses_another_orgs_session_and_changes_nothing(cli, store, respondents):
    assert cli("workshop", "create", "春季自评", "--org", ORG, "--bank", "activities.effect").code == 0
    stranger = store.create_session(OTHER, EFFECT, "王五", answers=effect(3, 3, 3, 3, 3))
    mine = respondents["甲"]
    run = cli("workshop", "add", "春季自评", mine.id, stranger.id, "--role", "staff")
    assert run.code == 2
    assert stranger.id in run.err and OTHER in run.err
    # neither session was changed, not even the one that belongs to the workshop's organisation
    assert store.get_session(mine.id).workshop is None and store.get_session(mine.id).role is None
    assert store.get_session(stranger.id).workshop is None
    assert store.sessions(workshop="春季自评") == []


def test_workshop_without_sessions_reports_a_clear_error(cli):
    assert cli("workshop", "create", "空的", "--org", ORG).code == 0
    for fmt in ("json", "text", "md"):
        run = cli("workshop", "report", "空的", "--format", fmt)
        assert run.code == 2, fmt
        assert "空的" in run.err and "还没有会话" in run.err
        assert run.out == ""


HOSTILE = "<script>alert('x')</script>"


def test_workshop_report_md_and_html_escape_hostile_names(cli, store, respondents, tmp_path):
    hostile_role = "<b onmouseover=alert(1)>staff</b>"
    bad = store.create_session(ORG, EFFECT, HOSTILE, answers=effect(3, 3, 3, 3, 3), status="completed")
    assert cli("workshop", "create", "W<img src=x>", "--org", ORG, "--bank", "activities.effect").code == 0
    assert cli("workshop", "add", "W<img src=x>", respondents["甲"].id, "--role", "leaders").code == 0
    assert cli("workshop", "add", "W<img src=x>", bad.id, "--role", hostile_role).code == 0

    md = cli("workshop", "report", "W<img src=x>", "--format", "md")
    assert md.code == 0, md.err
    # Markdown escapes with a backslash: no "<" of the data is left unescaped
    assert re.search(r"(?<!\\)<(script|img|b )", md.out) is None, md.out
    assert r"W\<img src=x\>" in md.out
    assert r"\<b onmouseover=alert(1)\>staff\</b\>" in md.out  # the tags are escaped; "(" needs no escape

    out = tmp_path / "group.html"
    html = cli("workshop", "report", "W<img src=x>", "--format", "html", "--out", str(out))
    assert html.code == 0, html.err
    page = out.read_text(encoding="utf-8")
    assert page.lstrip().lower().startswith("<!doctype html")
    assert "<script>alert" not in page and "<img src=x>" not in page and "<b onmouseover" not in page
    assert "W&lt;img src=x&gt;" in page  # the workshop's name, shown escaped
    assert "&lt;b onmouseover=alert(1)&gt;staff&lt;/b&gt;" in page  # the role, shown escaped


# -- 4. export and import --------------------------------------------------------------------------


@pytest.fixture
def exported(cli, store, tmp_path):
    """A session with notes, an N/A, an α and a free-text answer, exported to a file."""
    answers = {"activities.effect": {
        "D7.1-1": Answer(level=4, note="张三提供了年度报告"),
        "D7.1-2": Answer(level=3, alpha=Decimal("0.5")),
        "D7.1-3": Answer(level=2, note="李四说还没有做"),
        "D7.2-1": Answer(na="本院无对外示范任务"),
        "7.evidence": Answer(text="护士长王五负责的满意度调查"),
    }}
    session = store.create_session(ORG, EFFECT, "张三", role="staff", answers=answers)
    path = tmp_path / "one.json"
    run = cli("export", session.id, "--out", str(path))
    assert run.code == 0, run.err
    return session, path


def _listed(cli, db) -> list:
    run = cli("sessions", "list", "--format", "json", db=db)
    assert run.code == 0, run.err
    return run.json()


def test_export_import_gives_the_identical_session_once(cli, store, exported, tmp_path):
    session, path = exported
    other = tmp_path / "other"
    first = cli("import", str(path), db=other)
    assert first.code == 0, first.err
    assert "added" in first.out and session.id in first.out
    theirs = TinyStore(other).get_session(session.id)
    ours = store.get_session(session.id)
    assert theirs.answers == ours.answers
    assert theirs.answers["activities.effect"]["D7.1-1"].note == "张三提供了年度报告"
    assert theirs.answers["activities.effect"]["D7.1-2"].alpha == Decimal("0.5")
    assert theirs.created == ours.created and theirs.respondent == "张三" and theirs.org == ORG
    assert theirs.model_dump() == ours.model_dump()

    second = cli("import", str(path), db=other)
    assert second.code == 0, second.err
    assert "unchanged" in second.out
    assert [s["session_id"] for s in _listed(cli, other)] == [session.id]


def test_sanitised_export_keeps_levels_and_na_but_not_the_reasons(cli, exported, tmp_path):
    session, _ = exported
    path = tmp_path / "clean.json"
    assert cli("export", session.id, "--out", str(path), "--sanitise").code == 0
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["format"] == "selfcheck-session" and doc["sanitised"] is True
    s = doc["session"]
    assert s["respondent"] == ""
    a = s["answers"]["activities.effect"]
    assert set(a) == {"D7.1-1", "D7.1-2", "D7.1-3", "D7.2-1"}  # the free-text 7.evidence is gone
    assert a["D7.1-1"]["level"] == 4 and a["D7.1-1"].get("note") is None
    assert a["D7.1-2"]["level"] == 3 and Decimal(str(a["D7.1-2"]["alpha"])) == Decimal("0.5")
    assert a["D7.1-3"]["level"] == 2 and a["D7.1-3"].get("note") is None
    # still N/A (left out of the possible points), but the reason the respondent typed is gone
    assert a["D7.2-1"]["na"] and "本院无对外示范任务" not in a["D7.2-1"]["na"]
    text = path.read_text(encoding="utf-8")
    for private in ("张三", "李四", "王五", "本院无对外示范任务"):
        assert private not in text
    other = tmp_path / "other"
    assert cli("import", str(path), db=other).code == 0
    assert TinyStore(other).get_session(session.id).respondent == ""


def _variant(path: Path, tmp_path: Path, name: str, change) -> Path:
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)
    out = tmp_path / name
    out.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return out


def _bad_files(path: Path, tmp_path: Path) -> dict[str, Path]:
    def unknown_bank(d):
        d["session"]["banks"] = {"activities.gone": "2025.9"}
        d["session"]["answers"] = {}

    def unknown_question(d):
        d["session"]["answers"]["activities.effect"]["7.9.9"] = {"level": 3}

    def alpha_outside(d):  # level 2's band is 0.2 < α ≤ 0.4
        d["session"]["answers"]["activities.effect"]["D7.1-1"] = {"level": 2, "alpha": 0.9}

    def newer(d):
        d["schema"] = 99

    def foreign(d):
        d["format"] = "something-else"

    not_json = tmp_path / "not-json.json"
    not_json.write_text("{this is not json", encoding="utf-8")
    shape = tmp_path / "shape.json"
    shape.write_text('[1, 2, {"format": 3}]', encoding="utf-8")
    return {
        "not json": not_json,
        "another shape": shape,
        "another format": _variant(path, tmp_path, "foreign.json", foreign),
        "newer schema": _variant(path, tmp_path, "newer.json", newer),
        "unknown bank": _variant(path, tmp_path, "bank.json", unknown_bank),
        "unknown question": _variant(path, tmp_path, "question.json", unknown_question),
        "alpha outside band": _variant(path, tmp_path, "alpha.json", alpha_outside),
    }


def test_damaged_or_foreign_files_are_refused_naming_the_file(cli, store, exported, tmp_path):
    session, path = exported
    other = tmp_path / "other"
    # the second store already holds one unrelated session
    TinyStore(other).create_session(OTHER, EFFECT, "王五")
    before = _listed(cli, other)
    assert len(before) == 1
    for what, bad in _bad_files(path, tmp_path).items():
        run = cli("import", str(bad), db=other)
        assert run.code == 2, (what, run.code, run.err)
        assert str(bad) in run.err, what
        assert _listed(cli, other) == before, what


def test_a_good_and_a_bad_file_together_store_nothing(cli, store, exported, tmp_path):
    session, path = exported
    other = tmp_path / "other"
    TinyStore(other).create_session(OTHER, EFFECT, "王五")
    before = _listed(cli, other)
    for what, bad in _bad_files(path, tmp_path).items():
        for order in ((path, bad), (bad, path)):
            run = cli("import", *map(str, order), db=other)
            assert run.code == 2, what
            assert str(bad) in run.err, what
            assert _listed(cli, other) == before, what
    assert session.id not in json.dumps(_listed(cli, other))


def test_import_into_a_workshop(cli, exported, tmp_path):
    session, path = exported
    other = tmp_path / "other"
    assert cli("workshop", "create", "汇总", "--org", ORG, "--bank", "activities.effect", db=other).code == 0
    run = cli("import", str(path), "--workshop", "汇总", db=other)
    assert run.code == 0, run.err
    stored = TinyStore(other).get_session(session.id)
    assert stored.workshop == "汇总"
    assert [s.id for s in TinyStore(other).sessions(workshop="汇总")] == [session.id]
    [row] = _listed(cli, other)
    assert row["workshop"] == "汇总"
    report = cli("workshop", "report", "汇总", "--format", "json", db=other)
    assert report.code == 0 and report.json()["respondents"] == 1


# -- 5. a repeat self-check from a baseline (engine, no UI) -----------------------------------------


@pytest.fixture
def baseline(store):
    return store.create_session(ORG, EFFECT, "张三", status="completed", answers={"activities.effect": {
        "D7.1-1": Answer(level=4, note="年度报告已发布"),
        "D7.1-2": Answer(level=2, alpha=Decimal("0.3")),
        "D7.1-3": Answer(na="暂无此项业务"),
        # D7.2-1 left unanswered last time
        "D7.2-2": Answer(level=5),
        "7.1.9": Answer(level=3),  # an id the bank no longer has
    }})


def test_baseline_answers_are_offered_kept_or_changed(library, store, baseline):
    new = store.create_session(ORG, EFFECT, "张三", baseline=baseline.id)
    assert store.get_session(new.id).baseline == baseline.id  # what `chat --from ID` stores
    conv = Conversation(library, store.get_session(new.id), baseline=store.get_session(baseline.id))

    [ask] = conv.start().turns
    assert isinstance(ask, Ask) and ask.step.question.id == "D7.1-1"
    assert ask.step.baseline == Answer(level=4, note="年度报告已发布")
    # Enter keeps last time's answer, its note included
    out = conv.reply("")
    assert out.saves == [Save("activities.effect", "D7.1-1", Answer(level=4, note="年度报告已发布"))]
    assert isinstance(out.turns[-1], Ask) and out.turns[-1].step.question.id == "D7.1-2"

    assert out.turns[-1].step.baseline == Answer(level=2, alpha=Decimal("0.3"))
    # a different reply changes it (level 4: not a gap, so no note is asked for)
    out = conv.reply("4")
    assert [(s.question, s.answer.level, s.answer.alpha) for s in out.saves] == [("D7.1-2", 4, None)]
    assert out.turns[-1].step.question.id == "D7.1-3"

    # N/A still fits D7.1-3 (not required): offered, and "保留" keeps it
    assert out.turns[-1].step.baseline == Answer(na="暂无此项业务")
    out = conv.reply("保留")
    assert out.saves == [Save("activities.effect", "D7.1-3", Answer(na="暂无此项业务"))]

    # D7.2-1 was not answered last time: nothing offered, an empty reply saves nothing
    step = out.turns[-1].step
    assert step.question.id == "D7.2-1" and step.baseline is None
    out = conv.reply("")
    assert out.saves == []
    assert any(isinstance(t, Notice) for t in out.turns)
    out = conv.reply("keep")
    assert out.saves == [] and isinstance(out.turns[-1], Notice) and out.turns[-1].code == "no_baseline"

    # the saves were the conversation's own answers
    assert conv.session.answers["activities.effect"]["D7.1-1"] == Answer(level=4, note="年度报告已发布")
    assert conv.session.answers["activities.effect"]["D7.1-2"] == Answer(level=4)


def _library_with(library, bank_id: str, change):
    data = library.bank(bank_id).model_dump()
    change(data)
    return dataclasses.replace(library, banks={**library.banks, bank_id: Bank.model_validate(data)})


def test_baseline_answers_that_no_longer_fit_are_not_offered(library, store):
    t0 = datetime(2025, 1, 1, 9, 0, tzinfo=CST)
    earlier = Session(id="20250101-cccccc", org=ORG, banks={"activities.effect": "2025.9"}, status="completed",
                      created=t0, updated=t0, answers={"activities.effect": {
                          "D7.1-1": Answer(na="当时不适用"),            # N/A, but D7.1-1 is now required
                          "D7.1-2": Answer(level=2, alpha=Decimal("0.9")),  # α outside level 2's band
                          "D7.1-3": Answer(skipped=True),              # skipped: nothing to keep
                          "D7.2-1": Answer(choice="yes"),              # a gate's answer on a likert question
                          "7.9.9": Answer(level=3),                   # a question that is gone
                      }})

    def require_711(bank):
        bank["sections"][0]["questions"][0]["required"] = True

    changed = _library_with(library, "activities.effect", require_711)
    assert changed.bank("activities.effect").question("D7.1-1").required
    new = store.create_session(ORG, EFFECT, "张三", baseline=earlier.id)
    conv = Conversation(changed, new, baseline=earlier)
    for qid in ("D7.1-1", "D7.1-2", "D7.1-3", "D7.2-1", "D7.2-2"):
        step = conv.step(Position(bank="activities.effect", question=qid))
        assert step.baseline is None, qid
    # so an empty reply keeps nothing on D7.1-1
    conv.start()
    assert conv.reply("").saves == []


# -- 6. the facilitator's live view ------------------------------------------------------------------


def _cells(app, key: str) -> list[str]:
    from textual.widgets import DataTable

    return [c.plain if isinstance(c, Text) else str(c) for c in app.query_one(DataTable).get_row(key)]


def _group_text(app) -> str:
    from textual.widgets import Static

    static = app.query_one("#group", Static)
    content = static.content if hasattr(static, "content") else static.renderable
    return content.plain if isinstance(content, Text) else str(content)


async def test_watch_shows_participants_and_updates(store, library):
    from textual.widgets import DataTable

    from assistant.tui.watch import WatchApp

    workshop = store.create_workshop("早班", ORG, ["activities.effect"])
    # 张三: D7.1-1 and D7.1-2 at level 5 → 8.0 / 20 = 40.0 %
    a = store.create_session(ORG, EFFECT, "张三", workshop="早班", role="leaders",
                             answers={"activities.effect": levels(**{"D7.1-1": 5, "D7.1-2": 5})})
    # 李四: D7.1-1 at level 1 → 0.8 / 20 = 4.0 %
    b = store.create_session(ORG, EFFECT, "李四", workshop="早班", role="staff",
                             answers={"activities.effect": levels(**{"D7.1-1": 1})})
    # D7.1-1 levels 5 and 1 → disagreement; group mean (40 + 4) / 2 = 22.0 (shown "22")
    app = WatchApp(store, library, workshop, "zh")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.query_one(DataTable)
        assert table.row_count == 2
        row_a, row_b = _cells(app, a.id), _cells(app, b.id)
        assert row_a[0] == "张三" and row_b[0] == "李四"
        # answered of the six questions that will be asked (five scored and the evidence text)
        assert row_a[3] == "2/6" and row_b[3] == "1/6"
        text = _group_text(app)
        assert "（2）" in text
        assert "服务效果：22.0" in text
        assert "D7.1-1" in text and "D7.1-2" not in text

        # 李四 answers D7.1-2 at level 2: 0.8 + 1.6 = 2.4 / 20 = 12.0 %; mean (40 + 12) / 2 = 26.0;
        # D7.1-2 levels 5 and 2 → a second disagreement
        store.record_answer(b.id, "activities.effect", "D7.1-2", Answer(level=2))
        app.action_refresh()
        await pilot.pause()
        assert _cells(app, b.id)[3] == "2/6"
        assert _cells(app, a.id)[3] == "2/6"
        text = _group_text(app)
        assert "服务效果：26.0" in text
        assert "D7.1-1, D7.1-2" in text
