"""The management report (assistant/report/document.py) and the workshop group report
(assistant/report/group.py): sections, answers, escaping, self-containment, and group means by hand."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from decimal import Decimal
from html import escape

import pytest
from rich.console import Console

from assistant.domain.answers import Answer, Session
from assistant.domain.evaluate import evaluate
from assistant.domain.group import group_result
from assistant.domain.history import compare, history
from assistant.clauses import clause_ref
from assistant.i18n import t
from assistant.report.common import answer_text
from assistant.report.document import ReportData, html, markdown
from assistant.report.group import group_html, group_markdown, group_text
from assistant.report.markdown import md

from .conftest import FixedClock

ACTIVITY_BANKS = ["activities.design", "activities.realisation", "activities.effect", "activities.verification"]
BANKS = ACTIVITY_BANKS + ["certification.management"]
HOSTILE = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "[bold red]x[/]"]
HOSTILE_ALL = " ".join(HOSTILE)
SECTIONS = ["doc.title", "doc.summary", "doc.scores", "doc.answers", "doc.open", "doc.plan"]


def design_answers(note: str = "需求调研报告 2026-03", reason: str = "本院不提供上门服务",
                   text: str = "证据清单见共享盘") -> dict[str, Answer]:
    return {
        "5.1.1": Answer(level=4, alpha=Decimal("0.75"), note=note),
        "5.1.2": Answer(level=2, note="只覆盖门诊患者"),
        "5.1.3": Answer(level=5),
        "5.2.1": Answer(na=reason),
        "5.2.2": Answer(level=3),
        "5.2.3": Answer(level=1, note="尚无工具"),
        "5.2.4": Answer(level=2),
        "5.3.1": Answer(level=3),
        "5.3.2": Answer(level=4),
        "5.evidence": Answer(text=text),
    }


def make_session(library, lang="zh", org="湘潭市中心医院", respondent="质量办 王敏", note="需求调研报告 2026-03",
                 reason="本院不提供上门服务", text="证据清单见共享盘", sid="20261121-000002", days_ago=0,
                 level_shift=0) -> Session:
    clock = FixedClock()
    created = clock() - timedelta(days=days_ago)
    design = design_answers(note, reason, text)
    if level_shift:
        design = {k: (a.model_copy(update={"level": max(1, a.level - level_shift), "alpha": None}) if a.level else a)
                  for k, a in design.items()}
    answers = {
        "activities.design": design,
        "activities.realisation": {"6.1.1": Answer(level=3), "6.1.2": Answer(skipped=True), "6.2.1": Answer(level=4),
                                   "6.2.2": Answer(level=2, note="跨部门会议每季度一次")},  # the rest unanswered
        "activities.effect": {q: Answer(level=3) for q in ("D7.1-1", "D7.1-2", "D7.1-3", "D7.2-1", "D7.2-2")},
        "activities.verification": {"D8.1-1": Answer(level=4), "D8.1-2": Answer(level=3), "D8.1-3": Answer(level=2),
                                    "D8.2-0": Answer(choice="no", note="近三年没有外部评估")},
        "certification.management": {q.id: Answer(level=3 - level_shift if q.id != "4.1" else 2)
                                     for q in library.bank("certification.management").questions},
    }
    return Session(id=sid, org=org, respondent=respondent, banks={b: library.bank(b).version for b in BANKS},
                   answers=answers, created=created, updated=created, lang=lang, status="completed")


def report(library, session: Session, with_history: bool = False, one_row_history: bool = False) -> ReportData:
    result = evaluate(library, session)
    rows, comparison = [], None
    if with_history:
        before = make_session(library, session.lang, org=session.org, sid="20260301-000001", days_ago=265, level_shift=1)
        rows = history(library, [session, before], session.lang)
        comparison = compare(library, before, session, session.lang)
    elif one_row_history:
        rows = history(library, [session], session.lang)
    return ReportData(session=session, result=result, library=library, history=rows, comparison=comparison,
                      generated=FixedClock()())


def md_heading(text: str, level: int) -> str:
    return f"\n{'#' * level} {text}\n"


# -- sections -------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_section_heading_in_order(library, lang):
    out_md = markdown(report(library, make_session(library, lang), with_history=True))
    out_html = html(report(library, make_session(library, lang), with_history=True))
    keys = SECTIONS + ["doc.history", "doc.comparison", "doc.closing"]
    md_at, html_at = [], []
    for key in keys:
        title = t(key, lang)
        level = 1 if key == "doc.title" else 2
        assert md_heading(title, level) in "\n" + out_md, key
        tag = "h1" if level == 1 else "h2"
        assert f"<{tag}>{escape(title)}</{tag}>" in out_html, key
        md_at.append(("\n" + out_md).index(md_heading(title, level)))
        html_at.append(out_html.index(f"<{tag}>{escape(title)}</{tag}>"))
    assert md_at == sorted(md_at) and html_at == sorted(html_at)
    # the executive summary's content; the provisional statement and the readings at the end
    result = evaluate(library, make_session(library, lang))
    assert escape(result.grade.label) in out_html and result.grade.label in out_md
    assert escape(t("doc.closing.body", lang)) in out_html
    assert escape(t("doc.reading.clause-text", lang)) in out_html
    assert escape(t("doc.reading.gate", lang)) in out_html  # D8.2-0 skipped its follow-ups


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_history_and_comparison_only_when_given(library, lang):
    plain = report(library, make_session(library, lang))
    for out in (markdown(plain), html(plain)):
        assert t("doc.history", lang) not in out
        assert t("doc.comparison", lang) not in out
    assert html(plain).count("<svg") == 1  # the scores chart only

    one = report(library, make_session(library, lang), one_row_history=True)
    assert t("doc.history", lang) in html(one) and t("doc.comparison", lang) not in html(one)
    assert html(one).count("<svg") == 1  # one session: a table, no trend

    full = report(library, make_session(library, lang), with_history=True)
    out_md, out_html = markdown(full), html(full)
    assert out_html.count("<svg") == 2  # scores and the trend
    for out, esc in ((out_md, str), (out_html, escape)):
        for key in ("doc.history", "doc.comparison", "doc.improved", "doc.slipped", "doc.acted"):
            assert esc(t(key, lang)) in out, key
        assert "20260301" in out
    # every level one higher than last time: design gained, nothing of design slipped
    design = next(b for b in full.comparison.banks if b.id == "activities.design")
    assert design.delta is not None and design.delta > 0
    assert t("doc.this", lang) in out_html


# -- every answer, the open items, the action plan -----------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_answer_with_its_note(library, lang):
    session = make_session(library, lang)
    data = report(library, session)
    out_md, out_html = markdown(data), html(data)
    html_rows = re.findall(r"<tr[^>]*>.*?</tr>", out_html, flags=re.S)
    checked = 0
    for bank_id, answers in session.answers.items():
        bank = library.bank(bank_id)
        items = {i.id: i for b in data.result.banks if b.id == bank_id for i in b.items}
        for qid, answer in answers.items():
            q = bank.question(qid)
            words = answer_text(answer, q, items.get(qid), lang)
            clause = clause_ref(q.clause, lang)  # 附录N is Annex N in English
            md_row = next(line for line in out_md.splitlines() if line.startswith(f"| {md(q.id)} | {md(clause)}"))
            assert md(words) in md_row and md(q.text(lang)) in md_row
            html_row = next(r for r in html_rows if f"<td>{escape(q.id)}</td><td>{escape(clause)}" in r)
            assert escape(words) in html_row and escape(q.text(lang)) in html_row
            if answer.note:
                assert md(answer.note) in md_row and escape(answer.note) in html_row
            checked += 1
    assert checked == sum(len(a) for a in session.answers.values())
    # the words: level + label with α, N/A with its reason, the gate's choice and what it skips, text
    zh = lang == "zh"
    assert ("4 · 高于预期（α 0.75）" if zh else "4 · above expectations (α 0.75)") in out_html
    assert ("不适用：本院不提供上门服务" if zh else "N/A: 本院不提供上门服务") in out_html
    assert ("否（跳过 D8.2-1, D8.2-2）" if zh else "no (skips D8.2-1, D8.2-2)") in out_html
    assert "证据清单见共享盘" in out_html
    assert escape(t("answer.skipped", lang)) in out_html
    # points earned/possible: 5.1.1 = 3.5 × 0.75 = 2.625
    assert "2.63/3.50" in out_html  # one number of decimals in the column


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_unanswered_and_na_listed(library, lang):
    data = report(library, make_session(library, lang))
    out = html(data)
    part = out[out.index('id="open"'):out.index('id="plan"')]
    realisation = next(b for b in data.result.banks if b.id == "activities.realisation")
    assert "6.1.2" in realisation.unanswered and "D6.3-2" in realisation.unanswered
    for qid in realisation.unanswered:
        assert f"<td>{qid}</td>" in part
    assert "<td>5.2.1</td>" in part and escape(t("answer.na", lang, reason="本院不提供上门服务")) in part
    assert escape(t("doc.open.gated", lang, gate="D8.2-0")) in part


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_action_plan_has_owner_and_due_columns(library, lang):
    data = report(library, make_session(library, lang))
    assert data.result.suggestions
    out_md, out_html = markdown(data), html(data)
    owner, due = t("doc.col.owner", lang), t("doc.col.due", lang)
    assert (owner, due) == (("负责人", "完成日期") if lang == "zh" else ("Owner", "Due date"))
    plan_md = out_md[out_md.index(md_heading(t("doc.plan", lang), 2)):]
    header = next(line for line in plan_md.splitlines() if line.startswith("| "))
    assert header.rstrip().endswith(f"| {owner} | {due} |")
    assert f"<th>{owner}</th><th>{due}</th>" in out_html
    for s in data.result.suggestions:
        assert escape(s.text) in out_html and md(s.text) in out_md
        assert s.method in out_html
        for item in s.items:
            assert escape(clause_ref(item.clause, lang)) in out_html


def test_markdown_has_text_bars(library):
    out = markdown(report(library, make_session(library, "zh")))
    assert re.search(r"`█+░*` \d", out) or re.search(r"`█*░+` \d", out)


# -- self-contained HTML, escaping ----------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_is_self_contained(library, lang):
    out = html(report(library, make_session(library, lang), with_history=True))
    assert out.startswith("<!doctype html>")
    assert f'<html lang="{"zh-CN" if lang == "zh" else "en"}">' in out
    assert '<meta charset="utf-8">' in out and "<style>" in out and "@page" in out
    assert "<svg" in out
    lowered = out.lower()
    for banned in ("http://", "https://", "<script", "src=", "<link", "@import", "url(", "<img", "<iframe"):
        assert banned not in lowered, banned


def test_hostile_text_is_escaped_everywhere(library):
    session = make_session(library, "en", org="Org " + HOSTILE_ALL, respondent="Resp " + HOSTILE_ALL,
                           note="Note " + HOSTILE_ALL, reason="Reason " + HOSTILE_ALL, text="Text " + HOSTILE_ALL)
    data = report(library, session, with_history=True)
    out_html, out_md = html(data), markdown(data)
    for raw in HOSTILE[:2]:
        assert raw not in out_html
        assert escape(raw) in out_html
        assert raw not in out_md
        assert md(raw) in out_md
    # rich markup means nothing in HTML: it shows as the text it is; Markdown escapes its brackets
    assert "[bold red]x[/]" in out_html
    assert "[bold red]x[/]" not in out_md and md("[bold red]x[/]") in out_md
    # each field kept its text: the organisation, the respondent, the note, the N/A reason, the text answer
    for label in ("Org", "Resp", "Note", "Reason", "Text"):
        assert escape(f"{label} {HOSTILE_ALL}") in out_html, label
    assert "<title>" + escape(t("doc.title", "en") + " — Org " + HOSTILE_ALL) + "</title>" in out_html
    assert "onerror=alert(1)>" not in out_html


# -- the workshop group report ------------------------------------------------------------------------


def effect_session(library, sid: str, levels: list[int], role: str, org: str = "湘潭市中心医院",
                   workshop: str = "2026 秋季研讨会") -> Session:
    when = FixedClock()()
    ids = ["D7.1-1", "D7.1-2", "D7.1-3", "D7.2-1", "D7.2-2"]
    return Session(id=sid, org=org, respondent=sid, role=role, workshop=workshop,
                   banks={"activities.effect": library.bank("activities.effect").version},
                   answers={"activities.effect": {q: Answer(level=n) for q, n in zip(ids, levels)}},
                   created=when, updated=when, status="completed")


def two_respondents(library, lang="zh", **kwargs):
    # activities.effect: five Likert items of 4 points (20 in all), α = level / 5.
    # A answers 1, 2, 4, 4, 4 → α 0.2 + 0.4 + 0.8 + 0.8 + 0.8 = 3.0 → 12 / 20 = 60.0 %
    # B answers 4, 3, 5, 4, 4 → α 0.8 + 0.6 + 1.0 + 0.8 + 0.8 = 4.0 → 16 / 20 = 80.0 %
    # group mean (003 §5.1.2) = 70.0 %; min 60.0, max 80.0; activities mean 70.0 → S = 70.0 from
    # the activities, management not assessed → 基本符合 (needs management maturity ≥ 2).
    # D7.1-1: levels 1 and 4 → spread 3 ≥ 2 → disagreement; mean level 2.5, mean α 0.5.
    # D7.1-2: levels 2 and 3 → spread 1 → no disagreement; mean level 2.5.
    # D7.1-3: 4 and 5 → no disagreement; mean level 4.5, mean α 0.9.
    # section 7.1 (12 points): A 5.6 / 12 = 46.7 %, B 9.6 / 12 = 80.0 % → mean (46.7 + 80.0) / 2 = 63.35 → 63.4
    # section 7.2 (8 points): A and B 6.4 / 8 = 80.0 % → 80.0
    # roles: leader 60.0, staff 80.0 → gap leader − staff = −20.0
    a = effect_session(library, "A", [1, 2, 4, 4, 4], "leader", **kwargs)
    b = effect_session(library, "B", [4, 3, 5, 4, 4], "staff", **kwargs)
    return group_result(library, kwargs.get("workshop", "2026 秋季研讨会"), kwargs.get("org", "湘潭市中心医院"),
                        [a, b], lang=lang)


def test_group_means_by_hand(library):
    g = two_respondents(library)
    (bank,) = g.banks
    assert bank.percents == [Decimal("60.0"), Decimal("80.0")]
    assert bank.mean_percent == Decimal("70.0")
    assert g.activities_mean_percent == Decimal("70.0")
    assert bank.sections == {"7.1": Decimal("63.4"), "7.2": Decimal("80.0")}
    items = {i.id: i for i in bank.items}
    assert items["D7.1-1"].disagreement and items["D7.1-1"].mean_level == Decimal("2.5")
    assert items["D7.1-1"].mean_alpha == Decimal("0.5")
    assert not items["D7.1-2"].disagreement and not items["D7.1-3"].disagreement
    assert g.grade.outcome == "basic" and g.grade.gate == "not assessed" and g.grade.needs_level == 2

    out = group_markdown(g, library, FixedClock()(), "zh")
    rows: dict[str, str] = {}
    for line in out.splitlines():  # the first row of each name: the items table comes before agreement and role gaps
        if line.startswith("| "):
            rows.setdefault(line.split(" | ")[0][2:], line)
    assert rows["服务效果"] == "| 服务效果 | 2 | `███████░░░` 70.0 | 60.0 | 80.0 |"  # one decimal in a column
    assert "`██████░░░░` 63.4" in rows["7.1 价值实现"]
    assert "`████████░░` 80.0" in rows["7.2 示范引领"]
    assert "| 2.5 | 0.5 | 1 | 4 | 2 | **意见分歧** |" in rows["D7.1-1"]
    assert "意见分歧" not in rows["D7.1-2"] and "| 2.5 | 0.5 | 2 | 3 | 2 |" in rows["D7.1-2"]
    assert "意见分歧" not in rows["D7.1-3"]
    assert "基本符合" in out and md(t("gate.not_assessed", "zh", need=2)) in out
    assert "| leader − staff | 服务效果 | −20.0 |" in out
    assert t("doc.closing.body", "zh") in out.replace("\\-", "-")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_group_html_and_text(library, lang):
    g = two_respondents(library, lang)
    out = group_html(g, library, FixedClock()(), lang)
    assert out.startswith("<!doctype html>") and "<svg" in out
    lowered = out.lower()
    for banned in ("http://", "https://", "<script", "src=", "<link", "url("):
        assert banned not in lowered
    for key in ("group.title", "grade", "group.banks", "group.sections", "group.items", "group.roles", "doc.closing"):
        assert escape(t(key, lang)) in out, key
    assert '<tr class="flag"><td>D7.1-1</td>' in out and '<tr><td>D7.1-2</td>' in out
    assert escape(t("group.disagreement", lang)) in out
    console = Console(width=140, record=True, file=io.StringIO())
    console.print(group_text(g, library, lang))
    text = console.export_text()
    assert t("group.title", lang) in text and t("group.disagreement", lang) in text
    assert "70" in text and "D7.1-1" in text


def test_group_without_roles_has_no_roles_part(library):
    a = effect_session(library, "A", [3, 3, 3, 3, 3], "")
    b = effect_session(library, "B", [4, 4, 4, 4, 4], "")
    g = group_result(library, "w", "o", [a, b])
    assert not g.roles
    assert t("group.roles", "zh") not in group_html(g, library, FixedClock()(), "zh")


def test_group_hostile_names(library):
    g = two_respondents(library, "en", org="Org " + HOSTILE_ALL, workshop="WS " + HOSTILE_ALL)
    g.roles[HOSTILE_ALL] = g.roles.pop("leader")
    out_html = group_html(g, library, FixedClock()(), "en")
    out_md = group_markdown(g, library, FixedClock()(), "en")
    for raw in HOSTILE[:2]:
        assert raw not in out_html and escape(raw) in out_html
        assert raw not in out_md and md(raw) in out_md
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(group_text(g, library, "en"))
    text = console.export_text()
    assert "[bold red]x[/]" in text  # shown as typed: never read as markup
    assert "WS <script>alert(1)</script>" in text


def test_svg_charts_escape_their_labels():
    from assistant.report import svg

    bars = svg.bar_chart([svg.BarRow(HOSTILE_ALL, Decimal("52.0"), strong=True), svg.BarRow("无数据", None),
                          svg.BarRow("over", 120, low=10, high=130)], title=HOSTILE_ALL)
    line = svg.line_chart([HOSTILE[0], "2026-11-21"], [svg.Series(HOSTILE[1], [Decimal("40"), None]),
                                                       svg.Series("活动", [Decimal("50"), Decimal("75.5")])],
                          title=HOSTILE[0])
    for chart in (bars, line):
        assert chart.startswith("<svg") and chart.endswith("</svg>")
        for raw in HOSTILE[:2]:
            assert raw not in chart
        assert "http" not in chart and "<script" not in chart
    assert escape(HOSTILE[0]) in bars and ">52<" in bars and ">—<" in bars
    assert escape(HOSTILE[1]) in line and "<polyline" in line  # the second series has two points
