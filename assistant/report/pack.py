"""The certification application pack: what an organisation attaches when it applies — the Word
report, the workbook, an evidence index in clause order, the JSON result — and a manifest giving
each file's SHA-256 (manifest.json, and SHA256SUMS for `sha256sum -c`).

The evidence index cites the standards by their official Chinese names and clause numbers
(clauses.STANDARDS); with `english` each text carries its English under it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from ..clauses import STANDARDS, standard_of
from ..i18n import Lang, t
from .common import date_text
from .docmodel import Doc, Fields, Heading, Para, Part, Row, Safe, Span, Table
from .item_rows import ItemRow, clause_key, item_rows


# the evidence index's columns and their widths (percent)
COLUMNS = ("office.col.clause", "office.col.id", "office.col.question", "office.col.answer", "doc.col.points",
           "office.col.note")
WIDTHS = (12, 9, 31, 16, 10, 22)


@dataclass(frozen=True)
class PackFile:
    name: str
    title: str  # what it is, in the report's language
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def evidence_index(data: Any, english: bool = False) -> Doc:
    """Every question of the session in clause order, grouped by standard, in Chinese (and English)."""
    s, r, lib = data.session, data.result, data.library
    zh = item_rows(lib, s, r.model_copy(update={"lang": "zh"}), "zh")
    en = item_rows(lib, s, r.model_copy(update={"lang": "en"}), "en") if english else [None] * len(zh)
    pairs = sorted(zip(zh, en), key=lambda p: (standard_of(p[0].clause_zh) or "~", clause_key(p[0].clause_zh)))

    def both(a: str, b: str | None) -> list[str | Span]:
        return [a] + ([Span(b, "muted", block=True)] if english and b and b != a else [])

    def label(key: str) -> str:
        return t(key, "zh") + (f" {t(key, 'en')}" if english else "")

    head = [label(k) for k in COLUMNS]
    blocks: list[Any] = [Fields([(label("org"), Span(s.org, "b")), (label("office.col.session"), s.id),
                                 (label("doc.date"), Safe(date_text(s.created, with_time=True)))]),
                         Para(t("office.pack.index.for", "zh") + ("；" + t("office.pack.index.for", "en") if english else ""),
                              cls="small")]
    if r.checklists:
        blocks.append(Fields([(label_of(c, lib, english), verdict_of(c, english)) for c in r.checklists]))
    current = None
    rows: list[Row] = []
    for a, b in pairs:
        code = standard_of(a.clause_zh) or ""
        if code != current:
            if rows:
                blocks.append(Table(head, rows, align="llllrl", widths=WIDTHS))
                rows = []
            current = code
            zh_name, en_name = STANDARDS.get(code, (code or "—", code or "—"))
            blocks.append(Heading(3, zh_name + (f" / {en_name}" if english else "")))
        unanswered = a.earned is not None and a.answer == t("doc.answer.none", "zh")
        rows.append(Row([both(a.clause_zh, b.clause if b else None), Safe(a.id),
                         both(a.question, b.question if b else None), both(a.answer, b.answer if b else None),
                         Safe(_points(a)), a.note], cls="flag" if unanswered or a.failed or a.state == "open" else ""))
    if rows:
        blocks.append(Table(head, rows, align="llllrl", widths=WIDTHS))
    title = t("office.pack.index.title", "zh") + (f" / {t('office.pack.index.title', 'en')}" if english else "")
    return Doc(lang="zh", title=f"{title} — {s.org}", parts=[Part("index", title, blocks, page_break=False, cover=True)])


def label_of(c: Any, library: Any, english: bool) -> str:
    """A checklist's name in Chinese (and English)."""
    bank = library.banks.get(c.id)
    zh = bank.title("zh") if bank is not None else c.title
    return zh + (f" / {bank.title('en')}" if english and bank is not None else "")


def verdict_of(c: Any, english: bool) -> list[str | Span]:
    """The checklist's verdict and counts, then the items not met and those not answered, by id."""
    from .checklists import summary

    def lines(lang: Lang) -> list[str]:
        sep = "、" if lang == "zh" else ", "
        out = [summary(c, lang)]
        out += [t(key, lang, ids=sep.join(i.id for i in items))
                for key, items in (("office.check.failed_ids", c.failed), ("office.check.open_ids", c.open)) if items]
        return out

    out: list[str | Span] = [Span(line, "b" if n == 0 else "", block=n > 0) for n, line in enumerate(lines("zh"))]
    if english:
        out += [Span(line, "muted", block=True) for line in lines("en")]
    return out


def _points(row: ItemRow) -> str:
    if row.earned is None or row.na:
        return "—"
    return f"{row.earned:g}/{row.possible:g}"


def build_pack(data: Any, english: bool = False) -> list[PackFile]:
    """The pack's files, the manifest last (it lists every other file with its SHA-256)."""
    from ..commands.common import dumps
    from .docx import render_docx, report_docx
    from .xlsx import report_workbook

    s, lang = data.session, data.result.lang
    files = [
        PackFile(f"report-{s.id}.docx", t("office.pack.file.report", lang), report_docx(data)),
        PackFile(f"workbook-{s.id}.xlsx", t("office.pack.file.workbook", lang), report_workbook(data)),
        PackFile(f"evidence-index-{s.id}.docx", t("office.pack.file.index", lang),
                 render_docx(evidence_index(data, english), data.generated, sign=False)),
        PackFile(f"result-{s.id}.json", t("office.pack.file.result", lang), dumps(data.result.to_json()).encode("utf-8")),
    ]
    manifest = {"session_id": s.id, "org": s.org, "generated": data.generated.isoformat(timespec="seconds"),
                "lang": lang, "grade": {"outcome": data.result.grade.outcome, "conformity": data.result.grade.conformity},
                "checklists": [{k: v for k, v in c.to_json().items() if k in ("id", "verdict", "failed", "unanswered")}
                               for c in data.result.checklists],
                "files": [{"name": f.name, "title": f.title, "bytes": len(f.data), "sha256": f.sha256}
                                        for f in files]}
    sums = "".join(f"{f.sha256}  {f.name}\n" for f in files)
    return [*files, PackFile("manifest.json", "manifest", dumps(manifest).encode("utf-8")),
            PackFile("SHA256SUMS", "SHA-256", sums.encode())]
