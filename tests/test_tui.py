"""Whole flows through the chat app, driven with Textual's Pilot: what a user presses, what they see, what is stored."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from rich.console import Console

from assistant.domain.answers import Answer
from assistant.store import TinyStore
from assistant.tui.app import SelfcheckApp
from assistant.tui.screens.chat import ChatScreen
from assistant.tui.screens.home import HomeScreen
from assistant.tui.screens.result import ResultScreen
from assistant.tui.widgets.transcript import Bubble

EFFECT = {"activities.effect": "2026.1"}  # D7.1-1 D7.1-2 D7.1-3 D7.2-1 D7.2-2 7.evidence


def rich_text(renderable) -> str:
    console = Console(record=True, width=100, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def texts(app) -> list[str]:
    return [b.plain for b in app.screen.query(Bubble)]


def progress(app) -> str:
    return str(app.screen.query_one("#progress-text").render())


def answers(store: TinyStore, sid: str) -> dict:
    return store.get_session(sid).answers.get("activities.effect", {})


async def type_line(pilot, text: str) -> None:
    reply = pilot.app.screen.query_one("#reply")
    reply.value = text
    await pilot.press("enter")
    await pilot.pause()


@pytest.fixture
def session(store):
    return store.create_session("测试医院", EFFECT, "张三")


async def test_answer_a_whole_flow_and_see_the_grade(store, library, session):
    app = SelfcheckApp(store, library, "zh", chat=session.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)
        assert "第 1/6 题" in progress(app)
        for _ in range(5):
            await pilot.press("5")
            await pilot.pause()
        assert "第 6/6 题" in progress(app)
        await type_line(pilot, "年度服务报告、顾客满意度调查")
        stored = store.get_session(session.id)
        assert stored.status == "completed"
        assert stored.answers["activities.effect"]["7.evidence"].text == "年度服务报告、顾客满意度调查"
        assert all(stored.answers["activities.effect"][q].level == 5 for q in ("D7.1-1", "D7.1-2", "D7.1-3", "D7.2-1", "D7.2-2"))
        shown = "\n".join(texts(app))
        assert "流程完成：20/20 分（100%）" in shown
        # 20/20 of the activities = 100 with management not assessed: five-star, gate not assessed
        assert "暂定等级：五星级" in shown
        assert "需要管理成熟度 ≥ 4 级" in shown
        assert "自评已完成" in progress(app)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ResultScreen)
        result_text = rich_text(app.screen.query_one("#result").content)
        assert "五星级" in result_text and "服务效果" in result_text


async def test_weak_answer_asks_for_evidence_and_keeps_the_note(store, library, session):
    app = SelfcheckApp(store, library, "zh", chat=session.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        assert "得分偏低" in texts(app)[-1]
        assert "可参考的改进方法" in texts(app)[-1]
        # digits now type into the note instead of answering the next question
        await type_line(pilot, "3 个科室没有记录 [bold]证据[/bold]")
        note = answers(store, session.id)["D7.1-1"].note
        assert note == "3 个科室没有记录 [bold]证据[/bold]"
        assert any("3 个科室没有记录 [bold]证据[/bold]" in t for t in texts(app)), "user text must be shown literally"
        assert "第 2/6 题" in progress(app)


async def test_back_skip_and_na(store, library, session):
    app = SelfcheckApp(store, library, "zh", chat=session.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("5")
        await pilot.pause()
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert "第 1/6 题" in progress(app)
        assert "当前答案：5 · 远高于预期" in texts(app)[-1]
        await pilot.press("4")
        await pilot.pause()
        assert answers(store, session.id)["D7.1-1"].level == 4
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert answers(store, session.id)["D7.1-2"].skipped
        await type_line(pilot, "n/a")
        assert "写明原因" in texts(app)[-1]
        assert "D7.1-3" not in answers(store, session.id)
        await type_line(pilot, "n/a 本院不涉及社会公益项目")
        assert answers(store, session.id)["D7.1-3"].na == "本院不涉及社会公益项目"
        await type_line(pilot, "what?")
        assert "没有理解" in texts(app)[-1]
        await type_line(pilot, "高于预期")
        assert answers(store, session.id)["D7.2-1"].level == 4
        await type_line(pilot, "0.7")
        assert answers(store, session.id)["D7.2-2"].alpha is not None
        assert str(answers(store, session.id)["D7.2-2"].alpha) == "0.7"


async def test_resume_after_restart_keeps_everything(store, library, session):
    app = SelfcheckApp(store, library, "zh", chat=session.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("4")
        await pilot.pause()
        await pilot.press("5")
        await pilot.pause()
    # a new process: a new store object on the same folder, a new app
    again = TinyStore(store.root)
    app2 = SelfcheckApp(again, library, "zh", chat=session.id, resumed=True)
    async with app2.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "第 3/6 题" in progress(app2)
        assert "已答 2 题" in texts(app2)[0]
        await pilot.press("3")
        await pilot.pause()
    kept = again.get_session(session.id).answers["activities.effect"]
    assert [kept[q].level for q in ("D7.1-1", "D7.1-2", "D7.1-3")] == [4, 5, 3]


async def test_switch_language_relabels_everything(store, library, session):
    app = SelfcheckApp(store, library, "zh", chat=session.id)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "服务效果" in progress(app)
        await pilot.press("f2")
        await pilot.pause()
        assert app.lang == "en"
        assert "question 1 of 6" in progress(app) and "Service outcomes" in progress(app)
        assert "Why it matters" in texts(app)[-1]
        footer = " ".join(str(k.render()) for k in app.screen.query("FooterKey"))
        assert "Back" in footer and "上一题" not in footer
        await pilot.press("4")
        await pilot.pause()
        assert "4 · above expectations" in texts(app)
        await pilot.press("f2")
        await pilot.pause()
        assert "4 · 高于预期" in texts(app)


async def test_home_starts_a_session_with_the_four_activity_flows(store, library):
    app = SelfcheckApp(store, library, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("ctrl+o")  # no organisation yet: refused, nothing created
        await pilot.pause()
        assert store.list_sessions() == []
        app.screen.query_one("#org").value = "[red]Acme[/red] 机场"
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)
        (summary,) = store.list_sessions()
        assert summary.org == "[red]Acme[/red] 机场"
        assert summary.banks == ["activities.design", "activities.realisation", "activities.effect",
                                 "activities.verification"]
        assert "[red]Acme[/red] 机场" in str(app.screen.query_one("#title").render())
        await pilot.press("4")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one("#sessions")
        assert table.row_count == 1


async def test_a_new_self_check_left_without_an_answer_is_not_kept(store, library):
    app = SelfcheckApp(store, library, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one("#org").value = "改主意的医院"
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen) and len(store.list_sessions()) == 1
        await pilot.press("escape")
        await pilot.pause()
        assert store.list_sessions() == []
        assert app.screen.query_one("#sessions").row_count == 0


async def test_gate_no_skips_the_follow_ups(store, library):
    session = store.create_session("Org", {"activities.verification": "2026.1"})
    app = SelfcheckApp(store, library, "en", chat=session.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key in "555":  # D8.1-1 D8.1-2 D8.1-3
            await pilot.press(key)
            await pilot.pause()
        assert "question 4 of 7" in progress(app)  # the gate D8.2-0
        await pilot.press("3")  # no
        await pilot.pause()
        assert "question 5 of 5" in progress(app)  # D8.2-1 and D8.2-2 are not asked
        assert answers(store, session.id) == {}
        stored = store.get_session(session.id).answers["activities.verification"]
        assert stored["D8.2-0"].choice == "no"
        assert "D8.2-1" not in stored


async def test_start_from_a_previous_session_confirms_or_changes_each_answer(store, library):
    from assistant.domain.answers import Answer

    before = store.create_session("测试医院", EFFECT, "张三", status="completed", answers={"activities.effect": {
        "D7.1-1": Answer(level=4, note="年度报告"), "D7.1-2": Answer(level=2), "D7.1-3": Answer(na="不涉及")}})
    app = SelfcheckApp(store, library, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one("#sessions").focus()
        await pilot.press("ctrl+f")
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)
        new = next(s for s in store.list_sessions() if s.session_id != before.id)
        assert store.get_session(new.session_id).baseline == before.id
        assert "上次的答案：4 · 高于预期" in texts(app)[-1]
        await pilot.press("enter")  # keep 4, with last time's note
        await pilot.pause()
        assert "上次的答案：2 · 低于预期" in texts(app)[-1]
        await pilot.press("5")  # change 2 to 5
        await pilot.pause()
        await type_line(pilot, "保留")  # keep N/A
        kept = store.get_session(new.session_id).answers["activities.effect"]
        assert kept["D7.1-1"].level == 4 and kept["D7.1-1"].note == "年度报告"
        assert kept["D7.1-2"].level == 5
        assert kept["D7.1-3"].na == "不涉及"
        assert "D7.2-1" not in kept and "第 4/6 题" in progress(app)
        await pilot.press("enter")  # no baseline for D7.2-1: Enter does nothing
        await pilot.pause()
        assert "第 4/6 题" in progress(app)


async def test_participant_joins_and_sees_only_their_chat(store, library):
    """`selfcheck participant` on its own asks for the name and role (the join code is the
    server's: tests/test_serve_room.py)."""
    store.create_workshop("培训班", "测试医院", ["activities.effect"])
    other = store.create_session("测试医院", EFFECT, "别人", workshop="培训班")
    workshop = store.get_workshop("培训班")
    app = SelfcheckApp(store, library, "zh", participant=workshop)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.click("#join")
        await pilot.pause()
        assert "请填写姓名" in str(screen.query_one("#join-error").render())
        assert len(store.sessions(workshop="培训班")) == 1  # nothing created
        screen.query_one("#name").value = "王五"
        screen.query_one("#role").value = "员工"
        await pilot.click("#join")
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)
        mine = [s for s in store.sessions(workshop="培训班") if s.id != other.id]
        assert len(mine) == 1 and mine[0].respondent == "王五" and mine[0].role == "员工"
        assert mine[0].banks == {"activities.effect": "2026.2"}  # the bank's version now (issue 15 changed it)
        await pilot.press("escape")  # no way home to other sessions
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)
        footer = " ".join(str(k.render()) for k in app.screen.query("FooterKey"))
        assert "首页" not in footer
        await pilot.press("4")
        await pilot.pause()
        assert store.get_session(mine[0].id).answers["activities.effect"]["D7.1-1"].level == 4


