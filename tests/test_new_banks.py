"""The checklist banks of issue 15: the management conformity review (003 §5.3, 附录4, §4.2.2), the
readiness checklist for writing a service standard (000 §4–§7) and the checklist for turning a good
practice into a standard (001 §4–§8): loading, the validation rules of checklist banks, the
pass / not-yet verdict, the conformity review as a gate on the grade, the CLI and the chat."""

from __future__ import annotations

import contextlib
import copy
import io
import json
import re
import tomllib
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.domain.answers import Answer, AnswerError, Session, check_answer
from assistant.domain.bank import Kind
from assistant.domain.conformity import CONFORMITY_BANK, conformity_verdict, score_checklist
from assistant.domain.evaluate import evaluate
from assistant.domain.loader import BankError, load_paths
from assistant.domain.planner import plan
from assistant.domain.replies import Problem, Understood, parse_reply
from assistant.domain.scoring import grade

ROOT = Path(__file__).resolve().parent.parent
BANKS_DIR = ROOT / "question_banks"
SHIPPED = sorted(BANKS_DIR.glob("*.toml"))
CHECKLISTS = {"certification.conformity": "certification_conformity.toml",
              "writing.service_standard": "writing_service_standard.toml",
              "writing.practice_to_standard": "writing_practice_to_standard.toml"}
WRITING = "writing.service_standard"
PRACTICE = "writing.practice_to_standard"


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def checks(bank) -> list:
    return [q for q in bank.questions if q.kind is Kind.check]


def all_yes(bank) -> dict[str, Answer]:
    return {q.id: Answer(choice="yes") for q in bank.questions if q.kind.by_choice}


# -- loading -------------------------------------------------------------------------------------------


def test_the_three_checklists_load_as_optional_flows(library):
    for bank_id, name in CHECKLISTS.items():
        bank = library.bank(bank_id)
        assert bank.kind == "checklist" and bank.total_points == 0 and bank.group is None
        assert library.files[bank_id].name == name
        assert checks(bank)
    # optional: after the scored banks, never in the default activity flows
    order = list(library.banks)
    assert order.index("certification.management") < order.index(CONFORMITY_BANK) < order.index(WRITING) < order.index(PRACTICE)
    assert CONFORMITY_BANK not in [b.id for b in library.group("activities")]


def test_every_item_cites_its_clause_in_both_languages(library):
    prefix = {CONFORMITY_BANK: "003 ", WRITING: "000 ", PRACTICE: "001 "}
    for bank_id in CHECKLISTS:
        bank = library.bank(bank_id)
        for q in bank.questions:
            assert q.clause.startswith(prefix[bank_id]), (bank_id, q.id, q.clause)
            assert q.text.zh != q.text.en and q.help.why.zh and q.help.evidence.en
            assert "N/A" not in q.text.zh, (bank_id, q.id)  # Chinese mode shows no English


# 附录4's requirements and the items of §4.2.2 the review must cover (003 §5.3: the conformity review)
ANNEX4 = ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "3.1.1", "3.1.2", "3.1.3", "3.2.1", "3.2.2", "4.1", "4.2",
          "4.3", "4.4.1", "4.4.2", "4.5", "5.1", "5.2", "6.1", "6.2", "6.3.1", "6.3.2", "6.3.3", "7", "7.1.1", "7.1.2", "7.2"]


def test_the_conformity_review_covers_annex_4_and_4_2_2(library):
    bank = library.bank(CONFORMITY_BANK)
    clauses = [q.clause for q in checks(bank)]
    for clause in ANNEX4:
        assert any(c.startswith(f"003 附录4 {clause}") and not c[len(f"003 附录4 {clause}"):][:1].isdigit()
                   for c in clauses), clause
    for item in ("1)", "2) ①", "2) ②", "2) ③", "2) ④", "2) ⑤", "3)"):
        assert f"003 4.2.2 {item}" in clauses
    assert 100 <= len(checks(bank)) <= 130  # "about 100" shall sub-items
    # the certificate (§4.2.1, §5.2.2): a gate that, answered yes, covers the general QMS item
    gate = bank.question("5.2.2")
    assert gate.kind is Kind.gate and gate.skips == ["4.2.1"] and gate.skip_on == ["yes"]
    # 附录4 prints 5.1's body under "5.2." and 5.2 as "5.3": the clauses say what is printed
    assert "印作“5.2.”" in bank.question("A5.1").clause and "印作“5.3”" in bank.question("A5.2").clause


