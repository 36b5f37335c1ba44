"""The command line, in-process through assistant.cli.main and once as a real `selfcheck` subprocess."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.cli import main

from .conftest import Run

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "answers.json"
BANKS = ROOT / "question_banks"
SELFCHECK = Path(sys.executable).parent / "selfcheck"

RESULT_KEYS = {"session_id", "org", "rules_profile", "complete", "banks", "activities", "grade", "derivation", "suggestions",
               "checklists"}  # checklists: issue 15, beside SCORING §8's keys
BANK_RESULT_KEYS = {"id", "kind", "earned", "possible", "percent", "level", "unanswered", "not_applicable",
                    "sections", "items"}
SECTION_RESULT_KEYS = {"id", "earned", "possible", "percent"}
ITEM_RESULT_KEYS = {"id", "earned", "possible", "alpha", "level", "na"}
ACTIVITIES_KEYS = {"earned", "possible", "percent"}
GRADE_KEYS = {"outcome", "label", "service_score", "service_source", "management_level", "gate", "provisional",
              "conformity"}
SUGGESTION_KEYS = {"kind", "method", "bank", "area", "text", "addresses", "points_at_stake"}
SUMMARY_KEYS = {"session_id", "org", "respondent", "status", "created", "updated", "banks", "answered", "workshop"}
BANK_IDS = {
    "activities.design", "activities.realisation", "activities.effect", "activities.verification",
    "certification.service", "certification.management", "suggestions.appendix_a",
    "certification.conformity", "writing.service_standard", "writing.practice_to_standard",  # checklists (issue 15)
}
ZH_LABELS = {"五星级", "四星级", "三星级", "基本符合", "尚未达到"}
EN_LABELS = {"five-star", "four-star", "three-star", "meets basic requirements", "not yet"}


@pytest.fixture
def cli(capsys, tmp_path, monkeypatch):
    """Run `selfcheck ARGS…` in-process against a store under tmp_path."""
    db = tmp_path / "db"
    monkeypatch.delenv("SELFCHECK_DB", raising=False)
    monkeypatch.chdir(tmp_path)  # a forgotten --db would land here, never in the checkout

    def run(*args: str, db_arg: bool = True) -> Run:
        argv = list(args)
        if db_arg:
            argv += ["--db", str(db)]
        capsys.readouterr()
        try:
            code = main(argv)
        except SystemExit as e:  # argparse: --help, bad options
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 2)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    run.db = db
    return run


def answers_file(tmp_path: Path, data: dict | str, name: str = "answers.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def example() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def sessions(cli) -> list[dict]:
    r = cli("sessions", "list", "--format", "json")
    assert r.code == 0, r.err
    return r.json()


# -- run ---------------------------------------------------------------------------------------


def check_result_shape(data: dict) -> None:
    assert set(data) == RESULT_KEYS
    for b in data["banks"]:
        assert set(b) == BANK_RESULT_KEYS
        for s in b["sections"]:
            assert set(s) == SECTION_RESULT_KEYS
        for i in b["items"]:
            assert set(i) == ITEM_RESULT_KEYS
    assert data["activities"] is None or set(data["activities"]) == ACTIVITIES_KEYS
    assert set(data["grade"]) == GRADE_KEYS
    assert data["grade"]["provisional"] is True
    for s in data["suggestions"]:
        assert set(s) == SUGGESTION_KEYS


def test_run_json_stores_one_completed_session(cli, tmp_path):
    r = cli("run", "--answers", answers_file(tmp_path, example()), "--format", "json")
    assert r.code == 0, r.err
    data = r.json()
    check_result_shape(data)
    assert data["org"] == "湘潭市中心医院"
    assert data["rules_profile"] == "clause-text"
    assert data["complete"] is True
    assert [b["id"] for b in data["banks"]] == [
        "activities.design", "activities.realisation", "activities.effect", "activities.verification"]
    assert data["activities"]["possible"] == 100
    assert data["grade"]["service_source"] == "activities"
    assert data["grade"]["label"] in ZH_LABELS
    assert 1 <= len(data["suggestions"]) <= 5

    listed = sessions(cli)
    assert len(listed) == 1
    (s,) = listed
    assert SUMMARY_KEYS <= set(s)
    assert s["session_id"] == data["session_id"]
    assert s["status"] == "completed"
    assert s["org"] == "湘潭市中心医院"
    assert s["respondent"] == "质量办 张三"
    assert s["banks"] == [b["id"] for b in data["banks"]]
    assert s["answered"] == sum(len(v) for v in example()["answers"].values())
    assert s["workshop"] is None
    for key in ("created", "updated"):
        assert s[key][-6] in "+-" and s[key][-3] == ":", s[key]  # ISO 8601 with an offset

    report = cli("report", data["session_id"], "--format", "json")
    assert report.code == 0, report.err
    assert report.json() == data


def test_sessions_list_newest_first(cli, tmp_path):
    path = answers_file(tmp_path, example())
    first = cli("run", "--answers", path, "--format", "json").json()["session_id"]
    second_data = example() | {"org": "另一家医院"}
    second = cli("run", "--answers", answers_file(tmp_path, second_data, "b.json"), "--format", "json").json()
    listed = sessions(cli)
    assert [s["session_id"] for s in listed] == [second["session_id"], first]
    assert listed[0]["created"] >= listed[1]["created"]


def test_db_before_the_command(cli, tmp_path):
    argv = ["--db", str(cli.db), "run", "--answers", answers_file(tmp_path, example()), "--format", "json"]
    r = cli(*argv, db_arg=False)
    assert r.code == 0, r.err
    assert len(sessions(cli)) == 1


@pytest.mark.parametrize("fmt", ["md", "text"])
def test_run_md_and_text_show_the_grade_and_provisional(cli, tmp_path, fmt):
    r = cli("run", "--answers", answers_file(tmp_path, example()), "--format", fmt)
    assert r.code == 0, r.err
    grade = cli("report", sessions(cli)[0]["session_id"], "--format", "json").json()["grade"]
    assert grade["label"] in r.out
    assert "暂定" in r.out


@pytest.mark.parametrize("fmt", ["md", "text"])
def test_run_in_english(cli, tmp_path, fmt):
    r = cli("run", "--answers", answers_file(tmp_path, example()), "--format", fmt, "--lang", "en")
    assert r.code == 0, r.err
    assert "provisional" in r.out.lower()
    assert any(label in r.out.lower() for label in EN_LABELS)  # a headline is capitalised
    assert not any(label in r.out for label in ZH_LABELS)


def test_run_json_in_english(cli, tmp_path):
    r = cli("run", "--answers", answers_file(tmp_path, example()), "--format", "json", "--lang", "en")
    assert r.code == 0, r.err
    data = r.json()
    assert data["grade"]["label"] in EN_LABELS
    for s in data["suggestions"]:
        assert s["area"].isascii() and s["text"].isascii(), s


def test_run_out_writes_the_file(cli, tmp_path):
    out = tmp_path / "result.json"
    r = cli("run", "--answers", answers_file(tmp_path, example()), "--format", "json", "--out", str(out))
    assert r.code == 0, r.err
    assert r.out == ""
    data = json.loads(out.read_text(encoding="utf-8"))
    check_result_shape(data)
    assert data["session_id"] in r.err  # where it was stored is said on stderr


def test_run_out_markdown(cli, tmp_path):
    out = tmp_path / "result.md"
    r = cli("run", "--answers", answers_file(tmp_path, example()), "--format", "md", "--out", str(out))
    assert r.code == 0, r.err
    text = out.read_text(encoding="utf-8")
    assert "暂定" in text and any(label in text for label in ZH_LABELS)


def test_rules_table_rows(cli, tmp_path):
    path = answers_file(tmp_path, example())
    default = cli("run", "--answers", path, "--format", "json").json()
    table = cli("run", "--answers", path, "--format", "json", "--rules", "table-rows").json()
    assert default["rules_profile"] == "clause-text"
    assert table["rules_profile"] == "table-rows"
    # the example scores 70 on the activities: 'basic' under clause-text, three-star under table-rows
    assert default["grade"]["service_score"] == table["grade"]["service_score"] == 70
    assert default["grade"]["outcome"] == "basic"
    assert table["grade"]["outcome"] == "three-star"
    again = cli("report", table["session_id"], "--format", "json").json()
    assert again == table


def test_run_from_standard_input(cli, tmp_path, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(example(), ensure_ascii=False)))
    r = cli("run", "--answers", "-", "--format", "json")
    assert r.code == 0, r.err
    assert r.json()["org"] == "湘潭市中心医院"


# -- input errors: exit 2, one message naming the place, nothing stored ---------------------------------


def with_answer(bank: str, qid: str, value) -> dict:
    data = example()
    data["answers"].setdefault(bank, {})[qid] = value
    return data


BAD_INPUTS = {
    "malformed JSON": ('{"org": "x", "answers": {', ["第 1 行"]),
    "unknown bank": (lambda d: d["answers"].update({"activities.nope": {"1": 3}}) or d, ["activities.nope"]),
    "unknown question": (lambda d: d["answers"]["activities.design"].update({"5.9.9": 3}) or d,
                         ["activities.design", "5.9.9"]),
    "alpha outside its band": (lambda d: d["answers"]["activities.design"].update(
        {"5.1.1": {"level": 4, "alpha": 0.9}}) or d, ["activities.design", "5.1.1", "0.9"]),
    "N/A on a required management item": (lambda d: d["answers"].update(
        {"certification.management": {"1.1": {"na": "本院不涉及"}}}) or d, ["certification.management", "1.1"]),
    "follow-up of a closed gate": (lambda d: d["answers"]["activities.verification"].update({"D8.2-0": "no"}) or d,
                                   ["activities.verification", "D8.2-1"]),
    "missing org": (lambda d: d.pop("org") and d, ["org"]),
    "level out of range": (lambda d: d["answers"]["activities.design"].update({"5.1.2": 6}) or d,
                           ["activities.design", "5.1.2"]),
    "text on a likert question": (lambda d: d["answers"]["activities.design"].update({"5.1.2": "很好"}) or d,
                                  ["activities.design", "5.1.2"]),
    "the catalogue as a bank": (lambda d: d["answers"].update({"suggestions.appendix_a": {}}) or d,
                                ["suggestions.appendix_a"]),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
@pytest.mark.parametrize("fmt", ["json", "text"])
def test_bad_answers_exit_2_and_store_nothing(cli, tmp_path, case, fmt):
    make, places = BAD_INPUTS[case]
    content = make if isinstance(make, str) else json.dumps(make(example()), ensure_ascii=False)
    path = answers_file(tmp_path, content)
    r = cli("run", "--answers", path, "--format", fmt)
    assert r.code == 2, (r.code, r.out, r.err)
    assert r.out == ""
    lines = [line for line in r.err.splitlines() if line.strip()]
    assert len(lines) == 1, r.err
    assert path in lines[0]
    for place in places:
        assert place in lines[0], (place, lines[0])
    assert sessions(cli) == []
    assert not (cli.db / "s").exists() or not any((cli.db / "s").iterdir())


def test_missing_answers_file(cli, tmp_path):
    missing = str(tmp_path / "nope.json")
    r = cli("run", "--answers", missing)
    assert r.code == 2
    assert missing in r.err
    assert sessions(cli) == []


def test_gate_yes_with_follow_ups_is_fine(cli, tmp_path):
    """The example's gate is 'yes' with D8.2-1 and D8.2-2 answered; 'no' without them is fine too."""
    data = example()
    data["answers"]["activities.verification"]["D8.2-0"] = "no"
    del data["answers"]["activities.verification"]["D8.2-1"]
    del data["answers"]["activities.verification"]["D8.2-2"]
    r = cli("run", "--answers", answers_file(tmp_path, data), "--format", "json")
    assert r.code == 0, r.err
    items = {i["id"]: i for b in r.json()["banks"] for i in b["items"] if b["id"] == "activities.verification"}
    assert items["D8.2-1"]["earned"] == 0 and items["D8.2-2"]["earned"] == 0


