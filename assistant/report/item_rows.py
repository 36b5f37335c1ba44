"""Every question of a session as one row of typed values — numbers as numbers, equal to the JSON
result's — shared by the workbook's answers sheet, the answers CSV and the pack's evidence index."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..clauses import clause_ref
from ..domain.answers import Session
from ..domain.bank import Kind
from ..domain.loader import Library
from ..domain.results import Result, num
from ..i18n import Lang, t
from .common import answer_text

# the columns, in order: the row's attribute and the header's text key
COLUMNS = [("bank", "bank"), ("section", "office.col.section"), ("clause", "office.col.clause"), ("id", "office.col.id"),
           ("question", "office.col.question"), ("answer", "office.col.answer"), ("level", "office.col.level"),
           ("alpha", "office.col.alpha"), ("earned", "office.col.earned"), ("possible", "office.col.possible"),
           ("note", "office.col.note"), ("na", "office.col.na")]


@dataclass(frozen=True)
class ItemRow:
    bank_id: str
    bank: str  # the bank's title
    section: str  # "5.1 服务需求"
    clause: str  # as the language writes it
    clause_zh: str  # as the bank writes it (the evidence index sorts and cites by it)
    id: str
    question: str
    answer: str  # in words, as the report says it
    level: int | None
    alpha: float | None
    earned: float | None  # None: a question that is not scored (free text, a yes/no gate)
    possible: float | None
    note: str
    na: str  # the N/A reason, "" when applicable
    state: str = ""  # a checklist item's state (conformity.ItemState: yes, partly, no, na, open, not asked)

    @property
    def failed(self) -> bool:
        """A checklist item answered partly or no: it holds its checklist at "not yet"."""
        return self.state in ("partly", "no")

    def values(self) -> list[object]:
        return [getattr(self, key) for key, _ in COLUMNS]


def headers(lang: Lang) -> list[str]:
    return [t(key, lang) for _, key in COLUMNS]


def item_rows(library: Library, session: Session, result: Result, lang: Lang) -> list[ItemRow]:
    """One row per question of every bank of the result, in the bank's order."""
    out = []
    for br in result.banks:
        bank = library.bank(br.id)
        answers = session.answers.get(bank.id, {})
        items = {i.id: i for i in br.items}
        for sec in bank.sections:
            for q in sec.questions:
                a, item = answers.get(q.id), items.get(q.id)
                scored = item is not None
                out.append(ItemRow(
                    bank_id=bank.id, bank=bank.title(lang), section=f"{sec.id} {sec.title(lang)}",
                    clause=clause_ref(q.clause, lang), clause_zh=q.clause, id=q.id, question=q.text(lang),
                    answer=answer_text(a, q, item, lang),
                    level=a.level if a is not None and a.level is not None and q.kind in (Kind.likert, Kind.maturity) else None,
                    alpha=num(item.alpha) if scored and item.alpha is not None else None,
                    earned=num(item.earned) if scored else None, possible=num(item.possible) if scored else None,
                    note=(a.note or "") if a is not None else "", na=(a.na or "") if a is not None else ""))
    return out + checklist_rows(library, session, result, lang)


def checklist_rows(library: Library, session: Session, result: Result, lang: Lang) -> list[ItemRow]:
    """One row per question of the session's checklist banks (not scored: their answer is yes, partly
    or no, and the checklist's verdict is in result.checklists)."""
    out = []
    for c in result.checklists:
        bank = library.banks.get(c.id)
        if bank is None:
            continue
        answers = session.answers.get(bank.id, {})
        states = {i.id: i for i in c.items}
        for sec in bank.sections:
            for q in sec.questions:
                a, item = answers.get(q.id), states.get(q.id)
                if item is not None and item.gated_by is not None:
                    answer = t("office.check.not_asked", lang, gate=item.gated_by)
                else:
                    answer = answer_text(a, q, None, lang)
                out.append(ItemRow(
                    bank_id=bank.id, bank=bank.title(lang), section=f"{sec.id} {sec.title(lang)}",
                    clause=clause_ref(q.clause, lang), clause_zh=q.clause, id=q.id, question=q.text(lang),
                    answer=answer, level=None, alpha=None, earned=None, possible=None,
                    note=(a.note or "") if a is not None else "", na=(a.na or "") if a is not None else "",
                    state=item.state if item is not None else ""))
    return out


def clause_key(ref: str) -> tuple:
    """A clause reference's place in its standard: "003 附录1 1.2" after "003 5.3", 5.10 after 5.9."""
    # ASCII digits only: str.isdigit() is true of ① (a checklist's sub-item), which int() refuses
    return tuple((0, int(x), "") if x[0] in "0123456789" else (1, 0, x) for x in re.findall(r"[0-9]+|[^0-9\s.]+", ref))
