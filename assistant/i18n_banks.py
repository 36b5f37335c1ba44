"""Texts about a question's source (a clause whose text is cut off) shown by the chat, the reports,
`/why` and `selfcheck banks show`, zh and en; `assistant.i18n.t` reads them with the rest."""

from __future__ import annotations

BANKS: dict[str, tuple[str, str]] = {
    "ask.truncated": ("（原文在本条中断，题目按留存部分编写）",
                      " (the source text breaks off in this clause; the question follows the part that survives)"),
    "doc.truncated": ("原文在本条中断", "source text breaks off here"),
    "doc.reading.truncated": ("标有“原文在本条中断”的题目，其条款原文只留存了前一部分，题目按留存部分编写。",
                              "Questions marked “source text breaks off here” come from a clause whose text survives "
                              "only in part; they follow the part that survives."),
    "why.q.truncated": ("这一条款的原文在中途中断，后文缺失；题目按留存部分编写。",
                        "The clause's source text breaks off part-way and the rest is lost: the question follows the part that survives."),
    "cli.banks.truncated": ("（原文中断）", " (source cut off)"),
    "cli.banks.level_guidance": ("等级说明：", "Reading the levels: "),
}