# -- banks ------------------------------------------------------------------------------------------


def test_banks_list(cli):
    r = cli("banks", "list")
    assert r.code == 0, r.err
    for bank_id in BANK_IDS:
        assert bank_id in r.out


def test_banks_list_json(cli):
    r = cli("banks", "list", "--format", "json")
    assert r.code == 0, r.err
    rows = r.json()
    assert {row["id"] for row in rows} == BANK_IDS
    assert len(rows) == 10


def test_banks_show_design_json(cli):
    r = cli("banks", "show", "activities.design", "--format", "json")
    assert r.code == 0, r.err
    data = r.json()
    assert set(data) == {"id", "version", "kind", "title", "source", "sections", "aliases"}
    assert data["id"] == "activities.design" and data["kind"] == "likert"
    assert set(data["title"]) == {"zh", "en"}
    total = 0
    for s in data["sections"]:
        assert set(s) == {"id", "title", "questions"}
        assert set(s["title"]) == {"zh", "en"}
        for q in s["questions"]:
            # issue 15: also where it comes from and what the user reads
            assert set(q) == {"id", "clause", "kind", "max_points", "required", "methods",
                              "derived", "truncated", "refs", "text", "help"}
            assert q["kind"] in {"likert", "maturity", "text", "gate"}
            assert isinstance(q["max_points"], (int, float)) and not isinstance(q["max_points"], bool)
            total += q["max_points"]
    assert total == pytest.approx(30)
    assert [s["id"] for s in data["sections"]] == ["5.1", "5.2", "5.3"]


