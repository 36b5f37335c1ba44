"""Texts of the screens' layout (home screen, history, help), zh and en; `assistant.i18n.t`
reads them with the rest."""

from __future__ import annotations

LAYOUT: dict[str, tuple[str, str]] = {
    # the home screen (tui/screens/home.py)
    "home.col.grade": ("状态/等级", "Status/grade"),
    "home.grade.five-star": ("五星级", "Five-star"),
    "home.grade.four-star": ("四星级", "Four-star"),
    "home.grade.three-star": ("三星级", "Three-star"),
    "home.grade.basic": ("基本符合", "Meets basic"),
    "home.grade.not-yet": ("尚未达到", "Not yet"),
    "home.selected.session": ("会话 {id}", "session {id}"),
    "home.selected.workshop": ("研讨会 {workshop}", "workshop {workshop}"),
    "home.store": ("数据保存在：{path}", "Data folder: {path}"),
    # the history screen (tui/screens/history.py): Esc goes back to where it was opened from
    "history.key.back": ("返回", "Back"),
    "history.key.scroll": ("向下翻页", "Page down"),
    "history.key.scroll_up": ("向上翻页", "Page up"),
    "history.key.top": ("回到顶部", "Top"),
    "history.key.bottom": ("到底部", "Bottom"),
    "history.key.line_up": ("上滚一行", "Scroll up"),
    "history.key.line_down": ("下滚一行", "Scroll down"),
}
