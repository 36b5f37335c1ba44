"""Issue 11, "Imports and text": what an imported or answers file may do (points 5–7, 9) and what
reaches a terminal, a Markdown or HTML file or a JSON reader (point 8)."""

from __future__ import annotations

import contextlib
import copy
import io
import json
import sys
import time
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.domain.answers import LIMITS, MAX_FILE_BYTES
from assistant.printable import UNSAFE, printable
from assistant.store import TinyStore

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = json.loads((ROOT / "examples" / "answers.json").read_text(encoding="utf-8"))


def run_cli(*argv: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    """`selfcheck ARGV` in-process, standard output a real UTF-8 stream (a lone surrogate cannot be
    written to it, as on a terminal) and standard error a text buffer."""
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8", newline="")
    err = io.StringIO()
    old_in = sys.stdin
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(argv))
        out.flush()
    finally:
        sys.stdin = old_in
    return code, raw.getvalue().decode("utf-8"), err.getvalue()


def error_line(err: str) -> str:
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]


def stored(db: Path) -> list[str]:
    folder = db / "s"
    return sorted(p.name for p in folder.glob("*.json")) if folder.exists() else []


def write(path: Path, doc) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def exported(tmp_path: Path, **session) -> dict:
    """A `selfcheck export` document of a session scored from the example answers, with `session`'s
    fields changed as a hand-edited file would have them."""
    db = tmp_path / "export-db"
    code, out, err = run_cli("run", "--answers", str(write(tmp_path / "a.json", EXAMPLE)), "--format", "json",
                             "--db", str(db), "--lang", "en")
    assert code == 0, err
    sid = json.loads(out)["session_id"]
    code, _, err = run_cli("export", sid, "--out", str(tmp_path / "e.json"), "--db", str(db))
    assert code == 0, err
    doc = json.loads((tmp_path / "e.json").read_text(encoding="utf-8"))
    doc["session"].update(session)
    return doc


# -- 5. an imported file joins a workshop only when the facilitator names it ------------------------------


def test_import_without_workshop_does_not_join_the_files_workshop(tmp_path):
    db = tmp_path / "db"
    store = TinyStore(db)
    store.create_workshop("培训班", "另一家医院")  # another organisation's workshop of the same name
    doc = exported(tmp_path, workshop="培训班", role="护士长")
    code, out, err = run_cli("import", str(write(tmp_path / "s.json", doc)), "--db", str(db), "--lang", "en")
    assert code == 0, err
    session = TinyStore(db).get_session(doc["session"]["id"])
    assert session.workshop is None and session.role == "护士长"  # the participant's word on their role stays
    assert TinyStore(db).sessions(workshop="培训班") == []


def test_import_into_a_named_workshop_keeps_the_role_and_a_reimport_keeps_the_membership(tmp_path):
    db = tmp_path / "db"
    TinyStore(db).create_workshop("培训班", EXAMPLE["org"])
    doc = exported(tmp_path, workshop="别的研讨会", role="护士长")
    path = write(tmp_path / "s.json", doc)
    code, out, err = run_cli("import", str(path), "--workshop", "培训班", "--db", str(db), "--lang", "en")
    assert code == 0, err
    session = TinyStore(db).get_session(doc["session"]["id"])
    assert (session.workshop, session.role) == ("培训班", "护士长")
    code, out, err = run_cli("import", str(path), "--db", str(db), "--lang", "en")  # the same file again
    assert code == 0 and out.startswith("unchanged"), (out, err)
    assert TinyStore(db).get_session(doc["session"]["id"]).workshop == "培训班"


# -- 6. a lone surrogate is refused at the door; what is stored already is listed ---------------------------


@pytest.mark.parametrize("where", ["org", "respondent", "note", "text", "key"])
def test_a_lone_surrogate_in_an_answers_file_is_refused(tmp_path, where):
    doc = copy.deepcopy(EXAMPLE)
    if where in ("org", "respondent"):
        doc[where] = "质量\ud800办"
    elif where == "note":
        doc["answers"]["activities.design"]["5.1.1"]["note"] = "记录\udfff"
    elif where == "text":
        doc["answers"]["activities.design"]["5.evidence"] = "手册\ud83d"
    else:
        doc["answers"]["activities.design"]["5.1.\udc00"] = 3
    path = tmp_path / "a.json"
    path.write_text(json.dumps(doc), encoding="utf-8")  # ASCII: the surrogate as a \ud800 escape
    for lang in ("en", "zh"):
        code, out, err = run_cli("run", "--answers", str(path), "--db", str(tmp_path / "db"), "--lang", lang)
        line = error_line(err)
        assert code == 2 and str(path) in line and out == ""
        assert ("surrogate" if lang == "en" else "代理") in line, line
    assert stored(tmp_path / "db") == []


