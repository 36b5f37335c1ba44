"""Bad input, property-based: mutated bank files, answers files and imported session files, and any
text typed into the chat. Whatever comes in, the program answers with its own error naming the file
(never another exception, never a traceback from the command line) and stores nothing after an error.

Each property runs a bounded number of examples (well under ~15 s each); the mutations start from the
shipped bank files, the example answers file and a real `selfcheck export` document.
"""

from __future__ import annotations

import atexit
import contextlib
import copy
import io
import json
import math
import shutil
import tempfile
import tomllib
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st

from assistant.cli import main
from assistant.domain.answers import Answer, Session
from assistant.domain.answers_file import (
    AnswersFile,
    AnswersFileError,
    parse_answers_file,
)
from assistant.domain.engine import Conversation, Outcome
from assistant.domain.exchange import ExchangeError, parse_document
from assistant.domain.loader import BankError, load_library, load_paths
from assistant.printable import printable
from assistant.store import TinyStore

ROOT = Path(__file__).resolve().parent.parent
BANKS_DIR = ROOT / "question_banks"
BANK_FILES = sorted(BANKS_DIR.glob("*.toml"))
EXAMPLE = ROOT / "examples" / "answers.json"
T0 = datetime(2026, 11, 21, 9, 0, tzinfo=timezone(timedelta(hours=8)))

FUZZ = settings(max_examples=800, deadline=None, derandomize=False,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.data_too_large])


