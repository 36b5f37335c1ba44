"""The PostgreSQL store's texts, zh and en: `selfcheck store copy` (STORE, read by `assistant.i18n.t`)
and the store's English error messages said in Chinese (ERRORS, patterns of `assistant.i18n_errors`)."""

from __future__ import annotations

STORE: dict[str, tuple[str, str]] = {
    "store.help": ("管理存储（复制到另一个存储）", "Manage stores (copy into another store)"),
    "store.description": (
        "存储可以是文件夹，也可以是 PostgreSQL 服务器（postgresql://用户:密码@主机:端口/数据库）。",
        "A store is a folder or a PostgreSQL server (postgresql://user:password@host:port/dbname)."),
    "store.copy.help": ("把一个存储中的全部会话、研讨会和行动复制到另一个存储",
                        "Copy every session, workshop and action of one store into another"),
    "store.copy.description": (
        "把 FROM 中的全部会话、研讨会和行动复制到 TO（文件夹或 postgresql:// 地址，任一方向）。可重复运行："
        "已有的相同记录不会重复；目标中较新的会话保持不变。复制后逐一核对会话内容、得分与数量。",
        "Copy every session, workshop and action of FROM into TO (a folder or a postgresql:// URL, either way). "
        "Safe to run again: records already there are not doubled, and a newer session in TO is left as it is. "
        "Afterwards every session's content and scores, and the counts, are checked."),
    "store.copy.from": ("源存储：文件夹或 postgresql:// 地址", "the store to copy from: a folder or a postgresql:// URL"),
    "store.copy.to": ("目标存储：文件夹或 postgresql:// 地址（不存在时创建）",
                      "the store to copy into: a folder or a postgresql:// URL (created when missing)"),
    "store.copy.progress": ("正在复制{what}：{done}/{total}", "Copying {what}: {done}/{total}"),
    "store.copy.sessions": ("会话", "sessions"),
    "store.copy.workshops": ("研讨会", "workshops"),
    "store.copy.actions": ("行动计划", "action plans"),
    "store.copy.same": ("源存储和目标存储相同", "FROM and TO are the same store"),
    "store.copy.no_source": ("{path} 中没有存储，没有可复制的内容", "there is no store at {path}: nothing to copy"),
    "store.copy.newer_there": ("会话 {id} 在目标存储中的版本较新，保持不变",
                               "session {id} is newer in the destination and was left as it is"),
    "store.copy.differs": ("会话 {id} 复制后内容不一致", "session {id} differs after the copy"),
    "store.copy.score_differs": ("会话 {id} 复制后得分不一致", "session {id} scores differently after the copy"),
    "store.copy.workshop_missing": ("研讨会 {name} 未出现在目标存储中", "workshop {name} is missing in the destination"),
    "store.copy.action_missing": ("{org} 的行动 {id} 未出现在目标存储中（或较旧）",
                                  "action {id} of {org} is missing (or older) in the destination"),
    "store.copy.done": (
        "已从 {source} 复制到 {target}：会话 {s} 个（新增 {s_added}，更新 {s_updated}，已存在 {s_same}），"
        "研讨会 {w} 个（新增 {w_added}），行动 {a} 项（新增 {a_added}，更新 {a_updated}）。",
        "Copied from {source} to {target}: {s} sessions ({s_added} added, {s_updated} updated, {s_same} already "
        "there), {w} workshops ({w_added} added), {a} actions ({a_added} added, {a_updated} updated)."),
    "store.copy.verified": ("已核对：{n} 个会话内容与得分一致，研讨会与行动齐全。",
                            "Verified: {n} sessions identical with the same scores; every workshop and action is there."),
    "store.copy.not_verified": ("核对未通过：{n} 处不一致（见上）。", "Not verified: {n} differences (see above)."),
}

# (the English message as a regular expression, its Chinese, the groups said in Chinese too); tried
# before the others, which would match parts of the server's reasons ("… does not exist")
ERRORS: list[tuple[str, str, tuple[str, ...]]] = [
    (r"cannot reach the PostgreSQL store (?P<url>\S+) \((?P<why>.+)\)\. Check that the server is running and that the "
     r"address, user and password are right \(--db or SELFCHECK_DB\)",
     "无法连接 PostgreSQL 存储 {url}（{why}）。请检查服务器是否在运行，以及地址、用户名和密码是否正确（--db 或 SELFCHECK_DB）", ("why",)),
    # the server's (libpq's) reasons seen most, said in Chinese; others stay as the server gave them
    (r"connection .*Connection refused.*", "连接被拒绝：服务器未运行，或主机、端口不对", ()),
    (r"(?:failed to resolve host|could not translate host name).*", "无法解析主机名", ()),
    (r"connection .*password authentication failed for user \"(?P<u>[^\"]*)\".*", "用户 {u} 的密码验证失败", ()),
    (r"connection .*role \"(?P<u>[^\"]*)\" does not exist.*", "用户 {u} 不存在", ()),
    (r"connection .*database \"(?P<db>[^\"]*)\" does not exist.*", "数据库 {db} 不存在", ()),
    (r"connection .*(?:timeout expired|timed out).*", "连接超时", ()),
    (r"connection .*socket.*No such file or directory.*", "找不到服务器的套接字文件", ()),
    (r"the PostgreSQL store (?P<url>.+?) answered with an error: (?P<why>.+)",
     "PostgreSQL 存储 {url} 返回了错误：{why}", ()),
    (r"the store (?P<url>.+) is busy \(another selfcheck holds every connection\); try again",
     "存储 {url} 正忙（其他 selfcheck 占用了全部连接），请稍后再试", ()),
    (r"the store (?P<url>.+) is busy \(other writers kept conflicting\); try again",
     "存储 {url} 正忙（其他写入者持续冲突），请稍后再试", ()),
    (r"the store record (?P<where>.+?) is damaged: (?P<problem>.+?)\. It was left as it is \(nothing was "
     r"overwritten\); restore it from a backup or remove it to go on\.",
     "存储记录 {where} 已损坏：{problem}。该记录保持原样（没有覆盖任何内容）；请从备份恢复，或删除它后继续。", ("problem",)),
    (r"it is invalid at (?P<where>.+?): (?P<msg>.+)", "在 {where} 处无效：{msg}", ()),
    (r"it holds action (?P<id>\S+) of (?P<org>.+)", "其中是 {org} 的行动 {id}", ()),
    (r"it names schema (?P<n>.+), which no selfcheck writes", "它标明的格式版本 {n} 不是任何 selfcheck 写入的", ()),
    (r"session (?P<id>\S+) was left out: (?P<e>.+)", "会话 {id} 未列出：{e}", ("e",)),
    (r"the workshop (?P<name>.+) of (?P<org>.+) is, in the destination, one of (?P<other>.+): rename one of them first",
     "研讨会 {name}（{org}）在目标存储中属于 {other}：请先重命名其中一个", ()),
    (r"action (?P<id>\S+) of (?P<org>.+) is a different action in the destination: copy it by hand "
     r"\(`selfcheck actions add`\)",
     "{org} 的行动 {id} 在目标存储中是另一项行动：请手动复制（selfcheck actions add）", ()),
]
