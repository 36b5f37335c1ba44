"""Workshops: the group result of several respondents (003 §5.1.2: the mean of their scores).

Per bank the mean, min and max of the respondents' percents and Krippendorff's α of their levels;
per item the mean level (and mean α), median, min and max, standard deviation, inter-quartile range
and a consensus index (domain/agreement.py), flagged as a disagreement where levels are 2 or more
apart (SCORING.md §4); the grade from the group means; and the gap between role groups (e.g. leaders
vs staff), per bank and per item.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any

from . import agreement as stats
from .answers import Session
from .evaluate import evaluate
from .loader import Library
from .results import BankResult, Grade, Result, num, round_half_up
from .scoring import ACTIVITIES, MANAGEMENT_BANK, SERVICE_BANK, grade, management_level

DISAGREEMENT = 2  # levels this far apart between respondents (SCORING.md §4)
ITEM_GAPS = 5  # the items shown per pair of roles and bank, largest gap first


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
    ratings: dict[int, int] = field(default_factory=dict)  # {respondent's index in GroupResult.results: level}

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

    @property
    def median(self) -> Decimal | None:
        return stats.median(self.levels)

    @cached_property
    def sd(self) -> Decimal | None:
        return stats.sd(self.levels)

    @cached_property
    def iqr(self) -> Decimal | None:
        return stats.iqr(self.levels)

    @cached_property
    def agreement(self) -> Decimal | None:
        """The consensus index, 1 = all at one level (agreement.consensus)."""
        return stats.consensus(self.levels)

    @property
    def distribution(self) -> dict[int, int]:
        return stats.distribution(self.levels)

    def dispute_key(self) -> tuple[Decimal, int, Decimal]:
        """Most disputed first when sorted: the lowest consensus, then the widest spread, then the largest SD."""
        return (self.agreement if self.agreement is not None else Decimal(2), -(self.spread or 0),
                -(self.sd or Decimal(0)))


@dataclass(frozen=True)
class BankGroup:
    id: str
    percents: list[Decimal]
    sections: dict[str, Decimal | None]
    items: list[ItemGroup]
    totals: list[Decimal]  # the respondents' earned totals (the management level needs the mean total)
    raters: int = 0  # the respondents this bank's items were put to (the columns of the α table)

    @property
    def mean_percent(self) -> Decimal | None:
        return mean_1(self.percents)

    @cached_property
    def krippendorff_alpha(self) -> Decimal | None:
        """Krippendorff's α (ordinal) over the scored items × the respondents, missing ratings allowed."""
        return stats.krippendorff_alpha([[i.ratings.get(r) for r in range(self.raters)]
                                             for i in self.items if i.ratings])


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
    role_of: list[str | None] = field(default_factory=list)  # each respondent's role, as `results`
    # the workshop's consensus session (domain/consensus.py) and its result, when one was started
    consensus: Session | None = None
    consensus_result: Result | None = None

    def with_consensus(self, library: Library, session: Session | None) -> GroupResult:
        """This result with the consensus session scored beside it, by the group's rules and language."""
        if session is not None and all(b in library.banks for b in session.banks):
            lang = self.results[0].lang if self.results else session.lang
            self.consensus = session
            self.consensus_result = evaluate(library, session.model_copy(
                update={"lang": lang, "rules_profile": self.results[0].rules_profile if self.results else
                        session.rules_profile}), count=0)
        return self

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

    def disputed(self) -> list[ItemGroup]:
        """The rated items, most disputed first (ItemGroup.dispute_key); ties keep the banks' order."""
        return sorted((i for b in self.banks for i in b.items if i.levels), key=ItemGroup.dispute_key)

    def item_role_gaps(self, a: str, b: str, bank: BankGroup, top: int = ITEM_GAPS) -> list[dict[str, Any]]:
        """The items of `bank` where role a's mean level differs most from role b's (a − b), largest
        difference first, at most `top` (items rated by both roles only)."""
        out = []
        for item in bank.items:
            x = mean([Decimal(v) for r, v in item.ratings.items() if self.role_of[r] == a])
            y = mean([Decimal(v) for r, v in item.ratings.items() if self.role_of[r] == b])
            if x is not None and y is not None:
                out.append({"id": item.id, "means": [x, y], "gap": x - y})
        out.sort(key=lambda g: -abs(g["gap"]))
        return out[:top]

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
                         "disagreement": i.disagreement, "median": num(i.median, 1), "sd": num(i.sd, 2),
                         "iqr": num(i.iqr, 2), "agreement": num(i.agreement, 3),
                         "distribution": {str(k): v for k, v in i.distribution.items()}}
                        for i in b.items
                    ],
                    "krippendorff_alpha": num(b.krippendorff_alpha, 3),
                }
                for b in self.banks
            ],
            "activities_mean_percent": num(self.activities_mean_percent, 1),
            "grade": self.grade.to_json() if self.grade else None,
            "roles": {role: {k: num(v, 1) for k, v in per.items()} for role, per in self.role_means().items()},
            "role_gaps": [{**g, "gap": num(g["gap"], 1), "items": _item_gaps(self, g)} for g in self.role_gaps()],
            "joined_without_answers": len(self.not_started),
            "duplicates": [[m.id for m in d] for d in self.duplicates],
            "consensus": self._consensus_json(),
        }

    def _consensus_json(self) -> dict[str, Any] | None:
        from .consensus import to_json

        if self.consensus is None or self.consensus_result is None:
            return None
        return to_json(self.consensus, self.consensus_result, self)


