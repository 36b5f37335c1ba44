"""The result as Markdown; everything that comes from a user or a bank is escaped."""

from __future__ import annotations

import re

from ..domain.loader import Library
from ..domain.results import Result
from ..i18n import t
from .common import (
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
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def render(result: Result, library: Library, created: str = "") -> str:
    lang = result.lang
    g = result.grade
    out = [f"# {t('result.title', lang)}", ""]
    out.append(f"- {t('org', lang)}: {md(result.org)}")
    out.append(f"- {t('session', lang)}: `{result.session_id}`")
    if created:
        out.append(f"- {t('created', lang)}: {created}")
    out.append(f"- {t('rules', lang)}: `{result.rules_profile}`")
    out += ["", f"## {t('grade', lang)}: {g.label}", ""]
    out.append(f"- {t('service_score', lang)}: **{pct(g.service_score)}** ({md(source_text(g, lang))})")
    out.append(f"- {t('management_level', lang)}: {management_text(result, lang)}")
    out.append(f"- {md(gate_text(g, lang))}")
    out += ["", f"> {md(t('provisional', lang))}", ""]
    out += [f"| {t('bank', lang)} / {t('section', lang)} | {t('score', lang)} | {t('percent', lang)} |", "|---|---:|---:|"]
    for b in result.banks:
        extra = f" ({t('maturity_level', lang, level=b.level)})" if b.level is not None else ""
        out.append(f"| **{md(bank_title(library, b.id, lang))}**{extra} | {fmt(b.earned, 2)}/{fmt(b.possible, 2)} | {fmt(b.percent)} |")
        for s in b.sections:
            out.append(f"| {md(section_title(library, b.id, s.id, lang))} | {fmt(s.earned, 2)}/{fmt(s.possible, 2)} | {fmt(s.percent)} |")
    if result.activities is not None:
        a = result.activities
        out.append(f"| **{t('activities', lang)}** | {fmt(a.earned, 2)}/{fmt(a.possible, 2)} | {fmt(a.percent)} |")
    out.append("")
    for b in result.banks:
        if b.unanswered:
            out.append(f"- {md(bank_title(library, b.id, lang))} — {t('unanswered', lang)}: {', '.join(map(md, b.unanswered))}")
        if b.not_applicable:
            out.append(f"- {md(bank_title(library, b.id, lang))} — {t('na', lang)}: {', '.join(map(md, b.not_applicable))}")
    out += ["", f"## {t('suggestions', lang)}", ""]
    if not result.suggestions:
        out.append(t("no_suggestions", lang))
    else:
        out += [f"| # | {t('method', lang)} | {t('addresses', lang)} | {t('at_stake', lang)} |", "|---:|---|---|---:|"]
        for n, s in enumerate(result.suggestions, 1):
            out.append(f"| {n} | {md(method_label(s.method, s.area))} {md(s.text)} | {', '.join(md(i.id) for i in s.items)} | {fmt(s.points_at_stake, 2)} |")
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
        out.append(f"| {md(bank_title(library, b.id, lang))} | {fmt(b.before_percent)} | {fmt(b.after_percent)} | {delta} |")
    for key, items in (("compare.improved", cmp.improved), ("compare.slipped", cmp.slipped)):
        out += ["", f"## {t(key, lang)} ({len(items)})", ""]
        out += [f"- {md(bank_title(library, i.bank, lang))} {md(i.id)}: {fmt(i.before_earned, 2)} → {fmt(i.after_earned, 2)} "
                f"{t('unit.points', lang)} ({i.delta:+.2f})" for i in items]
    if cmp.only_before or cmp.only_after:
        out += ["", f"## {t('compare.unmatched', lang)}", ""]
        out += [f"- − {md(b)} {md(q)}" for b, q in cmp.only_before] + [f"- + {md(b)} {md(q)}" for b, q in cmp.only_after]
    if cmp.suggestions:
        out += ["", f"## {t('compare.suggestions', lang)}", ""]
        out += [f"- {'✓' if s.acted_on else '○'} {md(s.area)} {s.method.split('.')[-1]}\\) {md(s.text)} — "
                f"{', '.join(map(md, s.items))} ({t('compare.gained', lang)} {s.gained:+.2f})" for s in cmp.suggestions]
    return "\n".join(out) + "\n"