async def test_a_served_participant_opens_the_session_the_server_admitted(store, library):
    store.create_workshop("培训班", "测试医院", ["activities.effect"])
    mine = store.create_session("测试医院", EFFECT, "王五", workshop="培训班")
    app = SelfcheckApp(store, library, "zh", participant=store.get_workshop("培训班"), chat=mine.id, resumed=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen) and app.screen.session_id == mine.id
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)
        await pilot.press("3")
        await pilot.pause()
        assert store.get_session(mine.id).answers["activities.effect"]["D7.1-1"].level == 3
        assert [s.id for s in store.sessions(workshop="培训班")] == [mine.id]


async def test_history_trend_and_comparison_and_report_export(store, library, tmp_path):
    from textual.widgets import Sparkline

    from assistant.domain.answers import Answer
    from assistant.tui.screens.history import HistoryScreen

    for level in (2, 3, 5):
        store.create_session("<b>医院</b>", EFFECT, status="completed", answers={"activities.effect": {
            q: Answer(level=level) for q in ("D7.1-1", "D7.1-2", "D7.1-3", "D7.2-1", "D7.2-2")}})
    app = SelfcheckApp(store, library, "zh")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        app.screen.query_one("#sessions").focus()
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen.query_one("#history").row_count == 3
        lines = app.screen.query(Sparkline)
        assert len(lines) >= 3  # the activities and each section
        assert any("40.0 → 100.0" in str(label.render()) for label in app.screen.query(".trend-values"))
        await pilot.press("ctrl+k")  # the latest against the one before: every item improved
        await pilot.pause()
        shown = rich_text(app.screen.query_one("#comparison").content)
        assert "进步的条款（5）" in shown and "退步的条款（0）" in shown
        await pilot.press("escape")
        await pilot.pause()
        table = app.screen.query_one("#sessions")
        table.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ResultScreen)
        await pilot.press("ctrl+e")
        await pilot.pause()
        target = tmp_path / "报告.html"
        app.screen.query_one("#export-path").value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        html = target.read_text(encoding="utf-8")
        assert "<b>医院</b>" not in html and "&lt;b&gt;医院&lt;/b&gt;" in html
        assert "<svg" in html


