"""The action plan: what an organisation decided to do about its gaps, kept across self-checks.

An action names the items it works on (bank + question), what to do, an owner, a due date and a
status. It belongs to the organisation, not to one session, so the next self-check can say per
action whether it is done and how its items' scores moved. Pure models and comparisons: storing
them is the store's job.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from . import choices
from .loader import Library, question_aliases
from .results import BankResult, ItemResult

Status = Literal["planned", "doing", "done", "dropped"]
STATUSES: tuple[Status, ...] = choices.STATUSES  # type: ignore[assignment]  (the CLI reads it without pydantic)
OPEN: tuple[Status, ...] = ("planned", "doing")

Line = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]


class ActionError(ValueError):
    """Bad input for an action (unknown item, malformed date, unknown status): nothing is stored."""


class ItemRef(BaseModel):
    # defer_build (all three): a process that never reads or makes an action (`selfcheck run`) never builds the validators
    model_config = ConfigDict(frozen=True, defer_build=True)
    bank: str
    id: str

    @model_validator(mode="before")
    @classmethod
    def _current_id(cls, data: Any) -> Any:
        """A question's former id (the bank's `aliases`) is read as its current one, as in sessions:
        an action planned before a rename keeps its items, and a former id typed still names them."""
        if isinstance(data, dict) and isinstance(data.get("bank"), str) and isinstance(data.get("id"), str):
            new = question_aliases().get(data["bank"], {}).get(data["id"])
            if new:
                data = {**data, "id": new}
        return data

    def __str__(self) -> str:
        return f"{self.bank}:{self.id}"


class Action(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    id: Annotated[str, StringConstraints(pattern=r"^A[0-9]+$")]  # A1, A2, … within the organisation
    org: str
    items: list[ItemRef] = Field(min_length=1)
    what: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
    owner: Line = ""
    due: date | None = None
    status: Status = "planned"
    note: Line = ""
    method: str | None = None  # the 附录A method it came from, if any
    session: str | None = None  # the self-check it was planned from: its scores are the "before"
    created: AwareDatetime
    updated: AwareDatetime
    done: AwareDatetime | None = None  # when its status last became "done"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


def parse_item(text: str) -> ItemRef:
    """`bank:question` (e.g. `certification.service:4.3`) as typed on the command line."""
    bank, sep, qid = text.strip().rpartition(":")
    if not sep or not bank or not qid:
        raise ActionError(f"{text!r} is not an item: write BANK:QUESTION, e.g. certification.service:4.3")
    return ItemRef(bank=bank, id=qid)


def parse_due(text: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ActionError(f"{text!r} is not a date: write YYYY-MM-DD, e.g. 2027-03-31") from None


def parse_status(text: str) -> Status:
    value = text.strip().lower()
    if value not in STATUSES:
        raise ActionError(f"{text!r} is not a status: one of {', '.join(STATUSES)}")
    return value  # type: ignore[return-value]


def item_problem(library: Library, ref: ItemRef) -> Literal["bank", "question", "unscored"] | None:
    """Why `ref` cannot be an action's item: its bank is unknown, the bank has no such question, or
    the question is not scored (a gate or free text has no score to move); None when it can."""
    bank = library.banks.get(ref.bank)
    if bank is None:
        return "bank"
    if not any(q.id == ref.id for q in bank.questions):
        return "question"
    return None if bank.question(ref.id).kind.scored else "unscored"


class ItemMove(BaseModel):
    """How one item of an action moved between the self-check it was planned from and a later one."""

    model_config = ConfigDict(frozen=True, defer_build=True)
    item: ItemRef
    before_level: int | None
    after_level: int | None
    before_earned: Decimal | None
    after_earned: Decimal | None

    @property
    def delta(self) -> Decimal | None:
        if self.before_earned is None or self.after_earned is None:
            return None
        return self.after_earned - self.before_earned


def _items(results: list[BankResult] | None) -> dict[tuple[str, str], ItemResult]:
    return {(b.id, i.id): i for b in results or [] for i in b.items}


def moves(action: Action, before: list[BankResult] | None, after: list[BankResult]) -> list[ItemMove]:
    """Per item of the action: its level and points before (the planning self-check) and after."""
    old, new = _items(before), _items(after)
    out = []
    for ref in action.items:
        b, a = old.get((ref.bank, ref.id)), new.get((ref.bank, ref.id))
        out.append(ItemMove(
            item=ref,
            before_level=b.level if b and not b.unanswered and not b.na else None,
            after_level=a.level if a and not a.unanswered and not a.na else None,
            before_earned=b.earned if b and not b.na else None,
            after_earned=a.earned if a and not a.na else None,
        ))
    return out


def done_between(actions: list[Action], start: datetime | None, end: datetime) -> list[Action]:
    """The actions marked done after `start` (exclusive) and up to `end`: one self-check cycle."""
    return [a for a in actions if a.status == "done" and a.done is not None
            and (start is None or a.done > start) and a.done <= end]


def per_cycle(actions: list[Action], times: list[datetime]) -> list[list[Action]]:
    """For each self-check (times oldest first), the actions done since the one before it."""
    return [done_between(actions, times[n - 1] if n else None, when) for n, when in enumerate(times)]
