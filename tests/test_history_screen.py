"""The history screen's table: the grade reads as the result screen writes it (capitalised in English)."""

from __future__ import annotations

import pytest

from assistant.domain.answers import Answer
from assistant.tui.app import SelfcheckApp
from assistant.tui.screens.history import HistoryScreen

EFFECT = {"activities.effect": "2026.1"}


@pytest.mark.parametrize("lang, grades", [("en", ["Not yet", "Three-star"]), ("zh", ["尚未达到", "三星级"])])
async def test_the_grade_column_is_written_as_a_headline(store, library, lang, grades):
    for level in (2, 4):
        store.create_session("医院", EFFECT, status="completed", answers={"activities.effect": {
            q: Answer(level=level) for q in ("7.1.1", "7.1.2", "7.1.3", "7.2.1", "7.2.2")}})
    app = SelfcheckApp(store, library, lang)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        app.screen.query_one("#sessions").focus()
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        table = app.screen.query_one("#history")
        shown = [str(table.get_row_at(n)[3]) for n in range(table.row_count)]
        assert shown == grades, shown
