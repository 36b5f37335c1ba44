"""At 80×24 the footer of every main screen shows whole labels only (issue 10: "f1 帮" on the result
screen), in both languages, and the chat's progress line takes one row."""

from __future__ import annotations

import pytest
from textual.widgets import Footer, Select
from textual.widgets._footer import FooterKey

from assistant.i18n import t
from assistant.tui.screens.actions import ActionsScreen
from assistant.tui.screens.history import HistoryScreen
from assistant.tui.screens.plan import PlanScreen
from assistant.tui.screens.result import ResultScreen

from .test_snapshots import app_for

SCREENS = ["home", "chat", "result", "history", "plan", "actions"]


def bottom_row(app) -> str:
    """The screen's last row as the terminal shows it."""
    update = app.screen._compositor.render_update(full=True)
    return "".join(segment.text for strip in update.strips[-1] for segment in strip)


def top_rows(app, n: int) -> list[str]:
    update = app.screen._compositor.render_update(full=True)
    return ["".join(segment.text for strip in line for segment in strip) for line in update.strips[:n]]


async def open_screen(app, pilot, name: str) -> None:
    await pilot.pause()
    done = next(s for s in app.store.list_sessions() if s.status == "completed")
    screen = {"result": lambda: ResultScreen(done.session_id), "history": lambda: HistoryScreen(done.org),
              "plan": lambda: PlanScreen(done.session_id), "actions": lambda: ActionsScreen(done.org)}.get(name)
    if screen is not None:
        await app.push_screen(screen())
    await pilot.pause()
    await pilot.pause()


def shown_keys(app) -> tuple[list[FooterKey], FooterKey]:
    footer = app.screen.query_one(Footer)
    keys = [k for k in footer.query(FooterKey) if k.display]
    palette = next(k for k in keys if k.has_class("-command-palette"))
    return [k for k in keys if k is not palette], palette


def assert_whole(app) -> list[str]:
    """Every key the footer shows is on the screen's last row whole, left of the palette's key."""
    row = bottom_row(app)
    keys, palette = shown_keys(app)
    labels = [f"{k.key_display} {k.description}" for k in keys]
    for key, label in zip(keys, labels):
        assert label in row, (label, row)
        assert key.region.right <= palette.region.x, (label, key.region, palette.region)
    assert row.rstrip().endswith(f"{palette.key_display} {palette.description}"), row
    return labels


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", SCREENS)
async def test_every_shown_footer_label_is_whole_at_80_columns(tmp_path, name, lang):
    app = app_for(tmp_path, lang, chat=name == "chat")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(app, pilot, name)
        labels = assert_whole(app)
        assert f"f1 {t('key.help', lang)}" in labels  # help, which lists every key, is always shown
        screen_keys = [b for b in app.screen.BINDINGS if getattr(b, "show", True) and b.action.endswith(f"('{lang}')")]
        first = screen_keys[0]
        assert any(label.endswith(" " + first.description) for label in labels), (first, labels)
        if lang == "zh":
            assert not any(ch.isascii() and ch.isalpha() for label in labels for ch in label.split(" ", 1)[1]
                           if label.split(" ", 1)[1] != "English"), labels


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_footer_fits_again_after_a_resize_and_the_language_switch(tmp_path, lang):
    app = app_for(tmp_path, lang, chat=False)
    async with app.run_test(size=(120, 24)) as pilot:
        await open_screen(app, pilot, "result")
        wide = assert_whole(app)
        assert len(wide) == len([b for b in app.screen.BINDINGS if b.action.endswith(f"('{lang}')")]) + 3
        await pilot.resize_terminal(60, 24)
        await pilot.pause()
        await pilot.pause()
        narrow = assert_whole(app)
        assert len(narrow) < len(wide)
        await pilot.resize_terminal(80, 24)
        await pilot.press("f2")
        await pilot.pause()
        await pilot.pause()
        assert_whole(app)


async def test_the_home_select_menus_key_is_in_the_apps_language(tmp_path):
    app = app_for(tmp_path, "zh", chat=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one(Select).focus()
        await pilot.press("enter")  # the menu opens: Textual adds its "Dismiss menu" key to the footer
        await pilot.pause()
        await pilot.pause()
        labels = assert_whole(app)
        assert f"esc {t('footer.dismiss_menu', 'zh')}" in labels
        assert "Dismiss" not in bottom_row(app)


# -- the chat's progress line ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
async def test_the_progress_line_takes_one_row_at_80_columns(tmp_path, lang):
    app = app_for(tmp_path, lang, chat=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        line = app.screen.query_one("#progress-text")
        assert line.region.height == 1
        shown = str(line.render())
        assert top_rows(app, 2)[1].strip() == shown  # the whole line, on the row under the title
        position = t("progress.question", lang, n=1, m=10)
        assert position in shown and t("progress.flow.bare", lang, bn=1, bt=4) in shown
        assert "0/30" in shown  # the points so far
        await pilot.resize_terminal(120, 24)
        await pilot.pause()
        full = str(line.render())
        assert full.endswith(t("progress.points", lang, earned="0", possible="30")) and line.region.height == 1
        await pilot.resize_terminal(34, 24)  # narrower than the shortest text: it wraps, at most on two rows
        await pilot.pause()
        assert line.region.height == 2 and position in str(line.render())


def test_progress_variants_get_shorter_and_keep_the_position(library):
    from datetime import datetime, timezone

    from rich.cells import cell_len

    from assistant.domain.answers import Session
    from assistant.domain.engine import Conversation
    from assistant.tui.turns import progress_text, progress_variants

    bank = library.bank("certification.conformity")
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    session = Session(id="s", org="o", banks={bank.id: bank.version}, created=now, updated=now)
    step = Conversation(library, session).step()
    variants = progress_variants(step, "en")
    assert [cell_len(v) for v in variants] == sorted((cell_len(v) for v in variants), reverse=True)
    assert all("item 1 of" in v for v in variants)
    assert variants[0].endswith("checklist (not scored)") and variants[1].endswith("not scored")
    assert cell_len(progress_text(step, "en", 78)) <= 78
    assert progress_text(step, "en") == variants[0]
