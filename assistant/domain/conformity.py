"""The result of a checklist bank: pass or not yet, with the items that failed and those still open.

A checklist bank (kind = "checklist") holds `check` items answered yes / partly / no. Its result
is not a score but a verdict **(reading, README "Scoring")**: it passes when every item that applies
is answered "yes"; "partly" and "no" are failed items; an unanswered (or skipped) item keeps the
result "not yet" and is listed as open; N/A (with a reason, where the item is not required) leaves
an item out; an item skipped by its checklist gate is not asked and not counted (the gate's answer
covers it, e.g. a valid ISO 9001 certificate, 003 §5.2.2). A checklist with no answer at all is
not assessed.

The management conformity review of 003 §5.3 ("必须通过管理要求符合性审查后") is the checklist
`certification.conformity`; `scoring.grade` reads its verdict as a gate on every grade.
"""

from __future__ import annotations

from typing import Any, Literal, Mapping

from pydantic import BaseModel, ConfigDict

from .answers import Answer, gated
from .bank import Bank, Kind, Lang

CONFORMITY_BANK = "certification.conformity"

Verdict = Literal["pass", "not-yet", "not assessed"]
ItemState = Literal["yes", "partly", "no", "na", "open", "not asked"]


class Frozen(BaseModel):  # results.py holds these results, so this module cannot import from it
    model_config = ConfigDict(frozen=True)


class CheckItem(Frozen):
    id: str
    section: str
    clause: str
    state: ItemState
    gated_by: str | None = None  # the checklist gate whose answer made this item not asked

    @property
    def failed(self) -> bool:
        return self.state in ("partly", "no")


class ChecklistResult(Frozen):
    id: str
    version: str
    title: str  # in the language of the result (like a suggestion's text)
    verdict: Verdict
    items: list[CheckItem]

    @property
    def failed(self) -> list[CheckItem]:
        return [i for i in self.items if i.failed]

    @property
    def open(self) -> list[CheckItem]:
        return [i for i in self.items if i.state == "open"]

    def count(self, state: ItemState) -> int:
        return sum(1 for i in self.items if i.state == state)

    @property
    def applicable(self) -> int:
        """The items that count towards the verdict (N/A and not-asked items do not)."""
        return sum(1 for i in self.items if i.state not in ("na", "not asked"))

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": "checklist",
            "verdict": self.verdict,
            "yes": self.count("yes"),
            "partly": self.count("partly"),
            "no": self.count("no"),
            "applicable": self.applicable,
            "failed": [{"id": i.id, "clause": i.clause, "answer": i.state} for i in self.failed],
            "unanswered": [i.id for i in self.open],
            "not_applicable": [i.id for i in self.items if i.state == "na"],
            "not_asked": [i.id for i in self.items if i.state == "not asked"],
        }


def _state(answer: Answer | None) -> ItemState:
    if answer is None or answer.skipped:
        return "open"
    if answer.na is not None:
        return "na"
    return answer.choice or "open"


def score_checklist(bank: Bank, answers: Mapping[str, Answer], lang: Lang = "zh") -> ChecklistResult:
    """The verdict of a checklist bank over its check items (the module docstring's reading)."""
    skipped_by = gated(bank, dict(answers))
    items = []
    for q in bank.questions:
        if q.kind is not Kind.check:
            continue
        gate = skipped_by.get(q.id)
        state: ItemState = "not asked" if gate is not None else _state(answers.get(q.id))
        items.append(CheckItem(id=q.id, section=bank.section_of(q.id).id, clause=q.clause, state=state, gated_by=gate))
    if not any(a.answered for a in answers.values()):
        verdict: Verdict = "not assessed"
    elif any(i.failed or i.state == "open" for i in items):
        verdict = "not-yet"
    else:
        verdict = "pass"
    return ChecklistResult(id=bank.id, version=bank.version, title=bank.title(lang), verdict=verdict, items=items)


def conformity_verdict(checklists: list[ChecklistResult]) -> Verdict:
    """The management conformity review's verdict in a session (003 §5.3), or not assessed."""
    return next((c.verdict for c in checklists if c.id == CONFORMITY_BANK), "not assessed")
