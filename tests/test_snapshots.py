"""Snapshot tests of the main screens at 80×24 in Chinese and English (pytest-textual-snapshot).

Deterministic: a fixed clock and fixed session ids in the store, no cursor blink.
Update after an intended change with `pytest tests/test_snapshots.py --snapshot-update`, and look
at the report before committing.
"""

from __future__ import annotations

import itertools

import pytest
from textual.widgets import Input

from assistant.domain.answers import Answer
from assistant.domain.loader import load_library
from assistant.store import TinyStore
from assistant.tui.app import SelfcheckApp

from .conftest import FixedClock

SIZE = (80, 24)


def make_store(tmp_path) -> TinyStore:
    counter = itertools.count(1)
    return TinyStore(tmp_path / "sessions", clock=FixedClock(), ids=lambda now: f"20261121-{next(counter):06x}")


def app_for(tmp_path, lang: str, chat: bool) -> SelfcheckApp:
    store = make_store(tmp_path)
    library = load_library()
    done = store.create_session("湘潭市中心医院", {"activities.effect": "2026.1"}, "质量办",
                                answers={"activities.effect": {"D7.1-1": Answer(level=4), "D7.1-2": Answer(level=2)}},
                                status="completed")
    open_ = store.create_session("Acme [b]Airport[/b]", {b.id: b.version for b in library.group("activities")}, "Li")
    del done
    return SelfcheckApp(store, library, lang, chat=open_.id if chat else None)


async def no_blink(pilot) -> None:
    for widget in pilot.app.query(Input):
        widget.cursor_blink = False
    await pilot.pause()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_home(snap_compare, tmp_path, lang, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))  # the store's folder shows as ~/sessions
    assert snap_compare(app_for(tmp_path, lang, chat=False), terminal_size=SIZE, run_before=no_blink)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_chat_first_question(snap_compare, tmp_path, lang):
    assert snap_compare(app_for(tmp_path, lang, chat=True), terminal_size=SIZE, run_before=no_blink)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_chat_after_a_weak_answer(snap_compare, tmp_path, lang):
    assert snap_compare(app_for(tmp_path, lang, chat=True), terminal_size=SIZE, press=["2"], run_before=no_blink)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_result(snap_compare, tmp_path, lang):
    async def open_result(pilot) -> None:
        await no_blink(pilot)
        table = pilot.app.screen.query_one("#sessions")
        table.focus()
        await pilot.press("down", "enter")  # the second row: the completed session
        await pilot.pause()

    assert snap_compare(app_for(tmp_path, lang, chat=False), terminal_size=SIZE, run_before=open_result)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_help(snap_compare, tmp_path, lang):
    assert snap_compare(app_for(tmp_path, lang, chat=True), terminal_size=SIZE, press=["f1"], run_before=no_blink)


def history_app(tmp_path, lang: str) -> SelfcheckApp:
    """Three self-checks of one organisation: the design flow at levels 2, 3 and then 5 (100%)."""
    store = make_store(tmp_path)
    library = load_library()
    design = library.bank("activities.design")
    for level in (2, 3, 5):
        store.create_session("湘潭市中心医院", {design.id: design.version}, "质量办", status="completed",
                             answers={design.id: {q.id: Answer(level=level) for q in design.questions
                                                  if q.kind.value == "likert"}})
    return SelfcheckApp(store, library, lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("compared", [False, True], ids=["trend", "compared"])
def test_history(snap_compare, tmp_path, lang, compared):
    async def open_history(pilot) -> None:
        await no_blink(pilot)
        pilot.app.screen.query_one("#sessions").focus()
        await pilot.press("f3", *(["ctrl+k"] if compared else []))
        await pilot.pause()

    assert snap_compare(history_app(tmp_path, lang), terminal_size=SIZE, run_before=open_history)