# 000 §5–§6: each factor's area of 附录A 表A.1
AREA_OF = {"5.1": "leadership", "5.2": "empowerment", "5.3": "culture", "5.4": "engagement",
           "5.5": "operating_environment", "5.6": "customer_experience", "5.7": "innovation", "5.8": "results",
           "6.1": "basic_function", "6.2": "delight", "6.3": "delivery", "6.4": "agreement"}


def test_the_writing_checklist_maps_each_item_to_annex_a_methods_of_its_area(library):
    bank = library.bank(WRITING)
    known = library.catalogue.methods
    assert {s.id for s in bank.sections} == {"4", "5", "6", "7"}
    for q in bank.questions:
        assert q.methods, q.id
        assert all(m in known for m in q.methods)
        clause = q.clause.split("；")[0].removeprefix("000 ")
        area = AREA_OF.get(clause[:3])
        if area is not None:
            assert q.methods[0].startswith(area + "."), (q.id, q.methods)
    assert any("GB/T 24620" in q.clause and "特殊顾客" in q.text.zh for q in bank.questions)  # special groups
    assert any("可量化" in q.text.zh for q in bank.questions)  # quantifiable indicators


def test_the_practice_checklist_covers_001_4_to_8(library):
    clauses = {q.clause.split("；")[0].split(" ")[1] for q in library.bank(PRACTICE).questions}
    for clause in ("4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "4.7", "5.1", "5.2.1", "5.2.2", "5.3", "5.4", "6", "7",
                   "8.1", "8.2", "8.3", "8.4"):
        assert clause in clauses, clause


def test_the_practice_checklist_backs_7_2_1(library):
    """It backs activities.effect 7.2.1 (now D7.2-1, 002 7.2 示范引领): the bank and the README say so."""
    head = (BANKS_DIR / CHECKLISTS[PRACTICE]).read_text(encoding="utf-8")
    assert "backs activities.effect D7.2-1" in head
    readme = (BANKS_DIR / "README.md").read_text(encoding="utf-8")
    assert "writing.practice_to_standard" in readme and "7.2.1" in readme


# -- validation rules of checklist banks: a malformed bank fails with a clear message ------------------


def _write_all(tmp_path: Path, name: str, data: dict) -> Path:
    from tests.test_fuzz import toml_dumps

    for f in SHIPPED:
        (tmp_path / f.name).write_bytes(f.read_bytes())
    target = tmp_path / name
    target.write_text(toml_dumps(data), encoding="utf-8")
    return target


def _parsed(name: str) -> dict:
    return copy.deepcopy(tomllib.loads((BANKS_DIR / name).read_text(encoding="utf-8")))


def _q(data: dict, qid: str) -> dict:
    return next(q for s in data["sections"] for q in s["questions"] if q["id"] == qid)


