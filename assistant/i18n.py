"""The product's own texts in Chinese and English (the banks carry theirs in their files)."""

from __future__ import annotations

from typing import Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

STRINGS: dict[str, tuple[str, str]] = {
    # results and reports
    "result.title": ("卓越服务自评结果", "Service-excellence self-assessment result"),
    "org": ("组织", "Organisation"),
    "respondent": ("填写人", "Respondent"),
    "session": ("会话", "Session"),
    "rules": ("评分规则", "Rules profile"),
    "created": ("创建时间", "Created"),
    "grade": ("暂定等级", "Provisional grade"),
    "service_score": ("服务得分 S", "Service score S"),
    "source.activities": ("四项卓越服务活动（T/QAHN008—2025）合计，代替服务特性测评",
                          "the four service-excellence activities (T/QAHN008—2025) combined, standing in for the service characteristics evaluation"),
    "source.service": ("服务特性测评（CTS TBSC55-2026 附录1）", "service characteristics evaluation (CTS TBSC55-2026 Annex 1)"),
    "management_level": ("管理成熟度 M", "Management maturity M"),
    "not_assessed": ("未评估", "not assessed"),
    "gate.no_score": ("没有服务得分：服务特性测评与四项活动均未作答（或全部不适用），无法给出等级",
                      "No service score: neither the service characteristics nor the activities were answered (or all are N/A), so there is no grade"),
    "gate.not_yet": ("服务得分低于 60 分，尚未达到任何等级（003 §5.3）", "The service score is below 60, short of every grade (003 §5.3)"),
    "gate.met": ("管理成熟度满足该等级的要求", "Management maturity meets what this grade requires"),
    "gate.capped": ("服务得分可达{earned}，但管理成熟度 {m} 级低于所需的 {need} 级，因此降一档或多档",
                    "The service score earns {earned}, but management maturity {m} is below the level {need} it needs, so the grade steps down"),
    "gate.not_assessed": ("未评估管理成熟度：等级仅按服务得分给出（需要管理成熟度 ≥ {need} 级）",
                          "Management maturity not assessed: the grade follows the service score alone (needs management maturity ≥ {need})"),
    "gate.not_assessed_none": ("未评估管理成熟度：等级仅按服务得分给出", "Management maturity not assessed: the grade follows the service score alone"),
    "provisional": ("这是自评得出的暂定等级，不是认证结论。标准含义不明确之处（如 003 §5.3）采用的解读见 README 的“评分规则”一节。",
                    "This grade is a provisional self-assessment, not a certification. Where the standards are ambiguous (e.g. 003 §5.3) the rules use a reading, listed in the README's Scoring section."),
    "bank": ("题库", "Bank"),
    "section": ("部分", "Section"),
    "score": ("得分", "Score"),
    "percent": ("得分率", "Percent"),
    "level": ("等级", "Level"),
    "unanswered": ("未答", "Unanswered"),
    "na": ("不适用", "N/A"),
    "activities": ("卓越服务活动合计", "Service-excellence activities combined"),
    "suggestions": ("改进建议（从失分最多的条款起）", "Suggestions (from the items with most points at stake)"),
    "method": ("实施方法", "Method"),
    "addresses": ("涉及条款", "Addresses"),
    "at_stake": ("涉及分值", "Points at stake"),
    "no_suggestions": ("没有差距项：没有需要优先改进的条款。", "No gaps: no clause needs priority improvement."),
    "complete.no": ("有未作答的题目：按 0 分计，结果不完整。", "Some questions are unanswered: they count as 0 and the result is incomplete."),
    "maturity_level": ("成熟度 {level} 级", "maturity level {level}"),
    "stored": ("已保存为会话 {id}（{path}）", "Stored as session {id} ({path})"),
    "written": ("已写入 {path}", "Written to {path}"),
    # the management report (assistant/report/document.py)
    "doc.title": ("卓越服务自评报告", "Service-excellence self-assessment report"),
    "doc.for": ("呈管理层审阅", "For the management"),
    "doc.date": ("自评日期", "Date of the self-assessment"),
    "doc.generated": ("报告生成时间", "Report generated"),
    "doc.banks": ("题库及版本", "Banks and versions"),
    "doc.version": ("版本 {version}", "version {version}"),
    "doc.version_now": ("（当前题库为 {version}）", " (the bank is now at {version})"),
    "doc.role": ("角色", "Role"),
    "doc.answered_of": ("已答 {n} 题", "{n} questions answered"),
    "doc.profile.clause-text": ("条文解读：星级按 003 §5.3 条文的分数段，管理成熟度要求按其表格",
                                "clause-text reading: the star bands of 003 §5.3's text, with the management levels of its table"),
    "doc.profile.table-rows": ("表格行解读：把 003 §5.3 表格的三行读作三个星级",
                               "table-rows reading: the three rows of 003 §5.3's table read as the three star levels"),
    "doc.summary": ("执行摘要", "Executive summary"),
    "doc.activity_percent": ("卓越服务活动得分率", "Activity percent"),
    "doc.completeness": ("完整性", "Completeness"),
    "doc.complete": ("所有计分题均已作答", "every scored question is answered"),
    "doc.top": ("优先改进的 {n} 项建议", "The {n} suggestions that matter most"),
    "doc.at_stake": ("涉及分值 {points}", "{points} points at stake"),
    "doc.scores": ("各题库及各部分得分", "Scores by bank and section"),
    "doc.chart.scores": ("各题库及各部分的得分率（%）", "Percent of each bank and section (%)"),
    "doc.answers": ("逐题作答明细", "Every answer"),
    "doc.col.id": ("题号", "ID"),
    "doc.col.clause": ("条款", "Clause"),
    "doc.col.question": ("问题", "Question"),
    "doc.col.answer": ("回答", "Answer"),
    "doc.col.points": ("得分/满分", "Points"),
    "doc.col.note": ("说明与证据", "Note / evidence"),
    "doc.col.status": ("情况", "Status"),
    "doc.derived": ("依据标题编写", "written from its heading"),
    "doc.answer.gated": ("因 {gate} 的回答而跳过（α = 0）", "skipped by the answer to {gate} (α = 0)"),
    "doc.answer.none": ("未答", "not answered"),
    "doc.answer.skips": ("（跳过 {ids}）", " (skips {ids})"),
    "doc.not_scored": ("不计分", "not scored"),
    "doc.open": ("未答与不适用项", "Unanswered and not applicable items"),
    "doc.open.none": ("没有未答、不适用或被跳过的计分题。", "No scored question is unanswered, not applicable or skipped."),
    "doc.open.unanswered": ("未答（计 0 分）", "unanswered (counts as 0)"),
    "doc.open.gated": ("被关口问题 {gate} 跳过（计 0 分）", "skipped by gate question {gate} (counts as 0)"),
    "doc.plan": ("改进行动计划", "Action plan"),
    "doc.plan.intro": ("以下实施方法（000 附录A）从差距最大的题目开始依次选出；涉及分值是该方法针对的全部差距题目可提升的分值之和。请为每一项指定负责人和完成日期，并在下次自评时检查成效。",
                       "The implementation methods below (000 Annex A) are picked from the largest gaps down; the points at stake are what all the gap items a method addresses could gain. Give each one an owner and a due date, and check the effect at the next self-assessment."),
    "doc.col.method": ("实施方法（附录A 领域与条目）", "Method (Annex A area and letter)"),
    "doc.col.text": ("内容", "What to do"),
    "doc.col.owner": ("负责人", "Owner"),
    "doc.col.due": ("完成日期", "Due date"),
    "doc.history": ("历次自评", "History"),
    "doc.col.date": ("日期", "Date"),
    "doc.this": ("本次", "this one"),
    "doc.trend": ("历次自评的得分率趋势（%）", "Percents over the self-assessments (%)"),
    "doc.comparison": ("与上次自评比较", "Comparison with the previous self-assessment"),
    "doc.cmp.between": ("上次：{before}（{bdate}）；本次：{after}（{adate}）", "Previous: {before} ({bdate}); this one: {after} ({adate})"),
    "doc.before": ("上次", "Before"),
    "doc.after": ("本次", "After"),
    "doc.delta": ("变化", "Change"),
    "doc.levels": ("等级变化", "Levels"),
    "doc.improved": ("进步最大的题目", "Most improved items"),
    "doc.slipped": ("退步最大的题目", "Most slipped items"),
    "doc.improved.none": ("没有得分提高的题目。", "No item gained points."),
    "doc.slipped.none": ("没有得分下降的题目。", "No item lost points."),
    "doc.acted": ("上次建议的落实情况", "Last time's suggestions: acted on or not"),
    "doc.acted.none": ("上次没有改进建议。", "There were no suggestions last time."),
    "doc.col.items": ("涉及题目", "Items"),
    "doc.col.gained": ("提高的分值", "Points gained"),
    "doc.col.acted": ("是否见效", "Acted on"),
    "doc.acted.yes": ("已见成效", "acted on"),
    "doc.acted.no": ("尚未见效", "not yet"),
    "doc.only_before": ("只在上次出现的题目：{ids}", "Items only in the previous session: {ids}"),
    "doc.only_after": ("只在本次出现的题目：{ids}", "Items only in this session: {ids}"),
    "doc.closing": ("关于本等级", "About this grade"),
    "doc.closing.body": ("本报告给出的等级是组织依据自评得出的暂定等级，不是认证结论，也不能代替认证机构的审核。正式等级只能由认证机构依据 CTS TBSC55-2026 评价确定。",
                         "The grade in this report is a provisional self-assessment made by the organisation itself. It is not a certification and does not replace an audit by a certification body: only a certification body's evaluation under CTS TBSC55-2026 gives a grade."),
    "doc.readings": ("标准原文有歧义或缺失之处，评分规则采用了以下解读（见 README 的“评分规则”一节）：",
                     "Where the standards are ambiguous or incomplete, the rules use these readings (see the README's Scoring section):"),
    "doc.reading.alpha": ("只选等级、未给出 α 时，α 取该等级区间的上限（1 级 0.2 … 5 级 1.0）（003 §5.1.1）。",
                          "When only a level is given, α is the top of its band (level 1: 0.2 … level 5: 1.0) (003 §5.1.1)."),
    "doc.reading.clause-text": ("等级（003 §5.3）按条文解读：星级按条文的分数段（三星级 80–89、四星级 90–94、五星级 ≥ 95），所需管理成熟度按表格（三星级 ≥ 3 级，四星级、五星级 ≥ 4 级）；60–79 分且成熟度 ≥ 2 级为“基本符合”（无星级）；成熟度不足时逐档下调。",
                                "The grade (003 §5.3) follows the clause-text reading: the stars by the bands of the text (three-star 80–89, four-star 90–94, five-star ≥ 95), the management level each needs by the table (three-star ≥ 3, four- and five-star ≥ 4); 60–79 with level ≥ 2 “meets basic requirements” (no star); while maturity falls short, the grade steps down."),
    "doc.reading.table-rows": ("等级（003 §5.3）按表格行解读：把表格的三行读作三个星级——三星级 60–79 且成熟度 ≥ 2 级，四星级 80–89 且 ≥ 3 级，五星级 ≥ 90 且 ≥ 4 级；成熟度不足时逐档下调。",
                               "The grade (003 §5.3) follows the table-rows reading: the table's three rows are the three stars — three-star 60–79 with maturity ≥ 2, four-star 80–89 with ≥ 3, five-star ≥ 90 with ≥ 4; while maturity falls short, the grade steps down."),
    "doc.reading.activities": ("未作服务特性测评（003 附录1）时，以四项卓越服务活动（002）的合计得分率代替服务得分 S。",
                               "Without the service characteristics evaluation (003 Annex 1), the four service-excellence activities' (002) combined percent stands in for the service score S."),
    "doc.reading.not_assessed": ("未评估管理成熟度时，等级只按服务得分给出，并注明该等级所需的成熟度。",
                                 "Without a management maturity assessment, the grade follows the service score alone and names the maturity level it would need."),
    "doc.reading.gate": ("关口问题回答为“否”时，其后续题目按实践缺失计 α = 0。",
                         "When a gate question is answered “no”, its follow-up questions count as an absent practice: α = 0."),
    "doc.reading.allocation": ("四项卓越服务活动的分值分配（{alloc}）是本工具的建议分配，因为 002 附录A 原文缺失。",
                               "The points of the four activities ({alloc}) are this tool's own allocation, as 002's Annex A is unavailable."),
    "doc.reading.derived": ("标有“依据标题编写”的题目，其条款原文缺失，题目依据条款标题编写。",
                            "Questions marked “written from its heading” come from clauses whose text is lost; they were written from the clause heading."),
    "doc.reading.maturity": ("管理要求各成熟度等级的描述（003 附录2 原文残缺）由本工具依据 GB/T 19004 的五级成熟度模型和附录4 编写。",
                             "The descriptions of the management maturity levels (003 Annex 2 is garbled) were written by this tool after GB/T 19004's five-level maturity model and Annex 4."),
    # the workshop group report (assistant/report/group.py)
    "group.title": ("研讨会小组自评报告", "Workshop group self-assessment report"),
    "group.respondents": ("参与人数", "Respondents"),
    "group.grade_note": ("等级按小组的平均得分率确定（003 §5.1.2：取各参与者得分的算术平均）。",
                         "The grade follows the group's mean percents (003 §5.1.2: the arithmetic mean of the respondents' scores)."),
    "group.activities_mean": ("卓越服务活动平均得分率", "Mean activity percent"),
    "group.banks": ("各题库得分率：平均、最低、最高", "Bank percents: mean, lowest, highest"),
    "group.chart": ("各题库的平均得分率（%），细线为最低至最高", "Mean percent of each bank (%); the thin line runs from the lowest to the highest"),
    "group.mean": ("平均", "Mean"),
    "group.min": ("最低", "Min"),
    "group.max": ("最高", "Max"),
    "group.sections": ("各部分平均得分率", "Mean percent of each section"),
    "group.items": ("逐题统计", "Item by item"),
    "group.mean_level": ("平均等级", "Mean level"),
    "group.mean_alpha": ("平均 α", "Mean α"),
    "group.answered": ("作答人数", "Answered"),
    "group.na_count": ("不适用 {n}", "N/A {n}"),
    "group.unanswered_count": ("未答 {n}", "unanswered {n}"),
    "group.flag": ("分歧", "Flag"),
    "group.disagreement": ("意见分歧", "disagreement"),
    "group.disagreement.rule": ("参与者之间等级相差 2 级及以上的题目标为“意见分歧”（003 §5.1.2 的均值之外，本工具的标记规则），值得在研讨中讨论。",
                                "An item whose levels differ by 2 or more between respondents is flagged “disagreement” (this tool's rule, beside the mean of 003 §5.1.2): worth discussing in the workshop."),
    "group.disagreement.count": ("共 {n} 题意见分歧：{ids}", "{n} items with disagreement: {ids}"),
    "group.disagreement.none": ("没有意见分歧的题目。", "No item shows disagreement."),
    "group.roles": ("不同角色的平均得分率", "Mean percents by role"),
    "group.role": ("角色", "Role"),
    "group.gaps": ("角色之间的差距（前者减后者）", "Gaps between roles (the first minus the second)"),
    "group.pair": ("角色对比", "Roles compared"),
    "group.gap": ("差距", "Gap"),
    "group.reading.mean": ("小组结果取各参与者得分率的算术平均（003 §5.1.2）；管理成熟度按参与者管理总分的平均值定级（003 附录3）。",
                           "The group result is the arithmetic mean of the respondents' percents (003 §5.1.2); the management level is that of the respondents' mean management total (003 Annex 3)."),
    # sessions list
    "sessions.none": ("还没有保存的自评会话。", "No self-assessment sessions stored yet."),
    "status.in_progress": ("进行中", "in progress"),
    "status.completed": ("已完成", "completed"),
    "answered": ("已答", "Answered"),
    "status": ("状态", "Status"),
    "workshop": ("研讨会", "Workshop"),
    # history and comparison
    "compare.title": ("两次自评对比", "Two self-checks compared"),
    "compare.before": ("之前", "Before"),
    "compare.after": ("之后", "After"),
    "compare.delta": ("变化", "Change"),
    "compare.improved": ("进步的条款", "Improved"),
    "compare.slipped": ("退步的条款", "Slipped"),
    "compare.unmatched": ("只出现在其中一次的条款（题库版本不同）", "Items in only one of the two (different bank versions)"),
    "compare.suggestions": ("上次的建议是否已落实（相关条款得分是否提高）", "Last time's suggestions: acted on? (did their items gain points)"),
    "unit.points": ("分", "pts"),
    "compare.gained": ("得分变化", "points gained"),
    "history.title": ("自评历史", "Self-check history"),
    "history.trend": ("趋势（从第一次到最近一次）", "Trend (first to latest)"),
    "history.pick": ("请选中一次自评（不是第一次），与它的前一次对比。", "Highlight a self-check (not the first) to compare it with the one before."),
    "key.compare": ("与前次对比", "Compare"),
    "key.history": ("历史", "History"),
    "key.export": ("导出报告", "Export report"),
    "export.ask": ("报告文件名（.html、.md、.docx 或 .xlsx）：", "Report file name (.html, .md, .docx or .xlsx):"),
    "export.suffix": ("文件名须以 .html、.md、.docx 或 .xlsx 结尾。", "The file name must end in .html, .md, .docx or .xlsx."),
    "export.done": ("报告已写入 {path}", "Report written to {path}"),
    "export.failed": ("无法写入报告：{error}", "Cannot write the report: {error}"),
    # workshops in the browser
    "join.welcome": ("欢迎参加 {org} 的卓越服务自评研讨会。填写后开始作答；你只能看到自己的答案。",
                     "Welcome to {org}'s service-excellence self-assessment workshop. Fill in and start; you see only your own answers."),
    "join.code": ("加入码", "Join code"),
    "join.name": ("你的姓名或代号", "Your name or an alias"),
    "join.role": ("角色（可选，如：管理层、员工）", "Role (optional, e.g. leaders, staff)"),
    "join.start": ("加入并开始", "Join and start"),
    "join.wrong": ("加入码不正确。", "The join code is wrong."),
    "join.locked": ("尝试次数过多，请向主持人确认加入码后刷新页面。", "Too many tries; check the code with the facilitator and reload the page."),
    "join.name_missing": ("请填写姓名或代号。", "Please enter a name or an alias."),
    "watch.title": ("研讨会实时进度", "Workshop live view"),
    "watch.role": ("角色", "Role"),
    "watch.progress": ("进度", "Progress"),
    "watch.where": ("当前题目", "Now at"),
    "watch.nobody": ("还没有人加入。", "Nobody has joined yet."),
    "watch.group": ("小组结果（各人得分的平均，003 §5.1.2）", "Group result (mean of the respondents, 003 §5.1.2)"),
    "watch.disagree": ("意见分歧", "disagreement"),
    # the app
    "app.title": ("卓越服务自评助手", "Service-excellence self-assessment assistant"),
    "home.new": ("开始新的自评", "Start a new self-check"),
    "home.org": ("组织名称", "Organisation"),
    "home.respondent": ("填写人（可选）", "Respondent (optional)"),
    "home.flows": ("自评流程", "Flows"),
    "home.start": ("开始", "Start"),
    "home.from": ("以选中的为基础", "Start from selected"),
    "home.workshop": ("研讨会（可选）", "Workshop (optional)"),
    "home.workshop_org": ("研讨会 {workshop} 属于 {org}，请填写该组织名称。", "Workshop {workshop} belongs to {org}; enter that organisation."),
    "home.pick_session": ("请先在下方列表中选中一次自评。", "Select a self-check in the list below first."),
    "home.sessions": ("未完成与已完成的自评（回车打开）", "Unfinished and past self-checks (Enter opens)"),
    "home.no_sessions": ("还没有自评记录。", "No self-checks yet."),
    "home.org_missing": ("请先填写组织名称。", "Please enter the organisation's name first."),
    "home.no_flow": ("请至少选择一个流程。", "Choose at least one flow."),
    "col.when": ("时间", "When"),
    "col.activities": ("活动得分率", "Activities %"),
    "col.status": ("状态", "Status"),
    "col.progress": ("已答", "Answered"),
    "col.flows": ("流程", "Flows"),
    "col.org": ("组织", "Org."),
    "col.by": ("填写人", "By"),
    "col.answered_short": ("已答", "Ans."),
    "key.quit": ("退出", "Quit"),
    "key.refresh": ("刷新", "Refresh"),
    "key.help": ("帮助", "Help"),
    "key.lang": ("English", "中文"),
    "key.back": ("上一题", "Back"),
    "key.palette": ("命令", "Commands"),
    "palette.placeholder": ("搜索命令…", "Search for commands…"),
    "palette.none": ("没有匹配的命令", "No matches found"),
    "cmd.quit": ("退出", "Quit"),
    "cmd.quit.help": ("关闭自评助手（每个回答都已保存）", "Close the assistant (every answer is saved)"),
    "profile.clause-text": ("条文解读", "clause-text"),
    "profile.table-rows": ("表格行解读", "table-rows"),
    "key.skip": ("跳过", "Skip"),
    "key.why": ("为什么", "Why"),
    "key.result": ("结果", "Result"),
    "key.home": ("首页", "Home"),
    "key.na": ("不适用", "N/A"),
    "progress.done": ("自评已完成", "Self-check complete"),
    "ask.why": ("为什么重要：", "Why it matters: "),
    "ask.evidence": ("证据示例：", "Evidence looks like: "),
    "ask.clause": ("来源条款：", "Source clause: "),
    "ask.derived": ("（原文缺失，依据标题编写）", " (source text lost; written from its heading)"),
    "ask.current": ("当前答案：", "Current answer: "),
    "ask.baseline": ("上次的答案：", "Last time: "),
    "ask.baseline.keep": ("（回车保留，或重新作答）", " (Enter keeps it, or answer anew)"),
    "notice.no_baseline": ("这一题没有上次的答案可保留。", "There is no earlier answer to keep for this question."),
    "ask.hint.likert": ("1–5（可加说明）· 0.75 精确α · 不适用 原因 · 跳过 · 上一题 · ^G 题目 · F1",
                        "1–5 (+ a note) · 0.75 α · n/a reason · skip · back · ^G questions · F1 help"),
    "ask.hint.maturity": ("1–5 成熟度等级（可加说明）· 跳过 · 上一题 · ^G 题目 · F1 帮助",
                          "1–5 maturity level (+ a note) · skip · back · ^G questions · F1 help"),
    "ask.hint.gate": ("按 1 是 / 2 部分 / 3 否，或输入 是、部分、否", "Press 1 yes / 2 partly / 3 no, or type yes, partly, no"),
    "ask.hint.text": ("直接输入文字后回车；输入“跳过”可不填", "Type your text and press Enter; skip to leave it out"),
    "gate.yes": ("是", "yes"), "gate.partly": ("部分", "partly"), "gate.no": ("否", "no"),
    "level.n": ("{n} 级", "level {n}"),
    "answer.skipped": ("跳过（计为未答）", "skipped (counts as unanswered)"),
    "answer.na": ("不适用：{reason}", "N/A: {reason}"),
    "answer.alpha": ("（α {alpha}）", " (α {alpha})"),
    "note.ask": ("这一项得分偏低。请简要说明现有证据或遇到的障碍（可选，直接回车跳过）。",
                 "This item scores low. Briefly note the evidence you have or the obstacle you face (optional: press Enter to skip)."),
    "note.tip": ("可参考的改进方法：", "A method that may help: "),
    "note.saved": ("已记下说明。", "Note saved."),
    "flow.done": ("“{bank}”流程完成：{earned}/{possible} 分（{percent}%）", "Flow '{bank}' complete: {earned}/{possible} points ({percent}%)"),
    "session.done": ("全部流程已完成。暂定等级：{label}", "All flows are complete. Provisional grade: {label}"),
    "session.more": ("按 Ctrl+R 查看完整结果与全部建议；输入“上一题”可返回修改答案。", "Press Ctrl+R for the full result and all suggestions; back lets you change an answer."),
    "notice.reopened": ("会话 {id} 已完成，下面是它的结果；输入“上一题”可回到题目修改答案。",
                        "Session {id} is complete; here is its result. Type back to revisit and change an answer."),
    "notice.resumed": ("已恢复会话 {id}：已答 {n} 题，从上次的位置继续。", "Resumed session {id}: {n} answered; carrying on where you left off."),
    "notice.started": ("你好！我们将逐题走完所选流程。每个回答都会立即保存，可以随时退出再继续。",
                "Hello! We will walk through the chosen flows one question at a time. Every answer is saved at once: leave any time and carry on later."),
    "notice.unknown": ("没有理解这个回复。", "I did not understand that reply."),
    "notice.empty": ("请输入回复。", "Please type a reply."),
    "notice.na_reason": ("标记为不适用时请写明原因，例如：不适用 本机构不提供该服务", "N/A needs a reason, e.g. n/a we do not offer this service"),
    "notice.na_required": ("这一项是必答项，不能标记为不适用。", "This item is required: it cannot be marked N/A."),
    "notice.na_unscored": ("这一题不计分，不能标记为不适用；可以输入“跳过”。", "This question is not scored and cannot be N/A; type skip to leave it out."),
    "notice.alpha_band": ("α = {alpha} 不在第 {level} 级的区间（{low}, {high}] 内（003 §5.1.1）。", "α = {alpha} is outside level {level}'s band ({low}, {high}] (003 §5.1.1)."),
    "notice.kind": ("这一题不能给出 α。", "This question does not take an α."),
    "notice.invalid": ("这个回答不能用：{problem}", "That answer cannot be used: {problem}"),
    "notice.held_back": ("数字键 1–5 会立即作答，紧随其后输入的字符未被使用。要给出精确的 α，请以 0. 或 α 开头（如 0.75、α 1）。",
                         "Keys 1–5 answer at once; what you typed right after was not used. For an exact α, start with 0. or α (e.g. 0.75, α 1)."),
    "notice.at_start": ("已经是第一题了。", "This is the first question."),
    "notice.done": ("自评已完成。输入“上一题”可返回修改，按 Ctrl+R 查看结果。", "The self-check is complete. Type back to change an answer, or press Ctrl+R for the result."),
    "notice.next_needs_answer": ("请先回答这一题，或输入“跳过”。", "Answer this question first, or type skip."),
    "notice.not_visible": ("题目 {question} 不会被提问（被前面的回答跳过）。", "Question {question} is not asked (an earlier answer skips it)."),
    "notice.save_failed": ("保存失败：{error}。这个回答没有保存，请重试。", "Saving failed: {error}. This answer was NOT saved; please try again."),
    "help.title": ("帮助", "Help"),
    "help.body": (
        "作答：按 1–5 直接回答（李克特：远低于预期 … 远高于预期；成熟度：1 级 … 5 级；是/部分/否：1/2/3）。\n"
        "也可以输入：4、高于预期、0.75（精确的体验系数 α，须在该级区间内）、不适用 因为…（须写原因）、跳过（已答的题保留答案，未答的题留空）、上一题、/为什么（这一题出自哪条条款、相关条款及其原文和标准）、/帮助。\n"
        "得分偏低时，助手会请你补充证据或障碍（可选），并给出一条 000 附录A 中的改进方法。\n"
        "每个回答都会立即保存；关闭终端后用 selfcheck chat --resume 会话号 或在首页选择即可继续。\n\n"
        "题目和报告引用的标准：\n"
        "002 = T/QAHN008—2025《卓越服务活动准则》：四项活动流程\n"
        "003 = CTS TBSC55-2026《卓越绩效服务认证技术规范》：服务特性测评（附录1）、管理要求成熟度（附录3、附录4）与等级（§5.3）；管理要求符合性审查（检查清单，未通过时等级为“尚未达到”）\n"
        "000 = 《服务标准编写融入卓越服务的指南》（草案）：附录A 的改进方法；服务标准编写准备度（检查清单，§4–§7）\n"
        "001 = T/CCPITCSC《卓越服务良好实践转化为标准指南》（征求意见稿）：良好实践转化为标准（检查清单，§4–§8）\n"
        "检查清单只判定“通过/尚未通过”，不计分：适用条目全部答“是”才通过。\n\n"
        "按键：1–5 作答 · Ctrl+B 上一题 · Ctrl+N 跳过 · F2 切换语言 · Ctrl+R 查看结果 · Ctrl+P 命令面板 · F1 帮助 · Esc 回到首页（结果页等：返回） · Ctrl+Q 退出\n首页：Ctrl+O 开始 · Ctrl+F 以选中的自评为基础再评 · F3 该组织的历史与趋势（其中 Ctrl+K 与前次对比） · F4 选中会话所属研讨会的共识会议（其中 Ctrl+N 不适用、Ctrl+S 保存） · 结果页：Ctrl+E 导出报告",
        "Answering: press 1–5 (Likert: far below … far above expectations; maturity: level 1 … 5; yes/partly/no: 1/2/3).\n"
        "Or type: 4, above, 0.75 (an exact experience coefficient α inside the level's band), n/a because … (not applicable, with a reason), skip (an answered question keeps its answer, an unanswered one stays unanswered), back, /why (where the question comes from: its clause and the related clauses, their texts and standards), /help.\n"
        "After a low score the assistant asks for evidence or the obstacle (optional) and offers one method from 000 Annex A.\n"
        "Every answer is saved at once; after closing the terminal, resume with selfcheck chat --resume SESSION or from the home screen.\n\n"
        "The standards the questions and reports cite:\n"
        "002 = T/QAHN008—2025, the guidelines for service-excellence activities: the four activity flows\n"
        "003 = CTS TBSC55-2026, the technical specification for excellent-performance service certification: the service characteristics (Annex 1), management maturity (Annexes 3 and 4) and the grade (§5.3); the management conformity review (a checklist: not passed, the grade is “not yet”)\n"
        "000 = the guide to writing service excellence into service standards (draft): the improvement methods of Annex A; writing a service standard (a checklist, §4–§7)\n"
        "001 = T/CCPITCSC, the guide to turning good service-excellence practices into standards (draft): good practice into a standard (a checklist, §4–§8)\n"
        "Checklists give pass or not yet, not points: they pass when every item that applies is answered yes.\n\n"
        "Keys: 1–5 answer · Ctrl+B back · Ctrl+N skip · F2 language · Ctrl+R result · Ctrl+P command palette · F1 help · Esc home (on the result and other screens: back) · Ctrl+Q quit\nHome: Ctrl+O start · Ctrl+F start again from the selected self-check · F3 the organisation's history and trend (Ctrl+K there compares with the one before) · F4 the consensus meeting of the selected session's workshop (Ctrl+N there: N/A, Ctrl+S: save) · Result: Ctrl+E export the report",
    ),
    "cmd.new": ("新的自评", "New self-check"),
    "cmd.new.help": ("回到首页，开始新的自评", "Go to the home screen to start a new self-check"),
    "cmd.lang": ("切换语言", "Switch language"),
    "cmd.lang.help": ("中文 / English", "中文 / English"),
    "cmd.help": ("帮助", "Help"),
    "cmd.help.help": ("作答方式与按键", "How to answer, and the keys"),
    "cmd.result": ("查看结果", "Show the result"),
    "cmd.result.help": ("本次自评的得分、等级与建议", "Scores, grade and suggestions of this self-check"),
}

