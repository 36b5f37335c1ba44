"""The texts of agreement and the consensus meeting (issue 12): the workshop report's agreement parts,
`selfcheck workshop consensus`, its TUI screen and the live watch's disputed items; zh and en."""

from __future__ import annotations

CONSENSUS: dict[str, tuple[str, str]] = {
    # figures of agreement
    "agreement.title": ("意见一致程度", "Agreement"),
    "agreement.reading": (
        "每个题库给出克里彭多夫 α（定序，Krippendorff 2011）：1 表示参与者评分完全一致，0 表示一致程度与随机无异，"
        "负值表示系统性分歧；缺答、不适用不计。每题的一致度（Tastle 与 Wierman 的定序一致度）为 1 时所有人选同一等级，"
        "为 0 时一半选 1 级、一半选 5 级。标准差按全体参与者计算，四分位距按线性插值。题目按分歧从大到小排列。",
        "Each bank shows Krippendorff's α (ordinal, Krippendorff 2011): 1 when the respondents rate alike, 0 when "
        "they agree no more than chance would, below 0 when they disagree systematically; unanswered and N/A do not "
        "count. Each item's agreement index (Tastle and Wierman's ordinal consensus) is 1 when everyone chose one "
        "level and 0 when half chose level 1 and half level 5. The SD is of the whole group; the IQR interpolates "
        "linearly. Items are listed most disputed first."),
    "agreement.alpha": ("克里彭多夫 α（定序）：{alpha}（{items} 题，{n} 人）",
                        "Krippendorff's α (ordinal): {alpha} ({items} items, {n} respondents)"),
    "agreement.chart": ("每题各等级的人数（色块），竖线为平均等级", "Respondents at each level per item; the tick marks the mean level"),
    "agreement.chart.legend": ("等级 1 至 5", "levels 1 to 5"),
    "agreement.distribution": ("分布 1–5", "Levels 1–5"),
    "agreement.median": ("中位数", "median"),
    "agreement.median.col": ("中位数", "Median"),
    "agreement.index.col": ("一致度", "Agreement"),
    "agreement.flag": ("题号后的 ! 表示参与者之间等级相差 2 级及以上（意见分歧）。",
                       "A ! after an id: the respondents' levels are 2 or more apart (disagreement)."),
    "consensus.in_progress": ("会议尚未结束（已商定 {done}/{total} 题）：共识等级在全部题目商定后给出。",
                              "The meeting is not finished ({done} of {total} items agreed): the agreed grade is given once every item is agreed."),
    "agreement.sd": ("标准差", "SD"),
    "agreement.iqr": ("四分位距", "IQR"),
    "agreement.index": ("一致度", "agreement"),
    "agreement.role_items": ("角色之间差距最大的题目", "Items where roles differ most"),
    "agreement.role_items.reading": (
        "每对角色、每个题库列出平均等级相差最大的题目（前者减后者），即不同层级对同一做法的看法差距。",
        "For each pair of roles and each bank, the items whose mean levels differ most (the first minus the "
        "second): where the levels of the organisation see the same practice differently."),
    # the consensus meeting
    "consensus.title": ("共识会议结果", "Consensus meeting"),
    "consensus.kind": ("共识", "consensus"),
    "consensus.session": ("共识会话", "Consensus session"),
    "consensus.facilitator": ("主持人", "Facilitator"),
    "consensus.progress.short": ("已商定题数", "Items agreed"),
    "consensus.progress": ("已商定 {done}/{total} 题（{n} 位参与者）", "{done} of {total} items agreed ({n} respondents)"),
    "consensus.grade": ("共识等级", "Agreed grade"),
    "consensus.vs_mean": ("服务得分：共识 / 小组平均", "Service score: agreed / group mean"),
    "consensus.reading": (
        "共识结果是研讨会商定的等级，按与自评相同的规则评分（003 §5.1），并作为组织的一次会话出现在历史、对比和改进计划中；"
        "小组平均（003 §5.1.2）照常给出，两者并列。",
        "The agreed result is the levels the workshop agreed on, scored by the same rules as a self-check (003 §5.1), "
        "and kept as a session of the organisation for history, compare and the planner; the group mean "
        "(003 §5.1.2) is shown beside it."),
    "consensus.agreed": ("商定", "Agreed"),
    "consensus.na": ("不适用", "N/A"),
    "consensus.reason": ("理由", "Reason"),
    "consensus.dissent": ("保留意见", "Dissent"),
    "consensus.names_shown": ("本研讨会允许显示参与者姓名。", "This workshop shows respondents' names."),
    "consensus.names_hidden": ("参与者以编号显示（建研讨会时加 --names 才显示姓名）。",
                               "Respondents are shown by number (names only for a workshop created with --names)."),
    "consensus.recorded": ("已记录 {id}：商定 {level}（小组平均 {mean}）", "Recorded {id}: agreed {level} (group mean {mean})"),
    "consensus.err.org": ("{source}：文件中的组织“{org}”不是该研讨会的组织“{workshop_org}”",
                          "{source}: the file's organisation \"{org}\" is not the workshop's (\"{workshop_org}\")"),
    "consensus.err.not_rated": ("{source} › {bank} › {id}：研讨会中没有人对这道题评分，无从商定",
                                "{source} › {bank} › {id}: nobody in the workshop rated this item, so there is nothing to agree on"),
    # CLI
    "cli.workshop.consensus": ("共识会议：按分歧从大到小逐题商定等级、理由和保留意见",
                               "consensus meeting: agree on each item's level, reason and dissent, most disputed first"),
    "cli.workshop.consensus.description": (
        "在终端中打开共识会议界面；给出 --answers 时按文件记录商定的等级（每项须带理由 \"reason\"，可带保留意见 \"dissent\"）；"
        "不在终端中（管道、CI）时输出议程和已商定的结果后退出，不等待输入。",
        "Opens the consensus screen on a terminal; with --answers records the agreed levels from a file (each entry "
        "carries a \"reason\" and may carry a \"dissent\"); elsewhere (a pipe, CI) prints the agenda and what is agreed, then "
        "exits without waiting for input."),
    "cli.consensus.answers": ("商定结果文件（答案文件格式，JSON）；- 表示从标准输入读取",
                              "the agreed levels, as an answers file (JSON); - reads standard input"),
    "cli.consensus.facilitator": ("主持人姓名（记在共识会话中）", "the facilitator's name (kept in the consensus session)"),
    "cli.workshop.names": ("参与者同意在共识会议中显示姓名（默认以编号显示）",
                           "the participants agree that the consensus meeting shows their names (default: by number)"),
    # the TUI screen
    "consensus.screen.item": ("第 {n}/{total} 题 · {bank}", "Item {n} of {total} · {bank}"),
    "consensus.screen.remarks": ("参与者的说明", "What respondents wrote"),
    "consensus.screen.agreed": ("已商定", "agreed"),
    "consensus.screen.no_reason": ("请写下商定的理由", "Write down why the group agreed on this level"),
    "consensus.err.no_reason": ("{source} › {bank} › {id}：缺少商定的理由（\"reason\"）",
                                "{source} › {bank} › {id}: the reason for the agreed level (\"reason\") is missing"),
    "consensus.screen.no_remarks": ("（没有说明）", "(no notes)"),
    "consensus.screen.level": ("等级 1–5", "Level 1–5"),
    "consensus.screen.alpha": ("α（可空）", "α (optional)"),
    "consensus.screen.reason": ("理由", "Reason"),
    "consensus.screen.dissent": ("保留意见（可空）", "Dissent (optional)"),
    "consensus.screen.saved": ("已保存 {id}", "Saved {id}"),
    "consensus.screen.done": ("全部题目已商定，共识会话 {id} 已完成。", "Every item is agreed; consensus session {id} is complete."),
    "consensus.screen.bad_level": ("请输入 1 到 5 的等级", "Type a level from 1 to 5"),
    "consensus.screen.bad_alpha": ("等级 {level} 的 α 须满足 {band}（003 §5.1.1）", "α for level {level} must be {band} (003 §5.1.1)"),
    "consensus.screen.no_alpha": ("这道题不取 α（只有李克特题有 α），请清空", "This item takes no α (only Likert items do); clear it"),
    "consensus.screen.level_na": ("1–5 或 n=不适用", "1–5 or n=N/A"),
    "consensus.screen.bad_level_na": ("请输入 1 到 5 的等级，或 n 表示不适用", "Type a level from 1 to 5, or n for N/A"),
    "consensus.screen.na_reason": ("不适用的原因", "Why it does not apply"),
    "consensus.screen.na_chosen": ("不适用：在右侧写明为什么不适用", "N/A: write on the right why it does not apply"),
    "consensus.screen.na_reason_missing": ("请写明为什么不适用", "Write down why the item does not apply"),
    "consensus.screen.na_alpha": ("不适用时不取 α，请清空", "N/A takes no α; clear it"),
    "key.consensus.na": ("不适用", "N/A"),
    "key.consensus.save": ("保存", "Save"),
    "key.consensus.next": ("下一题", "Next"),
    "key.consensus.prev": ("上一题", "Previous"),
    # the main app: the home screen's key and the command palette
    "key.consensus": ("共识会议", "Consensus"),
    "consensus.cmd": ("共识会议：{name}", "Consensus meeting: {name}"),
    "consensus.cmd.help": ("{org}的研讨会：按分歧从大到小逐题商定等级", "A workshop of {org}: agree on each item, most disputed first"),
    "consensus.not_in_workshop": ("选中的会话不属于任何研讨会", "The selected session is not part of a workshop"),
    "consensus.kind.mark": ("（共识）", "(consensus)"),
    "consensus.err.import": ("{file}：会话 {session} 是研讨会“{of}”的共识结果，不是参与者的自评，不能作为参与者加入研讨会",
                             "{file}: session {session} is the consensus of workshop \"{of}\", not a respondent's self-check; "
                             "it cannot join a workshop as a respondent"),
    "consensus.err.add": ("会话 {session} 是研讨会“{of}”的共识结果，不是参与者的自评，不能作为参与者加入研讨会",
                          "session {session} is the consensus of workshop \"{of}\", not a respondent's self-check; "
                          "it cannot join a workshop as a respondent"),
    # the live watch
    "watch.disputed": ("分歧最大的题目", "Most disputed items"),
}