def run_cli(*argv: str) -> tuple[int, str, str]:
    """`selfcheck ARGV` in-process. Any exception other than the exit codes escapes: a traceback."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def one_error_line(err: str) -> str:
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith(("selfcheck: error: ", "selfcheck：错误：")), lines[0]  # English, or Chinese by default
    return lines[0]


# -- documents as trees: paths, mutations ---------------------------------------------------------------


def tree_paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out += tree_paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += tree_paths(v, prefix + (i,))
    return out


def at(node: Any, path: tuple) -> Any:
    for part in path:
        node = node[part]
    return node


def put(doc: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    at(doc, path[:-1])[path[-1]] = value
    return doc


JSON_KEYS = ["level", "alpha", "na", "note", "choice", "text", "skipped", "org", "respondent", "answers", "role",
             "id", "banks", "status", "created", "updated", "position", "bank", "question", "schema", "format",
             "session", "lang", "rules_profile", "baseline", "workshop", "activities.design", "5.1.1", "D8.2-0"]
json_scalars = (
    st.none() | st.booleans() | st.integers(-(10**30), 10**30) | st.integers(-3, 7)
    | st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([0.5, 0.75, -0.1, 1.0000001, 1e-300])
    | st.text(max_size=12)
    | st.sampled_from(["yes", "no", "partly", "skip", "n/a", "4", "", " ", "2026-11-21T09:00:00+08:00",
                      "2026-13-45", "activities.design", "in_progress", "completed", "zh", "../x", "\u0000"])
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(JSON_KEYS) | st.text(max_size=6),
                                                                inner, max_size=4),
    max_leaves=8,
)


@st.composite
def mutated_json(draw, original: Any) -> Any:
    """`original` with one to three random edits: a value replaced, a key deleted, a key added."""
    doc = copy.deepcopy(original)
    for _ in range(draw(st.integers(1, 3))):
        paths = tree_paths(doc)
        path = draw(st.sampled_from(paths))
        target = at(doc, path)
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "delete" and path:
            parent = at(doc, path[:-1])
            del parent[path[-1]]
        elif action == "add" and isinstance(target, (dict, list)):
            value = draw(json_values)
            if isinstance(target, dict):
                target[draw(st.sampled_from(JSON_KEYS) | st.text(max_size=6))] = value
            else:
                target.append(value)
        else:
            doc = put(doc, path, draw(json_values))
    return doc


# -- bank files ------------------------------------------------------------------------------------------


def toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf") if math.isinf(v) else repr(v)
    if isinstance(v, str):
        return json.dumps(v)  # JSON's string escapes are TOML's (a lone surrogate \udxxx is refused by TOML)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(x)}" for k, x in v.items()) + "}"
    raise TypeError(type(v))


def toml_dumps(data: dict) -> str:
    """Every top-level key as `key = <inline value>`: plain TOML that tomllib reads back to `data`."""
    return "".join(f"{json.dumps(k)} = {toml_value(v)}\n" for k, v in data.items())


PARSED = {f.name: tomllib.loads(f.read_text(encoding="utf-8")) for f in BANK_FILES}

toml_values = st.recursive(
    st.booleans() | st.integers(-(10**6), 10**6) | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=10) | st.sampled_from(["", " ", "likert", "gate", "maturity", "text", "no", "4", "-4",
                                               "check", "checklist", "yes"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


@st.composite
def bank_mutation(draw) -> tuple[str, str, bytes]:
    """(file name, kind of mutation, the mutated bytes)."""
    name = draw(st.sampled_from(sorted(PARSED)))
    raw = (BANKS_DIR / name).read_bytes()
    kind = draw(st.sampled_from(["delete a key", "change a type", "negative number", "duplicated id",
                                 "random bytes", "truncation"]))
    if kind == "random bytes":
        i = draw(st.integers(0, len(raw)))
        junk = draw(st.binary(min_size=1, max_size=12))
        cut = draw(st.integers(0, 12))
        return name, kind, raw[:i] + junk + raw[i + cut:]
    if kind == "truncation":
        return name, kind, raw[: draw(st.integers(0, len(raw) - 1))]
    data = copy.deepcopy(PARSED[name])
    paths = [p for p in tree_paths(data) if p]
    if kind == "delete a key":
        path = draw(st.sampled_from([p for p in paths if isinstance(p[-1], str)]))
        del at(data, path[:-1])[path[-1]]
    elif kind == "change a type":
        path = draw(st.sampled_from(paths))
        value = draw(toml_values)
        assume(type(value) is not type(at(data, path)))
        put(data, path, value)
    elif kind == "negative number":
        numbers = [p for p in paths if type(at(data, p)) in (int, float)]
        assume(numbers)  # the catalogue has none
        path = draw(st.sampled_from(numbers))
        put(data, path, -abs(at(data, path)) - draw(st.sampled_from([0, 1, 0.5])))
    else:  # duplicated id: an element copied within its list, or a sibling's id copied onto it
        lists = [p for p in tree_paths(data) if isinstance(at(data, p), list) and len(at(data, p)) > 1
                 and all(isinstance(x, dict) and "id" in x for x in at(data, p))]
        items = at(data, draw(st.sampled_from(lists)))
        i, j = draw(st.sampled_from([(i, j) for i in range(len(items)) for j in range(len(items)) if i != j]))
        if draw(st.booleans()):
            items.insert(j, copy.deepcopy(items[i]))
        else:
            items[j]["id"] = items[i]["id"]
    return name, kind, toml_dumps(data).encode("utf-8")


# these always make the file invalid, whatever the draw: the loader must say so
ALWAYS_INVALID = {"duplicated id"}


@given(bank_mutation())
@settings(FUZZ, max_examples=300)
def test_mutated_bank_files_are_refused_naming_the_file(mutation):
    name, kind, raw = mutation
    note(f"{kind} in {name}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for f in BANK_FILES:
            shutil.copyfile(f, folder / f.name)
        target = folder / name
        target.write_bytes(raw)
        try:
            load_paths([folder])
        except BankError as e:
            assert str(target) in str(e), f"the error does not name {target}: {e}"
            refused = str(e)
        else:
            assert kind not in ALWAYS_INVALID, f"{kind} in {name} was accepted"
            refused = None
        code, out, err = run_cli("banks", "validate", str(folder))
        if refused is None:
            assert code == 0 and err == "", err
        else:
            assert code == 2 and out == ""
            assert str(target) in one_error_line(err)


def _shipped(name: str) -> dict:
    return copy.deepcopy(PARSED[name])


def _question(data: dict, qid: str) -> dict:
    return next(q for s in data["sections"] for q in s["questions"] if q["id"] == qid)


def _method(data: dict, mid: str) -> dict:
    return next(m for a in data["areas"] for m in a["methods"] if m["id"] == mid)


CERTAIN_FAULTS = {
    # delete a key that must be there
    "no id": ("activities_effect.toml", lambda d: d.pop("id")),
    "no sections": ("activities_design.toml", lambda d: d.pop("sections")),
    "question without text": ("certification_service.toml", lambda d: _question(d, "2.1").pop("text")),
    "scored question without methods": ("activities_effect.toml", lambda d: _question(d, "D7.1-2").pop("methods")),
    "scored question without next steps": ("certification_service.toml", lambda d: _question(d, "2.2").pop("next_steps")),
    "three next steps instead of four": ("certification_management.toml",
                                         lambda d: _question(d, "6.2")["next_steps"]["levels"].pop()),
    "next steps without their source": ("activities_design.toml", lambda d: _question(d, "5.1.1")["next_steps"].pop("source")),
    "an example for an unknown sector": ("activities_effect.toml",
                                         lambda d: _question(d, "D7.1-1")["help"]["examples"].update(bank={"zh": "x", "en": "x"})),
    "bank without its group": ("activities_effect.toml", lambda d: d.pop("group")),
    "bank without its group_total": ("activities_verification.toml", lambda d: d.pop("group_total")),
    "catalogue loses a method in use": ("suggestions_appendix_a.toml",
                                        lambda d: d["areas"][-1]["methods"].pop()),  # agreement.b
    # change a type
    "points as a list": ("activities_design.toml", lambda d: _question(d, "5.1.1").update(max_points=[4])),
    "title as a number": ("certification_management.toml", lambda d: d.update(title=7)),
    "kind unknown": ("activities_effect.toml", lambda d: _question(d, "D7.1-1").update(kind="stars")),
    "method letter as a number": ("suggestions_appendix_a.toml", lambda d: _method(d, "results.a").update(letter=1)),
    # a negative number
    "negative points": ("activities_realisation.toml", lambda d: _question(d, "6.1.1").update(max_points=-4)),
    "negative total": ("certification_service.toml", lambda d: d.update(total_points=-100)),
    "negative group_total": ("activities_effect.toml", lambda d: d.update(group_total=-100)),
    "other group_total": ("activities_verification.toml", lambda d: d.update(group_total=90)),
    "mistyped group": ("activities_effect.toml", lambda d: d.update(group="activites")),
    # a duplicated id
    "question id twice": ("activities_design.toml", lambda d: _question(d, "5.1.2").update(id="5.1.1")),
    "section id twice": ("activities_effect.toml", lambda d: d["sections"][1].update(id="7.1")),
    "area twice": ("suggestions_appendix_a.toml", lambda d: d["areas"].append(copy.deepcopy(d["areas"][0]))),
    "bank id of another file": ("activities_effect.toml", lambda d: d.update(id="activities.design")),
}


@pytest.mark.parametrize("case", CERTAIN_FAULTS, ids=list(CERTAIN_FAULTS))
def test_bank_file_faults_are_always_refused_naming_the_file(tmp_path, case):
    name, change = CERTAIN_FAULTS[case]
    for f in BANK_FILES:
        shutil.copyfile(f, tmp_path / f.name)
    data = _shipped(name)
    change(data)
    target = tmp_path / name
    target.write_text(toml_dumps(data), encoding="utf-8")
    with pytest.raises(BankError) as err:
        load_paths([tmp_path])
    assert str(target) in str(err.value), err.value
    code, out, errtext = run_cli("banks", "validate", str(tmp_path))
    assert code == 2 and str(target) in one_error_line(errtext)


def test_the_toml_writer_round_trips_every_shipped_file(tmp_path):
    """The mutations above go through toml_dumps: unchanged, it must give back a valid library."""
    for name, data in PARSED.items():
        (tmp_path / name).write_text(toml_dumps(data), encoding="utf-8")
        assert tomllib.loads((tmp_path / name).read_text(encoding="utf-8")) == data
    assert set(load_paths([tmp_path]).banks) == set(load_library().banks)


# -- answers files (`selfcheck run`) ------------------------------------------------------------------------

EXAMPLE_DOC = json.loads(EXAMPLE.read_text(encoding="utf-8"))


def _stored(db: Path) -> list[str]:
    folder = db / "s"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@given(mutated_json(EXAMPLE_DOC))
@FUZZ
def test_mutated_answers_files_are_refused_or_scored_never_crash(doc):
    library = load_library()
    text = json.dumps(doc, ensure_ascii=False)  # NaN and Infinity too, as Python's json reads them
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "answers.json"
        path.write_text(text, encoding="utf-8")
        try:
            parsed = parse_answers_file(text, library, str(path))
        except AnswersFileError as e:
            assert str(path) in str(e)
            parsed = None
        else:
            assert isinstance(parsed, AnswersFile)
        db = Path(tmp) / "db"
        code, out, err = run_cli("run", "--answers", str(path), "--format", "json", "--db", str(db))
        if parsed is None:
            assert code == 2, (code, err)
            assert str(path) in one_error_line(err)
            assert out == "" and _stored(db) == []  # nothing stored after an error
            assert TinyStore(db).list_sessions() == []
        else:
            assert code == 0, (code, err)
            [stored] = _stored(db)
            result = json.loads(out)
            assert f"{result['session_id']}.json" == stored


ODD_ANSWERS = {
    "empty": "", "an array": "[]", "null": "null", "NaN": "NaN", "cut": "{",
    "alpha NaN": '{"org": "x", "answers": {"activities.design": {"5.1.1": {"level": 3, "alpha": NaN}}}}',
    "alpha Infinity": '{"org": "x", "answers": {"activities.design": {"5.1.1": {"level": 3, "alpha": Infinity}}}}',
    "nested 5000 deep": "[" * 5000 + "]" * 5000,
    "a 5000-digit level": '{"org": "x", "answers": {"activities.design": {"5.1.1": ' + "9" * 5000 + "}}}",
}


@pytest.mark.parametrize("text", ODD_ANSWERS.values(), ids=ODD_ANSWERS.keys())
def test_odd_answers_files_are_refused(tmp_path, text):
    path = tmp_path / "answers.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AnswersFileError, match=str(path).replace("\\", "\\\\")):
        parse_answers_file(text, load_library(), str(path))
    code, out, err = run_cli("run", "--answers", str(path), "--db", str(tmp_path / "db"))
    assert code == 2 and str(path) in one_error_line(err) and _stored(tmp_path / "db") == []


# -- imported session files (`selfcheck import`) --------------------------------------------------------------


def _exported() -> dict:
    """A real `selfcheck export` document: every kind of answer, a note, a position, a workshop."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "db"
        store = TinyStore(db)
        library = load_library()
        banks = ["activities.verification", "certification.management"]
        s = store.create_session("湘潭市中心医院", {b: library.bank(b).version for b in banks}, "张三", role="staff")
        for qid, answer in [("D8.1-1", Answer(level=4, alpha=Decimal("0.7"), note="有记录")),
                            ("D8.1-2", Answer(na="本院不涉及")), ("D8.1-3", Answer(skipped=True)),
                            ("D8.2-0", Answer(choice="yes")), ("D8.2-1", Answer(level=2)),
                            ("8.evidence", Answer(text="内审报告"))]:
            store.record_answer(s.id, "activities.verification", qid, answer)
        store.record_answer(s.id, "certification.management", "1.1", Answer(level=3))
        code, out, err = run_cli("export", s.id, "--out", str(Path(tmp) / "s.json"), "--db", str(db))
        assert code == 0, err
        return json.loads((Path(tmp) / "s.json").read_text(encoding="utf-8"))


