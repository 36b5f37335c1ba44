"""Scores a whole session: every bank, the activities together, the grade and the suggestions."""

from __future__ import annotations

from .answers import Session
from .conformity import conformity_verdict, score_checklist
from .loader import Library
from .results import Result
from .scoring import (
    ACTIVITIES,
    MANAGEMENT_BANK,
    grade,
    group_totals,
    score_bank,
    service_score,
)
from .suggestions import DEFAULT_COUNT, pick


def reached(session: Session) -> set[tuple[str, str]] | None:
    """The questions a session in progress has reached (answered, N/A or skipped); None once completed."""
    if session.status == "completed":
        return None
    return {(b, q) for b, answers in session.answers.items() for q in answers}


def evaluate(library: Library, session: Session, count: int = DEFAULT_COUNT) -> Result:
    every = {bank_id: library.bank(bank_id) for bank_id in session.banks}
    banks = {bank_id: bank for bank_id, bank in every.items() if bank.kind != "checklist"}
    checklists = [score_checklist(bank, session.answers.get(bank.id, {}), session.lang)
                  for bank in every.values() if bank.kind == "checklist"]
    results = [score_bank(bank, session.answers.get(bank.id, {})) for bank in banks.values()]
    activities = group_totals(results, ACTIVITIES)
    s, source = service_score(results, activities)
    # like the service bank (SCORING §6), a management bank with no answer at all is "not assessed"
    management = next((r.level for r in results if r.id == MANAGEMENT_BANK and any(not i.unanswered for i in r.items)), None)
    return Result.built(
        session_id=session.id,
        org=session.org,
        rules_profile=session.rules_profile,
        lang=session.lang,
        complete=not any(r.unanswered for r in results) and not any(c.open for c in checklists),
        banks=results,
        activities=activities,
        grade=grade(s, source, management, session.rules_profile, session.lang, conformity_verdict(checklists)),
        # count=0 (a history row, a group's respondent): none wanted, so none picked (a quarter of the cost)
        suggestions=pick(results, banks, library.catalogue, session.lang, count, reached(session)) if count else [],
        checklists=checklists,
    )
