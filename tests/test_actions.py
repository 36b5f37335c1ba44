"""The action plan: the store's API, `selfcheck actions …`, and actions under kill -9 and two writers.

Tests taking `any_store` run on a folder store and on a PostgreSQL store (tests/pg_fixture.py)."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from rich.cells import cell_len

from assistant.cli import main
from assistant.domain.actions import STATUSES, ActionError, ItemRef
from assistant.domain.answers import Answer
from assistant.store import StoreDamaged, StoreError, TinyStore, open_store

from . import test_store_crash as crash
from .conftest import Run
from .pg_fixture import reopen

ORG = "湘潭市中心医院"
DESIGN = {"activities.design": "2026.1"}


def plan_file(store: TinyStore, org: str = ORG) -> Path:
    return store._actions_path(org)


def unscored(library) -> str:
    """BANK:QUESTION of a question that is not scored (a gate or free text)."""
    return next(f"{b.id}:{q.id}" for b in library.banks.values() for q in b.questions if not q.kind.scored)


# -- the store -----------------------------------------------------------------------------------


def test_add_gives_ids_in_order_and_everything_survives_reopening(any_store):
    a1 = any_store.add_action(ORG, ["certification.service:4.3"], "候诊区加装隔音设施", owner="后勤处",
                          due="2027-03-31", note="预算已批", method="leadership.a", session="20261121-abcdef")
    a2 = any_store.add_action(ORG, [ItemRef(bank="activities.design", id="5.1.1"), "activities.design:5.1.1",
                                "activities.design:5.1.2"], "需求调研", status="doing")
    assert (a1.id, a2.id) == ("A1", "A2")
    assert a2.items == [ItemRef(bank="activities.design", id="5.1.1"), ItemRef(bank="activities.design", id="5.1.2")]
    again = reopen(any_store).list_actions(ORG)
    assert again == [a1, a2]
    first = again[0]
    assert first.org == ORG and first.owner == "后勤处" and first.due == date(2027, 3, 31)
    assert first.status == "planned" and first.note == "预算已批" and first.method == "leadership.a"
    assert first.session == "20261121-abcdef" and first.done is None
    assert first.created == first.updated and first.created.tzinfo is not None


def test_each_organisation_has_its_own_file_holding_its_name(store):
    store.add_action(ORG, ["activities.design:5.1.1"], "x")
    store.add_action("Acme Airport", ["activities.design:5.1.1"], "y")
    store.add_action("Acme Airport", ["activities.design:5.1.2"], "z")
    assert [a.id for a in store.list_actions(ORG)] == ["A1"]
    assert [a.id for a in store.list_actions("Acme Airport")] == ["A1", "A2"]
    assert store.list_actions("nobody") == []
    files = sorted((store.root / "actions").glob("*.json"))
    assert len(files) == 2
    assert {json.loads(f.read_text(encoding="utf-8"))["org"] for f in files} == {ORG, "Acme Airport"}
    assert plan_file(store).stem == __import__("hashlib").sha1(ORG.encode()).hexdigest()


def test_missing_store_lists_no_actions_and_creates_nothing(tmp_path):
    assert TinyStore(tmp_path / "none").list_actions(ORG) == []
    assert not (tmp_path / "none").exists()


def test_ids_follow_the_highest_and_survive_many_adds(any_store):
    for n in range(12):
        any_store.add_action(ORG, ["activities.design:5.1.1"], f"step {n}")
    assert [a.id for a in any_store.list_actions(ORG)] == [f"A{n}" for n in range(1, 13)]  # A10 after A9, not after A1


def test_update_sets_updated_always_and_done_when_it_becomes_done(any_store, clock):
    a = any_store.add_action(ORG, ["activities.design:5.1.1"], "x")
    doing = any_store.update_action(ORG, "A1", status="doing", owner="质量办")
    assert doing.status == "doing" and doing.owner == "质量办" and doing.updated > a.updated and doing.done is None
    done = any_store.update_action(ORG, "a1", status="done")  # the id is not case-sensitive
    assert done.done == done.updated and done.done > doing.updated
    noted = any_store.update_action(ORG, "A1", note="验收通过", due="2027-01-31")
    assert noted.done == done.done, "done is when the status became done, not any later change"
    assert noted.due == date(2027, 1, 31)
    cleared = any_store.update_action(ORG, "A1", due=None)
    assert cleared.due is None
    assert reopen(any_store).list_actions(ORG) == [cleared]
    assert any_store.add_action(ORG, ["activities.design:5.1.1"], "done at once", status="done").done is not None


def test_a_change_to_nothing_new_writes_nothing(store):
    store.add_action(ORG, ["activities.design:5.1.1"], "x", owner="A")
    raw = plan_file(store).read_bytes()
    same = store.update_action(ORG, "A1", owner="A", what="x")
    assert same == store.list_actions(ORG)[0]
    assert plan_file(store).read_bytes() == raw


@pytest.mark.parametrize("bad", [{"status": "finished"}, {"due": "2027-13-01"}, {"due": "31/03/2027"},
                                 {"what": "   "}, {"items": []}, {"items": ["no-colon"]}, {"colour": "red"},
                                 {"id": "A7"}, {"created": "2020-01-01T00:00:00Z"}])
def test_bad_changes_raise_and_write_nothing(store, bad):
    store.add_action(ORG, ["activities.design:5.1.1"], "x")
    raw = plan_file(store).read_bytes()
    with pytest.raises(ActionError):
        store.update_action(ORG, "A1", **bad)
    assert plan_file(store).read_bytes() == raw


def test_unknown_action_id_is_a_clear_error(any_store):
    with pytest.raises(ActionError, match="no action 'A1'"):
        any_store.update_action(ORG, "A1", status="done")
    any_store.add_action(ORG, ["activities.design:5.1.1"], "x")
    with pytest.raises(ActionError, match=r"no action 'A9' .*A1"):
        any_store.update_action(ORG, "A9", status="done")
    with pytest.raises(ActionError):
        any_store.get_action(ORG, "A9")


@pytest.mark.parametrize("bad", [{"status": "finished"}, {"due": "2027-02-30"}, {"what": ""},
                                 {"items": []}, {"items": ["bank-without-question"]}])
def test_bad_new_action_writes_nothing_not_even_a_store(tmp_path, bad):
    store = TinyStore(tmp_path / "db")
    args = {"items": ["activities.design:5.1.1"], "what": "x", **bad}
    with pytest.raises(ActionError):
        store.add_action(ORG, args.pop("items"), args.pop("what"), **args)
    assert not (tmp_path / "db").exists()


DAMAGE = {
    "not json": b'{"format": "selfcheck-actions", "sch',
    "not utf-8": b'\xff\xfe{}',
    "not an object": b"[]",
    "not an action file": json.dumps({"format": "something", "schema": 1}).encode(),
    "actions not a list": json.dumps({"format": "selfcheck-actions", "schema": 1, "org": ORG, "actions": {}}).encode(),
    "invalid action": json.dumps({"format": "selfcheck-actions", "schema": 1, "org": ORG,
                                  "actions": [{"id": "A1", "org": ORG}]}).encode(),
    "another org": json.dumps({"format": "selfcheck-actions", "schema": 1, "org": "someone else", "actions": []}).encode(),
}


@pytest.mark.parametrize("how", sorted(DAMAGE))
def test_damaged_plan_is_refused_with_its_name_and_never_overwritten(store, how):
    store.add_action(ORG, ["activities.design:5.1.1"], "x")
    path = plan_file(store)
    path.write_bytes(DAMAGE[how])
    for attempt in (lambda: store.list_actions(ORG),
                    lambda: store.add_action(ORG, ["activities.design:5.1.1"], "y"),
                    lambda: store.update_action(ORG, "A1", status="done")):
        with pytest.raises(StoreDamaged) as e:
            attempt()
        assert str(path) in str(e.value)
    assert path.read_bytes() == DAMAGE[how]


def test_two_actions_with_one_id_make_the_file_damaged(store):
    store.add_action(ORG, ["activities.design:5.1.1"], "x")
    path = plan_file(store)
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["actions"].append(doc["actions"][0])
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(StoreDamaged, match="same id"):
        store.list_actions(ORG)


def test_newer_plan_schema_is_refused_and_left_alone(store):
    store.add_action(ORG, ["activities.design:5.1.1"], "x")
    path = plan_file(store)
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["schema"] = 99
    raw = json.dumps(doc).encode()
    path.write_bytes(raw)
    for attempt in (lambda: store.list_actions(ORG), lambda: store.add_action(ORG, ["activities.design:5.1.1"], "y")):
        with pytest.raises(StoreError, match="newer selfcheck") as e:
            attempt()
        assert not isinstance(e.value, StoreDamaged)
    assert path.read_bytes() == raw


def test_temp_files_of_killed_action_writers_are_swept(store):
    store.add_action(ORG, ["activities.design:5.1.1"], "x")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = plan_file(store).with_name(f".{plan_file(store).name}.{int(dead.stdout)}.tmp")
    stale.write_text('{"half": ', encoding="utf-8")
    assert [a.id for a in TinyStore(store.root).list_actions(ORG)] == ["A1"]
    assert not stale.exists()


# -- the command line ----------------------------------------------------------------------------


@pytest.fixture
def cli(capsys, tmp_path, monkeypatch):
    """`selfcheck ARGS… --db <tmp>` in-process, 80 columns wide."""
    db = tmp_path / "db"
    monkeypatch.delenv("SELFCHECK_DB", raising=False)
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.chdir(tmp_path)

    def run(*args: str) -> Run:
        capsys.readouterr()
        try:
            code = main([*args, "--db", str(db)])
        except SystemExit as e:  # argparse: a bad choice
            code = e.code if isinstance(e.code, int) else 2
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    run.db = db
    return run


def stored(cli) -> list:
    return TinyStore(cli.db).list_actions(ORG)


def completed(store: TinyStore, levels: dict[str, int], org: str = ORG):
    answers = {q: Answer(level=n) for q, n in levels.items()}
    return store.create_session(org, DESIGN, answers={"activities.design": answers}, status="completed")


def test_add_stores_the_action_and_says_its_id(cli):
    r = cli("actions", "add", "--org", ORG, "--item", "activities.design:5.1.1", "--item", "service:4.3",
            "--what", "建立需求调研制度", "--owner", "质量办", "--due", "2027-03-31", "--status", "doing",
            "--note", "每年一次", "--method", "leadership.a")
    assert r.code == 0, r.err
    assert "已添加行动 A1" in r.out
    [a] = stored(cli)
    assert a.items == [ItemRef(bank="activities.design", id="5.1.1"), ItemRef(bank="certification.service", id="4.3")]
    assert (a.what, a.owner, a.due, a.status, a.note, a.method) == (
        "建立需求调研制度", "质量办", date(2027, 3, 31), "doing", "每年一次", "leadership.a")
    r = cli("actions", "add", "--org", ORG, "--item", "activities.design:5.1.2", "--what", "second", "--lang", "en")
    assert r.code == 0 and "Added action A2" in r.out


def bad_adds(library) -> dict[str, list[str]]:
    return {
        "unknown bank": ["--item", "activities.nothing:5.1.1"],
        "unknown question": ["--item", "activities.design:9.9.9"],
        "not scored": ["--item", unscored(library)],
        "not an item": ["--item", "5.1.1"],
        "malformed date": ["--item", "activities.design:5.1.1", "--due", "2027-02-30"],
        "date in another format": ["--item", "activities.design:5.1.1", "--due", "31.03.2027"],
        "unknown status": ["--item", "activities.design:5.1.1", "--status", "finished"],
        "unknown method": ["--item", "activities.design:5.1.1", "--method", "leadership.zz"],
        "unknown session": ["--item", "activities.design:5.1.1", "--session", "20990101-000000"],
        "empty what": ["--item", "activities.design:5.1.1", "--what", "  "],
    }


@pytest.mark.parametrize("case", ["unknown bank", "unknown question", "not scored", "not an item", "malformed date",
                                  "date in another format", "unknown status", "unknown method", "unknown session",
                                  "empty what"])
def test_bad_add_exits_2_and_stores_nothing(cli, library, case):
    args = bad_adds(library)[case]
    what = [] if "--what" in args else ["--what", "x"]
    r = cli("actions", "add", "--org", ORG, *args, *what)
    assert r.code == 2, (r.out, r.err)
    assert "错误：" in r.err  # Chinese by default
    assert stored(cli) == []
    assert not (cli.db / "actions").exists()


def test_bad_add_says_why_in_the_language_asked(cli, library):
    r = cli("actions", "add", "--org", ORG, "--item", unscored(library), "--what", "x")
    assert "不计分" in r.err
    r = cli("actions", "add", "--org", ORG, "--item", unscored(library), "--what", "x", "--lang", "en")
    assert "is not scored" in r.err
    r = cli("actions", "add", "--org", ORG, "--item", "activities.design:5.1.1", "--what", "x", "--due", "tomorrow")
    assert "“tomorrow”不是日期" in r.err


def test_session_must_exist_and_belong_to_the_organisation(cli):
    store = TinyStore(cli.db)
    other = completed(store, {"5.1.1": 2}, org="Acme")
    r = cli("actions", "add", "--org", ORG, "--item", "activities.design:5.1.1", "--what", "x", "--session", other.id)
    assert r.code == 2 and "Acme" in r.err
    assert stored(cli) == []
    mine = completed(store, {"5.1.1": 2})
    r = cli("actions", "add", "--org", ORG, "--item", "activities.design:5.1.1", "--what", "x", "--session", mine.id[:12])
    assert r.code == 0, r.err
    assert stored(cli)[0].session == mine.id, "a unique prefix is stored as the whole id"


def test_set_changes_the_action(cli):
    cli("actions", "add", "--org", ORG, "--item", "activities.design:5.1.1", "--what", "x", "--due", "2027-03-31")
    r = cli("actions", "set", "a1", "--org", ORG, "--status", "done", "--owner", "王芳", "--note", "已验收")
    assert r.code == 0, r.err
    assert "已更新行动 A1" in r.out
    [a] = stored(cli)
    assert (a.status, a.owner, a.note) == ("done", "王芳", "已验收") and a.done is not None
    assert cli("actions", "set", "A1", "--org", ORG, "--due", "").code == 0
    assert stored(cli)[0].due is None
    r = cli("actions", "set", "A1", "--org", ORG, "--owner", "王芳", "--lang", "en")
    assert r.code == 0 and "Action A1 is unchanged" in r.out


@pytest.mark.parametrize("args", [["A9", "--status", "done"], ["A1"], ["A1", "--status", "finished"],
                                  ["A1", "--due", "2027-02-30"], ["A1", "--what", " "]])
def test_bad_set_exits_2_and_changes_nothing(cli, args):
    cli("actions", "add", "--org", ORG, "--item", "activities.design:5.1.1", "--what", "x")
    raw = next((cli.db / "actions").glob("*.json")).read_bytes()
    r = cli("actions", "set", *args, "--org", ORG)
    assert r.code == 2, (r.out, r.err)
    assert next((cli.db / "actions").glob("*.json")).read_bytes() == raw


def test_list_fits_80_columns_in_both_languages_and_shows_user_text_as_text(cli):
    cli("actions", "add", "--org", ORG, "--item", "certification.management:6.2", "--item", "service:4.3",
        "--what", "[red]内审[/red] 覆盖全部部门，并把不符合项的整改纳入管理评审，每季度检查一次进展",
        "--owner", "质量管理办公室主任", "--due", "2027-03-31", "--note", "[i]y[/i]")
    cli("actions", "add", "--org", ORG, "--item", "activities.design:5.2.1", "--status", "dropped",
        "--what", "A very long English action text that goes on and on to see the table wrap in eighty columns")
    for lang, heading, counts in (("zh", "的行动计划", "共 2 项：未完成 1 项"), ("en", "Action plan of", "2 actions: 1 open")):
        r = cli("actions", "list", "--org", ORG, "--lang", lang)
        assert r.code == 0, r.err
        assert heading in r.out and counts in r.out
        assert max(cell_len(line) for line in r.out.splitlines()) <= 80
        assert "[red]内审[/red]" in r.out and "[i]y[/i]" in r.out
        assert "management:6.2" in r.out and "service:4.3" in r.out


def test_list_of_an_organisation_without_actions(cli):
    r = cli("actions", "list", "--org", "Nobody")
    assert r.code == 0 and "还没有行动计划" in r.out
    assert cli("actions", "list", "--org", "Nobody", "--format", "json").json()["actions"] == []


def test_list_json_shape_and_the_open_filter(cli):
    cli("actions", "add", "--org", ORG, "--item", "activities.design:5.1.1", "--what", "one")
    cli("actions", "add", "--org", ORG, "--item", "activities.design:5.1.2", "--what", "two", "--status", "done")
    doc = cli("actions", "list", "--org", ORG, "--format", "json").json()
    assert set(doc) == {"org", "counts", "latest_session", "actions"}
    assert doc["org"] == ORG
    assert doc["counts"] == {"total": 2, "open": 1, "planned": 1, "doing": 0, "done": 1, "dropped": 0}
    assert set(doc["actions"][0]) == {"id", "org", "items", "what", "owner", "due", "status", "note", "method",
                                      "session", "created", "updated", "done", "moves"}
    assert doc["actions"][0]["items"] == [{"bank": "activities.design", "id": "5.1.1"}]
    assert doc["actions"][0]["moves"] is None and doc["latest_session"] is None
    opened = cli("actions", "list", "--org", ORG, "--format", "json", "--open").json()
    assert [a["id"] for a in opened["actions"]] == ["A1"]
    assert [a["id"] for a in cli("actions", "list", "--org", ORG, "--format", "json", "--all").json()["actions"]] == ["A1", "A2"]


def test_list_shows_how_the_items_moved_since_the_planning_self_check(cli):
    store = TinyStore(cli.db)
    before = completed(store, {"5.1.1": 2, "5.1.2": 3})
    cli("actions", "add", "--org", ORG, "--item", "activities.design:5.1.1", "--item", "activities.design:5.1.2",
        "--item", "activities.design:5.1.3", "--what", "x", "--session", before.id)
    cli("actions", "add", "--org", ORG, "--item", "activities.design:5.1.1", "--what", "no session")
    doc = cli("actions", "list", "--org", ORG, "--format", "json").json()
    assert doc["actions"][0]["moves"] is None, "the planning self-check is still the latest: nothing moved yet"
    store.create_session(ORG, DESIGN, answers={"activities.design": {"5.1.1": Answer(level=5)}})  # in progress: not counted
    after = completed(store, {"5.1.1": 4, "5.1.2": 3})
    doc = cli("actions", "list", "--org", ORG, "--format", "json").json()
    assert doc["latest_session"] == after.id
    m = {x["item"]["id"]: x for x in doc["actions"][0]["moves"]}
    assert (m["5.1.1"]["before_level"], m["5.1.1"]["after_level"]) == (2, 4)
    assert m["5.1.1"]["delta"] > 0 and m["5.1.1"]["delta"] == pytest.approx(m["5.1.1"]["after_earned"] - m["5.1.1"]["before_earned"])
    assert (m["5.1.2"]["before_level"], m["5.1.2"]["after_level"], m["5.1.2"]["delta"]) == (3, 3, 0)
    assert (m["5.1.3"]["before_level"], m["5.1.3"]["after_level"]) == (None, None)  # unanswered both times
    assert doc["actions"][1]["moves"] is None
    text = cli("actions", "list", "--org", ORG).out
    assert "2→4 +" in text and after.id in text
    assert max(cell_len(line) for line in text.splitlines()) <= 80


def test_export_csv_has_a_bom_and_one_row_per_action(cli, tmp_path):
    cli("actions", "add", "--org", ORG, "--item", "activities.design:5.1.1", "--item", "service:4.3",
        "--what", "需求调研，含“引号”和逗号", "--owner", "质量办", "--due", "2027-03-31", "--note", "=HYPERLINK(\"x\")")
    cli("actions", "add", "--org", ORG, "--item", "activities.design:5.1.2", "--what", "second\nline", "--status", "done")
    out = tmp_path / "plan.csv"
    r = cli("actions", "export", "--org", ORG, "--format", "csv", "--out", str(out))
    assert r.code == 0, r.err
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["id", "status", "items", "what", "owner", "due", "note", "method", "session",
                       "created", "updated", "done"]
    assert len(rows) == 3
    first = dict(zip(rows[0], rows[1]))
    assert first["items"] == "activities.design:5.1.1 certification.service:4.3"
    assert first["what"] == "需求调研，含“引号”和逗号" and first["owner"] == "质量办" and first["due"] == "2027-03-31"
    assert first["note"] == "'=HYPERLINK(\"x\")", "a formula is written as text, not run by the spreadsheet"
    assert first["done"] == "" and first["status"] == "planned"
    second = dict(zip(rows[0], rows[2]))
    assert second["what"] == "second\nline" and second["done"] != ""
    printed = cli("actions", "list", "--org", ORG, "--format", "csv")
    assert printed.out.startswith("\ufeff") and printed.out.count("\r\n") == 3  # header and two rows
    assert raw.count(b"\r\n") == 3 and b"second\nline" in raw


def test_export_json_to_a_file(cli, tmp_path):
    cli("actions", "add", "--org", ORG, "--item", "activities.design:5.1.1", "--what", "x")
    out = tmp_path / "plan.json"
    assert cli("actions", "export", "--org", ORG, "--format", "json", "--out", str(out)).code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["org"] == ORG and [a["id"] for a in doc["actions"]] == ["A1"]


def test_damaged_plan_exits_1_naming_the_file(cli):
    cli("actions", "add", "--org", ORG, "--item", "activities.design:5.1.1", "--what", "x")
    path = next((cli.db / "actions").glob("*.json"))
    path.write_text("{", encoding="utf-8")
    for args in (["list"], ["add", "--item", "activities.design:5.1.1", "--what", "y"], ["set", "A1", "--status", "done"]):
        r = cli("actions", *args, "--org", ORG)
        assert r.code == 1 and path.name in r.err
    assert path.read_text(encoding="utf-8") == "{"


# -- kill -9 and two writers ---------------------------------------------------------------------

posix_only = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and fork semantics are POSIX")

# Adds an action, then sets it doing, then done, printing each step after the store returned.
PLANNER = crash.writer(["root", "org"], r"""
n = 0
while limit is None or n < limit:
    a = store.add_action(org, ["activities.design:5.1.1"], f"{tag}-{n}", note=f"{tag} {n}")
    print("add", a.id, f"{tag}-{n}", time.monotonic(), flush=True)
    for status in ("doing", "done"):
        store.update_action(org, a.id, status=status)
        print("set", a.id, status, time.monotonic(), flush=True)
    n += 1
