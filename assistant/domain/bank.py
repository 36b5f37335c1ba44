"""Question banks and the 附录A catalogue as pydantic models, with the checks a bank file must pass.

A bank file is TOML (see question_banks/README.md); this module only knows the shape of the data.
Reading files and turning validation errors into messages that name the file and the question is
the job of `assistant.domain.loader`.
"""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    field_validator,
    model_validator,
)

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A text in both languages of the product."""

    zh: NonEmpty
    en: NonEmpty

    def __call__(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en


class Kind(str, Enum):
    likert = "likert"
    maturity = "maturity"
    text = "text"
    gate = "gate"

    @property
    def scored(self) -> bool:
        return self in (Kind.likert, Kind.maturity)


# The sectors whose examples a bank may give; 002 was drafted by a hospital, a power utility, an
# airport and a tobacco company (002 前言). "other" has no examples of its own.
Sector = Literal["hospital", "power", "transport", "retail"]
SECTORS: tuple[str, ...] = ("hospital", "power", "transport", "retail", "other")


class Help(Strict):
    why: Text
    evidence: Text
    # one concrete example of the practice per sector, where it helps
    examples: dict[Sector, Text] = {}


class NextSteps(Strict):
    """What to do to reach the next level, for a current level of 1..4 (levels[0]: from 1 to 2)."""

    source: NonEmpty  # the clause(s) and level descriptions the advice is grounded in
    levels: list[Text] = Field(min_length=4, max_length=4)

    def at(self, level: int | None) -> tuple[int, Text]:
        """The level the advice starts from (1–4: unanswered starts at 1, level 5 keeps its last step)
        and the advice to reach the next one."""
        start = min(max(level or 1, 1), 4)
        return start, self.levels[start - 1]


class Question(Strict):
    id: NonEmpty
    clause: NonEmpty
    kind: Kind
    max_points: Decimal = Decimal(0)
    required: bool = False
    # True where the source text of the clause is lost and the question was written from its
    # heading (seeds/README.md: 002 is cut off after 6.3.1).
    derived: bool = False
    refs: list[NonEmpty] = []
    text: Text
    help: Help
    # 附录A methods that genuinely address a gap here; [] says that none fits (the next steps stand
    # in for them). A scored question must say which, so the key is required there.
    methods: list[NonEmpty] | None = None
    next_steps: NextSteps | None = None
    # maturity: what each of levels 1..5 looks like for this requirement (003 附录2, reading)
    levels: list[Text] | None = None
    # gate: the follow-up questions that are asked only when the answer is not in skip_on
    skips: list[NonEmpty] = []
    skip_on: list[Literal["no", "partly"]] = ["no"]

    @field_validator("max_points")
    @classmethod
    def _points_not_negative(cls, v: Decimal) -> Decimal:
        if v < 0:
            raise ValueError("max_points must not be negative")
        return v

    @model_validator(mode="after")
    def _kind_rules(self) -> Question:
        if self.kind.scored:
            if self.max_points <= 0:
                raise ValueError(f"a {self.kind.value} question needs max_points > 0")
            if self.methods is None:
                raise ValueError("a scored question must list its 附录A methods (methods = [] when none fits)")
            if self.next_steps is None:
                raise ValueError("a scored question needs next-step advice for levels 1..4 (next_steps.source, next_steps.levels)")
        else:
            if self.max_points != 0:
                raise ValueError(f"a {self.kind.value} question is not scored: max_points must be 0")
            if self.methods or self.next_steps is not None:
                raise ValueError(f"a {self.kind.value} question is not scored: it has no methods or next steps")
        if self.kind is Kind.maturity:
            if self.levels is None or len(self.levels) != 5:
                raise ValueError("a maturity question needs exactly 5 level descriptions (levels 1..5)")
        elif self.levels is not None:
            raise ValueError("only maturity questions have level descriptions")
        if self.kind is not Kind.gate and self.skips:
            raise ValueError("only gate questions may skip follow-up questions")
        if self.kind is Kind.gate and not self.skips:
            raise ValueError("a gate question must name the follow-up questions it skips")
        return self


class Section(Strict):
    id: NonEmpty
    title: Text
    questions: list[Question] = Field(min_length=1)


class Bank(Strict):
    id: NonEmpty
    version: NonEmpty
    kind: Literal["likert", "maturity"]
    title: Text
    source: NonEmpty
    # The points the bank must add up to; the loader checks the sum against it.
    total_points: Decimal
    # Banks of one group are reported together (the four activity banks of 002: "activities").
    group: NonEmpty | None = None
    group_total: Decimal | None = None
    # Where the bank comes in the flows and listings (lowest first); ties go by id.
    order: int = 100
    sections: list[Section] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Bank:
        if (self.group is None) != (self.group_total is None):
            raise ValueError("group and group_total are given together or not at all")
        sections = [s.id for s in self.sections]
        for sid in sections:
            if sections.count(sid) > 1:
                raise ValueError(f"section id {sid!r} appears twice")
        seen: dict[str, str] = {}
        for section in self.sections:
            for q in section.questions:
                if q.id in seen:
                    raise ValueError(f"question id {q.id!r} appears twice (sections {seen[q.id]} and {section.id})")
                seen[q.id] = section.id
                if q.kind.scored and q.kind.value != self.kind:
                    raise ValueError(f"question {q.id}: a {self.kind} bank cannot hold {q.kind.value} questions")
        every = [q for s in self.sections for q in s.questions]  # not self.questions: built after validation
        kinds = {q.id: q.kind for q in every}
        order = [q.id for q in every]
        for q in every:
            for target in q.skips:
                if target not in seen:
                    raise ValueError(f"question {q.id}: skips unknown question {target!r}")
                if order.index(target) <= order.index(q.id):
                    raise ValueError(f"question {q.id}: follow-up {target!r} must come after its gate")
                if kinds[target] is not Kind.likert:
                    raise ValueError(f"question {q.id}: follow-up {target!r} must be a likert question (a skipped follow-up earns α = 0)")
        total = sum((q.max_points for q in every), Decimal(0))
        if total != self.total_points:
            raise ValueError(f"the questions' points add up to {total}, but the bank declares total_points = {self.total_points}")
        return self

    # Look-ups built once: scoring a history of hundreds of sessions asks for questions by id a lot.
    _questions: list[Question] = PrivateAttr(default_factory=list)
    _by_id: dict[str, tuple[Question, Section]] = PrivateAttr(default_factory=dict)

    def model_post_init(self, __context: object) -> None:
        self._questions = [q for s in self.sections for q in s.questions]
        self._by_id = {q.id: (q, s) for s in self.sections for q in s.questions}

    @property
    def questions(self) -> list[Question]:
        return self._questions

    def question(self, qid: str) -> Question:
        return self._by_id[qid][0]

    def section_of(self, qid: str) -> Section:
        return self._by_id[qid][1]


class Method(Strict):
    id: NonEmpty
    letter: Annotated[str, StringConstraints(pattern=r"^[a-z]$")]
    text: Text


class Area(Strict):
    id: Annotated[str, StringConstraints(pattern=r"^[a-z_]+$")]
    title: Text
    part: Text
    methods: list[Method] = Field(min_length=1)

    @model_validator(mode="after")
    def _ids(self) -> Area:
        letters = set()
        for m in self.methods:
            if m.id != f"{self.id}.{m.letter}":
                raise ValueError(f"method {m.id!r}: its id must be '{self.id}.{m.letter}'")
            if m.letter in letters:
                raise ValueError(f"method {m.id!r}: letter {m.letter!r} appears twice in area {self.id}")
            letters.add(m.letter)
        return self


class Catalogue(Strict):
    """000 附录A 表A.1: the implementation methods an improvement suggestion names."""

    id: NonEmpty
    version: NonEmpty
    title: Text
    source: NonEmpty
    areas: list[Area] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_areas(self) -> Catalogue:
        ids = [a.id for a in self.areas]
        for aid in ids:
            if ids.count(aid) > 1:
                raise ValueError(f"area {aid!r} appears twice")
        return self

    @property
    def methods(self) -> dict[str, tuple[Area, Method]]:
        return {m.id: (a, m) for a in self.areas for m in a.methods}
