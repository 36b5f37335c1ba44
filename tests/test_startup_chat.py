"""A chat opened from the command line (issue 14 §2): only the chat is built at launch; home is
built when the chat is left, and leaving works as it did (Esc, the palette's "new", a chat that
cannot open)."""

from __future__ import annotations

from assistant.domain.answers import Answer
from assistant.tui.app import SelfcheckApp
from assistant.tui.screens.chat import ChatScreen
from assistant.tui.screens.home import HomeScreen

EFFECT = {"activities.effect": "2026.1"}


def homes(app) -> int:
    return sum(isinstance(s, HomeScreen) for s in app.screen_stack)


async def test_a_chat_from_the_command_line_builds_no_home_until_it_is_left(store, library):
    older = store.create_session("老医院", EFFECT, "李四")
    store.record_answer(older.id, "activities.effect", "D7.1-1", Answer(level=3))
    mine = store.create_session("测试医院", EFFECT, "张三")
    app = SelfcheckApp(store, library, "zh", chat=mine.id, org="测试医院", respondent="张三")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen) and homes(app) == 0
        await pilot.press("4")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and homes(app) == 1
        assert len(app.screen_stack) == 2  # home took the chat's place, above Textual's default screen
        # the form keeps what the command line said; the list has both self-checks
        assert app.screen.query_one("#org").value == "测试医院"
        assert app.screen.query_one("#respondent").value == "张三"
        assert app.screen.query_one("#sessions").row_count == 2
        # from there, a chat and back again as from a home opened first
        app.screen.query_one("#sessions").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and homes(app) == 1 and len(app.screen_stack) == 2


async def test_an_unanswered_chat_opened_directly_is_not_kept_when_left(store, library):
    mine = store.create_session("改主意的医院", EFFECT, "张三")
    app = SelfcheckApp(store, library, "zh", chat=mine.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert store.list_sessions() == [] and app.screen.query_one("#sessions").row_count == 0


async def test_a_chat_that_cannot_open_shows_home(store, library):
    mine = store.create_session("测试医院", {"activities.nonexistent": "1"}, "张三")
    app = SelfcheckApp(store, library, "en", chat=mine.id, resumed=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and len(app.screen_stack) == 2


async def test_a_served_participant_still_has_no_home(store, library):
    store.create_workshop("培训班", "测试医院", ["activities.effect"])
    app = SelfcheckApp(store, library, "zh", participant=store.get_workshop("培训班"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.switch_to_home()
        await pilot.pause()
        assert homes(app) == 0


async def test_garbage_collection_paused_by_the_launcher_resumes_once_the_first_frame_is_shown(store, library):
    """launch.py pauses collection for start-up; the app must resume it, or a long session never frees cycles."""
    import gc

    mine = store.create_session("测试医院", EFFECT, "张三")
    gc.disable()
    try:
        app = SelfcheckApp(store, library, "zh", chat=mine.id, gc_paused=True)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert gc.isenabled() and not app.gc_paused
            assert isinstance(app.screen, ChatScreen)
    finally:
        gc.enable()