RULES = {
    "check question in a scored bank": (
        "activities_effect.toml",
        lambda d: (_q(d, "D7.1-1").update(kind="check", max_points=0), _q(d, "D7.1-1").pop("next_steps"),
                   d.update(total_points=d["total_points"] - 4)),
        "question D7.1-1: check questions belong in a checklist bank"),
    "checklist without check items": (
        "writing_practice_to_standard.toml", lambda d: [q.update(kind="text") for s in d["sections"] for q in s["questions"]],
        "a checklist bank needs at least one check question"),
    "checklist in a group": (
        "writing_service_standard.toml", lambda d: d.update(group="activities", group_total=100),
        "a checklist bank has no points, so it cannot be part of a group"),
    "scored question in a checklist": (
        "writing_practice_to_standard.toml",
        lambda d: _q(d, "4.1").update(kind="likert", max_points=1, methods=[],
                                      next_steps={"source": "001 4.1", "levels": [{"zh": "甲", "en": "a"}] * 4}),
        "a checklist bank cannot hold likert questions"),
    "check item with next steps": (
        "writing_practice_to_standard.toml",
        lambda d: _q(d, "4.1").update(next_steps={"source": "001 4.1", "levels": [{"zh": "甲", "en": "a"}] * 4}),
        "a check question is not scored: it has no next steps"),
    "check item with points": (
        "writing_service_standard.toml", lambda d: _q(d, "4.2").update(max_points=2),
        "a check question is not scored: max_points must be 0"),
    "checklist with points declared": (
        "writing_service_standard.toml", lambda d: d.update(total_points=10),
        "the questions' points add up to 0, but the bank declares total_points = 10"),
    "skip on yes in a scored bank": (
        "activities_verification.toml", lambda d: _q(d, "D8.2-0").update(skip_on=["yes"]),
        "skip_on = \"yes\" is only for checklist banks"),
    "checklist gate skipping a non-check item": (
        "writing_practice_to_standard.toml",
        lambda d: (d["sections"][0]["questions"].insert(0, {"id": "g", "clause": "001 4", "kind": "gate", "skips": ["x"],
                                                            "text": {"zh": "门", "en": "gate"}}),
                   d["sections"][0]["questions"].append({"id": "x", "clause": "001 4", "kind": "text",
                                                         "text": {"zh": "文", "en": "text"}})),
        "follow-up 'x' must be a check question"),
    "item without help in a section without help": (
        "writing_practice_to_standard.toml", lambda d: d["sections"][1].pop("help"),
        "question 5.1-1: help: Field required"),
    "check item naming an unknown method": (
        "writing_service_standard.toml", lambda d: _q(d, "4.2").update(methods=["leadership.z"]),
        "question 4.2: methods: 'leadership.z' is not a method"),
}


@pytest.mark.parametrize("case", RULES, ids=list(RULES))
def test_a_malformed_checklist_bank_is_refused_with_a_clear_message(tmp_path, case):
    name, change, message = RULES[case]
    data = _parsed(name)
    change(data)
    target = _write_all(tmp_path, name, data)
    with pytest.raises(BankError) as err:
        load_paths([tmp_path])
    assert str(target) in str(err.value) and message in str(err.value), str(err.value)
    code, out, errtext = run_cli("--lang", "en", "banks", "validate", str(tmp_path))
    assert code == 2 and message in errtext and "Traceback" not in errtext


def test_shared_section_help_fills_only_the_items_without_their_own(library):
    bank = library.bank(CONFORMITY_BANK)
    section = bank.section_of("A2.1-1")
    assert section.help is not None and all(q.help == section.help for q in section.questions)
    data = _parsed("writing_practice_to_standard.toml")
    _q(data, "4.2")["help"] = {"why": {"zh": "自有", "en": "own"}, "evidence": {"zh": "证据", "en": "evidence"}}
    from assistant.domain.bank import Bank

    loaded = Bank.model_validate(data)
    assert loaded.question("4.2").help.why.en == "own" and loaded.question("4.3").help.why.en != "own"


# -- the verdict of a checklist --------------------------------------------------------------------------


def test_all_yes_passes_and_the_certificate_covers_4_2_1(library):
    bank = library.bank(CONFORMITY_BANK)
    c = score_checklist(bank, all_yes(bank))
    assert c.verdict == "pass" and not c.failed and not c.open
    item = next(i for i in c.items if i.id == "4.2.1")
    assert item.state == "not asked" and item.gated_by == "5.2.2"
    assert c.applicable == len(checks(bank)) - 1


