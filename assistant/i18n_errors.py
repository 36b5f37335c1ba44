"""The English messages of the store, the input checks and the planner, said in Chinese: a table of
patterns (the store and the domain keep one language in their own code; the CLI and the app call
`localise` where they show a message)."""

from __future__ import annotations

import errno
import os
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
    # the index (assistant/store/index.py, index_files.py) and the action plans (actions.py)
    (r"the index (?P<p>.+) lacked (?P<n>\d+) sessions \((?P<ids>.+?)(?: and (?P<more>\d+) more)?\); they were "
     r"added from their files(?: \(not on disk: (?P<e>.+)\))?",
     "索引 {p} 缺少 {n} 个会话（{ids}{more}）；已从会话文件补入{e}", ("e",)),
    (r"it holds (?P<n>\d+) summaries where (?P<f>.+) counts (?P<m>\d+)", "其中有 {n} 条摘要，而 {f} 记的是 {m} 条", ()),
    (r"the index (?P<p>.+) could not be brought up to date \((?P<e>.+)\); the changed sessions were read from "
     r"their files", "索引 {p} 未能更新（{e}）；改动过的会话已从会话文件读取", ("e",)),
    (r"the index (?P<p>.+) is (?P<what>damaged \(.+\)|missing) and could not be rebuilt \((?P<e>.+)\); the "
     r"sessions were read from their files instead",
     "索引 {p} {what}，且无法重建（{e}）；已改为从会话文件读取", ("what", "e")),
    (r"damaged \((?P<problem>.+)\)", "已损坏（{problem}）", ("problem",)),
    (r"missing", "缺失", ()),
    (r"it names schema (?P<n>.+), which no selfcheck writes", "其中标明的格式版本 {n} 不是任何 selfcheck 写入的", ()),
    (r"its schema (?P<n>.+) is not one this selfcheck reads \((?P<m>.+)\)",
     "其格式版本 {n} 不是本 selfcheck 能读取的（{m}）", ()),
    (r"it is not a selfcheck index of one organisation", "它不是 selfcheck 某一组织的索引", ()),
    (r"it is not a selfcheck index", "它不是 selfcheck 的索引", ()),
    (r"it names another organisation than its file name", "其中的组织与文件名对应的组织不同", ()),
    (r"its organisations are not an object", "其中的组织不是对象", ()),
    (r"its entry (?P<h>.+) is invalid", "其中的条目 {h} 无效", ()),
    (r"its line (?P<n>\d+) is invalid: (?P<where>.+?): (?P<msg>.+)", "第 {n} 行在 {where} 处无效：{msg}", ("msg",)),
    (r"its line (?P<n>\d+) is invalid: (?P<e>.+)", "第 {n} 行无效：{e}", ("e",)),
    (r"its line (?P<n>\d+) is not JSON", "第 {n} 行不是 JSON", ()),
    (r"its line (?P<n>\d+) is not an object", "第 {n} 行不是对象", ()),
    (r"(?P<x>\S+) is filed under the wrong id or organisation", "{x} 登记在错误的编号或组织之下", ()),
    (r"it holds two actions with the same id", "其中有两项行动编号相同", ()),
    (r"action (?P<a>.+) belongs to (?P<b>.+)", "行动 {a} 属于 {b}", ()),
    (r"action (?P<a>.+) is invalid at (?P<where>.+?): (?P<msg>.+)", "行动 {a} 在 {where} 处无效：{msg}", ("msg",)),
    (r"its table (?P<n>.+?) has a record \((?P<k>.+)\) that is not an object", "其中的表 {n} 有一条不是对象的记录（{k}）", ()),
    (r"it is not UTF-8 text \((?P<x>.+) at byte (?P<n>\d+)\)", "不是 UTF-8 文本（第 {n} 字节：{x}）", ("x",)),
    (r"the store (?P<root>.+) is busy \(another selfcheck holds every connection\); try again",
     "存储 {root} 正忙（其他 selfcheck 占用了全部连接），请稍后再试", ()),
    # what Python and pydantic say inside these (a record's field, a byte of a file)
    (r"Field required", "缺少此项", ()),
    (r"Extra inputs are not permitted", "不允许有多余的项", ()),
    (r"Input should be a valid string", "应为文本", ()),
    (r"Input should be a valid integer", "应为整数", ()),
    (r"Input should be a valid number", "应为数字", ()),
    (r"Input should be a valid dictionary", "应为表（对象）", ()),
    (r"Input should be a valid list", "应为列表", ()),
    (r"Input should be a valid boolean", "应为 true 或 false", ()),
    (r"Input should be (?P<x>'[^']*'(?:, '[^']*')*) or (?P<y>'[^']*')", "应为 {x}、{y} 之一", ()),
    (r"invalid start byte", "无效的起始字节", ()),
    (r"invalid continuation byte", "无效的后续字节", ()),
    (r"unexpected end of data", "数据意外结束", ()),
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
    (r"a summary is invalid: (?P<x>.+)", "索引中的摘要无效：{x}", ("x",)),
    (r"it is not UTF-8 text \((?P<x>.+)\)", "不是 UTF-8 文本（{x}）", ()),
    (r"it is not valid JSON \((?P<x>.+)\)", "不是有效的 JSON（{x}）", ()),
    (r"it does not hold a JSON object", "内容不是 JSON 对象", ()),
    (r"its table (?P<n>.+?) is not an object", "其中的表 {n} 不是对象", ()),
    (r"its table (?P<n>.+?) has a record key (?P<k>.+) that is not a number", "其中的表 {n} 有一个不是数字的记录键 {k}", ()),
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
    (r"no text for the cited clause\(s\) (?P<r>.+)", "以下引用的条款没有原文：{r}", ()),
    # the clause texts (assistant/domain/clause_texts.py)
    (r"documents: expected a list of document codes", "documents：应为文件代号的列表", ()),
    (r"unknown keys (?P<k>.+) \(expected documents, untexted, texts\)", "未知的键 {k}（应为 documents、untexted、texts）", ()),
    (r"(?P<w>[^:]+?): not a clause key \(a document code, 附录N for an annex, a clause number\)",
     "{w}：不是条款键（文件代号、附录N、条款编号）", ()),
    (r"(?P<w>[^:]+?): expected zh, en and optionally heading, cut, note", "{w}：应为 zh、en，可另有 heading、cut、note", ()),
    (r"(?P<w>[^:]+?): expected zh and en texts", "{w}：应有 zh 和 en 两种文本", ()),
    (r"(?P<w>[^:]+?): the English text's list items (?P<en>.+) differ from the Chinese (?P<zh>.+)",
     "{w}：英文文本的列表项 {en} 与中文的 {zh} 不同", ()),
    (r"question (?P<q>\S+): (?P<rest>.+)", "题目 {q}：{rest}", ("rest",)),
    (r"(?P<problem>.+) \(and (?P<n>\d+) more problems? in this file\)", "{problem}（此文件还有 {n} 处问题）", ("problem",)),
    (r"group_total = (?P<t>\S+), but the other banks of group (?P<g>.+) declare (?P<u>\S+): the banks of a group must "
     r"all declare the same group_total",
     "group_total = {t}，但分组 {g} 的其他题库写的是 {u}：同一分组的题库必须写相同的 group_total", ()),
    (r"the banks of group (?P<g>.+?) \((?P<ids>.+)\) add up to (?P<t>\S+) points, not (?P<w>\S+)",
     "分组 {g} 的题库（{ids}）合计 {t} 分，而不是 {w} 分", ()),
    (r"methods: (?P<m>.+) is not a method of (?P<c>\S+) \((?P<f>.+)\)", "methods：{m} 不是 {c}（{f}）中的方法", ()),
    # the checks of a bank file (assistant/domain/bank.py)
    (r"max_points must not be negative", "max_points 不能为负数", ()),
    (r"a (?P<k>\S+) question needs max_points > 0", "{k} 题需要 max_points > 0", ()),
    (r"a scored question must list its 附录A methods \(methods = \[\] when none fits\)",
     "计分题必须列出其附录A 方法（没有合适的方法时写 methods = []）", ()),
    (r"a scored question needs next-step advice for levels 1\.\.4 \(next_steps\.source, next_steps\.levels\)",
     "计分题需要第 1–4 级的下一步建议（next_steps.source、next_steps.levels）", ()),
    (r"a (?P<k>\S+) question is not scored: max_points must be 0", "{k} 题不计分：max_points 必须为 0", ()),
    (r"a (?P<k>\S+) question is not scored: it has no (?P<x>.+)", "{k} 题不计分：不能有{x}", ("x",)),
    (r"next steps", "下一步建议", ()),
    (r"methods or next steps", "方法或下一步建议", ()),
    (r"a maturity question needs exactly 5 level descriptions \(levels 1\.\.5\)", "成熟度题需要正好 5 条等级描述（第 1–5 级）", ()),
    (r"only maturity questions have level descriptions", "只有成熟度题有等级描述", ()),
    (r"a question is either derived \(its clause's text is lost\) or truncated \(cut off\), not both",
     "一道题要么依据标题编写（条款原文缺失），要么原文不完整（被截断），不能两者兼是", ()),
    (r"only gate questions may skip follow-up questions", "只有关口问题可以跳过后续题目", ()),
    (r"a gate question must name the follow-up questions it skips", "关口问题必须写明它跳过的后续题目", ()),
    (r"a maturity bank needs level_guidance: that levels are cumulative, and which level to choose when one is "
     r"met only in part", "成熟度题库需要 level_guidance：说明等级是累进的，以及某级只部分满足时选哪一级", ()),
    (r"group and group_total are given together or not at all", "group 和 group_total 要么同时给出，要么都不给", ()),
    (r"section id (?P<s>.+) appears twice", "部分编号 {s} 出现了两次", ()),
    (r"question id (?P<q>.+) appears twice \(sections (?P<a>.+) and (?P<b>.+)\)", "题号 {q} 出现了两次（部分 {a} 和 {b}）", ()),
    (r"a (?P<k>\S+) bank cannot hold (?P<q>\S+) questions", "{k} 题库不能包含 {q} 题", ()),
    (r"check questions belong in a checklist bank \(kind = \"checklist\"\)", "check 题应放在清单题库中（kind = \"checklist\"）", ()),
    (r"a checklist bank needs at least one check question", "清单题库至少需要一道 check 题", ()),
    (r"a checklist bank has no points, so it cannot be part of a group", "清单题库没有分值，因此不能属于分组", ()),
    (r"skip_on = \"yes\" is only for checklist banks \(a scored follow-up skipped by its gate earns 0\)",
     "skip_on = \"yes\" 只用于清单题库（被关口问题跳过的计分后续题得 0 分）", ()),
    (r"skips unknown question (?P<t>.+)", "跳过了不存在的题目 {t}", ()),
    (r"follow-up (?P<t>.+) must come after its gate", "后续题 {t} 必须排在它的关口问题之后", ()),
    (r"follow-up (?P<t>.+) must be a check question \(a checklist gate skips items\)",
     "后续题 {t} 必须是 check 题（清单的关口问题跳过的是清单项）", ()),
    (r"follow-up (?P<t>.+) must be a likert question \(a skipped follow-up earns α = 0\)",
     "后续题 {t} 必须是李克特题（被跳过的后续题按 α = 0 计）", ()),
    (r"aliases: (?P<o>.+) is a current question id; an alias names a former id only",
     "aliases：{o} 是现有的题号；别名只能写以前的题号", ()),
    (r"aliases: (?P<o>.+) points to (?P<n>.+), which is not a question of this bank",
     "aliases：{o} 指向 {n}，但它不是本题库的题目", ()),
    (r"the questions' points add up to (?P<t>\S+), but the bank declares total_points = (?P<d>\S+)",
     "各题分值合计 {t}，但题库写的是 total_points = {d}", ()),
    (r"method (?P<m>.+): its id must be (?P<want>.+)", "方法 {m}：其编号必须是 {want}", ()),
    (r"method (?P<m>.+): letter (?P<l>.+) appears twice in area (?P<a>.+)", "方法 {m}：字母 {l} 在领域 {a} 中出现了两次", ()),
    (r"area (?P<a>.+) appears twice", "领域 {a} 出现了两次", ()),
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
    # the general forms of the store's messages, after the particular ones above
    (r"cannot remove (?P<path>.+?): (?P<err>.+)", "无法删除 {path}：{err}", ()),
    (r"(?P<what>.+) is invalid at (?P<where>.+?): (?P<msg>.+)", "{what} 在 {where} 处无效：{msg}", ("what", "msg")),
    (r"it", "其内容", ()),
]
from .i18n_postgres import ERRORS as _POSTGRES  # noqa: E402  (the PostgreSQL store's)