def test_banks_show_catalogue_json(cli, library):
    r = cli("banks", "show", "suggestions.appendix_a", "--format", "json")
    assert r.code == 0, r.err
    data = r.json()
    assert set(data) >= {"id", "version", "areas"}
    assert data["id"] == "suggestions.appendix_a"
    count = 0
    for a in data["areas"]:
        assert set(a) >= {"id", "title", "methods"}
        assert set(a["title"]) == {"zh", "en"}
        for m in a["methods"]:
            assert set(m) == {"id", "letter", "text"}
            assert m["id"] == f"{a['id']}.{m['letter']}"
            assert set(m["text"]) == {"zh", "en"}
            count += 1
    assert count == len(library.catalogue.methods)
    leadership = next(a for a in data["areas"] if a["id"] == "leadership")
    assert leadership["title"]["zh"] == "领导和管理"


@pytest.mark.parametrize("bank_id", sorted(BANK_IDS))
def test_banks_show_text(cli, bank_id):
    r = cli("banks", "show", bank_id)
    assert r.code == 0, r.err
    assert bank_id in r.out


def test_banks_show_unknown(cli):
    r = cli("banks", "show", "activities.nope", "--format", "json")
    assert r.code == 2
    assert "activities.nope" in r.err
    assert r.out == ""


