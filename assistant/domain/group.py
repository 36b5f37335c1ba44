"""Workshops: the group result of several respondents (003 §5.1.2: the mean of their scores).

Per bank the mean, min and max of the respondents' percents; per item the mean level (and mean α),
min and max, flagged as a disagreement where levels are 2 or more apart (SCORING.md §4); the grade
from the group means; and the gap between role groups (e.g. leaders vs staff).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .answers import Session
from .evaluate import evaluate
from .loader import Library
from .results import BankResult, Grade, Result, num, round_half_up
from .scoring import ACTIVITIES, MANAGEMENT_BANK, SERVICE_BANK, grade, management_level

DISAGREEMENT = 2  # levels this far apart between respondents (SCORING.md §4)


def mean(values: list[Decimal]) -> Decimal | None:
    return sum(values, Decimal(0)) / len(values) if values else None


def mean_1(values: list[Decimal]) -> Decimal | None:
    m = mean(values)
    return None if m is None else round_half_up(m)


@dataclass(frozen=True)
class ItemGroup:
    bank: str
    id: str
    clause: str
    levels: list[int]
    alphas: list[Decimal]
    na: int
    unanswered: int

    @property
    def mean_level(self) -> Decimal | None:
        return mean([Decimal(x) for x in self.levels])

    @property
    def mean_alpha(self) -> Decimal | None:
        return mean(self.alphas)

    @property
    def spread(self) -> int | None:
        return max(self.levels) - min(self.levels) if self.levels else None

    @property
    def disagreement(self) -> bool:
        return self.spread is not None and self.spread >= DISAGREEMENT


@dataclass(frozen=True)
class BankGroup:
    id: str
    percents: list[Decimal]
    sections: dict[str, Decimal | None]
    items: list[ItemGroup]
    totals: list[Decimal]  # the respondents' earned totals (the management level needs the mean total)

    @property
    def mean_percent(self) -> Decimal | None:
        return mean_1(self.percents)


@dataclass(frozen=True)
class Member:
    """A session of the workshop, as the facilitator tells them apart."""

    id: str
    respondent: str
    role: str | None
    answered: int


def name_key(name: str | None) -> str:
    """A respondent name as people read it: case and spacing aside."""
    return " ".join((name or "").split()).casefold()


def same_person(a: str | None, b: str | None) -> bool:
    return bool(name_key(a)) and name_key(a) == name_key(b)


def duplicates(members: list[Member]) -> list[list[Member]]:
    """Groups of sessions with the same respondent name: perhaps one person who joined twice."""
    groups: dict[str, list[Member]] = {}
    for m in members:
        if name_key(m.respondent):
            groups.setdefault(name_key(m.respondent), []).append(m)
    return [g for g in groups.values() if len(g) > 1]


@dataclass
class GroupResult:
    workshop: str
    org: str
    results: list[Result]
    roles: dict[str, list[Result]]
    banks: list[BankGroup] = field(default_factory=list)
    activities_mean_percent: Decimal | None = None
    grade: Grade | None = None
    members: list[Member] = field(default_factory=list)  # every session of the workshop, answered or not

    @property
    def not_started(self) -> list[Member]:
        """Joined without a single answer: not respondents."""
        return [m for m in self.members if not m.answered]

    @property
    def duplicates(self) -> list[list[Member]]:
        return duplicates(self.members)

    @property
    def respondents(self) -> int:
        return len(self.results)

    def role_means(self) -> dict[str, dict[str, Decimal | None]]:
        """{role: {bank id: mean percent}} and the activities' mean under the key 'activities'."""
        out: dict[str, dict[str, Decimal | None]] = {}
        for role, results in self.roles.items():
            per: dict[str, Decimal | None] = {}
            for bank in self.banks:
                per[bank.id] = mean_1([b.percent for r in results for b in r.banks
                                       if b.id == bank.id and b.percent is not None and started(b)])
            per[ACTIVITIES] = mean_1([r.activities.percent for r in results if r.activities and r.activities.percent is not None
                                      and any(started(b) for b in r.banks if b.group == ACTIVITIES)])
            out[role] = per
        return out

    def role_gaps(self) -> list[dict[str, Any]]:
        """For each pair of roles, per bank: the first role's mean minus the second's."""
        means = self.role_means()
        roles = sorted(means)
        gaps = []
        for i, a in enumerate(roles):
            for b in roles[i + 1:]:
                for key in means[a]:
                    x, y = means[a][key], means[b][key]
                    if x is not None and y is not None:
                        gaps.append({"roles": [a, b], "bank": key, "gap": x - y})
        return gaps

    def to_json(self) -> dict[str, Any]:
        """SCORING.md §10 (workshop report), plus sections, α means, roles and their gaps."""
        return {
            "workshop": self.workshop,
            "org": self.org,
            "respondents": self.respondents,
            "banks": [
                {
                    "id": b.id,
                    "respondents": len(b.percents),
                    "mean_percent": num(b.mean_percent, 1),
                    "min_percent": num(min(b.percents), 1) if b.percents else None,
                    "max_percent": num(max(b.percents), 1) if b.percents else None,
                    "sections": [{"id": k, "mean_percent": num(v, 1)} for k, v in b.sections.items()],
                    "items": [
                        {"id": i.id, "mean_level": num(i.mean_level, 2), "min_level": min(i.levels) if i.levels else None,
                         "max_level": max(i.levels) if i.levels else None, "mean_alpha": num(i.mean_alpha),
                         "answered": len(i.levels), "na": i.na, "unanswered": i.unanswered,
                         "disagreement": i.disagreement}
                        for i in b.items
                    ],
                }
                for b in self.banks
            ],
            "activities_mean_percent": num(self.activities_mean_percent, 1),
            "grade": self.grade.to_json() if self.grade else None,
            "roles": {role: {k: num(v, 1) for k, v in per.items()} for role, per in self.role_means().items()},
            "role_gaps": [{**g, "gap": num(g["gap"], 1)} for g in self.role_gaps()],
            "joined_without_answers": len(self.not_started),
            "duplicates": [[m.id for m in d] for d in self.duplicates],
        }


