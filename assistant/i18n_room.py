"""Texts of the workshop room (`selfcheck serve`: the server's own join prompt, the cap on
participants), of taking sessions out of a workshop and of duplicates, zh and en;
`assistant.i18n.t` reads them with the rest."""

from __future__ import annotations

ROOM: dict[str, tuple[str, str]] = {
    # the join prompt the server itself shows before a participant's app starts (assistant/serve.py)
    "room.code": ("加入码：", "Join code: "),
    "room.name": ("你的姓名或代号：", "Your name or an alias: "),
    "room.role": ("角色（可选，如：管理层、员工；直接回车跳过）：", "Role (optional, e.g. leaders, staff; Enter skips): "),
    "room.wrong": ("加入码不正确，请向主持人确认。", "The join code is wrong; check it with the facilitator."),
    "room.wait": ("尝试次数较多，请稍候 {s} 秒……", "Many tries: please wait {s} s…"),
    "room.back": ("欢迎回来，{name}（已答 {n} 题）。回车继续你的自评；不是你请输入 n：",
                  "Welcome back, {name} (answered {n}). Enter continues your self-check; n if you are someone else: "),
    "room.twin": ("研讨会里已有一位“{name}”（已答 {n} 题，最近 {when}）。这是你吗？输入 y 继续那份自评，输入 n 换一个名字：",
                  "Someone called “{name}” has already joined (answered {n}, last at {when}). Is that you? "
                  "y continues that self-check, n picks another name: "),
    "room.other_name": ("请换一个名字（例如加上部门）。", "Please pick another name (e.g. add your department)."),
    "room.full": ("研讨室已满：{n} 人正在作答（上限 {max} 人）。有人离开后你会自动进入，请不要关闭页面。",
                  "The room is full: {n} people are answering (at most {max}). You will join as soon as a place "
                  "frees up; keep this page open."),
    "room.too_many": ("连接太多，研讨室已满，请稍后刷新页面。", "The room is full (too many pages open); reload the page later."),
    "room.starting": ("正在打开你的自评……", "Opening your self-check…"),
    "room.forbidden": ("此页面不能加入本研讨室。", "This page may not join this room."),
    "serve.max": ("同时作答的人数上限：{n}（--max-participants）", "At most {n} participants answer at a time (--max-participants)."),
    # taking sessions out of a workshop (selfcheck workshop remove)
    "cli.workshop.remove": ("把会话移出研讨会（会话本身保留）", "take sessions out of a workshop (the sessions are kept)"),
    "cli.workshop.removed": ("{session}：已移出研讨会 {name!r}", "{session}: taken out of workshop {name!r}"),
    "cli.err.not_member": ("会话 {session} 不在研讨会 {name!r} 中", "session {session} is not in workshop {name!r}"),
    "cli.err.none_answered": ("研讨会 {name!r} 还没有人作答", "nobody in workshop {name!r} has answered yet"),
    "cli.err.max_participants": ("--max-participants 至少为 1", "--max-participants must be at least 1"),
    "cli.serve.max_participants": ("同时作答的人数上限（默认按本机内存和处理器估算）",
                                   "how many participants may answer at a time (default: sized to this machine)"),
    # duplicates and participants who joined without answering (report/group.py, tui/watch.py)
    "group.duplicates": ("同名的参与者（可能是同一人刷新页面后重复加入）：{items}。多余的一份可以移出：selfcheck workshop remove {name} 会话号",
                         "Participants with the same name (perhaps one person who joined twice): {items}. Take the "
                         "extra one out with: selfcheck workshop remove {name} SESSION_ID"),
    "group.not_started": ("另有 {n} 人已加入但还没有作答，不计入结果。", "{n} more joined but have not answered yet; they do not count."),
    "watch.duplicate": ("同名", "same name"),
    "watch.nobody_answered": ("已有人加入，还没有人作答。", "People have joined; nobody has answered yet."),
}
