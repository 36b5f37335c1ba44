"""The screens around the chat, driven with Textual's Pilot: the help box's line breaks, the home
screen's list, the history's trend bars and keyboard scrolling."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from rich.cells import cell_len

from assistant.i18n import t
from assistant.tui.app import SelfcheckApp
from assistant.tui.screens.home import shown_path

EFFECT = {"activities.effect": "2026.1"}


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_help_box_breaks_lines_as_the_chat_does(store, library, lang):
    session = store.create_session("测试医院", EFFECT, "张三")
    app = SelfcheckApp(store, library, lang, chat=session.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        body = app.screen.query_one("#help-body")
        width = body.content_region.width
        lines = body.render().plain.split("\n")
        assert len(lines) > t("help.body", lang).count("\n") + 1, "the text should need breaking at 80 columns"
        assert all(cell_len(line) <= width for line in lines), (width, lines)
        assert not [line for line in lines if line[:1] == " "], lines
        for word in re.findall(r"[\x21-\x7e]+", t("help.body", lang)):  # Ctrl+B, --resume, 0.75, n/a …
            assert any(word in line for line in lines), (word, lines)


def history_store(store, levels: list[tuple[int, int]]) -> None:
    """Completed self-checks of one organisation: 7.1.x answered at the first level, 7.2.x at the second."""
    from assistant.domain.answers import Answer

    for first, second in levels:
        answers = {q: Answer(level=first) for q in ("D7.1-1", "D7.1-2", "D7.1-3")}
        answers.update({q: Answer(level=second) for q in ("D7.2-1", "D7.2-2")})
        store.create_session("测试医院", EFFECT, "质量办", status="completed", answers={"activities.effect": answers})


async def open_history(pilot) -> None:
    await pilot.pause()
    pilot.app.screen.query_one("#sessions").focus()
    await pilot.press("f3")
    await pilot.pause()


def drawn(widget) -> str:
    """What a widget draws, as plain text (Textual's Sparkline gives a Rich renderable)."""
    import io

    from rich.console import Console

    console = Console(width=widget.size.width, record=True, file=io.StringIO())
    console.print(widget.render(), end="")
    return console.export_text().rstrip("\n")


async def test_trend_bars_share_one_scale_from_0_to_100(store, library):
    history_store(store, [(5, 2), (5, 3), (5, 5)])  # 7.1 stays at 100; 7.2 goes 40 → 60 → 100
    app = SelfcheckApp(store, library, "zh")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_history(pilot)
        rows = {str(row.query_one(".trend-name").render()): drawn(row.query_one(".trend-line"))
                for row in app.screen.query(".trend")}
        flat = next(bars for name, bars in rows.items() if name.startswith("7.1"))
        rising = next(bars for name, bars in rows.items() if name.startswith("7.2"))
        assert set(flat) == {"█"}, rows  # a flat line at 100 draws high
        assert set(rising) == {"▄", "▅", "█"}, rows  # 40, 60, 100 on the same 0–100 scale
        third = len(rising) // 3
        assert rising[:third].strip("▄") == "" and rising[-third:].strip("█") == "", rising


async def test_history_and_comparison_scroll_by_keyboard(store, library):
    history_store(store, [(2, 2), (3, 2), (5, 4)])
    app = SelfcheckApp(store, library, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_history(pilot)
        page = app.screen.query_one("#page")
        table = app.screen.query_one("#history")
        assert table.has_focus and table.cursor_row == 2
        await pilot.press("ctrl+k")  # the latest against the one before: the comparison comes into view
        await pilot.pause()
        comparison = app.screen.query_one("#comparison")
        assert page.max_scroll_y > 0, "at 80×24 the page is longer than the screen"
        assert page.region.y <= comparison.region.y < page.region.bottom, "the comparison's head is on screen"
        await pilot.press("home")
        await pilot.pause()
        assert page.scroll_y == 0 and table.cursor_row == 2  # Home scrolls the page, not the table
        await pilot.press("pagedown")
        await pilot.pause()
        assert page.scroll_y > 0 and table.cursor_row == 2
        await pilot.press("end")
        await pilot.pause()
        assert page.scroll_y == page.max_scroll_y
        await pilot.press("ctrl+up")
        await pilot.pause()
        assert page.scroll_y == page.max_scroll_y - 1
        await pilot.press("ctrl+down")
        await pilot.pause()
        assert page.scroll_y == page.max_scroll_y
        await pilot.press("pageup", "pageup", "pageup")
        await pilot.pause()
        assert page.scroll_y == 0
        await pilot.press("up")  # Up/Down still move through the table
        await pilot.pause()
        assert table.cursor_row == 1


@pytest.mark.parametrize(("lang", "back", "not_shown"), [("zh", "返回", "上一题"), ("en", "Back", "上一题")])
async def test_esc_on_the_history_screen_says_back(store, library, lang, back, not_shown):
    history_store(store, [(2, 2), (3, 3)])
    app = SelfcheckApp(store, library, lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_history(pilot)
        keys = {str(k.render()).split(maxsplit=1)[0]: str(k.render()) for k in app.screen.query("FooterKey")}
        assert back in keys["esc"] and not_shown not in keys["esc"], keys


LONG = "湘潭市中心医院质量管理与服务改进办公室（KPI 考核组）"


def home_store(store) -> tuple[str, str]:
    """A finished self-check (all 5: five-star, 100%) of a long-named organisation, and an unfinished one."""
    from assistant.domain.answers import Answer

    answers = {q: Answer(level=5) for q in ("D7.1-1", "D7.1-2", "D7.1-3", "D7.2-1", "D7.2-2")}
    answers["7.evidence"] = Answer(text="年度服务报告")
    done = store.create_session(LONG, EFFECT, "质量办", status="completed", answers={"activities.effect": answers})
    open_ = store.create_session("Acme", EFFECT, "Li", answers={"activities.effect": {"D7.1-1": Answer(level=3),
                                                                                       "D7.1-2": Answer(level=2)}})
    return done.id, open_.id


def row_of(table, sid: str) -> dict[str, str]:
    keys = [c.key.value for c in table.ordered_columns]
    return dict(zip(keys, (cell.plain for cell in table.get_row(sid)), strict=True))


@pytest.mark.parametrize(("lang", "grade", "in_progress"), [("zh", "五星级", "进行中"), ("en", "Five-star", "in progress")])
async def test_home_lists_the_grade_percent_and_answered_of_total(store, library, lang, grade, in_progress):
    done, open_ = home_store(store)
    app = SelfcheckApp(store, library, lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#sessions")
        shown = [[row_of(table, sid)[k] for k in ("grade", "percent", "answered")] for sid in (done, open_)]
        assert shown == [[grade, "100.0%", "6/6"], [in_progress, "—", "2/6"]]


async def test_home_shows_long_organisation_names_whole(store, library):
    done, _ = home_store(store)
    app = SelfcheckApp(store, library, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#sessions")
        assert table.columns[table.ordered_columns[0].key].width < cell_len(LONG), "cut at 80 columns"
        table.focus()
        await pilot.press("down")  # the finished one, after the unfinished
        await pilot.pause()
        selected = "".join(app.screen.query_one("#selected").render().plain.split())
        assert "".join(LONG.split()) in selected and done in selected
        await pilot.hover("#sessions", offset=(4, 2))  # the mouse over its row: the name whole in a tooltip
        await pilot.pause()
        assert table.tooltip == LONG
        await pilot.hover("#sessions", offset=(4, 1))  # a short name needs none
        await pilot.pause()
        assert table.tooltip is None
    app = SelfcheckApp(store, library, "zh")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#sessions")
        assert table.columns[table.ordered_columns[0].key].width >= cell_len(LONG), "whole at 120 columns"


@pytest.mark.parametrize(("lang", "label"), [("zh", "数据保存在："), ("en", "Data folder: ")])
async def test_home_names_the_store_folder(store, library, lang, label):
    app = SelfcheckApp(store, library, lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = app.screen.query_one("#store-path").render().plain
        assert "".join(shown.split()) == "".join((label + shown_path(store.root)).split())
        assert shown_path(store.root).endswith(str(store.root.relative_to(store.root.parent.parent)))


def test_the_store_folder_is_shown_as_typed(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "me"))
    monkeypatch.chdir(tmp_path)
    assert shown_path(Path("sessions")) == str(tmp_path / "sessions")  # relative: made absolute
    if os.name == "posix":
        assert shown_path(tmp_path / "me" / ".local" / "share" / "selfcheck" / "sessions") == "~/.local/share/selfcheck/sessions"


async def test_grades_beyond_the_first_rows_follow_in_the_background(store, library, monkeypatch):
    import assistant.tui.screens.home as home

    monkeypatch.setattr(home, "FIRST", 1)
    history_store(store, [(2, 2), (3, 3), (5, 5)])
    app = SelfcheckApp(store, library, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("#sessions")
        assert [row_of(table, s.session_id)["percent"] for s in store.list_sessions()] == ["100.0%", "60.0%", "40.0%"]
