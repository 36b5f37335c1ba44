"""Understands a typed chat reply: a level, a scale label, α, yes/partly/no, N/A with a reason, or a command.

The Likert labels are those of 003 §5.1.1; the words are matched whole (低于预期 is not 远低于预期).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

from .answers import ALPHA_BANDS, Answer
from .bank import Kind, Question

Command = Literal["back", "skip", "why", "help", "next", "keep", "goto", "index"]

# 003 §5.1.1: the five Likert labels, with the English of GLOSSARY/SCORING §2 and short forms.
LIKERT_WORDS: dict[int, tuple[str, ...]] = {
    1: ("远低于预期", "far below expectations", "far below", "far-below"),
    2: ("低于预期", "below expectations", "below"),
    3: ("符合预期", "meets expectations", "meets", "meet", "as expected"),
    4: ("高于预期", "above expectations", "above"),
    5: ("远高于预期", "far above expectations", "far above", "far-above"),
}
LIKERT_LABELS = {level: (words[0], words[1]) for level, words in LIKERT_WORDS.items()}
CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}
GATE_WORDS: dict[str, tuple[str, ...]] = {
    "yes": ("yes", "y", "是", "有", "是的", "已开展", "已经"),
    "partly": ("partly", "partial", "partially", "部分", "部分是", "部分有", "有一些"),
    "no": ("no", "n", "否", "没有", "无", "未开展", "不是"),
}
COMMAND_WORDS: dict[Command, tuple[str, ...]] = {
    "back": ("back", "/back", "返回", "上一题", "后退"),
    "skip": ("skip", "/skip", "跳过", "略过", "pass"),
    "why": ("/why", "why", "为什么", "/为什么", "说明"),
    "help": ("/help", "help", "?", "？", "帮助", "/帮助"),
    "next": ("/next", "next", "下一题", "继续", "ok", "好"),
    "keep": ("keep", "/keep", "保留", "同上", "不变", "same"),
    "index": ("/goto", "/index", "/list", "/目录", "/跳转", "目录"),
}
# "/goto 6.2.3", "/跳转 6.2.3": go to a question by its id (bank:id when two banks share it)
GOTO = re.compile(r"^/(?:goto|go|跳转|转到)\s+(\S+)$", re.IGNORECASE)
# Between an answer and a note typed with it: "4，已有三项团体标准", "高于预期 因为…", "是：已开展".
NOTE_SEPARATOR = re.compile(r"^\s*[,，、;；:：。]\s*|^\s+")  # not ".": "1.5" is no level 1 with a note
NA_PREFIX = re.compile(r"^(n/?a|不适用)(?![a-z])\s*[:：,，-]?\s*(?:because|因为|理由[:：]?|原因[:：]?)?\s*", re.IGNORECASE)
# A level, optionally followed by an α after a space, a comma or "α": "4", "4 0.75", "4,α=0.7".
# "1.0" is not level 1 with α 0: without a separator it is read as an α alone (ALPHA_ONLY).
LEVEL_PATTERN = re.compile(
    r"^(?:level|lvl|l|第|等级)?\s*([1-5一二三四五])\s*(?:级|分|档)?"
    r"(?:(?:\s*[,，;；/]\s*|\s+|\s*(?:α|alpha)\s*[=:：]?\s*)(?:(?:α|alpha)\s*[=:：]?\s*)?(\d*\.\d+|[01]))?$",
    re.IGNORECASE,
)
ALPHA_ONLY = re.compile(r"^(?:α|alpha|a)\s*[=:：]?\s*(\d*\.\d+|[01])$|^(0?\.\d+|0|1\.0*)$", re.IGNORECASE)


@dataclass(frozen=True)
class Understood:
    """A reply that is an answer to the question."""

    answer: Answer


@dataclass(frozen=True)
class Order:
    """A reply that is a command (goto carries the question it names)."""

    command: Command
    arg: str | None = None


@dataclass(frozen=True)
class Problem:
    """A reply that could not be used; `code` names the message the UI shows (with `params`)."""

    code: Literal["unknown", "na_reason", "na_required", "na_unscored", "alpha_band", "empty", "kind"]
    params: dict[str, str]


Reply = Understood | Order | Problem


def normalise(text: str) -> str:
    """NFKC (full-width digits and punctuation become ASCII), collapsed spaces, lower case."""
    return " ".join(unicodedata.normalize("NFKC", text).split()).lower()


def as_command(text: str) -> Command | None:
    """The command a reply names (back, skip, /why, /help, next), if it is one."""
    word = normalise(text)
    for command, words in COMMAND_WORDS.items():
        if word in words:
            return command
    return None


def _level_of_alpha(alpha: Decimal) -> int | None:
    for level, (low, high) in ALPHA_BANDS.items():
        if (low <= alpha <= high) if level == 1 else (low < alpha <= high):
            return level
    return None


def _scored(question: Question, level: int, alpha: Decimal | None) -> Reply:
    if alpha is not None:
        if question.kind is not Kind.likert:
            return Problem("kind", {"expected": question.kind.value})
        low, high = ALPHA_BANDS[level]
        inside = (low <= alpha <= high) if level == 1 else (low < alpha <= high)
        if not inside:
            return Problem("alpha_band", {"alpha": str(alpha), "level": str(level), "low": str(low), "high": str(high)})
    return Understood(Answer(level=level, alpha=alpha))


def _tail(raw: str, folded: str, cut: int) -> str:
    """The part of `raw` after the first `cut` characters of its NFKC form `folded`."""
    for i in range(len(raw) + 1):
        if len(unicodedata.normalize("NFKC", raw[:i])) >= cut:
            return raw[i:]
    return ""


def parse_reply(text: str, question: Question) -> Reply:
    """What a typed reply means for this question."""
    raw = text.strip()  # what the user wrote, kept as written (full-width punctuation and all)
    word = normalise(text)
    if not word:
        return Problem("empty", {})
    goto = GOTO.match(word)
    if goto:
        return Order("goto", goto.group(1))
    command = as_command(word)
    # on a free-text question only /commands, skip and back are commands: "同上" or "说明" is evidence
    if command is not None and (question.kind is not Kind.text or word.startswith("/") or command in ("skip", "back")):
        return Order(command)

    # match N/A on the normalised text (full-width Ｎ／Ａ from a Chinese IME), keep the reason as typed
    folded = unicodedata.normalize("NFKC", raw)
    na = NA_PREFIX.match(folded)
    if na:
        reason = _tail(raw, folded, na.end()).strip()
        if not question.kind.scored and question.kind is not Kind.check:
            return Problem("na_unscored", {})
        if question.required:
            return Problem("na_required", {})
        if not reason:
            return Problem("na_reason", {})
        return Understood(Answer(na=reason))

    kind = question.kind
    if kind is Kind.text:
        return Understood(Answer(text=raw))
    whole = _answer(word, question)
    if not isinstance(whole, Problem) or whole.code != "unknown":
        return whole
    return _with_note(raw, question) or whole


def _with_note(raw: str, question: Question) -> Reply | None:
    """An answer followed by a note: "4，已有三项团体标准", "4 0.75 有案例", "高于预期 因为…".

    The answer is the longest start of the reply that is one on its own and is followed by a
    separator (a space or punctuation); the rest, as typed, is the note.
    """
    folded = unicodedata.normalize("NFKC", raw)
    for cut in range(len(folded) - 1, 0, -1):
        head, rest = folded[:cut], folded[cut:]
        sep = NOTE_SEPARATOR.match(rest)
        if not sep or not head.strip():
            continue
        parsed = _answer(normalise(head), question)
        if isinstance(parsed, Problem):
            if parsed.code == "alpha_band":
                return parsed
            continue
        note = _tail(raw, folded, cut + sep.end()).strip()
        if not any(ch.isalpha() for ch in note):
            continue  # "4 4 4" is no answer with a note: a note says something in words
        return Understood(parsed.answer.model_copy(update={"note": note}))
    return None


def _answer(word: str, question: Question) -> Reply:
    """A reply that is only an answer (normalised), or why it is not one."""
    kind = question.kind
    if kind.by_choice:
        for choice, words in GATE_WORDS.items():
            if word in words:
                return Understood(Answer(choice=choice))  # type: ignore[arg-type]
        return Problem("unknown", {"expected": "gate"})

    if kind is Kind.likert:
        for level, words in LIKERT_WORDS.items():
            if word in words:
                return Understood(Answer(level=level))
    m = LEVEL_PATTERN.match(word)
    if m:
        digit = m.group(1)
        level = CHINESE_DIGITS.get(digit) or int(digit)
        alpha = None
        if m.group(2) is not None:
            try:
                alpha = Decimal(m.group(2))
            except InvalidOperation:
                return Problem("unknown", {"expected": kind.value})
        return _scored(question, level, alpha)
    m = ALPHA_ONLY.match(word)
    if m and kind is Kind.likert:
        alpha = Decimal(m.group(1) or m.group(2))
        level = _level_of_alpha(alpha)
        if level is not None:
            return Understood(Answer(level=level, alpha=alpha))
    return Problem("unknown", {"expected": kind.value})
