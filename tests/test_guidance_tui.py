"""Result → path to the next grade → actions → a repeat self-check that shows them, in the app
(Textual's Pilot), in Chinese and English at 80×24."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Static

from assistant.domain.answers import Answer
from assistant.tui.app import SelfcheckApp
from assistant.tui.screens.action_form import ActionForm
from assistant.tui.screens.plan import PlanScreen
from assistant.tui.screens.result import ResultScreen
from assistant.tui.widgets.transcript import Bubble
from tests.test_tui import rich_text

ORG = "湘潭市中心医院"


def full_session(store, library, level=3, sector="hospital"):
    answers = {}
    scored = [b for b in library.banks.values() if b.kind != "checklist"]  # the checklists are optional flows
    for bank in scored:
        answers[bank.id] = {q.id: Answer(level=level) for q in bank.questions if q.kind.scored}
        answers[bank.id].update({q.id: Answer(choice="yes") for q in bank.questions if q.kind.value == "gate"})
    banks = {b.id: b.version for b in scored}
    return store.create_session(ORG, banks, "质量办", answers=answers, status="completed", sector=sector)


def text_of(screen, selector: str) -> str:
    return " ".join(rich_text(screen.query_one(selector, Static).content).split())


@pytest.mark.parametrize("lang, words", [("zh", ("达到“三星级”的路径", "医院示例", "下一步")),
                                         ("en", ("The path to “three-star”", "Example, hospital", "Next step"))])
async def test_result_to_path_to_an_action(store, library, lang, words):
    session = full_session(store, library, level=3)  # S 60 %, M 3: 基本符合; the next grade up is 三星级
    app = SelfcheckApp(store, library, lang)
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ResultScreen(session.id))
        await pilot.pause()
        assert ("为什么是这个等级" if lang == "zh" else "Why this grade") in text_of(app.screen, "#result")
        await pilot.press("p")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlanScreen)
        head = text_of(screen, "#plan-head")
        assert words[0] in head and screen.plan.target == "three-star"
        assert screen.plan.reachable and screen.plan.steps and screen.plan.after.outcome == "three-star"
        table = screen.query_one(DataTable)
        result = app.screen  # rows: the raises, then the suggestions
        assert table.row_count == len(screen.plan.steps) + sum(1 for r in result.rows if r[0] == "suggestion")
        detail = text_of(screen, "#plan-detail")
        assert words[1] in detail and words[2] in detail
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ActionForm)
        await pilot.press("ctrl+s")
        await pilot.pause()
        [action] = store.list_actions(ORG)
        step = screen.plan.steps[0]
        assert [(i.bank, i.id) for i in action.items] == [(step.bank, step.id)]
        assert action.session == session.id and action.what  # prefilled with the next step


async def test_the_target_key_cycles_targets_and_the_plan_follows(store, library):
    session = full_session(store, library, level=3)
    app = SelfcheckApp(store, library, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(PlanScreen(session.id))
        await pilot.pause()
        seen = []
        for _ in range(4):
            seen.append((app.screen.plan.target, app.screen.plan.level_steps))
            await pilot.press("t")
            await pilot.pause()
        targets = [s[0] for s in seen]
        assert len(set(targets)) == 4
        steps = dict(seen)
        assert steps["basic"] <= steps["three-star"] <= steps["four-star"] <= steps["five-star"]


async def test_a_repeat_self_check_opens_with_the_action_plan(store, library):
    first = full_session(store, library, level=3)
    from assistant.domain.actions import ItemRef

    store.add_action(ORG, [ItemRef(bank="certification.service", id="4.3")], "候诊区降噪", owner="后勤处",
                     session=first.id)
    app = SelfcheckApp(store, library, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        app.start_session(ORG, "质量办", list(first.banks), baseline=first.id, sector=first.sector)
        await pilot.pause()
        texts = [b.plain for b in app.screen.query(Bubble)]
        plan = next(t for t in texts if "行动计划" in t)
        assert "A1" in plan and "候诊区降噪" in plan and "4.3: 建立行动时 3 级" in plan
        question = texts[-1]
        assert "医院示例" in question, "the sector is carried to the repeat self-check"
