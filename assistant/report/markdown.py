"""The result as Markdown; everything that comes from a user or a bank is escaped."""

from __future__ import annotations

import re

from ..domain.loader import Library
from ..printable import printable
from ..domain.results import Result
from ..clauses import profile_name
from ..i18n import t
from .common import (
    colon,
    column,
    fixed,
    headline,
    places_needed,
    pct,
    method_label,
    bank_title,
    compare_headline,
    fmt,
    gate_text,
    management_text,
    section_title,
    source_text,
)

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~&])")  # "(" and "-" need no escape where md() text goes


def md(text: str) -> str:
    """Escape Markdown and inline HTML; newlines become spaces so a table row stays one row."""
    return _SPECIAL.sub(r"\\\1", printable(" ".join(text.split()), newlines=False))


def render(result: Result, library: Library, created: str = "") -> str:
    lang = result.lang
    g = result.grade
    out = [f"# {t('result.title', lang)}", ""]
    out.append(f"- {t('org', lang)}{colon(lang)}{md(result.org)}")
    out.append(f"- {t('session', lang)}{colon(lang)}`{result.session_id}`")
    if created:
        out.append(f"- {t('created', lang)}{colon(lang)}{created}")
    c = colon(lang)
    out.append(f"- {t('rules', lang)}{c}{profile_name(result.rules_profile, lang)}")
    out += ["", f"## {t('grade', lang)}{c}{headline(g.label, lang)}", ""]
    source = f"（{md(source_text(g, lang))}）" if lang == "zh" else f" ({md(source_text(g, lang))})"
    out.append(f"- {t('service_score', lang)}{colon(lang)}**{pct(g.service_score)}**{source}")
    out.append(f"- {t('management_level', lang)}{colon(lang)}{management_text(result, lang)}")
    out.append(f"- {md(gate_text(g, lang))}")
    out += ["", f"> {md(t('provisional', lang))}", ""]
    if result.banks:  # none when the session holds only checklists
        out += [f"| {t('bank', lang)} / {t('section', lang)} | {t('score', lang)} | {t('percent', lang)} |", "|---|---:|---:|"]
    totals = [x for b in result.banks for x in (b, *b.sections)] + ([result.activities] if result.activities else [])
    width = max((places_needed(v) for x in totals for v in (x.earned, x.possible)), default=0)

    def score(x) -> str:
        return f"{fixed(x.earned, width)}/{fixed(x.possible, width)} | {fixed(x.percent, 1)}"

    for b in result.banks:
        extra = (f"（{t('maturity_level', lang, level=b.level)}）" if lang == "zh" else
                 f" ({t('maturity_level', lang, level=b.level)})") if b.level is not None else ""
        out.append(f"| **{md(bank_title(library, b.id, lang))}**{extra} | {score(b)} |")
        for s in b.sections:
            out.append(f"| {md(section_title(library, b.id, s.id, lang))} | {score(s)} |")
    if result.activities is not None:
        out.append(f"| **{t('activities', lang)}** | {score(result.activities)} |")
    out.append("")
    for b in result.banks:
        sep = "、" if lang == "zh" else ", "
        if b.unanswered:
            out.append(f"- {md(bank_title(library, b.id, lang))} — {t('unanswered', lang)}{colon(lang)}{sep.join(map(md, b.unanswered))}")
        if b.not_applicable:
            out.append(f"- {md(bank_title(library, b.id, lang))} — {t('na', lang)}{colon(lang)}{sep.join(map(md, b.not_applicable))}")
    from .checklists import checklists_markdown  # imports md from here

    out += checklists_markdown(result, library, lang)
    out += ["", f"## {t('suggestions', lang)}", ""]
    if not result.suggestions:
        out.append(t("no_suggestions", lang))
    else:
        out += [f"| # | {t('method', lang)} | {t('addresses', lang)} | {t('at_stake', lang)} |", "|---:|---|---|---:|"]
        stakes = column([s.points_at_stake for s in result.suggestions])
        for n, s in enumerate(result.suggestions, 1):
            out.append(f"| {n} | {md(method_label(s.method, s.area))} {md(s.text)} | {', '.join(md(i.id) for i in s.items)} | {stakes[n - 1]} |")
    return "\n".join(out) + "\n"


def comparison_markdown(cmp, library: Library, lang) -> str:
    """Two sessions of one organisation compared, as Markdown."""
    out = [f"# {t('compare.title', lang)}", "",
           f"`{cmp.before.session_id}` ({cmp.before_created:%Y-%m-%d %H:%M}) → `{cmp.after.session_id}` ({cmp.after_created:%Y-%m-%d %H:%M})", "",
           md(compare_headline(cmp, lang)), "",
           f"| {t('bank', lang)} | {t('compare.before', lang)} | {t('compare.after', lang)} | {t('compare.delta', lang)} |",
           "|---|---:|---:|---:|"]
    for b in cmp.banks:
        delta = "—" if b.delta is None else f"{b.delta:+.1f}"
        out.append(f"| {md(bank_title(library, b.id, lang))} | {fixed(b.before_percent, 1)} | {fixed(b.after_percent, 1)} | {delta} |")
    for key, items in (("compare.improved", cmp.improved), ("compare.slipped", cmp.slipped)):
        out += ["", f"## {t(key, lang)} ({len(items)})", ""]
        out += [f"- {md(bank_title(library, i.bank, lang))} {md(i.id)}{colon(lang)}{fmt(i.before_earned, 2)} → {fmt(i.after_earned, 2)} "
                f"{t('unit.points', lang)}" + (f"（{i.delta:+.2f}）" if lang == "zh" else f" ({i.delta:+.2f})") for i in items]
    if cmp.only_before or cmp.only_after:
        out += ["", f"## {t('compare.unmatched', lang)}", ""]
        out += [f"- − {md(b)} {md(q)}" for b, q in cmp.only_before] + [f"- + {md(b)} {md(q)}" for b, q in cmp.only_after]
    if cmp.suggestions:
        out += ["", f"## {t('compare.suggestions', lang)}", ""]
        out += [f"- {'✓' if s.acted_on else '○'} {md(s.area)} {s.method.split('.')[-1]}\\) {md(s.text)} — "
                f"{', '.join(map(md, s.items))} ({t('compare.gained', lang)} {s.gained:+.2f})" for s in cmp.suggestions]
    return "\n".join(out) + "\n"