EXPORTED = _exported()


@given(mutated_json(EXPORTED))
@FUZZ
def test_mutated_session_files_are_refused_or_imported_never_crash(doc):
    library = load_library()
    text = json.dumps(doc, ensure_ascii=False)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "session.json"
        path.write_text(text, encoding="utf-8")
        try:
            session = parse_document(text, library, str(path))
        except ExchangeError as e:
            assert str(path) in str(e)
            session = None
        db = Path(tmp) / "db"
        code, out, err = run_cli("import", str(path), "--db", str(db))
        if session is None:
            assert code == 2, (code, out, err)
            assert str(path) in one_error_line(err)
            assert _stored(db) == [] and TinyStore(db).list_sessions() == []  # nothing stored
        else:
            assert code == 0, (code, err)
            assert _stored(db) == [f"{session.id}.json"]
            # without --workshop an imported session joins no workshop, whatever its file says (issue 11, 5)
            assert TinyStore(db).get_session(session.id) == session.model_copy(update={"workshop": None})
            # what was imported can be used: its report is made
            code, out, err = run_cli("report", session.id, "--format", "json", "--db", str(db))
            assert code == 0, (code, err)


def test_control_characters_from_a_file_stay_on_one_escaped_line(tmp_path):
    """A key of the answers file is quoted in the error; its newline or escape sequence must not break
    the one-line message or reach the terminal."""
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"org": "x", "answers": {"\r\n\x1b[2J\x1b]0;title\x07": {}}}), encoding="utf-8")
    code, out, err = run_cli("run", "--answers", str(path), "--db", str(tmp_path / "db"))
    line = one_error_line(err)
    assert code == 2 and str(path) in line
    assert "\x1b" not in err and "\r" not in err and "␛[2J" in line


