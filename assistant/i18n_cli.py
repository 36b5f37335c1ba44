"""The command line in either language: its help texts and messages (merged into `assistant.i18n`'s
STRINGS) and argparse's own texts ("usage:", "error:", "the following arguments are required", …) in
Chinese. The English messages of the store and the input checks are said in Chinese by
assistant/i18n_errors.py.

argparse reads its texts through the module's gettext functions (`argparse._`, `argparse.ngettext`)
when a parser is built and when it parses; `argparse_in(lang)` swaps them for the time of one
`selfcheck` run and puts them back after. English keeps argparse as it is.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from contextlib import contextmanager
from typing import Callable, Iterator, Sequence

from .linebreak import cells, lines

CLI: dict[str, tuple[str, str]] = {
    # messages of the command line
    "cli.error": ("selfcheck：错误：{message}", "selfcheck: error: {message}"),
    "cli.warning": ("selfcheck：警告：{message}", "selfcheck: warning: {message}"),
    "cli.stdin": ("标准输入", "standard input"),
    "cli.err.suggestions": ("--suggestions 须为 0 或更大的数", "--suggestions must be 0 or more"),
    "cli.err.write": ("无法写入 {path}：{error}", "cannot write {path}: {error}"),
    "cli.stdout": ("标准输出", "the standard output"),
    "cli.err.read": ("{source}：无法读取（{error}）", "{source}: cannot be read ({error})"),
    "cli.err.bank_missing": ("会话 {session} 使用了题库 {bank}，本程序没有这个题库",
                             "session {session} uses bank {bank}, which this program does not have"),
    "cli.err.unknown_bank": ("未知题库 {bank!r}（现有题库：{known}）", "unknown bank {bank!r} (known banks: {known})"),
    "cli.err.library": ("无法加载题库：{error}", "a question bank cannot be loaded: {error}"),
    "cli.err.no_sessions_of": ("此存储中没有 {org!r} 的会话", "no sessions of {org!r} in this store"),
    "cli.err.orgs_differ": ("两个会话属于不同的组织（{a!r}、{b!r}）", "the two sessions belong to different organisations ({a!r}, {b!r})"),
    "cli.err.workshop_needs": ("研讨会需要名称和组织", "a workshop needs a name and an organisation"),
    "cli.err.session_not_of_workshop": ("会话 {session} 属于 {org!r}，不属于研讨会的组织 {workshop_org!r}",
                                        "session {session} belongs to {org!r}, not to the workshop's organisation {workshop_org!r}"),
    "cli.err.workshop_empty": ("研讨会 {name!r} 还没有会话（用 selfcheck workshop add 添加）",
                               "workshop {name!r} has no sessions yet (add them with `selfcheck workshop add`)"),
    "cli.err.import_org": ("{file}：该会话属于 {org!r}，不属于 {workshop_org!r}",
                           "{file}: the session belongs to {org!r}, not to {workshop_org!r}"),
    "cli.err.serve": ("无法在 {host}:{port} 上提供服务：{error}", "cannot serve on {host}:{port}: {error}"),
    "cli.err.resume_with": ("--resume 继续已有的会话：不能与 --org、--from、--bank 或 --sector 同时使用",
                            "--resume carries on an existing session: it cannot be combined with --org, --from, --bank or --sector"),
    "cli.err.role_needs": ("--role 是研讨会中填写人的角色：请同时给出 --workshop 名称",
                           "--role is the respondent's role in a workshop: give --workshop NAME too"),
    "cli.err.bank_needs": ("--bank 选择新会话的流程：请同时给出 --org 组织（或 --workshop、--from）",
                           "--bank chooses the flows of a new session: give --org ORG (or --workshop, --from) too"),
    "cli.err.terminal": ("对话式助手需要在终端中运行；脚本请用 selfcheck run --answers 文件",
                         "the chat assistant needs a terminal; for scripts use `selfcheck run --answers FILE`"),
    "cli.err.workshop_org": ("研讨会 {name!r} 属于 {workshop_org!r}，不属于 {org!r}",
                             "workshop {name!r} belongs to {workshop_org!r}, not {org!r}"),
    "cli.err.baseline_org": ("会话 {session} 属于 {baseline_org!r}，不属于 {org!r}",
                             "session {session} belongs to {baseline_org!r}, not {org!r}"),
    "cli.reindexed": ("已从 {n} 个会话文件重建索引", "index rebuilt from {n} session files"),
    "cli.workshop.created": ("已为 {org!r} 创建研讨会 {name!r}", "workshop {name!r} created for {org!r}"),
    "cli.workshop.already": ("{session}：已在研讨会 {name!r} 中", "{session}: already in workshop {name!r}"),
    "cli.workshop.moved": ("{session}：已从研讨会 {old!r} 移出", "{session}: moved from workshop {old!r}"),
    "cli.workshop.twin": ("{session}：{respondent!r} 已在这个研讨会中作答（{twin}）；两次都计入小组平均",
                          "{session}: {respondent!r} already answered in this workshop ({twin}); both count in the group mean"),
    "cli.workshop.lacks": ("{session}：缺少研讨会的流程 {flows}", "{session}: lacks the workshop's flows {flows}"),
    "cli.workshop.added": ("{session}：已加入研讨会 {name!r}", "{session}: added to workshop {name!r}"),
    "cli.workshop.added_as": ("{session}：已以 {role!r} 的角色加入研讨会 {name!r}", "{session}: added to workshop {name!r} as {role!r}"),
    "serve.serving": ("selfcheck：正在为 {org} 的研讨会 {name!r} 提供服务，地址 {url}",
                      "selfcheck: serving workshop {name!r} ({org}) at {url}"),
    "serve.join_code": ("selfcheck：加入码 {code}（参与者开始前输入）", "selfcheck: join code: {code}  (participants type it before they start)"),
    "serve.loopback": ("selfcheck：仅限本机访问；要为会场提供服务，请用 --host（需要加入码）",
                       "selfcheck: loopback only (this machine); use --host to serve the room, with a join code"),
    "serve.watch": ("selfcheck：在另一个终端查看进度：selfcheck workshop watch {name}",
                    "selfcheck: follow progress in another terminal: selfcheck workshop watch {name}"),
    "cli.banks.id": ("编号", "id"),
    "cli.banks.version": ("版本", "version"),
    "cli.banks.title": ("名称", "title"),
    "cli.banks.questions": ("题数", "questions"),
    "cli.banks.points": ("总分", "points"),
    "cli.banks.derived": ("（依据标题编写）", " (derived)"),
    # argparse: what each command and option is for
    "cli.description": ("卓越服务自评助手。不带命令时打开对话式自评助手。",
                        "Service-excellence self-assessment assistant. Without a command, opens the chat assistant."),
    "cli.epilog": ("示例：\n  selfcheck run --answers answers.json\n  selfcheck banks list\n"
                   "  selfcheck sessions list --org 湘潭市中心医院\n  selfcheck report 20261121-3fa2c1 --format md --out report.md",
                   "Examples:\n  selfcheck run --answers answers.json --lang en\n  selfcheck banks list\n"
                   "  selfcheck sessions list --org \"Acme Airport Services\"\n  selfcheck report 20261121-3fa2c1 --format md --out report.md"),
    "cli.db": ("存储文件夹，或 PostgreSQL 服务器地址 postgresql://用户:密码@主机:端口/数据库（默认：$SELFCHECK_DB；"
               "否则当前文件夹中已有的 sessions 存储；再否则本用户的数据文件夹）",
               "the store folder, or a PostgreSQL server as postgresql://user:password@host:port/dbname (default: "
               "$SELFCHECK_DB, else ./sessions when it holds a store, else the per-user data folder)"),
    "cli.lang": ("输出和助手的语言：zh（默认，中文）或 en（英文）", "language of the output and the app: zh (default) or en"),
    "cli.version": ("显示程序版本并退出", "show program's version number and exit"),
    "cli.run": ("根据答案文件评分并保存一次完整的自评", "score and store a complete session from an answers file"),
    "cli.run.description": ("根据答案文件（JSON）为一次完整的自评评分，保存为会话，并输出暂定等级和改进建议。",
                            "Score a complete self-assessment from an answers file (JSON), store it as a "
                            "session and print the provisional grade and the suggestions."),
    "cli.run.answers": ("答案文件（JSON）；- 表示从标准输入读取", "the answers file (JSON); - reads standard input"),
    "cli.rules": ("如何解读 003 §5.3 的等级表：clause-text（条文解读，默认）或 table-rows（表格行解读）；见 README 的“评分规则”",
                  "how to read 003 §5.3's grade table (default clause-text; see the README's Scoring section)"),
    "cli.rules.session": ("如何解读 003 §5.3 的等级表：clause-text（条文解读）或 table-rows（表格行解读）；默认：会话的设置",
                          "how to read 003 §5.3's grade table; default: the session's"),
    "cli.format": ("输出格式", "the output format"),
    "cli.out": ("写入这个文件，而不是输出到终端", "write the result here instead of the terminal"),
    "cli.suggestions": ("改进建议的条数（默认 5）", "how many suggestions (default 5)"),
    "cli.sector": ("组织所在的行业（hospital 医院、power 供电、transport 交通、retail 零售、other 其他）：题目和报告显示该行业的示例",
                   "the organisation's sector (hospital, power, transport, retail, other): questions and reports show its examples"),
    "cli.banks": ("列出、查看和校验题库", "list, show and validate question banks"),
    "cli.banks.list": ("本程序自带的题库", "the banks this program ships"),
    "cli.banks.show": ("加载后的一个题库（JSON：SCORING §9）", "one bank as loaded (JSON: SCORING §9)"),
    "cli.banks.validate": ("校验题库文件（一个文件夹，或包含目录的文件）", "check bank files (a folder, or files that include the catalogue)"),
    "cli.sessions": ("已保存的会话", "the stored sessions"),
    "cli.sessions.list": ("已保存的会话，最新的在前", "stored sessions, newest first"),
    "cli.sessions.org": ("只列出这个组织的会话", "only this organisation's sessions"),
    "cli.sessions.reindex": ("根据会话文件重建存储的索引", "rebuild the store's index from the session files"),
    "cli.report": ("一次已保存会话的结果", "the result of a stored session"),
    "cli.session_id": ("会话编号或其唯一的前缀", "a session id or a unique prefix of it"),
    "cli.history": ("一个组织历次的自评", "an organisation's self-checks over time"),
    "cli.compare": ("逐题比较两次会话", "compare two sessions item by item"),
    "cli.compare.a": ("会话编号（或唯一前缀）", "a session id (or unique prefix)"),
    "cli.compare.b": ("较晚的会话编号（或唯一前缀）", "a later session id (or unique prefix)"),
    "cli.workshop": ("多位填写人的小组自评", "group self-checks of many respondents"),
    "cli.workshop.create": ("为一个组织创建研讨会", "create a workshop for one organisation"),
    "cli.workshop.bank": ("参与者作答的流程（默认：四项活动流程）", "the flows participants answer (default: the four activity flows)"),
    "cli.workshop.watch": ("实时查看：谁已加入、各自的进度、小组结果", "live view: who joined, their progress, the group result"),
    "cli.workshop.add": ("把会话加入研讨会", "add sessions to a workshop"),
    "cli.workshop.role": ("为这些会话标上角色，如 管理层 或 员工", "tag the sessions with a role, e.g. leaders or staff"),
    "cli.workshop.list": ("这个存储中的研讨会", "the workshops of this store"),
    "cli.workshop.report": ("小组结果：各填写人得分的平均（003 §5.1.2）", "the group result: means of the respondents (003 §5.1.2)"),
    "cli.export": ("把会话写入文件（以便在另一台电脑上导入）", "write a session to a file (to import on another machine)"),
    "cli.export.sanitise": ("去掉填写人姓名、说明和文字回答", "drop the respondent's name, notes and free-text answers"),
    "cli.import": ("导入由 selfcheck export 生成的会话文件", "import session files made by `selfcheck export`"),
    "cli.import.workshop": ("同时把导入的会话加入这个研讨会", "also add the imported sessions to this workshop"),
    "cli.serve": ("在浏览器中为研讨会提供自评助手", "serve the assistant to browsers for a workshop"),
    "cli.serve.description": ("在会场中通过浏览器提供对话式自评助手：每个浏览器有自己的应用和研讨会中自己的会话，全部写入本机的存储。",
                              "Serve the chat assistant to a room: each browser gets its own app and its own "
                              "session in the workshop, all written to this machine's store."),
    "cli.serve.host": ("监听的地址（默认 127.0.0.1：仅本机；其他地址需要加入码）",
                       "address to listen on (default 127.0.0.1: this machine only; any other needs a join code)"),
    "cli.serve.port": ("监听的端口（默认 8000）", "the port to listen on (default 8000)"),
    "cli.serve.public_url": ("参与者打开的地址，当它不是本机自己的地址时（如经过代理）；默认：由 --host 推出",
                             "the address participants open, when it is not this machine's own (e.g. behind a proxy); "
                             "default: derived from --host"),
    "cli.serve.join_code": ("参与者输入的加入码（默认：对本机以外提供服务时随机生成）",
                            "the code participants type (default: a random one when serving beyond this machine)"),
    "cli.chat": ("在新的或继续的会话上打开对话式自评助手", "open the chat assistant on a new or resumed session"),
    "cli.chat.org": ("为这个组织开始新的会话", "start a new session for this organisation"),
    "cli.chat.respondent": ("填写人", "the respondent"),
    "cli.chat.bank": ("要走完的题库（默认：四项活动流程）", "the banks to walk through (default: the four activity flows)"),
    "cli.chat.resume": ("继续这个会话", "resume this session"),
    "cli.chat.workshop": ("在这个研讨会中开始新的会话", "start the new session inside this workshop"),
    "cli.chat.role": ("填写人在研讨会中的角色（如 员工）", "the respondent's role in the workshop (e.g. staff)"),
    "cli.chat.from": ("以之前的会话为基础：逐题确认或修改它的答案", "start from a previous session: its answers are offered to confirm or change"),
    "cli.plan": ("达到目标等级的路径：最少的条款提升", "the path to a target grade: the fewest item raises that earn it"),
    "cli.plan.description": ("在会话的评分规则下，能达到目标等级的最少条款提升（等级步数最少；相同时得分提高最多，再按题库顺序），并附每一项的下一步建议。默认目标：高一级的等级。",
                             "The smallest set of item raises (fewest level steps; ties: most points gained, then "
                             "bank order) whose answers would earn the target grade under the session's rules, "
                             "with each item's next-step advice. Default target: the next grade up."),
    "cli.plan.target": ("three-star 三星级、four-star 四星级 或 five-star 五星级（clause-text 规则下还有 basic 基本符合）；默认：高一级的等级",
                        "three-star, four-star or five-star (basic under clause-text); default: the next grade up"),
    "cli.actions": ("组织的行动计划：列出、新增、修改、导出", "the organisation's action plan: list, add, set, export"),
    "cli.actions.description": ("组织针对差距决定要做的事：条款、做什么、负责人、截止日期、状态（planned 计划中、doing 进行中、done 已完成、dropped 已放弃）。保存在存储中，每个组织一个文件，跨次自评保留。",
                                "What the organisation decided to do about its gaps: items, what, owner, due "
                                "date, status (planned, doing, done, dropped). Kept in the store, one file per "
                                "organisation, across self-checks."),
    "cli.actions.list": ("行动计划，以及各行动的条款自制定以来的变化", "the plan, with how each action's items moved since it was planned"),
    "cli.actions.all": ("全部行动，包括已完成和已放弃的（默认）", "every action, done and dropped too (default)"),
    "cli.actions.open": ("只列出未完成的行动（计划中、进行中）", "only the open actions (planned, doing)"),
    "cli.actions.add": ("在计划中新增一项行动", "add an action to the plan"),
    "cli.actions.add.epilog": ("示例：selfcheck actions add --org 湘潭市中心医院 --item certification.service:4.3 "
                               "--what 门诊候诊区加装隔音 --owner 后勤处 --due 2027-03-31",
                               "Example: selfcheck actions add --org \"Acme Airport Services\" --item certification.service:4.3 "
                               "--what \"soundproof the waiting area\" --owner Facilities --due 2027-03-31"),
    "cli.actions.item": ("行动针对的计分题，如 certification.service:4.3 或 service:4.3（可重复给出多个）",
                         "a scored question the action works on, e.g. certification.service:4.3 or service:4.3 (repeat for more)"),
    "cli.actions.what": ("要做什么", "what is to be done"),
    "cli.actions.owner": ("负责人", "who owns it"),
    "cli.actions.due": ("截止日期", "the due date"),
    "cli.actions.status": ("状态", "the status"),
    "cli.actions.note": ("备注", "a note"),
    "cli.actions.session": ("制定这项行动所依据的自评（它的得分是“之前”）", "the self-check it is planned from (its scores are the 'before')"),
    "cli.actions.method": ("这项行动来自的 000 附录A 方法，如 leadership.a", "the 000 Annex A method it comes from, e.g. leadership.a"),
    "cli.actions.set": ("修改一项行动：状态、负责人、截止日期、备注或内容", "change an action: its status, owner, due date, note or text"),
    "cli.actions.id": ("如 A3", "e.g. A3"),
    "cli.actions.due_clear": ("截止日期；\"\" 表示去掉截止日期", 'the due date; "" removes it'),
    "cli.actions.export": ("把计划导出为 CSV（带 BOM 的 UTF-8，可用 Excel 打开）或 JSON",
                           "the plan as CSV (UTF-8 with BOM, opens in Excel) or JSON"),
}

# argparse's own texts (Python 3.11–3.13), in Chinese; a text not listed here stays as argparse has it
ARGPARSE_ZH: dict[str, str] = {
    "usage: ": "用法：",
    "options": "选项",
    "positional arguments": "位置参数",
    "show this help message and exit": "显示这份帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项：%(value)r（可选：%(choices)s）",
    "invalid choice: %(value)r, choose from %(choices)s": "无效的选项：%(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "expected one argument": "需要一个值",
    "expected at least one argument": "至少需要一个值",
    "expected at most one argument": "最多只能有一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项有歧义：%(option)s 可以是 %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "需要以下参数之一：%s",
    "ignored explicit argument %r": "忽略了显式给出的值 %r",
    "can't open '%(filename)s': %(error)s": "无法打开“%(filename)s”：%(error)s",
    "unexpected option string: %s": "意外的选项：%s",
}
ARGPARSE_ZH_PLURAL: dict[str, str] = {
    "expected %s argument": "需要 %s 个值",
}

# The placeholders of the usage and help (argparse's metavars, given or made from an option's name),
# in Chinese. Values typed as they are ({zh,en}, YYYY-MM-DD) stay.
METAVARS_ZH: dict[str, str] = {
    "A": "会话甲", "B": "会话乙", "N": "数目", "ACTION": "操作", "ACTION_ID": "行动编号",
    "BANK:QUESTION": "题库:题号", "BANK_ID": "题库编号", "CODE": "口令", "COMMAND": "命令", "FILE": "文件",
    "HOST": "主机", "METHOD_ID": "方法编号", "NAME": "名称", "ORG": "组织", "PATH": "路径", "PORT": "端口",
    "ROLE": "角色", "SESSION_ID": "会话编号", "TEXT": "文本", "URL": "网址", "FROM": "源存储", "TO": "目标存储",
    "DIR": "目录",
}


def metavar(name: str) -> str:
    """An argument's placeholder in the language argparse speaks now ("PATH" → "路径", "DIR|FILE.zip"
    → "目录|文件.zip" in Chinese); an argument's name in argparse's messages ("SESSION_ID") too."""
    if _current["lang"] != "zh":
        return name
    return re.sub(r"\b[A-Z][A-Z_]*(?::[A-Z_]+)?\b", lambda m: METAVARS_ZH.get(m.group(0), m.group(0)), name)


@contextmanager
def argparse_in(lang: str) -> Iterator[None]:
    """argparse's own texts in `lang` while the block runs (building the parser and parsing)."""
    if lang != "zh":
        yield
        return
    saved: tuple[Callable, Callable] = (argparse._, argparse.ngettext)  # type: ignore[attr-defined]
    gettext, ngettext = saved

    def zh(message: str) -> str:
        return ARGPARSE_ZH.get(message) or gettext(message)

    def zh_plural(singular: str, plural: str, n: int) -> str:
        return ARGPARSE_ZH_PLURAL.get(singular) or ngettext(singular, plural, n)

    action_name = argparse._get_action_name  # type: ignore[attr-defined]

    def zh_action_name(argument):  # "the following arguments are required: 会话编号"
        name = action_name(argument)
        return None if name is None else metavar(name)

    argparse._ = zh  # type: ignore[attr-defined]
    argparse.ngettext = zh_plural  # type: ignore[attr-defined]
    argparse._get_action_name = zh_action_name  # type: ignore[attr-defined]
    _current["lang"] = "zh"
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]
        argparse._get_action_name = action_name  # type: ignore[attr-defined]
        _current["lang"] = "en"


