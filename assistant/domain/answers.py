"""Answers and sessions: what a respondent said, and the checks an answer must pass against its question."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from .bank import Bank, Kind, Question
from .limits import LIMITS, MAX_FILE_BYTES, TooLong, check_length  # noqa: F401  (re-exported: where they were)

# 003 §5.1.1: the bands of the experience coefficient α for Likert levels 1..5.
# A level's band is (low, high]; level 1 also takes α = 0.
ALPHA_BANDS: dict[int, tuple[Decimal, Decimal]] = {
    1: (Decimal("0"), Decimal("0.2")),
    2: (Decimal("0.2"), Decimal("0.4")),
    3: (Decimal("0.4"), Decimal("0.6")),
    4: (Decimal("0.6"), Decimal("0.8")),
    5: (Decimal("0.8"), Decimal("1")),
}

Choice = Literal["yes", "partly", "no"]

def check_answer_lengths(answer: Answer, *where: str) -> None:
    for field in ("note", "na", "text", "reason", "dissent"):
        check_length(field, getattr(answer, field), *where)
RULES_PROFILES = ("clause-text", "table-rows")


class AnswerError(ValueError):
    """An answer that does not fit its question; the message names the bank and the question."""

    def __init__(self, bank_id: str, question_id: str, problem: str):
        self.bank_id, self.question_id, self.problem = bank_id, question_id, problem
        super().__init__(f"{bank_id} / {question_id}: {problem}")


class Answer(BaseModel):
    """One reply. Exactly one of level, na, choice, text or skipped says what it is; note is optional."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    level: int | None = Field(default=None, ge=1, le=5)
    alpha: Decimal | None = None
    na: str | None = None
    choice: Choice | None = None
    text: str | None = None
    skipped: bool = False
    note: str | None = None
    # a consensus session's agreed level: why the group agreed on it, and who disagreed and why
    # (left out of the stored record when empty, so a self-check's file is what it always was)
    reason: str | None = Field(default=None, exclude_if=lambda v: v is None)
    dissent: str | None = Field(default=None, exclude_if=lambda v: v is None)

    @model_validator(mode="after")
    def _one_kind(self) -> Answer:
        given = [k for k in ("level", "na", "choice", "text") if getattr(self, k) is not None]
        if self.skipped:
            given.append("skipped")
        if len(given) != 1:
            raise ValueError("an answer is exactly one of: a level, N/A with a reason, a choice, a text, or skipped")
        if self.alpha is not None and self.level is None:
            raise ValueError("α is given only together with a level")
        if self.na is not None and not self.na.strip():
            raise ValueError("N/A needs a reason")
        return self

    @property
    def answered(self) -> bool:
        """Counts as an answer (a skip is recorded but counts as unanswered)."""
        return not self.skipped


def check_answer(bank: Bank, question: Question, answer: Answer) -> None:
    """Raise AnswerError where the answer does not fit the question (SCORING.md §1, §2)."""

    def fail(problem: str) -> None:
        raise AnswerError(bank.id, question.id, problem)

    kind = question.kind
    if answer.na is not None:
        if not kind.scored and kind is not Kind.check:
            fail("only scored and check questions can be answered N/A")
        if question.required:
            fail("this question is required: N/A is not accepted")
        return
    if answer.skipped:
        return
    if kind.scored:
        if answer.level is None:
            fail(f"a {kind.value} question needs a level 1–5")
        if answer.alpha is not None:
            if kind is not Kind.likert:
                fail("α is given only on Likert questions")
            low, high = ALPHA_BANDS[answer.level]
            inside = low <= answer.alpha <= high if answer.level == 1 else low < answer.alpha <= high
            if not inside:
                band = f"{low} ≤ α ≤ {high}" if answer.level == 1 else f"{low} < α ≤ {high}"
                fail(f"α = {answer.alpha} is outside the band of level {answer.level} ({band}, 003 §5.1.1)")
    elif kind.by_choice:
        if answer.choice is None:
            fail(f"a {kind.value} question is answered yes, partly or no")
    elif kind is Kind.text:
        if answer.text is None:
            fail("a text question is answered with text")


def gated(bank: Bank, answers: dict[str, Answer]) -> dict[str, str]:
    """The follow-up questions skipped by a gate's answer: {follow-up id: gate id}."""
    out: dict[str, str] = {}
    for q in bank.questions:
        a = answers.get(q.id)
        if q.kind is Kind.gate and a is not None and a.choice in q.skip_on:
            for target in q.skips:
                out.setdefault(target, q.id)
    return out


