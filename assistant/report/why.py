"""Why this grade, in words: the derivation of `domain.derivation` as plain lines for every format.

Each line is plain text (no markup); the text, Markdown, HTML and TUI renderings escape it their own way.
"""

from __future__ import annotations

from ..domain.derivation import LEVEL_THRESHOLDS, Derivation, derive, label
from ..domain.conformity import CONFORMITY_BANK
from ..domain.results import Result
from ..clauses import profile_name
from ..i18n import Lang, t
from .common import fmt, source_text


def why_lines(result: Result, lang: Lang) -> list[str]:
    """The derivation, one statement a line, ending with what the next grade up needs."""
    d = derive(result)
    g = result.grade
    lines = []
    if d.service_score is None:
        lines.append(t("why.s.none", lang))
    else:
        lines.append(t("why.s", lang, s=fmt(d.service_score), source=source_text(g, lang),
                       earned=fmt(d.service_earned, 2), possible=fmt(d.service_possible, 2)))
    if d.management_level is None:
        lines.append(t("why.m.none", lang))
    else:
        line = t("why.m", lang, m=d.management_level, total=fmt(d.management_total, 2))
        nxt = d.management_next
        if nxt is not None:
            line += ("；" if lang == "zh" else "; ") + t("why.m.next", lang, level=nxt[0], points=fmt(nxt[1], 2))
        lines.append(line)
    if d.service_score is not None:
        lines += _row_lines(d, lang)
    review = result.checklist(CONFORMITY_BANK)
    if review is not None:  # only where the session holds the conformity review
        line = t(f"why.conformity.{review.verdict}", lang, failed=len(review.failed), open=len(review.open),
                 applicable=review.applicable)
        if review.verdict == "not-yet" and d.before_conformity != "not-yet":
            line += t("why.conformity.would", lang, earned=label(d.before_conformity, lang))
        lines.append(line)
    lines += next_lines(d, lang)
    return lines


def _row_lines(d: Derivation, lang: Lang) -> list[str]:
    earned_row = next((r for r in d.rows if r[0] == d.earned_outcome), None)
    profile = profile_name(d.rules_profile, lang)
    if earned_row is None:
        lowest = d.rows[-1]
        return [t("why.row.none", lang, profile=profile, s=fmt(d.service_score), smin=fmt(lowest[1]))]
    out = [t("why.row", lang, profile=profile, s=fmt(d.service_score), label=label(d.earned_outcome, lang),
             smin=fmt(earned_row[1]), mmin=earned_row[2])]
    held = label(d.before_conformity, lang)  # the conformity review's line says if it holds the grade lower
    if d.gate == "not assessed":
        out.append(t("why.gate.not_assessed", lang, label=held, need=earned_row[2]))
    elif d.capped:
        out.append(t("why.gate.capped", lang, m=d.management_level, need=earned_row[2], label=held))
    else:
        out.append(t("why.gate.met", lang, m=d.management_level, label=held))
    return out


def next_lines(d: Derivation, lang: Lang) -> list[str]:
    r = d.next
    if r is None:
        return [t("why.top", lang)]
    sep = "；" if lang == "zh" else "; "
    parts = []
    if r.service_short > 0:
        parts.append(t("why.next.s", lang, short=fmt(r.service_short), points=fmt(r.service_points_short, 2),
                       possible=fmt(d.service_possible, 2)))
    else:
        parts.append(t("why.next.s.ok", lang))
    if not r.management_assessed:
        parts.append(t("why.next.m.none", lang, mmin=r.management_min, points=fmt(LEVEL_THRESHOLDS[r.management_min])))
    elif r.management_levels_short > 0 or r.management_points_short > 0:
        parts.append(t("why.next.m", lang, levels=r.management_levels_short, points=fmt(r.management_points_short, 2)))
    else:
        parts.append(t("why.next.m.ok", lang))
    if r.conformity_short:
        parts.append(t("why.next.conformity", lang))
    return [t("why.next", lang, label=label(r.outcome, lang), smin=fmt(r.service_min), mmin=r.management_min)
            + ("" if lang == "zh" else " ") + sep.join(parts)]