def test_a_lone_surrogate_in_an_imported_file_is_refused(tmp_path):
    doc = exported(tmp_path, org="医院\ud800")
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    code, out, err = run_cli("import", str(path), "--db", str(tmp_path / "db"), "--lang", "en")
    assert code == 2 and "surrogate" in error_line(err) and stored(tmp_path / "db") == []


def test_a_stored_lone_surrogate_does_not_break_the_listing(tmp_path):
    db = tmp_path / "db"
    store = TinyStore(db)
    store.create_session("坏\ud800名", {"activities.design": "1"}, "人\udfff")
    store.create_session("好医院", {"activities.design": "1"}, "张三")
    for fmt in ("text", "json"):
        code, out, err = run_cli("sessions", "list", "--format", fmt, "--db", str(db), "--lang", "en")
        assert code == 0 and "Traceback" not in err, err
        assert "好医院" in out and "\\ud800" in out
        if fmt == "json":
            assert {row["org"] for row in json.loads(out)} == {"坏\ud800名", "好医院"}


# -- 7. limits on names, notes, texts and files -------------------------------------------------------------


def _too_long(field: str) -> dict:
    doc = copy.deepcopy(EXAMPLE)
    n = LIMITS[field] + 1
    if field in ("org", "respondent"):
        doc[field] = "名" * n
    elif field == "note":
        doc["answers"]["activities.design"]["5.1.1"]["note"] = "记" * n
    elif field == "na":
        doc["answers"]["certification.service"] = {"1.1": {"na": "因" * n}}
    elif field == "text":
        doc["answers"]["activities.design"]["5.evidence"] = "文" * n
    return doc


@pytest.mark.parametrize("field", ["org", "respondent", "note", "na", "text"])
def test_too_long_text_in_an_answers_file_is_refused(tmp_path, field):
    path = write(tmp_path / "a.json", _too_long(field))
    code, out, err = run_cli("run", "--answers", str(path), "--db", str(tmp_path / "db"), "--lang", "en")
    line = error_line(err)
    assert code == 2 and str(path) in line and f"at most {LIMITS[field]}" in line, line
    code, out, err = run_cli("run", "--answers", str(path), "--db", str(tmp_path / "db"), "--lang", "zh")
    assert code == 2 and f"最多 {LIMITS[field]}" in error_line(err)
    assert stored(tmp_path / "db") == []


def test_text_at_the_limit_is_accepted(tmp_path):
    doc = copy.deepcopy(EXAMPLE)
    doc["org"] = "名" * LIMITS["org"]
    doc["answers"]["activities.design"]["5.1.1"]["note"] = "记" * LIMITS["note"]
    code, out, err = run_cli("run", "--answers", str(write(tmp_path / "a.json", doc)), "--format", "json",
                             "--db", str(tmp_path / "db"), "--lang", "en")
    assert code == 0, err


@pytest.mark.parametrize("field", ["org", "respondent", "role", "workshop", "note"])
def test_too_long_text_in_an_imported_file_is_refused(tmp_path, field):
    doc = exported(tmp_path)
    if field == "note":
        doc["session"]["answers"]["activities.design"]["5.1.1"]["note"] = "记" * (LIMITS["note"] + 1)
    else:
        doc["session"][field] = "名" * (LIMITS[field] + 1)
    path = write(tmp_path / "s.json", doc)
    code, out, err = run_cli("import", str(path), "--db", str(tmp_path / "db"), "--lang", "en")
    line = error_line(err)
    assert code == 2 and str(path) in line and f"at most {LIMITS[field]}" in line, line
    assert stored(tmp_path / "db") == []


def test_an_answers_file_over_the_size_limit_is_refused_before_it_is_read_whole(tmp_path):
    path = tmp_path / "big.json"
    with path.open("wb") as f:
        f.write(b'{"org": "x", "answers": {}, "respondent": "')
        f.truncate(MAX_FILE_BYTES + 10)
    for command in (("run", "--answers", str(path)), ("import", str(path))):
        code, out, err = run_cli(*command, "--db", str(tmp_path / "db"), "--lang", "en")
        line = error_line(err)
        assert code == 2 and str(path) in line and "larger than" in line, line
    assert stored(tmp_path / "db") == []


def test_dev_zero_as_an_answers_file_fails_fast(tmp_path):
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    start = time.monotonic()
    code, out, err = run_cli("run", "--answers", "/dev/zero", "--db", str(tmp_path / "db"), "--lang", "zh")
    assert code == 2 and "/dev/zero" in error_line(err)
    assert time.monotonic() - start < 10
    assert stored(tmp_path / "db") == []