def wrap_cells(text: str, width: int) -> list[str]:
    """argparse's help as lines of at most `width` columns, broken as the chat's are
    (assistant/linebreak.py: ASCII words and numbers whole, no line starting with a closing mark)."""
    return lines(" ".join(text.split()), width)


_current = {"lang": "en"}


class _CellWrap:
    """argparse's help wrapped by terminal columns (Chinese takes two), and the usage's continuation
    lines lined up under a Chinese prefix."""

    def _split_lines(self, text, width):  # type: ignore[override]
        return wrap_cells(text, width)

    def _metavar_formatter(self, action, default_metavar):  # type: ignore[override]
        show = super()._metavar_formatter(action, default_metavar)  # type: ignore[misc]
        return lambda size: tuple(metavar(m) if isinstance(m, str) else m for m in show(size))

    def _format_action(self, action):  # type: ignore[override]
        # argparse lines the help up by len(); a Chinese placeholder takes two columns a character
        out = super()._format_action(action)  # type: ignore[misc]
        invocation = self._format_action_invocation(action)  # type: ignore[attr-defined]
        extra = cells(invocation) - len(invocation)
        head = " " * self._current_indent + invocation  # type: ignore[attr-defined]
        gap = len(out) - len(out[len(head):].lstrip(" ")) - len(head) if out.startswith(head) else 0
        if extra > 0 and gap > extra + 1:
            out = head + out[len(head) + extra:]
        return out

    def _fill_text(self, text, width, indent):  # type: ignore[override]
        return "\n".join(indent + line for line in wrap_cells(text, width - len(indent)))

    def _format_usage(self, usage, actions, groups, prefix):  # type: ignore[override]
        out = super()._format_usage(usage, actions, groups, prefix)  # type: ignore[misc]
        prefix = argparse._("usage: ") if prefix is None else prefix  # type: ignore[attr-defined]
        extra = cells(prefix) - len(prefix)
        if extra <= 0:
            return out
        lines = out.split("\n")
        return "\n".join([lines[0]] + [(" " * extra + x) if x.startswith(" ") else x for x in lines[1:]])