def test_partly_and_no_fail_and_are_listed(library):
    bank = library.bank(CONFORMITY_BANK)
    answers = all_yes(bank) | {"A2.2-5": Answer(choice="partly"), "A7.1.1-3": Answer(choice="no")}
    c = score_checklist(bank, answers, "en")
    assert c.verdict == "not-yet" and c.title == "Management conformity review"
    assert [(i.id, i.state) for i in c.failed] == [("A2.2-5", "partly"), ("A7.1.1-3", "no")]
    data = c.to_json()
    assert data["verdict"] == "not-yet" and data["partly"] == 1 and data["no"] == 1
    assert data["failed"] == [{"id": "A2.2-5", "clause": "003 附录4 2.2 5)", "answer": "partly"},
                              {"id": "A7.1.1-3", "clause": "003 附录4 7.1.1 3)", "answer": "no"}]


def test_without_a_certificate_4_2_1_is_asked_and_counts(library):
    bank = library.bank(CONFORMITY_BANK)
    answers = all_yes(bank) | {"5.2.2": Answer(choice="no")}
    c = score_checklist(bank, answers)
    assert c.verdict == "pass" and next(i for i in c.items if i.id == "4.2.1").state == "yes"
    answers["4.2.1"] = Answer(choice="partly")
    assert [i.id for i in score_checklist(bank, answers).failed] == ["4.2.1"]


def test_unanswered_and_skipped_items_keep_it_not_yet_and_na_leaves_an_item_out(library):
    bank = library.bank(PRACTICE)
    answers = all_yes(bank)
    del answers["8.3"]
    answers["8.2"] = Answer(skipped=True)
    c = score_checklist(bank, answers)
    assert c.verdict == "not-yet" and not c.failed and [i.id for i in c.open] == ["8.2", "8.3"]
    answers = all_yes(bank) | {"8.4": Answer(na="标准内容简单")}
    c = score_checklist(bank, answers)
    assert c.verdict == "pass" and c.applicable == len(checks(bank)) - 1
    assert score_checklist(bank, {}).verdict == "not assessed"


def test_na_is_refused_on_a_required_item_and_accepted_on_an_optional_one(library):
    bank = library.bank(CONFORMITY_BANK)
    with pytest.raises(AnswerError, match="required"):
        check_answer(bank, bank.question("A1.1"), Answer(na="不适用"))
    check_answer(bank, bank.question("4.2.2-3"), Answer(na="没有外部供方"))
    with pytest.raises(AnswerError, match="yes, partly or no"):
        check_answer(bank, bank.question("A1.1"), Answer(level=3))


def test_typed_replies_on_a_check_item(library):
    bank = library.bank(CONFORMITY_BANK)
    q = bank.question("4.2.2-3")
    assert parse_reply("部分", q) == Understood(Answer(choice="partly"))
    assert parse_reply("n/a 没有外部供方", q) == Understood(Answer(na="没有外部供方"))
    assert parse_reply("不适用 无", bank.question("A1.1")) == Problem("na_required", {})
    assert isinstance(parse_reply("4", q), Problem)


# -- the conformity review as a gate on the grade (003 §5.3, reading) -------------------------------------


def test_grade_holds_every_outcome_at_not_yet_until_the_review_passes():
    held = grade(Decimal(96), "certification.service", 5, conformity="not-yet", lang="en")
    assert held.outcome == "not-yet" and held.earned_outcome == "five-star" and held.conformity == "not-yet"
    assert held.to_json()["conformity"] == "not-yet"
    for verdict in ("pass", "not assessed"):
        assert grade(Decimal(96), "certification.service", 5, conformity=verdict).outcome == "five-star"
    assert conformity_verdict([]) == "not assessed"


def _full_session(library, conformity: dict[str, Answer] | None) -> Session:
    """Every service and management item at level 5 (S 100, M 5), and the review's answers if given."""
    banks = ["certification.service", "certification.management"] + ([CONFORMITY_BANK] if conformity is not None else [])
    answers = {b: {q.id: Answer(level=5) for q in library.bank(b).questions if q.kind.scored} for b in banks[:2]}
    if conformity is not None:
        answers[CONFORMITY_BANK] = dict(conformity)
    now = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
    return Session(id="20261201-aaaaaa", org="甲医院", banks={b: library.bank(b).version for b in banks},
                   answers=answers, created=now, updated=now, status="completed")