""")

STEPS = ["planned", "doing", "done"]


@posix_only
def test_kill_9_while_planning_loses_no_acknowledged_action_or_status(store_location, tmp_path):
    seed = int(time.time()) if os.environ.get("SELFCHECK_SEED") == "random" else 20261201
    rng = random.Random(seed)
    root = store_location
    open_store(root).add_action(ORG, ["activities.design:5.1.1"], "before the kills")
    whats: dict[str, str] = {}
    statuses: dict[str, str] = {}
    out = tmp_path / "child.out"
    for round_ in range(15):
        lines = crash.kill_midway(out, rng, PLANNER, root, ORG, f"k{round_}")
        assert lines, "the child acknowledged nothing"
        for kind, aid, value, _ in lines:
            if kind == "add":
                whats[aid], statuses[aid] = value, "planned"
            else:
                statuses[aid] = value
        last = lines[-1][1]  # the one action a write after the last acknowledgement can have moved on

        if isinstance(root, Path):  # the folder store's plan file
            doc = json.loads(TinyStore(root)._actions_path(ORG).read_text(encoding="utf-8"))  # raises on a torn file
            assert doc["org"] == ORG
        kept = {a.id: a for a in open_store(root).list_actions(ORG)}
        missing = sorted(set(whats) - set(kept))
        assert not missing, f"after kill {round_ + 1}: acknowledged actions lost: {missing[:5]}"
        for aid, what in whats.items():
            assert kept[aid].what == what and kept[aid].note == what.replace("-", " ")
            acked, now = STEPS.index(statuses[aid]), STEPS.index(kept[aid].status)
            if aid == last:
                assert now in (acked, acked + 1), f"{aid}: acknowledged {statuses[aid]}, stored {kept[aid].status}"
            else:
                assert now == acked, f"{aid}: acknowledged {statuses[aid]}, stored {kept[aid].status}"
            assert (kept[aid].done is not None) == (kept[aid].status == "done")
        statuses[last] = kept[last].status  # a step written but not acknowledged is what the next round starts from
        numbers = sorted(int(a[1:]) for a in kept)
        assert numbers == list(range(1, len(numbers) + 1)), "ids are A1…An without gaps or repeats"
    assert len(whats) >= 15
    store = open_store(root)
    after = store.add_action(ORG, ["activities.design:5.1.1"], "after the kills")
    assert store.list_actions(ORG)[-1] == after
    for p in tmp_path.rglob(".*.tmp"):
        assert not p.name.endswith(".json")


@posix_only
def test_two_processes_planning_at_once_get_distinct_ids_and_lose_nothing(store_location, tmp_path):
    root = store_location
    open_store(root).add_action(ORG, ["activities.design:5.1.1"], "first")
    outs = crash.run_together([(PLANNER, (root, ORG, "a", 25)), (PLANNER, (root, ORG, "b", 25))], tmp_path)
    assert [len(o) for o in outs] == [75, 75]
    crash.assert_overlapped(tmp_path, "ab", outs)
    kept = {a.id: a for a in open_store(root).list_actions(ORG)}
    added = [(aid, what) for o in outs for kind, aid, what, _ in o if kind == "add"]
    assert len({aid for aid, _ in added}) == 50, "two actions got the same id"
    assert len(kept) == 51
    for aid, what in added:
        assert kept[aid].what == what and kept[aid].status == "done"


def test_every_status_can_be_stored(any_store):
    for s in STATUSES:
        assert any_store.add_action(ORG, ["activities.design:5.1.1"], s, status=s).status == s


def test_a_damaged_session_file_leaves_the_moves_out_with_a_warning(cli):
    store = TinyStore(cli.db)
    before = completed(store, {"5.1.1": 2})
    cli("actions", "add", "--org", ORG, "--item", "activities.design:5.1.1", "--what", "x", "--session", before.id)
    after = completed(store, {"5.1.1": 4})
    (cli.db / "s" / f"{after.id}.json").write_text("{", encoding="utf-8")
    r = cli("actions", "list", "--org", ORG, "--format", "json")
    assert r.code == 0 and "警告" in r.err and after.id in r.err
    assert r.json()["actions"][0]["moves"] is None