def _item_gaps(group: GroupResult, gap: dict[str, Any]) -> list[dict[str, Any]]:
    a, b = gap["roles"]
    bank = next((x for x in group.banks if x.id == gap["bank"]), None)
    if bank is None:  # the activities' mean: no items of its own
        return []
    return [{"id": g["id"], "means": [num(m, 2) for m in g["means"]], "gap": num(g["gap"], 2)}
            for g in group.item_role_gaps(a, b, bank)]


def started(bank: BankResult) -> bool:
    """A respondent who has not answered a single item of a bank has not assessed it (SCORING §6
    reading): leaving them out keeps a participant who just joined from pulling the mean to 0."""
    return any(not i.unanswered for i in bank.items)


def _bank_group(bank_id: str, indexed: list[tuple[int, BankResult]], raters: int) -> BankGroup:
    per_respondent = [b for _, b in indexed]
    assessed = [b for b in per_respondent if started(b)]
    percents = [b.percent for b in assessed if b.percent is not None]
    section_ids = [s.id for s in per_respondent[0].sections]
    sections = {sid: mean_1([s.percent for b in assessed for s in b.sections if s.id == sid and s.percent is not None])
                for sid in section_ids}
    items = []
    by_id = [{i.id: i for i in b.items} for b in per_respondent]
    for item in per_respondent[0].items:
        mine = [(r, ids[item.id]) for (r, _), ids in zip(indexed, by_id) if item.id in ids]
        answered = [(r, i) for r, i in mine if not i.na and not i.unanswered and i.level is not None]
        items.append(ItemGroup(
            bank=bank_id, id=item.id, clause=item.clause,
            levels=[i.level for _, i in answered],  # type: ignore[misc]
            alphas=[i.alpha for _, i in answered if i.alpha is not None],  # type: ignore[misc]
            na=sum(1 for _, i in mine if i.na), unanswered=sum(1 for _, i in mine if i.unanswered),
            ratings={r: i.level for r, i in answered},  # type: ignore[misc]
        ))
    return BankGroup(bank_id, percents, sections, items, [b.earned for b in assessed], raters)


def group_result(library: Library, workshop: str, org: str, sessions: list[Session],
                 profile: str = "clause-text", lang: str = "zh") -> GroupResult:
    """The group of the sessions that have at least one answer: one who joined and answered
    nothing is not a respondent (a reload's empty twin must not pull the mean down). A consensus
    session is the group's agreed result, never one of its respondents (even imported into it)."""
    sessions = [s for s in sessions if s.kind != "consensus"]
    members = [Member(s.id, s.respondent or "", s.role, s.answered_count()) for s in sessions]
    sessions = [s for s in sessions if s.answered_count()]
    # count=0: a group report shows no respondent's own suggestions (picking them is a quarter of the cost)
    results = [evaluate(library, s.model_copy(update={"lang": lang, "rules_profile": profile}), count=0)
               for s in sessions]
    roles: dict[str, list[Result]] = {}
    for s, r in zip(sessions, results):
        if s.role:
            roles.setdefault(s.role, []).append(r)
    out = GroupResult(workshop=workshop, org=org, results=results, roles=roles, members=members,
                      role_of=[s.role for s in sessions])
    bank_ids: list[str] = []
    for b in library.banks:
        # a checklist has no percent to average (README "Scoring": workshops do not combine checklists)
        if any(b in s.banks for s in sessions) and library.bank(b).kind != "checklist":
            bank_ids.append(b)
    for bank_id in bank_ids:
        per = [(n, b) for n, r in enumerate(results) for b in r.banks if b.id == bank_id]
        out.banks.append(_bank_group(bank_id, per, len(results)))
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