def test_banks_validate_shipped(cli):
    r = cli("banks", "validate", str(BANKS))
    assert r.code == 0, r.err
    for bank_id in BANK_IDS:
        assert bank_id in r.out


def _broken_copy(tmp_path: Path, file: str, old: str, new: str) -> Path:
    folder = tmp_path / "banks"
    shutil.copytree(BANKS, folder)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


# (file, text replaced, replacement, question id the message must name)
BROKEN = {
    "negative max_points": ("activities_design.toml", 'id = "5.1.2"\nclause = "002 5.1.2"\nkind = "likert"\nmax_points = 3.5',
                            'id = "5.1.2"\nclause = "002 5.1.2"\nkind = "likert"\nmax_points = -1', "5.1.2"),
    "bogus kind": ("activities_design.toml", 'id = "5.2.3"\nclause = "002 5.2.3"\nkind = "likert"',
                   'id = "5.2.3"\nclause = "002 5.2.3"\nkind = "bogus"', "5.2.3"),
    "missing text.en": ("activities_effect.toml", None, None, "D7.1-2"),
    "unknown method": ("certification_service.toml", None, None, "2.2"),
}


def _apply_broken(tmp_path: Path, case: str) -> tuple[Path, str, str]:
    file, old, new, qid = BROKEN[case]
    if case == "missing text.en":
        text = (BANKS / file).read_text(encoding="utf-8")
        start = text.index('id = "D7.1-2"')
        line_start = text.index("\ntext = {", start) + 1
        line_end = text.index("\n", line_start)
        line = text[line_start:line_end]
        old, new = line, line[: line.index(", en = ")] + " }"
    elif case == "unknown method":
        text = (BANKS / file).read_text(encoding="utf-8")
        start = text.index('id = "2.2"')
        line_start = text.index("\nmethods = [", start) + 1
        line_end = text.index("\n", line_start)
        old, new = text[line_start:line_end], 'methods = ["leadership.z"]'
    folder = _broken_copy(tmp_path, file, old, new)
    return folder, file, qid


@pytest.mark.parametrize("case", list(BROKEN))
def test_banks_validate_broken_bank(cli, tmp_path, case):
    folder, file, qid = _apply_broken(tmp_path, case)
    r = cli("banks", "validate", str(folder))
    assert r.code == 2, (r.code, r.out, r.err)
    lines = [line for line in r.err.splitlines() if line.strip()]
    assert len(lines) == 1, r.err
    assert file in lines[0]
    assert f"题目 {qid}" in lines[0], lines[0]  # Chinese by default (issue 10: one language at a time)


def test_banks_validate_broken_bank_file_given_directly(cli, tmp_path):
    folder, file, qid = _apply_broken(tmp_path, "bogus kind")
    r = cli("banks", "validate", *sorted(str(p) for p in folder.glob("*.toml")))
    assert r.code == 2
    assert file in r.err and f"题目 {qid}" in r.err


