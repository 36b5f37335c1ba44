"""The source documents (000–003) and their clause references, named per language: "003 附录1 1.1"
reads "003 Annex 1, 1.1" in English; also the people's name of a rules profile."""

from __future__ import annotations

import re

from .i18n import STRINGS, Lang, t

# The four documents the banks cite by their short codes (question_banks/README.md), named in full.
STANDARDS: dict[str, tuple[str, str]] = {
    "000": ("《服务标准编写融入卓越服务的指南》（草案）",
            "the guide to writing service excellence into service standards (draft)"),
    "001": ("T/CCPITCSC《卓越服务良好实践转化为标准指南》（征求意见稿）",
            "T/CCPITCSC, the guide to turning good service-excellence practices into standards (draft)"),
    "002": ("T/QAHN008—2025《卓越服务活动准则》", "T/QAHN008—2025, the guidelines for service-excellence activities"),
    "003": ("CTS TBSC55-2026《卓越绩效服务认证技术规范》",
            "CTS TBSC55-2026, the technical specification for excellent-performance service certification"),
}

_CJK = r"\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"


def standard_name(code: str, lang: Lang) -> str | None:
    """The full name of a source document by its code (000–003), or None for another code."""
    names = STANDARDS.get(code)
    return None if names is None else names[0 if lang == "zh" else 1]


def standard_of(ref: str) -> str | None:
    """The code of the document a clause reference cites ("003 附录1 1.1" → "003")."""
    head = ref.strip().split(" ", 1)[0]
    return head if head in STANDARDS else None


def clause_ref(ref: str, lang: Lang) -> str:
    """A clause reference as the language writes it: in English 附录N → Annex N (its clause after a
    comma: "003 附录1 1.1" → "003 Annex 1, 1.1"), 表A.1 → Table A.1, and a Chinese heading or note
    in the reference left out (a note on the source's numbering says so in English); § as it is.
    Chinese keeps the reference as the bank writes it."""
    if lang == "zh":
        return ref
    out = ref
    numbering = re.search(r"（原文编号[:：]", out)
    printed = re.search(r"印作“([^”]+)”", out)
    # a note goes, its place stays a space: "5.2（印作“5.3”）2)" is clause 5.2, item 2)
    out = re.sub(r"（[^）]*）|\([^)]*[" + _CJK + r"][^)]*\)", " ", out)
    out = re.sub(r"附录\s*([0-9A-Z]+)\s+(?=\d)", r"Annex \1, ", out)
    out = re.sub(r"附录\s*([0-9A-Z]+)", r"Annex \1", out)
    out = re.sub(r"表\s*([A-Z0-9][\d.]*)", r"Table \1", out)
    out = re.sub(r"[" + _CJK + r"]+", " ", out)
    out = re.sub(r"\s+", " ", out).strip(" ,;")
    if numbering:
        out += " (numbered as in the source)"
    if printed:
        out += f" (printed as {printed.group(1)})"
    return out


def clause_refs(refs: str, lang: Lang) -> str:
    """A list of clause references as the bank writes it ("002 5.1.1；000 4.3"), each in the language."""
    parts = [p.strip() for p in re.split(r"[；;]", refs) if p.strip()]
    return ("；" if lang == "zh" else "; ").join(clause_ref(p, lang) for p in parts)


def profile_name(profile: str, lang: Lang) -> str:
    """A rules profile's name for people (the id, clause-text or table-rows, stays in JSON and on the
    command line)."""
    key = f"profile.{profile}"
    return t(key, lang) if key in STRINGS else profile
