"""The suggestion picker of SCORING.md §7: the 附录A methods that address the largest gaps first."""

from __future__ import annotations

from decimal import Decimal

from .bank import Bank, Catalogue, Lang
from .results import BankResult, ItemResult, Suggestion, SuggestionItem

DEFAULT_COUNT = 5
LIKERT_GAP = Decimal("0.6")  # α ≤ 0.6: at or below 符合预期 (003 §5.1.1 level 3)
MATURITY_GAP = 3  # level ≤ 3


def is_gap(item: ItemResult) -> bool:
    """SCORING.md §7: α ≤ 0.6 (Likert), level ≤ 3 (maturity), or unanswered; never N/A."""
    if item.na:
        return False
    if item.unanswered:
        return True
    if item.alpha is not None:
        return item.alpha <= LIKERT_GAP
    return item.level is not None and item.level <= MATURITY_GAP


def gaps(results: list[BankResult]) -> list[tuple[BankResult, ItemResult]]:
    """Gaps ranked by points at stake, largest first; ties keep bank order (a stable sort)."""
    found = [(b, i) for b in results for i in b.items if is_gap(i)]
    return sorted(found, key=lambda pair: pair[1].points_at_stake, reverse=True)


def pick(results: list[BankResult], banks: dict[str, Bank], catalogue: Catalogue, lang: Lang,
         count: int = DEFAULT_COUNT) -> list[Suggestion]:
    """Walk the ranked gaps collecting each one's methods, without repeats, until `count` are found.

    Each suggestion lists every gap its method addresses, with the points at stake on them.
    """
    ranked = gaps(results)
    methods = catalogue.methods
    chosen: list[str] = []
    for bank_result, item in ranked:
        for method in banks[bank_result.id].question(item.id).methods:
            if len(chosen) == count:
                break
            if method not in chosen:
                chosen.append(method)
    out = []
    for method in chosen:
        area, m = methods[method]
        addressed = [
            SuggestionItem(bank=b.id, id=i.id, clause=i.clause, points_at_stake=i.points_at_stake)
            for b, i in ranked
            if method in banks[b.id].question(i.id).methods
        ]
        out.append(Suggestion(method=method, area=area.title(lang), text=m.text(lang), items=addressed))
    return out
