"""The opening frame: what a new chat shows first (the greeting, the first question, the progress
line, the reply line's hint), kept between runs so that the next `selfcheck chat --org …` shows it
at once, before the models, the banks and the store are loaded (issue 14 §2).

The chat writes it when it has shown a new session's opening (screens/chat.py) and the launcher
reads it (launch.py): the frame is shown while the real chat is built in a thread, which then takes
its place with the same texts, live. It is a picture and is never trusted: a frame that is missing,
damaged, written by another version or for other bank files is not shown (the chat starts as it did
before), and one that differs from what the live chat shows is replaced by it within the start-up
and written again. So a stale frame can be seen for one start at most, never answered.

The file is JSON in the per-user cache folder (~/.cache/selfcheck/opening on Linux), named by a
fingerprint of what the frame depends on: the program's version, the language, the banks asked for,
the sector, the rules profile and the bank files (size and modification time). The organisation's
and respondent's names are not part of it: the title is made from the command line's (`title`).
Imports here are light (no pydantic, no TinyDB, no Textual widgets): this runs before them.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.style import Style
from rich.text import Span, Text

from .. import __version__
from ..i18n import t
from ..printable import printable

FORMAT = 1
KEEP = 16  # frames kept (languages × bank choices × sectors used on this machine)
ENV_OFF = "SELFCHECK_NO_BANK_CACHE"  # the bank cache's switch turns this one off too


@dataclass(frozen=True)
class Opening:
    bubbles: tuple[tuple[str, Text], ...]  # (role, text) of each message, in order
    progress: tuple[str, ...]  # the progress line's texts, longest first (turns.progress_variants)
    placeholder: str  # the reply line's hint
    quick: bool  # whether quick-reply buttons show under the transcript (their row is kept free)

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "version": __version__,
                "bubbles": [[role, text.plain, str(text.style), [[s.start, s.end, str(s.style)] for s in text.spans]]
                            for role, text in self.bubbles],
                "progress": list(self.progress), "placeholder": self.placeholder, "quick": self.quick}

    @classmethod
    def from_json(cls, data: Any) -> Opening | None:
        """The frame in `data`, or None for anything not exactly what to_json writes."""
        try:
            if data["format"] != FORMAT or data["version"] != __version__:
                return None
            bubbles = []
            for role, plain, style, spans in data["bubbles"]:
                if role not in ("assistant", "notice", "user") or not (isinstance(plain, str) and isinstance(style, str)):
                    return None
                # plain text and styles apart: nothing in it is read as markup
                text = Text(plain, style=Style.parse(style) if style else "")
                for start, end, style in spans:
                    if not (isinstance(start, int) and isinstance(end, int) and isinstance(style, str)):
                        return None
                    text.spans.append(Span(start, end, Style.parse(style)))
                bubbles.append((role, text))
            progress = tuple(data["progress"])
            if not bubbles or not progress or not all(isinstance(p, str) for p in progress):
                return None
            if not isinstance(data["placeholder"], str) or not isinstance(data["quick"], bool):
                return None
            return cls(tuple(bubbles), progress, data["placeholder"], data["quick"])
        except (KeyError, TypeError, ValueError, AttributeError):  # Style.parse raises StyleSyntaxError (ValueError)
            return None


def title(lang: str, org: str, respondent: str = "") -> str:
    """The chat's title row: the program, the organisation and the respondent (plain text)."""
    out = f"{t('app.title', lang)} · {org}"
    if respondent:
        out += f" · {respondent}"
    return printable(out, newlines=False)


def cache_dir() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path("selfcheck", appauthor=False) / "opening"


def fingerprint(lang: str, banks: list[str] | None, sector: str | None, rules: str) -> str | None:
    """The name of the frame for these choices with the bank files as they are now (None: no cache)."""
    if os.environ.get(ENV_OFF):
        return None
    from ..domain.bank_files import find_banks_dir  # light: paths only

    h = hashlib.sha256(f"{FORMAT}|{__version__}|{lang}|{sorted(banks) if banks else None}|{sector}|{rules}\n".encode())
    folder = find_banks_dir()
    if folder is None:  # the loader will say so
        return None
    try:
        with os.scandir(folder) as entries:
            for e in sorted(entries, key=lambda e: e.name):
                if e.name.endswith(".toml"):
                    s = e.stat()
                    h.update(f"{e.name}|{s.st_size}|{s.st_mtime_ns}\n".encode())
    except OSError:
        return None
    return h.hexdigest()[:32]


def read(key: str | None) -> Opening | None:
    if key is None:
        return None
    try:
        raw = (cache_dir() / f"{key}.json").read_bytes()
        return Opening.from_json(json.loads(raw))
    except (OSError, ValueError):
        return None


def write(key: str | None, opening: Opening) -> None:
    """Keep `opening` under `key`: atomically, best effort (a read-only cache costs speed, not a start)."""
    if key is None:
        return
    from ..cache_files import keep

    try:
        keep(cache_dir(), f"{key}.json", json.dumps(opening.to_json(), ensure_ascii=False).encode(), KEEP)
    except OSError:
        pass
