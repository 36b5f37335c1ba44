"""The texts of the cited clauses (question_banks/sources/clause_texts.toml): reading and checking
the file, and finding the text a clause reference of a bank means ("003 附录3 1.1 / 附录4 1.1",
"002 5.3.1、5.3.2", "003 附录4 2.1 3)", "001 7 起草阶段", "000 4.3；GB/T 24620").

A reference names a document (000–003), for 003 an annex (附录N), a clause number as printed, and
perhaps a list item of it (1), ①, a., or a range 1)–4)); notes in brackets and headings written in
words are left out. The text of a list item is its line and the lines under it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from .bank import Text

_DOC = re.compile(r"^(\d{3})\s+(.*)$")
_ANNEX = re.compile(r"^(附录\s*\w+)\s+(.*)$")
_NUMBER = re.compile(r"^(\d+(?:\.\d+)*)\.?(?:\s+|$)(.*)$")
# a list item's marker: 1) at level 1, ① at level 2, a. at level 3
_ITEM = re.compile(r"^(\d+\)|[\u2460-\u2473]|[a-z]\.)")


@dataclass(frozen=True)
class ClauseText:
    """A clause's text in both languages. `heading`: only its heading survives or it heads others;
    `cut`: the source stops inside it; `note`: what the reader should know of its numbering."""

    text: Text
    heading: bool = False
    cut: bool = False
    note: Text | None = None


@dataclass(frozen=True)
class Quote:
    """What a reference shows: the clause it resolves to (key), the text of the part it names."""

    key: str
    text: Text
    clause: ClauseText


@dataclass(frozen=True)
class Parsed:
    """A reference taken apart: the clause (document, annex, number) and the items it names."""

    doc: str
    annex: str
    number: str
    items: tuple[str, ...]

    @property
    def key(self) -> str:
        return " ".join(p for p in (self.doc, self.annex, self.number) if p)


def parse(ref: str) -> list[Parsed]:
    """The clauses a bank's reference names, each with its items; [] for a document that is not one
    of 000–003 (GB/T 24620)."""
    out: list[Parsed] = []
    for part in re.split(r"[；;]", ref):
        part = part.strip()
        m = _DOC.match(part)
        if not m:
            continue
        doc, rest = m.groups()
        annex = ""
        for piece in rest.split("/"):
            piece = piece.strip()
            if (d := _DOC.match(piece)) is not None:
                doc, piece = d.groups()
                annex = ""
            printed = re.search(r"印作“([\d.]+?)\.?”", piece)
            piece = re.sub(r"（[^）]*）|\([^)]*\)", " ", piece).strip()
            if (a := _ANNEX.match(piece)) is not None:
                annex, piece = re.sub(r"\s+", "", a.group(1)), a.group(2)
            elif piece.startswith("附录"):
                annex, piece = re.sub(r"\s+", "", piece), ""
            numbers = re.split(r"、", piece)
            for n, one in enumerate(numbers):
                num = _NUMBER.match(one.strip())
                if num is None:
                    if n and out:  # "7.1.2 2) ③ a.–c." has no "、", but "注1、注2" follows a heading: skip
                        continue
                    out.append(Parsed(doc, annex, "", ()))
                    continue
                number, tail = num.groups()
                if printed:
                    number = printed.group(1)
                out.append(Parsed(doc, annex, number, _items(tail)))
    return out


def _items(tail: str) -> tuple[str, ...]:
    """The list items named after a clause number ("2) ①", "1)–4)"); none when words follow (a
    heading or a stage named in words: the whole clause is meant)."""
    tokens = tail.split()
    if not tokens or not all(_ITEM.match(tok) for tok in tokens):
        return ()
    return tuple(tokens)


def _lines_of(lines: list[str], marker: str) -> list[str] | None:
    """The lines of the list item `marker` (or the range "1)–4)") and the deeper lines under it."""
    first, _, last = marker.partition("–")
    last = last or first
    level = _level(first)
    start = next((i for i, line in enumerate(lines) if line.startswith(first)), None)
    if start is None:
        return None
    end = start
    while end < len(lines):
        line = lines[end]
        here = _level(line)
        if end > start and (here is not None and here <= level and not _within(line, first, last)
                            or here is None and _sub(line)):
            break
        end += 1
    return lines[start:end]


def _within(line: str, first: str, last: str) -> bool:
    """Is the item on `line` one of first..last (1)–4), a.–c.)?"""
    m = _ITEM.match(line)
    if not m or m.group(1) == first or first == last:
        return False
    order = lambda s: int(s[:-1]) if s.endswith(")") else ord(s[0])  # noqa: E731
    try:
        return order(first) < order(m.group(1)) <= order(last)
    except (ValueError, TypeError):
        return False


def _level(line: str) -> int | None:
    m = _ITEM.match(line)
    if not m:
        return None
    mark = m.group(1)
    return 1 if mark.endswith(")") else 3 if mark[0].isascii() else 2  # "①".isdigit() is true


def _sub(line: str) -> bool:
    """A subclause's first line ("3.1.2. 卓越绩效服务因素")."""
    return re.match(r"\d+\.\d+(?:\.\d+)*\.\s", line) is not None