# texts of larger features live in modules of their own, merged here
from .i18n_chat import CHAT  # noqa: E402
from .i18n_guidance import GUIDANCE  # noqa: E402
from .i18n_layout import LAYOUT  # noqa: E402
from .i18n_input import INPUT  # noqa: E402
from .i18n_room import ROOM  # noqa: E402
from .i18n_actions import ACTIONS  # noqa: E402
from .i18n_cli import CLI  # noqa: E402
from .i18n_postgres import STORE  # noqa: E402
from .i18n_office import OFFICE  # noqa: E402
from .i18n_footer import FOOTER  # noqa: E402
from .i18n_progress import PROGRESS  # noqa: E402
from .i18n_consensus import CONSENSUS  # noqa: E402
from .i18n_banks import BANKS  # noqa: E402
from .i18n_checklist import CHECKLIST  # noqa: E402
from .i18n_sources import SOURCES  # noqa: E402

STRINGS.update(GUIDANCE)
STRINGS.update(CHAT)
STRINGS.update(LAYOUT)
STRINGS.update(INPUT)
STRINGS.update(ROOM)
STRINGS.update(CLI)
STRINGS.update(ACTIONS)
STRINGS.update(STORE)
STRINGS.update(OFFICE)
STRINGS.update(FOOTER)
STRINGS.update(PROGRESS)
STRINGS.update(CONSENSUS)
STRINGS.update(BANKS)
STRINGS.update(CHECKLIST)
STRINGS.update(SOURCES)


def t(key: str, lang: Lang, **kwargs: object) -> str:
    zh, en = STRINGS[key]
    text = zh if lang == "zh" else en
    return text.format(**kwargs) if kwargs else text
