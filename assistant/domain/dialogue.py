"""What the conversation engine says and saves, as data: where it stands (Step), the turns the UI
shows (Ask, AskNote, Explain, Help, Notice, Saved, FlowDone, SessionDone, OpenIndex), and the
Outcome of a reply (what to save first, then what to show)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .answers import Answer, Position
from .bank import Area, Bank, Kind, Method, Question, Section
from .conformity import ChecklistResult
from .history import Comparison
from .results import BankResult, Result


@dataclass(frozen=True)
class Step:
    """Where the conversation stands: the question, with progress for the UI."""

    bank: Bank
    section: Section
    question: Question
    number: int  # n of m among the bank's questions that will be asked
    total: int
    bank_number: int  # which flow, 1-based, of bank_total
    bank_total: int
    earned: Decimal  # points earned so far in this bank
    possible: Decimal  # the bank's points
    answer: Answer | None  # the answer already given, when revisiting
    baseline: Answer | None = None  # the answer of the session this one started from, to confirm or change

    @property
    def position(self) -> Position:
        return Position(bank=self.bank.id, question=self.question.id)


@dataclass(frozen=True)
class Ask:
    step: Step


@dataclass(frozen=True)
class AskNote:
    """After a weak answer: ask for the evidence or the obstacle, with one tip from 附录A."""

    step: Step
    tip: tuple[Area, Method] | None


@dataclass(frozen=True)
class Explain:
    step: Step


@dataclass(frozen=True)
class Help:
    kind: Kind


@dataclass(frozen=True)
class Notice:
    code: str
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Saved:
    """Acknowledges an answer (the UI echoes it in words)."""

    step: Step
    answer: Answer


@dataclass(frozen=True)
class FlowDone:
    bank: Bank
    result: BankResult
    checklist: ChecklistResult | None = None  # a checklist bank's verdict (its BankResult has no points)


@dataclass(frozen=True)
class SessionDone:
    """The end of the session, with the result in both languages (the UI can switch language)."""

    results: dict[str, Result]
    # a repeat self-check: the comparison with the session it started from, per language
    comparisons: dict[str, Comparison] = field(default_factory=dict)

    @property
    def result(self) -> Result:
        return next(iter(self.results.values()))

    def in_lang(self, lang: str) -> Result:
        return self.results.get(lang, self.result)


@dataclass(frozen=True)
class OpenIndex:
    """The user asked for the list of questions (to jump to one): the UI shows `entries()`."""


Turn = Ask | AskNote | Explain | Help | Notice | Saved | FlowDone | SessionDone | OpenIndex


@dataclass(frozen=True)
class Save:
    bank: str
    question: str
    answer: Answer


@dataclass
class Outcome:
    saves: list[Save] = field(default_factory=list)
    turns: list[Turn] = field(default_factory=list)
    position: Position | None = None
    completed: bool = False