def test_the_unchanged_export_imports(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps(EXPORTED, ensure_ascii=False), encoding="utf-8")
    code, out, err = run_cli("import", str(path), "--db", str(tmp_path / "db"))
    assert code == 0 and out.startswith("added"), err


BAD_IDS = {"empty": "", "dot": ".", "dotdot": "..", "slash": "a/b", "backslash": "a\\b", "300 long": "x" * 300,
           "NUL": "a\x00b", "star": "*", "space": " ", "dash": "-", "newline": "20261121-abcdef\n",
           "glob": "2026*"}


@pytest.mark.parametrize("sid", BAD_IDS.values(), ids=BAD_IDS.keys())
def test_imported_session_with_an_unusable_id_is_refused(tmp_path, sid):
    doc = copy.deepcopy(EXPORTED)
    doc["session"]["id"] = sid
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(ExchangeError, match="session id"):
        parse_document(path.read_text(encoding="utf-8"), load_library(), str(path))
    code, out, err = run_cli("import", str(path), "--db", str(tmp_path / "db"))
    assert code == 2 and str(path) in one_error_line(err)
    assert _stored(tmp_path / "db") == []


# -- the store's index ----------------------------------------------------------------------------------------


def _indexed_store() -> tuple[Path, dict[str, set[str]]]:
    """A store of five sessions of two organisations whose index has files, logs and index.json."""
    folder = Path(tempfile.mkdtemp(prefix="selfcheck-fuzz-index-"))
    atexit.register(shutil.rmtree, folder, True)
    root = folder / "db"
    store = TinyStore(root)
    made = [store.create_session(org, {"activities.design": "2026.1"}, status=status,
                                 answers={"activities.design": {"5.1.1": Answer(level=3)}})
            for org, status in [("湘潭市中心医院", "completed"), ("Acme", "in_progress"), ("Acme", "completed")]]
    store.reindex()  # the organisations' .json files
    made += [store.create_session("Acme", {"activities.design": "2026.1"}, status="completed"),
             store.create_session("湘潭市中心医院", {"activities.design": "2026.1"})]  # and their logs
    store.set_workshop(made[0].id, "培训班", "staff")
    by_org: dict[str, set[str]] = {}
    for s in made:
        by_org.setdefault(s.org, set()).add(s.id)
    return root, by_org


