"""The suggestion picker of SCORING.md §7 and §11: what to improve first, from the largest gaps down.

A gap's suggestion is a 附录A method that genuinely addresses its question; a question with no
fitting method (its bank says `methods = []`) contributes its own next-step advice instead. The
walk goes breadth first — each gap, largest first, gives its best method not yet chosen — so a few
big gaps with many methods do not take every place while whole sections get nothing (reading).
Each suggestion lists every gap it addresses; they are shown in the order of those summed points.
"""

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


def gaps(results: list[BankResult], reached: set[tuple[str, str]] | None = None) -> list[tuple[BankResult, ItemResult]]:
    """Gaps ranked by points at stake, largest first; ties keep bank order (a stable sort).

    `reached` (bank, question) limits unanswered gaps to the questions a session in progress has
    reached (SCORING §11): a question not yet asked is not a gap, a skipped one is.
    """
    found = [(b, i) for b in results for i in b.items if is_gap(i)
             and (reached is None or not i.unanswered or (b.id, i.id) in reached)]
    return sorted(found, key=lambda pair: pair[1].points_at_stake, reverse=True)


def _methods(banks: dict[str, Bank], bank_id: str, qid: str) -> list[str]:
    return list(banks[bank_id].question(qid).methods or [])


def pick(results: list[BankResult], banks: dict[str, Bank], catalogue: Catalogue, lang: Lang,
         count: int = DEFAULT_COUNT, reached: set[tuple[str, str]] | None = None) -> list[Suggestion]:
    ranked = gaps(results, reached)
    options = [_methods(banks, b.id, i.id) or [f"{b.id}:{i.id}"] for b, i in ranked]
    chosen: list[str] = []  # method ids, or "bank:question" for a gap's own next-step advice
    for depth in range(max(map(len, options), default=0)):
        for mine in options:  # each gap's first choice on the first pass, its second on the next, …
            if len(chosen) < count and depth < len(mine) and mine[depth] not in chosen:
                chosen.append(mine[depth])
    out = [_suggestion(key, ranked, banks, catalogue, lang) for key in chosen]
    return sorted(out, key=lambda s: s.points_at_stake, reverse=True)  # stable: ties keep the walk's order


def _suggestion(key: str, ranked: list[tuple[BankResult, ItemResult]], banks: dict[str, Bank],
                catalogue: Catalogue, lang: Lang) -> Suggestion:
    if ":" in key:  # a gap with no fitting method: its own next-step advice
        bank_id, qid = key.rsplit(":", 1)
        b, item = next((b, i) for b, i in ranked if b.id == bank_id and i.id == qid)
        q = banks[bank_id].question(qid)
        level = item.level if item.level and not item.unanswered and item.gated_by is None else 1
        text = q.next_steps.at(level)[1](lang) if q.next_steps else q.text(lang)
        return Suggestion(kind="next-step", method=key, area=f"{banks[bank_id].title(lang)} {qid}", text=text,
                          items=[SuggestionItem(bank=bank_id, id=qid, clause=item.clause,
                                                points_at_stake=item.points_at_stake)])
    area, m = catalogue.methods[key]
    addressed = [SuggestionItem(bank=b.id, id=i.id, clause=i.clause, points_at_stake=i.points_at_stake)
                 for b, i in ranked if key in _methods(banks, b.id, i.id)]
    return Suggestion(method=key, area=area.title(lang), text=m.text(lang), items=addressed)
