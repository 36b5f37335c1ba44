"""The result of scoring a session: the models behind SCORING.md §8, and their JSON form."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from .conformity import ChecklistResult, Verdict

Outcome = Literal["five-star", "four-star", "three-star", "basic", "not-yet"]
Gate = Literal["met", "capped", "not assessed"]


def round_half_up(value: Decimal, places: int = 1) -> Decimal:
    """SCORING.md §3: percents are rounded half-up to one decimal."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def num(value: Decimal | None, places: int = 4) -> float | None:
    """A Decimal as a JSON number (earned points keep four decimals: 3.75 × 0.75 = 2.8125)."""
    if value is None:
        return None
    return float(round_half_up(value, places))


class Frozen(BaseModel):
    # scoring.py and evaluate.py build results from validated banks and answers with `built`, so
    # their validators are built only where a result is validated (issue 14 §2: not by `run`)
    model_config = ConfigDict(frozen=True, defer_build=True)

    @classmethod
    def built(cls, **values: Any) -> Any:
        """The model of `values`, not validated, as model_construct makes it (the fields given are its
        fields set, the others take their defaults) without model_construct's general work for each
        field: a workshop of 200 scores some 9,000 of these (half its time went there). Only for
        values already of their fields' types, every required field given: tests/test_results_built.py
        checks that each equals the validated model of its own dump."""
        given = set(values)
        for name, default in _defaults(cls).items():
            values.setdefault(name, default)
        model = cls.__new__(cls)
        object.__setattr__(model, "__dict__", values)
        object.__setattr__(model, "__pydantic_fields_set__", given)
        object.__setattr__(model, "__pydantic_extra__", None)
        object.__setattr__(model, "__pydantic_private__", None)
        return model


_DEFAULTS: dict[type, dict[str, Any]] = {}


def _defaults(cls: type[BaseModel]) -> dict[str, Any]:
    """The fields of `cls` that have a plain default (no factory), with it."""
    if cls not in _DEFAULTS:
        fields = cls.model_fields
        if any(f.default_factory is not None for f in fields.values()):
            raise TypeError(f"{cls.__name__}.built does not make default factories' values")
        _DEFAULTS[cls] = {name: f.default for name, f in fields.items() if not f.is_required()}
    return _DEFAULTS[cls]


class ItemResult(Frozen):
    id: str
    section: str
    clause: str
    earned: Decimal
    possible: Decimal
    max_points: Decimal
    level: int | None
    alpha: Decimal | None
    na: bool
    unanswered: bool
    gated_by: str | None = None  # the gate whose answer skipped this item (earns 0)

    @property
    def points_at_stake(self) -> Decimal:
        """SCORING.md §7: max × (1 − α), or max × (1 − level/5) on maturity items; 0 on N/A."""
        return Decimal(0) if self.na else self.possible - self.earned


class SectionResult(Frozen):
    id: str
    earned: Decimal
    possible: Decimal
    percent: Decimal | None


class BankResult(Frozen):
    id: str
    version: str
    kind: Literal["likert", "maturity", "checklist"]  # checklist: no points (a Result holds it in checklists)
    group: str | None
    earned: Decimal
    possible: Decimal
    percent: Decimal | None
    level: int | None
    sections: list[SectionResult]
    items: list[ItemResult]

    @property
    def unanswered(self) -> list[str]:
        return [i.id for i in self.items if i.unanswered]

    @property
    def not_applicable(self) -> list[str]:
        return [i.id for i in self.items if i.na]


class Totals(Frozen):
    earned: Decimal
    possible: Decimal
    percent: Decimal | None


class Grade(Frozen):
    outcome: Outcome
    label: str
    service_score: Decimal | None
    service_source: str | None
    management_level: int | None
    gate: Gate
    # the management level the earned outcome needs (said to the user when it was not assessed or capped)
    needs_level: int | None
    earned_outcome: Outcome
    provisional: bool = True
    # the management conformity review (003 §5.3, conformity.py): anything but "pass" once assessed
    # holds every grade at not-yet (reading)
    conformity: Verdict = "not assessed"

    def to_json(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "label": self.label,
            "service_score": num(self.service_score, 1),
            "service_source": self.service_source,
            "management_level": self.management_level,
            "gate": self.gate,
            "conformity": self.conformity,
            "provisional": True,
        }


class SuggestionItem(Frozen):
    bank: str
    id: str
    clause: str
    points_at_stake: Decimal


class Suggestion(Frozen):
    # "method": a 附录A method (method is its id); "next-step": a gap with no fitting method, whose
    # own next-step advice stands in (method is "<bank>:<question>", area names the item)
    kind: Literal["method", "next-step"] = "method"
    method: str
    area: str
    text: str
    items: list[SuggestionItem]

    @property
    def points_at_stake(self) -> Decimal:
        return sum((i.points_at_stake for i in self.items), Decimal(0))


class Result(Frozen):
    session_id: str
    org: str
    rules_profile: str
    lang: Literal["zh", "en"]
    complete: bool
    banks: list[BankResult]
    activities: Totals | None
    grade: Grade
    suggestions: list[Suggestion]
    # the session's checklist banks (kind "checklist"): pass / not yet, not points
    checklists: list[ChecklistResult] = []

    def checklist(self, bank_id: str) -> ChecklistResult | None:
        return next((c for c in self.checklists if c.id == bank_id), None)

    def _derivation(self) -> dict[str, Any]:
        from .derivation import derive  # derivation reads a Result

        return derive(self).to_json()

    def to_json(self) -> dict[str, Any]:
        """The result object of SCORING.md §8, with the grade's derivation (why this grade)."""
        return {
            "session_id": self.session_id,
            "org": self.org,
            "rules_profile": self.rules_profile,
            "complete": self.complete,
            "banks": [
                {
                    "id": b.id,
                    "kind": b.kind,
                    "earned": num(b.earned),
                    "possible": num(b.possible),
                    "percent": num(b.percent, 1),
                    "level": b.level,
                    "unanswered": b.unanswered,
                    "not_applicable": b.not_applicable,
                    "sections": [
                        {"id": s.id, "earned": num(s.earned), "possible": num(s.possible), "percent": num(s.percent, 1)}
                        for s in b.sections
                    ],
                    "items": [
                        {
                            "id": i.id,
                            "earned": num(i.earned),
                            "possible": num(i.possible),
                            "alpha": num(i.alpha),
                            "level": i.level,
                            "na": i.na,
                        }
                        for i in b.items
                    ],
                }
                for b in self.banks
            ],
            "activities": None
            if self.activities is None
            else {
                "earned": num(self.activities.earned),
                "possible": num(self.activities.possible),
                "percent": num(self.activities.percent, 1),
            },
            "checklists": [c.to_json() for c in self.checklists],
            "grade": self.grade.to_json(),
            "derivation": self._derivation(),
            "suggestions": [
                {
                    "kind": s.kind,
                    "method": s.method if s.kind == "method" else None,
                    "bank": s.items[0].bank if s.kind == "next-step" else None,
                    "area": s.area,
                    "text": s.text,
                    "addresses": [i.id for i in s.items],
                    "points_at_stake": num(s.points_at_stake),
                }
                for s in self.suggestions
            ],
        }
