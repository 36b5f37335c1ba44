"""`selfcheck pack`: the certification application pack — its files open, its manifest's SHA-256
hashes verify, the evidence index is in clause order with the standards' official Chinese names."""

from __future__ import annotations

import hashlib
import json
import zipfile

import docx
import openpyxl
import pytest

from assistant.clauses import STANDARDS
from assistant.report.item_rows import clause_key

from .test_office import HOSTILE, sc, stored  # noqa: F401  (sc is a fixture)

NAMES = ["report", "workbook", "evidence-index", "result"]


def check_manifest(files: dict[str, bytes], session_id: str) -> dict:
    manifest = json.loads(files["manifest.json"])
    assert manifest["session_id"] == session_id
    listed = {f["name"]: f for f in manifest["files"]}
    assert sorted(listed) == sorted(n for n in files if n not in ("manifest.json", "SHA256SUMS"))
    for name, entry in listed.items():
        assert entry["sha256"] == hashlib.sha256(files[name]).hexdigest()
        assert entry["bytes"] == len(files[name])
    sums = dict(reversed(line.split("  ", 1)) for line in files["SHA256SUMS"].decode().splitlines())
    assert sums == {n: e["sha256"] for n, e in listed.items()}
    return manifest


def test_pack_as_zip_holds_every_file_and_its_hashes_verify(sc, tmp_path):
    result = stored(sc, tmp_path, notes=HOSTILE)
    sid = result["session_id"]
    out = tmp_path / "申请材料.zip"
    code, _, err = sc("pack", sid, "--out", str(out))
    assert code == 0, err and str(out) in err
    with zipfile.ZipFile(out) as z:
        files = {n: z.read(n) for n in z.namelist()}
    assert sorted(files) == sorted([f"{n}-{sid}.{ext}" for n, ext in zip(NAMES, ["docx", "xlsx", "docx", "json"])]
                                   + ["manifest.json", "SHA256SUMS"])
    check_manifest(files, sid)
    assert json.loads(files[f"result-{sid}.json"])["grade"] == result["grade"]
    book = openpyxl.load_workbook(__import__("io").BytesIO(files[f"workbook-{sid}.xlsx"]))
    assert "答题" in book.sheetnames
    report = docx.Document(__import__("io").BytesIO(files[f"report-{sid}.docx"]))
    assert any(p.style.name == "Title" for p in report.paragraphs)


def index_rows(data: bytes) -> tuple[list[str], list[list[str]]]:
    d = docx.Document(__import__("io").BytesIO(data))
    headings = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    rows = [[c.text for c in row.cells] for tb in d.tables if len(tb.columns) == 6 for row in tb.rows[1:]]
    return headings, rows


def test_evidence_index_is_in_clause_order_with_official_chinese_names(sc, tmp_path):
    result = stored(sc, tmp_path, lang="en", notes=HOSTILE)
    sid = result["session_id"]
    out = tmp_path / "pack"
    code, _, err = sc("pack", sid, "--out", str(out))
    assert code == 0, err
    check_manifest({p.name: p.read_bytes() for p in out.iterdir()}, sid)
    headings, rows = index_rows((out / f"evidence-index-{sid}.docx").read_bytes())
    assert STANDARDS["002"][0] in headings  # the standard's official Chinese name, though the session is English
    clauses = [r[0] for r in rows]
    assert clauses == sorted(clauses, key=lambda c: (c.split(" ", 1)[0], clause_key(c)))
    assert "002 5.1.1" in clauses
    assert any("服务设计" in r[2] or "服务" in r[2] for r in rows)  # questions in Chinese
    notes = [r[5] for r in rows]
    for note in HOSTILE.values():
        assert note in notes
    evidence = next(r for r in rows if r[1] == "5.evidence")
    assert evidence[3] == "质量手册、顾客满意度调查报告"  # the evidence text is the answer
    # the report itself follows the session's language
    d = docx.Document(str(out / f"report-{sid}.docx"))
    assert any(p.text == "Scores by bank and section" for p in d.paragraphs)


def test_english_adds_the_english_under_the_chinese(sc, tmp_path):
    result = stored(sc, tmp_path)
    out = tmp_path / "pack-en"
    code, _, err = sc("pack", result["session_id"], "--out", str(out), "--english")
    assert code == 0, err
    headings, rows = index_rows((out / f"evidence-index-{result['session_id']}.docx").read_bytes())
    assert f"{STANDARDS['002'][0]} / {STANDARDS['002'][1]}" in headings
    row = next(r for r in rows if r[1] == "5.1.1")
    assert "\n" in row[2] and row[2].split("\n")[0] != row[2].split("\n")[1]


def test_a_folder_that_is_not_empty_is_refused_and_left_alone(sc, tmp_path):
    result = stored(sc, tmp_path)
    out = tmp_path / "full"
    out.mkdir()
    (out / "mine.txt").write_text("keep me", encoding="utf-8")
    code, _, err = sc("pack", result["session_id"], "--out", str(out))
    assert code == 2 and "不是空的" in err
    assert [p.name for p in out.iterdir()] == ["mine.txt"]


@pytest.mark.parametrize("name", ["pack.zip", "pack"])
def test_an_out_path_that_cannot_be_written_is_exit_2(sc, tmp_path, name):
    result = stored(sc, tmp_path)
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    code, _, err = sc("pack", result["session_id"], "--out", str(blocker / name), "--lang", "en")
    assert code == 2 and "Cannot write the application pack" in err


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_pack_gives_each_checklists_verdict_and_failed_items(sc, tmp_path, library, lang):
    from .test_office import CONFORMITY, FAILED_NOTE, WRITING, checklist_answers

    result = stored(sc, tmp_path, lang=lang, extra=checklist_answers(library))
    sid = result["session_id"]
    out = tmp_path / "pack"
    args = ["--english"] if lang == "en" else []
    code, _, err = sc("pack", sid, "--out", str(out), *args)
    assert code == 0, err
    manifest = check_manifest({p.name: p.read_bytes() for p in out.iterdir()}, sid)
    assert manifest["grade"] == {"outcome": "not-yet", "conformity": "not-yet"}
    listed = {c["id"]: c for c in manifest["checklists"]}
    assert listed[CONFORMITY]["verdict"] == "not-yet" and listed[WRITING]["verdict"] == "not-yet"
    assert listed[CONFORMITY]["failed"] == [{"id": "A3.2.1-2", "clause": "003 附录4 3.2.1 2)", "answer": "no"}]
    assert [f["id"] for f in listed[WRITING]["failed"]] == ["4.4-2"]
    d = docx.Document(str(out / f"evidence-index-{sid}.docx"))
    fields = {row.cells[0].text: row.cells[1].text for tb in d.tables if len(tb.columns) == 2 for row in tb.rows}
    key = library.bank(CONFORMITY).title("zh") + (f" / {library.bank(CONFORMITY).title('en')}" if lang == "en" else "")
    verdict = fields[key]
    assert verdict.startswith("尚未通过") and "未符合：A3.2.1-2" in verdict
    assert ("Not met: A3.2.1-2" in verdict) == (lang == "en")
    _, rows = index_rows((out / f"evidence-index-{sid}.docx").read_bytes())
    row = next(r for r in rows if r[1] == "A3.2.1-2")
    assert row[0].startswith("003 附录4 3.2.1 2)") and row[3].startswith("否") and row[5] == FAILED_NOTE
    assert row[4] == "—"  # no points: a checklist is not scored
    clauses = [r[0].split("\n")[0] for r in rows]
    assert clauses == sorted(clauses, key=lambda c: (c.split(" ", 1)[0], clause_key(c)))