def test_banks_validate_invalid_toml(cli, tmp_path):
    folder = _broken_copy(tmp_path, "activities_realisation.toml", 'id = "6.1.2"', 'id = "6.1.2\n')
    r = cli("banks", "validate", str(folder))
    assert r.code == 2, (r.code, r.out, r.err)
    lines = [line for line in r.err.splitlines() if line.strip()]
    assert len(lines) == 1, r.err
    assert "activities_realisation.toml" in lines[0]
    assert "TOML" in lines[0] and "line" in lines[0]


def test_banks_validate_points_that_do_not_add_up(cli, tmp_path):
    folder = _broken_copy(tmp_path, "activities_design.toml", "max_points = 4\n", "max_points = 5\n")
    r = cli("banks", "validate", str(folder))
    assert r.code == 2
    assert "activities_design.toml" in r.err


# -- report, help ------------------------------------------------------------------------------------


def test_report_nonexistent(cli, tmp_path):
    r = cli("report", "nonexistent", "--format", "json")
    assert r.code == 2
    assert "nonexistent" in r.err
    assert r.out == ""
    cli("run", "--answers", answers_file(tmp_path, example()), "--format", "json")
    r = cli("report", "nonexistent")
    assert r.code == 2
    assert "nonexistent" in r.err


def test_report_by_prefix_in_other_formats(cli, tmp_path):
    sid = cli("run", "--answers", answers_file(tmp_path, example()), "--format", "json").json()["session_id"]
    for fmt in ("md", "text"):
        r = cli("report", sid, "--format", fmt, "--lang", "en")
        assert r.code == 0, r.err
        assert "provisional" in r.out.lower()


def test_help(cli):
    r = cli("--help", db_arg=False)
    assert r.code == 0
    assert "selfcheck" in r.out
    for command in ("run", "banks", "sessions", "report"):
        assert command in r.out


@pytest.mark.parametrize("command", ["run", "banks", "sessions", "report"])
def test_subcommand_help(cli, command):
    r = cli(command, "--help", db_arg=False)
    assert r.code == 0
    assert r.out


# -- the real console script, and no Textual for headless commands -----------------------------------


def _subprocess(*argv: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(list(argv), capture_output=True, text=True, encoding="utf-8", timeout=60, **kw)


def test_selfcheck_console_script(tmp_path):
    assert SELFCHECK.exists(), SELFCHECK
    db = tmp_path / "db"
    p = _subprocess(str(SELFCHECK), "run", "--answers", str(EXAMPLE), "--format", "json", "--db", str(db),
                    cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    data = json.loads(p.stdout)
    check_result_shape(data)
    p2 = _subprocess(str(SELFCHECK), "sessions", "list", "--format", "json", "--db", str(db), cwd=tmp_path)
    assert p2.returncode == 0, p2.stderr
    assert [s["session_id"] for s in json.loads(p2.stdout)] == [data["session_id"]]
    p3 = _subprocess(str(SELFCHECK), "--help", cwd=tmp_path)
    assert p3.returncode == 0 and "selfcheck" in p3.stdout


def test_importing_the_cli_does_not_import_textual(tmp_path):
    p = _subprocess(sys.executable, "-c", "import assistant.cli, sys; print('textual' in sys.modules)", cwd=ROOT)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "False"


def test_a_full_run_does_not_import_textual(tmp_path):
    script = (
        "import sys\n"
        "from assistant.cli import main\n"
        "codes = [main(['run', '--answers', sys.argv[1], '--format', fmt, '--out', sys.argv[2] + fmt,\n"
        "               '--db', sys.argv[3]]) for fmt in ('json', 'md', 'text')]\n"
        "codes.append(main(['report', 'x-none', '--db', sys.argv[3]]))\n"
        "codes.append(main(['banks', 'show', 'activities.design', '--db', sys.argv[3]]))\n"
        "print(codes, file=sys.stderr)\n"
        "print(sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')), file=sys.stderr)\n"
        "sys.exit(0 if codes == [0, 0, 0, 2, 0] and 'textual' not in sys.modules else 3)\n"
    )
    p = _subprocess(sys.executable, "-c", script, str(EXAMPLE), str(tmp_path / "out."), str(tmp_path / "db"),
                    cwd=ROOT)
    assert p.returncode == 0, p.stderr
    assert (tmp_path / "out.json").exists() and (tmp_path / "out.md").exists() and (tmp_path / "out.text").exists()
