"""What every report format says the same way: titles, the grade's explanation, number formats."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from ..domain.answers import Answer
from ..domain.bank import Kind, Question
from ..domain.loader import Library
from ..domain.results import Grade, ItemResult, Result
from ..domain.scoring import ACTIVITIES, OUTCOME_LABELS, SERVICE_BANK
from ..i18n import Lang, t
from ..printable import printable


def fmt(value: Decimal | None, places: int = 1) -> str:
    if value is None:
        return "—"
    q = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)  # as the JSON (SCORING §3)
    text = f"{q:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def pct(value: Decimal | None) -> str:
    """A percent with its sign (70%, 66.1%), or — when there is none."""
    return "—" if value is None else fmt(value) + "%"


def bank_title(library: Library, bank_id: str, lang: Lang) -> str:
    bank = library.banks.get(bank_id)
    return bank.title(lang) if bank else bank_id


def section_title(library: Library, bank_id: str, section_id: str, lang: Lang) -> str:
    bank = library.banks.get(bank_id)
    if bank:
        for s in bank.sections:
            if s.id == section_id:
                return f"{s.id} {s.title(lang)}"
    return section_id


def source_text(grade: Grade, lang: Lang) -> str:
    if grade.service_source == SERVICE_BANK:
        return t("source.service", lang)
    if grade.service_source == ACTIVITIES:
        return t("source.activities", lang)
    return "—"


def gate_text(grade: Grade, lang: Lang) -> str:
    if grade.conformity == "not-yet" and grade.service_score is not None:
        return t("gate.conformity.not-yet", lang)  # 003 §5.3: it holds every grade (reading)
    if grade.service_score is None:
        return t("gate.no_score", lang)
    if grade.outcome == "not-yet" and grade.gate == "met":
        return t("gate.not_yet", lang)
    if grade.gate == "met":
        return t("gate.met", lang)
    if grade.gate == "capped":
        return t("gate.capped", lang, earned=OUTCOME_LABELS[grade.earned_outcome][lang],
                 m=grade.management_level, need=grade.needs_level)
    if grade.needs_level is None:
        return t("gate.not_assessed_none", lang)
    return t("gate.not_assessed", lang, need=grade.needs_level)


def bar(percent: Decimal | None, width: int = 20) -> str:
    if percent is None:
        return "·" * width
    filled = int((percent / 100 * width).to_integral_value())
    return "█" * filled + "░" * (width - filled)


def management_text(result: Result, lang: Lang) -> str:
    m = result.grade.management_level
    return t("not_assessed", lang) if m is None else t("maturity_level", lang, level=m)


def signed(value: Decimal | None, places: int = 1) -> str:
    """A change with its sign: +3.5, −2, 0 (a true minus sign, so it does not read as a hyphen)."""
    if value is None:
        return "—"
    text = fmt(abs(value), places)
    if text == "0":
        return "0"
    return ("+" if value > 0 else "−") + text


def date_text(moment: datetime, with_time: bool = False) -> str:
    return moment.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


def method_label(method_id: str, area: str) -> str:
    """附录A's way of naming a method: its area and its letter, e.g. 领导和管理 j). A gap's own
    next-step advice (method "bank:question") is named by its item, which `area` holds."""
    if ":" in method_id:
        return area
    return f"{area} {method_id.rsplit('.', 1)[-1]})"


def answer_text(answer: Answer | None, question: Question, item: ItemResult | None, lang: Lang) -> str:
    """An answer in words: level and label (with the α used), N/A with its reason, skipped, the gate
    choice (and the follow-ups it skips), the free text; an item skipped by a gate says so."""
    if item is not None and item.gated_by is not None:
        return t("doc.answer.gated", lang, gate=item.gated_by)
    if answer is None:
        return t("doc.answer.none", lang)
    if answer.skipped:
        return t("answer.skipped", lang)
    if answer.na is not None:
        return t("answer.na", lang, reason=printable(answer.na))
    if answer.choice is not None:
        out = t(f"gate.{answer.choice}", lang)
        if answer.choice in question.skip_on and question.skips:
            out += t("doc.answer.skips", lang, ids=", ".join(question.skips))
        return out
    if answer.text is not None:
        return printable(answer.text)
    assert answer.level is not None
    if question.kind is Kind.likert:
        from ..domain.replies import LIKERT_LABELS  # with the chat's reply patterns (2 ms): not for every report

        out = f"{answer.level} · {LIKERT_LABELS[answer.level][0 if lang == 'zh' else 1]}"
        alpha = item.alpha if item is not None and item.alpha is not None else answer.alpha
        if alpha is not None:
            out += t("answer.alpha", lang, alpha=fmt(alpha, 4))
        return out
    return t("level.n", lang, n=answer.level)


def compare_headline(cmp, lang: Lang) -> str:
    """The grade and the activities' percent, before → after."""
    before, after = cmp.before, cmp.after
    c = colon(lang)
    out = f"{t('grade', lang)}{c}{OUTCOME_LABELS[before.grade.outcome][lang]} → {OUTCOME_LABELS[after.grade.outcome][lang]}"
    if before.activities is not None and after.activities is not None:
        a, b = before.activities.percent, after.activities.percent
        change = "" if a is None or b is None else f"{b - a:+.1f}"
        delta = "" if not change else f"（{change}）" if lang == "zh" else f" ({change})"
        out += f" · {t('activities', lang)}{c}{fixed(a, 1)} → {fixed(b, 1)}{delta}"
    return out


# -- one language at a time: punctuation, headlines, decimals --------------------------------------


def colon(lang: Lang) -> str:
    """The colon after a label: full-width in a Chinese text."""
    return "：" if lang == "zh" else ": "


def headline(text: str, lang: Lang) -> str:
    """A text that heads a line or a headline (a grade label: "three-star" → "Three-star"); Chinese as it is."""
    return text[:1].upper() + text[1:] if lang == "en" and text else text


def places_needed(value: Decimal | None, places: int = 2) -> int:
    """How many decimals `value` shows when rounded to `places` (trailing zeros left out)."""
    text = fmt(value, places)
    return len(text.split(".", 1)[1]) if "." in text else 0


def fixed(value: Decimal | None, places: int) -> str:
    """`value` rounded half-up with exactly `places` decimals (— when there is none)."""
    if value is None:
        return "—"
    return f"{value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):f}" if places else fmt(value, 0)


def column(values: list[Decimal | None], places: int = 2) -> list[str]:
    """The numbers of one table column with the same number of decimals: as many as the most precise
    of them needs, `places` at most (3.5, 2.25, 4 → 3.50, 2.25, 4.00)."""
    width = max((places_needed(v, places) for v in values if v is not None), default=0)
    return [fixed(v, width) for v in values]


def signed_fixed(value: Decimal | None, places: int) -> str:
    """A change with its sign and exactly `places` decimals: +1.50, −0.25, 0.00 (— when there is none)."""
    if value is None:
        return "—"
    text = fixed(abs(value), places)
    return text if set(text) <= {"0", "."} else ("+" if value > 0 else "−") + text


def signed_column(values: list[Decimal | None], places: int = 2) -> list[str]:
    """Changes of one table column with their signs and the same number of decimals (`places` at most)."""
    width = max((places_needed(v, places) for v in values if v is not None), default=0)
    return [signed_fixed(v, width) for v in values]