def test_a_failed_review_holds_a_five_star_session_at_not_yet(library):
    bank = library.bank(CONFORMITY_BANK)
    failing = all_yes(bank) | {"A6.2": Answer(choice="no")}
    session = _full_session(library, failing)
    r = evaluate(library, session)
    assert r.grade.outcome == "not-yet" and r.grade.conformity == "not-yet"
    assert [b.id for b in r.banks] == ["certification.service", "certification.management"]  # no points mixed in
    data = r.to_json()
    assert data["checklists"][0]["failed"][0]["id"] == "A6.2"
    assert data["derivation"]["conformity"] == "not-yet" and data["derivation"]["next"]["conformity_short"] is True
    p = plan(library, session)
    assert not p.reachable and p.reason == "conformity-not-passed"
    # once passed, the same scores give five-star; without the bank, nothing changes
    assert evaluate(library, _full_session(library, all_yes(bank))).grade.outcome == "five-star"
    assert evaluate(library, _full_session(library, None)).grade.outcome == "five-star"


def test_the_reading_is_named_in_the_why_lines_and_the_readme(library):
    from assistant.report.why import why_lines

    bank = library.bank(CONFORMITY_BANK)
    r = evaluate(library, _full_session(library, all_yes(bank) | {"A6.2": Answer(choice="partly")}))
    lines = "\n".join(why_lines(r, "zh"))
    assert "管理要求符合性审查：尚未通过（1 项未符合，0 项未作答）" in lines and "五星级" in lines
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "conformity review" in readme and "certification.conformity" in readme


# -- the CLI: run with an answers file, reports, history ----------------------------------------------------


def test_run_report_and_history_with_checklists(tmp_path, library):
    db = str(tmp_path / "db")
    conformity = {q.id: "yes" for q in library.bank(CONFORMITY_BANK).questions if q.kind.by_choice and q.id != "4.2.1"}
    conformity |= {"A3.2.1-2": "no", "4.2.2-3": {"na": "没有外部供方"}}
    writing = {q.id: "yes" for q in library.bank(WRITING).questions} | {"4.4-2": "partly"}
    doc = {"org": "乙<b>医院</b>", "answers": {
        "certification.service": {q.id: 4 for q in library.bank("certification.service").questions},
        CONFORMITY_BANK: conformity, WRITING: writing}}
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    code, out, err = run_cli("--db", db, "--lang", "en", "run", "--answers", str(answers), "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["grade"]["outcome"] == "not-yet" and data["grade"]["conformity"] == "not-yet"
    assert {c["id"]: c["verdict"] for c in data["checklists"]} == {CONFORMITY_BANK: "not-yet", WRITING: "not-yet"}
    assert data["checklists"][0]["not_applicable"] == ["4.2.2-3"] and data["checklists"][0]["not_asked"] == ["4.2.1"]
    sid = data["session_id"]
    code, out, err = run_cli("--db", db, "--lang", "en", "report", sid, "--format", "text")
    assert code == 0 and "Items not met (1)" in out and "A3.2.1-2 (no) Are the objectives measurable?" in out
    assert "Management conformity review: not yet" in out
    for fmt in ("md", "html"):
        target = tmp_path / f"r.{fmt}"
        code, _, err = run_cli("--db", db, "--lang", "zh", "report", sid, "--format", fmt, "--out", str(target))
        assert code == 0, err
        text = target.read_text(encoding="utf-8")
        assert "A3.2.1-2" in text and "4.4-2" in text and "检查清单" in text
        assert "可参考的附录A 实施方法：活动和结果 a) 使用关于顾客体验的结果指标" in text  # 4.4-2's methods
        assert "<b>医院</b>" not in text  # the organisation's name stays data
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "未通过管理要求符合性审查" in html and "检查清单（如管理要求符合性审查）只判定" in html
    code, out, err = run_cli("--db", db, "--lang", "en", "history", "--org", "乙<b>医院</b>")
    assert code == 0 and sid in out, err


def test_an_answers_file_with_a_level_on_a_check_item_is_refused(tmp_path, library):
    doc = {"org": "丙", "answers": {PRACTICE: {"4.1": 4}}}
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps(doc), encoding="utf-8")
    code, out, err = run_cli("--db", str(tmp_path / "db"), "--lang", "en", "run", "--answers", str(answers))
    assert code == 2 and "4.1" in err and "yes, partly or no" in err and out == ""


