"""One language at a time (issue 10): Chinese shows no English product text, English no Chinese; the
source standards are named in full where the chat explains a question; footer labels say what the
keys do; punctuation, headlines and decimals follow the language."""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal

import pytest
from rich.console import Console

from assistant.cli import main
from assistant.domain.answers import Answer
from assistant.domain.engine import Ask, Explain, Step
from assistant.domain.evaluate import evaluate
from assistant.clauses import STANDARDS, clause_ref
from assistant.i18n import t
from assistant.i18n_cli import wrap_cells
from assistant.i18n_errors import localise
from assistant.tui.app import SelfcheckApp
from assistant.tui.turns import render

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
ROOT_EXAMPLE = __import__("pathlib").Path(__file__).resolve().parent.parent / "examples" / "answers.json"


def plain(renderable, width: int = 100) -> str:
    console = Console(record=True, width=width, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def step_of(library, bank_id: str, qid: str) -> Step:
    from decimal import Decimal as D

    bank = library.bank(bank_id)
    section = bank.section_of(qid)
    return Step(bank=bank, section=section, question=bank.question(qid), number=1, total=len(bank.questions),
                bank_number=1, bank_total=1, earned=D(0), possible=bank.total_points, answer=None)


# -- clause references per language -------------------------------------------------------------------


@pytest.mark.parametrize("ref, en", [
    ("003 附录1 1.1", "003 Annex 1, 1.1"),
    ("003 附录3 1.1 / 附录4 1.1", "003 Annex 3, 1.1 / Annex 4, 1.1"),
    ("000 附录A", "000 Annex A"),
    ("003 附录1 7 制定服务规范", "003 Annex 1, 7"),
    ("003 附录4 5.3（原文编号：附录4 将“应急准备和响应”误编为 5.3）", "003 Annex 4, 5.3 (numbered as in the source)"),
    ("002 5.1.1", "002 5.1.1"),
    ("003 §5.3", "003 §5.3"),
    # a note between a clause and its item leaves them apart, and its numbering is said in English
    ("003 附录4 5.2（印作“5.3”）2)", "003 Annex 4, 5.2 2) (printed as 5.3)"),
])
def test_a_clause_reference_in_english_says_annex(ref, en):
    assert clause_ref(ref, "en") == en
    assert clause_ref(ref, "zh") == ref


def test_no_clause_or_related_clause_of_any_bank_shows_chinese_in_english(library):
    for bank in library.banks.values():
        for q in bank.questions:
            for ref in [q.clause, *q.refs]:
                assert not CJK.search(clause_ref(ref, "en")), (bank.id, q.id, ref)


def test_the_question_says_its_source_clause_in_the_language(library):
    step = step_of(library, "certification.service", "1.1")
    _, en = render(Ask(step), "en")
    assert "Source clause: 003 Annex 1, 1.1" in en.plain and "附录" not in en.plain
    _, zh = render(Ask(step), "zh")
    assert "来源条款：003 附录1 1.1" in zh.plain


# -- /why explains where the question comes from --------------------------------------------------------


def test_why_names_the_standards_in_full_and_adds_what_the_help_does_not_say(library):
    step = step_of(library, "activities.design", "5.1.1")
    q = step.question
    _, zh = render(Explain(step), "zh")
    assert "T/QAHN008—2025《卓越服务活动准则》" in zh.plain  # its own clause's standard
    assert "《服务标准编写融入卓越服务的指南》" in zh.plain and "000 4.3" in zh.plain  # related clauses, named
    assert "T/CCPITCSC《卓越服务良好实践转化为标准指南》" in zh.plain
    assert "本题满分 3.5 分" in zh.plain
    assert q.help.why("zh") not in zh.plain and q.help.evidence("zh") not in zh.plain  # no repeat of the question
    _, en = render(Explain(step), "en")
    assert "the guidelines for service-excellence activities" in en.plain and not CJK.search(en.plain)


def test_why_says_when_the_clause_text_is_lost_and_names_a_standard_once(library):
    step = step_of(library, "activities.verification", "D8.2-1")
    assert step.question.derived
    _, zh = render(Explain(step), "zh")
    assert "原文缺失" in zh.plain
    step = step_of(library, "certification.management", "5.2")
    _, en = render(Explain(step), "en")
    assert clause_ref(step.question.clause, "en") in en.plain and "003 Annex 3, 5.2 / Annex 4, " in en.plain
    assert en.plain.count("CTS TBSC55-2026") == 1  # the related 003 clause is not named again


def test_no_why_of_any_question_shows_chinese_in_english(library):
    for bank in library.banks.values():
        for q in bank.questions:
            _, en = render(Explain(step_of(library, bank.id, q.id)), "en")
            assert not CJK.search(en.plain), (bank.id, q.id, en.plain)


def test_the_help_names_every_standard_in_full():
    for code, (zh, en) in STANDARDS.items():
        assert f"{code} = {zh}" in t("help.body", "zh")
        assert f"{code} = {en}" in t("help.body", "en")


def test_the_help_and_the_chat_agree_on_esc():
    assert f"Esc {t('key.home', 'zh')}" in t("help.body", "zh").replace("Esc 回到首页", "Esc 首页")
    assert f"Esc {t('key.home', 'en').lower()}" in t("help.body", "en")


# -- English mode shows no Chinese in product texts ------------------------------------------------------


def test_english_product_texts_carry_no_chinese():
    from assistant.i18n import STRINGS

    # the language switch names the other language in its own script, as language pickers do
    allowed = {"key.lang", "cmd.lang.help"}
    offending = {k: en for k, (zh, en) in STRINGS.items() if k not in allowed and CJK.search(en)}
    assert not offending, offending


def english_session(store, library):
    answers = {b.id: {q.id: Answer(level=3) for q in b.questions if q.kind.scored} for b in library.banks.values()}
    return store.create_session("Acme Airport Services", {b.id: b.version for b in library.banks.values()}, "QA",
                                lang="en", answers=answers, status="completed")


def test_the_english_html_report_shows_no_chinese(store, library):
    from datetime import datetime, timezone

    from assistant.report import document

    session = english_session(store, library)
    data = document.report_data(store, library, session, evaluate(library, session), datetime.now(timezone.utc))
    html = document.html(data)
    assert "003 Annex 1, 1.1" in html and "003 Annex 3, 1.1 / Annex 4, 1.1" in html
    found = sorted(set(CJK.findall(html)))
    assert not found, (found, [m.group(0) for m in re.finditer(r".{40}[\u4e00-\u9fff]+.{20}", html)][:5])


# -- Chinese mode shows no English product texts -----------------------------------------------------------


def test_rules_profiles_have_chinese_names_and_keep_their_ids_in_json(store, library):
    from assistant.report.text import render as text_render
    from assistant.report.why import why_lines

    session = english_session(store, library).model_copy(update={"lang": "zh"})
    result = evaluate(library, session)
    text = plain(text_render(result, library))
    assert "评分规则：条文解读" in text and "clause-text" not in text
    assert any("条文解读" in line for line in why_lines(result, "zh"))
    assert result.to_json()["rules_profile"] == "clause-text"
    table_rows = evaluate(library, session.model_copy(update={"rules_profile": "table-rows"}))
    assert "表格行解读" in plain(text_render(table_rows, library))


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as e:  # argparse's --help and its errors
        code = e.code
    out = capsys.readouterr()
    return code, out.out, out.err


def all_commands() -> list[list[str]]:
    return [[], ["run"], ["banks"], ["banks", "list"], ["banks", "show"], ["banks", "validate"], ["sessions"],
            ["sessions", "list"], ["sessions", "reindex"], ["report"], ["history"], ["compare"], ["workshop"],
            ["workshop", "create"], ["workshop", "watch"], ["workshop", "add"], ["workshop", "list"],
            ["workshop", "report"], ["export"], ["import"], ["serve"], ["chat"], ["plan"], ["actions"],
            ["actions", "list"], ["actions", "add"], ["actions", "set"], ["actions", "export"]]


# English words of argparse and of our help texts; option names, metavars and choices are ASCII too
ENGLISH = re.compile(r"\b(usage|options|positional|arguments|show|help message|the|of|and|or|to|a|an|"
                     r"default|session|bank|store|Examples?)\b")


@pytest.mark.parametrize("command", all_commands(), ids=lambda c: " ".join(c) or "selfcheck")
def test_help_is_chinese_by_default_and_english_with_lang_en(capsys, command):
    code, out, _ = run_cli(capsys, *command, "--help")
    assert code == 0
    assert out.startswith("用法：selfcheck")
    words = " ".join(re.sub(r"\[[^\]]*\]|\{[^}]*\}|--?[\w-]+|[A-Z_:]{2,}|\$\w+|selfcheck[\w .:-]*|\S*\.\w+|"
                            r"certification\.\S+|[a-z]+-[a-z]+|\b(zh|en|hospital|power|transport|retail|other|"
                            r"leadership|planned|doing|done|dropped|clause|basic|three|four|five|text|json|md|"
                            r"html|csv|sessions|service|README|list|show|validate|reindex|create|watch|add|set|"
                            r"report|export|import|serve|chat|plan|actions|run|banks|history|compare|workshop|store|copy)\b",
                            " ", out).split())
    assert not ENGLISH.search(words), ENGLISH.search(words)
    code, out, _ = run_cli(capsys, *command, "--help", "--lang", "en")
    assert code == 0 and out.startswith("usage: selfcheck") and "show this help message" in out
    assert not CJK.search(out.replace("湘潭市中心医院", "")), out


def test_argparse_errors_are_chinese_by_default(capsys):
    code, _, err = run_cli(capsys, "run")
    assert code == 2
    assert "用法：selfcheck run" in err and "selfcheck run：错误：缺少必需的参数：--answers" in err
    code, _, err = run_cli(capsys, "run", "--answers", "x.json", "--format", "pdf")
    assert "参数 --format：无效的选项：'pdf'" in err
    code, _, err = run_cli(capsys, "run", "--lang", "en")
    assert "usage: selfcheck run" in err and "selfcheck run: error: the following arguments are required: --answers" in err
    assert "--answers" in err and not CJK.search(err)
    code, _, err = run_cli(capsys, "sessions", "list", "--nope")
    assert "无法识别的参数：--nope" in err


def test_our_errors_are_chinese_by_default(capsys, tmp_path):
    db = str(tmp_path / "db")
    code, _, err = run_cli(capsys, "report", "nonexistent", "--db", db)
    assert code == 2 and err.strip() == "selfcheck：错误：此存储中没有会话 'nonexistent'（见 selfcheck sessions list）"
    code, _, err = run_cli(capsys, "report", "nonexistent", "--db", db, "--lang", "en")
    assert err.startswith("selfcheck: error: no session 'nonexistent'")
    bad = json.loads(ROOT_EXAMPLE.read_text("utf-8"))
    bad["answers"]["activities.design"]["5.1.2"] = {"level": 3, "alpha": 0.9}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    code, _, err = run_cli(capsys, "run", "--answers", str(path), "--db", db)
    assert code == 2 and "activities.design › 5.1.2：α = 0.9 不在第 3 级的区间内" in err, err
    code, _, err = run_cli(capsys, "run", "--answers", str(path), "--suggestions", "-1", "--db", db)
    assert "α = 0.9" in err  # the file is checked first
    code, _, err = run_cli(capsys, "history", "--org", "无此机构", "--db", db)
    assert code == 2 and "此存储中没有 '无此机构' 的会话" in err


@pytest.mark.parametrize("message, zh", [
    ("the store /x is busy (another selfcheck holds index); try again", "存储 /x 正忙"),
    ("the store file /x/s/a.json is damaged: it is not valid JSON (Expecting value: line 1 column 1 (char 0)). "
     "It was left as it is (nothing was overwritten); restore it from a backup or move it aside to go on.",
     "存储文件 /x/s/a.json 已损坏：不是有效的 JSON（Expecting value: line 1 column 1 (char 0)）。该文件保持原样"),
    ("session 2026 was left out: the store file /x is damaged: it does not hold a JSON object. It was left as it is "
     "(nothing was overwritten); restore it from a backup or move it aside to go on.", "会话 2026 未列出：存储文件 /x 已损坏：内容不是 JSON 对象"),
    ("no workshop named 'w' (create it with `selfcheck workshop create`)", "没有名为 'w' 的研讨会"),
    ("a.json › answers › activities.nope: unknown bank (known banks: a, b)", "a.json › answers › activities.nope：未知题库"),
])
def test_store_and_input_messages_are_said_in_chinese(message, zh):
    assert localise(message, "zh").startswith(zh)
    assert localise(message, "en") == message


def test_chinese_help_wraps_by_columns_and_keeps_words_whole():
    lines = wrap_cells("如何解读 003 §5.3 的等级表：clause-text（条文解读，默认）或 table-rows（表格行解读）", 30)
    assert all(sum(2 if CJK.match(c) else 1 for c in line) <= 30 for line in lines), lines
    assert any("table-rows" in line for line in lines) and any("clause-text" in line for line in lines)
    assert not any(line.startswith(("，", "）", "：")) for line in lines)


# -- the app: command palette, footer, home-screen messages ------------------------------------------------


async def test_the_command_palette_and_its_key_speak_the_app_language(store, library):
    from textual.command import CommandInput, CommandList

    app = SelfcheckApp(store, library, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer = " ".join(str(k.render()) for k in app.screen.query("FooterKey"))
        assert "命令" in footer and "palette" not in footer
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        assert app.screen.query_one(CommandInput).placeholder == "搜索命令…"
        titles = [str(o.prompt) for o in app.screen.query_one(CommandList)._options]
        assert titles and all(CJK.search(x) for x in titles), titles
        assert not any(w in " ".join(titles) for w in ("Theme", "Keys", "Quit", "Screenshot"))
        await pilot.press(*"zzzz")
        await pilot.pause(0.8)
        shown = [str(o.prompt) for o in app.screen.query_one(CommandList)._options]
        assert any("没有匹配的命令" in x for x in shown), shown
        await pilot.press("escape")
        await pilot.press("f2")
        await pilot.pause()
        footer = " ".join(str(k.render()) for k in app.screen.query("FooterKey"))
        assert "Commands" in footer and "命令" not in footer
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        titles = [str(o.prompt) for o in app.screen.query_one(CommandList)._options]
        assert "Quit" in " ".join(titles) and not any(CJK.search(x) for x in titles if "中文" not in x)


async def test_the_result_screen_says_esc_goes_back_not_to_the_previous_question(store, library):
    from assistant.tui.screens.result import ResultScreen

    session = english_session(store, library)
    for lang, back, wrong in (("zh", "返回", "上一题"), ("en", "Back", None)):
        app = SelfcheckApp(store, library, lang)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            app.push_screen(ResultScreen(session.id))
            await pilot.pause()
            keys = {k.key: str(k.render()) for k in app.screen.query("FooterKey")}
            assert back in keys["escape"] and (wrong is None or wrong not in keys["escape"]), keys


async def test_home_screen_store_messages_are_chinese(store, library):
    from assistant.store import TinyStore

    bad = store.create_session("坏医院", {"activities.effect": "2026.1"})
    (store.root / "s" / f"{bad.id}.json").write_text("{torn", encoding="utf-8")
    app = SelfcheckApp(TinyStore(store.root), library, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        warnings = [n.message for n in app._notifications]
        assert any(bad.id in m and "已损坏" in m and "is damaged" not in m for m in warnings), warnings


# -- punctuation, headlines, decimals ---------------------------------------------------------------------


def test_english_grade_headlines_are_capitalised(store, library):
    from assistant.report.text import grade_panel

    session = english_session(store, library)
    result = evaluate(library, session)
    first = plain(grade_panel(result, "en")).splitlines()[1].strip("│ ")
    assert first[0].isupper(), first
    assert result.grade.label[0].islower()  # the label itself, inside sentences, stays as it is
    for key in ("gate.no_score", "gate.not_yet", "gate.met", "gate.capped", "gate.not_assessed", "gate.not_assessed_none"):
        assert t(key, "en")[0].isupper(), key  # each heads its own line under the grade


def test_chinese_report_lines_use_full_width_colons(store, library):
    from assistant.report.text import render as text_render

    session = english_session(store, library).model_copy(update={"lang": "zh"})
    text = plain(text_render(evaluate(library, session), library))
    for label in ("组织", "会话", "评分规则", "服务得分 S", "管理成熟度 M"):
        assert f"{label}：" in text and f"{label}: " not in text, label


def test_a_table_column_has_one_number_of_decimals(store, library):
    from assistant.report.text import banks_table

    session = english_session(store, library)
    session.answers["activities.design"]["5.1.1"] = Answer(level=4, alpha=Decimal("0.65"))
    result = evaluate(library, session)
    rows = [line.split("│") for line in plain(banks_table(result, library, "en"), 140).splitlines() if "│" in line]
    scores = [r[1].strip() for r in rows if "/" in r[1]]
    percents = [r[2].strip() for r in rows if r[2].strip()]
    decimals = {len(x.split(".")[1]) if "." in x else 0 for s in scores for x in s.split("/")}
    assert len(decimals) == 1 and decimals <= {0, 1, 2}, scores
    assert {len(p.split(".")[1]) for p in percents} == {1}, percents


async def test_the_home_screens_start_button_uses_full_width_brackets_in_chinese(store, library):
    from textual.widgets import Button

    from assistant.tui.app import SelfcheckApp

    for lang, label in (("zh", "（Ctrl+O）"), ("en", " (Ctrl+O)")):
        app = SelfcheckApp(store, library, lang)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert str(app.screen.query_one("#start", Button).label).endswith(label)