def started(bank: BankResult) -> bool:
    """A respondent who has not answered a single item of a bank has not assessed it (SCORING §6
    reading): leaving them out keeps a participant who just joined from pulling the mean to 0."""
    return any(not i.unanswered for i in bank.items)


def _bank_group(bank_id: str, per_respondent: list[BankResult]) -> BankGroup:
    assessed = [b for b in per_respondent if started(b)]
    percents = [b.percent for b in assessed if b.percent is not None]
    section_ids = [s.id for s in per_respondent[0].sections]
    sections = {sid: mean_1([s.percent for b in assessed for s in b.sections if s.id == sid and s.percent is not None])
                for sid in section_ids}
    items = []
    for item in per_respondent[0].items:
        mine = [i for b in per_respondent for i in b.items if i.id == item.id]
        answered = [i for i in mine if not i.na and not i.unanswered and i.level is not None]
        items.append(ItemGroup(
            bank=bank_id, id=item.id, clause=item.clause,
            levels=[i.level for i in answered],  # type: ignore[misc]
            alphas=[i.alpha for i in answered if i.alpha is not None],  # type: ignore[misc]
            na=sum(1 for i in mine if i.na), unanswered=sum(1 for i in mine if i.unanswered),
        ))
    return BankGroup(bank_id, percents, sections, items, [b.earned for b in assessed])


def group_result(library: Library, workshop: str, org: str, sessions: list[Session],
                 profile: str = "clause-text", lang: str = "zh") -> GroupResult:
    """The group of the sessions that have at least one answer: one who joined and answered
    nothing is not a respondent (a reload's empty twin must not pull the mean down)."""
    members = [Member(s.id, s.respondent or "", s.role, s.answered_count()) for s in sessions]
    sessions = [s for s in sessions if s.answered_count()]
    results = [evaluate(library, s.model_copy(update={"lang": lang, "rules_profile": profile})) for s in sessions]
    roles: dict[str, list[Result]] = {}
    for s, r in zip(sessions, results):
        if s.role:
            roles.setdefault(s.role, []).append(r)
    out = GroupResult(workshop=workshop, org=org, results=results, roles=roles, members=members)
    bank_ids: list[str] = []
    for b in library.banks:
        if any(b in s.banks for s in sessions):
            bank_ids.append(b)
    for bank_id in bank_ids:
        per = [b for r in results for b in r.banks if b.id == bank_id]
        out.banks.append(_bank_group(bank_id, per))
    out.activities_mean_percent = mean_1([
        r.activities.percent for r in results
        if r.activities is not None and r.activities.percent is not None
        and any(started(b) for b in r.banks if b.group == ACTIVITIES)
    ])
    # The grade from the group means: S is the mean service percent (or the activities' mean),
    # M the level of the mean management total (003 附录3 thresholds).
    by_id = {b.id: b for b in out.banks}
    service = by_id.get(SERVICE_BANK)
    if service is not None and service.mean_percent is not None:
        s, source = service.mean_percent, SERVICE_BANK
    elif out.activities_mean_percent is not None:
        s, source = out.activities_mean_percent, ACTIVITIES
    else:
        s, source = None, None
    m = None
    management = by_id.get(MANAGEMENT_BANK)
    if management is not None and any(i.levels for i in management.items):
        m = management_level(mean(management.totals))  # type: ignore[arg-type]
    out.grade = grade(s, source, m, profile, lang)  # type: ignore[arg-type]
    return out
