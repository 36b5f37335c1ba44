"""The action plan in the app, driven with Textual's Pilot: the screen, the form, and what gets stored."""

from __future__ import annotations

from datetime import date

from textual.app import App
from textual.widgets import DataTable, Input, Label, Select, Static

from assistant.domain.actions import ItemRef
from assistant.tui.app import SelfcheckApp
from assistant.tui.screens.action_form import ActionForm, plan_action
from assistant.tui.screens.actions import ActionsScreen, next_status

ORG = "测试医院"


async def open_plan(app, pilot) -> ActionsScreen:
    await pilot.pause()
    app.push_screen(ActionsScreen(ORG))
    await pilot.pause()
    assert isinstance(app.screen, ActionsScreen)
    return app.screen


async def press(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause()


def fill(form: ActionForm, **fields: str) -> None:
    for name, value in fields.items():
        form.query_one(f"#form-{name}", Input).value = value


def rows(screen: ActionsScreen) -> list[list[str]]:
    table = screen.query_one(DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_add_an_action_through_the_form_cycle_its_status_and_see_it_stored(store, library):
    app = SelfcheckApp(store, library, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_plan(app, pilot)
        assert "还没有行动计划" in str(screen.query_one("#counts", Static).render())
        await press(pilot, "a")
        form = app.screen
        assert isinstance(form, ActionForm)
        fill(form, items="design:5.1.1 certification.service:4.3", what="候诊区加装隔音设施", owner="后勤处",
             due="2027-03-31", note="预算已批")
        await press(pilot, "ctrl+s")
        assert app.screen is screen
        [a] = store.list_actions(ORG)
        assert a.id == "A1" and a.what == "候诊区加装隔音设施" and a.owner == "后勤处" and a.note == "预算已批"
        assert a.items == [ItemRef(bank="activities.design", id="5.1.1"), ItemRef(bank="certification.service", id="4.3")]
        assert a.due == date(2027, 3, 31) and a.status == "planned"
        assert rows(screen)[0][:4] == ["A1", "计划中", "2027-03-31", "后勤处"]
        assert "共 1 项" in str(screen.query_one("#counts", Static).render())

        for expected in ("doing", "done", "dropped", "planned"):
            await press(pilot, "s")
            assert store.list_actions(ORG)[0].status == expected
        assert store.list_actions(ORG)[0].done is not None, "it was done once"


async def test_a_bad_date_is_shown_in_the_form_and_nothing_is_stored(store, library):
    app = SelfcheckApp(store, library, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_plan(app, pilot)
        await press(pilot, "a")
        form = app.screen
        fill(form, items="activities.design:5.1.1", what="需求调研", due="2027-02-30")
        await press(pilot, "ctrl+s")
        assert app.screen is form
        assert "“2027-02-30”不是日期" in str(form.query_one("#form-error", Label).render())
        assert form.focused is form.query_one("#form-due", Input)
        assert store.list_actions(ORG) == []

        fill(form, due="", items="activities.verification:8.2.0")  # a gate (D8.2-0, by its former id): not scored
        await press(pilot, "ctrl+s")
        assert "不计分" in str(form.query_one("#form-error", Label).render())
        fill(form, items="activities.design:5.1.1", what="  ")
        await press(pilot, "ctrl+s")
        assert "请写明要做什么" in str(form.query_one("#form-error", Label).render())
        assert store.list_actions(ORG) == []

        fill(form, what="需求调研")
        form.query_one("#form-what", Input).focus()
        await pilot.press("enter")  # Enter in a field saves too
        await pilot.pause()
        assert isinstance(app.screen, ActionsScreen)
        assert [a.what for a in store.list_actions(ORG)] == ["需求调研"]


async def test_edit_changes_the_stored_action_and_escape_changes_nothing(store, library):
    store.add_action(ORG, ["activities.design:5.1.1"], "需求调研", owner="质量办", due="2027-03-31")
    app = SelfcheckApp(store, library, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_plan(app, pilot)
        await press(pilot, "e")
        form = app.screen
        assert isinstance(form, ActionForm) and form.action_id == "A1"
        assert form.query_one("#form-what", Input).value == "需求调研"
        assert form.query_one("#form-due", Input).value == "2027-03-31"
        await press(pilot, "escape")
        assert app.screen is screen
        before = store.list_actions(ORG)[0]

        await press(pilot, "e")
        fill(app.screen, owner="王芳", due="")
        app.screen.query_one("#form-status", Select).value = "doing"
        await press(pilot, "ctrl+s")
        [after] = store.list_actions(ORG)
        assert (after.owner, after.due, after.status, after.what) == ("王芳", None, "doing", "需求调研")
        assert after.created == before.created and after.updated > before.updated
        assert rows(screen)[0][:2] == ["A1", "doing"]


async def test_labels_follow_the_language(store, library):
    store.add_action(ORG, ["activities.design:5.1.1"], "x", status="done")
    app = SelfcheckApp(store, library, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_plan(app, pilot)
        assert rows(screen)[0][1] == "已完成"
        await press(pilot, "f2")
        assert rows(screen)[0][1] == "done"
        assert "Action plan of" in str(screen.query_one("#title", Static).render())
        await press(pilot, "escape")
        assert not isinstance(app.screen, ActionsScreen)


async def test_keys_on_an_empty_plan_say_what_to_do(store, library):
    app = SelfcheckApp(store, library, "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_plan(app, pilot)
        await press(pilot, "s")
        await press(pilot, "e")
        assert isinstance(app.screen, ActionsScreen)
        assert any("Highlight an action first" in str(n.message) for n in app._notifications)


class FormHost(App):
    """A bare app: the form must work outside selfcheck's own app too."""

    def __init__(self, form: ActionForm):
        super().__init__()
        self.form = form
        self.result: object = "not dismissed"

    def on_mount(self) -> None:
        self.push_screen(self.form, lambda values: setattr(self, "result", values))


async def test_the_form_standalone_returns_the_values_with_its_presets():
    items = [ItemRef(bank="certification.service", id="4.3")]
    host = FormHost(ActionForm(items=items, what="加装隔音", method="leadership.a", session="20261121-abcdef"))
    async with host.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert host.form.focused is host.form.query_one("#form-what", Input), "with items preset, start at what"
        fill(host.form, owner="后勤处", due="2027-03-31")
        await press(pilot, "ctrl+s")
    assert host.result == {"items": items, "what": "加装隔音", "owner": "后勤处", "due": date(2027, 3, 31),
                           "status": "planned", "note": "", "method": "leadership.a", "session": "20261121-abcdef"}


async def test_the_form_standalone_cancelled_gives_none():
    host = FormHost(ActionForm(items=["certification.service:4.3"]))
    async with host.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await press(pilot, "escape")
    assert host.result is None


async def test_plan_action_opens_the_form_and_stores_what_it_returns(store, library):
    session = store.create_session(ORG, {"certification.service": "2026.1"})
    app = SelfcheckApp(store, library, "zh")
    saved = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        plan_action(app, ORG, [ItemRef(bank="certification.service", id="4.3")], "加装隔音",
                    method="leadership.a", session=session.id, on_saved=saved.append)
        await pilot.pause()
        assert isinstance(app.screen, ActionForm)
        assert app.screen.query_one("#form-items", Input).value == "certification.service:4.3"
        await press(pilot, "ctrl+s")
        assert not isinstance(app.screen, ActionForm)
    [a] = store.list_actions(ORG)
    assert saved == [a]
    assert (a.what, a.method, a.session) == ("加装隔音", "leadership.a", session.id)


async def test_the_palette_opens_the_plan_of_the_organisation_of_a_screen(store, library):
    from assistant.tui.screens.history import HistoryScreen

    app = SelfcheckApp(store, library, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(HistoryScreen(ORG))
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "行动计划" in titles
        app.open_actions(ORG)
        await pilot.pause()
        assert isinstance(app.screen, ActionsScreen) and app.screen.org == ORG
        app.open_actions(ORG)  # already there: not stacked twice
        await pilot.pause()
        assert sum(isinstance(s, ActionsScreen) for s in app.screen_stack) == 1


def test_status_cycles_through_all_four():
    assert [next_status(s) for s in ("planned", "doing", "done", "dropped")] == ["doing", "done", "dropped", "planned"]


async def test_switching_language_keeps_the_highlighted_action_and_relabels_the_form(store, library):
    for n in range(3):
        store.add_action(ORG, ["activities.design:5.1.1"], f"step {n}")
    app = SelfcheckApp(store, library, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_plan(app, pilot)
        await press(pilot, "down", "down")
        assert screen.current().id == "A3"
        assert "A3 step 2" in str(screen.query_one("#detail", Static).render())
        await press(pilot, "f2")
        assert screen.current().id == "A3" and rows(screen)[2][1] == "planned"
        await press(pilot, "e")
        form = app.screen
        assert str(form.query_one("#form-title", Label).render()) == "Edit action A3"
        await press(pilot, "f2")
        assert str(form.query_one("#form-title", Label).render()) == "编辑行动 A3"
        assert str(form.query_one("#label-due", Label).render()) == "截止日期"
        assert form.query_one("#form-status", Select).value == "planned"