async def test_home_warns_about_a_damaged_session_and_lists_the_others(store, library):
    good = store.create_session("好医院", EFFECT)
    bad = store.create_session("坏医院", EFFECT)
    (store.root / "s" / f"{bad.id}.json").write_text("{torn", encoding="utf-8")
    app = SelfcheckApp(TinyStore(store.root), library, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#sessions")
        assert table.row_count == 1 and table.coordinate_to_cell_key((0, 0)).row_key.value == good.id
        warnings = [n.message for n in app._notifications]
        assert any(bad.id in m and "已损坏" in m for m in warnings), warnings


async def test_notifications_show_names_literally(store, library):
    app = SelfcheckApp(store, library, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one("#org").value = "医院"
        app.screen.query_one("#workshop").value = "[bold red]不存在[/]"
        await pilot.press("ctrl+o")
        await pilot.pause()
        (note,) = [n for n in app._notifications]
        assert "[bold red]不存在[/]" in note.message and not note.markup


async def test_chinese_lines_never_start_with_a_closing_mark(store, library, session):
    from assistant.tui.wrap import CLOSING, OPENING

    app = SelfcheckApp(store, library, "zh", chat=session.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key in "2":  # a weak answer: the evidence prompt and a 附录A tip as well
            await pilot.press(key)
        await pilot.pause()
        bubbles = list(app.screen.query(Bubble))
        lines = [line for b in bubbles for line in b.render().plain.split("\n")]
        assert len(lines) > len(bubbles), "the Chinese text should span several lines at 80 columns"
        assert not [line for line in lines if line[:1] in CLOSING], lines
        assert not [line for line in lines if line.rstrip()[-1:] in OPENING], lines
        for b in bubbles:  # and nothing is lost or added but line breaks (and the spaces they replace)
            assert "".join(b.render().plain.split()) == "".join(b.plain.split())