INDEXED, INDEXED_ORGS = _indexed_store()
INDEX_FILES = sorted(str(p.relative_to(INDEXED)) for p in [INDEXED / "index.json", *(INDEXED / "index").iterdir()])


@st.composite
def index_mutation(draw) -> tuple[str, bytes]:
    """(an index file, its mutated bytes): a JSON document mutated, a log line mutated, or bytes cut."""
    name = draw(st.sampled_from(INDEX_FILES))
    raw = (INDEXED / name).read_bytes()
    how = draw(st.sampled_from(["json", "json", "cut", "bytes"]))
    if how == "cut":
        return name, raw[: draw(st.integers(0, len(raw) - 1))]
    if how == "bytes":
        i = draw(st.integers(0, len(raw)))
        return name, raw[:i] + draw(st.binary(min_size=1, max_size=8)) + raw[i + draw(st.integers(0, 8)):]
    if name.endswith(".log"):
        lines = raw.decode("utf-8").splitlines()
        i = draw(st.integers(0, len(lines) - 1))
        lines[i] = json.dumps(draw(mutated_json(json.loads(lines[i]))), ensure_ascii=False)
        return name, ("\n".join(lines) + "\n").encode("utf-8")
    return name, json.dumps(draw(mutated_json(json.loads(raw))), ensure_ascii=False).encode("utf-8")