_ERRORS[:0] = _POSTGRES  # first: its server's reasons hold parts the broader patterns here would take
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


# The system's own words inside these messages (OSError.strerror, "[Errno 2] …"), by error number:
# the English is the C library's (os.strerror), whatever the platform writes.
_OS_ZH = {
    errno.ENOENT: "没有这个文件或文件夹", errno.EACCES: "没有权限", errno.EPERM: "不允许这样操作",
    errno.EISDIR: "这是一个文件夹", errno.ENOTDIR: "不是文件夹", errno.EEXIST: "文件已存在",
    errno.ENOTEMPTY: "文件夹不是空的", errno.ENOSPC: "磁盘空间不足", errno.EROFS: "文件系统是只读的",
    errno.ENAMETOOLONG: "文件名太长", errno.EMFILE: "打开的文件太多", errno.EBUSY: "设备或资源正忙",
    errno.EIO: "输入输出错误", errno.EINVAL: "参数无效", errno.EDQUOT: "超出磁盘配额",
    errno.ELOOP: "符号链接层数太多", errno.EXDEV: "不能跨设备移动", errno.ETIMEDOUT: "连接超时",
    errno.ECONNREFUSED: "连接被拒绝", errno.EADDRINUSE: "地址已被占用",
}
_OS_TEXTS = sorted(((os.strerror(code), zh) for code, zh in _OS_ZH.items()), key=lambda kv: -len(kv[0]))


def _os_words(text: str) -> str:
    text = re.sub(r"\[(?:Errno|WinError) -?\d+\] ", "", text)
    for english, zh in _OS_TEXTS:
        text = text.replace(english, zh)
    return text


def localise(message: str, lang: str) -> str:
    """An English message of the store or of an input check in `lang`; English, and a message this
    does not know, stay as they are (but for the system's error texts in it, said in Chinese too)."""
    if lang != "zh":
        return message
    return _os_words(_zh(message) or message)