def test_standard_input_over_the_size_limit_is_refused(tmp_path):
    code, out, err = run_cli("run", "--answers", "-", "--db", str(tmp_path / "db"), "--lang", "en",
                             stdin=b" " * (MAX_FILE_BYTES + 1))
    assert code == 2 and "larger than" in error_line(err)


# -- 9. a byte-order mark is accepted; a key given twice is an error naming it ------------------------------


def test_an_answers_file_with_a_bom_is_accepted(tmp_path):
    path = tmp_path / "a.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(EXAMPLE, ensure_ascii=False).encode("utf-8"))
    code, out, err = run_cli("run", "--answers", str(path), "--format", "json", "--db", str(tmp_path / "db"))
    assert code == 0, err


def test_a_session_file_with_a_bom_is_imported(tmp_path):
    path = tmp_path / "s.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(exported(tmp_path), ensure_ascii=False).encode("utf-8"))
    code, out, err = run_cli("import", str(path), "--db", str(tmp_path / "db"), "--lang", "en")
    assert code == 0 and out.startswith("added"), err


@pytest.mark.parametrize("key", ["org", "5.1.2", "activities.design"])
def test_a_key_given_twice_is_an_error_naming_it(tmp_path, key):
    text = json.dumps(EXAMPLE, ensure_ascii=False)
    if key == "org":
        text = text.replace('"org": ', '"org": "第二个", "org": ', 1)
    elif key == "5.1.2":
        text = text.replace('"5.1.2": 3', '"5.1.2": 3, "5.1.2": 4', 1)
    else:
        text = text.replace('"answers": {', '"answers": {"activities.design": {}, ', 1)
    path = tmp_path / "a.json"
    path.write_text(text, encoding="utf-8")
    for lang, word in (("en", "twice"), ("zh", "重复")):
        code, out, err = run_cli("run", "--answers", str(path), "--db", str(tmp_path / "db"), "--lang", lang)
        line = error_line(err)
        assert code == 2 and word in line and repr(key) in line, line
    assert stored(tmp_path / "db") == []


def test_a_key_given_twice_in_an_imported_file_is_an_error(tmp_path):
    text = json.dumps(exported(tmp_path), ensure_ascii=False).replace('"respondent": ', '"respondent": "x", "respondent": ', 1)
    path = tmp_path / "s.json"
    path.write_text(text, encoding="utf-8")
    code, out, err = run_cli("import", str(path), "--db", str(tmp_path / "db"), "--lang", "en")
    assert code == 2 and "'respondent'" in error_line(err) and stored(tmp_path / "db") == []


# -- 8. control and bidi-override characters never reach the output -----------------------------------------

EVIL = "\x1b[2J\x1b]0;t\x07\u202eA\u009b31m\u2066B\u200fC\u061c\u202aD\u2069\x7f\x85\r"
DANGEROUS = [chr(c) for c in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F),
                              *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C]]


def test_printable_escapes_every_dangerous_character_and_keeps_the_rest():
    for c in DANGEROUS:
        assert UNSAFE(c), hex(ord(c))
        assert c not in printable(c, newlines=False)
    assert printable("a\nb\tc") == "a\nb\tc"
    assert printable("湘潭 — “Acme” é") == "湘潭 — “Acme” é"
    assert printable("\ud800") == "\\ud800"


@pytest.fixture(scope="module")
def evil_store(tmp_path_factory):
    """A store whose organisation, respondent, role, workshop, notes, N/A reasons, free texts and
    actions all carry escape sequences and bidi overrides; two completed sessions of it."""
    tmp = tmp_path_factory.mktemp("evil")
    db = tmp / "db"
    doc = copy.deepcopy(EXAMPLE)
    doc["org"] = "医院" + EVIL
    doc["respondent"] = "张三" + EVIL
    doc["answers"]["activities.design"]["5.1.1"]["note"] = "记录" + EVIL
    doc["answers"]["activities.design"]["5.evidence"] = "手册" + EVIL
    doc["answers"]["certification.service"] = {"1.1": {"na": "不涉及" + EVIL}}
    path = write(tmp / "a.json", doc)
    ids = []
    for _ in range(3):  # two in a workshop, one the organisation's own (its history)
        code, out, err = run_cli("run", "--answers", str(path), "--format", "json", "--db", str(db))
        assert code == 0, err
        ids.append(json.loads(out)["session_id"])
    store = TinyStore(db)
    store.create_workshop("班" + EVIL, doc["org"].strip())
    for sid in ids[:2]:
        store.set_workshop(sid, "班" + EVIL, "护士长" + EVIL)
    store.add_action(doc["org"].strip(), ["activities.design:5.1.1"], "整改" + EVIL, owner="后勤" + EVIL, note="备注" + EVIL)
    return {"db": str(db), "ids": ids, "org": doc["org"].strip(), "workshop": "班" + EVIL, "answers": str(path)}