@dataclass(frozen=True)
class ClauseTexts:
    texts: dict[str, ClauseText]
    untexted: dict[str, Text]  # a key's prefix ("003 附录3") → why there is no text
    documents: tuple[str, ...]  # the documents whose cited clauses must all have texts

    def find(self, parsed: Parsed) -> tuple[str, ClauseText, list[str]] | None:
        """The entry a parsed reference falls under: the clause itself, or the clause it is a
        subclause of (then the subclause's number is the first thing to pick from its text)."""
        number, picks = parsed.number, list(parsed.items)
        while True:
            key = " ".join(p for p in (parsed.doc, parsed.annex, number) if p)
            if key in self.texts:
                return key, self.texts[key], picks
            if "." not in number:
                return None
            picks.insert(0, number)
            number = number.rsplit(".", 1)[0]

    def untexted_why(self, parsed: Parsed) -> Text | None:
        key = parsed.key
        for prefix, why in self.untexted.items():
            if key == prefix or key.startswith(prefix + " "):
                return why
        return None

    def quotes(self, ref: str) -> list[Quote]:
        """The texts a reference names, in order; a clause with no text is left out."""
        out = []
        for parsed in parse(ref):
            found = self.find(parsed)
            if found is None:
                continue
            key, clause, picks = found
            out.append(Quote(key, Text(zh=_pick(clause.text.zh, picks), en=_pick(clause.text.en, picks)), clause))
        return out

    def missing(self, refs: list[str]) -> list[str]:
        """References of the documents this file covers that resolve to no text and no reason."""
        out = []
        for ref in refs:
            for parsed in parse(ref):
                if parsed.doc in self.documents and self.find(parsed) is None and self.untexted_why(parsed) is None:
                    out.append(ref)
        return out


def _pick(text: str, picks: list[str]) -> str:
    """The part of a clause's text that a reference's subclause and items name (all of it when the
    text does not hold them as lines)."""
    lines, context = text.split("\n"), []  # the lines of the items a deeper item is in: "2) …", "③ …"
    for n, pick in enumerate(picks):
        if _ITEM.match(pick):
            chosen = _lines_of(lines, pick)
            if chosen and n + 1 < len(picks):
                context.append(chosen[0])
        else:
            start = next((i for i, line in enumerate(lines) if line.startswith(pick + ". ")), None)
            chosen = None
            if start is not None:
                end = next((i for i in range(start + 1, len(lines)) if _sub(lines[i])), len(lines))
                chosen = lines[start:end]
        if not chosen:
            return text
        lines = chosen[1:] if context and chosen[0] == context[-1] else chosen
    return "\n".join(context + lines)


def _text(value: Any, where: str) -> Text:
    if not (isinstance(value, dict) and set(value) == {"zh", "en"} and all(isinstance(v, str) and v.strip()
                                                                          for v in value.values())):
        raise ValueError(f"{where}: expected zh and en texts")
    return Text(zh=value["zh"], en=value["en"])


def parse_file(data: dict[str, Any]) -> ClauseTexts:
    """The file's content checked: every entry with zh and en, keys that parse as clauses, each
    English text with the list items of its Chinese (a reference to an item finds it in both)."""
    documents = data.get("documents")
    if not (isinstance(documents, list) and documents and all(isinstance(d, str) for d in documents)):
        raise ValueError("documents: expected a list of document codes")
    extra = set(data) - {"documents", "untexted", "texts"}
    if extra:
        raise ValueError(f"unknown keys {', '.join(sorted(extra))} (expected documents, untexted, texts)")
    texts: dict[str, ClauseText] = {}
    for key, entry in (data.get("texts") or {}).items():
        parsed = parse(key)
        if len(parsed) != 1 or parsed[0].key != key or parsed[0].items:
            raise ValueError(f"texts.{key}: not a clause key (a document code, 附录N for an annex, a clause number)")
        if not isinstance(entry, dict) or set(entry) - {"zh", "en", "heading", "cut", "note"}:
            raise ValueError(f"texts.{key}: expected zh, en and optionally heading, cut, note")
        text = _text({"zh": entry.get("zh"), "en": entry.get("en")}, f"texts.{key}")
        markers = [[m.group(1) for line in s.split("\n") if (m := _ITEM.match(line))] for s in (text.zh, text.en)]
        if markers[0] != markers[1]:
            raise ValueError(f"texts.{key}: the English text's list items {markers[1]} differ from the Chinese {markers[0]}")
        note = _text(entry["note"], f"texts.{key}.note") if "note" in entry else None
        texts[key] = ClauseText(text, bool(entry.get("heading")), bool(entry.get("cut")), note)
    untexted = {key: _text(why, f"untexted.{key}") for key, why in (data.get("untexted") or {}).items()}
    return ClauseTexts(texts, untexted, tuple(documents))


def clause_texts_path(banks: Path) -> Path:
    return banks / "sources" / "clause_texts.toml"


@cache
def load_clause_texts(path: str) -> ClauseTexts:
    """The clause texts of `path`; a file that cannot be read or checked raises ValueError (the
    loader names the file)."""
    import tomllib

    try:
        data = tomllib.loads(Path(path).read_bytes().decode("utf-8"))
    except OSError as e:
        raise ValueError(f"cannot be read ({e.strerror})") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise ValueError(f"is not valid TOML: {e}") from None
    return parse_file(data)
