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
    # defer_build: a library read from the bank cache (bank_cache.py) is never validated, so the
    # validators are built only when a bank file is read (a start-up saves most of their cost)
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


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
    # an item of a checklist bank: yes / partly / no, not scored in points; only "yes" passes
    # (question_banks/README.md, SCORING reading in assistant/domain/conformity.py)
    check = "check"

    @property
    def scored(self) -> bool:
        return self in (Kind.likert, Kind.maturity)

    @property
    def by_choice(self) -> bool:
        """Answered yes / partly / no."""
        return self in (Kind.gate, Kind.check)


# The sectors whose examples a bank may give; 002 was drafted by a hospital, a power utility, an
# airport and a tobacco company (002 前言). "other" has no examples of its own.
Sector = Literal["hospital", "power", "transport", "retail"]
from .choices import SECTORS as SECTORS  # noqa: E402  (re-exported: the list lives where the CLI reads it without pydantic)


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
    # heading (002 T/QAHN008—2025 is cut off inside 6.3.1: only the headings after it survive).
    derived: bool = False
    # True where the clause's source text survives only in part (002 is cut off inside 6.3.1): the
    # chat, the reports and `banks show` say so wherever the question's source is shown.
    truncated: bool = False
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
    # "yes" only in checklist banks: an answer that covers the items it skips (a valid certificate)
    skip_on: list[Literal["no", "partly", "yes"]] = ["no"]

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
            if self.next_steps is not None or (self.methods and self.kind is not Kind.check):
                raise ValueError(f"a {self.kind.value} question is not scored: it has no "
                                 f"{'next steps' if self.kind is Kind.check else 'methods or next steps'}")
        if self.kind is Kind.maturity:
            if self.levels is None or len(self.levels) != 5:
                raise ValueError("a maturity question needs exactly 5 level descriptions (levels 1..5)")
        elif self.levels is not None:
            raise ValueError("only maturity questions have level descriptions")
        if self.derived and self.truncated:
            raise ValueError("a question is either derived (its clause's text is lost) or truncated (cut off), not both")
        if self.kind is not Kind.gate and self.skips:
            raise ValueError("only gate questions may skip follow-up questions")
        if self.kind is Kind.gate and not self.skips:
            raise ValueError("a gate question must name the follow-up questions it skips")
        return self


class Section(Strict):
    id: NonEmpty
    title: Text
    # the help of every question of the section that gives none of its own (checklist banks, whose
    # items share one clause's why and evidence)
    help: Help | None = None
    questions: list[Question] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _shared_help(cls, data: object) -> object:
        if isinstance(data, dict) and isinstance(data.get("help"), dict) and isinstance(data.get("questions"), list):
            data = {**data, "questions": [{**q, "help": data["help"]} if isinstance(q, dict) and "help" not in q else q
                                          for q in data["questions"]]}
        return data


class Bank(Strict):
    id: NonEmpty
    version: NonEmpty
    # checklist: yes / partly / no items giving pass or not yet, no points (conformity.py)
    kind: Literal["likert", "maturity", "checklist"]
    title: Text
    source: NonEmpty
    # The points the bank must add up to; the loader checks the sum against it.
    total_points: Decimal
    # Banks of one group are reported together (the four activity banks of 002: "activities").
    group: NonEmpty | None = None
    group_total: Decimal | None = None
    # Where the bank comes in the flows and listings (lowest first); ties go by id.
    order: int = 100
    # Former question ids → the current ones, so that sessions stored with an old id still load,
    # score and join in history and comparison (answers.Session renames them when it is read).
    aliases: dict[str, NonEmpty] = {}
    # maturity banks: how to read the levels (cumulative; what to choose when a level is met only in
    # part), shown with the levels wherever they are asked or printed
    level_guidance: Text | None = None
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
                if q.kind is Kind.check and self.kind != "checklist":
                    raise ValueError(f"question {q.id}: check questions belong in a checklist bank (kind = \"checklist\")")
        if self.kind == "checklist":
            if not any(q.kind is Kind.check for s in self.sections for q in s.questions):
                raise ValueError("a checklist bank needs at least one check question")
            if self.group is not None:
                raise ValueError("a checklist bank has no points, so it cannot be part of a group")
        every = [q for s in self.sections for q in s.questions]  # not self.questions: built after validation
        kinds = {q.id: q.kind for q in every}
        order = [q.id for q in every]
        for q in every:
            if "yes" in q.skip_on and self.kind != "checklist":
                raise ValueError(f"question {q.id}: skip_on = \"yes\" is only for checklist banks "
                                 f"(a scored follow-up skipped by its gate earns 0)")
            for target in q.skips:
                if target not in seen:
                    raise ValueError(f"question {q.id}: skips unknown question {target!r}")
                if order.index(target) <= order.index(q.id):
                    raise ValueError(f"question {q.id}: follow-up {target!r} must come after its gate")
                if self.kind == "checklist" and kinds[target] is not Kind.check:
                    raise ValueError(f"question {q.id}: follow-up {target!r} must be a check question (a checklist gate skips items)")
                if self.kind != "checklist" and kinds[target] is not Kind.likert:
                    raise ValueError(f"question {q.id}: follow-up {target!r} must be a likert question (a skipped follow-up earns α = 0)")
        for old, new in self.aliases.items():
            if old in seen:
                raise ValueError(f"aliases: {old!r} is a current question id; an alias names a former id only")
            if new not in seen:
                raise ValueError(f"aliases: {old!r} points to {new!r}, which is not a question of this bank")
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

    # read straight from pydantic's store of private attributes: BaseModel.__getattr__ costs several
    # µs a call, and scoring a 200-person workshop asks for questions by id ten thousand times
    @property
    def questions(self) -> list[Question]:
        return self.__pydantic_private__["_questions"]  # type: ignore[index]

    def question(self, qid: str) -> Question:
        return self.__pydantic_private__["_by_id"][qid][0]  # type: ignore[index]

    def current_id(self, qid: str) -> str:
        """A question id as this bank names it now: a former id (`aliases`) gives its successor."""
        return self.aliases.get(qid, qid)

    def section_of(self, qid: str) -> Section:
        return self.__pydantic_private__["_by_id"][qid][1]  # type: ignore[index]


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