def _commands(e: dict) -> dict[str, list[str]]:
    a, b = e["ids"][:2]
    out = {}
    for fmt in ("text", "json", "md"):
        out[f"run-{fmt}"] = ["run", "--answers", e["answers"], "--format", fmt]
        out[f"compare-{fmt}"] = ["compare", a, b, "--format", fmt]
        out[f"plan-{fmt}"] = ["plan", a, "--format", fmt]
    for fmt in ("text", "json", "md", "html"):
        out[f"report-{fmt}"] = ["report", a, "--format", fmt]
        out[f"workshop-report-{fmt}"] = ["workshop", "report", e["workshop"], "--format", fmt]
    for fmt in ("text", "json"):
        out[f"sessions-list-{fmt}"] = ["sessions", "list", "--format", fmt]
        out[f"history-{fmt}"] = ["history", "--org", e["org"], "--format", fmt]
        out[f"workshop-list-{fmt}"] = ["workshop", "list", "--format", fmt]
    for fmt in ("text", "json", "csv"):
        out[f"actions-list-{fmt}"] = ["actions", "list", "--org", e["org"], "--format", fmt]
    out["actions-export-json"] = ["actions", "export", "--org", e["org"], "--format", "json"]
    out["actions-export-csv"] = ["actions", "export", "--org", e["org"], "--format", "csv"]
    out["export-stdout"] = ["export", a, "--out", "-"]
    return out


COMMANDS = list(_commands({"ids": ["a", "b"], "answers": "", "org": "", "workshop": ""}))


def _strings(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in (k, *_strings(v))]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


WITH_OUT = ("run-", "compare-", "plan-", "report-", "workshop-report-", "actions-export-")
JSON_WITHOUT_USER_TEXT = {"plan-json", "compare-json", "history-json"}  # ids and numbers only


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", COMMANDS)
def test_no_control_or_bidi_character_reaches_the_output(evil_store, name, lang, tmp_path):
    argv = _commands(evil_store)[name]
    outs = [None, tmp_path / "out"] if name.startswith(WITH_OUT) else [None]
    for out_file in outs:
        extra = ["--out", str(out_file)] if out_file else []
        code, out, err = run_cli(*argv, *extra, "--db", evil_store["db"], "--lang", lang)
        assert code == 0, (name, err)
        text = out_file.read_text(encoding="utf-8") if out_file else out
        assert "Traceback" not in err
        keep = "\n\t\r" if name.endswith("csv") else "\n\t"
        bad = sorted({hex(ord(c)) for c in text + err if c in DANGEROUS and c not in keep})
        assert not bad, (name, bad)
        if name.endswith("csv"):
            assert "\r" not in text.replace("\r\n", "")
        if "json" in name or name == "export-stdout":
            strings = _strings(json.loads(text))  # still JSON, and it says the stored text unchanged
            assert not any("\u241b" in s or "\\u202e" in s for s in strings), name
            if name not in JSON_WITHOUT_USER_TEXT:
                assert any(EVIL.strip() in s for s in strings), name


def test_the_document_renderers_escape_on_their_own():
    """The management and workshop reports are also written by the app (Ctrl+E), not only through
    the command line's output: the renderers escape every text themselves."""
    from rich.console import Console

    from assistant.report.docmodel import (Bullets, Doc, Fields, Heading, Para, Part, Row, Span, Table,
                                           render_html, render_markdown, render_rich)

    doc = Doc("en", "T" + EVIL, [Part("p" + EVIL, "Part" + EVIL, [
        Heading(3, "H" + EVIL), Para(["a" + EVIL, Span("b" + EVIL, "b")]), Fields([("k" + EVIL, "v" + EVIL)]),
        Bullets(["i" + EVIL]), Table(["h" + EVIL], [Row(["c" + EVIL])])])])
    console = Console(record=True, width=120, force_terminal=False, color_system=None, file=io.StringIO())
    console.print(render_rich(doc))
    for text in (render_markdown(doc), render_html(doc), console.export_text()):
        bad = sorted({hex(ord(c)) for c in text if c in DANGEROUS and c not in "\n\t"})
        assert not bad, bad
