"""The English messages of the store, the input checks and the planner, said in Chinese: a table of
patterns (the store and the domain keep one language in their own code; the CLI and the app call
`localise` where they show a message)."""

from __future__ import annotations

import re

# (the English message as a regular expression, its Chinese, the groups that are messages themselves
# and are said in Chinese too). A message none of these matches is tried as "place: message"; one
# that still matches nothing stays as it is.
_ERRORS: list[tuple[str, str, tuple[str, ...]]] = [
    # the store (assistant/store/)
    (r"the store file (?P<path>.+?) is damaged: (?P<problem>.+?)\. (?P<after>It was left as it is.*)",
     "存储文件 {path} 已损坏：{problem}。{after}", ("problem", "after")),
    (r"It was left as it is \(nothing was overwritten\) and a copy of it was kept aside as (?P<kept>.+?); "
     r"restore it from a backup, or move it out of the store to go on without it\.",
     "该文件保持原样（没有覆盖任何内容），副本已另存为 {kept}；请从备份恢复，或把它移出存储后继续。", ()),
    (r"It was left as it is \(nothing was overwritten\), but no copy could be kept aside \((?P<why>.+)\); "
     r"restore it from a backup or move it aside to go on\.",
     "该文件保持原样（没有覆盖任何内容），但无法另存副本（{why}）；请从备份恢复，或把它移开后继续。", ()),
    (r"It was left as it is \(nothing was overwritten\); restore it from a backup or move it aside to go on\.",
     "该文件保持原样（没有覆盖任何内容）；请从备份恢复，或把它移开后继续。", ()),
    (r"it is missing although the store holds an index", "文件缺失，但存储中有索引", ()),
    (r"it is not a selfcheck store marker", "它不是 selfcheck 存储的标记文件", ()),
    (r"it is not a selfcheck action-plan file", "它不是 selfcheck 的行动计划文件", ()),
    (r"it holds the actions of (?P<a>.+), not of (?P<b>.+)", "其中是 {a} 的行动，而不是 {b} 的", ()),
    (r"its actions are not a list", "其中的行动不是列表", ()),
    (r"it holds (?P<n>\d+) session records instead of 1", "其中有 {n} 条会话记录，而不是 1 条", ()),
    (r"its session record has no schema version", "会话记录没有格式版本", ()),
    (r"its session record has the id (?P<a>.+), not (?P<b>.+)", "会话记录的编号是 {a}，而不是 {b}", ()),
    (r"its session record is invalid at (?P<where>.+?): (?P<msg>.+)", "会话记录在 {where} 处无效：{msg}", ()),
    (r"a workshop record is invalid: (?P<x>.+)", "研讨会记录无效：{x}", ()),
    (r"a summary is invalid: (?P<x>.+)", "索引中的摘要无效：{x}", ()),
    (r"it is not UTF-8 text \((?P<x>.+)\)", "不是 UTF-8 文本（{x}）", ()),
    (r"it is not valid JSON \((?P<x>.+)\)", "不是有效的 JSON（{x}）", ()),
    (r"it does not hold a JSON object", "内容不是 JSON 对象", ()),
    (r"its table (?P<n>.+?) is not an object", "其中的表 {n} 不是对象", ()),
    (r"its table (?P<n>.+?) has a record key (?P<k>.+) that is not a number", "其中的表 {n} 有一个不是数字的记录键 {k}", ()),
    (r"its table (?P<n>.+?) has a record \((?P<k>.+)\) that is not an object", "其中的表 {n} 有一条不是对象的记录（{k}）", ()),
    (r"the store (?P<root>.+) is busy \(another selfcheck holds (?P<name>.+)\); try again",
     "存储 {root} 正忙（另一个 selfcheck 正在使用 {name}），请稍后再试", ()),
    (r"cannot write to the store (?P<root>.+?): (?P<err>.+)\. Results can still be viewed; to save, use a folder "
     r"you can write to \(--db PATH\)",
     "无法写入存储 {root}：{err}。结果仍可查看；要保存，请使用可写入的文件夹（--db 路径）", ()),
    (r"cannot copy (?P<path>.+) aside into (?P<folder>.+?): (?P<err>.+)", "无法把 {path} 另存到 {folder}：{err}", ()),
    (r"cannot create the store folder (?P<root>.+?): (?P<err>.+)", "无法创建存储文件夹 {root}：{err}", ()),
    (r"cannot create the folder (?P<root>.+?): (?P<err>.+)", "无法创建文件夹 {root}：{err}", ()),
    (r"the store (?P<root>.+) was written by a newer selfcheck \((?P<marker>.+) says schema (?P<n>\S+), this one "
     r"reads (?P<m>\S+)\); upgrade selfcheck to open it",
     "存储 {root} 由更新版本的 selfcheck 写入（{marker} 标明格式版本 {n}，本程序能读取的是 {m}）；请升级 selfcheck 后再打开", ()),
    (r"(?P<path>.+) was written by a newer selfcheck \(schema (?P<n>\S+), this one reads (?P<m>\S+)\); upgrade "
     r"selfcheck to open it",
     "{path} 由更新版本的 selfcheck 写入（格式版本 {n}，本程序能读取的是 {m}）；请升级 selfcheck 后再打开", ()),
    (r"(?P<path>.+) was written by a newer selfcheck \(schema (?P<n>\S+)\); upgrade selfcheck to open it",
     "{path} 由更新版本的 selfcheck 写入（格式版本 {n}）；请升级 selfcheck 后再打开", ()),
    (r"cannot read the store folder (?P<f>.+?): (?P<err>.+)", "无法读取存储文件夹 {f}：{err}", ()),
    (r"session (?P<id>\S+) does not include bank (?P<b>\S+)", "会话 {id} 不包含题库 {b}", ()),
    (r"cannot remove the empty session (?P<path>.+?): (?P<err>.+)", "无法删除空会话 {path}：{err}", ()),
    (r"the session id (?P<x>.+) cannot be used as a file name in the store", "会话编号 {x} 不能用作存储中的文件名", ()),
    (r"a different session with the id (?P<id>\S+) is already in this store", "存储中已有另一个编号为 {id} 的会话", ()),
    (r"session (?P<id>\S+) was updated in (?P<path>.+), but the index could not be: (?P<e>.+) Run `selfcheck "
     r"sessions reindex` when the store can be written again\.",
     "会话 {id} 已在 {path} 中更新，但索引未能更新：{e} 存储可以写入后，请运行 selfcheck sessions reindex。", ("e",)),
    (r"a workshop named (?P<n>.+) already exists", "已有名为 {n} 的研讨会", ()),
    (r"no workshop named (?P<n>.+) \(create it with `selfcheck workshop create`\)",
     "没有名为 {n} 的研讨会（可用 selfcheck workshop create 创建）", ()),
    (r"the index (?P<p>.+) is damaged \((?P<problem>.+)\) and could not be rebuilt \((?P<e>.+)\); the sessions were "
     r"read from their files instead",
     "索引 {p} 已损坏（{problem}），且无法重建（{e}）；已改为从会话文件读取", ("problem", "e")),
    (r"the index (?P<p>.+) is missing and could not be rebuilt \((?P<e>.+)\); the sessions were read from their "
     r"files instead",
     "索引 {p} 缺失，且无法重建（{e}）；已改为从会话文件读取", ("e",)),
    (r"skipped: (?P<e>.+)", "已跳过：{e}", ("e",)),
    (r"the index (?P<p>.+) was damaged \((?P<problem>.+)\); it was kept aside as (?P<kept>.+) and rebuilt from "
     r"(?P<n>\d+) session files",
     "索引 {p} 已损坏（{problem}）；已另存为 {kept}，并从 {n} 个会话文件重建", ("problem",)),
    (r"the index (?P<p>.+) was missing; it was rebuilt from (?P<n>\d+) session files",
     "索引 {p} 缺失；已从 {n} 个会话文件重建", ()),
    (r"session (?P<id>\S+) was left out: (?P<e>.+)", "会话 {id} 未列出：{e}", ("e",)),
    (r"could not save (?P<path>.+?): (?P<err>.+)\. Nothing was changed on disk\.",
     "无法保存 {path}：{err}。磁盘上没有任何改动。", ()),
    (r"(?P<path>.+) was written, but the folder could not be synced to disk: (?P<err>.+)",
     "{path} 已写入，但文件夹未能同步到磁盘：{err}", ()),
    (r"cannot read (?P<path>.+?): (?P<err>.+)", "无法读取 {path}：{err}", ()),
    (r"(?P<path>.+) does not exist", "{path} 不存在", ()),
    (r"session (?P<ref>.+) is ambiguous: it matches (?P<list>.+)", "会话 {ref} 不唯一：可以是 {list}", ()),
    (r"no session (?P<ref>.+) in this store \(see `selfcheck sessions list`\)",
     "此存储中没有会话 {ref}（见 selfcheck sessions list）", ()),
    (r"(?P<item>.+) is not an item: write BANK:QUESTION", "{item} 不是条款：请写成 题库:题号", ()),
    (r"an action needs at least one item \(BANK:QUESTION\)", "一项行动至少要有一个条款（题库:题号）", ()),
    (r"the due date is a date \(YYYY-MM-DD\), not a moment", "截止日期是日期（YYYY-MM-DD），不是时刻", ()),
    (r"(?P<x>.+) is not a date: write YYYY-MM-DD", "{x} 不是日期：请写成 YYYY-MM-DD", ()),
    (r"(?P<x>.+) is not a status", "{x} 不是状态", ()),
    # files the commands write and read (assistant/commands/common.py)
    (r"cannot write (?P<path>.+?): (?P<err>.+)", "无法写入 {path}：{err}", ()),
    (r"standard input: cannot be read \((?P<e>.+)\)", "标准输入：无法读取（{e}）", ()),
    (r"a question bank cannot be loaded: (?P<e>.+)", "无法加载题库：{e}", ("e",)),
    # banks (assistant/domain/loader.py)
    (r"unknown bank (?P<b>.+?): this program has (?P<known>.+)", "未知题库 {b}：本程序有 {known}", ()),
    (r"cannot be read \((?P<e>.+)\)", "无法读取（{e}）", ()),
    (r"is not UTF-8 text", "不是 UTF-8 文本", ()),
    (r"is not valid TOML: (?P<e>.+)", "不是有效的 TOML：{e}", ()),
    (r"the question_banks folder is missing from this installation", "安装中缺少 question_banks 文件夹", ()),
    (r"bank id (?P<b>.+) is also used by (?P<f>.+)", "题库编号 {b} 也被 {f} 使用", ()),
    (r"the catalogue (?P<c>\S+) is missing", "缺少方法目录 {c}", ()),
    (r"no bank files \(\*\.toml\) there", "那里没有题库文件（*.toml）", ()),
    # answers files (assistant/domain/answers_file.py, json_input.py, answers.py)
    (r"expected a JSON object with \"org\" and \"answers\"", "应为包含 \"org\" 和 \"answers\" 的 JSON 对象", ()),
    (r"unknown key (?P<k>.+) \(expected org, respondent, answers\)", "未知的键 {k}（应为 org、respondent、answers）", ()),
    (r"the organisation's name is missing or empty", "缺少组织名称，或名称为空", ()),
    (r"expected a text", "应为文本", ()),
    (r"expected an object of banks, each an object of answers", "应为各题库组成的对象，每个题库又是由答案组成的对象", ()),
    (r"the 附录A catalogue holds no questions", "附录A 方法目录中没有题目", ()),
    (r"unknown bank \(known banks: (?P<k>.+)\)", "未知题库（现有题库：{k}）", ()),
    (r"expected an object of question id → answer", "应为“题号 → 答案”组成的对象", ()),
    (r"unknown question of (?P<b>\S+)", "{b} 中没有这道题", ()),
    (r"unknown question", "没有这道题", ()),
    (r"not asked, because gate (?P<g>\S+) was answered (?P<c>.+); remove this answer or change the gate",
     "不会被提问，因为关口问题 {g} 的回答是 {c}；请删除这个回答，或修改关口问题的回答", ()),
    (r"not valid JSON \(line (?P<l>\d+), column (?P<c>\d+): (?P<m>.+)\)", "不是有效的 JSON（第 {l} 行第 {c} 列：{m}）", ()),
    (r"not usable JSON \((?P<x>.+)\)", "无法使用的 JSON（{x}）", ()),
    (r"only scored questions can be answered N/A", "只有计分的题目可以回答不适用", ()),
    (r"this question is required: N/A is not accepted", "这一题是必答题，不能回答不适用", ()),
    (r"a likert question needs a level 1–5", "李克特题需要 1–5 级", ()),
    (r"a maturity question needs a level 1–5", "成熟度题需要 1–5 级", ()),
    (r"α is given only on Likert questions", "只有李克特题可以给出 α", ()),
    (r"α = (?P<a>\S+) is outside the band of level (?P<l>\d) \((?P<band>.+), 003 §5\.1\.1\)",
     "α = {a} 不在第 {l} 级的区间内（{band}，003 §5.1.1）", ()),
    (r"a gate question is answered yes, partly or no", "关口问题的回答是 yes（是）、partly（部分）或 no（否）", ()),
    (r"a text question is answered with text", "文字题须以文字作答", ()),
    (r"expected a level 1–5, an object or a text, not (?P<x>.+)", "应为 1–5 级、对象或文本，而不是 {x}", ()),
    (r"an answer is exactly one of: a level, N/A with a reason, a choice, a text, or skipped",
     "一个回答只能是以下之一：等级、附原因的不适用、选项、文字或跳过", ()),
    (r"α is given only together with a level", "α 只能与等级一起给出", ()),
    (r"N/A needs a reason", "不适用须写明原因", ()),
    # session files (assistant/domain/exchange.py)
    (r"not a selfcheck session file \(made by `selfcheck export`\)", "不是 selfcheck 会话文件（应由 selfcheck export 生成）", ()),
    (r"not a selfcheck session file \((?P<e>.+)\)", "不是 selfcheck 会话文件（{e}）", ("e",)),
    (r"the file has no schema version", "文件没有格式版本", ()),
    (r"written by a newer selfcheck \(schema (?P<n>\S+)\); upgrade selfcheck to import it",
     "由更新版本的 selfcheck 写入（格式版本 {n}）；请升级 selfcheck 后再导入", ()),
    (r"the session is invalid at (?P<w>.+?): (?P<m>.+)", "会话在 {w} 处无效：{m}", ()),
    (r"the session id (?P<x>.+) is not usable", "会话编号 {x} 无法使用", ()),
    (r"the session uses bank (?P<b>.+), which this program does not have", "会话使用了题库 {b}，本程序没有这个题库", ()),
    (r"answers for bank (?P<b>.+), which the session does not include", "有题库 {b} 的答案，但会话不包含这个题库", ()),
    # the path to a grade (assistant/domain/planner.py)
    (r"(?P<target>\S+) is not a grade of the (?P<profile>\S+) rules \(they give (?P<list>.+)\)",
     "{target} 不是 {profile} 规则下的等级（可选：{list}）", ()),
]
_COMPILED = [(re.compile(rx, re.DOTALL), zh, nested) for rx, zh, nested in _ERRORS]


def _zh(message: str, depth: int = 0) -> str | None:
    if depth > 6:
        return None
    for rx, template, nested in _COMPILED:
        m = rx.fullmatch(message)
        if m:
            parts = {k: (_zh(v, depth + 1) or v) if k in nested and v else (v or "")
                     for k, v in m.groupdict().items()}
            return template.format(**parts)
    # "place: message" (a file, a bank, a question): the place as it is, the message in Chinese
    start = 0
    while (i := message.find(": ", start)) != -1:
        rest = _zh(message[i + 2:], depth + 1)
        if rest is not None:
            return message[:i] + "：" + rest
        start = i + 1
    return None


def localise(message: str, lang: str) -> str:
    """An English message of the store or of an input check in `lang`; English, and a message this
    does not know, stay as they are."""
    if lang != "zh":
        return message
    return _zh(message) or message
