"""Texts of the chat's progress line (assistant/tui/turns.py progress_variants), zh and en: its
parts, in a long and a short form, so that the line fits one row of the terminal."""

from __future__ import annotations

PROGRESS: dict[str, tuple[str, str]] = {
    "progress.flow": ("流程 {bn}/{bt} {bank}", "Flow {bn}/{bt} {bank}"),
    "progress.flow.bare": ("流程 {bn}/{bt}", "Flow {bn}/{bt}"),
    "progress.question": ("第 {n}/{m} 题", "question {n} of {m}"),
    "progress.item": ("第 {n}/{m} 项", "item {n} of {m}"),
    "progress.points": ("本流程得分 {earned}/{possible}", "points so far {earned}/{possible}"),
    "progress.points.short": ("得分 {earned}/{possible}", "{earned}/{possible} points"),
    "progress.checklist": ("检查清单（不计分）", "checklist (not scored)"),
    "progress.checklist.short": ("不计分", "not scored"),
}
