"""Workbooks of many sessions: an organisation's history, and a workshop's group result (the
per-respondent matrix and the agreement per item).

The workshop's sheets are read from GroupResult.to_json() (the numbers the JSON report gives), its
item and bank keys taken as they come: a statistic added to the group result gets its own column.
"""

from __future__ import annotations

from typing import Any

from ..i18n import STRINGS, Lang, t
from .xlsx import Book, actions_rows, history_rows

SKIP = {"id", "items", "sections"}  # keys that are not a column of their own


def history_workbook(rows_in: list[Any], library: Any, lang: Lang, org: str, actions: list[Any],
                     done: list[list[Any]]) -> bytes:
    """The history sheet (with the actions done in each cycle) and the action plan."""
    book = Book(lang)
    head, rows = history_rows(rows_in, library, lang)
    book.sheet(t("office.sheet.history", lang), [*head, t("office.col.actions_done", lang)],
               [[*row, " ".join(a.id for a in d)] for row, d in zip(rows, done)])
    head, rows = actions_rows(actions, lang)
    book.sheet(t("office.sheet.actions", lang), head, rows)
    return book.save()


def _label(key: str, lang: Lang) -> str:
    known = f"office.key.{key}"
    return t(known, lang) if known in STRINGS else key


def _value(value: Any, lang: Lang) -> Any:
    if isinstance(value, bool):
        return t("office.yes" if value else "office.no", lang)
    if isinstance(value, dict):
        return "  ".join(f"{k}: {_value(v, lang)}" for k, v in value.items())
    if isinstance(value, list):
        return " ".join(str(_value(v, lang)) for v in value)
    return value


def _columns(records: list[dict[str, Any]]) -> list[str]:
    keys: dict[str, None] = {}
    for rec in records:
        keys.update((k, None) for k in rec if k not in SKIP)
    return list(keys)


def group_workbook(group: Any, library: Any, lang: Lang) -> bytes:
    """Summary, bank means, the matrix (items × respondents: each one's level), agreement per item, roles."""
    from ..domain.scoring import OUTCOME_LABELS
    from .common import bank_title

    data = group.to_json()
    book = Book(lang)
    grade = group.grade
    book.pairs(t("office.sheet.summary", lang), [
        (t("workshop", lang), data["workshop"]), (t("org", lang), data["org"]),
        (t("office.col.respondents", lang), data["respondents"]),
        (t("activities", lang), data.get("activities_mean_percent")),
        (t("office.col.grade", lang), OUTCOME_LABELS[grade.outcome][lang] if grade else None),
        (t("office.col.service_score", lang), grade.to_json()["service_score"] if grade else None),
        (t("office.col.maturity", lang), grade.management_level if grade else None),
        (t("office.summary.note", lang), t("provisional", lang)),
    ])
    banks = data["banks"]
    bank_keys = _columns(banks)
    book.sheet(t("office.sheet.banks", lang), [t("office.col.bank_id", lang), t("bank", lang),
                                               *[_label(k, lang) for k in bank_keys]],
               [[b["id"], bank_title(library, b["id"], lang), *[_value(b.get(k), lang) for k in bank_keys]] for b in banks])

    names = _respondent_names(group)
    levels = [{(b.id, i.id): i.level for b in r.banks for i in b.items} for r in group.results]
    matrix, flags, agreement = [], [], []
    all_items = [(b, i) for b in banks for i in b["items"]]
    item_keys = _columns([i for _, i in all_items])
    for b, i in all_items:
        question = _question(library, b["id"], i["id"], lang)
        matrix.append([b["id"], i["id"], question, *[lv.get((b["id"], i["id"])) for lv in levels]])
        flags.append(bool(i.get("disagreement")))
        agreement.append([b["id"], i["id"], question, *[_value(i.get(k), lang) for k in item_keys]])
    lead = [t("office.col.bank_id", lang), t("office.col.id", lang), t("office.col.question", lang)]
    book.sheet(t("office.sheet.matrix", lang), [*lead, *names], matrix, flags=flags)
    book.sheet(t("office.sheet.agreement", lang), [*lead, *[_label(k, lang) for k in item_keys]], agreement, flags=flags)
    roles = data.get("roles") or {}
    if roles:
        keys = list(dict.fromkeys(k for per in roles.values() for k in per))
        book.sheet(t("office.sheet.roles", lang),
                   [t("office.col.role", lang), *[t("activities", lang) if k == "activities" else bank_title(library, k, lang)
                                                   for k in keys]],
                   [[role, *[per.get(k) for k in keys]] for role, per in roles.items()])
    return book.save()


def _respondent_names(group: Any) -> list[str]:
    """Each result's column header: the respondent's name (and role), else the session's id."""
    members = {m.id: m for m in group.members}
    out = []
    for r in group.results:
        m = members.get(r.session_id)
        name = (m.respondent if m and m.respondent else r.session_id)
        out.append(f"{name} ({m.role})" if m and m.role else name)
    return out


def _question(library: Any, bank_id: str, qid: str, lang: Lang) -> str:
    bank = library.banks.get(bank_id)
    try:
        return bank.question(qid).text(lang) if bank else ""
    except KeyError:
        return ""
