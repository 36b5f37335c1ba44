"""JSON from a file the user gave us, read so that every way it can be wrong is one error type.

What is refused at the door (issue 11): a key given twice in one object (JSON allows it, and the
last one would silently win), and text holding a lone surrogate (a `\\ud800` escape is valid JSON
but no character: it cannot be written to a terminal or a UTF-8 file). A UTF-8 byte-order mark
(Windows Notepad writes one) is accepted.
"""

from __future__ import annotations

import json
import re
from typing import Any

_SURROGATE = re.compile("[\ud800-\udfff]")


class Said(ValueError):
    """An input error that can be said in either language: `say(lang)` is the text of
    `assistant.i18n_input` key `key`, after `place` (the file, and where in it). str() is English."""

    def __init__(self, key: str, place: str = "", **kwargs: Any):
        self.key, self.place, self.kwargs = key, place, kwargs
        super().__init__(self.say("en"))

    def at(self, place: str) -> Said:
        """The same error, placed (`place` before any place it already has)."""
        return Said(self.key, place + (f" › {self.place}" if self.place else ""), **self.kwargs)

    def say(self, lang: str) -> str:
        from ..i18n import t

        kwargs = dict(self.kwargs)
        if "field" in kwargs:
            kwargs["what"] = t(f"input.field.{kwargs['field']}", lang)
        text = t(self.key, lang, **kwargs)
        return f"{self.place}{'：' if lang == 'zh' else ': '}{text}" if self.place else text


class InputError(ValueError):
    """An input file that cannot be used: str() is the English message (naming the file); `say(lang)`
    says it in `lang` where it was made from a Said (else the CLI localises the English)."""

    def __init__(self, message: str, said: Said | None = None):
        super().__init__(message)
        self.said = said

    @classmethod
    def of(cls, said: Said) -> InputError:
        return cls(str(said), said)

    def say(self, lang: str) -> str:
        return self.said.say(lang) if self.said is not None else str(self)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise Said("input.duplicate_key", name=key)
        out[key] = value
    return out


def _surrogates(node: Any, where: tuple[str, ...]) -> None:
    """Said naming the first text (value or key) holding a lone surrogate, and where it is."""
    stack = [(node, where)]
    while stack:
        value, at = stack.pop()
        if isinstance(value, str):
            m = _SURROGATE.search(value)
            if m:
                raise Said("input.surrogate", " › ".join(at), code=f"\\u{ord(m.group()):04x}")
        elif isinstance(value, dict):
            for k, v in reversed(list(value.items())):
                stack.append((v, (*at, k)))
                stack.append((k, (*at, k)))
        elif isinstance(value, list):
            stack.extend((v, (*at, str(i))) for i, v in reversed(list(enumerate(value))))


def parse_json(text: str) -> Any:
    """The parsed value, or ValueError saying what is wrong, in words fit for a one-line message
    (a Said, placed where in the document it is, for a duplicate key or a lone surrogate)."""
    text = text.removeprefix("\ufeff")
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates)
    except Said:
        raise
    except json.JSONDecodeError as e:
        raise ValueError(f"not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})") from None
    except (ValueError, RecursionError) as e:  # a number of thousands of digits, arrays nested thousands deep
        raise ValueError(f"not usable JSON ({str(e)[:80]})") from None
    _surrogates(data, ())
    return data