class CellFormatter(_CellWrap, argparse.HelpFormatter):
    pass


class CellRawFormatter(_CellWrap, argparse.RawDescriptionHelpFormatter):
    def _fill_text(self, text, width, indent):  # type: ignore[override]
        return argparse.RawDescriptionHelpFormatter._fill_text(self, text, width, indent)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose help wraps by terminal columns and, in Chinese, ends its section
    headings with a full-width colon (argparse writes "%s:" itself)."""

    def _get_formatter(self):  # type: ignore[override]
        raw = issubclass(self.formatter_class, argparse.RawDescriptionHelpFormatter)
        return (CellRawFormatter if raw else CellFormatter)(prog=self.prog, width=terminal_columns() - 2)

    def format_help(self) -> str:
        text = super().format_help()
        if _current["lang"] == "zh":
            text = re.sub(r"^(\S[^\n]*?):$", r"\1：", text, flags=re.MULTILINE)
        return text


def terminal_columns() -> int:
    """The terminal's width as shutil.get_terminal_size() gives it ($COLUMNS, else the terminal's,
    else 80), which argparse asks for when not given one: without importing shutil (and bz2 and lzma
    with it), 3 ms of every `--help` and argument error (issue 14 §2)."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns if columns > 0 else 80


def lang_of_argv(argv: Sequence[str]) -> str | None:
    """The --lang an argument list asks for (before it is parsed: argparse's own messages and the
    help need it), or None."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in ("zh", "en"):
            return argv[i + 1]
        if arg.startswith("--lang=") and arg[7:] in ("zh", "en"):
            return arg[7:]
    return None
