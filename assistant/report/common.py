"""What every report format says the same way: titles, the grade's explanation, number formats."""

from __future__ import annotations

from decimal import Decimal

from ..domain.loader import Library
from ..domain.results import Grade, Result
from ..domain.scoring import ACTIVITIES, OUTCOME_LABELS, SERVICE_BANK
from ..i18n import Lang, t


def fmt(value: Decimal | None, places: int = 1) -> str:
    if value is None:
        return "—"
    q = value.quantize(Decimal(1).scaleb(-places))
    text = f"{q:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


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
