"""The office formats: `report --format docx|xlsx|csv`, `history --format xlsx`, `workshop report
--format xlsx`. Every file is opened with python-docx / openpyxl and read back: headings, table
cells, numbers equal to the JSON result, Chinese intact, no formula made from user text."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn

from assistant.cli import main
from assistant.i18n import t

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "answers.json"
HOSTILE = {"5.1.2": '=HYPERLINK("http://evil.example","点我")', "5.1.3": "+1 是加号开头", "5.2.1": "-2 减号开头",
           "5.2.2": "@SUM(A1) 艾特开头"}


@pytest.fixture
def sc(capsys, tmp_path, monkeypatch):
    """`selfcheck ARGS…` in-process against a store under tmp_path: (exit code, stdout, stderr)."""
    monkeypatch.delenv("SELFCHECK_DB", raising=False)
    monkeypatch.chdir(tmp_path)

    def run(*args: str):
        capsys.readouterr()
        try:
            code = main([*args, "--db", str(tmp_path / "db")])
        except SystemExit as e:
            code = e.code
        out = capsys.readouterr()
        return code, out.out, out.err
    return run


def stored(sc, tmp_path, lang: str = "zh", respondent: str = "质量办 张三", shift: int = 0,
           notes: dict | None = None, extra: dict | None = None) -> dict:
    """A stored session of the example answers (levels shifted down by `shift`, notes as given, the
    banks of `extra` added): its JSON result."""
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["answers"] |= extra or {}
    data["respondent"] = respondent
    design = data["answers"]["activities.design"]
    for qid, note in (notes or {}).items():
        level = design[qid]["level"] if isinstance(design[qid], dict) else design[qid]
        design[qid] = {"level": level, "note": note}
    for bank in data["answers"].values():
        for qid, v in bank.items():
            if isinstance(v, int) and shift:
                bank[qid] = max(1, v - shift)
    path = tmp_path / f"answers-{len(list(tmp_path.glob('answers-*')))}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, out, err = sc("run", "--answers", str(path), "--format", "json", "--lang", lang)
    assert code == 0, err
    return json.loads(out)


def no_formulas(wb) -> None:
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)


# -- DOCX ---------------------------------------------------------------------------------------------


def test_docx_report_zh_has_real_headings_chinese_fonts_and_rows_that_do_not_split(sc, tmp_path):
    result = stored(sc, tmp_path, notes=HOSTILE)
    out = tmp_path / "报告.docx"
    code, _, err = sc("report", result["session_id"], "--format", "docx", "--out", str(out))
    assert code == 0, err
    d = docx.Document(str(out))
    headings = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    for key in ("doc.summary", "doc.scores", "doc.answers", "doc.plan", "doc.closing", "office.sign.title"):
        assert t(key, "zh") in headings, (key, headings)
    assert any(p.style.name == "Title" and p.text == t("doc.title", "zh") for p in d.paragraphs)
    body = d.element.body
    # every run names an East-Asian font, and the styles do too
    runs = body.findall(".//" + qn("w:r"))
    with_text = [r for r in runs if r.find(qn("w:t")) is not None]
    assert with_text and all(r.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:eastAsia")) for r in with_text)
    assert d.styles["Heading 1"].element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    assert d.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    # rows never split, header rows repeat
    rows = body.findall(".//" + qn("w:tr"))
    assert rows and all(r.find(qn("w:trPr")).find(qn("w:cantSplit")) is not None for r in rows)
    assert all(tb.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None for tb in d.tables if len(tb.columns) > 2)
    cells = [c.text for tb in d.tables for row in tb.rows for c in row.cells]
    text = "\n".join(cells)
    assert "湘潭市中心医院" in text
    for note in HOSTILE.values():  # user text is kept as it is, as text
        assert note in text
    # the scores table: each bank's percent as the JSON result gives it
    for bank in result["banks"]:
        assert any(f"{bank['percent']:.1f}" in c for c in cells), bank["id"]
    # the bars are pictures (one per non-zero percent), sized by the percent
    assert len(d.inline_shapes) >= len([b for b in result["banks"] if b["percent"]])
    assert t("office.sign.prepared", "zh") in text and t("office.sign.reviewed", "zh") in text


def test_docx_history_trend_is_a_word_chart_with_the_json_numbers(sc, tmp_path):
    first = stored(sc, tmp_path, shift=1)
    second = stored(sc, tmp_path)
    out = tmp_path / "trend.docx"
    code, _, err = sc("report", second["session_id"], "--format", "docx", "--out", str(out))
    assert code == 0, err
    d = docx.Document(str(out))
    charts = [p for p in d.part.package.iter_parts() if p.partname.startswith("/word/charts/")]
    assert len(charts) == 1
    xml = charts[0].blob.decode("utf-8")
    from lxml import etree

    root = etree.fromstring(charts[0].blob)
    c = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}
    series = root.findall(".//c:ser", c)
    names = [s.find("c:tx//c:v", c).text for s in series]
    assert names[0] == t("activities", "zh") and "服务设计" in names
    values = [float(v.text) for v in series[0].findall("c:val//c:pt/c:v", c)]
    assert values == [first["activities"]["percent"], second["activities"]["percent"]]
    assert t("doc.trend", "zh") in xml
    # its data travels with it, as a workbook Word's "Edit data" opens
    (book,) = [p for p in d.part.package.iter_parts() if p.partname.endswith(".xlsx")]
    sheet = openpyxl.load_workbook(io.BytesIO(book.blob)).active
    assert [sheet.cell(row=r, column=2).value for r in (2, 3)] == values


def test_docx_follows_lang_and_shows_no_chinese_labels_in_english(sc, tmp_path):
    result = stored(sc, tmp_path, lang="zh")
    out = tmp_path / "report.docx"
    code, _, err = sc("report", result["session_id"], "--format", "docx", "--out", str(out), "--lang", "en")
    assert code == 0, err
    d = docx.Document(str(out))
    headings = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert t("doc.scores", "en") == "Scores by bank and section" and "Scores by bank and section" in headings
    assert t("office.sign.title", "en") in headings
    assert not any("\u4e00" <= ch <= "\u9fff" for h in headings for ch in h if h != "湘潭市中心医院"), headings


# -- XLSX ---------------------------------------------------------------------------------------------


def test_xlsx_report_numbers_equal_the_json_and_user_text_is_never_a_formula(sc, tmp_path):
    result = stored(sc, tmp_path, notes=HOSTILE)
    out = tmp_path / "工作簿.xlsx"
    code, _, err = sc("report", result["session_id"], "--format", "xlsx", "--out", str(out))
    assert code == 0, err
    wb = openpyxl.load_workbook(out)
    no_formulas(wb)
    assert wb.sheetnames[:3] == [t("office.sheet.summary", "zh"), t("office.sheet.scores", "zh"),
                                 t("office.sheet.answers", "zh")]
    scores = wb[t("office.sheet.scores", "zh")]
    for bank in result["banks"]:
        row = next(r for r in scores.iter_rows(min_row=2, values_only=True) if r[0] == bank["id"])
        assert (row[2], row[3], row[4]) == (bank["earned"], bank["possible"], bank["percent"])
        assert row[5] == bank["level"]
    answers = wb[t("office.sheet.answers", "zh")]
    head = [c.value for c in answers[1]]
    assert head[:5] == ["题库", "部分", "条款", "题号", "问题"]
    col = {name: i for i, name in enumerate(head)}
    rows = list(answers.iter_rows(min_row=2, values_only=True))
    for bank in result["banks"]:
        for item in bank["items"]:
            row = next(r for r in rows if r[col["题库编号"]] == bank["id"] and r[col["题号"]] == item["id"])
            assert row[col["得分"]] == item["earned"] and row[col["应得分"]] == item["possible"]
            assert row[col["体验系数 α"]] == item["alpha"]
            assert isinstance(row[col["得分"]], (int, float))
    # the hostile notes: text cells, quote-prefixed, exactly as typed
    for qid, note in HOSTILE.items():
        r = next(n for n, row in enumerate(rows, start=2) if row[col["题号"]] == qid and row[col["题库编号"]] == "activities.design")
        c = answers.cell(row=r, column=col["说明与证据"] + 1)
        assert c.value == note and c.data_type == "s" and c.quotePrefix
    assert answers.freeze_panes == "A2" and answers.auto_filter.ref.startswith("A1:")
    assert answers.column_dimensions["E"].width >= 30  # the question column fits Chinese text
    summary = dict(wb[t("office.sheet.summary", "zh")].iter_rows(min_row=2, values_only=True))
    assert summary["组织"] == "湘潭市中心医院" and summary[t("office.col.service_score", "zh")] == result["grade"]["service_score"]


def test_xlsx_in_english(sc, tmp_path):
    result = stored(sc, tmp_path, lang="en")
    out = tmp_path / "book.xlsx"
    code, _, err = sc("report", result["session_id"], "--format", "xlsx", "--out", str(out))
    assert code == 0, err
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:3] == ["Summary", "Scores", "Answers"]
    head = [c.value for c in wb["Answers"][1]]
    assert head[:5] == ["Bank", "Section", "Clause", "ID", "Question"]


# -- CSV ----------------------------------------------------------------------------------------------


def test_answers_csv_has_a_bom_numbers_and_no_formula_text(sc, tmp_path):
    result = stored(sc, tmp_path, notes=HOSTILE)
    out = tmp_path / "answers.csv"
    code, _, err = sc("report", result["session_id"], "--format", "csv", "--out", str(out))
    assert code == 0, err
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    head = rows[0]
    assert head[0] == "题库" and head[-1] == "题库编号"
    design = {r[3]: r for r in rows[1:] if r[-1] == "activities.design"}
    for qid, note in HOSTILE.items():
        assert design[qid][head.index("说明与证据")] == "'" + note
    item = next(i for b in result["banks"] if b["id"] == "activities.design" for i in b["items"] if i["id"] == "5.1.1")
    assert float(design["5.1.1"][head.index("得分")]) == item["earned"]


# -- output ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_binary_without_out_is_refused_with_exit_2(sc, tmp_path, fmt):
    result = stored(sc, tmp_path)
    code, out, err = sc("report", result["session_id"], "--format", fmt)
    assert code == 2 and out == ""
    assert "--out" in err and fmt.upper() in err


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "csv"])
def test_bad_out_path_is_a_clear_error_exit_2(sc, tmp_path, fmt):
    result = stored(sc, tmp_path)
    bad = tmp_path / "no" / "such" / "folder" / f"r.{fmt}"
    code, _, err = sc("report", result["session_id"], "--format", fmt, "--out", str(bad), "--lang", "en")
    assert code == 2 and str(bad) in err and "cannot write" in err
    assert not bad.parent.exists()


# -- history and workshop workbooks ------------------------------------------------------------------------


def test_history_xlsx_lists_every_self_check(sc, tmp_path):
    first = stored(sc, tmp_path, shift=1)
    second = stored(sc, tmp_path)
    out = tmp_path / "history.xlsx"
    code, _, err = sc("history", "--org", "湘潭市中心医院", "--format", "xlsx", "--out", str(out))
    assert code == 0, err
    wb = openpyxl.load_workbook(out)
    no_formulas(wb)
    ws = wb[t("office.sheet.history", "zh")]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rows] == [first["session_id"], second["session_id"]]
    assert [r[2] for r in rows] == [first["activities"]["percent"], second["activities"]["percent"]]


def test_workshop_xlsx_has_the_respondent_matrix_and_agreement(sc, tmp_path):
    people = [("王敏", 0), ("李强", 2), ("=cmd|' /C calc'!A0", 1)]
    results = [stored(sc, tmp_path, respondent=name, shift=shift) for name, shift in people]
    assert sc("workshop", "create", "培训班", "--org", "湘潭市中心医院")[0] == 0
    assert sc("workshop", "add", "培训班", *[r["session_id"] for r in results])[0] == 0
    out = tmp_path / "group.xlsx"
    code, _, err = sc("workshop", "report", "培训班", "--format", "xlsx", "--out", str(out))
    assert code == 0, err
    code, js, _ = sc("workshop", "report", "培训班", "--format", "json")
    group = json.loads(js)
    wb = openpyxl.load_workbook(out)
    no_formulas(wb)
    matrix = wb[t("office.sheet.matrix", "zh")]
    head = [c.value for c in matrix[1]]
    assert head[3:6] == [name for name, _ in people]  # the respondents' names, the hostile one as text
    levels = {r["session_id"]: {(b["id"], i["id"]): i["level"] for b in r["banks"] for i in b["items"]} for r in results}
    for row in matrix.iter_rows(min_row=2, values_only=True):
        for r, value in zip(results, row[3:6]):
            assert value == levels[r["session_id"]].get((row[0], row[1]))
    agreement = wb[t("office.sheet.agreement", "zh")]
    ahead = [c.value for c in agreement[1]]
    assert t("office.key.mean_level", "zh") in ahead and t("office.key.disagreement", "zh") in ahead
    items = {(b["id"], i["id"]): i for b in group["banks"] for i in b["items"]}
    col = ahead.index(t("office.key.mean_level", "zh"))
    for row in agreement.iter_rows(min_row=2, values_only=True):
        assert row[col] == items[(row[0], row[1])]["mean_level"]
    # every statistic of the JSON's items has its column (new ones flow in)
    keys = {k for i in items.values() for k in i if k != "id"}
    assert len(ahead) - 3 == len(keys)
    banks = wb[t("office.sheet.banks", "zh")]
    means = {r[0]: r for r in banks.iter_rows(min_row=2, values_only=True)}
    bhead = [c.value for c in banks[1]]
    for b in group["banks"]:
        assert means[b["id"]][bhead.index(t("office.key.mean_percent", "zh"))] == b["mean_percent"]


# -- the app's export box ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang, name", [("zh", "报告.docx"), ("en", "book.xlsx"), ("zh", "报告.txt")])
async def test_the_apps_export_writes_word_and_excel(store, library, tmp_path, lang, name):
    from assistant.domain.answers import Answer
    from assistant.tui.app import SelfcheckApp
    from assistant.tui.screens.result import ResultScreen

    answers = {"activities.design": {"5.1.1": Answer(level=4, note="=1+1 不是公式")}}
    session = store.create_session("湘潭市中心医院", {"activities.design": library.bank("activities.design").version},
                                   "质量办", answers=answers, status="completed")
    app = SelfcheckApp(store, library, lang)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ResultScreen(session.id))
        await pilot.pause()
        await pilot.press("ctrl+e")
        await pilot.pause()
        target = tmp_path / name
        app.screen.query_one("#export-path").value = str(target)
        await pilot.press("enter")
        for _ in range(50):  # the report is written in the box's callback
            await pilot.pause(0.05)
            if target.exists() or name.endswith(".txt"):
                break
        if name.endswith(".txt"):  # not a format: the box says which are, and nothing is written
            assert not target.exists()
            assert ".docx" in str(app.screen.query_one("#export-error").render())
            return
    if name.endswith(".docx"):
        d = docx.Document(str(target))
        assert any(p.style.name == "Title" and p.text == t("doc.title", lang) for p in d.paragraphs)
        assert "=1+1 不是公式" in [c.text for tb in d.tables for row in tb.rows for c in row.cells]
    else:
        wb = openpyxl.load_workbook(target)
        no_formulas(wb)
        assert wb.sheetnames[0] == "Summary"
        notes = [row[10] for row in wb["Answers"].iter_rows(min_row=2, values_only=True)]
        assert "=1+1 不是公式" in notes


def test_a_sheet_keeps_text_as_text_and_rows_within_excels_limits():
    from datetime import date

    from assistant.report.xlsx import Book

    book = Book("zh")
    ws = book.sheet("表", ["=A1", "数"], [["长" * 2000, 1.5], ["@x", None], ["-3", date(2027, 3, 31)]])
    wb = openpyxl.load_workbook(io.BytesIO(book.save()))
    no_formulas(wb)
    ws = wb["表"]
    assert ws["A1"].value == "=A1" and ws["A1"].quotePrefix
    assert ws["A3"].value == "@x" and ws["A4"].value == "-3" and ws["A4"].data_type == "s"
    assert ws["B2"].value == 1.5 and ws["B4"].value.date() == date(2027, 3, 31)
    assert ws.row_dimensions[2].height <= 409  # Excel's highest row
    assert ws.column_dimensions["A"].width == 50


# -- checklists (the management conformity review, the standard-writing checklists) ---------------------------

CONFORMITY, WRITING = "certification.conformity", "writing.service_standard"
FAILED_NOTE = "=目标尚未量化，计划下季度补齐"


def checklist_answers(library) -> dict:
    """The conformity review all yes (with a certificate, so 4.2.1 is not asked) but A3.2.1-2 no with
    a note and 4.2.2-3 N/A; the writing checklist all yes but 4.4-2 partly; so both are "not yet"."""
    conformity = {q.id: "yes" for q in library.bank(CONFORMITY).questions if q.kind.by_choice and q.id != "4.2.1"}
    conformity |= {"A3.2.1-2": {"choice": "no", "note": FAILED_NOTE}, "4.2.2-3": {"na": "没有外部供方"}}
    writing = {q.id: "yes" for q in library.bank(WRITING).questions} | {"4.4-2": "partly"}
    return {CONFORMITY: conformity, WRITING: writing}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_docx_shows_each_checklists_verdict_and_its_failed_items(sc, tmp_path, library, lang):
    result = stored(sc, tmp_path, lang=lang, extra=checklist_answers(library))
    assert result["grade"]["conformity"] == "not-yet"
    out = tmp_path / "r.docx"
    code, _, err = sc("report", result["session_id"], "--format", "docx", "--out", str(out))
    assert code == 0, err
    d = docx.Document(str(out))
    headings = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert t("check.title", lang) in headings
    assert library.bank(CONFORMITY).title(lang) in headings and library.bank(WRITING).title(lang) in headings
    texts = [p.text for p in d.paragraphs] + [c.text for tb in d.tables for row in tb.rows for c in row.cells]
    verdict = t("check.verdict.not-yet", lang)
    assert any(x.startswith(verdict) and "110" in x for x in texts)  # the summary line of the review
    rows = [[c.text for c in row.cells] for tb in d.tables for row in tb.rows]
    failed = next(r for r in rows if r[0] == "A3.2.1-2")
    assert failed[3] == t("gate.no", lang) and failed[4] == FAILED_NOTE
    assert library.bank(CONFORMITY).question("A3.2.1-2").text(lang) in failed[2]
    assert next(r for r in rows if r[0] == "4.4-2")[3] == t("gate.partly", lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_xlsx_answers_and_checklists_sheet_show_check_items_and_verdicts(sc, tmp_path, library, lang):
    result = stored(sc, tmp_path, lang=lang, extra=checklist_answers(library))
    out = tmp_path / "r.xlsx"
    code, _, err = sc("report", result["session_id"], "--format", "xlsx", "--out", str(out))
    assert code == 0, err
    wb = openpyxl.load_workbook(out)
    no_formulas(wb)
    answers = wb[t("office.sheet.answers", lang)]
    head = [c.value for c in answers[1]]
    col = {k: head.index(t(f"office.col.{k}", lang)) for k in ("id", "answer", "note", "bank_id", "earned")}
    rows = {(r[col["bank_id"]], r[col["id"]]): (n, r) for n, r in enumerate(answers.iter_rows(min_row=2, values_only=True), 2)}
    n, failed = rows[(CONFORMITY, "A3.2.1-2")]
    assert failed[col["answer"]] == t("gate.no", lang) and failed[col["note"]] == FAILED_NOTE
    assert failed[col["earned"]] is None  # a checklist scores no points
    assert answers.cell(row=n, column=col["note"] + 1).quotePrefix  # the note starts with "=": text
    assert answers.cell(row=n, column=1).fill.fgColor.rgb.endswith("FFF1CC")  # highlighted
    assert rows[(CONFORMITY, "A4.2-1")][1][col["answer"]] == t("gate.yes", lang)
    assert rows[(WRITING, "4.4-2")][1][col["answer"]] == t("gate.partly", lang)
    assert rows[(CONFORMITY, "4.2.1")][1][col["answer"]] == t("office.check.not_asked", lang, gate="5.2.2")
    # the checklists sheet: each verdict with its counts as numbers, then the items not met
    sheet = wb[t("office.sheet.checklists", lang)]
    head = [c.value for c in sheet[1]]
    assert head[:6] == [t(f"office.col.{k}", lang) for k in ("checklist", "verdict", "yes", "partly", "no", "applicable")]
    lines = list(sheet.iter_rows(min_row=2, values_only=True))
    by_json = {c["id"]: c for c in result["checklists"]}
    for bank_id in (CONFORMITY, WRITING):
        summary = next(r for r in lines if r[-1] == bank_id and r[7] is None)
        c = by_json[bank_id]
        assert summary[1] == t("check.verdict.not-yet", lang)
        assert summary[2:6] == (c["yes"], c["partly"], c["no"], c["applicable"])
        listed = [r[7] for r in lines if r[-1] == bank_id and r[7] is not None]
        assert listed == [f["id"] for f in c["failed"]]
    review = next(r for r in lines if r[7] == "A3.2.1-2")
    assert review[6] == t("office.check.failed", lang) and review[10] == t("gate.no", lang) and review[11] == FAILED_NOTE
    writing = next(r for r in lines if r[7] == "4.4-2")
    assert writing[12]  # the 附录A methods to draw on
    summary = dict(wb[t("office.sheet.summary", lang)].iter_rows(min_row=2, values_only=True))
    assert summary[library.bank(CONFORMITY).title(lang)].startswith(t("check.verdict.not-yet", lang))


def test_a_passed_checklist_has_its_verdict_and_no_item_rows(sc, tmp_path, library):
    extra = {WRITING: {q.id: "yes" for q in library.bank(WRITING).questions}}
    result = stored(sc, tmp_path, lang="en", extra=extra)
    out = tmp_path / "r.xlsx"
    code, _, err = sc("report", result["session_id"], "--format", "xlsx", "--out", str(out))
    assert code == 0, err
    lines = list(openpyxl.load_workbook(out)["Checklists"].iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[-1]) for r in lines] == [("pass", WRITING)]


def test_answers_csv_has_the_check_items(sc, tmp_path, library):
    result = stored(sc, tmp_path, lang="en", extra=checklist_answers(library))
    out = tmp_path / "a.csv"
    code, _, err = sc("report", result["session_id"], "--format", "csv", "--out", str(out))
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"), newline="")))
    head = rows[0]
    check = {r[3]: r for r in rows[1:] if r[-1] == CONFORMITY}
    assert check["A3.2.1-2"][head.index("Answer")] == "no"
    assert check["A3.2.1-2"][head.index("Note / evidence")] == "'" + FAILED_NOTE
    assert check["4.2.2-3"][head.index("N/A reason")] == "没有外部供方"
    assert check["A3.2.1-2"][head.index("Earned")] == ""
