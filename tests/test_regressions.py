"""Regression tests for defects found in review: each failed before its fix."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import pytest

from assistant.cli import main
from assistant.domain.answers import Answer, Session
from assistant.domain.engine import Conversation
from assistant.domain.exchange import ExchangeError, export_document, parse_document
from assistant.domain.group import group_result
from assistant.domain.replies import Understood, parse_reply
from assistant.domain.results import Grade
from assistant.report.common import fmt, gate_text
from assistant.store import TinyStore

EFFECT = {"activities.effect": "2026.1"}
FIVE = ("D7.1-1", "D7.1-2", "D7.1-3", "D7.2-1", "D7.2-2")


def run(capsys, *argv):
    code = main([*argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_skip_on_a_revisited_question_keeps_its_answer(library, clock):
    session = Session(id="s", org="o", banks=EFFECT, created=clock(), updated=clock())
    c = Conversation(library, session)
    c.reply("5")
    c.command("back")
    out = c.command("skip")
    assert out.saves == [], "moving on from an answered question must not overwrite it"
    assert c.session.answers["activities.effect"]["D7.1-1"] == Answer(level=5)
    assert c.step().question.id == "D7.1-2"


def test_one_point_zero_is_full_marks_not_level_one(library):
    q = library.bank("activities.effect").question("D7.1-1")
    assert parse_reply("1.0", q) == Understood(Answer(level=5, alpha=Decimal("1.0")))
    assert parse_reply("4 0.75", q) == Understood(Answer(level=4, alpha=Decimal("0.75")))


def test_text_questions_take_command_words_as_evidence(library):
    q = library.bank("activities.effect").question("7.evidence")
    assert parse_reply("同上", q) == Understood(Answer(text="同上"))
    assert parse_reply("说明", q) == Understood(Answer(text="说明"))
    assert not isinstance(parse_reply("skip", q), Understood)


def test_an_answers_file_may_answer_a_text_question_yes(library, tmp_path, capsys):
    path = tmp_path / "a.json"
    path.write_text(json.dumps({"org": "o", "answers": {"activities.effect": {"7.evidence": "yes"}}}), encoding="utf-8")
    code, out, err = run(capsys, "--db", str(tmp_path / "db"), "run", "--answers", str(path), "--format", "json")
    assert code == 0, err


def test_an_imported_session_without_utc_offsets_is_refused(library, store):
    session = store.create_session("o", EFFECT)
    doc = export_document(session, session.created)
    doc["session"]["created"] = "2026-01-01T10:00:00"
    with pytest.raises(ExchangeError, match="f.json"):
        parse_document(json.dumps(doc), library, "f.json")


def test_a_respondent_who_has_not_started_does_not_pull_the_group_mean_down(library, store):
    done = store.create_session("o", EFFECT, answers={"activities.effect": {q: Answer(level=5) for q in FIVE}})
    joined = store.create_session("o", EFFECT)
    group = group_result(library, "w", "o", [done, joined])
    (bank,) = group.banks
    assert bank.mean_percent == Decimal("100.0")  # the one who answered: 20 of 20; the other has not begun
    assert group.activities_mean_percent == Decimal("100.0")
    assert group.grade.outcome == "five-star"


def test_run_with_an_unwritable_out_stores_nothing(tmp_path, capsys):
    db = tmp_path / "db"
    code, _, err = run(capsys, "--db", str(db), "run", "--answers", "examples/answers.json",
                       "--out", str(tmp_path / "no" / "such" / "dir" / "x.txt"))
    assert code == 2 and "无法写入" in err  # Chinese by default
    assert TinyStore(db).list_sessions() == []


def test_chat_without_a_terminal_creates_nothing(tmp_path):
    db = tmp_path / "db"
    out = subprocess.run([sys.executable, "-m", "assistant", "--db", str(db), "chat", "--org", "T"],
                         stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "终端" in out.stderr  # Chinese by default
    assert TinyStore(db).list_sessions() == []


def test_a_session_with_a_bank_this_program_lacks_is_a_clear_error(store, capsys):
    a = store.create_session("o", EFFECT, status="completed")
    b = store.create_session("o", EFFECT, status="completed")
    path = store.root / "s" / f"{b.id}.json"
    path.write_text(path.read_text(encoding="utf-8").replace("activities.effect", "activities.retired"), encoding="utf-8")
    code, _, err = run(capsys, "--db", str(store.root), "compare", a.id, b.id)
    assert code == 2 and "activities.retired" in err and "Traceback" not in err


def test_a_session_named_index_does_not_deadlock_on_the_index_lock(library, store, tmp_path):
    session = store.create_session("o", EFFECT).model_copy(update={"id": "index"})
    other = TinyStore(tmp_path / "other")
    assert other.put_session(session) == "added"
    assert other.get_session("index").org == "o"


def test_an_unknown_workshop_is_bad_input(store, capsys):
    store.create_session("o", EFFECT)
    code, _, err = run(capsys, "--db", str(store.root), "workshop", "report", "nope")
    assert code == 2 and "nope" in err


def test_a_completed_session_changed_later_updates_the_index(store):
    session = store.create_session("o", EFFECT, status="completed", answers={"activities.effect": {"D7.1-1": Answer(level=2)}})
    store.record_answer(session.id, "activities.effect", "D7.1-2", Answer(level=4))
    (summary,) = TinyStore(store.root).list_sessions()
    assert summary.answered == 2


def test_import_prints_an_organisation_name_without_its_escape_codes(store, tmp_path, capsys):
    session = store.create_session("Evil\x1b[2J", EFFECT)
    path = tmp_path / "s.json"
    path.write_text(json.dumps(export_document(session, session.created)), encoding="utf-8")
    code, out, err = run(capsys, "--db", str(tmp_path / "other"), "import", str(path))
    assert code == 0, err
    assert "\x1b" not in out and "Evil␛[2J" in out


def test_numbers_in_reports_round_half_up_like_the_json():
    assert fmt(Decimal("2.625"), 2) == "2.63"
    assert fmt(Decimal("80.25"), 1) == "80.3"


def test_no_service_score_says_so_rather_than_below_60():
    g = Grade(outcome="not-yet", label="尚未达到", service_score=None, service_source=None, management_level=3,
              gate="met", needs_level=None, earned_outcome="not-yet")
    assert "没有服务得分" in gate_text(g, "zh")


def test_serving_every_interface_gives_participants_a_reachable_address():
    from assistant.serve import room_url

    assert room_url("127.0.0.1", 8000, None) == "http://127.0.0.1:8000"
    assert "0.0.0.0" not in room_url("0.0.0.0", 8000, None)
    assert room_url("0.0.0.0", 8000, "https://room.example/") == "https://room.example"


def test_validate_checks_a_single_bank_against_the_shipped_set_and_reports_every_broken_file(tmp_path, capsys):
    from pathlib import Path

    shipped = Path(__file__).resolve().parent.parent / "question_banks"
    one = tmp_path / "one"
    one.mkdir()
    (one / "design.toml").write_text((shipped / "activities_design.toml").read_text(encoding="utf-8"), encoding="utf-8")
    code, out, err = run(capsys, "banks", "validate", str(one / "design.toml"))
    assert code == 0 and "activities.design" in out, err
    broken = tmp_path / "broken"
    broken.mkdir()
    for name, old, new in (("a.toml", "max_points = 3.5", "max_points = 4.5"), ("b.toml", 'kind = "likert"', 'kind = "bogus"')):
        text = (shipped / "activities_design.toml").read_text(encoding="utf-8")
        (broken / name).write_text(text.replace(old, new, 1), encoding="utf-8")
    code, out, err = run(capsys, "banks", "validate", str(broken))
    assert code == 2 and out == ""
    assert "a.toml" in err and "b.toml" in err and len(err.strip().splitlines()) == 2
    (tmp_path / "empty").mkdir()
    code, out, err = run(capsys, "banks", "validate", str(tmp_path / "empty"))
    assert code == 2 and "没有题库文件" in err  # Chinese by default


def test_workshop_add_says_what_it_changes(store, capsys):
    store.create_workshop("A", "o", ["activities.effect"])
    store.create_workshop("B", "o", ["activities.effect"])
    x = store.create_session("o", EFFECT, "张三", workshop="A")
    y = store.create_session("o", EFFECT, "张三")
    code, out, err = run(capsys, "--db", str(store.root), "workshop", "add", "B", x.id, y.id)
    assert code == 0
    assert "已从研讨会 'A' 移出" in err  # Chinese by default
    assert "已在这个研讨会中作答" in err  # 张三 twice: both count
    code, out, err = run(capsys, "--db", str(store.root), "workshop", "add", "B", x.id, "--lang", "en")
    assert "already in workshop 'B'" in out


def test_only_a_session_without_any_answer_is_discarded(store):
    empty = store.create_session("o", EFFECT)
    answered = store.create_session("o", EFFECT, answers={"activities.effect": {"D7.1-1": Answer(skipped=True)}})
    joined = store.create_session("o", EFFECT, workshop="W")
    done = store.create_session("o", EFFECT, status="completed")
    assert store.discard_if_empty(empty.id) is True
    for kept in (answered, joined, done):
        assert store.discard_if_empty(kept.id) is False
    assert {s.session_id for s in TinyStore(store.root).list_sessions()} == {answered.id, joined.id, done.id}


def test_workshop_participants_are_not_the_organisations_history(store, capsys):
    own = store.create_session("o", EFFECT, status="completed", answers={"activities.effect": {"D7.1-1": Answer(level=3)}})
    store.create_session("o", EFFECT, "参与者", workshop="W", status="completed",
                         answers={"activities.effect": {"D7.1-1": Answer(level=5)}})
    code, out, err = run(capsys, "--db", str(store.root), "history", "--org", "o", "--format", "json")
    assert code == 0, err
    assert [row["session_id"] for row in json.loads(out)] == [own.id]
