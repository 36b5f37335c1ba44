"""The product's own texts in Chinese and English (the banks carry theirs in their files)."""

from __future__ import annotations

from typing import Literal

Lang = Literal["zh", "en"]

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
    "source.service": ("服务特性测评（CTS TBSC55-2026 附录1）", "service characteristics evaluation (CTS TBSC55-2026 附录1)"),
    "management_level": ("管理成熟度 M", "Management maturity M"),
    "not_assessed": ("未评估", "not assessed"),
    "gate.met": ("管理成熟度满足该等级的要求", "management maturity meets what this grade requires"),
    "gate.capped": ("服务得分可达{earned}，但管理成熟度 {m} 级低于所需的 {need} 级，因此降一档或多档",
                    "the service score earns {earned}, but management maturity {m} is below the level {need} it needs, so the grade steps down"),
    "gate.not_assessed": ("未评估管理成熟度：等级仅按服务得分给出（需要管理成熟度 ≥ {need} 级）",
                          "management maturity not assessed: the grade follows the service score alone (needs management maturity ≥ {need})"),
    "gate.not_assessed_none": ("未评估管理成熟度：等级仅按服务得分给出", "management maturity not assessed: the grade follows the service score alone"),
    "provisional": ("这是自评得出的暂定等级，不是认证结论。评分规则中的解读（003 §5.3 等）见 SCORING 说明。",
                    "This grade is a provisional self-assessment, not a certification. Where the standards are ambiguous (e.g. 003 §5.3) the rules use a documented reading."),
    "bank": ("题库", "Bank"),
    "section": ("部分", "Section"),
    "score": ("得分", "Score"),
    "percent": ("得分率", "Percent"),
    "level": ("等级", "Level"),
    "unanswered": ("未答", "Unanswered"),
    "na": ("不适用", "N/A"),
    "activities": ("卓越服务活动合计", "Service-excellence activities combined"),
    "suggestions": ("改进建议（按涉及分值排序）", "Suggestions (ranked by points at stake)"),
    "method": ("实施方法", "Method"),
    "addresses": ("涉及条款", "Addresses"),
    "at_stake": ("涉及分值", "Points at stake"),
    "no_suggestions": ("没有差距项：没有需要优先改进的条款。", "No gaps: no clause needs priority improvement."),
    "complete.no": ("有未作答的题目：按 0 分计，结果不完整。", "Some questions are unanswered: they count as 0 and the result is incomplete."),
    "maturity_level": ("成熟度 {level} 级", "maturity level {level}"),
    "stored": ("已保存为会话 {id}（{path}）", "Stored as session {id} ({path})"),
    "written": ("已写入 {path}", "Written to {path}"),
    # sessions list
    "sessions.none": ("还没有保存的自评会话。", "No self-assessment sessions stored yet."),
    "status.in_progress": ("进行中", "in progress"),
    "status.completed": ("已完成", "completed"),
    "answered": ("已答", "Answered"),
    "status": ("状态", "Status"),
    "workshop": ("研讨会", "Workshop"),
}


def t(key: str, lang: Lang, **kwargs: object) -> str:
    zh, en = STRINGS[key]
    text = zh if lang == "zh" else en
    return text.format(**kwargs) if kwargs else text