@given(index_mutation())
@settings(FUZZ, max_examples=400)
def test_mutated_index_files_never_hide_a_session_nor_crash_a_listing(mutation):
    """The session files are the truth: whatever an index file holds, every listing works, the full
    listing names exactly the stored sessions and a listing of one organisation exactly its own, and
    what was in doubt was repaired (the next listing finds nothing to say)."""
    name, raw = mutation
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "db"
        shutil.copytree(INDEXED, root)
        (root / name).write_bytes(raw)
        store = TinyStore(root)
        assert {s.session_id for s in store.list_sessions()} == set().union(*INDEXED_ORGS.values())
        for org, ids in INDEXED_ORGS.items():
            listed = TinyStore(root).list_sessions(org=org)
            assert {s.org for s in listed} <= {org}
            assert {s.session_id for s in listed} == ids
        again = TinyStore(root)
        assert {s.session_id for s in again.list_sessions()} == set().union(*INDEXED_ORGS.values())
        assert again.problems == []
        code, out, err = run_cli("sessions", "list", "--format", "json", "--db", str(root))
        assert code == 0 and "Traceback" not in err


# -- typed chat replies -------------------------------------------------------------------------------------

MARKUP = ["[bold]", "[/]", "[@click=app.quit]x[/]", "[b]粗[/b]", "[link=https://example.com]x[/link]",
          "[red on blue]", ":thumbs_up:", "\\[escaped]", "[/bold][", "$x", "{error}", "{0}", "%s"]
CONTROL = ["\x1b[2J", "\x1b[31m", "\x00", "\r", "\n", "\t", "\x07", "\x08", "\u202e", "\u200b", "\ufeff",
           "\x7f", "\x9b", "\u2028"]
WORDS = ["4", "2", "1", "5", "0.7", "level 3", "高于预期", "不适用 因为没有", "n/a 本院不涉及", "n/a", "skip", "back",
         "/why", "help", "yes", "no", "partly", "next", "keep", "", " ", "ok"]
surrogates = st.integers(0xD800, 0xDFFF).map(chr)
any_char = st.characters(codec=None) | surrogates | st.sampled_from([c for c in CONTROL if len(c) == 1])
replies = (st.text(any_char, max_size=30) | st.sampled_from(MARKUP + CONTROL + WORDS)
           | st.lists(st.sampled_from(MARKUP + CONTROL + WORDS) | st.text(any_char, max_size=4), max_size=4)
           .map("".join))

def read_back(answer: Answer) -> Answer:
    """The answer as the store gives it back: a lone surrogate is kept (escaped in the file), but two
    that make a UTF-16 pair read back as the one character they encode (JSON cannot tell them apart)."""
    def fix(text):
        return None if text is None else text.encode("utf-16", "surrogatepass").decode("utf-16", "surrogatepass")
    return answer.model_copy(update={k: fix(getattr(answer, k)) for k in ("text", "note", "na")})


CHAT_BANKS = ["activities.verification", "certification.management", "activities.effect"]


