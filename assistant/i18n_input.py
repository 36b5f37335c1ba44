"""Texts of the checks on what comes in (answers files, imported session files: their size, their
texts' lengths, lone surrogates, keys given twice), zh and en; `assistant.i18n.t` reads them with
the rest. Used by assistant/domain/json_input.py (Said) and assistant/commands/common.py."""

from __future__ import annotations

INPUT: dict[str, tuple[str, str]] = {
    "input.too_big": ("{source}：文件大于 {limit} 字节（{mib} MiB），未读取；答案文件和会话文件不会这么大",
                      "{source}: larger than {limit} bytes ({mib} MiB), so it was not read; no answers or "
                      "session file is that large"),
    "input.too_long": ("{what}过长：{n} 个字符，最多 {limit} 个", "the {what} is too long: {n} characters, at most {limit}"),
    "input.surrogate": ("含有孤立的代理码位 {code}，它不是字符（文件可能已损坏）；请改正后再试",
                        "holds a lone surrogate {code}, which is not a character (the file may be damaged); correct it"),
    "input.duplicate_key": ("键 {name!r} 重复出现了两次；每个键只能给一次", "the key {name!r} is given twice; give each key once"),
    "input.field.org": ("组织名称", "organisation's name"),
    "input.field.workshop": ("研讨会名称", "workshop's name"),
    "input.field.respondent": ("填写人姓名", "respondent's name"),
    "input.field.role": ("角色", "role"),
    "input.field.note": ("备注", "note"),
    "input.field.na": ("不适用的原因", "reason for N/A"),
    "input.field.text": ("文字回答", "text answer"),
}