# -- the chat, through Pilot -----------------------------------------------------------------------------------


def _plain(app) -> str:
    from assistant.tui.widgets.transcript import Bubble

    return "\n".join(b.plain for b in app.screen.query(Bubble))


async def test_walk_the_practice_checklist_in_the_chat(store, library):
    from assistant.tui.app import SelfcheckApp

    bank = library.bank(PRACTICE)
    session = store.create_session("丁医院", {PRACTICE: bank.version}, "李四")
    app = SelfcheckApp(store, library, "zh", chat=session.id)
    ids = [q.id for q in bank.questions]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        progress = str(app.screen.query_one("#progress-text").render())
        assert "第 1/40 项" in progress and "检查清单（不计分）" in progress
        assert "为什么重要" in _plain(app)  # the section's help, on its first item
        await pilot.press("1")
        await pilot.pause()
        assert "见第一项 4.1" in _plain(app)  # not repeated on the next items
        for qid in ids[1:]:
            if qid == "8.4":
                reply = app.screen.query_one("#reply")
                reply.value = "不适用 标准内容简单"
                await pilot.press("enter")
            else:
                await pilot.press("3" if qid == "5.3" else "2" if qid == "7-7" else "1")
            await pilot.pause()
            if qid in ("5.3", "7-7"):  # an item not met asks for the evidence or the obstacle (optional)
                assert "这一项尚未符合" in _plain(app)
                reply = app.screen.query_one("#reply")
                assert "尚未符合" in reply.placeholder and "得分偏低" not in reply.placeholder  # unscored: no "scores low"
                reply.value = "尚未做推广前景分析" if qid == "5.3" else ""
                await pilot.press("enter")
                await pilot.pause()
        stored = store.get_session(session.id)
        assert stored.status == "completed"
        assert stored.answers[PRACTICE]["5.3"].choice == "no" and stored.answers[PRACTICE]["8.4"].na == "标准内容简单"
        assert stored.answers[PRACTICE]["5.3"].note == "尚未做推广前景分析" and stored.answers[PRACTICE]["7-7"].note is None
        shown = _plain(app)
        assert "“良好实践转化为标准”检查完成：尚未通过（是 37、部分 1、否 1，适用 39 项）" in shown
        assert "未符合的条目（2）" in shown and "5.3（否）" in shown and "7-7（部分）" in shown
        assert not re.search(r"[A-Za-z]{4,}", re.sub("GB/T|README|Ctrl", "", shown)), "English in the Chinese chat"


async def test_the_conformity_review_in_english_with_the_certificate_gate(store, library):
    from assistant.tui.app import SelfcheckApp

    bank = library.bank(CONFORMITY_BANK)
    session = store.create_session("Hospital E", {CONFORMITY_BANK: bank.version}, "Lee")
    app = SelfcheckApp(store, library, "en", chat=session.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "item 1 of 113" in str(app.screen.query_one("#progress-text").render())
        await pilot.press("1")  # a valid certificate: 4.2.1 is not asked
        await pilot.pause()
        progress = str(app.screen.query_one("#progress-text").render())
        assert "item 2 of 112" in progress
        assert "Has the organisation set up and run an excellent-performance service management system" in _plain(app)
        await pilot.press("3")
        await pilot.pause()
        stored = store.get_session(session.id)
        assert stored.answers[CONFORMITY_BANK]["5.2.2"].choice == "yes"
        assert stored.answers[CONFORMITY_BANK]["4.2.2-1"].choice == "no"
        assert "4.2.1" not in stored.answers[CONFORMITY_BANK]