@given(st.lists(replies, min_size=1, max_size=25), st.sampled_from(["zh", "en"]))
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_typed_replies_never_crash_the_conversation_and_are_stored_as_typed(texts, lang):
    from assistant.tui.turns import render  # what the chat shows, without an app

    library = load_library()
    session = Session(id="20261121-abcdef", org="测试医院", banks={b: library.bank(b).version for b in CHAT_BANKS},
                      created=T0, updated=T0, lang=lang)
    conversation = Conversation(library, session)
    with tempfile.TemporaryDirectory() as tmp:
        store = TinyStore(Path(tmp))
        stored = store.create_session("测试医院", session.banks, lang=lang)
        expected: dict[str, dict[str, Answer]] = {}
        for text in texts:
            outcome = conversation.reply(text)
            assert isinstance(outcome, Outcome)
            for turn in outcome.turns:
                render(turn, lang)
            for save in outcome.saves:
                store.record_answer(stored.id, save.bank, save.question, save.answer, outcome.position)
                expected.setdefault(save.bank, {})[save.question] = save.answer
        # what was typed is stored as typed (any Unicode, lone surrogates too) and reads back the same
        assert TinyStore(Path(tmp)).get_session(stored.id).answers == {
            bank: {qid: read_back(a) for qid, a in per.items()} for bank, per in expected.items()}
        for per_bank in expected.values():
            for answer in per_bank.values():
                for typed in (answer.text, answer.note, answer.na):
                    if typed is not None:
                        assert any(typed in t for t in texts), typed
        assert not list(Path(tmp).rglob("*.tmp"))


LITERAL = ["[bold]粗体[/bold]", "[/]", "[@click=app.quit]x[/]", "[red]红[/red] [link=https://example.com]l[/link]",
           "\\[not markup]", ":thumbs_up: $x {error}"]
ESCAPES = ["before\x1b[2Jafter", "nul\x00here", "car\rriage", "\u202eright-to-left", "bell\x07"]


async def test_the_chat_shows_typed_markup_and_escapes_literally(tmp_path, library):
    from assistant.tui.app import SelfcheckApp
    from assistant.tui.screens.chat import ChatScreen
    from assistant.tui.widgets.transcript import Bubble

    store = TinyStore(tmp_path / "db")
    session = store.create_session("测试医院", {"activities.effect": "2026.1"}, "张三")
    app = SelfcheckApp(store, library, "en", chat=session.id)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        reply = app.screen.query_one("#reply")

        async def type_line(text: str) -> Bubble:
            before = len(app.screen.query(Bubble))
            reply.value = text
            await pilot.press("enter")
            await pilot.pause()
            assert app.is_running and isinstance(app.screen, ChatScreen)
            bubbles = list(app.screen.query(Bubble))
            assert len(bubbles) > before
            [mine] = [b for b in bubbles[before:] if b.has_class("user")]
            return mine

        for text in LITERAL:  # at a Likert question: not understood, but echoed as typed
            bubble = await type_line(text)
            shown = bubble.render()
            assert str(shown) == text, (str(shown), text)
            assert not getattr(shown, "spans", None), f"{text!r} was rendered with styles: {shown.spans}"
        for text in ESCAPES:
            bubble = await type_line(text)
            # control characters are shown as visible escapes (␛, ␀, ␍, \u202e), never sent raw
            shown = str(bubble.render())
            assert shown == printable(text), (shown, text)
        # the app keeps working: the next answer is taken and stored
        await pilot.press("4")
        await pilot.pause()
        assert app.is_running
    assert store.get_session(session.id).answers["activities.effect"]["D7.1-1"] == Answer(level=4)


async def test_typed_escape_sequences_do_not_reach_the_terminal(tmp_path, library):
    from assistant.tui.app import SelfcheckApp

    store = TinyStore(tmp_path / "db")
    session = store.create_session("测试医院", {"activities.effect": "2026.1"}, "张三")
    app = SelfcheckApp(store, library, "en", chat=session.id)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        for text in ESCAPES:
            app.screen.query_one("#reply").value = text
            await pilot.press("enter")
            await pilot.pause()
        assert app.is_running
        # what Textual would write to the terminal for the whole screen
        terminal = app.screen._compositor.render_update(full=True).render_segments(app.console)
    for raw in ("before\x1b[2Jafter", "\x00", "\u202e"):
        assert raw not in terminal, f"{raw!r} was sent to the terminal as is"
