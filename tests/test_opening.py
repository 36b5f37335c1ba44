"""The opening frame (issue 14 §2): a new chat shows its greeting and first question at once, from
the frame the previous launch kept, and the live chat takes its place with the same texts once the
models, banks and store are loaded in a thread. Typing meanwhile is kept; a failure is reported as
before; a frame that is damaged or stale is never what the user answers."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from assistant.store import StoreError, TinyStore
from assistant.tui import launch, opening
from assistant.tui.screens.chat import ChatScreen
from assistant.tui.screens.opening import OpeningScreen
from assistant.tui.widgets.transcript import Bubble

PROJECT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    """Each test starts with no frame kept (the run's cache folder is shared by every test)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv(opening.ENV_OFF, raising=False)


def chat_args(db: Path, org: str = "测试医院", lang: str | None = None, **more) -> argparse.Namespace:
    values = dict(db=str(db), lang=lang, org=org, respondent="", bank=None, resume=None, rules="clause-text",
                  workshop=None, role=None, sector=None, baseline=None)
    values.update(more)
    return argparse.Namespace(**values)


def texts(app) -> list[str]:
    return [b.text.plain for b in app.screen.query(Bubble)]


async def until(pilot, condition, tries: int = 400) -> None:
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError("never happened")


def live(app) -> bool:
    return isinstance(app.screen, ChatScreen) and app.screen.conversation is not None


async def first_chat(db: Path, **more) -> list[str]:
    """A launch with no frame kept: the chat as before, which keeps its opening. Its bubbles' texts."""
    app = launch.build_app(chat_args(db, **more), terminal=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: live(app))
        await pilot.pause(0.05)
        shown = texts(app)
        await pilot.press("ctrl+q")  # left unanswered: not kept
    return shown


async def test_a_second_new_chat_shows_the_kept_opening_first_then_the_live_chat_with_the_same_texts(tmp_path):
    shown_first = await first_chat(tmp_path / "db")
    assert "你好" in shown_first[0] and "5.1" in shown_first[1]  # the greeting and the first question
    app = launch.build_app(chat_args(tmp_path / "db", org="另一家医院"), terminal=False)
    assert app.store is None and app.library is None  # nothing loaded before the frame is up
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.screen.query(Bubble))
        assert isinstance(app.screen, OpeningScreen)
        assert texts(app) == shown_first
        assert "另一家医院" in app.screen.query_one("#title").render().plain  # this launch's name, not the last one's
        await pilot.pause(0.01)
        # laid out and styled as the chat lays them out: nothing moves when the live chat takes its place
        framed = [(b.region, b.styles.background) for b in app.screen.query(Bubble)]
        reply = app.screen.query_one("#reply").region
        await until(pilot, lambda: live(app))
        await pilot.pause(0.05)
        assert texts(app) == shown_first
        assert [(b.region, b.styles.background) for b in app.screen.query(Bubble)] == framed
        assert app.screen.query_one("#reply").region == reply
        await pilot.press("4", "enter")  # answered in the live chat, saved
        await pilot.pause(0.05)
    sessions = TinyStore(tmp_path / "db").list_sessions()
    assert {s.org for s in sessions} == {"另一家医院"} and sessions[0].answered == 1


async def test_what_is_typed_while_the_chat_loads_is_kept_and_answered_as_typed(tmp_path, monkeypatch):
    await first_chat(tmp_path / "db")
    go = threading.Event()
    prepare = launch._prepare

    def held(*args):
        go.wait(10)
        return prepare(*args)

    monkeypatch.setattr(launch, "_prepare", held)
    app = launch.build_app(chat_args(tmp_path / "db"), terminal=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, OpeningScreen))
        await pilot.press("4", "space", *"已有三项团体标准")
        await pilot.press("f2")  # ignored while loading (no language switch of a frame)
        go.set()
        await until(pilot, lambda: live(app))
        await pilot.pause(0.05)
        assert app.screen.query_one("#reply").value == "4 已有三项团体标准" and app.lang == "zh"
        await pilot.press("enter")
        await pilot.pause(0.05)
    store = TinyStore(tmp_path / "db")
    session = store.get_session(store.list_sessions()[0].session_id)
    answer = next(iter(next(iter(session.answers.values())).values()))
    assert answer.level == 4 and answer.note == "已有三项团体标准"


async def test_quitting_while_the_chat_loads_leaves_no_empty_session(tmp_path, monkeypatch):
    await first_chat(tmp_path / "db")
    go = threading.Event()
    prepare = launch._prepare
    monkeypatch.setattr(launch, "_prepare", lambda *a: (go.wait(10), prepare(*a))[1])
    app = launch.build_app(chat_args(tmp_path / "db"), terminal=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, OpeningScreen))
        await pilot.press("ctrl+q")
        go.set()
        await pilot.pause(0.5)
    assert app.return_code == 0 and app.failure is None
    assert TinyStore(tmp_path / "db").list_sessions() == []


async def test_a_store_that_cannot_be_opened_is_reported_as_before(tmp_path):
    await first_chat(tmp_path / "db")
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    app = launch.build_app(chat_args(blocked), terminal=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.5)
    assert isinstance(app.failure, StoreError) and app.return_code == 1


def test_bad_arguments_are_refused_before_anything_opens(tmp_path):
    from assistant.domain.limits import TooLong

    with pytest.raises(TooLong):
        launch.build_app(chat_args(tmp_path / "db", org="长" * 201), terminal=False)
    assert not (tmp_path / "db").exists()