def parse_answer(raw: Any) -> Answer:
    """One entry of an answers file: 4 | {"level": 4, "alpha": 0.75, "note": "…"} | {"na": "reason"} | "text"."""
    if isinstance(raw, bool):
        raise ValueError("expected a level 1–5, an object or a text, not true/false")
    if isinstance(raw, int):
        return Answer(level=raw)
    if isinstance(raw, float) and raw.is_integer():
        return Answer(level=int(raw))
    if isinstance(raw, str):
        word = raw.strip().lower()
        if word in ("yes", "partly", "no"):
            return Answer(choice=word)
        if word == "skip":
            return Answer(skipped=True)
        return Answer(text=raw)
    if isinstance(raw, dict):
        data = dict(raw)
        if "alpha" in data and isinstance(data["alpha"], (int, float)) and not isinstance(data["alpha"], bool):
            data["alpha"] = Decimal(str(data["alpha"]))
        return Answer.model_validate(data)
    raise ValueError(f"expected a level 1–5, an object or a text, not {type(raw).__name__}")


class Position(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    bank: str
    question: str


def _renamed(per: Any, renames: dict[str, str] | None) -> Any:
    """One bank's answers with former question ids renamed; an answer already under the current id wins."""
    if not renames or not isinstance(per, dict):
        return per
    return {renames.get(qid, qid): a for qid, a in per.items() if not (qid in renames and renames[qid] in per)}


class Session(BaseModel):
    """A self-assessment: who answered which banks (at which versions), and every answer so far."""

    model_config = ConfigDict(extra="forbid")

    id: str
    org: str
    respondent: str = ""
    role: str | None = None
    workshop: str | None = None
    banks: dict[str, str]  # bank id -> version answered against, in flow order
    answers: dict[str, dict[str, Answer]] = {}
    status: Literal["in_progress", "completed"] = "in_progress"
    # with their UTC offset (SCORING §10): a naive time from an imported file cannot be ordered
    created: AwareDatetime
    updated: AwareDatetime
    position: Position | None = None
    rules_profile: Literal["clause-text", "table-rows"] = "clause-text"
    lang: Literal["zh", "en"] = "zh"
    baseline: str | None = None  # the earlier session this one started from (its answers are offered)
    # the organisation's sector: the chat and reports show that sector's examples (bank help.examples)
    sector: Literal["hospital", "power", "transport", "retail", "other"] | None = None
    # "consensus": the agreed result of a workshop's consensus meeting (issue 12), its workshop in
    # consensus_of (not in `workshop`, whose members are the respondents); scored like a self-check
    kind: Literal["self_check", "consensus"] = Field(default="self_check", exclude_if=lambda v: v == "self_check")
    consensus_of: str | None = Field(default=None, exclude_if=lambda v: v is None)

    @model_validator(mode="before")
    @classmethod
    def _current_ids(cls, data: Any) -> Any:
        """Answers (and the position) stored under a question's former id are read under its current
        one (the bank's `aliases`): old sessions keep scoring, and join new ones in history and comparison."""
        if not isinstance(data, dict):
            return data
        from .loader import question_aliases  # the shipped banks, read once per process

        renames = question_aliases()
        answers = data.get("answers")
        if isinstance(answers, dict) and any(b in renames for b in answers):
            data = {**data, "answers": {b: _renamed(per, renames.get(b)) for b, per in answers.items()}}
        pos = data.get("position")
        if isinstance(pos, dict) and isinstance(pos.get("bank"), str) and isinstance(pos.get("question"), str) \
                and pos["question"] in renames.get(pos["bank"], {}):
            data = {**data, "position": {**pos, "question": renames[pos["bank"]][pos["question"]]}}
        return data

    def check_lengths(self) -> None:
        """TooLong for the first name or answer text over its limit (LIMITS)."""
        for field in ("org", "respondent", "role", "workshop"):
            check_length(field, getattr(self, field))
        for bank_id, per in self.answers.items():
            for qid, answer in per.items():
                check_answer_lengths(answer, "answers", bank_id, qid)

    def answered_count(self) -> int:
        return sum(1 for per_bank in self.answers.values() for a in per_bank.values() if a.answered)
