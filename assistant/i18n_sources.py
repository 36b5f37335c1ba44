"""The texts of /why's clause quotations (report/sources.py), in Chinese and English."""

from __future__ import annotations

SOURCES: dict[str, tuple[str, str]] = {
    "why.q.heading": ("（原文此处只有标题）", " (only the heading survives in the source)"),
    "why.q.cut": ("……（原文到此中断）", " … (the source breaks off here)"),
    "why.q.note": ("（注：{note}）", "(Note: {note})"),
    "why.q.translation": ("", "The clause texts are this project's working translation; the official text is Chinese."),
    "why.q.texts_unreadable": ("条款原文无法显示：{error}", "The clause texts cannot be shown: {error}"),
}