@pytest.mark.parametrize("damage", ["not json", json.dumps({"format": 1}), "bubbles-markup"])
async def test_a_damaged_or_foreign_frame_is_not_shown_and_is_written_again(tmp_path, damage):
    good = await first_chat(tmp_path / "db")
    [frame] = list((tmp_path / "cache" / "selfcheck" / "opening").glob("*.json"))
    if damage == "bubbles-markup":  # a role that is not ours: the whole frame is refused, not read as text
        data = json.loads(frame.read_text())
        data["bubbles"][0][0] = "[bold]x"
        damage = json.dumps(data)
    frame.write_text(damage)
    app = launch.build_app(chat_args(tmp_path / "db"), terminal=False)
    assert app.store is not None  # loaded first, as without a frame
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: live(app))
        await pilot.pause(0.1)
        assert texts(app) == good
    assert opening.Opening.from_json(json.loads(frame.read_text())) is not None


async def test_a_stale_frame_is_replaced_by_the_live_chat_and_kept_as_the_live_chat_shows_it(tmp_path):
    good = await first_chat(tmp_path / "db")
    [frame] = list((tmp_path / "cache" / "selfcheck" / "opening").glob("*.json"))
    data = json.loads(frame.read_text())
    data["bubbles"][1][1] = "一道旧题目"
    data["bubbles"][1][3] = []
    frame.write_text(json.dumps(data, ensure_ascii=False))
    app = launch.build_app(chat_args(tmp_path / "db"), terminal=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: live(app))
        await pilot.pause(0.1)
        assert texts(app) == good
    kept = opening.Opening.from_json(json.loads(frame.read_text()))
    assert kept is not None and [t.plain for _, t in kept.bubbles] == good


async def test_each_language_and_choice_of_banks_has_its_own_frame(tmp_path):
    zh = await first_chat(tmp_path / "db")
    en = await first_chat(tmp_path / "db", lang="en")
    effect = await first_chat(tmp_path / "db", bank=["activities.effect"])
    assert "Hello" in en[0] and zh[1] != effect[1]
    assert len(list((tmp_path / "cache" / "selfcheck" / "opening").glob("*.json"))) == 3
    app = launch.build_app(chat_args(tmp_path / "db", lang="en"), terminal=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.screen.query(Bubble))
        assert isinstance(app.screen, OpeningScreen) and texts(app) == en


async def test_a_resumed_or_repeat_chat_does_not_use_a_frame(tmp_path):
    await first_chat(tmp_path / "db")
    TinyStore(tmp_path / "db").create_session("测试医院", {"activities.effect": "2026.2"})
    session = TinyStore(tmp_path / "db").list_sessions()[0]
    for more in ({"org": None, "resume": session.session_id}, {"baseline": session.session_id}):
        app = launch.build_app(chat_args(tmp_path / "db", **more), terminal=False)
        assert app.store is not None and app.opening_key is None


def test_the_frame_is_on_screen_before_the_models_or_the_store_are_imported(tmp_path):
    """What makes it fast: in a fresh process, nothing of pydantic, TinyDB or our models is loaded when
    the frame is mounted (the thread that loads them starts after its first refresh). The time itself
    is measured by tests/bench/bench_speed.py; this is the reason, which a stray import would undo."""
    child = r"""
import argparse, asyncio, sys
from assistant.tui.launch import build_app
from assistant.tui.screens.opening import OpeningScreen

loaded = []
mount = OpeningScreen.on_mount
def on_mount(self):
    loaded.extend(m for m in ("pydantic", "tinydb", "assistant.domain.bank", "assistant.store.tiny") if m in sys.modules)
    mount(self)
OpeningScreen.on_mount = on_mount

async def main():
    args = argparse.Namespace(db=sys.argv[1], lang=None, org="Bench", respondent="", bank=None, resume=None,
                              rules="clause-text", workshop=None, role=None, sector=None, baseline=None)
    app = build_app(args, terminal=False)
    async with app.run_test(size=(80, 24)) as pilot:
        while getattr(app.screen, "conversation", None) is None:
            await pilot.pause(0.01)
        print(app.screen.__class__.__name__, app.store is not None, loaded, flush=True)
asyncio.run(main())
"""
    runs = [subprocess.run([sys.executable, "-c", child, str(tmp_path / "db")], capture_output=True, text=True,
                           cwd=PROJECT, timeout=120) for _ in range(2)]
    assert [r.returncode for r in runs] == [0, 0], runs[-1].stderr
    assert runs[0].stdout.strip() == "ChatScreen True []"  # no frame yet: loaded first, no OpeningScreen
    assert runs[1].stdout.strip() == "ChatScreen True []", "imported before the frame was on screen"


async def test_a_chat_shown_from_its_frame_leaves_for_home_as_any_chat_does(tmp_path):
    from assistant.tui.screens.home import HomeScreen

    await first_chat(tmp_path / "db")
    app = launch.build_app(chat_args(tmp_path / "db"), terminal=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: live(app))
        await pilot.press("4")
        await pilot.pause(0.05)
        assert len(app.screen_stack) == 2 and not app.screen_stack[0].children  # the frame, emptied, below
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert len(app.screen_stack) == 2 and app.screen.query_one("#sessions").row_count == 1


async def test_garbage_collection_paused_for_start_up_resumes_once_the_live_chat_is_there(tmp_path):
    """launch pauses collection until the first frame; from a frame, until the live chat is shown."""
    import gc

    await first_chat(tmp_path / "db")
    gc.disable()
    try:
        app = launch.build_app(chat_args(tmp_path / "db"), gc_paused=True, terminal=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, OpeningScreen))
            await until(pilot, lambda: live(app))
            await pilot.pause(0.05)
            assert gc.isenabled() and not app.gc_paused
    finally:
        gc.enable()
